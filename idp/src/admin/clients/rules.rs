//! What a client registration must satisfy, checked in one place for create and update
//! alike: a change can never make a client that could not have been created.

use url::Url;

use super::{ClientError, NewClient};
use crate::{
    audit::Actor,
    crypto::client_jwks::{self, is_loopback},
    model::oauth::{
        ACR_VALUES, ClientProfile, FAPI2_ALGORITHMS, GRANT_AUTHORIZATION_CODE,
        GRANT_CLIENT_CREDENTIALS, GRANT_TYPES, Scope, SigningAlg,
    },
    storage::{Client, ClientAuthMethod, ClientKeys},
};

/// Longest description, so a catalogue page stays a page (a name's is `ClientName::MAX`).
const MAX_DESCRIPTION: usize = 2000;

/// Schemes that run code or read local data in the browser: never a redirect target.
const DANGEROUS_SCHEMES: [&str; 6] = ["javascript", "data", "file", "vbscript", "blob", "about"];

fn invalid(field: &'static str, detail: impl Into<String>) -> ClientError {
    ClientError::Invalid {
        field: field.into(),
        detail: detail.into(),
    }
}

pub(super) fn check_id(id: &str) -> Result<(), ClientError> {
    let ok = (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "client_id",
            "1-128 characters of letters, digits, '-', '_', '.' or ':'",
        ))
    }
}

/// Longest `jwks_uri`, like any URL a browser would take.
const MAX_URI: usize = 2048;

/// The method asked for agrees with the rest of the registration: `none` is a public
/// client's, keys are `private_key_jwt`'s, and a `private_key_jwt` client has keys and no
/// secret.
pub(super) fn check_auth_method(new: &NewClient) -> Result<(), ClientError> {
    let method = "token_endpoint_auth_method";
    match (new.auth_method, new.public, new.keys.is_some()) {
        (Some(ClientAuthMethod::None), false, _) => {
            Err(invalid(method, "none is for public clients"))
        }
        (Some(m), true, _) if m != ClientAuthMethod::None => Err(invalid(
            method,
            "a public client has no secret and no keys; its method is none",
        )),
        (Some(ClientAuthMethod::PrivateKeyJwt), _, false) => Err(invalid(
            "jwks",
            "private_key_jwt needs the client's keys: jwks or jwks_uri",
        )),
        (Some(ClientAuthMethod::ClientSecret | ClientAuthMethod::None), _, true) => Err(invalid(
            "jwks",
            "jwks and jwks_uri are for private_key_jwt clients",
        )),
        (_, _, true) if new.secret.is_some() => Err(invalid(
            "secret",
            "a private_key_jwt client authenticates with its keys and has no secret",
        )),
        _ => Ok(()),
    }
}

/// A private_key_jwt client's keys: a valid set of public keys, or a URL it may be fetched
/// from.
fn check_keys(c: &Client) -> Result<(), ClientError> {
    let Some(keys) = &c.keys else {
        return Ok(());
    };
    if c.public || c.secret_hash.is_some() {
        return Err(invalid(
            "jwks",
            "keys are for private_key_jwt clients, which have no secret",
        ));
    }
    match keys {
        ClientKeys::Jwks(set) => client_jwks::parse_jwks(set.as_bytes())
            .map(drop)
            .map_err(|e| invalid("jwks", e.to_string())),
        ClientKeys::JwksUri(uri) if uri.len() > MAX_URI => {
            Err(invalid("jwks_uri", format!("at most {MAX_URI} characters")))
        }
        ClientKeys::JwksUri(uri) => client_jwks::check_uri(uri)
            .map(drop)
            .map_err(|e| invalid("jwks_uri", format!("{uri:?}: {e}"))),
    }
}

/// A back-channel logout URI (Back-Channel Logout 1.0 §2.2): absolute, no fragment, and
/// reached over https, or plain http on the loopback interface, like a `jwks_uri` (the same
/// rule: Postern itself calls it, so it must not be sent in the clear across a network).
fn check_backchannel(c: &Client) -> Result<(), ClientError> {
    const FIELD: &str = "backchannel_logout_uri";
    let Some(b) = &c.backchannel_logout else {
        return Ok(());
    };
    if b.uri.len() > MAX_URI {
        return Err(invalid(FIELD, format!("at most {MAX_URI} characters")));
    }
    client_jwks::check_uri(&b.uri)
        .map(drop)
        .map_err(|e| invalid(FIELD, format!("{:?}: {e}", b.uri)))
}

/// What the FAPI 2.0 Security Profile (§5.3.2, §5.4) asks of a client's registration; the
/// rules of the requests themselves are kept where each request is checked (see
/// `protocol::profile`). Admin forces PAR and DPoP on when the profile is chosen, so these
/// refuse only a later change that would turn them off.
fn check_profile(c: &Client) -> Result<(), ClientError> {
    if c.profile != ClientProfile::Fapi2 {
        return Ok(());
    }
    let why = |field, what: &str| invalid(field, format!("the fapi2 profile {what}"));
    if c.public || c.keys.is_none() {
        return Err(why(
            "token_endpoint_auth_method",
            "needs a confidential client authenticating with private_key_jwt",
        ));
    }
    if !c.require_par {
        return Err(why(
            "require_pushed_authorization_requests",
            "requires pushed authorization requests",
        ));
    }
    if !c.dpop_bound {
        return Err(why(
            "dpop_bound_access_tokens",
            "requires DPoP-bound access tokens",
        ));
    }
    if !matches!(c.id_token_alg, Some(SigningAlg::ES256 | SigningAlg::EdDSA)) {
        return Err(why(
            "id_token_signed_response_alg",
            "signs ID tokens with ES256 or EdDSA only",
        ));
    }
    if let Some(alg) = &c.request_object_alg
        && !FAPI2_ALGORITHMS.contains(&alg.as_str())
    {
        return Err(why(
            "request_object_signing_alg",
            "accepts PS256, ES256 or EdDSA only",
        ));
    }
    Ok(())
}

/// A redirect (or post-logout redirect) URI: absolute, no fragment (RFC 6749 §3.1.2), no
/// wildcard (compared exactly, so `*` would only ever be a trap), https except on the
/// loopback interface (RFC 8252 §7.3), and a custom scheme only for a public client: a
/// native app receives its response through one (RFC 8252 §7.1), a confidential web client
/// has no business doing so.
fn check_redirect(field: &'static str, uri: &str, public: bool) -> Result<(), ClientError> {
    let bad = |why: &str| invalid(field, format!("{uri:?}: {why}"));
    if uri.contains('*') {
        return Err(bad("wildcards are not allowed; register each URI exactly"));
    }
    let url = Url::parse(uri).map_err(|_| bad("not an absolute URI"))?;
    if url.fragment().is_some() {
        return Err(bad("a redirect URI may not have a fragment"));
    }
    if url.cannot_be_a_base() {
        return Err(bad("not an absolute URI with a path"));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(bad(
            "http is allowed on the loopback interface only (127.0.0.1, [::1], localhost); use https",
        )),
        s if DANGEROUS_SCHEMES.contains(&s) => Err(bad("this scheme is never a redirect target")),
        _ if public => Ok(()),
        _ => Err(bad(
            "custom schemes are for public (native) clients; a confidential client redirects over https",
        )),
    }
}

/// Every rule a client record must satisfy.
/// Whether a client holding `scopes` has administrative power: the management API's
/// scopes, or introspecting every token. Only an actor in every area may give a client such
/// a scope or act on a client that has one (rotating its secret hands the power over).
pub(super) fn privileged(scopes: &Scope) -> bool {
    scopes
        .iter()
        .any(|s| s == "admin" || s.starts_with("admin:") || s == "introspection")
}

/// Refuses `actor` on `client` when the client is privileged and the actor does not act in
/// every area: an `admin:clients` token could otherwise mint itself an `admin` client.
pub(super) fn may_administer(actor: &Actor, client: &Client) -> Result<(), ClientError> {
    if privileged(&client.scopes) && !actor.in_every_area() {
        Err(ClientError::Privileged)
    } else {
        Ok(())
    }
}

pub(super) fn validate(c: &Client) -> Result<(), ClientError> {
    check_id(&c.client_id)?;
    for u in &c.redirect_uris {
        check_redirect("redirect_uris", u, c.public)?;
    }
    for u in &c.post_logout_redirect_uris {
        check_redirect("post_logout_redirect_uris", u, c.public)?;
    }
    // Shown as a link in the catalogue: only web addresses, never `javascript:`.
    if let Some(u) = &c.launch_url {
        let web = Url::parse(u).is_ok_and(|p| {
            matches!(p.scheme(), "https" | "http") && p.fragment().is_none() && p.has_host()
        });
        if !web {
            return Err(invalid(
                "launch_url",
                format!("{u:?}: an absolute http(s) URL without a fragment"),
            ));
        }
    }
    if c.description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION)
    {
        return Err(invalid(
            "description",
            format!("at most {MAX_DESCRIPTION} characters"),
        ));
    }
    if c.grant_types.is_empty() {
        return Err(invalid("grant_types", "at least one grant type"));
    }
    if let Some(g) = c
        .grant_types
        .iter()
        .find(|g| !GRANT_TYPES.contains(&g.as_str()))
    {
        return Err(invalid(
            "grant_types",
            format!(
                "unknown grant type {g:?}; expected one of {}",
                GRANT_TYPES.join(", ")
            ),
        ));
    }
    if c.allows_grant(GRANT_AUTHORIZATION_CODE) && c.redirect_uris.is_empty() {
        return Err(invalid(
            "redirect_uris",
            "the authorization code flow needs at least one redirect URI",
        ));
    }
    check_keys(c)?;
    check_backchannel(c)?;
    if let Some(alg) = &c.request_object_alg
        && !crate::protocol::client_assertion::ALGORITHMS.contains(&alg.as_str())
    {
        return Err(invalid(
            "request_object_signing_alg",
            format!(
                "{alg:?}: one of {}",
                crate::protocol::client_assertion::ALGORITHMS.join(", ")
            ),
        ));
    }
    check_profile(c)?;
    if c.public && c.allows_grant(GRANT_CLIENT_CREDENTIALS) {
        return Err(invalid(
            "grant_types",
            "a public client has no secret and cannot use client_credentials",
        ));
    }
    if let Some(acr) = &c.min_acr
        && !ACR_VALUES.contains(&acr.as_str())
    {
        return Err(invalid(
            "min_acr",
            format!(
                "unknown acr {acr:?}; expected one of {}",
                ACR_VALUES.join(", ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_follow_the_rules_for_their_kind_of_client() {
        for ok in [
            "https://rp.example/cb",
            "http://127.0.0.1:8080/cb",
            "http://[::1]/cb",
            "http://localhost:3000/cb",
        ] {
            assert!(check_redirect("f", ok, false).is_ok(), "{ok}");
            assert!(check_redirect("f", ok, true).is_ok(), "{ok}");
        }
        for bad in [
            "https://rp.example/cb#x",
            "https://rp.example/cb#",
            "https://*.rp.example/cb",
            "https://rp.example/*",
            "http://rp.example/cb",
            "http://127.0.0.2/cb",
            "http://localhost.evil.example/cb",
            "javascript:alert(1)",
            "data:text/html,x",
            "relative/cb",
            "",
        ] {
            assert!(check_redirect("f", bad, false).is_err(), "{bad}");
            assert!(check_redirect("f", bad, true).is_err(), "{bad}");
        }
        // A native app's private-use scheme (RFC 8252 §7.1).
        assert!(check_redirect("f", "com.example.app:/cb", true).is_ok());
        assert!(check_redirect("f", "com.example.app:/cb", false).is_err());
    }
}
