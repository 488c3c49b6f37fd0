//! Client logos as stored: the image bytes under their content address, fetched once when a
//! client's `logo_uri` is set and served from Postern's own origin.

use async_trait::async_trait;

use super::StorageResult;
use crate::model::{ImageKind, LogoId};

/// One stored image. Its id is the SHA-256 of `data`, so a stored logo never changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLogo {
    pub id: LogoId,
    pub kind: ImageKind,
    pub data: Vec<u8>,
    pub created_at: i64,
}

impl StoredLogo {
    /// The logo of `data`, a `kind` image (checked by its first bytes before).
    pub fn new(kind: ImageKind, data: Vec<u8>, now: i64) -> StoredLogo {
        StoredLogo {
            id: LogoId::of(&data),
            kind,
            data,
            created_at: now,
        }
    }
}

#[async_trait]
pub trait LogoStore: Send + Sync {
    /// Stores the logo unless one with its id is stored already (the same bytes).
    async fn put_logo(&self, logo: &StoredLogo) -> StorageResult<()>;
    async fn find_logo(&self, id: &LogoId) -> StorageResult<Option<StoredLogo>>;
}
