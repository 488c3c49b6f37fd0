//! The user store, counting its writes: [`super::read_path`] remembers the person records
//! userinfo shows for a moment, and forgets them all at once when a record changes through
//! this node (a profile edit, a password, an identity check). Every other reader of users
//! asks the database each time.

use std::sync::Arc;

use async_trait::async_trait;

use super::{
    IdentityCheck, Page, PasswordKind, StorageResult, User, UserFilter, UserStore,
    writes::Generation,
};

pub struct WatchedUsers {
    inner: Arc<dyn UserStore>,
    writes: Generation,
}

impl WatchedUsers {
    pub fn new(inner: Arc<dyn UserStore>, writes: Generation) -> WatchedUsers {
        WatchedUsers { inner, writes }
    }
}

#[async_trait]
impl UserStore for WatchedUsers {
    async fn create_user(&self, user: &User) -> StorageResult<()> {
        let _writing = self.writes.writing();
        self.inner.create_user(user).await
    }

    async fn find_user(&self, id: &str) -> StorageResult<Option<User>> {
        self.inner.find_user(id).await
    }

    async fn find_user_by_email(&self, email: &str) -> StorageResult<Option<User>> {
        self.inner.find_user_by_email(email).await
    }

    async fn find_users_by_phone(&self, phone: &str) -> StorageResult<Vec<User>> {
        self.inner.find_users_by_phone(phone).await
    }

    async fn set_password_hash(&self, id: &str, hash: &str, now: i64) -> StorageResult<()> {
        let _writing = self.writes.writing();
        self.inner.set_password_hash(id, hash, now).await
    }

    async fn set_password(
        &self,
        id: &str,
        expected: Option<&str>,
        hash: &str,
        kind: PasswordKind,
        now: i64,
    ) -> StorageResult<bool> {
        let _writing = self.writes.writing();
        self.inner.set_password(id, expected, hash, kind, now).await
    }

    async fn require_password_change(
        &self,
        id: &str,
        required: bool,
        now: i64,
    ) -> StorageResult<()> {
        let _writing = self.writes.writing();
        self.inner.require_password_change(id, required, now).await
    }

    async fn set_identity_check(
        &self,
        id: &str,
        check: Option<&IdentityCheck>,
        now: i64,
    ) -> StorageResult<()> {
        let _writing = self.writes.writing();
        self.inner.set_identity_check(id, check, now).await
    }

    async fn update_user(&self, user: &User) -> StorageResult<()> {
        let _writing = self.writes.writing();
        self.inner.update_user(user).await
    }

    async fn update_user_if(&self, user: &User, expected: i64) -> StorageResult<bool> {
        let _writing = self.writes.writing();
        self.inner.update_user_if(user, expected).await
    }

    async fn search_users(
        &self,
        filter: &UserFilter,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<User>> {
        self.inner.search_users(filter, offset, limit).await
    }
}
