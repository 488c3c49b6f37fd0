//! TOTP (RFC 6238): SHA-1, 6 digits, 30-second steps, one step of tolerance either way. The
//! step last accepted is stored with the credential and only moves forward, atomically, so a
//! code is never accepted twice (§5.2), even on two nodes at once.

use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Builder, Secret as TotpSecret, Totp};

use crate::{
    crypto::random_token,
    state::AppState,
    storage::{CREDENTIAL_TOTP, Credential, StorageResult, ephemeral},
};

const ISSUER_NAME: &str = "Postern";

/// A secret being enrolled: shown to the user, confirmed with a first code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TotpCheck {
    Valid,
    Wrong,
    /// Right code, but its step was used before.
    Replayed,
    NotEnrolled,
}

fn totp(secret_b32: &str, account: &str) -> Option<Totp> {
    let secret = TotpSecret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_skew(1)
        .with_secret(secret)
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER_NAME))
        .build()
        .ok()
}

/// The step `code` belongs to at `now`, if it is valid.
pub fn matching_step(secret_b32: &str, code: &str, now: i64) -> Option<u64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret_b32, "x")?.check(&code, u64::try_from(now).ok()?)
}

/// A pending enrolment belongs to the session that started it (`sid`): another browser of
/// the same account neither sees its secret nor confirms it.
fn enrol_key(user_id: &str, sid: &str) -> String {
    format!("totp-enrol:{user_id}:{sid}")
}

/// The enrolment session `sid` started and has not confirmed yet.
pub async fn pending_enrolment(
    state: &AppState,
    user_id: &str,
    sid: &str,
) -> StorageResult<Option<Enrolment>> {
    ephemeral::get_json(state.ephemeral.as_ref(), &enrol_key(user_id, sid)).await
}

/// Starts (or continues) an enrolment: the same secret is shown until it is confirmed.
pub async fn start_enrolment(
    state: &AppState,
    user_id: &str,
    sid: &str,
    email: &str,
) -> StorageResult<Option<Enrolment>> {
    let key = enrol_key(user_id, sid);
    if let Some(e) = ephemeral::get_json(state.ephemeral.as_ref(), &key).await? {
        return Ok(Some(e));
    }
    let secret = TotpSecret::generate().to_base32();
    let Some(url) = totp(&secret, email).and_then(|t| t.to_url().ok()) else {
        return Ok(None);
    };
    let e = Enrolment {
        secret,
        otpauth_url: url,
    };
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &key,
        &e,
        state.config.session.login_ttl,
    )
    .await?;
    Ok(Some(e))
}

/// Confirms the pending enrolment with a first code; true when the TOTP is now enrolled.
pub async fn confirm_enrolment(
    state: &AppState,
    user_id: &str,
    sid: &str,
    code: &str,
) -> StorageResult<bool> {
    let key = enrol_key(user_id, sid);
    let Some(e) = ephemeral::get_json::<Enrolment>(state.ephemeral.as_ref(), &key).await? else {
        return Ok(false);
    };
    let Some(step) = matching_step(&e.secret, code, state.now()) else {
        return Ok(false);
    };
    // One authenticator app per account: a new one replaces the old.
    state
        .stores
        .credentials
        .delete_credentials_of_kind(user_id, CREDENTIAL_TOTP)
        .await?;
    state
        .stores
        .credentials
        .add_credential(&Credential {
            id: random_token(16),
            user_id: user_id.into(),
            kind: CREDENTIAL_TOTP,
            name: "Authenticator app".into(),
            data: serde_json::json!({ "secret": e.secret }),
            lookup: None,
            // The confirming code is used up too.
            counter: step as i64,
            created_at: state.now(),
            used_at: None,
        })
        .await?;
    state.ephemeral.delete(&key).await?;
    Ok(true)
}

pub async fn verify(state: &AppState, user_id: &str, code: &str) -> StorageResult<TotpCheck> {
    let creds = state.stores.credentials.list_credentials(user_id).await?;
    let Some(cred) = creds.iter().find(|c| c.kind == CREDENTIAL_TOTP) else {
        return Ok(TotpCheck::NotEnrolled);
    };
    let secret = cred.data["secret"].as_str().unwrap_or_default();
    let Some(step) = matching_step(secret, code, state.now()) else {
        return Ok(TotpCheck::Wrong);
    };
    Ok(
        if state
            .stores
            .credentials
            .advance_credential_counter(&cred.id, step as i64)
            .await?
        {
            TotpCheck::Valid
        } else {
            TotpCheck::Replayed
        },
    )
}

/// The otpauth URL as an inline SVG QR code (no image request, nothing for the CSP to block).
pub fn qr_svg(otpauth_url: &str) -> String {
    use qrcode::{QrCode, render::svg};
    let Ok(code) = QrCode::new(otpauth_url.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    match svg.find("<svg") {
        Some(i) => svg[i..].to_owned(),
        None => svg,
    }
}
