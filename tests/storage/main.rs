//! The storage conformance suite on all four stores: SQLite and PostgreSQL for durable data,
//! the in-process store and Redis for ephemeral state. PostgreSQL and Redis are the local
//! servers (`POSTERN_PG_URL`, `POSTERN_REDIS_URL`), or throwaway ones the tests start when
//! those do not answer; each test gets its own database or key prefix.

use idp::storage::sql::execute_raw;
use idp::storage::{
    Stores, conformance,
    ephemeral::{memory::MemoryStore, redis::RedisStore},
    sql::SqlStore,
};
use postern_tests::{fresh_pg_database, fresh_redis_prefix, pg_url, redis_url};

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

/// A migrated SQLite store in the file at `path`.
async fn sqlite_file_store(path: &std::path::Path) -> SqlStore {
    let store = SqlStore::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
}

/// The serving node's checkpoint moves the write-ahead log into the database file, which
/// the committing writes leave alone until the log is large.
#[tokio::test]
async fn sqlite_checkpoint_moves_the_log_into_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let store = sqlite_file_store(&path).await;
    let before = std::fs::metadata(&path).unwrap().len();
    store.checkpoint().await.unwrap();
    let after = std::fs::metadata(&path).unwrap().len();
    assert!(after > before, "database file {before} -> {after} bytes");
}

/// Under writes that never pause, with readers about, the serving node's checkpoints keep
/// the write-ahead log small: once it passes 16 MB, the next write starts it again from its
/// beginning. A checkpoint that only copies never catches up with such writes (frames
/// commit while it copies), so the log grew with every write until the committing writer
/// checkpointed by itself, with its fsyncs, on every commit (the refresh p99 of 70 ms with a
/// million users in `bench/profile-refresh.md`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_checkpoints_keep_the_log_small_under_steady_writes() {
    use idp::storage::LockStore;
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let store = sqlite_file_store(&path).await;
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let checkpointer = tokio::spawn({
        let (store, done, ticks) = (store.clone(), done.clone(), ticks.clone());
        async move {
            while !done.load(Ordering::Relaxed) {
                store.checkpoint().await.unwrap();
                ticks.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(idp::storage::sql::CHECKPOINT_EVERY).await;
            }
        }
    });
    let reader = tokio::spawn({
        let (store, done) = (store.clone(), done.clone());
        async move {
            while !done.load(Ordering::Relaxed) {
                store.is_locked_permanently("nobody").await.unwrap();
            }
        }
    });
    // About 8,400 pages of log in all (random keys dirty scattered pages, 35 MB): past the
    // 4,096 of a restart, under the 10,000 after which the writer checkpoints by itself.
    // And for a few checkpoints at least, however fast the machine writes.
    let mut i = 0u32;
    let started = std::time::Instant::now();
    while i < 3_400 || ticks.load(Ordering::SeqCst) < 4 {
        // Not a timing check: checkpoints that stopped or hang would keep this loop going.
        assert!(!checkpointer.is_finished(), "the checkpoints stopped");
        assert!(started.elapsed().as_secs() < 120, "the checkpoints hang");
        let key = idp::crypto::token_hash(&format!("steady-{i}"));
        store.lock_permanently(&key, 0).await.unwrap();
        i += 1;
    }
    done.store(true, Ordering::Relaxed);
    checkpointer.await.unwrap();
    reader.await.unwrap();
    let wal = std::fs::metadata(dir.path().join("c.db-wal"))
        .unwrap()
        .len();
    // A restart at 4,096 pages (16.8 MB), plus what is written until the next tick.
    assert!(
        wal < 28 << 20,
        "the write-ahead log grew to {wal} bytes over {i} writes"
    );
}

#[tokio::test]
async fn postgres_conforms() {
    let stores = migrated(&fresh_pg_database().await).await;
    conformance::durable(&stores).await;
}

/// A pooled connection the server dropped (a restart, a failover, a proxy's idle limit) is
/// found out at checkout and replaced before a request gets it.
#[tokio::test]
async fn postgres_connections_the_server_dropped_are_replaced_before_use() {
    let url = fresh_pg_database().await;
    let name = url.rsplit('/').next().unwrap().to_owned();
    let stores = migrated(&url).await;
    assert!(stores.users.find_user("nobody").await.unwrap().is_none());
    let admin = sea_orm::Database::connect(pg_url()).await.unwrap();
    execute_raw(
        &admin,
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ),
    )
    .await
    .unwrap();
    for _ in 0..3 {
        assert!(stores.users.find_user("nobody").await.unwrap().is_none());
    }
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

/// What a test process killed before its exit left on a configured server is removed when
/// a later one starts; what a running process uses never is, nor another machine's.
#[tokio::test]
async fn leftover_sweep_spares_running_processes_and_other_machines() {
    use postern_tests::leftovers::{PREFIX, delete_keys, drop_databases, name_for, pid_alive};
    let mut live = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let names = [
        name_for(live.id()),
        name_for(gone.id()),
        format!("{PREFIX}0badcafe_{}_0123456789abcdef", gone.id()),
    ];
    let admin = sea_orm::Database::connect(pg_url()).await.unwrap();
    for name in &names {
        execute_raw(&admin, &format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
    }
    let redis = redis::Client::open(redis_url()).unwrap();
    let mut con = redis.get_connection().unwrap();
    for name in &names {
        redis::cmd("SET")
            .arg(format!("{name}:k"))
            .arg(1)
            .query::<()>(&mut con)
            .unwrap();
    }

    let dropped = drop_databases(&admin, pid_alive).await;
    delete_keys(&redis_url(), pid_alive).unwrap();

    assert!(dropped.contains(&names[1]), "{dropped:?}");
    let mut exists = |name: &String| {
        redis::cmd("EXISTS")
            .arg(format!("{name}:k"))
            .query::<bool>(&mut con)
            .unwrap()
    };
    assert!(!exists(&names[1]));
    for kept in [&names[0], &names[2]] {
        assert!(!dropped.contains(kept), "{kept} dropped");
        assert!(exists(kept), "{kept}:k deleted");
    }
    for kept in [&names[0], &names[2]] {
        execute_raw(&admin, &format!("DROP DATABASE {kept}"))
            .await
            .unwrap();
        redis::cmd("DEL")
            .arg(format!("{kept}:k"))
            .query::<()>(&mut con)
            .unwrap();
    }
    live.kill().unwrap();
    live.wait().unwrap();
}

/// Migration 23: a client whose name was its id (what `create` gave a client without a
/// name) has no name after it, so no page shows the id; a real name stays. And it can be
/// undone and done again.
#[tokio::test]
async fn sqlite_migration_23_takes_the_id_out_of_the_name() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/m.db?mode=rwc", dir.path().display());
    let stores = migrated(&url).await;
    for id in ["named", "unnamed"] {
        let mut c = conformance::sample_client(id);
        c.face = Default::default();
        stores.clients.create_client(&c).await.unwrap();
    }
    let db = sea_orm::Database::connect(&url).await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    // As before migration 23: the name column held a name or, by default, the id.
    db.execute_unprepared(
        "UPDATE clients SET name = CASE client_id WHEN 'named' THEN 'Parcels' ELSE client_id END",
    )
    .await
    .unwrap();
    Migrator::up(&db, None).await.unwrap();
    let name = |c: idp::storage::Client| c.face.name(idp::model::Lang::En).map(str::to_owned);
    let named = stores.clients.find_client("named").await.unwrap().unwrap();
    assert_eq!(name(named), Some("Parcels".into()));
    let unnamed = stores
        .clients
        .find_client("unnamed")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(name(unnamed), None, "the id is no name");
}
mod redis_topologies;
