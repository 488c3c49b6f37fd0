//! Signing keys: list, rotate, retire. Audited here, whichever interface called (the
//! management API or `idp keys`).

use std::sync::Arc;

use crate::{
    audit::{Actor, RequestMeta},
    crypto::keys::{KeyError, KeyInfo, KeyManager, RevokeError},
    state::AppState,
};

use super::users::admin_event;

/// Every key file of the directory with its state now, oldest first per algorithm.
pub fn list(state: &AppState) -> Vec<KeyInfo> {
    state.keys.current().infos().to_vec()
}

/// Key generation and the files are blocking work: off the runtime's threads.
async fn blocking<T: Send + 'static, E: From<KeyError> + Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&KeyManager) -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    let keys = Arc::clone(&state.keys);
    tokio::task::spawn_blocking(move || work(&keys))
        .await
        .unwrap_or_else(|e| Err(KeyError::Crypto(format!("key task failed: {e}")).into()))
}

/// Adds a new key per algorithm: published at once, signing after
/// `signing.rotation_lead_time` (so relying parties have fetched it first), or at once with
/// `now` (after a compromise, before retiring the old key). Returns the new keys.
pub async fn rotate(
    state: &AppState,
    now: bool,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<Vec<KeyInfo>, KeyError> {
    let lead = if now {
        0
    } else {
        i64::try_from(state.config.signing.rotation_lead_time.as_secs()).unwrap_or(i64::MAX)
    };
    let at = state.now();
    let kids = blocking(state, move |k| k.rotate(at, lead)).await?;
    let detail = format!(
        "rotate keys{}: {}",
        if now { " now" } else { "" },
        kids.join(", ")
    );
    admin_event(state, actor, None, meta, detail).await;
    Ok(list(state)
        .into_iter()
        .filter(|i| kids.contains(&i.kid))
        .collect())
}

/// Withdraws a key at once (a compromise): unpublished, and nothing it signed is trusted any
/// more, on this node now and on the others at their next reload. Refused for the key that
/// signs its algorithm.
pub async fn retire(
    state: &AppState,
    kid: &str,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<KeyInfo, RevokeError> {
    let at = state.now();
    let owned = kid.to_owned();
    let info = blocking(state, move |k| k.revoke(&owned, at)).await?;
    admin_event(state, actor, None, meta, format!("retire key {}", info.kid)).await;
    Ok(info)
}
