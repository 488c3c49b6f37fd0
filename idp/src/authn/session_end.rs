//! What follows the end of an SSO session, however it ends (the person signing out, the
//! console, an administrator, a password reset, deletion, disablement, a lock): the grants
//! made in it are revoked, except `offline_access` ones, which are meant to outlive it
//! (Back-Channel Logout 1.0 §2.7); and every client that received tokens in it and
//! registered a back-channel logout URI gets a logout token, queued durably here and sent
//! off the request by `backchannel`, so a slow receiver never holds up the person's page.

use std::collections::BTreeSet;

use crate::{
    crypto::random_token,
    state::AppState,
    storage::{LogoutDelivery, SessionRecord, StorageResult},
};

/// The scope whose grants survive the session they were made in.
const OFFLINE_ACCESS: &str = "offline_access";

pub(super) async fn ended(state: &AppState, sessions: &[SessionRecord]) -> StorageResult<()> {
    let now = state.now();
    let mut queue = Vec::new();
    for s in sessions {
        let grants = state.stores.grants.list_session_grants(&s.id).await?;
        let mut clients = BTreeSet::new();
        for g in &grants {
            if g.revoked_at.is_none() && !g.scope.contains(OFFLINE_ACCESS) {
                state.stores.grants.revoke_grant(&g.id, now).await?;
            }
            clients.insert(g.client_id.as_str());
        }
        for client_id in clients {
            let client = state.stores.clients.find_client(client_id).await?;
            if !client.is_some_and(|c| c.backchannel_logout.is_some() && !c.disabled) {
                continue;
            }
            queue.push(LogoutDelivery {
                id: random_token(16),
                client_id: client_id.to_owned(),
                sub: s.user_id.clone(),
                sid: s.id.clone(),
                created_at: now,
                attempts: 0,
            });
        }
    }
    if !queue.is_empty() {
        state.stores.logouts.enqueue_logouts(&queue).await?;
        state.logout_wake.notify_one();
    }
    Ok(())
}
