//! Client authentication at the token, introspection and revocation endpoints
//! (RFC 6749 §2.3.1; OIDC Core §9): `client_secret_basic`, `client_secret_post`, and `none`
//! for public clients, which prove possession with PKCE instead.

use base64::{Engine, engine::general_purpose::STANDARD};

use super::error::OAuthError;
use crate::{crypto::Secret, state::AppState, storage::Client};

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

/// Authenticates the client. `confidential_only` is for endpoints a public client may not
/// call (introspection).
pub async fn authenticate(
    state: &AppState,
    creds: PresentedCredentials,
    confidential_only: bool,
) -> Result<Client, OAuthError> {
    let used_basic = creds.basic.is_some() || creds.malformed_header;
    let fail = |d: &'static str| OAuthError::invalid_client(d).with_basic_challenge(used_basic);
    if creds.malformed_header {
        return Err(fail(
            "the Authorization header is not valid Basic credentials",
        ));
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
    let client = state.stores.clients.find_client(&client_id).await?;
    let Some(client) = client else {
        // Same work and the same answer as a wrong secret: no client enumeration.
        if let Some(s) = &secret {
            let _ = state.secrets.verify(s.expose(), "hmac-sha256:AAAA");
        }
        return Err(fail("client authentication failed"));
    };
    match (&client.secret_hash, secret) {
        (Some(stored), Some(presented)) if !client.public => {
            if state.secrets.verify(presented.expose(), stored) {
                Ok(client)
            } else {
                Err(fail("client authentication failed"))
            }
        }
        (_, None) if client.public && !confidential_only => Ok(client),
        (_, None) if client.public => Err(fail("this endpoint is for confidential clients")),
        (_, Some(_)) if client.public => Err(fail("public clients have no secret")),
        _ => Err(fail("client authentication failed")),
    }
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
