//! [`GrantStore`] on SQL: grants and their rotating refresh tokens.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QueryTrait, Statement,
    sea_query::{Alias, Asterisk, CommonTableExpression, Expr, ExprTrait, Query, UpdateStatement},
};

use super::{FirstRow, SqlStore, from_json, scope_of, to_json};
use crate::storage::{
    Grant, GrantStore, Page, RefreshPresenter, RefreshToken, RefreshUse, StorageResult, entity,
};

fn grant_from(m: entity::grants::Model) -> StorageResult<Grant> {
    Ok(Grant {
        amr: from_json("grants.amr", &m.amr)?,
        claims: match m.claims {
            Some(c) => Some(from_json("grants.claims", &c)?),
            None => None,
        },
        scope: scope_of(&m.scope),
        id: m.id,
        client_id: m.client_id,
        user_id: m.user_id,
        session_id: m.session_id,
        auth_time: m.auth_time,
        acr: m.acr,
        created_at: m.created_at,
        revoked_at: m.revoked_at,
        org_id: m.org_id,
    })
}

fn refresh_from(m: entity::refresh_tokens::Model) -> RefreshToken {
    RefreshToken {
        scope: scope_of(&m.scope),
        token_hash: m.token_hash,
        grant_id: m.grant_id,
        client_id: m.client_id,
        created_at: m.created_at,
        expires_at: m.expires_at,
        used_at: m.used_at,
        jkt: m.jkt,
    }
}

#[async_trait]
impl GrantStore for SqlStore {
    async fn create_grant(&self, g: &Grant) -> StorageResult<()> {
        let model = entity::grants::ActiveModel {
            id: Set(g.id.clone()),
            client_id: Set(g.client_id.clone()),
            user_id: Set(g.user_id.clone()),
            session_id: Set(g.session_id.clone()),
            scope: Set(g.scope.to_string()),
            auth_time: Set(g.auth_time),
            acr: Set(g.acr.clone()),
            amr: Set(to_json(&g.amr)),
            claims: Set(g.claims.as_ref().map(to_json)),
            created_at: Set(g.created_at),
            revoked_at: Set(g.revoked_at),
            org_id: Set(g.org_id.clone()),
        };
        entity::grants::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_grant(&self, id: &str) -> StorageResult<Option<Grant>> {
        entity::grants::Entity::find_by_id(id.to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(grant_from)
            .transpose()
    }

    async fn list_session_grants(&self, session_id: &str) -> StorageResult<Vec<Grant>> {
        use entity::grants::Column;
        entity::grants::Entity::find()
            .filter(Column::SessionId.eq(session_id))
            .order_by_asc(Column::CreatedAt)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(grant_from)
            .collect()
    }

    async fn revoke_grant(&self, id: &str, now: i64) -> StorageResult<bool> {
        use entity::grants::Column;
        let res = entity::grants::Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(now))
            .filter(Column::Id.eq(id))
            .filter(Column::RevokedAt.is_null())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn revoke_refresh_grant(
        &self,
        token_hash: &str,
        client_id: &str,
        now: i64,
    ) -> StorageResult<bool> {
        use entity::grants::Column;
        use entity::refresh_tokens::{Column as R, Entity as RefreshTokens};
        let res = entity::grants::Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(now))
            .filter(Column::RevokedAt.is_null())
            .filter(
                Column::Id.in_subquery(
                    Query::select()
                        .column(R::GrantId)
                        .from(RefreshTokens)
                        .and_where(R::TokenHash.eq(token_hash))
                        .and_where(R::ClientId.eq(client_id))
                        .to_owned(),
                ),
            )
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected > 0)
    }

    async fn revoke_user_grants(&self, user_id: &str, now: i64) -> StorageResult<u64> {
        use entity::grants::Column;
        let res = entity::grants::Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(now))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::RevokedAt.is_null())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected)
    }

    async fn list_user_grants(
        &self,
        user_id: &str,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<Grant>> {
        use entity::grants::Column;
        let q = entity::grants::Entity::find()
            .filter(Column::UserId.eq(user_id))
            .filter(Column::RevokedAt.is_null())
            .order_by_desc(Column::CreatedAt)
            .order_by_asc(Column::Id);
        self.page(q, offset, limit, grant_from).await
    }

    async fn revoke_client_grants(
        &self,
        user_id: Option<&str>,
        client_id: &str,
        now: i64,
    ) -> StorageResult<u64> {
        use entity::grants::Column;
        let mut update = entity::grants::Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(now))
            .filter(Column::ClientId.eq(client_id));
        if let Some(u) = user_id {
            update = update.filter(Column::UserId.eq(u));
        }
        let res = update
            .filter(Column::RevokedAt.is_null())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected)
    }

    async fn revoke_org_grants(
        &self,
        org_id: &str,
        user_id: Option<&str>,
        keep_clients: &[String],
        now: i64,
    ) -> StorageResult<u64> {
        use entity::grants::Column;
        let mut q = entity::grants::Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(now))
            .filter(Column::OrgId.eq(org_id))
            .filter(Column::RevokedAt.is_null());
        if let Some(u) = user_id {
            q = q.filter(Column::UserId.eq(u));
        }
        if !keep_clients.is_empty() {
            q = q.filter(Column::ClientId.is_not_in(keep_clients.iter().cloned()));
        }
        let res = q.exec(&self.writer).await.map_err(|e| self.fail(e))?;
        Ok(res.rows_affected)
    }

    async fn insert_refresh_token(&self, t: &RefreshToken) -> StorageResult<()> {
        let model = entity::refresh_tokens::ActiveModel {
            token_hash: Set(t.token_hash.clone()),
            grant_id: Set(t.grant_id.clone()),
            client_id: Set(t.client_id.clone()),
            scope: Set(t.scope.to_string()),
            created_at: Set(t.created_at),
            expires_at: Set(t.expires_at),
            used_at: Set(t.used_at),
            jkt: Set(t.jkt.clone()),
        };
        entity::refresh_tokens::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_refresh_token(&self, token_hash: &str) -> StorageResult<Option<RefreshToken>> {
        Ok(
            entity::refresh_tokens::Entity::find_by_id(token_hash.to_owned())
                .first(&self.db)
                .await
                .map_err(|e| self.fail(e))?
                .map(refresh_from),
        )
    }

    async fn use_refresh_token(
        &self,
        token_hash: &str,
        by: RefreshPresenter<'_>,
        successor: Option<&RefreshToken>,
    ) -> StorageResult<RefreshUse> {
        use entity::refresh_tokens::Column;
        // The conditional UPDATE is the atomic step: the database lets exactly one caller
        // move used_at from NULL, whatever the number of nodes. RETURNING makes the usual
        // case one statement; the record is read again only to say why it was refused.
        let key = match by.jkt {
            Some(jkt) => Condition::any()
                .add(Column::Jkt.is_null())
                .add(Column::Jkt.eq(jkt)),
            None => Condition::all().add(Column::Jkt.is_null()),
        };
        // The grant's revocation is read here, on the primary, in the same statement: a
        // node's remembered grant (`grant_cache`) may not show another node's revocation
        // yet, and a replay caught there must stop the family's newest token here too.
        use entity::grants::{Column as G, Entity as Grants};
        let grant_live = Expr::exists(
            Query::select()
                .expr(Expr::value(1))
                .from(Grants)
                .and_where(
                    Expr::col((Grants, G::Id))
                        .equals((entity::refresh_tokens::Entity, Column::GrantId)),
                )
                .and_where(Expr::col((Grants, G::RevokedAt)).is_null())
                .to_owned(),
        );
        let mut consume = entity::refresh_tokens::Entity::update_many()
            .col_expr(Column::UsedAt, Expr::value(by.now))
            .filter(Column::TokenHash.eq(token_hash))
            .filter(Column::UsedAt.is_null())
            .filter(Column::ClientId.eq(by.client_id))
            .filter(Column::ExpiresAt.gt(by.now))
            .filter(key)
            .filter(grant_live);
        if let Some(next) = successor {
            consume = consume.filter(Column::GrantId.eq(&next.grant_id));
        }
        let mut consume = consume.into_query();
        consume.returning_all();
        let backend = self.writer.get_database_backend();
        let statement = match successor {
            None => backend.build(&consume),
            Some(next) => consume_and_store(backend, consume, next),
        };
        let consumed = match &self.consumptions {
            Some(batcher) => batcher.consume(statement, token_hash).await,
            None => self.writer.query_all_raw(statement).await,
        }
        .map_err(|e| self.fail(e))?;
        if let Some(row) = consumed.first() {
            let m = entity::refresh_tokens::Model::from_query_result(row, "")
                .map_err(|e| self.fail(e))?;
            return Ok(RefreshUse::Consumed(refresh_from(m)));
        }
        Ok(match self.find_refresh_token(token_hash).await? {
            Some(token) => RefreshUse::Refused(token),
            None => RefreshUse::Unknown,
        })
    }
}

/// `consume` (an `UPDATE … RETURNING` of at most one token) and the insertion of `next`
/// when it consumed one, as one request to the database: rotation's two writes in one
/// round trip (one hand-off to SQLite's connection thread). On SQLite two statements in one
/// string, the second conditional on the first having changed a row (`changes()`, which
/// counts the last statement of this connection, and nothing runs between the two); on
/// PostgreSQL one statement, the insertion a data-modifying CTE fed by the consumed row.
fn consume_and_store(
    backend: DbBackend,
    consume: UpdateStatement,
    next: &RefreshToken,
) -> Statement {
    use entity::refresh_tokens::{Column, Entity as Tokens};
    let values = [
        Expr::val(next.token_hash.clone()),
        Expr::val(next.grant_id.clone()),
        Expr::val(next.client_id.clone()),
        Expr::val(next.scope.to_string()),
        Expr::val(next.created_at),
        Expr::val(next.expires_at),
        Expr::val(next.used_at),
        Expr::val(next.jkt.clone()),
    ];
    let columns = [
        Column::TokenHash,
        Column::GrantId,
        Column::ClientId,
        Column::Scope,
        Column::CreatedAt,
        Column::ExpiresAt,
        Column::UsedAt,
        Column::Jkt,
    ];
    let mut row = Query::select();
    row.exprs(values);
    let mut insert = Query::insert();
    insert.into_table(Tokens).columns(columns);
    if backend == DbBackend::Postgres {
        let used = Alias::new("used");
        row.from(used.clone());
        insert.select_from(row).expect("as many values as columns");
        let with = Query::with()
            .cte(
                CommonTableExpression::new()
                    .query(consume)
                    .table_name(used.clone())
                    .to_owned(),
            )
            .cte(
                CommonTableExpression::new()
                    .query(insert)
                    .table_name(Alias::new("successor"))
                    .to_owned(),
            )
            .to_owned();
        return backend.build(
            &Query::select()
                .column(Asterisk)
                .from(used)
                .to_owned()
                .with(with),
        );
    }
    row.and_where(Expr::cust("changes() = 1"));
    insert.select_from(row).expect("as many values as columns");
    let first = backend.build(&consume);
    let second = backend.build(&insert);
    let mut values = first.values.map(|v| v.0).unwrap_or_default();
    values.extend(second.values.map(|v| v.0).unwrap_or_default());
    Statement::from_sql_and_values(backend, format!("{}; {}", first.sql, second.sql), values)
}
