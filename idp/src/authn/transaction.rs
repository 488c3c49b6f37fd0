//! The sign-in transaction: a sign-in in progress, kept in the ephemeral store under a
//! random id (hashed), so any node can take the next step. Created in one place
//! ([`start`]), for a client's authorization request or for one of Postern's own pages.

use serde::{Deserialize, Serialize};

use crate::{
    audit::RequestMeta,
    crypto::{new_token, token_hash},
    model::Acr,
    protocol::request::AuthRequest,
    ratelimit::{self, LimitError},
    state::AppState,
    storage::{StorageResult, ephemeral},
};

/// A sign-in in progress: the request being served (or, for Postern's own pages, where to
/// return) and what the user has done so far.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginTx {
    pub request: Option<AuthRequest>,
    /// A path of Postern's own to return to when there is no authorization request.
    pub return_to: Option<String>,
    pub email: Option<String>,
    /// The user signed in during this transaction (satisfies `prompt=login`).
    pub fresh: bool,
    /// The proof must be recent (`accounts.step_up_max_age`), not only present: a
    /// sensitive action sent the user here.
    #[serde(default)]
    pub recent: bool,
    /// For Postern's own pages: the level to reach; a client's request says its own
    /// through `protocol::authorize::required_acr`.
    #[serde(default)]
    pub needs: Acr,
    /// The password was proven but must be replaced before the sign-in completes.
    #[serde(default)]
    pub new_password: Option<super::new_password::Pending>,
    /// The old service chosen with an old username (`legacy::signin`).
    #[serde(default)]
    pub service: Option<String>,
    /// An old password was proven: the first sign-in of an imported account is under way.
    #[serde(default)]
    pub legacy: Option<crate::legacy::signin::Migrating>,
}

impl LoginTx {
    /// A sign-in for a client's authorization request.
    pub fn for_request(req: AuthRequest) -> LoginTx {
        LoginTx {
            request: Some(req),
            return_to: None,
            email: None,
            fresh: false,
            recent: false,
            needs: Acr::OneFactor,
            new_password: None,
            service: None,
            legacy: None,
        }
    }

    /// A sign-in for one of Postern's own pages that returns to `return_to`, reaching
    /// `needs` (recently, when `recent`).
    pub fn for_page(return_to: &str, needs: Acr, recent: bool, email: Option<String>) -> LoginTx {
        LoginTx {
            request: None,
            return_to: Some(return_to.to_owned()),
            email,
            fresh: false,
            recent,
            needs,
            new_password: None,
            service: None,
            legacy: None,
        }
    }
}

fn key(id: &str) -> String {
    format!("tx:{}", token_hash(id))
}

/// Stores a new transaction for a caller at `meta`'s address; returns its id. Refused past
/// `rate_limit.sign_in_starts_per_ip` per window: each is kept for `session.login_ttl`,
/// signed in or not.
pub async fn start(
    state: &AppState,
    tx: &LoginTx,
    meta: &RequestMeta,
) -> Result<String, LimitError> {
    let max = state.config.rate_limit.sign_in_starts_per_ip;
    ratelimit::hit_address(state, "sign-in-start-ip", meta, max).await?;
    let id = new_token();
    save(state, &id, tx).await?;
    Ok(id)
}

/// Writes back a transaction that goes on.
pub async fn save(state: &AppState, id: &str, tx: &LoginTx) -> StorageResult<()> {
    ephemeral::put_json(
        state.ephemeral.as_ref(),
        &key(id),
        tx,
        state.config.session.login_ttl,
    )
    .await
}

/// The transaction `id`, if it is still there.
pub async fn load(state: &AppState, id: &str) -> StorageResult<Option<LoginTx>> {
    ephemeral::get_json(state.ephemeral.as_ref(), &key(id)).await
}

/// Ends a transaction whose sign-in is done.
pub async fn finish(state: &AppState, id: &str) -> StorageResult<()> {
    state.ephemeral.delete(&key(id)).await
}
