//! The storage conformance suite on all four stores: SQLite and PostgreSQL for durable data,
//! the in-process store and Redis for ephemeral state. PostgreSQL and Redis are the local
//! servers (`POSTERN_PG_URL`, `POSTERN_REDIS_URL`); each test gets its own database or key
//! prefix.

use idp::storage::{
    Stores, conformance,
    ephemeral::{memory::MemoryStore, redis::RedisStore},
    sql::SqlStore,
};
use postern_tests::{fresh_pg_database, fresh_redis_prefix, redis_url};

async fn migrated(url: &str) -> Stores {
    let store = SqlStore::connect(url).await.expect("connect");
    store.migrate().await.expect("migrate");
    // Running the migrations twice is a no-op (every start runs them).
    store.migrate().await.expect("migrate again");
    Stores::from_sql(store)
}

#[tokio::test]
async fn sqlite_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let stores = migrated(&format!("sqlite://{}/c.db?mode=rwc", dir.path().display())).await;
    conformance::durable(&stores).await;
}

/// The serving node's checkpoint moves the write-ahead log into the database file, which
/// the committing writes leave alone until the log is large.
#[tokio::test]
async fn sqlite_checkpoint_moves_the_log_into_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let store = SqlStore::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let before = std::fs::metadata(&path).unwrap().len();
    store.checkpoint().await.unwrap();
    let after = std::fs::metadata(&path).unwrap().len();
    assert!(after > before, "database file {before} -> {after} bytes");
}

#[tokio::test]
async fn postgres_conforms() {
    let stores = migrated(&fresh_pg_database().await).await;
    conformance::durable(&stores).await;
}

#[tokio::test]
async fn memory_conforms() {
    conformance::ephemeral(&MemoryStore::new(std::sync::Arc::new(
        idp::state::SystemClock,
    )))
    .await;
}

#[tokio::test]
async fn redis_conforms() {
    let store = RedisStore::connect(&redis_url(), &fresh_redis_prefix())
        .await
        .unwrap();
    conformance::ephemeral(&store).await;
}

#[tokio::test]
async fn unreachable_stores_report_unavailable() {
    use idp::storage::{StorageError, ephemeral::EphemeralStore};
    // Nothing listens on port 1: the error must say "unavailable" (a 503), not crash.
    let err = SqlStore::connect("postgres://root@127.0.0.1:1/none")
        .await
        .err();
    assert!(matches!(err, Some(StorageError::Unavailable(_))), "{err:?}");
    let redis = RedisStore::connect("redis://127.0.0.1:1", "x:")
        .await
        .unwrap();
    let err = redis.get("k").await.unwrap_err();
    assert!(matches!(err, StorageError::Unavailable(_)), "{err:?}");
}
