//! The organisations aggregate: organisations, their members and invitations.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::StorageResult;

/// The role that may manage an organisation; other role names are the organisation's own.
pub const ROLE_ADMIN: &str = "admin";
/// In a member's services, every e-service of the organisation.
pub const ALL_SERVICES: &str = "*";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// The company's registry number, as the operator knows it.
    pub business_id: Option<String>,
    /// `active` or `suspended` (a suspended organisation is never offered at sign-in).
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub org_id: String,
    pub user_id: String,
    pub roles: Vec<String>,
    /// Client ids this member may use for the organisation (`*`: all).
    pub services: Vec<String>,
    pub created_at: i64,
}

impl Membership {
    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|r| r == ROLE_ADMIN)
    }

    pub fn may_use(&self, client_id: &str) -> bool {
        self.services
            .iter()
            .any(|s| s == ALL_SERVICES || s == client_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: String,
    /// SHA-256 of the emailed token; the token itself is never stored.
    pub token_hash: String,
    pub org_id: String,
    pub email: String,
    pub roles: Vec<String>,
    pub services: Vec<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

/// The outcome of changing or removing a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberChange {
    Done,
    NotFound,
    /// Refused: the organisation would be left without an admin.
    LastAdmin,
}

/// One page of a list and the size of the whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[async_trait]
pub trait OrgStore: Send + Sync {
    async fn create_org(&self, org: &Organization) -> StorageResult<()>;
    async fn find_org(&self, id: &str) -> StorageResult<Option<Organization>>;
    /// By name, then id.
    async fn list_orgs(&self, offset: u64, limit: u64) -> StorageResult<Page<Organization>>;
    /// Returns false when there is no such organisation.
    async fn update_org(&self, org: &Organization) -> StorageResult<bool>;
    /// Deletes the organisation with its memberships and invitations.
    async fn delete_org(&self, id: &str) -> StorageResult<bool>;

    /// `Conflict` when the user is a member already.
    async fn add_member(&self, m: &Membership) -> StorageResult<()>;
    async fn find_member(&self, org_id: &str, user_id: &str) -> StorageResult<Option<Membership>>;
    /// Oldest first.
    async fn list_members(
        &self,
        org_id: &str,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<Membership>>;
    async fn memberships_of(&self, user_id: &str) -> StorageResult<Vec<Membership>>;
    /// Replaces roles and services; demoting the last admin is refused atomically.
    async fn update_member(&self, m: &Membership) -> StorageResult<MemberChange>;
    /// Removing the last admin is refused atomically.
    async fn remove_member(&self, org_id: &str, user_id: &str) -> StorageResult<MemberChange>;

    async fn create_invitation(&self, inv: &Invitation) -> StorageResult<()>;
    async fn find_invitation(&self, token_hash: &str) -> StorageResult<Option<Invitation>>;
    /// Marks the invitation accepted if it is unused and unexpired, in one atomic step.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StorageResult<Option<Invitation>>;
}
