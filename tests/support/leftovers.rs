//! What the tests leave on a configured PostgreSQL and Redis (a throwaway one goes whole).
//! Test databases and Redis key prefixes are named after the process that made them,
//! `postern_test_<host>_<pid>_<random>`, so a process removes its own at exit, and what a
//! process killed before its exit left is removed when a later run starts. A running
//! process's are never touched: test runs may share one server.

use std::sync::{
    Once, OnceLock,
    atomic::{AtomicBool, Ordering},
};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

pub use crate::lifetime::pid_alive;
use crate::lifetime::{at_exit, block_on};

pub const PREFIX: &str = "postern_test_";

/// A fresh name for a database or key prefix of this process.
pub fn fresh_name() -> String {
    name_for(std::process::id())
}

/// A fresh name as process `pid` of this machine makes it.
pub fn name_for(pid: u32) -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{PREFIX}{}_{pid}_{}", host_tag(), &random[..16])
}

/// Tells this machine's names from those of others sharing the server, whose process ids
/// mean nothing here. Short: a PostgreSQL name has 63 bytes at most.
pub fn host_tag() -> &'static str {
    static TAG: OnceLock<String> = OnceLock::new();
    TAG.get_or_init(|| {
        use sha2::Digest;
        let mut name = [0u8; 256];
        // SAFETY: the buffer is writable for its whole length.
        unsafe { libc::gethostname(name.as_mut_ptr().cast(), name.len()) };
        let digest = sha2::Sha256::digest(name);
        digest[..4].iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// The process of this machine (`host`) that made `name`; None for anything else.
fn maker(name: &str, host: &str) -> Option<u32> {
    let mut parts = name.strip_prefix(PREFIX)?.splitn(3, '_');
    if parts.next()? != host {
        return None;
    }
    let pid = parts.next()?.parse().ok().filter(|pid| *pid > 0)?;
    parts.next().filter(|random| !random.is_empty())?;
    Some(pid)
}

/// Whether `name` is to go: made on this machine by a process that `running` says is over.
pub fn removable(name: &str, host: &str, running: impl Fn(u32) -> bool) -> bool {
    maker(name, host).is_some_and(|pid| !running(pid))
}

/// This process at exit: its own are removable too.
fn running_at_exit() -> impl Fn(u32) -> bool {
    let me = std::process::id();
    move |pid| pid != me && pid_alive(pid)
}

/// Drops the test databases that `running` says belong to no running process; returns
/// their names. Best effort: a database another process drops at once is skipped.
pub async fn drop_databases(
    admin: &DatabaseConnection,
    running: impl Fn(u32) -> bool,
) -> Vec<String> {
    let list = "SELECT datname FROM pg_database WHERE datname LIKE 'postern\\_test\\_%'";
    let rows = admin
        .query_all_raw(Statement::from_string(DbBackend::Postgres, list))
        .await
        .unwrap_or_default();
    let mut dropped = Vec::new();
    for name in rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "datname").ok())
    {
        if !removable(&name, host_tag(), &running) {
            continue;
        }
        // FORCE: a pool of a server that a test leaked may still be connected. The name
        // is ours (letters, digits, underscores), safe to put in the statement.
        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        if admin.execute_unprepared(&drop).await.is_ok() {
            dropped.push(name);
        }
    }
    dropped
}

/// Once per process, on a configured PostgreSQL: drops what gone test processes left, and
/// this process's own databases when it exits.
pub async fn watch_postgres(admin: &DatabaseConnection, url: &str) {
    static WATCHED: AtomicBool = AtomicBool::new(false);
    if WATCHED.swap(true, Ordering::SeqCst) {
        return;
    }
    drop_databases(admin, pid_alive).await;
    let url = url.to_owned();
    at_exit(move || {
        block_on(async {
            if let Ok(admin) = sea_orm::Database::connect(url.as_str()).await {
                drop_databases(&admin, running_at_exit()).await;
                let _ = admin.close().await;
            }
        })
    });
}

/// Deletes the test keys that `running` says belong to no running process; returns how
/// many.
pub fn delete_keys(url: &str, running: impl Fn(u32) -> bool) -> redis::RedisResult<usize> {
    let mut con =
        redis::Client::open(url)?.get_connection_with_timeout(std::time::Duration::from_secs(2))?;
    let mut doomed = Vec::new();
    let mut cursor = 0u64;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{PREFIX}*"))
            .arg("COUNT")
            .arg(1000)
            .query(&mut con)?;
        doomed.extend(keys.into_iter().filter(|key| {
            let prefix = key.split(':').next().unwrap_or_default();
            removable(prefix, host_tag(), &running)
        }));
        if next == 0 {
            break;
        }
        cursor = next;
    }
    for keys in doomed.chunks(500) {
        redis::cmd("DEL").arg(keys).query::<()>(&mut con)?;
    }
    Ok(doomed.len())
}

/// Once per process, on a configured Redis: deletes what gone test processes left, and
/// this process's own keys when it exits.
pub fn watch_redis(url: &str) {
    static WATCHED: Once = Once::new();
    WATCHED.call_once(|| {
        let _ = delete_keys(url, pid_alive);
        let url = url.to_owned();
        at_exit(move || drop(delete_keys(&url, running_at_exit())));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_host_and_pid() {
        let name = name_for(4242);
        assert_eq!(maker(&name, host_tag()), Some(4242));
        assert!(name.len() <= 63, "{name}");
        assert_eq!(maker(&name, "00000000"), None, "another machine's");
    }

    #[test]
    fn only_gone_processes_of_this_machine_are_removable() {
        let host = host_tag();
        let name = format!("{PREFIX}{host}_7_0123456789abcdef");
        assert!(removable(&name, host, |_| false));
        assert!(!removable(&name, host, |pid| pid == 7), "7 runs");
        // Another machine's, the names of older harnesses, and malformed ones stay.
        for kept in [
            format!("{PREFIX}0badcafe_7_0123456789abcdef"),
            format!("{PREFIX}0123456789abcdef0123456789abcdef"),
            format!("{PREFIX}{host}_0_0123456789abcdef"),
            format!("{PREFIX}{host}_x_0123456789abcdef"),
            format!("{PREFIX}{host}_7_"),
            "postern_7".into(),
        ] {
            assert!(!removable(&kept, host, |_| false), "{kept}");
        }
    }

    #[test]
    fn this_process_is_alive_and_at_exit_its_own_go() {
        let me = std::process::id();
        assert!(pid_alive(me));
        assert!(!running_at_exit()(me));
        assert!(pid_alive(u32::MAX), "never a reason to drop");
    }
}
