//! Client authentication at the token, introspection and revocation endpoints
//! (RFC 6749 §2.3.1; OIDC Core §9): `client_secret_basic`, `client_secret_post`,
//! `private_key_jwt` (`client_assertion.rs`), and `none` for public clients, which prove
//! possession with PKCE instead. A client uses the method it is registered for: a
//! `private_key_jwt` client has no secret, and a secret client's assertion is refused.
//!
//! Failures are limited per client id, never per address alone: behind one NAT or proxy,
//! one misconfigured service must not deny tokens to every other client there. A client id
//! that failed too often from one address is refused from that address; while a client id
//! fails too often from everywhere, each address that failed for it is refused at once. An
//! address that has not failed for a client id (its own servers) always gets its secret
//! checked, so a correct authentication is never refused for others' failures.

use base64::{Engine, engine::general_purpose::STANDARD};

use super::{
    client_assertion,
    error::{ErrorCode, OAuthError},
};
use crate::{
    audit::RequestMeta,
    crypto::Secret,
    ratelimit,
    state::AppState,
    storage::{Client, ClientAuthMethod},
};

const PER_CLIENT: &str = "client-auth-client";
const PER_CLIENT_ADDRESS: &str = "client-auth-client-ip";

/// The counter ids of `client_id`: the client id, and the client id at this address.
fn counters(client_id: &str, meta: &RequestMeta) -> (String, String) {
    let address = ratelimit::address(meta);
    // A NUL cannot be in a client id read from a form, so no two pairs run together.
    let pair = format!("{client_id}\u{0}{}", address.as_str());
    (client_id.to_owned(), pair)
}

/// Refuses (429) a caller whose failures for `client_id` are past the limits; see the
/// module's documentation.
async fn may_try(state: &AppState, client_id: &str, meta: &RequestMeta) -> Result<(), OAuthError> {
    let limits = &state.config.rate_limit;
    let (client, pair) = counters(client_id, meta);
    let from_here = ratelimit::current(state, PER_CLIENT_ADDRESS, &pair).await?;
    let refused = from_here >= u64::from(limits.client_auth_failures_per_ip)
        || (from_here > 0
            && ratelimit::current(state, PER_CLIENT, &client).await?
                >= u64::from(limits.client_auth_failures_per_client));
    if refused {
        return Err(OAuthError::too_many_requests(ratelimit::retry_after(state)));
    }
    Ok(())
}

/// Counts a failed authentication of `client_id` from this address.
async fn failed(state: &AppState, client_id: &str, meta: &RequestMeta) -> Result<(), OAuthError> {
    let (client, pair) = counters(client_id, meta);
    ratelimit::count(state, PER_CLIENT, &client).await?;
    ratelimit::count(state, PER_CLIENT_ADDRESS, &pair).await?;
    Ok(())
}

/// What the request carried; the http layer fills it without judging it.
#[derive(Debug, Default)]
pub struct PresentedCredentials {
    /// From `Authorization: Basic`.
    pub basic: Option<(String, Secret)>,
    /// `client_id` in the body.
    pub body_client_id: Option<String>,
    /// `client_secret` in the body.
    pub body_secret: Option<Secret>,
    /// An `Authorization` header was present but not readable as Basic credentials.
    pub malformed_header: bool,
    /// `client_assertion_type` and `client_assertion` (RFC 7521 §4.2).
    pub assertion_type: Option<String>,
    pub assertion: Option<String>,
}

/// Decodes `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
pub fn parse_basic(header: &str) -> Option<(String, Secret)> {
    let (scheme, rest) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(rest.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let id = form_decode(id)?;
    let secret = form_decode(secret)?;
    Some((id, Secret::new(secret)))
}

fn form_decode(s: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&format!("v={s}")).ok()?;
    pairs.into_iter().next().map(|(_, v)| v)
}

/// Authenticates the client, within the failure limits of its client id. `confidential_only`
/// is for endpoints a public client may not call (introspection).
pub async fn authenticate(
    state: &AppState,
    creds: PresentedCredentials,
    confidential_only: bool,
    meta: &RequestMeta,
) -> Result<Client, OAuthError> {
    let used_basic = creds.basic.is_some() || creds.malformed_header;
    let fail = |d: &'static str| OAuthError::invalid_client(d).with_basic_challenge(used_basic);
    if creds.malformed_header {
        return Err(fail(
            "the Authorization header is not valid Basic credentials",
        ));
    }
    if creds.assertion_type.is_some() || creds.assertion.is_some() {
        // A private_key_jwt client is never public: `confidential_only` holds for it.
        return authenticate_by_assertion(state, creds, meta).await;
    }
    let (client_id, secret) = match (creds.basic, creds.body_client_id, creds.body_secret) {
        (Some(_), _, Some(_)) => {
            return Err(OAuthError::invalid_request(
                "use one client authentication method, not both Basic and client_secret",
            ));
        }
        (Some((id, secret)), body_id, None) => {
            if body_id.is_some_and(|b| b != id) {
                return Err(OAuthError::invalid_request(
                    "client_id in the body differs from the authenticated client",
                ));
            }
            (id, Some(secret))
        }
        (None, Some(id), secret) => (id, secret),
        (None, None, _) => return Err(fail("client authentication is required")),
    };
    may_try(state, &client_id, meta).await?;
    let result = verify(state, &client_id, secret, confidential_only, used_basic).await;
    count_failure(state, &client_id, meta, result).await
}

/// Counts an `invalid_client` outcome against `client_id`, whichever method failed.
async fn count_failure(
    state: &AppState,
    client_id: &str,
    meta: &RequestMeta,
    result: Result<Client, OAuthError>,
) -> Result<Client, OAuthError> {
    if let Err(e) = &result
        && e.code == ErrorCode::InvalidClient
    {
        failed(state, client_id, meta).await?;
    }
    result
}

/// `private_key_jwt`: the assertion alone authenticates; a secret besides it is a second
/// method. The client id is the assertion's `iss` (and `client_id` in the body must agree).
async fn authenticate_by_assertion(
    state: &AppState,
    creds: PresentedCredentials,
    meta: &RequestMeta,
) -> Result<Client, OAuthError> {
    if creds.basic.is_some() || creds.body_secret.is_some() {
        return Err(OAuthError::invalid_request(
            "use one client authentication method, not a client assertion and a secret",
        ));
    }
    // RFC 7521 §4.2.1: an unsupported assertion type is invalid_client too.
    if creds.assertion_type.as_deref() != Some(client_assertion::ASSERTION_TYPE) {
        return Err(OAuthError::invalid_client(format!(
            "client_assertion_type must be {}",
            client_assertion::ASSERTION_TYPE
        )));
    }
    let Some(assertion) = creds.assertion.filter(|a| !a.is_empty()) else {
        return Err(OAuthError::invalid_client("client_assertion is required"));
    };
    let Some(client_id) = client_assertion::claimed_client_id(&assertion)
        .or(creds.body_client_id.clone())
        .filter(|id| !id.is_empty())
    else {
        return Err(OAuthError::invalid_client(
            "the client assertion names no client (iss)",
        ));
    };
    may_try(state, &client_id, meta).await?;
    let result = async {
        if creds.body_client_id.is_some_and(|b| b != client_id) {
            return Err(OAuthError::invalid_client(
                "client_id in the body differs from the assertion's client",
            ));
        }
        let client = state.stores.clients.find_client(&client_id).await?;
        let Some(client) = client.filter(|c| c.auth_method() == ClientAuthMethod::PrivateKeyJwt)
        else {
            // Unknown, or registered for another method: the same answer.
            return Err(OAuthError::invalid_client("client authentication failed"));
        };
        client_assertion::verify(state, &client, &assertion)
            .await
            .map_err(OAuthError::invalid_client)?;
        if client.disabled {
            return Err(OAuthError::invalid_client("this client is disabled"));
        }
        Ok(client)
    }
    .await;
    count_failure(state, &client_id, meta, result).await
}

/// Checks the presented secret (or its absence) against the client's registration.
async fn verify(
    state: &AppState,
    client_id: &str,
    secret: Option<Secret>,
    confidential_only: bool,
    used_basic: bool,
) -> Result<Client, OAuthError> {
    let fail = |d: &'static str| OAuthError::invalid_client(d).with_basic_challenge(used_basic);
    let client = state.stores.clients.find_client(client_id).await?;
    let Some(client) = client else {
        // Same work and the same answer as a wrong secret: no client enumeration.
        if let Some(s) = &secret {
            let _ = state.secrets.verify(s.expose(), "hmac-sha256:AAAA");
        }
        return Err(fail("client authentication failed"));
    };
    let authenticated = match (&client.secret_hash, secret) {
        (Some(stored), Some(presented)) if !client.public => {
            if secret_matches(state, &client, stored, &presented) {
                Ok(client)
            } else {
                Err(fail("client authentication failed"))
            }
        }
        (_, None) if client.public && !confidential_only => Ok(client),
        (_, None) if client.public => Err(fail("this endpoint is for confidential clients")),
        (_, Some(_)) if client.public => Err(fail("public clients have no secret")),
        _ => Err(fail("client authentication failed")),
    }?;
    // Said only to a client that proved who it is: others learn nothing about it.
    if authenticated.disabled {
        return Err(fail("this client is disabled"));
    }
    Ok(authenticated)
}

/// The current secret, or the one a rotation replaced while its grace lasts. Both hashes
/// are checked (each in constant time) whenever there are two, so the answer's timing does
/// not tell which one matched.
fn secret_matches(state: &AppState, client: &Client, stored: &str, presented: &Secret) -> bool {
    let current = state.secrets.verify(presented.expose(), stored);
    let previous = match (
        &client.previous_secret_hash,
        client.previous_secret_expires_at,
    ) {
        (Some(hash), Some(until)) => {
            let matched = state.secrets.verify(presented.expose(), hash);
            matched && state.now() < until
        }
        _ => false,
    };
    current | previous
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_decoded() {
        // "my%20client:s%3Acret" base64
        let h = format!("Basic {}", STANDARD.encode("my%20client:s%3Acret+x"));
        let (id, secret) = parse_basic(&h).unwrap();
        assert_eq!(id, "my client");
        assert_eq!(secret.expose(), "s:cret x");
        assert!(parse_basic("Bearer abc").is_none());
        assert!(parse_basic("Basic !!!").is_none());
    }
}
