//! A client's life after registration: its secret rotated, disabled and enabled, deleted.

use super::{ClientError, any_revision, get_client, modify, record};
use crate::{
    audit::{Actor, RequestMeta},
    crypto::random_token,
    state::AppState,
    storage::{Client, StorageError},
};

/// A caller may not disable or delete the client whose token it uses: an operator's tool
/// (or the fuzzer) would lock itself out of the API with no way back but a shell.
fn not_own(actor: &Actor, client_id: &str, what: &'static str) -> Result<(), ClientError> {
    if actor.client_id() == Some(client_id) {
        Err(ClientError::OwnClient(what))
    } else {
        Ok(())
    }
}

/// A rotation's outcome: the new secret, shown once, and until when the old one works.
pub struct Rotated {
    pub client: Client,
    pub secret: String,
    /// Unix seconds; `None` when the grace is zero (the old secret stopped at once).
    pub previous_valid_until: Option<i64>,
}

/// Gives a confidential client a new secret. The old one keeps working for
/// `clients.secret_rotation_grace`, so its servers can move over without an outage; only
/// one previous secret is kept, so a second rotation ends the first one's grace at once.
pub async fn rotate_secret(
    state: &AppState,
    client_id: &str,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<Rotated, ClientError> {
    let secret = random_token(32);
    let hash = state.secrets.hash(&secret);
    let grace =
        i64::try_from(state.config.clients.secret_rotation_grace.as_secs()).unwrap_or(i64::MAX);
    let now = state.now();
    let until = (grace > 0).then(|| now.saturating_add(grace));
    let client = modify(state, client_id, actor, &any_revision, |c| {
        if c.public {
            return Err(ClientError::PublicClient);
        }
        if c.keys.is_some() {
            return Err(ClientError::KeyClient);
        }
        c.previous_secret_hash = until.and(c.secret_hash.take());
        c.previous_secret_expires_at = c.previous_secret_hash.as_ref().and(until);
        c.secret_hash = Some(hash.clone());
        Ok(())
    })
    .await?;
    record(state, actor, meta, client_id, "rotate the secret of").await;
    Ok(Rotated {
        previous_valid_until: client.previous_secret_expires_at,
        client,
        secret,
    })
}

/// Disables a client (refused at authorization, token, introspection and revocation; every
/// grant it holds is revoked, so its tokens stop at once) or enables it again.
pub async fn set_disabled(
    state: &AppState,
    client_id: &str,
    disabled: bool,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<Client, ClientError> {
    if disabled {
        not_own(actor, client_id, "disable")?;
    }
    let now = state.now();
    let client = modify(state, client_id, actor, &any_revision, |c| {
        c.disabled = disabled;
        if disabled {
            c.disabled_at = Some(now);
        }
        Ok(())
    })
    .await?;
    if disabled {
        // After the flag: a token issued in between is revoked too.
        state
            .stores
            .grants
            .revoke_client_grants(None, client_id, state.now())
            .await?;
    }
    let what = if disabled { "disable" } else { "enable" };
    record(state, actor, meta, client_id, what).await;
    Ok(client)
}

/// Deletes a client: every grant it holds is revoked first (its refresh and access tokens
/// stop at once, not when they expire), and its consents go with it, so a client made
/// again under the same id asks anew.
pub async fn delete_client(
    state: &AppState,
    client_id: &str,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<(), ClientError> {
    not_own(actor, client_id, "delete")?;
    super::rules::may_administer(actor, &get_client(state, client_id).await?)?;
    state
        .stores
        .grants
        .revoke_client_grants(None, client_id, state.now())
        .await?;
    match state.stores.clients.delete_client(client_id).await {
        Err(StorageError::NotFound) => return Err(ClientError::NotFound),
        other => other?,
    }
    record(state, actor, meta, client_id, "delete").await;
    Ok(())
}
