//! [`UserStore`] on SQL: accounts, their revision (every write bumps it; the management API's
//! conditional update checks it in the same statement) and the administrators' search.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, UpdateMany,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};

use super::{FirstRow, SqlStore};
use crate::{
    model::Assurance,
    storage::{Page, StorageError, StorageResult, User, UserFilter, UserStatus, UserStore, entity},
};

use entity::users::{self, Column as C};

fn user_from(m: users::Model) -> User {
    let identity_check = super::assurance::check_of(&m);
    User {
        id: m.id,
        email: m.email,
        email_verified: m.email_verified,
        password_hash: m.password_hash,
        given_name: m.given_name,
        family_name: m.family_name,
        phone: m.phone,
        phone_verified: m.phone_verified,
        locale: m.locale,
        disabled: m.disabled,
        created_at: m.created_at,
        updated_at: m.updated_at,
        birthdate: m.birthdate,
        street_address: m.street_address,
        postal_code: m.postal_code,
        locality: m.locality,
        country: m.country,
        terms_version: m.terms_version,
        terms_accepted_at: m.terms_accepted_at,
        deletion_requested_at: m.deletion_requested_at,
        revision: m.revision,
        identity_check,
        password_change_required: m.password_change_required,
        password_expires_at: m.password_expires_at,
    }
}

/// `%needle%` with the caller's `%`, `_` and `\` taken literally.
fn contains(needle: &str) -> LikeExpr {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    LikeExpr::new(p).escape('\\')
}

/// `column` holds `needle`, ignoring case (both sides lower-cased: PostgreSQL's LIKE minds
/// case, SQLite's does not).
fn holds(column: C, needle: &str) -> Condition {
    Condition::all()
        .add(Expr::expr(Func::lower(Expr::col(column))).like(contains(&needle.to_lowercase())))
}

fn matching(f: &UserFilter) -> Condition {
    let mut c = Condition::all();
    if let Some(email) = &f.email {
        c = c.add(holds(C::Email, email));
    }
    if let Some(phone) = &f.phone {
        c = c.add(Expr::col(C::Phone).like(contains(phone)));
    }
    if let Some(name) = &f.name {
        c = c.add(
            Condition::any()
                .add(holds(C::GivenName, name))
                .add(holds(C::FamilyName, name)),
        );
    }
    // The level as `User::assurance` computes it: evidence makes `verified`; without it,
    // both contacts confirmed make `basic`.
    let confirmed = || {
        Condition::all()
            .add(C::EmailVerified.eq(true))
            .add(C::PhoneVerified.eq(true))
    };
    let c = c.add_option(f.assurance.map(|a| {
        match a {
            Assurance::Verified => Condition::all().add(C::IdentityMethod.is_not_null()),
            Assurance::Basic => Condition::all()
                .add(C::IdentityMethod.is_null())
                .add(confirmed()),
            Assurance::Unverified => Condition::all()
                .add(C::IdentityMethod.is_null())
                .add(confirmed().not()),
        }
    }));
    c.add_option(f.status.map(|s| {
        match s {
            UserStatus::Active => Condition::all()
                .add(C::Disabled.eq(false))
                .add(C::DeletionRequestedAt.is_null()),
            UserStatus::Disabled => Condition::all()
                .add(C::Disabled.eq(true))
                .add(C::DeletionRequestedAt.is_null()),
            UserStatus::PendingDeletion => {
                Condition::all().add(C::DeletionRequestedAt.is_not_null())
            }
        }
    }))
}

/// Every field but the id, the password hash, the creation time and the revision, which
/// goes up by one.
fn write(u: &User) -> UpdateMany<users::Entity> {
    users::Entity::update_many()
        .col_expr(C::Email, Expr::value(u.email.clone()))
        .col_expr(C::EmailVerified, Expr::value(u.email_verified))
        .col_expr(C::GivenName, Expr::value(u.given_name.clone()))
        .col_expr(C::FamilyName, Expr::value(u.family_name.clone()))
        .col_expr(C::Phone, Expr::value(u.phone.clone()))
        .col_expr(C::PhoneVerified, Expr::value(u.phone_verified))
        .col_expr(C::Locale, Expr::value(u.locale.clone()))
        .col_expr(C::Disabled, Expr::value(u.disabled))
        .col_expr(C::UpdatedAt, Expr::value(u.updated_at))
        .col_expr(C::Birthdate, Expr::value(u.birthdate.clone()))
        .col_expr(C::StreetAddress, Expr::value(u.street_address.clone()))
        .col_expr(C::PostalCode, Expr::value(u.postal_code.clone()))
        .col_expr(C::Locality, Expr::value(u.locality.clone()))
        .col_expr(C::Country, Expr::value(u.country.clone()))
        .col_expr(C::TermsVersion, Expr::value(u.terms_version.clone()))
        .col_expr(C::TermsAcceptedAt, Expr::value(u.terms_accepted_at))
        .col_expr(C::DeletionRequestedAt, Expr::value(u.deletion_requested_at))
        .col_expr(C::Revision, Expr::col(C::Revision).add(1))
        .filter(C::Id.eq(u.id.as_str()))
}

/// The row of a new account.
pub(super) fn active(u: &User) -> users::ActiveModel {
    let (method, at, by_client, by_user, reference) =
        super::assurance::columns_of(u.identity_check.as_ref());
    users::ActiveModel {
        id: Set(u.id.clone()),
        email: Set(u.email.clone()),
        email_verified: Set(u.email_verified),
        password_hash: Set(u.password_hash.clone()),
        given_name: Set(u.given_name.clone()),
        family_name: Set(u.family_name.clone()),
        phone: Set(u.phone.clone()),
        phone_verified: Set(u.phone_verified),
        locale: Set(u.locale.clone()),
        disabled: Set(u.disabled),
        created_at: Set(u.created_at),
        updated_at: Set(u.updated_at),
        birthdate: Set(u.birthdate.clone()),
        street_address: Set(u.street_address.clone()),
        postal_code: Set(u.postal_code.clone()),
        locality: Set(u.locality.clone()),
        country: Set(u.country.clone()),
        terms_version: Set(u.terms_version.clone()),
        terms_accepted_at: Set(u.terms_accepted_at),
        deletion_requested_at: Set(u.deletion_requested_at),
        revision: Set(u.revision),
        identity_method: Set(method),
        identity_checked_at: Set(at),
        identity_checked_by_client: Set(by_client),
        identity_checked_by_user: Set(by_user),
        identity_reference: Set(reference),
        password_change_required: Set(u.password_change_required),
        password_expires_at: Set(u.password_expires_at),
    }
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, u: &User) -> StorageResult<()> {
        users::Entity::insert(active(u))
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_user(&self, id: &str) -> StorageResult<Option<User>> {
        Ok(users::Entity::find_by_id(id.to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(user_from))
    }

    async fn find_user_by_email(&self, email: &str) -> StorageResult<Option<User>> {
        Ok(users::Entity::find()
            .filter(C::Email.eq(email))
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(user_from))
    }

    async fn find_users_by_phone(&self, phone: &str) -> StorageResult<Vec<User>> {
        Ok(users::Entity::find()
            .filter(C::Phone.eq(phone))
            .order_by_asc(C::CreatedAt)
            .limit(20)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(user_from)
            .collect())
    }

    async fn set_password_hash(&self, id: &str, hash: &str, now: i64) -> StorageResult<()> {
        let chosen = crate::storage::PasswordKind::Chosen;
        if self.write_password(id, None, hash, chosen, now).await? {
            Ok(())
        } else {
            Err(StorageError::NotFound)
        }
    }

    async fn set_password(
        &self,
        id: &str,
        expected: Option<&str>,
        hash: &str,
        kind: crate::storage::PasswordKind,
        now: i64,
    ) -> StorageResult<bool> {
        self.write_password(id, expected, hash, kind, now).await
    }

    async fn require_password_change(
        &self,
        id: &str,
        required: bool,
        now: i64,
    ) -> StorageResult<()> {
        self.write_change_required(id, required, now).await
    }

    async fn set_identity_check(
        &self,
        id: &str,
        check: Option<&crate::model::IdentityCheck>,
        now: i64,
    ) -> StorageResult<()> {
        self.write_identity_check(id, check, now).await
    }

    async fn update_user(&self, u: &User) -> StorageResult<()> {
        let res = write(u)
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        if res.rows_affected == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn update_user_if(&self, u: &User, expected: i64) -> StorageResult<bool> {
        let res = write(u)
            .filter(C::Revision.eq(expected))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn search_users(
        &self,
        filter: &UserFilter,
        offset: u64,
        limit: u64,
    ) -> StorageResult<Page<User>> {
        let q = users::Entity::find()
            .filter(matching(filter))
            .order_by_asc(C::CreatedAt)
            .order_by_asc(C::Id);
        self.page(q, offset, limit, |m| Ok(user_from(m))).await
    }
}
