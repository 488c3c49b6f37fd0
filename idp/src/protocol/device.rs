//! The device authorization grant (RFC 8628): a device without a keyboard worth the name (a
//! counter terminal, a parcel locker, a TV) asks for a device code and a short user code;
//! the person types the user code at `/device` on a phone or computer, signs in there, and
//! confirms or denies; meanwhile the device polls the token endpoint with its device code
//! (`token/device_code.rs`).
//!
//! Everything lives in the ephemeral store, so every node sees it, under hashes of the codes:
//! - `device:{hash(device_code)}`: the [`DeviceRecord`], as asked, kept past its expiry so a
//!   late poll learns `expired_token` rather than `invalid_grant`;
//! - `device-user:{hash(user_code)}`: the device code's hash while the code waits for its
//!   person. Taking it is the decision, so a code is decided once (atomic `take`);
//! - `device-decision:{hash}`: the [`Decision`] until the device fetches it (taken again);
//! - `device-done:{hash}`: what became of a fetched decision, for later polls;
//! - `device-poll:{hash}`: when the device last polled, and its interval (`slow_down`);
//! - `device-visit:{hash(visit)}`: a verification page's handle on one entered code.

use std::{collections::HashMap, time::Duration};

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{
    authorize::required_acr_of,
    error::OAuthError,
    org_context::SCOPE_ORG,
    types::{Acr, AuthnContext, Scope},
};
use crate::{
    audit::{self, Entry, Outcome, RequestMeta},
    crypto::{new_token, token_hash},
    state::AppState,
    storage::{Client, OrgMode, StorageResult, ephemeral},
};

/// The device authorization endpoint (RFC 8628 §3.1).
pub const ENDPOINT: &str = "/device_authorization";
/// The verification page (`verification_uri`).
pub const VERIFICATION_PATH: &str = "/device";

/// RFC 8628 §6.1: base-20, no vowels (no words), none of 0/O, 1/I/L-like pairs.
const ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";
/// 20^8 ≈ 2.6 × 10^10 codes: with the verification page's limits, guessing any live one
/// takes far longer than codes live (RFC 8628 §5.1).
const CODE_LENGTH: usize = 8;
/// How long a record outlives its expiry, so that a device polling late is told
/// `expired_token`, and a device code polled again after its tokens is recognised.
const AFTER_EXPIRY: Duration = Duration::from_secs(3600);
/// Tries to find a user code no live device holds.
const CODE_TRIES: usize = 8;

/// The answer of the device authorization endpoint (RFC 8628 §3.2).
#[derive(Debug, Serialize)]
pub struct Authorization {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub expires_in: u64,
    pub interval: u64,
}

/// What a device code stands for, as the device asked it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceRecord {
    pub client_id: String,
    pub scope: Scope,
    /// `acr_values` of the request: the level the person must sign in with, at least.
    #[serde(default)]
    pub acr_values: Vec<String>,
    /// Normalised (see [`normalise`]).
    pub user_code: String,
    pub expires_at: i64,
    /// Seconds, as first given to the device.
    pub interval: u64,
}

/// The person's answer, waiting for the device.
#[derive(Debug, Serialize, Deserialize)]
pub enum Decision {
    Approved {
        /// The session the person confirmed in: user, sid, acr, amr, auth_time.
        authn: AuthnContext,
        grant_id: String,
    },
    Denied,
}

/// What became of a decision the device fetched.
#[derive(Debug, Serialize, Deserialize)]
pub enum Done {
    Redeemed { grant_id: String },
    Denied,
}

/// When the device last polled and its interval now (RFC 8628 §3.5 `slow_down`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Polling {
    pub last_ms: i64,
    pub interval: u64,
}

pub(crate) fn record_key(device_hash: &str) -> String {
    format!("device:{device_hash}")
}

fn user_key(user_code: &str) -> String {
    format!("device-user:{}", token_hash(user_code))
}

pub(crate) fn decision_key(device_hash: &str) -> String {
    format!("device-decision:{device_hash}")
}

pub(crate) fn done_key(device_hash: &str) -> String {
    format!("device-done:{device_hash}")
}

pub(crate) fn poll_key(device_hash: &str) -> String {
    format!("device-poll:{device_hash}")
}

fn visit_key(visit: &str) -> String {
    format!("device-visit:{}", token_hash(visit))
}

/// The time from now until `expires_at` plus `extra`, at least a second (a TTL of zero
/// would keep nothing).
pub(crate) fn until(state: &AppState, expires_at: i64, extra: Duration) -> Duration {
    let left = expires_at.saturating_sub(state.now()).max(0) as u64;
    Duration::from_secs(left)
        .saturating_add(extra)
        .max(Duration::from_secs(1))
}

/// The rest of a record's life in the store.
pub(crate) fn record_life(state: &AppState, record: &DeviceRecord) -> Duration {
    until(state, record.expires_at, AFTER_EXPIRY)
}

fn new_user_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LENGTH)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A user code as typed (any case, with dashes or spaces) in its stored form; `None` when it
/// cannot be one of ours, which needs no lookup.
pub fn normalise(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ours = code.len() == CODE_LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
    ours.then_some(code)
}

/// A user code as people read it: `XXXX-XXXX`.
pub fn display(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(CODE_LENGTH / 2));
    format!("{a}-{b}")
}

/// Starts a device authorization for the authenticated `client` (RFC 8628 §3.1–3.2): the
/// grant type and the scope are checked as `/authorize` checks them.
pub async fn authorize(
    state: &AppState,
    client: &Client,
    params: &HashMap<String, String>,
) -> Result<Authorization, OAuthError> {
    if !client.allows_grant(super::types::GRANT_DEVICE_CODE) {
        return Err(OAuthError::unauthorized_client(
            "this client may not use the device authorization grant",
        ));
    }
    let scope = Scope::parse(params.get("scope").map_or("", String::as_str))
        .ok_or_else(|| OAuthError::invalid_scope("scope is malformed"))?;
    if let Some(bad) = scope.missing_from(&client.scopes).next() {
        return Err(OAuthError::invalid_scope(format!(
            "scope {bad:?} is not allowed for this client"
        )));
    }
    // The verification page has no organisation step: a device acts for the person. A
    // service for companies only would get nothing it could use.
    if scope.contains(SCOPE_ORG) && client.org_mode == OrgMode::Business {
        return Err(OAuthError::invalid_scope(
            "a device acts for the person only; scope org is not available to this client",
        ));
    }
    let acr_values = params
        .get("acr_values")
        .map(|s| {
            s.split(' ')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let ttl = state.config.device.ttl;
    let interval = state.config.device.interval.as_secs().max(1);
    let device_code = new_token();
    let device_hash = token_hash(&device_code);
    let store = state.ephemeral.as_ref();
    let mut record = DeviceRecord {
        client_id: client.client_id.clone(),
        scope,
        acr_values,
        user_code: String::new(),
        expires_at: state.now() + ttl.as_secs() as i64,
        interval,
    };
    // A user code names one waiting device at a time: another is drawn when it is taken.
    for _ in 0..CODE_TRIES {
        let code = new_user_code();
        let stored = store
            .put_if_absent(&user_key(&code), device_hash.clone().into_bytes(), ttl)
            .await?;
        if stored {
            record.user_code = code;
            break;
        }
    }
    if record.user_code.is_empty() {
        tracing::error!("no free user code after {CODE_TRIES} tries");
        return Err(OAuthError::temporarily_unavailable());
    }
    let life = record_life(state, &record);
    ephemeral::put_json(store, &record_key(&device_hash), &record, life).await?;
    let user_code = display(&record.user_code);
    let verification_uri = state.url(VERIFICATION_PATH);
    let query = serde_urlencoded::to_string([("user_code", &user_code)]).unwrap_or_default();
    Ok(Authorization {
        device_code,
        verification_uri_complete: format!("{verification_uri}?{query}"),
        verification_uri,
        user_code,
        expires_in: ttl.as_secs(),
        interval,
    })
}

/// A device waiting for its person, as the verification page found it.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The hash of the device code.
    pub device_hash: String,
    pub record: DeviceRecord,
}

impl Pending {
    /// The user code as the device shows it.
    pub fn user_code(&self) -> String {
        display(&self.record.user_code)
    }

    /// The acr the person must sign in with: the client's, the deployment's and the
    /// device's `acr_values`, decided as for an authorization request.
    pub fn required_acr(&self, state: &AppState, client: &Client) -> Acr {
        required_acr_of(state, client, &self.record.acr_values, None)
    }
}

/// The device waiting under the user code `user_code` (as typed), if any and not expired.
pub async fn find(state: &AppState, user_code: &str) -> StorageResult<Option<Pending>> {
    let Some(code) = normalise(user_code) else {
        return Ok(None);
    };
    let store = state.ephemeral.as_ref();
    let Some(hash) = store.get(&user_key(&code)).await? else {
        return Ok(None);
    };
    let device_hash = String::from_utf8_lossy(&hash).into_owned();
    pending(state, &device_hash).await
}

/// The device `device_hash` if it still waits for a decision.
async fn pending(state: &AppState, device_hash: &str) -> StorageResult<Option<Pending>> {
    let store = state.ephemeral.as_ref();
    let record: Option<DeviceRecord> = ephemeral::get_json(store, &record_key(device_hash)).await?;
    let Some(record) = record.filter(|r| r.expires_at > state.now()) else {
        return Ok(None);
    };
    // Decided already (in this browser or another): the user code is gone.
    let waiting = store.get(&user_key(&record.user_code)).await?;
    if waiting.as_deref() != Some(device_hash.as_bytes()) {
        return Ok(None);
    }
    Ok(Some(Pending {
        device_hash: device_hash.to_owned(),
        record,
    }))
}

/// A handle for the verification page on the code just entered, so that the pages after
/// the sign-in need not carry (nor count again) the user code.
pub async fn open_visit(state: &AppState, p: &Pending) -> StorageResult<String> {
    let visit = new_token();
    let ttl = until(state, p.record.expires_at, Duration::ZERO);
    let value = p.device_hash.clone().into_bytes();
    state.ephemeral.put(&visit_key(&visit), value, ttl).await?;
    Ok(visit)
}

/// The device a visit handle names, if it still waits.
pub async fn visit(state: &AppState, visit: &str) -> StorageResult<Option<Pending>> {
    let Some(hash) = state.ephemeral.get(&visit_key(visit)).await? else {
        return Ok(None);
    };
    pending(state, &String::from_utf8_lossy(&hash)).await
}

/// What the person answered.
pub enum Answer {
    /// Confirmed, signed in as `authn` (the session's context, sid included).
    Confirm(AuthnContext),
    Deny,
}

/// Records the person's answer for the device. `false` when the code was decided already
/// (in another browser, or a second click) or expired: one answer per code, taken
/// atomically with the user code.
pub async fn decide(
    state: &AppState,
    p: &Pending,
    answer: Answer,
    meta: &RequestMeta,
) -> StorageResult<bool> {
    let store = state.ephemeral.as_ref();
    let key = user_key(&p.record.user_code);
    let Some(taken) = store.take(&key).await? else {
        return Ok(false);
    };
    if taken != p.device_hash.as_bytes() {
        // Another device drew this user code since (this one expired): it keeps waiting.
        let ttl = state.config.device.ttl;
        store.put(&key, taken, ttl).await?;
        return Ok(false);
    }
    if p.record.expires_at <= state.now() {
        return Ok(false);
    }
    let (decision, kind, outcome, user) = match answer {
        Answer::Confirm(authn) => {
            let user = authn.sub.clone();
            let grant_id = new_token();
            let d = Decision::Approved { authn, grant_id };
            (d, audit::DEVICE_APPROVED, Outcome::Success, Some(user))
        }
        Answer::Deny => (Decision::Denied, audit::DEVICE_DENIED, Outcome::Info, None),
    };
    let life = record_life(state, &p.record);
    ephemeral::put_json(store, &decision_key(&p.device_hash), &decision, life).await?;
    audit::record(
        state,
        Entry {
            kind,
            outcome,
            user_id: user.as_deref(),
            client_id: Some(&p.record.client_id),
            meta: Some(meta),
            detail: Some(p.record.scope.to_string()),
            ..Default::default()
        },
    )
    .await;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_eight_letters_of_the_alphabet() {
        for _ in 0..200 {
            let code = new_user_code();
            assert_eq!(code.len(), 8);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
            assert!(!code.bytes().any(|b| b"AEIOUY0123456789".contains(&b)));
        }
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise("bcdf-ghjk").as_deref(), Some("BCDFGHJK"));
        assert_eq!(normalise(" BCDF GHJK ").as_deref(), Some("BCDFGHJK"));
        assert_eq!(normalise("B-C-D-F-G-H-J-K").as_deref(), Some("BCDFGHJK"));
        for bad in [
            "",
            "BCDFGHJ",
            "BCDFGHJKL",
            "BCDF-GHJA",
            "BCDF-GHJ1",
            "ＢCDFGHJK",
        ] {
            assert_eq!(normalise(bad), None, "{bad:?}");
        }
        assert_eq!(display("BCDFGHJK"), "BCDF-GHJK");
    }
}
