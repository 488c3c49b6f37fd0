//! The consents and the account console's own data on SQL: favourite services and the
//! erasure of a deleted account.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};

use super::{FirstRow, SqlStore, scope_of};
use crate::storage::{AccountStore, Consent, ConsentStore, StorageResult, entity};

use entity::{
    audit_events, consents, credentials, favourites, grants, memberships, refresh_tokens,
    user_sessions, users,
};

fn consent_from(m: consents::Model) -> Consent {
    Consent {
        scope: scope_of(&m.scope),
        claims: m.claims.split_whitespace().map(str::to_owned).collect(),
        user_id: m.user_id,
        client_id: m.client_id,
        granted_at: m.granted_at,
    }
}

#[async_trait]
impl ConsentStore for SqlStore {
    async fn find_consent(&self, user_id: &str, client_id: &str) -> StorageResult<Option<Consent>> {
        Ok(
            consents::Entity::find_by_id((user_id.to_owned(), client_id.to_owned()))
                .first(&self.db)
                .await
                .map_err(|e| self.fail(e))?
                .map(consent_from),
        )
    }

    async fn save_consent(&self, c: &Consent) -> StorageResult<()> {
        use consents::Column;
        let model = consents::ActiveModel {
            user_id: Set(c.user_id.clone()),
            client_id: Set(c.client_id.clone()),
            scope: Set(c.scope.to_string()),
            claims: Set(c
                .claims
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ")),
            granted_at: Set(c.granted_at),
        };
        consents::Entity::insert(model)
            .on_conflict(
                OnConflict::columns([Column::UserId, Column::ClientId])
                    .update_columns([Column::Scope, Column::Claims, Column::GrantedAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn revoke_consent(&self, user_id: &str, client_id: &str) -> StorageResult<()> {
        consents::Entity::delete_by_id((user_id.to_owned(), client_id.to_owned()))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn list_consents(&self, user_id: &str) -> StorageResult<Vec<Consent>> {
        Ok(consents::Entity::find()
            .filter(consents::Column::UserId.eq(user_id))
            .order_by_desc(consents::Column::GrantedAt)
            .order_by_asc(consents::Column::ClientId)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(consent_from)
            .collect())
    }
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn add_favourite(&self, user_id: &str, client_id: &str, now: i64) -> StorageResult<()> {
        let model = favourites::ActiveModel {
            user_id: Set(user_id.to_owned()),
            client_id: Set(client_id.to_owned()),
            created_at: Set(now),
        };
        favourites::Entity::insert(model)
            .on_conflict(
                OnConflict::columns([favourites::Column::UserId, favourites::Column::ClientId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn remove_favourite(&self, user_id: &str, client_id: &str) -> StorageResult<bool> {
        let res = favourites::Entity::delete_by_id((user_id.to_owned(), client_id.to_owned()))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected > 0)
    }

    async fn list_favourites(&self, user_id: &str) -> StorageResult<Vec<String>> {
        Ok(favourites::Entity::find()
            .filter(favourites::Column::UserId.eq(user_id))
            .order_by_asc(favourites::Column::CreatedAt)
            .order_by_asc(favourites::Column::ClientId)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(|m| m.client_id)
            .collect())
    }

    async fn deletion_due(&self, before: i64) -> StorageResult<Vec<String>> {
        users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .filter(users::Column::DeletionRequestedAt.lte(before))
            .into_tuple::<String>()
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))
    }

    async fn erase_user(&self, user_id: &str) -> StorageResult<()> {
        let fail = |e| self.fail(e);
        let grant_ids: Vec<String> = grants::Entity::find()
            .select_only()
            .column(grants::Column::Id)
            .filter(grants::Column::UserId.eq(user_id))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(fail)?;
        if !grant_ids.is_empty() {
            refresh_tokens::Entity::delete_many()
                .filter(refresh_tokens::Column::GrantId.is_in(grant_ids))
                .exec(&self.writer)
                .await
                .map_err(fail)?;
        }
        grants::Entity::delete_many()
            .filter(grants::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        credentials::Entity::delete_many()
            .filter(credentials::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        consents::Entity::delete_many()
            .filter(consents::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        favourites::Entity::delete_many()
            .filter(favourites::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        user_sessions::Entity::delete_many()
            .filter(user_sessions::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        memberships::Entity::delete_many()
            .filter(memberships::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        audit_events::Entity::update_many()
            .col_expr(
                audit_events::Column::Email,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                audit_events::Column::Ip,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                audit_events::Column::UserAgent,
                Expr::value(Option::<String>::None),
            )
            .filter(audit_events::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        // The old logins lose everything personal but their (service, username) key and the
        // import's digest: a re-import of the same export then skips them instead of
        // bringing the erased identity back with its name and old password.
        {
            use entity::legacy_accounts::{Column as L, Entity as Legacy};
            let none = || sea_orm::sea_query::Expr::value(Option::<String>::None);
            Legacy::update_many()
                .col_expr(L::UserId, none())
                .col_expr(L::PasswordHash, none())
                .col_expr(L::Email, none())
                .col_expr(L::GivenName, none())
                .col_expr(L::FamilyName, none())
                .col_expr(L::Phone, none())
                .filter(L::UserId.eq(user_id))
                .exec(&self.writer)
                .await
                .map_err(fail)?;
        }
        // The user last: an interrupted erasure is found and finished by the next purge.
        users::Entity::delete_by_id(user_id.to_owned())
            .exec(&self.writer)
            .await
            .map_err(fail)?;
        Ok(())
    }
}
