//! Redis deployments of several servers, started by this test process from the installed
//! `redis-server` (on free ports, in a temporary directory, stopped at exit like the
//! throwaway servers of [`crate::servers`]): a Redis Cluster of three primaries, and a
//! primary with a replica watched by a Sentinel.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use tempfile::TempDir;

use crate::{
    lifetime::{die_with_parent, on_keeper, spawn_owned, wait_until},
    servers::{Search, free_port, redis_answers, redis_server},
};

/// A Redis Cluster of three primaries (no replicas), all slots assigned.
pub struct Cluster {
    /// `redis://127.0.0.1:<port>` of each primary.
    pub nodes: Vec<String>,
    _dir: TempDir,
}

/// The cluster of this test process, started on first use.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    match CLUSTER.get_or_init(start_cluster) {
        Ok(cluster) => cluster,
        Err(e) => panic!("{e}"),
    }
}

/// A primary, its replica, and one Sentinel that watches them under [`SENTINEL_PRIMARY`].
pub struct Sentinel {
    /// `redis://127.0.0.1:<port>` of the Sentinel.
    pub sentinel: String,
    pub primary: String,
    pub replica: String,
    _dir: TempDir,
}

pub const SENTINEL_PRIMARY: &str = "postern";

/// A new Sentinel deployment (each failover test needs its own).
pub fn sentinel() -> Sentinel {
    start_sentinel().unwrap_or_else(|e| panic!("{e}"))
}

fn bin_dir() -> Result<PathBuf, String> {
    Search::from_env()
        .find(&["redis-server", "redis-cli"])
        .ok_or_else(|| {
            "no redis-server and redis-cli on PATH: install the Debian package `redis-server`"
                .into()
        })
}

fn url(port: u16) -> String {
    format!("redis://127.0.0.1:{port}")
}

/// Starts `cmd` on the keeper thread and waits until `port` answers PING.
fn start(cmd: Command, port: u16) -> Result<(), String> {
    let pid = on_keeper(move || spawn_owned(cmd, libc::SIGTERM))?;
    if wait_until(pid, Duration::from_secs(10), || {
        redis_answers(&url(port)).is_ok()
    }) {
        Ok(())
    } else {
        Err(format!("redis-server on port {port} did not start"))
    }
}

/// A cluster node talks to the others on its port + 10000, which must be free too.
fn cluster_port() -> u16 {
    loop {
        let port = free_port();
        let bus = port.checked_add(10_000);
        if bus.is_some_and(|bus| std::net::TcpListener::bind(("127.0.0.1", bus)).is_ok()) {
            return port;
        }
    }
}

fn start_cluster() -> Result<Cluster, String> {
    let bin = bin_dir()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let ports: Vec<u16> = (0..3).map(|_| cluster_port()).collect();
    for &port in &ports {
        let mut cmd = redis_server(&bin.join("redis-server"), port);
        cmd.args(["--cluster-enabled", "yes", "--cluster-node-timeout", "2000"]);
        cmd.arg("--cluster-config-file")
            .arg(dir.path().join(format!("nodes-{port}.conf")));
        cmd.current_dir(dir.path());
        start(cmd, port)?;
    }
    let mut create = Command::new(bin.join("redis-cli"));
    create.args(["--cluster", "create"]);
    create.args(ports.iter().map(|p| format!("127.0.0.1:{p}")));
    create.args(["--cluster-replicas", "0", "--cluster-yes"]);
    let out = create
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "redis-cli --cluster create failed: {}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    // Every node must know every slot's owner before a client may rely on any of them.
    let nodes: Vec<String> = ports.iter().map(|&p| url(p)).collect();
    poll(Duration::from_secs(20), "the cluster to be ready", || {
        nodes
            .iter()
            .all(|n| query(n, &["CLUSTER", "INFO"]).is_some_and(|i| i.contains("cluster_state:ok")))
    })?;
    Ok(Cluster { nodes, _dir: dir })
}

fn start_sentinel() -> Result<Sentinel, String> {
    let bin = bin_dir()?;
    let server = bin.join("redis-server");
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (primary, replica, sentinel) = (free_port(), free_port(), free_port());
    // In the temporary directory: a replica writes the primary's snapshot to its `--dir`.
    let in_dir = |mut cmd: Command| {
        cmd.arg("--dir").arg(dir.path()).current_dir(dir.path());
        cmd
    };
    start(in_dir(redis_server(&server, primary)), primary)?;
    let mut cmd = in_dir(redis_server(&server, replica));
    cmd.args(["--replicaof", "127.0.0.1", &primary.to_string()]);
    start(cmd, replica)?;
    // A Sentinel rewrites its configuration file, so it gets one of its own.
    let conf = dir.path().join("sentinel.conf");
    std::fs::write(
        &conf,
        format!(
            "port {sentinel}\nbind 127.0.0.1\ndir {dir}\n\
             sentinel monitor {SENTINEL_PRIMARY} 127.0.0.1 {primary} 1\n\
             sentinel down-after-milliseconds {SENTINEL_PRIMARY} 1000\n\
             sentinel failover-timeout {SENTINEL_PRIMARY} 5000\n",
            dir = dir.path().display()
        ),
    )
    .map_err(|e| e.to_string())?;
    start(sentinel_server(&server, &conf), sentinel)?;
    // A replica still in its first sync counts for nothing (WAIT, a failover): ready once
    // its link to the primary is up.
    poll(Duration::from_secs(20), "the replica to be in sync", || {
        query(&url(replica), &["INFO", "replication"])
            .is_some_and(|info| info.contains("master_link_status:up"))
    })?;
    Ok(Sentinel {
        sentinel: url(sentinel),
        primary: url(primary),
        replica: url(replica),
        _dir: dir,
    })
}

fn sentinel_server(program: &Path, conf: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.arg(conf).arg("--sentinel");
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    die_with_parent(&mut cmd, libc::SIGKILL);
    cmd
}

impl Sentinel {
    /// Makes the replica the primary through the Sentinel, as when the primary fails, and
    /// waits until the Sentinel names it.
    pub fn fail_over(&self) {
        let replica_port = self.replica.rsplit(':').next().expect("a port").to_owned();
        // The Sentinel learns of the replica from the primary (INFO, every few seconds), and
        // refuses to fail over before it knows one that is in sync.
        poll(Duration::from_secs(30), "a failover to be accepted", || {
            query(&self.sentinel, &["SENTINEL", "FAILOVER", SENTINEL_PRIMARY]).is_some()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        poll(Duration::from_secs(30), "the replica to be primary", || {
            let named = query(
                &self.sentinel,
                &["SENTINEL", "GET-MASTER-ADDR-BY-NAME", SENTINEL_PRIMARY],
            );
            let role = query(&self.replica, &["ROLE"]);
            named.is_some_and(|n| n.contains(&replica_port))
                && role.is_some_and(|r| r.contains("master"))
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// One command's answer as text (arrays joined by spaces); None on any error.
pub fn query(url: &str, args: &[&str]) -> Option<String> {
    let client = redis::Client::open(url).ok()?;
    let mut con = client
        .get_connection_with_timeout(Duration::from_secs(2))
        .ok()?;
    let mut cmd = redis::cmd(args[0]);
    for arg in &args[1..] {
        cmd.arg(*arg);
    }
    let value: redis::Value = cmd.query(&mut con).ok()?;
    Some(text(&value))
}

fn text(value: &redis::Value) -> String {
    match value {
        redis::Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        redis::Value::SimpleString(s) => s.clone(),
        redis::Value::Int(i) => i.to_string(),
        redis::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(" "),
        other => format!("{other:?}"),
    }
}

fn poll(within: Duration, what: &str, mut done: impl FnMut() -> bool) -> Result<(), String> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if done() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("waited {within:?} for {what}"))
}
