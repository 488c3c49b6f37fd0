//! Account deletion: asked for in the console, sign-in stops at once and every session and
//! token is revoked; after the grace period (`accounts.deletion_grace`) the data is erased by
//! the purge that `idp serve` runs every hour and `idp users purge` runs on demand.

use std::time::Duration;

use super::notices::{self, What};
use crate::{
    audit::{self, Actor, RequestMeta},
    state::AppState,
    storage::{MemberChange, StorageResult, User},
};

pub use crate::audit::{DELETION_REQUESTED, ERASED};

/// What became of a deletion request.
#[derive(Debug, PartialEq, Eq)]
pub enum Deletion {
    Requested,
    /// Refused: the account is the only admin of these organisations (their names). Erasing
    /// it would leave a company unable to manage who acts for it, so the user first makes
    /// someone else an admin (or the operator deletes the organisation). Refusing, rather
    /// than handing the role to some member, keeps the choice of administrator with people.
    LastAdmin(Vec<String>),
}

/// Disables the account, revokes everything it holds and confirms by email; refused while
/// the account is an organisation's last admin.
pub async fn request(state: &AppState, user: &User, meta: &RequestMeta) -> StorageResult<Deletion> {
    request_by(state, user, None, Some(meta)).await
}

/// [`request`] by an administrator (`actor`) or, with `None`, by the owner; the same grace
/// period either way.
pub async fn request_by(
    state: &AppState,
    user: &User,
    actor: Option<&Actor>,
    meta: Option<&RequestMeta>,
) -> StorageResult<Deletion> {
    let sole = crate::orgs::sole_admin_of(state, &user.id).await?;
    if !sole.is_empty() {
        return Ok(Deletion::LastAdmin(
            sole.into_iter().map(|o| o.name).collect(),
        ));
    }
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
            meta,
            actor,
            ..Default::default()
        },
    )
    .await;
    notices::security_notice(state, &u, What::DeletionRequested).await;
    Ok(Deletion::Requested)
}

/// Erases every account whose grace period is over; returns how many.
pub async fn purge(state: &AppState) -> StorageResult<u64> {
    let grace = state.config.accounts.deletion_grace.as_secs() as i64;
    let due = state
        .stores
        .accounts
        .deletion_due(state.now() - grace)
        .await?;
    let mut erased = 0;
    'accounts: for id in &due {
        // Such an account became the last admin after its request (the others left); its
        // erasure waits until someone else administers. Checked before any membership goes,
        // so a postponed erasure leaves the account whole.
        let sole = crate::orgs::sole_admin_of(state, id).await?;
        if let Some(org) = sole.first() {
            tracing::warn!(
                user_id = %id,
                org_id = %org.id,
                "erasure postponed: the account is the organisation's last admin"
            );
            continue;
        }
        // Memberships through the org store, which keeps each organisation's admin count and
        // refuses to drop its last admin (a change racing this purge).
        for m in state.stores.orgs.memberships_of(id).await? {
            if state.stores.orgs.remove_member(&m.org_id, id).await? == MemberChange::LastAdmin {
                tracing::warn!(
                    user_id = %id,
                    org_id = %m.org_id,
                    "erasure postponed: the account is the organisation's last admin"
                );
                continue 'accounts;
            }
        }
        state.stores.accounts.erase_user(id).await?;
        erased += 1;
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
    Ok(erased)
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
