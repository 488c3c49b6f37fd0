//! The FAPI 2.0 Security Profile (final, 2025) for the clients registered with it
//! (`profile: fapi2`). Each rule is enforced where its request is checked; this module holds
//! the values that differ per profile, and this list says where the rest is kept:
//!
//! - pushed authorization requests only (§5.3.2.2): `require_par`, turned on at
//!   registration (`admin::clients`) and kept on by its rules, checked in
//!   `authorize_request`;
//! - PKCE with S256 (§5.3.2.2): every client of Postern already;
//! - a confidential client with `private_key_jwt` (§5.3.2.1): registration rules; the
//!   assertion's `aud` is the issuer, as a string ([`assertion_audiences`]);
//! - sender-constrained access tokens (§5.3.2.1), by DPoP: `dpop_bound`, like PAR;
//! - the `iss` authorization response parameter (§5.3.2.2, RFC 9207): every response;
//! - PS256, ES256 or EdDSA only (§5.4): [`algorithms`] for client assertions, request
//!   objects and DPoP proofs; ID tokens ES256 or EdDSA (registration rules);
//! - authorization codes live at most 60 seconds (§5.3.2.2): [`code_ttl`].

use std::time::Duration;

use crate::{
    model::oauth::{CLIENT_ALGORITHMS, ClientProfile, FAPI2_ALGORITHMS},
    state::AppState,
    storage::Client,
};

/// The longest a FAPI 2.0 client's authorization code lives.
pub const FAPI2_CODE_TTL: Duration = Duration::from_secs(60);

/// The algorithms `client` may sign with: client assertions, request objects, DPoP proofs.
pub fn algorithms(client: &Client) -> &'static [&'static str] {
    match client.profile {
        ClientProfile::Standard => &CLIENT_ALGORITHMS,
        ClientProfile::Fapi2 => &FAPI2_ALGORITHMS,
    }
}

/// How long a code issued to `client` lives.
pub fn code_ttl(state: &AppState, client: &Client) -> Duration {
    let configured = state.config.tokens.code_ttl;
    match client.profile {
        ClientProfile::Standard => configured,
        ClientProfile::Fapi2 => configured.min(FAPI2_CODE_TTL),
    }
}

/// What a client assertion's `aud` may be, and whether it must be a single string: any
/// URL naming Postern (RFC 7523 §3, RFC 9126 §2) for most clients; for a FAPI 2.0 client
/// the issuer only, as a string (§5.3.2.1), so an assertion made for another endpoint or
/// another server cannot be replayed here.
pub fn assertion_audiences(state: &AppState, client: &Client) -> (Vec<String>, bool) {
    let issuer = state.config.issuer.clone();
    match client.profile {
        // RFC 9126 §2 and RFC 8628 §3.1: the push and device authorization endpoints ask
        // for the same client authentication, and their URLs name Postern too.
        ClientProfile::Standard => (
            vec![
                issuer,
                state.url("/token"),
                state.url("/par"),
                state.url(super::device::ENDPOINT),
            ],
            false,
        ),
        ClientProfile::Fapi2 => (vec![issuer], true),
    }
}
