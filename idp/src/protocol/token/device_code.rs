//! The device access token request (RFC 8628 §3.4–3.5): the device polls with its device
//! code until the person decided. The approved decision is taken atomically, so of two polls
//! at once one gets the tokens; a device code polled again after its tokens revokes them, as
//! a replayed authorization code does.

use std::{collections::HashMap, time::Duration};

use super::{
    Issue, Renewal, TokenResponse, active_user, issue_for_user, required, start_grant, user_grant,
};
use crate::{
    audit::{self, Entry, RequestMeta},
    crypto::token_hash,
    protocol::{
        device::{
            Decision, DeviceRecord, Done, Polling, decision_key, done_key, poll_key, record_key,
            record_life,
        },
        error::{ErrorCode, OAuthError},
    },
    state::AppState,
    storage::{Client, ephemeral},
};

/// RFC 8628 §3.5: each `slow_down` adds five seconds to the device's interval.
const SLOW_DOWN_STEP: u64 = 5;
/// A poll this much early still counts as on time: timers fire a little early, and the
/// device measures from its last answer, not from its last request.
const EARLY_MS: i64 = 100;

fn pending() -> OAuthError {
    OAuthError::new(
        ErrorCode::AuthorizationPending,
        400,
        "the person has not answered yet",
    )
}

pub async fn exchange(
    state: &AppState,
    client: &Client,
    p: &HashMap<String, String>,
    meta: &RequestMeta,
    jkt: Option<&str>,
) -> Result<TokenResponse, OAuthError> {
    let device_code = required(p, "device_code")?;
    let hash = token_hash(device_code);
    let store = state.ephemeral.as_ref();
    let record: Option<DeviceRecord> = ephemeral::get_json(store, &record_key(&hash)).await?;
    // Unknown, long gone or another client's: the same answer, which tells nothing.
    let Some(record) = record.filter(|r| r.client_id == client.client_id) else {
        return Err(OAuthError::invalid_grant(
            "the device code is invalid or was issued to another client",
        ));
    };
    let life = record_life(state, &record);
    match ephemeral::get_json::<Done>(store, &done_key(&hash)).await? {
        Some(Done::Denied) => return Err(denied()),
        Some(Done::Redeemed { grant_id }) => {
            return Err(replayed(state, client, meta, &grant_id).await?);
        }
        None => {}
    }
    if record.expires_at <= state.now() {
        return Err(OAuthError::new(
            ErrorCode::ExpiredToken,
            400,
            "the device code has expired; start again",
        ));
    }
    too_soon(state, &hash, &record, life).await?;
    // `take` is the atomic consumption: of two polls at once, one gets the decision.
    match ephemeral::take_json::<Decision>(store, &decision_key(&hash)).await? {
        None => Err(pending()),
        Some(Decision::Denied) => {
            ephemeral::put_json(store, &done_key(&hash), &Done::Denied, life).await?;
            Err(denied())
        }
        Some(Decision::Approved { authn, grant_id }) => {
            let done = Done::Redeemed {
                grant_id: grant_id.clone(),
            };
            ephemeral::put_json(store, &done_key(&hash), &done, life).await?;
            let user = active_user(state, &authn.sub).await?;
            // The verification page has no organisation step: the person's own context.
            let grant = user_grant(state, grant_id, client, &authn, &record.scope, None, None);
            let ended = "the session the device was confirmed in has ended";
            start_grant(state, &grant, &user, ended).await?;
            let issue = Issue {
                grant: &grant,
                user: &user,
                scope: &record.scope,
                nonce: None,
                jkt,
                refresh: Renewal::Mint,
            };
            issue_for_user(state, client, issue).await
        }
    }
}

fn denied() -> OAuthError {
    OAuthError::access_denied("the person denied the device")
}

/// A device code polled again after its tokens: it leaked, or the device is confused;
/// either way, what it got is revoked (PRODUCT.md: a reused code revokes its tokens).
async fn replayed(
    state: &AppState,
    client: &Client,
    meta: &RequestMeta,
    grant_id: &str,
) -> Result<OAuthError, OAuthError> {
    state
        .stores
        .grants
        .revoke_grant(grant_id, state.now())
        .await?;
    tracing::warn!(client_id = %client.client_id, "device code replayed; its tokens are revoked");
    audit::record(
        state,
        Entry {
            kind: audit::CODE_REPLAY,
            outcome: audit::Outcome::Failure,
            client_id: Some(&client.client_id),
            meta: Some(meta),
            detail: Some("device code used again; its tokens revoked".into()),
            ..Default::default()
        },
    )
    .await;
    Ok(OAuthError::invalid_grant(
        "the device code was already used",
    ))
}

/// `slow_down` for a poll sooner than the device's interval after its last one, and the
/// interval grows for this device code; otherwise the poll is remembered.
async fn too_soon(
    state: &AppState,
    hash: &str,
    record: &DeviceRecord,
    life: Duration,
) -> Result<(), OAuthError> {
    let store = state.ephemeral.as_ref();
    let key = poll_key(hash);
    let now_ms = state.clock.now_millis();
    let last: Option<Polling> = ephemeral::get_json(store, &key).await?;
    let interval = last.as_ref().map_or(record.interval, |l| l.interval);
    let early = last
        .as_ref()
        .is_some_and(|l| now_ms - l.last_ms < (interval as i64) * 1000 - EARLY_MS);
    let next = Polling {
        last_ms: now_ms,
        interval: if early {
            interval + SLOW_DOWN_STEP
        } else {
            interval
        },
    };
    ephemeral::put_json(store, &key, &next, life).await?;
    if early {
        return Err(OAuthError::new(
            ErrorCode::SlowDown,
            400,
            "polled sooner than the interval; wait 5 seconds longer from now on",
        ));
    }
    Ok(())
}
