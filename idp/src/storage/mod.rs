//! Storage: one trait per aggregate, so `protocol` and `authn` never see a database.
//!
//! Durable data (clients, users, consents, grants and refresh tokens) lives behind
//! [`sql::SqlStore`] (SQLite or PostgreSQL through sea-orm). Short-lived state (SSO sessions,
//! authorization codes, sign-in transactions, revoked access tokens) lives behind
//! [`ephemeral::EphemeralStore`]. Every implementation runs the suite in [`conformance`].

use std::{collections::BTreeSet, sync::Arc};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::model::{Assurance, IdentityCheck, oauth::Scope};

pub mod accounts;
pub mod client_cache;
mod clients;
pub mod conformance;
mod entity;
pub mod ephemeral;
pub mod grant_cache;
pub mod legacy;
pub mod logos;
pub mod logout_deliveries;
pub mod orgs;
pub mod read_path;
pub mod sql;
pub mod user_watch;
pub mod writes;

pub use accounts::AccountStore;
pub use clients::{BackchannelLogout, Client, ClientAuthMethod, ClientKeys, ClientStore, OrgMode};
pub use legacy::{LegacyAccount, LegacyBatch, LegacyKey, LegacyStore};
pub use logos::{LogoStore, StoredLogo};
pub use logout_deliveries::{
    ClaimedDelivery, DeliveryCounts, DeliveryOutcome, LogoutDelivery, LogoutDeliveryStore,
};
pub use orgs::{Invitation, MemberChange, Membership, OrgStore, Organization, Page};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    /// The backend cannot be reached; requests get 503 and the node recovers by itself.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("storage error: {0}")]
    Internal(String),
}

pub type StorageResult<T> = Result<T, StorageError>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    /// Always stored lower-cased: one address is one identity.
    pub email: String,
    pub email_verified: bool,
    pub password_hash: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub locale: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// `YYYY-MM-DD` (OIDC `birthdate`).
    pub birthdate: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// The version of the terms of use the user accepted, and when.
    pub terms_version: Option<String>,
    pub terms_accepted_at: Option<i64>,
    /// Set when the user asked for deletion: sign-in is disabled at once and the data is
    /// erased after the grace period.
    pub deletion_requested_at: Option<i64>,
    /// Bumped by every write of the record (the management API's `ETag`).
    pub revision: i64,
    /// Evidence of an identity check: makes the account `verified` (`model::Assurance`).
    /// Written only by `set_identity_check`.
    pub identity_check: Option<IdentityCheck>,
    /// The password must be replaced at the next sign-in, before it completes; a temporary
    /// password also expires (`password_expires_at`). Written only with the password.
    pub password_change_required: bool,
    pub password_expires_at: Option<i64>,
}

impl User {
    pub fn status(&self) -> UserStatus {
        match (self.deletion_requested_at, self.disabled) {
            (Some(_), _) => UserStatus::PendingDeletion,
            (None, true) => UserStatus::Disabled,
            (None, false) => UserStatus::Active,
        }
    }
}

/// Whether an account may sign in; one that asked for its deletion is disabled too, but
/// awaits erasure and is told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Disabled,
    PendingDeletion,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
            UserStatus::PendingDeletion => "pending_deletion",
        }
    }
}

/// A search of the accounts; every filter given must match. Text filters match a
/// substring, ignoring case; `%` and `_` in them are literal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    pub email: Option<String>,
    /// A whole E.164 number or part of one.
    pub phone: Option<String>,
    /// The given or the family name.
    pub name: Option<String>,
    pub status: Option<UserStatus>,
    pub assurance: Option<Assurance>,
}

impl User {
    pub fn assurance(&self) -> Assurance {
        Assurance::of(
            self.email_verified,
            self.phone_verified,
            self.identity_check.as_ref(),
        )
    }
}

/// What a password written by [`UserStore::set_password`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordKind {
    /// Chosen by the account holder: any required change is done.
    Chosen,
    /// Handed over by an administrator: replaced at the next sign-in, refused after
    /// `expires_at`.
    Temporary { expires_at: i64 },
}

/// An entry of the directory of SSO sessions (the session itself is ephemeral).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The public session id (`sid` in tokens).
    pub id: String,
    pub user_id: String,
    /// SHA-256 of the cookie value; the ephemeral session's key is made from it.
    pub cookie_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub user_id: String,
    pub client_id: String,
    pub scope: Scope,
    /// Single claims granted through the `claims` request parameter, beyond `scope`.
    #[serde(default)]
    pub claims: BTreeSet<String>,
    pub granted_at: i64,
}

/// Everything issued from one authorization (a code redemption or a client credentials
/// request): revoking it invalidates every access and refresh token of the family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub client_id: String,
    pub user_id: Option<String>,
    pub session_id: Option<String>,
    pub scope: Scope,
    pub auth_time: Option<i64>,
    pub acr: Option<String>,
    pub amr: Vec<String>,
    /// The `claims` request parameter (OIDC Core §5.5), kept for userinfo.
    pub claims: Option<serde_json::Value>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// The organisation the user acts for in this grant, if any.
    pub org_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshToken {
    /// SHA-256 of the token; the token itself is never stored.
    pub token_hash: String,
    pub grant_id: String,
    pub client_id: String,
    pub scope: Scope,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// The DPoP key (thumbprint) a public client's token is bound to (RFC 9449 §5).
    pub jkt: Option<String>,
}

/// Who presents a refresh token for rotation: the store consumes it only for them, so
/// another client, or a thief without the DPoP key, cannot burn the owner's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPresenter<'a> {
    pub client_id: &'a str,
    /// The key the request's DPoP proof was made with, if any.
    pub jkt: Option<&'a str>,
    pub now: i64,
}

/// What happened when a refresh token was presented for rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshUse {
    /// This call consumed it; the caller may issue the successor.
    Consumed(RefreshToken),
    /// It was left as it is, read after the attempt: used before (a replay), expired,
    /// another client's, bound to another DPoP key, or of a revoked grant. The record says
    /// which, but for the grant.
    Refused(RefreshToken),
    Unknown,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn create_user(&self, user: &User) -> StorageResult<()>;
    async fn find_user(&self, id: &str) -> StorageResult<Option<User>>;
    /// `email` must already be normalised (see `accounts::normalize_email`).
    async fn find_user_by_email(&self, email: &str) -> StorageResult<Option<User>>;
    /// The accounts with this (E.164) mobile number, verified or not (a number is not unique).
    async fn find_users_by_phone(&self, phone: &str) -> StorageResult<Vec<User>>;
    /// Replaces the password with one the account holder chose, which ends any required
    /// change. A rehash of the same password must not: see `authn::check`.
    async fn set_password_hash(&self, id: &str, hash: &str, now: i64) -> StorageResult<()>;
    /// Writes a password of `kind` when the stored hash is still `expected` (`None`: any),
    /// in one conditional step; false when it changed meanwhile (or the account is gone).
    /// Of two concurrent replacements of one temporary password, one wins.
    async fn set_password(
        &self,
        id: &str,
        expected: Option<&str>,
        hash: &str,
        kind: PasswordKind,
        now: i64,
    ) -> StorageResult<bool>;
    /// Requires (or no longer requires) a change of password at the next sign-in.
    async fn require_password_change(
        &self,
        id: &str,
        required: bool,
        now: i64,
    ) -> StorageResult<()>;
    /// Records or clears the evidence of an identity check.
    async fn set_identity_check(
        &self,
        id: &str,
        check: Option<&IdentityCheck>,
        now: i64,
    ) -> StorageResult<()>;
    /// Writes every field but the id, the password hash and state, the identity check and
    /// the creation time. An email taken by another account is `Conflict`.
    async fn update_user(&self, user: &User) -> StorageResult<()>;
    /// [`UserStore::update_user`] only if the stored revision is still `expected`, in one
    /// statement; false when it is not (another write came first) or the user is gone.
    async fn update_user_if(&self, user: &User, expected: i64) -> StorageResult<bool>;
    /// The accounts matching `filter`, oldest first (then by id), with how many match.
    async fn search_users(
        &self,
        filter: &UserFilter,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<User>>;
}

#[async_trait]
pub trait ConsentStore: Send + Sync {
    async fn find_consent(&self, user_id: &str, client_id: &str) -> StorageResult<Option<Consent>>;
    /// Inserts or replaces.
    async fn save_consent(&self, consent: &Consent) -> StorageResult<()>;
    async fn revoke_consent(&self, user_id: &str, client_id: &str) -> StorageResult<()>;
    /// Every consent of the user, newest first.
    async fn list_consents(&self, user_id: &str) -> StorageResult<Vec<Consent>>;
}

#[async_trait]
pub trait GrantStore: Send + Sync {
    async fn create_grant(&self, grant: &Grant) -> StorageResult<()>;
    async fn find_grant(&self, id: &str) -> StorageResult<Option<Grant>>;
    /// The grants made in SSO session `session_id`, revoked or not: whom to tell when the
    /// session ends.
    async fn list_session_grants(&self, session_id: &str) -> StorageResult<Vec<Grant>>;
    /// Marks the grant revoked; returns false when it was already revoked or is unknown.
    async fn revoke_grant(&self, id: &str, now: i64) -> StorageResult<bool>;
    /// Revokes the grant of the refresh token `token_hash` (used or not) if `client_id`'s;
    /// returns whether this revoked a grant. One statement: revocation's hot path.
    async fn revoke_refresh_grant(
        &self,
        token_hash: &str,
        client_id: &str,
        now: i64,
    ) -> StorageResult<bool>;
    /// Revokes every grant of a user (and so their refresh and access tokens); returns how
    /// many were still active.
    async fn revoke_user_grants(&self, user_id: &str, now: i64) -> StorageResult<u64>;
    /// The user's grants not revoked, newest first (then by id), with how many there are.
    async fn list_user_grants(
        &self,
        user_id: &str,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<Grant>>;
    /// Revokes the grants one client holds from one user (a consent withdrawn), or from
    /// every user (`None`: the client is deleted).
    async fn revoke_client_grants(
        &self,
        user_id: Option<&str>,
        client_id: &str,
        now: i64,
    ) -> StorageResult<u64>;
    /// Revokes the grants made for acting for an organisation: all of them, or one member's
    /// (`user_id`), sparing those of the clients in `keep_clients` (the services a member
    /// may still use). Returns how many were still active.
    async fn revoke_org_grants(
        &self,
        org_id: &str,
        user_id: Option<&str>,
        keep_clients: &[String],
        now: i64,
    ) -> StorageResult<u64>;
    async fn insert_refresh_token(&self, token: &RefreshToken) -> StorageResult<()>;
    async fn find_refresh_token(&self, token_hash: &str) -> StorageResult<Option<RefreshToken>>;
    /// Consumes the token in one atomic step if it is unused, unexpired at `by.now`, the
    /// presenting client's, when bound, bound to `by.jkt`, and its grant is not revoked:
    /// of two concurrent calls, one gets `Consumed`. One round trip when it is consumed:
    /// rotation's hot path.
    ///
    /// With a `successor`, only a token of the successor's grant is consumed, and the
    /// successor is stored in the same round trip, only if this call consumed the token. On
    /// PostgreSQL both happen in one statement; on SQLite in two, committed one after the
    /// other, so a failure storing the successor (a full disk) leaves the token consumed
    /// without one: the call fails, and the client must sign in again, as when the
    /// two were separate calls.
    async fn use_refresh_token(
        &self,
        token_hash: &str,
        by: RefreshPresenter<'_>,
        successor: Option<&RefreshToken>,
    ) -> StorageResult<RefreshUse>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn insert_session(&self, record: &SessionRecord) -> StorageResult<()>;
    /// The sessions of a user that have not expired at `now`, newest first (then by id).
    async fn list_sessions(&self, user_id: &str, now: i64) -> StorageResult<Vec<SessionRecord>>;
    /// Removes the session of this cookie; `None` when there was none (or another call
    /// removed it first).
    async fn delete_session_by_cookie_hash(
        &self,
        cookie_hash: &str,
    ) -> StorageResult<Option<SessionRecord>>;
    /// Removes one session of this user; `None` when the user has no such session.
    async fn delete_session(&self, user_id: &str, id: &str)
    -> StorageResult<Option<SessionRecord>>;
    /// Removes the sessions of the user it finds and returns those this call removed (to
    /// end the ephemeral ones); a session started meanwhile is left for the next call.
    async fn delete_user_sessions(&self, user_id: &str) -> StorageResult<Vec<SessionRecord>>;
    /// Removes up to `limit` sessions expired at `now` and returns those this call removed.
    async fn delete_expired_sessions(
        &self,
        now: i64,
        limit: u64,
    ) -> StorageResult<Vec<SessionRecord>>;
}

/// The kinds of [`Credential`].
pub use crate::model::CredentialKind;
pub const CREDENTIAL_TOTP: CredentialKind = CredentialKind::Totp;
pub const CREDENTIAL_PASSKEY: CredentialKind = CredentialKind::Passkey;
pub const CREDENTIAL_RECOVERY_CODE: CredentialKind = CredentialKind::RecoveryCode;

/// A second factor of a user: a TOTP secret, a passkey or one recovery code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub id: String,
    pub user_id: String,
    pub kind: CredentialKind,
    /// Chosen by the user (passkeys) or by Postern.
    pub name: String,
    /// Kind-specific: the TOTP secret, the webauthn-rs `Passkey`, nothing for recovery codes.
    pub data: serde_json::Value,
    /// Found by without the user: a passkey's credential id, a recovery code's hash.
    pub lookup: Option<String>,
    /// The TOTP time step last accepted.
    pub counter: i64,
    pub created_at: i64,
    pub used_at: Option<i64>,
}

#[async_trait]
pub trait CredentialStore: Send + Sync {
    async fn add_credential(&self, c: &Credential) -> StorageResult<()>;
    /// Oldest first.
    async fn list_credentials(&self, user_id: &str) -> StorageResult<Vec<Credential>>;
    async fn find_credential_by_lookup(&self, lookup: &str) -> StorageResult<Option<Credential>>;
    /// Returns false when the user has no such credential.
    async fn rename_credential(&self, user_id: &str, id: &str, name: &str) -> StorageResult<bool>;
    async fn delete_credential(&self, user_id: &str, id: &str) -> StorageResult<bool>;
    async fn delete_credentials_of_kind(
        &self,
        user_id: &str,
        kind: CredentialKind,
    ) -> StorageResult<u64>;
    /// Replaces `data` and sets `used_at` (a passkey's signature counter after a sign-in).
    async fn update_credential_data(
        &self,
        id: &str,
        data: &serde_json::Value,
        now: i64,
    ) -> StorageResult<()>;
    /// Moves `counter` to `value` only if it is below it, in one atomic step; false means the
    /// value (a TOTP step) was already used.
    async fn advance_credential_counter(&self, id: &str, value: i64) -> StorageResult<bool>;
    /// Marks a single-use credential used, atomically; false when it was used before.
    async fn consume_credential(&self, id: &str, now: i64) -> StorageResult<bool>;
}

/// A security event (see `audit`). Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: String,
    pub at: i64,
    pub kind: String,
    /// `success`, `failure` or `info`.
    pub outcome: String,
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub client_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub detail: Option<String>,
    /// For administrative acts: the client whose token acted (`None` from the command line).
    pub actor_client_id: Option<String>,
    /// For administrative acts through a person's token: that person.
    pub actor_user_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub email: Option<String>,
    /// The events of one account. An email address can change hands (an account is
    /// erased, or moves to another address, and someone else registers it), so what
    /// belongs to an account is found by its id, never by the address.
    pub user_id: Option<String>,
    /// The events about one client (`client_id`, not the acting client).
    pub client_id: Option<String>,
    pub kind: Option<String>,
    /// `success`, `failure` or `info`.
    pub outcome: Option<String>,
    /// At or after (Unix seconds).
    pub since: Option<i64>,
    /// At or before (Unix seconds).
    pub until: Option<i64>,
    /// How many of the matching events (newest first) to skip: the page's start.
    pub offset: u64,
    pub limit: u64,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record_event(&self, event: &AuditEvent) -> StorageResult<()>;
    /// Newest first: by time, then by id, so pages of the same filter never overlap.
    async fn list_events(&self, filter: &AuditFilter) -> StorageResult<Vec<AuditEvent>>;
    /// How many events match the filter (its offset and limit aside).
    async fn count_events(&self, filter: &AuditFilter) -> StorageResult<u64>;
}

/// Permanent locks, keyed by a hash of the normalised email.
#[async_trait]
pub trait LockStore: Send + Sync {
    async fn lock_permanently(&self, email_hash: &str, now: i64) -> StorageResult<()>;
    async fn is_locked_permanently(&self, email_hash: &str) -> StorageResult<bool>;
    /// Returns whether there was a lock to lift.
    async fn unlock(&self, email_hash: &str) -> StorageResult<bool>;
}

/// The durable stores, as trait objects so the backend is chosen by configuration.
#[derive(Clone)]
pub struct Stores {
    pub clients: Arc<dyn ClientStore>,
    pub users: Arc<dyn UserStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub grants: Arc<dyn GrantStore>,
    pub audit: Arc<dyn AuditStore>,
    pub locks: Arc<dyn LockStore>,
    pub credentials: Arc<dyn CredentialStore>,
    pub orgs: Arc<dyn OrgStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub accounts: Arc<dyn AccountStore>,
    pub legacy: Arc<dyn LegacyStore>,
    pub logouts: Arc<dyn LogoutDeliveryStore>,
    pub logos: Arc<dyn LogoStore>,
    /// Reads a replica may answer.
    pub reads: Arc<read_path::ReadPath>,
}

impl Stores {
    pub fn from_sql(store: sql::SqlStore) -> Stores {
        Stores::with_replica(store, None)
    }

    /// `replica`: a read-only copy of `store` for the reads of [`read_path`].
    pub fn with_replica(store: sql::SqlStore, replica: Option<sql::SqlStore>) -> Stores {
        let s = Arc::new(store);
        let user_writes = writes::Generation::default();
        Stores {
            reads: Arc::new(read_path::ReadPath::new(
                s.clone(),
                replica.map(Arc::new),
                user_writes.clone(),
            )),
            users: Arc::new(user_watch::WatchedUsers::new(s.clone(), user_writes)),
            clients: Arc::new(client_cache::CachedClients::new(
                s.clone(),
                client_cache::CLIENT_TTL,
            )),
            consents: s.clone(),
            grants: Arc::new(grant_cache::CachedGrants::new(
                s.clone(),
                grant_cache::GRANT_TTL,
            )),
            audit: s.clone(),
            locks: s.clone(),
            credentials: s.clone(),
            orgs: s.clone(),
            sessions: s.clone(),
            accounts: s.clone(),
            legacy: s.clone(),
            logouts: s.clone(),
            logos: s,
        }
    }
}
