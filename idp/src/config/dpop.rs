//! DPoP (RFC 9449).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Dpop {
    /// Every DPoP proof must carry a nonce from Postern (RFC 9449 §8, §9): a proof made in
    /// advance, on a device the key was stolen from, is then worth at most a few minutes.
    /// Clients get the nonce from the `DPoP-Nonce` header of a `use_dpop_nonce` answer and of
    /// every answer to a request with a proof. Off by default, as most clients do not expect
    /// the extra round trip.
    pub require_nonce: bool,
}
