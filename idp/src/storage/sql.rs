//! The durable stores on sea-orm: SQLite (embedded default) and PostgreSQL (production).

use std::{
    collections::HashMap,
    fs::File,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};

use async_trait::async_trait;
use migrations::{Migrator, MigratorTrait};
use prometheus_client::metrics::counter::Counter;
use sea_orm::{
    ActiveValue::Set, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr,
    EntityTrait, QuerySelect, RuntimeErr, SqlErr, sea_query::OnConflict, sqlx,
};

use super::{LockStore, StorageError, StorageResult, entity};
use crate::model::oauth::Scope;

// The credential store, in a file of its own; a child module so it shares the connection.
#[path = "sql_accounts.rs"]
mod accounts;
#[path = "sql_assurance.rs"]
mod assurance;
#[path = "sql_audit.rs"]
mod audit;
#[path = "sql_batch.rs"]
mod batch;
#[path = "sql_clients.rs"]
mod clients;
#[path = "sql_credentials.rs"]
mod credentials;
#[path = "sql_grants.rs"]
mod grants;
#[path = "sql_legacy.rs"]
mod legacy;
#[path = "sql_logos.rs"]
mod logos;
#[path = "sql_logouts.rs"]
mod logouts;
#[path = "sql_orgs.rs"]
mod orgs;
#[path = "sql_sessions.rs"]
mod sessions;
#[path = "sql_users.rs"]
mod users;

/// How often a serving node checkpoints the SQLite write-ahead log
/// ([`SqlStore::checkpoint`]). Often, so that each copies and syncs few pages: with a
/// million users each write dirties pages all over the file, and the copy of a second's
/// worth, with its fsync, made the refresh p99 2–3 times that of a small store; every 100 ms
/// it is close to it (`bench/profile-refresh.md`).
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// Pages of write-ahead log after which a committing connection checkpoints by itself.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 10_000;
/// How long a SQLite connection waits for a lock held by another (the `idp` command
/// writing while the server runs).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the checkpoint's restart of the log waits for readers to leave it, holding
/// every write back meanwhile ([`SqlStore::checkpoint`]). Short: a restart that finds a
/// reader is tried again at the next tick, while every millisecond waited here is added to
/// the writes queued behind it. With a million users (readers slower, more often in the
/// log) 20 ms put a renewal's p99 at 2–24 ms; 2 ms at 1.1–1.9 ms.
const RESTART_WAIT: Duration = Duration::from_millis(2);
/// Frames of write-ahead log (of a page each) past which [`SqlStore::checkpoint`] also
/// starts the log again: 16 MB.
const RESTART_AFTER_FRAMES: i64 = 4_096;
/// Bytes the write-ahead log file is cut back to when it starts again, after a burst of
/// writes made it larger (SQLite otherwise keeps the file at its largest).
const WAL_SIZE_LIMIT: u64 = 64 << 20;

#[derive(Clone)]
pub struct SqlStore {
    /// Reads (and, on PostgreSQL, everything).
    db: DatabaseConnection,
    /// Writes. On SQLite one connection: writers queue for it instead of colliding on the
    /// database lock, where SQLite's busy handler would sleep (1, 2, 5, 10… ms) and retry.
    writer: DatabaseConnection,
    /// Failed calls, exported as `postern_store_errors_total{store="database"}`.
    errors: Counter,
    /// The SQLite database file, synced by [`SqlStore::checkpoint`]; none on PostgreSQL or
    /// for a database in memory.
    file: Option<Arc<PathBuf>>,
    /// The log's frames and those copied at the last checkpoint: an idle node does not
    /// sync or restart again for nothing.
    checkpointed: Arc<Mutex<(i64, i64)>>,
    /// On SQLite, the refresh-token consumptions waiting for the writer, committed
    /// together (`sql_batch.rs`).
    consumptions: Option<batch::Batcher>,
}

/// PostgreSQL connections per node by default (`database.max_connections`).
pub const DEFAULT_POOL: u32 = 16;

/// How the pools are opened: bounded, with timeouts, so an unreachable database turns into
/// `Unavailable` within seconds instead of hanging requests.
fn connect_options(url: &str, max: u32, lazy: bool) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(max)
        .min_connections(u32::from(!lazy))
        .connect_lazy(lazy)
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(Duration::from_secs(3))
        .sqlx_logging(false);
    if !url.starts_with("sqlite:") {
        // PostgreSQL's connections keep sqlx's ping at every checkout, a round trip per
        // statement. Pinging only those idle for a while was tried and measured (about 10 %
        // of a renewal's CPU), but a connection the network drops silently (a failover whose
        // old host vanishes) then hangs the next query until the kernel gives up on it,
        // minutes later; the checkout's ping fails within `acquire_timeout` and the pool
        // opens another. sqlx sets no TCP keepalive and queries have no deadline here.
        return opts;
    }
    // A file has no server or network to drop the connection, and sqlx's ping at every
    // checkout was a round trip to the connection's thread before every statement (sqlx
    // still pings each connection as it is given back, off the request's path).
    opts.test_before_acquire(false);
    // WAL lets readers proceed while the writer commits; the busy timeout covers other
    // processes (the `idp` command) writing at the same time.
    opts.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            // A serving node checkpoints in the background (`checkpoint`); the committing
            // request only does it when the log has grown past this (about 40 MB), e.g. for
            // the `idp` command alone.
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
            // After a burst the log file is cut back to this when it restarts.
            .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string())
    });
    opts
}

impl SqlStore {
    /// Connects with a bounded pool and timeouts, so an unreachable database turns into
    /// `Unavailable` within seconds instead of hanging requests.
    pub async fn connect(url: &str) -> StorageResult<SqlStore> {
        SqlStore::connect_with(url, DEFAULT_POOL).await
    }

    /// [`connect`](Self::connect) with at most `pool` connections to PostgreSQL.
    pub async fn connect_with(url: &str, pool: u32) -> StorageResult<SqlStore> {
        SqlStore::open(url, pool, false).await
    }

    /// A PostgreSQL replica: connected on first use, so a node starts while its replica is
    /// away (the reads it serves fall back to the primary, [`super::read_path`]).
    pub async fn connect_replica(url: &str, pool: u32) -> StorageResult<SqlStore> {
        SqlStore::open(url, pool, true).await
    }

    async fn open(url: &str, pool: u32, lazy: bool) -> StorageResult<SqlStore> {
        let sqlite = url.starts_with("sqlite:");
        let opts = |max: u32| connect_options(url, max, lazy);
        if sqlite {
            // The writer first: it creates the file and switches it to WAL.
            let writer = Database::connect(opts(1)).await.map_err(map_err)?;
            let db = Database::connect(opts(8)).await.map_err(map_err)?;
            let file = database_file(&writer).await?.map(Arc::new);
            Ok(SqlStore {
                db,
                consumptions: Some(batch::Batcher::start(writer.clone())),
                writer,
                errors: Counter::default(),
                file,
                checkpointed: Arc::default(),
            })
        } else {
            let db = Database::connect(opts(pool)).await.map_err(map_err)?;
            Ok(SqlStore {
                writer: db.clone(),
                db,
                errors: Counter::default(),
                file: None,
                checkpointed: Arc::default(),
                consumptions: None,
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

    /// Checkpoints the SQLite write-ahead log off the request path (a serving node calls it
    /// every [`CHECKPOINT_EVERY`]): left to SQLite, the commit that crosses
    /// `wal_autocheckpoint` pays for the copy and its fsyncs. Nothing on PostgreSQL.
    ///
    /// PASSIVE, on a reading connection, copies the log into the database file while writes
    /// go on. But frames commit while it copies, so under steady writes it never catches
    /// up, and SQLite starts the log again from its beginning only after a checkpoint that
    /// did: the log grew with every write until the writer checkpointed by itself, fsyncs
    /// and all, on every commit. So once the log passes [`RESTART_AFTER_FRAMES`], RESTART on
    /// the writer connection (writes queue behind it instead of meeting a lock) copies the
    /// few frames committed meanwhile, waits for readers to leave the log, and lets the next
    /// write begin it again. Its wait is short: a reader left in the log (a long listing)
    /// must not hold every write back; a later call restarts the log instead.
    pub async fn checkpoint(&self) -> StorageResult<()> {
        if self.db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            return Ok(());
        }
        let passive = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Sqlite,
                "PRAGMA wal_checkpoint(PASSIVE)",
            ))
            .await
            .map_err(|e| self.fail(e))?;
        // Frames in the log, copied or not (what the next write appends after), and how
        // many of them are in the database file now.
        let (log, copied) = match passive {
            Some(row) => (
                row.try_get::<i64>("", "log").map_err(|e| self.fail(e))?,
                row.try_get::<i64>("", "checkpointed")
                    .map_err(|e| self.fail(e))?,
            ),
            None => (0, 0),
        };
        {
            let mut last = self.checkpointed.lock().unwrap_or_else(|e| e.into_inner());
            if *last == (log, copied) {
                return Ok(());
            }
            *last = (log, copied);
        }
        let restart = log >= RESTART_AFTER_FRAMES;
        if let Some(file) = self.file.clone().filter(|_| copied < log || restart) {
            // PASSIVE syncs the database file only when it reached the end of the log, which
            // steady writes never let it do: the copied pages would all be synced by the
            // restart below, on the writer, holding every write back for tens of
            // milliseconds. Synced here they leave the restart the few pages it copies.
            // Before a restart the log is synced here too: commits do not sync it
            // (synchronous = NORMAL), and on ext4 the restart's sync of the database file
            // also waited for the log's unsynced megabytes (35–40 ms on the writer).
            let synced = tokio::task::spawn_blocking(move || {
                if restart {
                    let mut log = file.as_os_str().to_owned();
                    log.push("-wal");
                    sync_handle(Path::new(&log))?.sync_data()?;
                }
                sync_handle(&file)?.sync_data()
            })
            .await
            .map_err(std::io::Error::other);
            if let Err(e) = synced.and_then(|r| r) {
                self.errors.inc();
                return Err(StorageError::Internal(format!("database file sync: {e}")));
            }
        }
        if !restart {
            return Ok(());
        }
        let restart_sql = format!(
            "PRAGMA busy_timeout = {}; PRAGMA wal_checkpoint(RESTART); PRAGMA busy_timeout = {}",
            RESTART_WAIT.as_millis(),
            BUSY_TIMEOUT.as_millis()
        );
        if let Err(e) = self.writer.execute_unprepared(&restart_sql).await {
            // Whatever failed, the writer must wait for other processes as long as before:
            // with 20 ms, a write meeting the `idp` command's would fail.
            let reset = format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT.as_millis());
            let mut tries = 0;
            while let Err(again) = self.writer.execute_unprepared(&reset).await {
                tries += 1;
                if tries == 3 {
                    tracing::error!(error = %again, "the SQLite writer's busy timeout could not be set back");
                    break;
                }
            }
            return Err(self.fail(e));
        }
        Ok(())
    }

    pub async fn ping(&self) -> StorageResult<()> {
        self.db.ping().await.map_err(|e| self.fail(e))
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// A handle on the database file (or its log) at `path` to sync it with, opened once and
/// never closed.
/// On Unix, closing any handle on a file drops every lock the process holds on it (POSIX
/// record locks), SQLite's included: another process (the `idp` command) could then take
/// the file for its own as the last one using it, and delete the log under the server.
fn sync_handle(path: &Path) -> std::io::Result<&'static File> {
    static HANDLES: OnceLock<Mutex<HashMap<PathBuf, &'static File>>> = OnceLock::new();
    let mut handles = HANDLES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(file) = handles.get(path) {
        return Ok(file);
    }
    // Written to, for systems where flushing a file needs that right.
    let file: &'static File = Box::leak(Box::new(File::options().write(true).open(path)?));
    handles.insert(path.to_owned(), file);
    Ok(file)
}

/// The file of the SQLite database `writer` is connected to; none when it lives in memory.
async fn database_file(writer: &DatabaseConnection) -> StorageResult<Option<PathBuf>> {
    let row = writer
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await
        .map_err(map_err)?;
    let file = match row {
        Some(row) => row.try_get::<String>("", "file").map_err(map_err)?,
        None => String::new(),
    };
    Ok((!file.is_empty()).then(|| PathBuf::from(file)))
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

impl SqlStore {
    /// One page of `query` (which must be in a stable order) and the size of the whole list,
    /// each row made into a `T` by `from`.
    pub(crate) async fn page<E, T>(
        &self,
        query: sea_orm::Select<E>,
        offset: u64,
        limit: u64,
        from: impl Fn(E::Model) -> StorageResult<T>,
    ) -> StorageResult<super::Page<T>>
    where
        E: EntityTrait,
        E::Model: Send + Sync,
    {
        use sea_orm::PaginatorTrait;
        let total = query
            .clone()
            .count(&self.db)
            .await
            .map_err(|e| self.fail(e))?;
        let items = query
            .offset(offset)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .into_iter()
            .map(from)
            .collect::<StorageResult<_>>()?;
        Ok(super::Page { items, total })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_connections_are_not_pinged_at_checkout() {
        let opts = connect_options("sqlite::memory:", 1, false);
        assert!(!opts.get_test_before_acquire());
        assert_eq!(opts.get_test_before_acquire_if_idle_for(), None);
    }

    #[test]
    fn postgres_connections_are_pinged_at_every_checkout() {
        let opts = connect_options("postgres://postern@127.0.0.1/test", 4, true);
        assert!(opts.get_test_before_acquire());
    }
}
