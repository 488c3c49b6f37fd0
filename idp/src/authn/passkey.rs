//! Passkeys (WebAuthn, webauthn-rs): registration of discoverable credentials, use as a
//! second factor, and passwordless sign-in. The relying-party id and origin come from the
//! issuer; ceremony state is kept in the ephemeral store, so any node can finish what another
//! started, and is taken (single use) when finished.

use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid,
    Webauthn, WebauthnBuilder,
};

use crate::{
    config::Config,
    crypto::{b64url, random_token},
    state::AppState,
    storage::{CREDENTIAL_PASSKEY, Credential, StorageError, User, ephemeral},
};

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("passkeys are not available on this server")]
    Disabled,
    #[error("the passkey request expired; start again")]
    Expired,
    #[error("this passkey is not known here")]
    UnknownCredential,
    #[error("the passkey response was not accepted")]
    Rejected,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl PasskeyError {
    /// The message key of the catalogue.
    pub fn key(&self) -> &'static str {
        match self {
            PasskeyError::Disabled => "js-passkeys-off",
            PasskeyError::Expired => "js-passkey-expired",
            PasskeyError::UnknownCredential => "js-passkey-unknown",
            PasskeyError::Rejected => "js-passkey-rejected",
            PasskeyError::Storage(_) => "err-internal",
        }
    }
}

/// The WebAuthn relying party of this deployment, or `None` when the issuer's host is not a
/// domain name (browsers refuse WebAuthn on IP addresses).
pub fn relying_party(config: &Config) -> Option<Webauthn> {
    let origin = Url::parse(&config.issuer).ok()?;
    let rp_id = if config.authn.webauthn_rp_id.is_empty() {
        origin.domain()?.to_owned()
    } else {
        config.authn.webauthn_rp_id.clone()
    };
    let built = WebauthnBuilder::new(&rp_id, &origin).and_then(|b| b.rp_name("Postern").build());
    match built {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(error = %e, rp_id, "passkeys disabled: relying party not valid for the issuer");
            None
        }
    }
}

fn webauthn(state: &AppState) -> Result<&Webauthn, PasskeyError> {
    state.webauthn.as_deref().ok_or(PasskeyError::Disabled)
}

/// The WebAuthn user handle: the user id when it is a UUID (it always is for users Postern
/// created).
fn user_handle(user_id: &str) -> Uuid {
    Uuid::parse_str(user_id).unwrap_or_else(|_| {
        let digest = <sha2::Sha256 as sha2::Digest>::digest(user_id.as_bytes());
        Uuid::from_slice(&digest[..16]).unwrap_or_default()
    })
}

fn lookup(cred_id: &[u8]) -> String {
    format!("passkey:{}", b64url(cred_id))
}

fn passkeys_of(creds: &[Credential]) -> Vec<Passkey> {
    creds
        .iter()
        .filter(|c| c.kind == CREDENTIAL_PASSKEY)
        .filter_map(|c| serde_json::from_value(c.data.clone()).ok())
        .collect()
}

fn reg_key(user_id: &str) -> String {
    format!("passkey-reg:{user_id}")
}

/// The creation options for the browser (`navigator.credentials.create`), as JSON.
pub async fn start_registration(
    state: &AppState,
    user: &User,
) -> Result<serde_json::Value, PasskeyError> {
    let wa = webauthn(state)?;
    let creds = state.stores.credentials.list_credentials(&user.id).await?;
    let exclude = passkeys_of(&creds)
        .iter()
        .map(|p| p.cred_id().clone())
        .collect();
    let display = match (&user.given_name, &user.family_name) {
        (Some(g), Some(f)) => format!("{g} {f}"),
        _ => user.email.clone(),
    };
    let (ccr, reg) = wa
        .start_passkey_registration(user_handle(&user.id), &user.email, &display, Some(exclude))
        .map_err(|_| PasskeyError::Rejected)?;
    let mut ccr = serde_json::to_value(&ccr)
        .map_err(|e| StorageError::Internal(format!("passkey options: {e}")))?;
    // A passkey is a discoverable credential: it must be usable without typing the email.
    // (webauthn-rs leaves residency to the authenticator; its prelude has no type to set it.)
    if let Some(sel) = ccr
        .pointer_mut("/publicKey/authenticatorSelection")
        .and_then(|v| v.as_object_mut())
    {
        sel.insert("residentKey".into(), "required".into());
        sel.insert("requireResidentKey".into(), true.into());
    }
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &reg_key(&user.id),
        &reg,
        state.config.session.login_ttl,
    )
    .await?;
    Ok(ccr)
}

/// Stores the new passkey under `name`; returns the credential's id.
pub async fn finish_registration(
    state: &AppState,
    user_id: &str,
    name: &str,
    response: &RegisterPublicKeyCredential,
) -> Result<String, PasskeyError> {
    let wa = webauthn(state)?;
    let reg: PasskeyRegistration =
        ephemeral::take_json(state.ephemeral.as_ref(), &reg_key(user_id))
            .await?
            .ok_or(PasskeyError::Expired)?;
    let pk = wa
        .finish_passkey_registration(response, &reg)
        .map_err(|_| PasskeyError::Rejected)?;
    let id = random_token(16);
    let name = name.trim();
    state
        .stores
        .credentials
        .add_credential(&Credential {
            id: id.clone(),
            user_id: user_id.into(),
            kind: CREDENTIAL_PASSKEY,
            name: if name.is_empty() {
                "Passkey".into()
            } else {
                name.chars().take(64).collect()
            },
            data: serde_json::to_value(&pk)
                .map_err(|e| StorageError::Internal(format!("passkey: {e}")))?,
            lookup: Some(lookup(pk.cred_id())),
            counter: 0,
            created_at: state.now(),
            used_at: None,
        })
        .await?;
    Ok(id)
}

/// An authentication ceremony in progress: for a known user (second factor) or for whoever
/// presents a discoverable credential (passwordless).
#[derive(Serialize, Deserialize)]
enum Ceremony {
    Known {
        user_id: String,
        state: PasskeyAuthentication,
    },
    Discoverable(DiscoverableAuthentication),
}

fn auth_key(flow: &str) -> String {
    format!("passkey-auth:{flow}")
}

/// Starts an authentication bound to `flow` (a sign-in transaction). With `user`, only that
/// user's passkeys are allowed; without, any discoverable credential.
pub async fn start_authentication(
    state: &AppState,
    flow: &str,
    user_id: Option<&str>,
) -> Result<RequestChallengeResponse, PasskeyError> {
    let wa = webauthn(state)?;
    let (mut rcr, ceremony) = match user_id {
        Some(uid) => {
            let creds = state.stores.credentials.list_credentials(uid).await?;
            let keys = passkeys_of(&creds);
            if keys.is_empty() {
                return Err(PasskeyError::UnknownCredential);
            }
            let (rcr, st) = wa
                .start_passkey_authentication(&keys)
                .map_err(|_| PasskeyError::Rejected)?;
            (
                rcr,
                Ceremony::Known {
                    user_id: uid.into(),
                    state: st,
                },
            )
        }
        None => {
            let (rcr, st) = wa
                .start_discoverable_authentication()
                .map_err(|_| PasskeyError::Rejected)?;
            (rcr, Ceremony::Discoverable(st))
        }
    };
    // The page chooses the mediation: a button press, or the email field's autofill
    // (conditional), which the script sets itself.
    rcr.mediation = None;
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &auth_key(flow),
        &ceremony,
        state.config.session.login_ttl,
    )
    .await?;
    Ok(rcr)
}

/// An assertion that was not accepted, and whose passkey it claimed to be where the
/// credential is known (a refused assertion counts against that account's lockout).
#[derive(Debug)]
pub struct Refused {
    pub error: PasskeyError,
    pub owner: Option<String>,
}

impl From<PasskeyError> for Refused {
    fn from(error: PasskeyError) -> Self {
        Refused { error, owner: None }
    }
}

impl From<StorageError> for Refused {
    fn from(e: StorageError) -> Self {
        PasskeyError::Storage(e).into()
    }
}

/// Verifies the assertion and returns whose passkey it was.
pub async fn finish_authentication(
    state: &AppState,
    flow: &str,
    response: &PublicKeyCredential,
) -> Result<String, Refused> {
    let wa = webauthn(state)?;
    // Taken first: a replayed assertion finds no ceremony to finish.
    let ceremony: Ceremony = ephemeral::take_json(state.ephemeral.as_ref(), &auth_key(flow))
        .await?
        .ok_or(PasskeyError::Expired)?;
    let cred = state
        .stores
        .credentials
        .find_credential_by_lookup(&lookup(response.get_credential_id()))
        .await?
        .filter(|c| c.kind == CREDENTIAL_PASSKEY)
        .ok_or(PasskeyError::UnknownCredential)?;
    let refused = |error| Refused {
        error,
        owner: Some(cred.user_id.clone()),
    };
    let mut pk: Passkey = serde_json::from_value(cred.data.clone())
        .map_err(|_| refused(PasskeyError::UnknownCredential))?;
    let result = match ceremony {
        Ceremony::Known { user_id, state: st } => {
            if user_id != cred.user_id {
                return Err(PasskeyError::UnknownCredential.into());
            }
            wa.finish_passkey_authentication(response, &st)
        }
        Ceremony::Discoverable(st) => wa.finish_discoverable_authentication_v2(response, st, &pk),
    }
    .map_err(|_| refused(PasskeyError::Rejected))?;
    if !result.user_verified() {
        return Err(refused(PasskeyError::Rejected));
    }
    pk.update_credential(&result);
    let data =
        serde_json::to_value(&pk).map_err(|e| StorageError::Internal(format!("passkey: {e}")))?;
    state
        .stores
        .credentials
        .update_credential_data(&cred.id, &data, state.now())
        .await?;
    Ok(cred.user_id)
}
