//! PostgreSQL and Redis for the tests. `POSTERN_PG_URL` / `POSTERN_REDIS_URL` name a server
//! that is used as it is. Without them the local default is used when it answers; when it
//! does not (a laptop with neither installed as a service), this test process starts a
//! throwaway server of its own from the installed binaries, on first use, and stops it when
//! the process ends. Each test binary is a process of its own and gets its own servers.

use std::{
    ffi::{CString, OsString},
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::OnceLock,
    time::Duration,
};

use crate::lifetime::{
    at_exit, block_on, die_with_parent, on_keeper, pid_alive, spawn_owned, stop_owned, wait_until,
};

const DEFAULT_PG_URL: &str = "postgres://root@127.0.0.1:5432/test";
const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

/// A server the tests use.
pub struct Server {
    pub url: String,
    /// Started by this process and removed whole when it ends, so what the tests make on it
    /// needs no cleaning up.
    pub throwaway: bool,
}

/// The tests' PostgreSQL; panics with one line saying what to install when there is none.
pub fn postgres() -> &'static Server {
    static PG: OnceLock<Result<Server, String>> = OnceLock::new();
    or_panic(PG.get_or_init(|| {
        let answers = |url: &str| block_on(pg_answers(url));
        find_or_start("POSTERN_PG_URL", DEFAULT_PG_URL, answers, start_postgres)
    }))
}

/// The tests' Redis; panics with one line saying what to install when there is none.
pub fn redis() -> &'static Server {
    static REDIS: OnceLock<Result<Server, String>> = OnceLock::new();
    or_panic(REDIS.get_or_init(|| {
        find_or_start(
            "POSTERN_REDIS_URL",
            DEFAULT_REDIS_URL,
            redis_answers,
            start_redis,
        )
    }))
}

/// The server `var` names; else `default` when it answers; else a throwaway one. The
/// check runs on the keeper too: it needs a runtime of its own, which cannot start on a
/// test's thread inside the test's runtime.
fn find_or_start(
    var: &str,
    default: &'static str,
    answers: fn(&str) -> Result<(), String>,
    start: fn(&Search, &str) -> Result<String, String>,
) -> Result<Server, String> {
    if let Some(url) = std::env::var(var).ok().filter(|url| !url.is_empty()) {
        return Ok(Server {
            url,
            throwaway: false,
        });
    }
    on_keeper(move || match answers(default) {
        Ok(()) => Ok(Server {
            url: default.into(),
            throwaway: false,
        }),
        Err(why) => start(&Search::from_env(), &format!("{default} ({why})")).map(|url| Server {
            url,
            throwaway: true,
        }),
    })
}

/// The failure is kept, so every test of the process fails with the same line at once.
fn or_panic(server: &'static Result<Server, String>) -> &'static Server {
    server.as_ref().unwrap_or_else(|line| panic!("{line}"))
}

async fn pg_answers(url: &str) -> Result<(), String> {
    use sea_orm::ConnectionTrait;
    let mut options = sea_orm::ConnectOptions::new(url);
    options
        .connect_timeout(Duration::from_secs(2))
        .max_connections(1)
        .sqlx_logging(false);
    let db = sea_orm::Database::connect(options)
        .await
        .map_err(one_line)?;
    let answer = db.execute_unprepared("SELECT 1").await.map(drop);
    let _ = db.close().await;
    answer.map_err(one_line)
}

pub(crate) fn redis_answers(url: &str) -> Result<(), String> {
    let mut con = redis::Client::open(url)
        .and_then(|c| c.get_connection_with_timeout(Duration::from_secs(2)))
        .map_err(one_line)?;
    redis::cmd("PING")
        .query::<String>(&mut con)
        .map(drop)
        .map_err(one_line)
}

fn one_line(e: impl std::fmt::Display) -> String {
    e.to_string().replace('\n', " ")
}

/// Where the server binaries are looked for: every directory of `path`, then Debian's
/// `<pg_lib>/<version>/bin`, newest first (Debian puts no initdb on PATH).
pub struct Search {
    pub path: OsString,
    pub pg_lib: PathBuf,
}

impl Search {
    pub fn from_env() -> Search {
        Search {
            path: std::env::var_os("PATH").unwrap_or_default(),
            pg_lib: "/usr/lib/postgresql".into(),
        }
    }

    /// The first directory that holds every one of `programs`: initdb and postgres must be
    /// of one version.
    pub fn find(&self, programs: &[&str]) -> Option<PathBuf> {
        let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(&self.pg_lib)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let version = name
                    .split('.')
                    .map(|n| n.parse().ok())
                    .collect::<Option<_>>()?;
                Some((version, e.path().join("bin")))
            })
            .collect();
        versions.sort_by(|a, b| b.0.cmp(&a.0));
        std::env::split_paths(&self.path)
            .filter(|dir| dir.is_absolute())
            .chain(versions.into_iter().map(|(_, bin)| bin))
            .find(|dir| programs.iter().all(|p| is_executable(&dir.join(p))))
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Starts a throwaway PostgreSQL cluster (trust authentication, no fsync: nothing in it
/// outlives the process) and returns the URL of its database `test`. `tried` says where
/// none answered, for the error.
pub fn start_postgres(search: &Search, tried: &str) -> Result<String, String> {
    let bin = search.find(&["initdb", "postgres"]).ok_or_else(|| {
        format!(
            "PostgreSQL is not running at {tried} and no initdb/postgres binaries were found \
             (PATH, {}/*/bin): install the Debian package `postgresql` (or set POSTERN_PG_URL)",
            search.pg_lib.display()
        )
    })?;
    let owner = server_user()?;
    let tmp = std::env::temp_dir();
    sweep_stale_dirs(&tmp);
    let dir = tempfile::Builder::new()
        .prefix(&format!("{DIR_PREFIX}{}-", std::process::id()))
        .tempdir_in(&tmp)
        .map_err(|e| format!("a temporary directory for PostgreSQL: {e}"))?
        .keep();
    let removed = dir.clone();
    at_exit(move || drop(std::fs::remove_dir_all(&removed)));
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
            .map_err(|e| format!("chown {} to postgres: {e}", dir.display()))?;
    }
    let data = dir.join("data");
    let log = dir.join("initdb.log");
    let mut initdb = Command::new(bin.join("initdb"));
    initdb.arg("-D").arg(&data);
    initdb.args([
        "-A",
        "trust",
        "-U",
        "postern",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    ]);
    let status = as_server_user(&mut initdb, owner, &dir)
        .stdout(log_file(&log)?)
        .stderr(log_file(&log)?)
        .status()
        .map_err(|e| format!("run {}: {e}", bin.join("initdb").display()))?;
    if !status.success() {
        return Err(format!(
            "initdb failed for the tests' PostgreSQL: {}",
            last_line(&log)
        ));
    }
    let log = dir.join("postgres.log");
    for _ in 0..3 {
        let port = free_port();
        let mut postgres = Command::new(bin.join("postgres"));
        postgres.arg("-D").arg(&data).arg("-k").arg(&dir);
        postgres.args(["-p", &port.to_string(), "-h", "127.0.0.1"]);
        postgres.args(["-c", "fsync=off", "-c", "synchronous_commit=off"]);
        postgres.args(["-c", "full_page_writes=off"]);
        as_server_user(&mut postgres, owner, &dir)
            .stdout(log_file(&log)?)
            .stderr(log_file(&log)?);
        let pid = spawn_owned(postgres, libc::SIGINT)?;
        let admin = format!("postgres://postern@127.0.0.1:{port}/postgres");
        if !wait_until(pid, Duration::from_secs(30), || {
            block_on(pg_answers(&admin)).is_ok()
        }) {
            // Most likely the port was taken between free_port and the bind: another one.
            stop_owned(pid, libc::SIGINT);
            continue;
        }
        block_on(create_database(&admin, "test"))?;
        return Ok(format!("postgres://postern@127.0.0.1:{port}/test"));
    }
    Err(format!(
        "the tests' PostgreSQL did not start: {}",
        last_line(&log)
    ))
}

async fn create_database(admin: &str, name: &str) -> Result<(), String> {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(admin).await.map_err(one_line)?;
    let made = db
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await;
    let _ = db.close().await;
    made.map(drop).map_err(one_line)
}

/// Starts a throwaway Redis that keeps nothing on disk and returns its URL.
pub fn start_redis(search: &Search, tried: &str) -> Result<String, String> {
    let bin = search.find(&["redis-server"]).ok_or_else(|| {
        format!(
            "Redis is not running at {tried} and no redis-server binary was found on PATH: \
             install the Debian package `redis-server` (or set POSTERN_REDIS_URL)"
        )
    })?;
    for _ in 0..3 {
        let port = free_port();
        let mut cmd = redis_server(&bin.join("redis-server"), port);
        cmd.current_dir(std::env::temp_dir());
        let pid = spawn_owned(cmd, libc::SIGTERM)?;
        let url = format!("redis://127.0.0.1:{port}");
        if wait_until(pid, Duration::from_secs(10), || redis_answers(&url).is_ok()) {
            return Ok(url);
        }
        stop_owned(pid, libc::SIGTERM);
    }
    Err("the tests' Redis did not start (redis-server exited or never answered)".into())
}

/// A Redis on `port` that saves nothing, quiet: what the throwaway and the outage test use.
pub fn redis_server(program: &Path, port: u16) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1"]);
    cmd.args(["--save", "", "--appendonly", "no"]);
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    die_with_parent(&mut cmd, libc::SIGKILL);
    cmd
}

/// A port free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// initdb refuses to run as root, and PostgreSQL too: as root both run as `postgres`.
fn server_user() -> Result<Option<(u32, u32)>, String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let name = CString::new("postgres").expect("no NUL");
    // SAFETY: only the keeper thread calls getpwnam, and the record is read at once.
    let user = unsafe { libc::getpwnam(name.as_ptr()).as_ref() };
    user.map(|pw| Some((pw.pw_uid, pw.pw_gid))).ok_or_else(|| {
        "the tests run as root, where initdb refuses to, and there is no `postgres` user to run \
         PostgreSQL as: install the Debian package `postgresql` (or set POSTERN_PG_URL)"
            .into()
    })
}

/// Runs as `owner` through std's own uid/gid switch, not `runuser`: runuser forks, so the
/// server would not be our child, and a switch after prctl would clear the death signal
/// (std switches before the pre_exec hook runs).
fn as_server_user<'a>(
    cmd: &'a mut Command,
    owner: Option<(u32, u32)>,
    dir: &Path,
) -> &'a mut Command {
    if let Some((uid, gid)) = owner {
        cmd.uid(uid).gid(gid).env("HOME", dir);
    }
    // SIGINT, PostgreSQL's fast shutdown, when the tests die: it ends its sessions and
    // removes its shared memory, where SIGKILL would leave that behind.
    die_with_parent(cmd, libc::SIGINT)
        .current_dir(dir)
        .env("LC_ALL", "C")
}

const DIR_PREFIX: &str = "postern-pg-";

/// Removes the cluster directories of test processes that are gone: those killed before
/// their exit handler ran. A directory whose postmaster still runs is kept.
fn sweep_stale_dirs(tmp: &Path) {
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let maker = name
            .to_str()
            .and_then(|n| n.strip_prefix(DIR_PREFIX))
            .and_then(|rest| rest.split('-').next()?.parse::<u32>().ok());
        if maker.is_none_or(pid_alive) {
            continue;
        }
        let postmaster = std::fs::read_to_string(entry.path().join("data/postmaster.pid"))
            .ok()
            .and_then(|pid| pid.lines().next()?.trim().parse::<u32>().ok());
        if !postmaster.is_some_and(pid_alive) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn log_file(path: &Path) -> Result<std::fs::File, String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("open {}: {e}", path.display()))
}

fn last_line(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no output");
    format!("{line} (the log is removed when the tests end)")
}

#[cfg(test)]
#[path = "servers_tests.rs"]
mod tests;
