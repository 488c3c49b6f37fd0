//! Registered clients, remembered for a few seconds: every token, introspection and
//! authorization request looks its client up, and a client record changes rarely. Only
//! found clients are kept (an unknown id always asks the database), and a create, update or delete
//! through this node forgets the entry at once; another node's change shows within the TTL.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use async_trait::async_trait;
use dashmap::DashMap;

use super::{Client, ClientStore, Page, StorageResult};

/// How long a client record is trusted without asking the database again.
pub const CLIENT_TTL: Duration = Duration::from_secs(2);

pub struct CachedClients {
    inner: Arc<dyn ClientStore>,
    ttl: Duration,
    entries: DashMap<String, (Instant, Arc<Client>)>,
}

impl CachedClients {
    pub fn new(inner: Arc<dyn ClientStore>, ttl: Duration) -> CachedClients {
        CachedClients {
            inner,
            ttl,
            entries: DashMap::new(),
        }
    }
}

#[async_trait]
impl ClientStore for CachedClients {
    async fn create_client(&self, client: &Client) -> StorageResult<()> {
        self.entries.remove(&client.client_id);
        self.inner.create_client(client).await
    }

    async fn find_client(&self, client_id: &str) -> StorageResult<Option<Client>> {
        if let Some(e) = self.entries.get(client_id)
            && e.0.elapsed() < self.ttl
        {
            return Ok(Some(Client::clone(&e.1)));
        }
        let found = self.inner.find_client(client_id).await?;
        match &found {
            Some(c) => {
                self.entries
                    .insert(client_id.to_owned(), (Instant::now(), Arc::new(c.clone())));
            }
            None => {
                self.entries.remove(client_id);
            }
        }
        Ok(found)
    }

    async fn list_clients(&self, offset: u64, limit: u64) -> StorageResult<Page<Client>> {
        self.inner.list_clients(offset, limit).await
    }

    async fn update_client(&self, client: &Client, expected_revision: i64) -> StorageResult<bool> {
        let r = self.inner.update_client(client, expected_revision).await;
        self.entries.remove(&client.client_id);
        r
    }

    async fn delete_client(&self, client_id: &str) -> StorageResult<()> {
        let r = self.inner.delete_client(client_id).await;
        self.entries.remove(client_id);
        r
    }
}
