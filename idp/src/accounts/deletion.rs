//! Account deletion: asked for in the console, sign-in stops at once and every session and
//! token is revoked; after the grace period (`accounts.deletion_grace`) the data is erased by
//! the purge that `idp serve` runs every hour and `idp users purge` runs on demand.

use std::time::Duration;

use super::notices::{self, What};
use crate::{
    audit::{self, RequestMeta},
    state::AppState,
    storage::{StorageResult, User},
};

pub use crate::audit::{DELETION_REQUESTED, ERASED};

/// Disables the account, revokes everything it holds and confirms by email.
pub async fn request(state: &AppState, user: &User, meta: &RequestMeta) -> StorageResult<()> {
    let now = state.now();
    let mut u = user.clone();
    u.disabled = true;
    u.deletion_requested_at = Some(now);
    u.updated_at = now;
    state.stores.users.update_user(&u).await?;
    super::revoke_everything(state, &u.id).await?;
    audit::record(
        state,
        audit::Entry {
            kind: DELETION_REQUESTED,
            outcome: crate::audit::Outcome::Success,
            user_id: Some(&u.id),
            email: Some(&u.email),
            meta: Some(meta),
            ..Default::default()
        },
    )
    .await;
    notices::security_notice(state, &u, What::DeletionRequested).await;
    Ok(())
}

/// Erases every account whose grace period is over; returns how many.
pub async fn purge(state: &AppState) -> StorageResult<u64> {
    let grace = state.config.accounts.deletion_grace.as_secs() as i64;
    let due = state
        .stores
        .accounts
        .deletion_due(state.now() - grace)
        .await?;
    for id in &due {
        // Memberships through the org store, which keeps each organisation's admin count.
        for m in state.stores.orgs.memberships_of(id).await? {
            state.stores.orgs.remove_member(&m.org_id, id).await?;
        }
        state.stores.accounts.erase_user(id).await?;
        audit::record(
            state,
            audit::Entry {
                kind: ERASED,
                outcome: crate::audit::Outcome::Success,
                user_id: Some(id),
                ..Default::default()
            },
        )
        .await;
    }
    Ok(due.len() as u64)
}

/// The hourly purge of a serving node.
pub fn spawn_purger(state: &AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match purge(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(accounts = n, "deleted accounts erased"),
                Err(e) => tracing::error!(error = %e, "erasing deleted accounts failed"),
            }
        }
    })
}
