//! Reads that a PostgreSQL replica may answer (`database.read_url`): what userinfo shows of
//! a person, and the catalogue of services. Both tolerate a replica's lag of a moment. What
//! decides access never reads here: client lookups (a disabled client must stop at once),
//! grants, sessions, lockouts and single-use values all read the primary.
//!
//! When the replica cannot be reached the primary answers, so a replica's outage costs the
//! primary some load, not an error; and the replica is left alone for [`RETRY_AFTER`], so
//! the outage does not cost every read a connection timeout either.
//!
//! The person records read from the primary are remembered for [`USER_TTL`]: on SQLite the
//! lookup, a hand-off to a database thread and back, cost more than the rest of a userinfo
//! call. Token renewal reads them here too, from the primary only. A change of users made
//! through this node makes them all stale at once ([`super::user_watch`]); another node's
//! change shows within the TTL.

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use super::{
    Client, ClientStore, StorageError, StorageResult, User, UserStore,
    sql::SqlStore,
    writes::{Generation, Remembered},
};

/// How long userinfo may show a person's record without reading it again.
pub const USER_TTL: Duration = Duration::from_secs(1);

/// How long reads skip a replica that could not be reached.
pub const RETRY_AFTER: Duration = Duration::from_secs(10);

pub struct ReadPath {
    primary: Arc<SqlStore>,
    replica: Option<Arc<SqlStore>>,
    /// When the replica was last found away.
    away_since: Mutex<Option<Instant>>,
    /// Writes of users through this node, and the records read from the primary.
    user_writes: Generation,
    users: Remembered<User>,
}

impl ReadPath {
    pub fn new(
        primary: Arc<SqlStore>,
        replica: Option<Arc<SqlStore>>,
        user_writes: Generation,
    ) -> ReadPath {
        ReadPath {
            primary,
            replica,
            away_since: Mutex::new(None),
            user_writes,
            users: Remembered::new(USER_TTL),
        }
    }

    /// The replica, unless it was away within [`RETRY_AFTER`].
    fn replica(&self) -> Option<&SqlStore> {
        let away = *self
            .away_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match away {
            Some(at) if at.elapsed() < RETRY_AFTER => None,
            _ => self.replica.as_deref(),
        }
    }

    fn away(&self) {
        *self
            .away_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
    }

    /// The person's record as userinfo shows it.
    pub async fn find_user(&self, id: &str) -> StorageResult<Option<User>> {
        self.remembered_user(id, true).await
    }

    /// The person's record from the primary, for token renewal, which refuses a disabled
    /// account: a replica's unbounded lag would let one renew its tokens. What is
    /// remembered came from the primary, so it serves here too, with the grants' bound
    /// (another node's change shows within [`USER_TTL`]).
    pub async fn find_user_on_primary(&self, id: &str) -> StorageResult<Option<User>> {
        self.remembered_user(id, false).await
    }

    async fn remembered_user(&self, id: &str, replica: bool) -> StorageResult<Option<User>> {
        // Read before the lookup: a write that lands during it makes its answer stale.
        let writes = self.user_writes.now();
        if let Some(user) = self.users.get(id, writes) {
            return Ok(Some(user));
        }
        let (found, from_primary) = if replica {
            self.read_user(id).await?
        } else {
            (UserStore::find_user(self.primary.as_ref(), id).await?, true)
        };
        // A replica's answer is not kept: its lag is not bounded, and a write through this
        // node would not make it stale.
        if let Some(user) = found.as_ref().filter(|_| from_primary) {
            self.users.keep(id, writes, user);
        }
        Ok(found)
    }

    /// The record, and whether the primary gave it.
    async fn read_user(&self, id: &str) -> StorageResult<(Option<User>, bool)> {
        if let Some(replica) = self.replica() {
            match UserStore::find_user(replica, id).await {
                Ok(Some(user)) => return Ok((Some(user), false)),
                // A person created a moment ago may not have reached the replica yet.
                Ok(None) => {}
                Err(StorageError::Unavailable(_)) => self.away(),
                // Any other failure of the replica (a query cancelled by its recovery, say)
                // is the primary's to answer.
                Err(_) => {}
            }
        }
        let found = UserStore::find_user(self.primary.as_ref(), id).await?;
        Ok((found, true))
    }

    /// Every client, for the catalogue of services.
    pub async fn all_clients(&self) -> StorageResult<Vec<Client>> {
        if let Some(replica) = self.replica() {
            match ClientStore::all_clients(replica).await {
                Ok(clients) => return Ok(clients),
                Err(StorageError::Unavailable(_)) => self.away(),
                Err(_) => {}
            }
        }
        ClientStore::all_clients(self.primary.as_ref()).await
    }
}
