//! Grants, remembered for a moment: every userinfo call, introspection and management API
//! request with a person's token looks its grant up, and on SQLite each lookup is a hand-off
//! to a database thread and back, which cost more than the rest of such a request (the
//! profile is in `bench/profile-userinfo.md`).
//!
//! Any change of grants made through this node (a revocation of one or many) makes
//! everything remembered stale at once: a generation counter is read before each lookup and
//! checked before each use, so a lookup that raced a revocation is not kept either. Another
//! node's revocation shows here within [`GRANT_TTL`].
//!
//! What changes no grant that exists leaves them remembered: a new grant (only found grants
//! are kept), and refresh tokens stored or used. A busy node stores a refresh token and a
//! grant on every renewal and sign-in; if those made every grant stale, userinfo and
//! introspection would read the database again each time, and so would the renewal itself.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;

use super::{
    Grant, GrantStore, Page, RefreshPresenter, RefreshToken, RefreshUse, StorageResult,
    writes::{Generation, Remembered, Writing},
};

/// How long a grant is trusted without asking the database again.
pub const GRANT_TTL: Duration = Duration::from_secs(1);

pub struct CachedGrants {
    inner: Arc<dyn GrantStore>,
    generation: Generation,
    found: Remembered<Grant>,
}

impl CachedGrants {
    pub fn new(inner: Arc<dyn GrantStore>, ttl: Duration) -> CachedGrants {
        CachedGrants {
            inner,
            generation: Generation::default(),
            found: Remembered::new(ttl),
        }
    }

    /// Taken before a write: when it ends, even half-way, nothing remembered before it is
    /// used again.
    fn changing(&self) -> Writing<'_> {
        self.generation.writing()
    }
}

#[async_trait]
impl GrantStore for CachedGrants {
    async fn create_grant(&self, grant: &Grant) -> StorageResult<()> {
        self.inner.create_grant(grant).await
    }

    async fn find_grant(&self, id: &str) -> StorageResult<Option<Grant>> {
        let writes = self.generation.now();
        if let Some(grant) = self.found.get(id, writes) {
            return Ok(Some(grant));
        }
        let found = self.inner.find_grant(id).await?;
        match &found {
            Some(grant) => self.found.keep(id, writes, grant),
            None => self.found.forget(id),
        }
        Ok(found)
    }

    async fn list_session_grants(&self, session_id: &str) -> StorageResult<Vec<Grant>> {
        self.inner.list_session_grants(session_id).await
    }

    async fn revoke_grant(&self, id: &str, now: i64) -> StorageResult<bool> {
        let _changing = self.changing();
        self.inner.revoke_grant(id, now).await
    }

    async fn revoke_refresh_grant(
        &self,
        token_hash: &str,
        client_id: &str,
        now: i64,
    ) -> StorageResult<bool> {
        let _changing = self.changing();
        self.inner
            .revoke_refresh_grant(token_hash, client_id, now)
            .await
    }

    async fn revoke_user_grants(&self, user_id: &str, now: i64) -> StorageResult<u64> {
        let _changing = self.changing();
        self.inner.revoke_user_grants(user_id, now).await
    }

    async fn list_user_grants(
        &self,
        user_id: &str,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<Grant>> {
        self.inner.list_user_grants(user_id, offset, limit).await
    }

    async fn revoke_client_grants(
        &self,
        user_id: Option<&str>,
        client_id: &str,
        now: i64,
    ) -> StorageResult<u64> {
        let _changing = self.changing();
        self.inner
            .revoke_client_grants(user_id, client_id, now)
            .await
    }

    async fn revoke_org_grants(
        &self,
        org_id: &str,
        user_id: Option<&str>,
        keep_clients: &[String],
        now: i64,
    ) -> StorageResult<u64> {
        let _changing = self.changing();
        self.inner
            .revoke_org_grants(org_id, user_id, keep_clients, now)
            .await
    }

    async fn insert_refresh_token(&self, token: &RefreshToken) -> StorageResult<()> {
        self.inner.insert_refresh_token(token).await
    }

    async fn find_refresh_token(&self, token_hash: &str) -> StorageResult<Option<RefreshToken>> {
        self.inner.find_refresh_token(token_hash).await
    }

    /// Marks the token used; a replay then revokes the grant through this wrapper.
    async fn use_refresh_token(
        &self,
        token_hash: &str,
        by: RefreshPresenter<'_>,
        successor: Option<&RefreshToken>,
    ) -> StorageResult<RefreshUse> {
        self.inner
            .use_refresh_token(token_hash, by, successor)
            .await
    }
}
