//! How a node reaches Redis, and the connection one operation goes over.
//!
//! Each kind connects on first use, not at start: a node whose Redis is briefly away still
//! starts, answers what needs no Redis and reports the rest as unavailable, as with one
//! server before.

use std::{
    sync::{Mutex, PoisonError},
    time::{Duration, Instant},
};

use redis::{
    Cmd, Pipeline, RedisError, RedisFuture, RedisResult, Value,
    aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig},
    cluster::ClusterClient,
    cluster_async::ClusterConnection,
    sentinel::{SentinelClient, SentinelNodeConnectionInfo, SentinelServerType},
};
use tokio::sync::OnceCell;

use super::map_err;
use crate::storage::StorageResult;

const TIMEOUT: Duration = Duration::from_secs(2);

pub(super) enum Link {
    /// One server: the manager reconnects to it by itself.
    Direct(ConnectionManager),
    /// A Redis Cluster: each command goes to the node holding its key's slot.
    Cluster {
        client: ClusterClient,
        conn: OnceCell<ClusterConnection>,
        failed: Failed,
    },
    /// The primary the Sentinels name: asked again after it failed, and every
    /// [`RECHECK`] in any case, because after a failover the old primary takes writes
    /// until it learns it was demoted, and those writes are lost.
    Sentinel {
        client: tokio::sync::Mutex<SentinelClient>,
        primary: Mutex<Option<Primary>>,
        failed: Failed,
    },
}

/// When the last lookup (the cluster's nodes, the Sentinels' primary) failed. For
/// [`RECHECK`] after it, calls that need a lookup fail at once (unavailable) instead of
/// queueing for lookups of their own, each of which can take seconds while Redis is away.
#[derive(Default)]
pub(super) struct Failed(Mutex<Option<Instant>>);

impl Failed {
    fn recently(&self) -> RedisResult<()> {
        let at = *self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match at {
            Some(at) if at.elapsed() < RECHECK => Err(std::io::Error::new(
                std::io::ErrorKind::NotConnected,
                "Redis: the last lookup of its nodes failed a moment ago",
            )
            .into()),
            _ => Ok(()),
        }
    }

    fn note<T>(&self, result: RedisResult<T>) -> RedisResult<T> {
        let mut at = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *at = result.is_err().then(Instant::now);
        result
    }
}

/// How old the Sentinels' answer may be before a call asks them again.
pub(super) const RECHECK: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub(super) struct Primary {
    /// As the Sentinels named it, to tell a new primary from the one in use.
    addr: String,
    manager: ConnectionManager,
    checked: Instant,
}

fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(Some(TIMEOUT))
        .set_response_timeout(Some(TIMEOUT))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_secs(1))
}

impl Link {
    pub(super) fn direct(url: &str) -> StorageResult<Link> {
        let client = redis::Client::open(url).map_err(map_err)?;
        let manager =
            ConnectionManager::new_lazy_with_config(client, manager_config()).map_err(map_err)?;
        Ok(Link::Direct(manager))
    }

    pub(super) fn cluster(nodes: &[String]) -> StorageResult<Link> {
        let client = ClusterClient::builder(nodes.iter().map(String::as_str))
            .connection_timeout(TIMEOUT)
            .response_timeout(TIMEOUT)
            .build()
            .map_err(map_err)?;
        Ok(Link::Cluster {
            client,
            conn: OnceCell::new(),
            failed: Failed::default(),
        })
    }

    pub(super) fn sentinel(sentinels: &[String], primary: &str) -> StorageResult<Link> {
        let first = sentinels
            .first()
            .map(|url| redis::IntoConnectionInfo::into_connection_info(url.as_str()))
            .transpose()
            .map_err(map_err)?;
        let node = first.map(|info| {
            SentinelNodeConnectionInfo::default()
                .set_redis_connection_info(info.redis_settings().clone())
        });
        let client = SentinelClient::build(
            sentinels.iter().map(String::as_str).collect(),
            primary.to_owned(),
            node,
            SentinelServerType::Master,
        )
        .map_err(map_err)?;
        Ok(Link::Sentinel {
            client: tokio::sync::Mutex::new(client),
            primary: Mutex::new(None),
            failed: Failed::default(),
        })
    }

    /// The connection for one operation.
    pub(super) async fn conn(&self) -> RedisResult<Conn> {
        match self {
            Link::Direct(manager) => Ok(Conn::Manager(manager.clone())),
            Link::Cluster {
                client,
                conn,
                failed,
            } => conn
                // Those waiting while a lookup fails each try next: at once, unless failed.
                .get_or_try_init(|| async {
                    failed.recently()?;
                    failed.note(client.get_async_connection().await)
                })
                .await
                .cloned()
                .map(Conn::Cluster),
            Link::Sentinel {
                client,
                primary,
                failed,
            } => {
                let known = || {
                    primary
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clone()
                };
                match known() {
                    Some(p) if p.checked.elapsed() < RECHECK => Ok(Conn::Manager(p.manager)),
                    // Time to ask again: one call asks, the others go on meanwhile.
                    Some(p) => match client.try_lock() {
                        Ok(mut sentinels) => ask(&mut sentinels, primary, Some(p)).await,
                        Err(_) => Ok(Conn::Manager(p.manager)),
                    },
                    None => {
                        // One lookup at a time; those that waited use its answer.
                        let mut sentinels = client.lock().await;
                        match known() {
                            Some(p) => Ok(Conn::Manager(p.manager)),
                            None => {
                                failed.recently()?;
                                failed.note(ask(&mut sentinels, primary, None).await)
                            }
                        }
                    }
                }
            }
        }
    }

    /// After a failed call: a primary that stopped answering or was demoted (`READONLY`)
    /// is forgotten, so the next call asks the Sentinels which node is primary now.
    pub(super) fn failed(&self, e: &RedisError) {
        if let Link::Sentinel { primary, .. } = self {
            let gone = e.is_io_error()
                || e.is_connection_refusal()
                || e.is_connection_dropped()
                || e.is_timeout()
                || e.code() == Some("READONLY");
            if gone {
                *primary.lock().unwrap_or_else(PoisonError::into_inner) = None;
            }
        }
    }
}

/// Asks the Sentinels for the primary (they check it calls itself primary) and keeps it;
/// the known one's connection is kept when it is still the one. When no Sentinel answers,
/// the known primary goes on serving.
async fn ask(
    sentinels: &mut SentinelClient,
    slot: &Mutex<Option<Primary>>,
    known: Option<Primary>,
) -> RedisResult<Conn> {
    let found = match sentinels.async_get_client().await {
        Ok(found) => found,
        Err(e) => {
            let Some(mut known) = known else {
                return Err(e);
            };
            known.checked = Instant::now();
            let manager = known.manager.clone();
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(known);
            return Ok(Conn::Manager(manager));
        }
    };
    let addr = found.get_connection_info().addr().to_string();
    let manager = match known {
        Some(known) if known.addr == addr => known.manager,
        _ => ConnectionManager::new_with_config(found, manager_config()).await?,
    };
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(Primary {
        addr,
        manager: manager.clone(),
        checked: Instant::now(),
    });
    Ok(Conn::Manager(manager))
}

/// The connection one operation uses, whatever the kind of deployment.
pub(super) enum Conn {
    Manager(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Conn::Manager(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Conn::Manager(c) => c.req_packed_commands(pipeline, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Manager(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}
