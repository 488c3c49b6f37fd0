//! [`OrgStore`] on SQL. Membership changes that touch the admin role run in a transaction
//! whose first write is the conditional `admin_count` update, so two requests removing the
//! last two admins at once cannot both succeed.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
    sea_query::{Expr, ExprTrait},
};

use super::{FirstRow, SqlStore, from_json, map_err, to_json};
use crate::storage::{
    Invitation, MemberChange, Membership, OrgStore, Organization, Page, StorageError,
    StorageResult, entity,
};

use entity::{invitations, memberships, organizations};

fn org_from(m: organizations::Model) -> Organization {
    Organization {
        id: m.id,
        name: m.name,
        business_id: m.business_id,
        status: m.status,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn member_from(m: memberships::Model) -> StorageResult<Membership> {
    Ok(Membership {
        roles: from_json("memberships.roles", &m.roles)?,
        services: from_json("memberships.services", &m.services)?,
        org_id: m.org_id,
        user_id: m.user_id,
        created_at: m.created_at,
    })
}

fn invitation_from(m: invitations::Model) -> StorageResult<Invitation> {
    Ok(Invitation {
        roles: from_json("invitations.roles", &m.roles)?,
        services: from_json("invitations.services", &m.services)?,
        id: m.id,
        token_hash: m.token_hash,
        org_id: m.org_id,
        email: m.email,
        created_at: m.created_at,
        expires_at: m.expires_at,
        accepted_at: m.accepted_at,
    })
}

/// Adds `delta` to the organisation's admin count; a decrement only while more than one
/// admin remains. Returns whether the row changed.
async fn shift_admins(
    db: &impl ConnectionTrait,
    org_id: &str,
    delta: i64,
) -> Result<bool, sea_orm::DbErr> {
    use organizations::Column;
    let mut q = organizations::Entity::update_many()
        .col_expr(Column::AdminCount, Expr::col(Column::AdminCount).add(delta))
        .filter(Column::Id.eq(org_id));
    if delta < 0 {
        q = q.filter(Column::AdminCount.gt(1));
    }
    Ok(q.exec(db).await?.rows_affected == 1)
}

#[async_trait]
impl OrgStore for SqlStore {
    async fn create_org(&self, o: &Organization) -> StorageResult<()> {
        let model = organizations::ActiveModel {
            id: Set(o.id.clone()),
            name: Set(o.name.clone()),
            business_id: Set(o.business_id.clone()),
            status: Set(o.status.clone()),
            admin_count: Set(0),
            created_at: Set(o.created_at),
            updated_at: Set(o.updated_at),
        };
        organizations::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_org(&self, id: &str) -> StorageResult<Option<Organization>> {
        Ok(organizations::Entity::find_by_id(id.to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(org_from))
    }

    async fn list_orgs(&self, offset: u64, limit: u64) -> StorageResult<Page<Organization>> {
        use organizations::Column;
        let q = organizations::Entity::find()
            .order_by_asc(Column::Name)
            .order_by_asc(Column::Id);
        self.page(q, offset, limit, |m| Ok(org_from(m))).await
    }

    async fn update_org(&self, o: &Organization) -> StorageResult<bool> {
        use organizations::Column;
        let res = organizations::Entity::update_many()
            .col_expr(Column::Name, Expr::value(o.name.clone()))
            .col_expr(Column::BusinessId, Expr::value(o.business_id.clone()))
            .col_expr(Column::Status, Expr::value(o.status.clone()))
            .col_expr(Column::UpdatedAt, Expr::value(o.updated_at))
            .filter(Column::Id.eq(&o.id))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn delete_org(&self, id: &str) -> StorageResult<bool> {
        let txn = self.writer.begin().await.map_err(|e| self.fail(e))?;
        memberships::Entity::delete_many()
            .filter(memberships::Column::OrgId.eq(id))
            .exec(&txn)
            .await
            .map_err(|e| self.fail(e))?;
        invitations::Entity::delete_many()
            .filter(invitations::Column::OrgId.eq(id))
            .exec(&txn)
            .await
            .map_err(|e| self.fail(e))?;
        let res = organizations::Entity::delete_by_id(id.to_owned())
            .exec(&txn)
            .await
            .map_err(|e| self.fail(e))?;
        txn.commit().await.map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn add_member(&self, m: &Membership) -> StorageResult<()> {
        let txn = self.writer.begin().await.map_err(|e| self.fail(e))?;
        let model = memberships::ActiveModel {
            org_id: Set(m.org_id.clone()),
            user_id: Set(m.user_id.clone()),
            roles: Set(to_json(&m.roles)),
            services: Set(to_json(&m.services)),
            is_admin: Set(m.is_admin()),
            created_at: Set(m.created_at),
        };
        memberships::Entity::insert(model)
            .exec_without_returning(&txn)
            .await
            .map_err(map_err)?;
        if m.is_admin()
            && !shift_admins(&txn, &m.org_id, 1)
                .await
                .map_err(|e| self.fail(e))?
        {
            return Err(StorageError::NotFound);
        }
        txn.commit().await.map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_member(&self, org_id: &str, user_id: &str) -> StorageResult<Option<Membership>> {
        memberships::Entity::find_by_id((org_id.to_owned(), user_id.to_owned()))
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(member_from)
            .transpose()
    }

    async fn list_members(
        &self,
        org_id: &str,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<Membership>> {
        use memberships::Column;
        let q = memberships::Entity::find()
            .filter(Column::OrgId.eq(org_id))
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::UserId);
        self.page(q, offset, limit, member_from).await
    }

    async fn memberships_of(&self, user_id: &str) -> StorageResult<Vec<Membership>> {
        use memberships::Column;
        memberships::Entity::find()
            .filter(Column::UserId.eq(user_id))
            .order_by_asc(Column::CreatedAt)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(member_from)
            .collect()
    }

    async fn update_member(&self, m: &Membership) -> StorageResult<MemberChange> {
        // A change racing this one (PostgreSQL runs them side by side) may flip the member's
        // admin flag after we read it: the write is conditional on the flag read, and on a
        // miss the transaction (with its count shift) is rolled back and the change retried.
        for _ in 0..RACE_RETRIES {
            if let Some(done) = self
                .try_change_member(&m.org_id, &m.user_id, Some(m))
                .await?
            {
                return Ok(done);
            }
        }
        Err(StorageError::Conflict)
    }

    async fn remove_member(&self, org_id: &str, user_id: &str) -> StorageResult<MemberChange> {
        // As in `update_member`: the delete is conditional on the admin flag read.
        for _ in 0..RACE_RETRIES {
            if let Some(done) = self.try_change_member(org_id, user_id, None).await? {
                return Ok(done);
            }
        }
        Err(StorageError::Conflict)
    }

    async fn create_invitation(&self, i: &Invitation) -> StorageResult<()> {
        let model = invitations::ActiveModel {
            token_hash: Set(i.token_hash.clone()),
            id: Set(i.id.clone()),
            org_id: Set(i.org_id.clone()),
            email: Set(i.email.clone()),
            roles: Set(to_json(&i.roles)),
            services: Set(to_json(&i.services)),
            created_at: Set(i.created_at),
            expires_at: Set(i.expires_at),
            accepted_at: Set(i.accepted_at),
        };
        invitations::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_invitation(&self, token_hash: &str) -> StorageResult<Option<Invitation>> {
        invitations::Entity::find_by_id(token_hash.to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(invitation_from)
            .transpose()
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StorageResult<Option<Invitation>> {
        use invitations::Column;
        let res = invitations::Entity::update_many()
            .col_expr(Column::AcceptedAt, Expr::value(now))
            .filter(Column::TokenHash.eq(token_hash))
            .filter(Column::AcceptedAt.is_null())
            .filter(Column::ExpiresAt.gt(now))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        if res.rows_affected != 1 {
            return Ok(None);
        }
        self.find_invitation(token_hash).await
    }
}

/// How often a membership change is retried when another change of the same member won.
const RACE_RETRIES: usize = 5;

impl SqlStore {
    /// One attempt of a member's change: `to` is the new membership, `None` removes it.
    /// `None` when the member's admin flag changed under it (nothing written).
    async fn try_change_member(
        &self,
        org_id: &str,
        user_id: &str,
        to: Option<&Membership>,
    ) -> StorageResult<Option<MemberChange>> {
        use memberships::Column;
        let txn = self.writer.begin().await.map_err(|e| self.fail(e))?;
        let Some(old) = memberships::Entity::find_by_id((org_id.to_owned(), user_id.to_owned()))
            .one(&txn)
            .await
            .map_err(|e| self.fail(e))?
        else {
            return Ok(Some(MemberChange::NotFound));
        };
        let delta = i64::from(to.is_some_and(Membership::is_admin)) - i64::from(old.is_admin);
        if delta != 0
            && !shift_admins(&txn, org_id, delta)
                .await
                .map_err(|e| self.fail(e))?
        {
            return Ok(Some(MemberChange::LastAdmin));
        }
        let this = Condition::all()
            .add(Column::OrgId.eq(org_id))
            .add(Column::UserId.eq(user_id))
            .add(Column::IsAdmin.eq(old.is_admin));
        let written = match to {
            Some(m) => memberships::Entity::update_many()
                .col_expr(Column::Roles, Expr::value(to_json(&m.roles)))
                .col_expr(Column::Services, Expr::value(to_json(&m.services)))
                .col_expr(Column::IsAdmin, Expr::value(m.is_admin()))
                .filter(this)
                .exec(&txn)
                .await
                .map(|r| r.rows_affected),
            None => memberships::Entity::delete_many()
                .filter(this)
                .exec(&txn)
                .await
                .map(|r| r.rows_affected),
        }
        .map_err(|e| self.fail(e))?;
        if written != 1 {
            return Ok(None);
        }
        txn.commit().await.map_err(|e| self.fail(e))?;
        Ok(Some(MemberChange::Done))
    }
}
