//! Reads that a PostgreSQL replica may answer (`database.read_url`): what userinfo shows of
//! a person, and the catalogue of services. Both tolerate a replica's lag of a moment. What
//! decides access never reads here: client lookups (a disabled client must stop at once),
//! grants, sessions, lockouts and single-use values all read the primary.
//!
//! When the replica cannot be reached the primary answers, so a replica's outage costs the
//! primary some load, not an error; and the replica is left alone for [`RETRY_AFTER`], so
//! the outage does not cost every read a connection timeout either.

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use super::{Client, ClientStore, StorageError, StorageResult, User, UserStore, sql::SqlStore};

/// How long reads skip a replica that could not be reached.
pub const RETRY_AFTER: Duration = Duration::from_secs(10);

pub struct ReadPath {
    primary: Arc<SqlStore>,
    replica: Option<Arc<SqlStore>>,
    /// When the replica was last found away.
    away_since: Mutex<Option<Instant>>,
}

impl ReadPath {
    pub fn new(primary: Arc<SqlStore>, replica: Option<Arc<SqlStore>>) -> ReadPath {
        ReadPath {
            primary,
            replica,
            away_since: Mutex::new(None),
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
        if let Some(replica) = self.replica() {
            match UserStore::find_user(replica, id).await {
                Err(StorageError::Unavailable(_)) => self.away(),
                // A person created a moment ago may not have reached the replica yet.
                Ok(None) => {}
                answer => return answer,
            }
        }
        UserStore::find_user(self.primary.as_ref(), id).await
    }

    /// Every client, for the catalogue of services.
    pub async fn all_clients(&self) -> StorageResult<Vec<Client>> {
        if let Some(replica) = self.replica() {
            match ClientStore::all_clients(replica).await {
                Err(StorageError::Unavailable(_)) => self.away(),
                answer => return answer,
            }
        }
        ClientStore::all_clients(self.primary.as_ref()).await
    }
}
