//! Tokens whose signature a key set has checked, remembered by their SHA-256. A service
//! presents the same access token on every page view and every introspection until it
//! expires, and checking its signature again is most of what userinfo and introspection
//! cost.
//!
//! The memory belongs to one [`super::keys::KeySet`]: a rotation, a retirement or a reload
//! makes a new set, which starts with nothing remembered, so a retired key vouches for no
//! token through it either. Only the signature is remembered: expiry, revocation, the grant
//! and the client are checked on every use by the caller, as before. Bounded: when full it
//! is emptied and fills again with the tokens in use.

use dashmap::DashMap;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Tokens remembered at most (a few KiB each with their claims).
const CAPACITY: usize = 4096;

pub(super) type Checked = (Map<String, Value>, Option<String>);

#[derive(Default)]
pub(super) struct Verified {
    entries: DashMap<[u8; 32], Checked>,
}

impl Verified {
    pub(super) fn key(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }

    pub(super) fn get(&self, key: &[u8; 32]) -> Option<Checked> {
        self.entries.get(key).map(|e| e.value().clone())
    }

    pub(super) fn remember(&self, key: [u8; 32], checked: &Checked) {
        if self.entries.len() >= CAPACITY {
            self.entries.clear();
        }
        self.entries.insert(key, checked.clone());
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_is_bounded_and_keeps_what_it_was_given() {
        let verified = Verified::default();
        for i in 0..CAPACITY + 10 {
            let key = Verified::key(&format!("token-{i}"));
            verified.remember(key, &(Map::new(), Some(format!("typ-{i}"))));
        }
        assert!(verified.len() <= CAPACITY);
        let last = Verified::key(&format!("token-{}", CAPACITY + 9));
        assert_eq!(
            verified.get(&last).and_then(|c| c.1),
            Some(format!("typ-{}", CAPACITY + 9))
        );
        assert!(verified.get(&Verified::key("never given")).is_none());
    }
}
