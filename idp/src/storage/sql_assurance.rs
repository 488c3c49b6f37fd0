//! The identity check and the password state of an account (`users` columns of migration
//! 12): how they map to a row, and their conditional writes.

use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use super::{SqlStore, entity};
use crate::{
    model::{IdentityCheck, ProofMethod},
    storage::{PasswordKind, StorageError, StorageResult},
};

use entity::users::Column as C;

/// The evidence held in a row; a method the code no longer knows reads as `other`, so a
/// recorded check is never silently lost.
pub(super) fn check_of(m: &entity::users::Model) -> Option<IdentityCheck> {
    let method = m.identity_method.as_deref()?;
    Some(IdentityCheck {
        method: ProofMethod::parse(method).unwrap_or(ProofMethod::Other),
        at: m.identity_checked_at.unwrap_or_default(),
        by_client: m.identity_checked_by_client.clone(),
        by_user: m.identity_checked_by_user.clone(),
        reference: m.identity_reference.clone(),
    })
}

/// The columns of `check` for an insert.
pub(super) type CheckColumns = (
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(super) fn columns_of(check: Option<&IdentityCheck>) -> CheckColumns {
    match check {
        Some(c) => (
            Some(c.method.as_str().to_owned()),
            Some(c.at),
            c.by_client.clone(),
            c.by_user.clone(),
            c.reference.clone(),
        ),
        None => (None, None, None, None, None),
    }
}

fn found(rows: u64) -> StorageResult<()> {
    if rows == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(())
    }
}

impl SqlStore {
    pub(super) async fn write_password(
        &self,
        id: &str,
        expected: Option<&str>,
        hash: &str,
        kind: PasswordKind,
        now: i64,
    ) -> StorageResult<bool> {
        let (required, expires) = match kind {
            PasswordKind::Chosen => (false, None),
            PasswordKind::Temporary { expires_at } => (true, Some(expires_at)),
        };
        let mut q = entity::users::Entity::update_many()
            .col_expr(C::PasswordHash, Expr::value(hash))
            .col_expr(C::PasswordChangeRequired, Expr::value(required))
            .col_expr(C::PasswordExpiresAt, Expr::value(expires))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .col_expr(C::Revision, Expr::col(C::Revision).add(1))
            .filter(C::Id.eq(id));
        if let Some(old) = expected {
            q = q.filter(C::PasswordHash.eq(old));
        }
        let res = q.exec(&self.writer).await.map_err(|e| self.fail(e))?;
        Ok(res.rows_affected > 0)
    }

    pub(super) async fn write_change_required(
        &self,
        id: &str,
        required: bool,
        now: i64,
    ) -> StorageResult<()> {
        let res = entity::users::Entity::update_many()
            .col_expr(C::PasswordChangeRequired, Expr::value(required))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .col_expr(C::Revision, Expr::col(C::Revision).add(1))
            .filter(C::Id.eq(id))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        found(res.rows_affected)
    }

    pub(super) async fn write_identity_check(
        &self,
        id: &str,
        check: Option<&IdentityCheck>,
        now: i64,
    ) -> StorageResult<()> {
        let (method, at, by_client, by_user, reference) = columns_of(check);
        let res = entity::users::Entity::update_many()
            .col_expr(C::IdentityMethod, Expr::value(method))
            .col_expr(C::IdentityCheckedAt, Expr::value(at))
            .col_expr(C::IdentityCheckedByClient, Expr::value(by_client))
            .col_expr(C::IdentityCheckedByUser, Expr::value(by_user))
            .col_expr(C::IdentityReference, Expr::value(reference))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .col_expr(C::Revision, Expr::col(C::Revision).add(1))
            .filter(C::Id.eq(id))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        found(res.rows_affected)
    }
}
