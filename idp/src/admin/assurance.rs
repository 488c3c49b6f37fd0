//! Identity assurance: recording (or withdrawing) the evidence that a person's identity was
//! checked. The level itself follows from the evidence and the contact state
//! (`model::Assurance::of`); nothing stores it apart, so it cannot disagree with them.

use crate::{
    audit::{self, Actor, Entry, Outcome, RequestMeta},
    model::{Assurance, IdentityCheck, ProofMethod},
    state::AppState,
    storage::{StorageError, User},
};

/// The longest reference kept with a check (an office code, a document kind).
pub const MAX_REFERENCE: usize = 100;

/// What an administrator says about a check they made or saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub method: ProofMethod,
    /// Where or with what, never a document number.
    pub reference: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AssuranceError {
    #[error("no such account")]
    NotFound,
    #[error(
        "reference: at most {MAX_REFERENCE} printable characters (an office code or a document kind, never a document number)"
    )]
    BadReference,
    #[error("method: required to record a verified identity")]
    MethodRequired,
    #[error("method and reference: only with level verified")]
    EvidenceWithoutVerified,
    /// Without evidence the contact state decides the level, and it says this one.
    #[error(
        "level: without an identity check this account is {0} (basic needs the email address and the mobile number both confirmed)"
    )]
    ContactState(Assurance),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The account `id`.
pub(super) async fn account(state: &AppState, id: &str) -> Result<User, AssuranceError> {
    state
        .stores
        .users
        .find_user(id)
        .await?
        .ok_or(AssuranceError::NotFound)
}

/// Who recorded something, as stored with it: the acting client and person.
pub(super) fn recorder(actor: &Actor) -> (Option<String>, Option<String>) {
    match actor {
        Actor::Operator { client_id, .. } => (Some(client_id.clone()), None),
        Actor::User { user_id, client_id } => (client_id.clone(), Some(user_id.clone())),
        Actor::CommandLine => (None, None),
    }
}

/// An audited administrative act on account `user`.
pub(super) async fn audited(
    state: &AppState,
    user: &User,
    actor: &Actor,
    meta: Option<&RequestMeta>,
    what: String,
) {
    audit::record(
        state,
        Entry {
            kind: audit::ADMIN,
            outcome: Outcome::Success,
            user_id: Some(&user.id),
            email: Some(&user.email),
            meta,
            detail: Some(what),
            actor: Some(actor),
            ..Default::default()
        },
    )
    .await;
}

/// Sets the assurance of account `id` to `level`: `verified` records `evidence` (required);
/// `basic` or `unverified` withdraws any recorded check, and must be what the contact
/// state then says (nothing changes otherwise). Returns the account as it is now.
pub async fn set_assurance(
    state: &AppState,
    id: &str,
    level: Assurance,
    evidence: Option<Evidence>,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<User, AssuranceError> {
    let mut user = account(state, id).await?;
    let evidence = match (level, evidence) {
        (Assurance::Verified, None) => return Err(AssuranceError::MethodRequired),
        (Assurance::Verified, e) => e,
        (_, Some(_)) => return Err(AssuranceError::EvidenceWithoutVerified),
        (asked, None) => {
            let actual = Assurance::of(user.email_verified, user.phone_verified, None);
            if actual != asked {
                return Err(AssuranceError::ContactState(actual));
            }
            None
        }
    };
    let check = match evidence {
        Some(e) => {
            let reference = e.reference.map(|r| r.trim().to_owned());
            if reference.as_deref().is_some_and(|r| {
                r.is_empty() || r.chars().count() > MAX_REFERENCE || r.chars().any(char::is_control)
            }) {
                return Err(AssuranceError::BadReference);
            }
            let (by_client, by_user) = recorder(actor);
            Some(IdentityCheck {
                method: e.method,
                at: state.now(),
                by_client,
                by_user,
                reference,
            })
        }
        None => None,
    };
    let now = state.now();
    match state
        .stores
        .users
        .set_identity_check(id, check.as_ref(), now)
        .await
    {
        Err(StorageError::NotFound) => return Err(AssuranceError::NotFound),
        r => r?,
    }
    user.identity_check = check;
    user.updated_at = now;
    let what = match &user.identity_check {
        Some(c) => format!("identity verified: {}", c.method),
        None => format!("identity check withdrawn: {}", user.assurance()),
    };
    audited(state, &user, actor, meta, what).await;
    Ok(user)
}
