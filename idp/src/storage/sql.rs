//! The durable stores on sea-orm: SQLite (embedded default) and PostgreSQL (production).

use std::time::Duration;

use async_trait::async_trait;
use migrations::{Migrator, MigratorTrait};
use prometheus_client::metrics::counter::Counter;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, RuntimeErr, SqlErr, sea_query::Expr,
    sea_query::OnConflict, sqlx,
};

use super::{
    AuditEvent, AuditFilter, AuditStore, Client, ClientStore, LockStore, StorageError,
    StorageResult, User, UserStore, entity,
};
use crate::model::oauth::{AccessTokenFormat, Scope};

// The credential store, in a file of its own; a child module so it shares the connection.
#[path = "sql_accounts.rs"]
mod accounts;
#[path = "sql_assurance.rs"]
mod assurance;
#[path = "sql_credentials.rs"]
mod credentials;
#[path = "sql_grants.rs"]
mod grants;
#[path = "sql_orgs.rs"]
mod orgs;
#[path = "sql_sessions.rs"]
mod sessions;

/// Pages of write-ahead log after which a committing connection checkpoints by itself.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 10_000;

#[derive(Clone)]
pub struct SqlStore {
    /// Reads (and, on PostgreSQL, everything).
    db: DatabaseConnection,
    /// Writes. On SQLite one connection: writers queue for it instead of colliding on the
    /// database lock, where SQLite's busy handler would sleep (1, 2, 5, 10… ms) and retry.
    writer: DatabaseConnection,
    /// Failed calls, exported as `postern_store_errors_total{store="database"}`.
    errors: Counter,
}

impl SqlStore {
    /// Connects with a bounded pool and timeouts, so an unreachable database turns into
    /// `Unavailable` within seconds instead of hanging requests.
    pub async fn connect(url: &str) -> StorageResult<SqlStore> {
        let sqlite = url.starts_with("sqlite:");
        let opts = |max: u32| {
            let mut opts = ConnectOptions::new(url.to_owned());
            opts.max_connections(max)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(3))
                .acquire_timeout(Duration::from_secs(3))
                .sqlx_logging(false);
            if sqlite {
                // WAL lets readers proceed while the writer commits; the busy timeout covers
                // other processes (the `idp` command) writing at the same time.
                opts.map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                        .busy_timeout(Duration::from_secs(5))
                        .foreign_keys(true)
                        // A serving node checkpoints in the background (`checkpoint`); the
                        // committing request only does it when the log has grown past this
                        // (about 40 MB), e.g. for the `idp` command alone.
                        .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
                });
            }
            opts
        };
        if sqlite {
            // The writer first: it creates the file and switches it to WAL.
            let writer = Database::connect(opts(1)).await.map_err(map_err)?;
            let db = Database::connect(opts(8)).await.map_err(map_err)?;
            Ok(SqlStore {
                db,
                writer,
                errors: Counter::default(),
            })
        } else {
            let db = Database::connect(opts(16)).await.map_err(map_err)?;
            Ok(SqlStore {
                writer: db.clone(),
                db,
                errors: Counter::default(),
            })
        }
    }

    /// Counts failures on `counter` (see `metrics`).
    pub fn with_error_counter(mut self, counter: Counter) -> SqlStore {
        self.errors = counter;
        self
    }

    fn fail(&self, e: DbErr) -> StorageError {
        self.errors.inc();
        map_err(e)
    }

    /// Creates or upgrades the schema.
    pub async fn migrate(&self) -> StorageResult<()> {
        Migrator::up(&self.writer, None)
            .await
            .map_err(|e| self.fail(e))
    }

    /// Copies the SQLite write-ahead log into the database file without waiting for
    /// anyone (PASSIVE), off the request path: left to SQLite, the request whose commit
    /// crosses the threshold pays for the copy and its fsync. Nothing on PostgreSQL.
    pub async fn checkpoint(&self) -> StorageResult<()> {
        if self.db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            return Ok(());
        }
        self.db
            .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
            .await
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }

    pub async fn ping(&self) -> StorageResult<()> {
        self.db.ping().await.map_err(|e| self.fail(e))
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// Sorts database failures into what callers can act on: a unique clash, an outage (503,
/// retried later) or a bug. The detail is for logs only.
pub(crate) fn map_err(e: DbErr) -> StorageError {
    if let Some(SqlErr::UniqueConstraintViolation(_)) = e.sql_err() {
        return StorageError::Conflict;
    }
    match &e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => StorageError::Unavailable(e.to_string()),
        DbErr::Exec(RuntimeErr::SqlxError(inner)) | DbErr::Query(RuntimeErr::SqlxError(inner))
            if matches!(
                inner.as_ref(),
                sqlx::Error::Io(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::WorkerCrashed
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::Protocol(_)
            ) =>
        {
            StorageError::Unavailable(e.to_string())
        }
        DbErr::RecordNotFound(_) => StorageError::NotFound,
        _ => StorageError::Internal(e.to_string()),
    }
}

/// At most one row, for look-ups by a unique key. Not sea-orm's `.one()`: it binds `LIMIT ?`,
/// and SQLite (bundled with STAT4) treats a re-bound LIMIT parameter as a reason to
/// re-prepare the statement, which then happens on every call and cost a third of the CPU
/// of a userinfo request.
pub(crate) trait FirstRow<E: EntityTrait> {
    fn first<'a>(
        self,
        db: &'a DatabaseConnection,
    ) -> impl std::future::Future<Output = Result<Option<E::Model>, DbErr>> + Send + 'a;
}

impl<E: EntityTrait> FirstRow<E> for sea_orm::Select<E>
where
    E::Model: Send + Sync,
{
    async fn first(self, db: &DatabaseConnection) -> Result<Option<E::Model>, DbErr> {
        Ok(self.all(db).await?.into_iter().next())
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn from_json<T: serde::de::DeserializeOwned>(column: &str, raw: &str) -> StorageResult<T> {
    serde_json::from_str(raw)
        .map_err(|e| StorageError::Internal(format!("column {column} holds invalid JSON: {e}")))
}

fn scope_of(raw: &str) -> Scope {
    Scope::parse(raw).unwrap_or_default()
}

fn client_from(m: entity::clients::Model) -> StorageResult<Client> {
    Ok(Client {
        redirect_uris: from_json("clients.redirect_uris", &m.redirect_uris)?,
        post_logout_redirect_uris: from_json(
            "clients.post_logout_redirect_uris",
            &m.post_logout_redirect_uris,
        )?,
        grant_types: from_json("clients.grant_types", &m.grant_types)?,
        scopes: scope_of(&m.scopes),
        id_token_alg: m.id_token_alg.as_deref().and_then(|a| a.parse().ok()),
        access_token_format: match m.access_token_format.as_str() {
            "opaque" => AccessTokenFormat::Opaque,
            _ => AccessTokenFormat::Jwt,
        },
        min_acr: m.min_acr,
        org_mode: super::OrgMode::parse(&m.org_mode).unwrap_or_default(),
        client_id: m.client_id,
        secret_hash: m.secret_hash,
        name: m.name,
        public: m.public,
        first_party: m.first_party,
        require_pkce: m.require_pkce,
        created_at: m.created_at,
        updated_at: m.updated_at,
        description: m.description,
        launch_url: m.launch_url,
        require_verified: m.require_verified,
    })
}

fn user_from(m: entity::users::Model) -> User {
    let identity_check = assurance::check_of(&m);
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
        identity_check,
        password_change_required: m.password_change_required,
        password_expires_at: m.password_expires_at,
        deletion_requested_at: m.deletion_requested_at,
    }
}

#[async_trait]
impl ClientStore for SqlStore {
    async fn create_client(&self, c: &Client) -> StorageResult<()> {
        let model = entity::clients::ActiveModel {
            client_id: Set(c.client_id.clone()),
            secret_hash: Set(c.secret_hash.clone()),
            name: Set(c.name.clone()),
            redirect_uris: Set(to_json(&c.redirect_uris)),
            post_logout_redirect_uris: Set(to_json(&c.post_logout_redirect_uris)),
            public: Set(c.public),
            first_party: Set(c.first_party),
            require_pkce: Set(c.require_pkce),
            grant_types: Set(to_json(&c.grant_types)),
            scopes: Set(c.scopes.to_string()),
            id_token_alg: Set(c.id_token_alg.map(|a| a.as_str().to_owned())),
            access_token_format: Set(match c.access_token_format {
                AccessTokenFormat::Jwt => "jwt".into(),
                AccessTokenFormat::Opaque => "opaque".into(),
            }),
            min_acr: Set(c.min_acr.clone()),
            org_mode: Set(c.org_mode.as_str().to_owned()),
            created_at: Set(c.created_at),
            updated_at: Set(c.updated_at),
            description: Set(c.description.clone()),
            launch_url: Set(c.launch_url.clone()),
            require_verified: Set(c.require_verified),
        };
        entity::clients::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_client(&self, client_id: &str) -> StorageResult<Option<Client>> {
        entity::clients::Entity::find_by_id(client_id.to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(client_from)
            .transpose()
    }

    async fn list_clients(&self) -> StorageResult<Vec<Client>> {
        entity::clients::Entity::find()
            .order_by_asc(entity::clients::Column::ClientId)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(client_from)
            .collect()
    }

    async fn delete_client(&self, client_id: &str) -> StorageResult<()> {
        use sea_orm::TransactionTrait;
        // The consents given to it go too: a client made again under the same id asks anew.
        let txn = self.writer.begin().await.map_err(|e| self.fail(e))?;
        let res = entity::clients::Entity::delete_by_id(client_id.to_owned())
            .exec(&txn)
            .await
            .map_err(|e| self.fail(e))?;
        if res.rows_affected == 0 {
            return Err(StorageError::NotFound);
        }
        entity::consents::Entity::delete_many()
            .filter(entity::consents::Column::ClientId.eq(client_id))
            .exec(&txn)
            .await
            .map_err(|e| self.fail(e))?;
        txn.commit().await.map_err(|e| self.fail(e))?;
        Ok(())
    }
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, u: &User) -> StorageResult<()> {
        let (method, at, by_client, by_user, reference) =
            assurance::columns_of(u.identity_check.as_ref());
        let model = entity::users::ActiveModel {
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
            identity_method: Set(method),
            identity_checked_at: Set(at),
            identity_checked_by_client: Set(by_client),
            identity_checked_by_user: Set(by_user),
            identity_reference: Set(reference),
            password_change_required: Set(u.password_change_required),
            password_expires_at: Set(u.password_expires_at),
        };
        entity::users::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_user(&self, id: &str) -> StorageResult<Option<User>> {
        Ok(entity::users::Entity::find_by_id(id.to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(user_from))
    }

    async fn find_user_by_email(&self, email: &str) -> StorageResult<Option<User>> {
        Ok(entity::users::Entity::find()
            .filter(entity::users::Column::Email.eq(email))
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(user_from))
    }

    async fn find_users_by_phone(&self, phone: &str) -> StorageResult<Vec<User>> {
        Ok(entity::users::Entity::find()
            .filter(entity::users::Column::Phone.eq(phone))
            .order_by_asc(entity::users::Column::CreatedAt)
            .limit(20)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(user_from)
            .collect())
    }

    async fn set_password_hash(&self, id: &str, hash: &str, now: i64) -> StorageResult<()> {
        let chosen = super::PasswordKind::Chosen;
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
        kind: super::PasswordKind,
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
        use entity::users::Column as C;
        let res = entity::users::Entity::update_many()
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
            .filter(C::Id.eq(u.id.as_str()))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        if res.rows_affected == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn record_event(&self, e: &AuditEvent) -> StorageResult<()> {
        let model = entity::audit_events::ActiveModel {
            id: Set(e.id.clone()),
            at: Set(e.at),
            kind: Set(e.kind.clone()),
            outcome: Set(e.outcome.clone()),
            user_id: Set(e.user_id.clone()),
            email: Set(e.email.clone()),
            client_id: Set(e.client_id.clone()),
            ip: Set(e.ip.clone()),
            user_agent: Set(e.user_agent.clone()),
            detail: Set(e.detail.clone()),
            actor_client_id: Set(e.actor_client_id.clone()),
            actor_user_id: Set(e.actor_user_id.clone()),
        };
        entity::audit_events::Entity::insert(model)
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn list_events(&self, f: &AuditFilter) -> StorageResult<Vec<AuditEvent>> {
        use entity::audit_events::Column;
        let mut q = entity::audit_events::Entity::find();
        if let Some(email) = &f.email {
            q = q.filter(Column::Email.eq(email.as_str()));
        }
        if let Some(user_id) = &f.user_id {
            q = q.filter(Column::UserId.eq(user_id.as_str()));
        }
        if let Some(kind) = &f.kind {
            q = q.filter(Column::Kind.eq(kind.as_str()));
        }
        if let Some(since) = f.since {
            q = q.filter(Column::At.gte(since));
        }
        let rows = q
            .order_by_desc(Column::At)
            .order_by_desc(Column::Id)
            .limit(f.limit.max(1))
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(rows
            .into_iter()
            .map(|m| AuditEvent {
                id: m.id,
                at: m.at,
                kind: m.kind,
                outcome: m.outcome,
                user_id: m.user_id,
                email: m.email,
                client_id: m.client_id,
                ip: m.ip,
                user_agent: m.user_agent,
                detail: m.detail,
                actor_client_id: m.actor_client_id,
                actor_user_id: m.actor_user_id,
            })
            .collect())
    }
}

#[async_trait]
impl LockStore for SqlStore {
    async fn lock_permanently(&self, email_hash: &str, now: i64) -> StorageResult<()> {
        use entity::account_locks::Column;
        let model = entity::account_locks::ActiveModel {
            email_hash: Set(email_hash.to_owned()),
            locked_at: Set(now),
        };
        entity::account_locks::Entity::insert(model)
            .on_conflict(
                OnConflict::column(Column::EmailHash)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn is_locked_permanently(&self, email_hash: &str) -> StorageResult<bool> {
        Ok(
            entity::account_locks::Entity::find_by_id(email_hash.to_owned())
                .first(&self.db)
                .await
                .map_err(|e| self.fail(e))?
                .is_some(),
        )
    }

    async fn unlock(&self, email_hash: &str) -> StorageResult<bool> {
        let res = entity::account_locks::Entity::delete_by_id(email_hash.to_owned())
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected > 0)
    }
}

/// Runs a statement that needs no result, for test set-up of PostgreSQL databases.
pub async fn execute_raw(db: &DatabaseConnection, sql: &str) -> StorageResult<()> {
    db.execute_unprepared(sql).await.map_err(map_err)?;
    Ok(())
}
