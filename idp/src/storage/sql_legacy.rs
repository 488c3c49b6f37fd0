//! [`LegacyStore`] on SQL. The import writes a batch per transaction with multi-row
//! inserts: a million accounts are a few thousand statements, not a few million.

use std::collections::BTreeMap;

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};

use super::SqlStore;
use crate::storage::{
    LegacyAccount, LegacyBatch, LegacyKey, LegacyStore, StorageResult, entity, legacy::username_key,
};

use entity::legacy_accounts::{self, Column as C};
use entity::users;

/// Rows per multi-row insert: well under SQLite's 32,766 bound parameters for the users
/// table's 28 columns.
const ROWS_PER_INSERT: usize = 500;

fn account_from(m: legacy_accounts::Model) -> LegacyAccount {
    LegacyAccount {
        service: m.service,
        username: m.username,
        user_id: m.user_id,
        email: m.email,
        email_verified: m.email_verified,
        given_name: m.given_name,
        family_name: m.family_name,
        phone: m.phone,
        password_hash: m.password_hash,
        digest: m.digest,
        legacy_created_at: m.legacy_created_at,
        imported_at: m.imported_at,
        migrated_at: m.migrated_at,
    }
}

fn active(a: &LegacyAccount) -> legacy_accounts::ActiveModel {
    legacy_accounts::ActiveModel {
        service: Set(a.service.clone()),
        username_key: Set(username_key(&a.username)),
        username: Set(a.username.clone()),
        user_id: Set(a.user_id.clone()),
        email: Set(a.email.clone()),
        email_verified: Set(a.email_verified),
        given_name: Set(a.given_name.clone()),
        family_name: Set(a.family_name.clone()),
        phone: Set(a.phone.clone()),
        password_hash: Set(a.password_hash.clone()),
        digest: Set(a.digest.clone()),
        legacy_created_at: Set(a.legacy_created_at),
        imported_at: Set(a.imported_at),
        migrated_at: Set(a.migrated_at),
    }
}

fn key_is(key: &LegacyKey) -> Condition {
    Condition::all()
        .add(C::Service.eq(key.service.as_str()))
        .add(C::UsernameKey.eq(key.username_key.as_str()))
}

#[async_trait]
impl LegacyStore for SqlStore {
    async fn find_legacy(&self, keys: &[LegacyKey]) -> StorageResult<Vec<LegacyAccount>> {
        // One `service = ? AND username_key IN (…)` per service, so the primary key serves.
        let mut by_service: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for k in keys {
            by_service
                .entry(k.service.as_str())
                .or_default()
                .push(k.username_key.as_str());
        }
        let mut found = Vec::new();
        for (service, names) in by_service {
            for chunk in names.chunks(ROWS_PER_INSERT) {
                let rows = legacy_accounts::Entity::find()
                    .filter(C::Service.eq(service))
                    .filter(C::UsernameKey.is_in(chunk.iter().copied()))
                    .all(&self.db)
                    .await
                    .map_err(|e| self.fail(e))?;
                found.extend(rows.into_iter().map(account_from));
            }
        }
        Ok(found)
    }

    async fn user_ids_by_email(&self, emails: &[String]) -> StorageResult<Vec<(String, String)>> {
        let mut found = Vec::new();
        for chunk in emails.chunks(ROWS_PER_INSERT) {
            let rows: Vec<(String, String)> = users::Entity::find()
                .select_only()
                .column(users::Column::Email)
                .column(users::Column::Id)
                .filter(users::Column::Email.is_in(chunk.iter().map(String::as_str)))
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(|e| self.fail(e))?;
            found.extend(rows);
        }
        Ok(found)
    }

    async fn import_legacy(&self, batch: &LegacyBatch) -> StorageResult<()> {
        if self.writer.get_database_backend() == DatabaseBackend::Sqlite {
            // A batch inserts into nine B-trees at scattered places (random ids, addresses):
            // with SQLite's default 2 MB page cache most rows re-read their pages from the
            // kernel, which was half the import's time. Only `idp import` writes batches, so
            // the server's writer keeps its small cache.
            self.writer
                .execute_unprepared("PRAGMA cache_size = -65536")
                .await
                .map_err(|e| self.fail(e))?;
        }
        let txn = self.writer.begin().await.map_err(|e| self.fail(e))?;
        for chunk in batch.users.chunks(ROWS_PER_INSERT) {
            users::Entity::insert_many(chunk.iter().map(super::users::active))
                .exec_without_returning(&txn)
                .await
                .map_err(|e| self.fail(e))?;
        }
        for chunk in batch.accounts.chunks(ROWS_PER_INSERT) {
            legacy_accounts::Entity::insert_many(chunk.iter().map(active))
                .exec_without_returning(&txn)
                .await
                .map_err(|e| self.fail(e))?;
        }
        txn.commit().await.map_err(|e| self.fail(e))
    }

    async fn legacy_by_username(
        &self,
        username_key: &str,
        service: Option<&str>,
    ) -> StorageResult<Vec<LegacyAccount>> {
        let mut q = legacy_accounts::Entity::find().filter(C::UsernameKey.eq(username_key));
        if let Some(s) = service {
            q = q.filter(C::Service.eq(s));
        }
        Ok(q.order_by_asc(C::Service)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(account_from)
            .collect())
    }

    async fn legacy_of_user(&self, user_id: &str) -> StorageResult<Vec<LegacyAccount>> {
        Ok(legacy_accounts::Entity::find()
            .filter(C::UserId.eq(user_id))
            .order_by_asc(C::Service)
            .order_by_asc(C::UsernameKey)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(account_from)
            .collect())
    }

    async fn attach_legacy(&self, key: &LegacyKey, user_id: &str) -> StorageResult<bool> {
        let r = legacy_accounts::Entity::update_many()
            .col_expr(C::UserId, Expr::value(user_id))
            .filter(key_is(key))
            .filter(C::UserId.is_null())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(r.rows_affected == 1)
    }

    async fn retire_legacy_password(
        &self,
        key: &LegacyKey,
        expected: &str,
        now: i64,
    ) -> StorageResult<bool> {
        let r = legacy_accounts::Entity::update_many()
            .col_expr(C::PasswordHash, Expr::value(Option::<String>::None))
            .col_expr(C::MigratedAt, Expr::value(now))
            .filter(key_is(key))
            .filter(C::PasswordHash.eq(expected))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(r.rows_affected == 1)
    }

    async fn retire_user_legacy_passwords(&self, user_id: &str, now: i64) -> StorageResult<u64> {
        let r = legacy_accounts::Entity::update_many()
            .col_expr(C::PasswordHash, Expr::value(Option::<String>::None))
            .col_expr(C::MigratedAt, Expr::value(now))
            .filter(C::UserId.eq(user_id))
            .filter(C::PasswordHash.is_not_null())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(r.rows_affected)
    }
}
