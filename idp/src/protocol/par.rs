//! Pushed authorization requests (RFC 9126): the client sends its authorization request
//! straight to Postern, authenticated, and gets a `request_uri` that the browser then
//! carries to `/authorize` instead of the parameters, so nothing in the request can be read
//! or changed on the way.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{
    authorize::{self, Invalid},
    dpop,
    error::{ErrorCode, OAuthError},
    profile,
};
use crate::{
    crypto::{new_token, token_hash},
    state::AppState,
    storage::{Client, ephemeral},
};

/// What every `request_uri` of Postern starts with (RFC 9126 §2.2).
pub const URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

type Params = HashMap<String, Vec<String>>;

/// The answer to a push (RFC 9126 §2.2).
#[derive(Debug, Serialize)]
pub struct Pushed {
    pub request_uri: String,
    pub expires_in: u64,
}

/// What a `request_uri` stands for until it is used.
#[derive(Serialize, Deserialize)]
struct Stored {
    client_id: String,
    params: Params,
}

fn key(request_uri: &str) -> String {
    format!("par:{}", token_hash(request_uri))
}

/// Checks the pushed request of the authenticated `client` as `/authorize` would (an
/// error is the JSON error of the endpoint, never a redirect) and keeps it for
/// `par.ttl`.
pub async fn push(
    state: &AppState,
    client: &Client,
    mut params: Params,
    dpop_proof: Option<&str>,
) -> Result<Pushed, OAuthError> {
    if params.contains_key("request_uri") {
        return Err(OAuthError::invalid_request(
            "request_uri cannot be pushed (RFC 9126 §2.1)",
        ));
    }
    match params.get("client_id").map(Vec::as_slice) {
        None => {
            params.insert("client_id".into(), vec![client.client_id.clone()]);
        }
        Some([id]) if *id == client.client_id => {}
        Some(_) => {
            return Err(OAuthError::invalid_request(
                "client_id differs from the authenticated client",
            ));
        }
    }
    // A pushed request object is unpacked now and kept as its parameters.
    let params = match authorize::unpacked(state, &params).await {
        Ok(p) => p,
        Err(Invalid::Page(key)) => return Err(page_error(key)),
        Err(Invalid::Redirect(resp)) => return Err(redirect_error(&resp.params)),
        Err(Invalid::Unavailable) => return Err(OAuthError::temporarily_unavailable()),
    };
    match authorize::check(state, &params, true).await {
        Ok(_) => {}
        Err(Invalid::Page(key)) => return Err(page_error(key)),
        Err(Invalid::Redirect(resp)) => return Err(redirect_error(&resp.params)),
        Err(Invalid::Unavailable) => return Err(OAuthError::temporarily_unavailable()),
    }
    let params = bind_to_proof(state, client, params, dpop_proof).await?;
    let request_uri = format!("{URI_PREFIX}{}", new_token());
    let ttl = state.config.par.ttl;
    let stored = Stored {
        client_id: client.client_id.clone(),
        params,
    };
    ephemeral::put_json(state.ephemeral.as_ref(), &key(&request_uri), &stored, ttl).await?;
    Ok(Pushed {
        request_uri,
        expires_in: ttl.as_secs(),
    })
}

/// RFC 9449 §10.1: a DPoP proof sent with the push binds the code to its key, as
/// `dpop_jkt` would; when both are given they must name the same key.
async fn bind_to_proof(
    state: &AppState,
    client: &Client,
    mut params: Params,
    proof: Option<&str>,
) -> Result<Params, OAuthError> {
    let Some(proof) = proof else {
        return Ok(params);
    };
    let req = dpop::Request {
        method: "POST",
        url: &state.url("/par"),
        access_token: None,
        algorithms: profile::algorithms(client),
    };
    let jkt = dpop::check(state, proof, req)
        .await
        .map_err(|r| r.answer(state, 400))?;
    match params.get("dpop_jkt").map(Vec::as_slice) {
        None => {
            params.insert("dpop_jkt".into(), vec![jkt]);
        }
        Some([given]) if *given == jkt => {}
        Some(_) => {
            return Err(OAuthError::invalid_dpop_proof(
                "dpop_jkt is not the thumbprint of the DPoP proof's key",
            ));
        }
    }
    Ok(params)
}

/// An error `/authorize` would show as a page (the client or redirect URI is not right),
/// as the push endpoint's error.
fn page_error(key: &'static str) -> OAuthError {
    let what = match key {
        "err-redirect-uri-unregistered" => "redirect_uri is not registered for this client",
        "err-no-redirect-uri" => "redirect_uri is required",
        "err-client-disabled" => "the client is disabled",
        "err-param-repeated" => "a parameter is repeated",
        super::request_object::REFUSED => {
            return OAuthError::new(
                ErrorCode::InvalidRequestObject,
                400,
                "the request object is not valid (signature, alg, client_id, aud or exp)",
            );
        }
        _ => "the authorization request is not valid",
    };
    OAuthError::invalid_request(what)
}

/// An error `/authorize` would send back to the client, as the push endpoint's error.
fn redirect_error(params: &[(String, String)]) -> OAuthError {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let code = ErrorCode::parse(&get("error")).unwrap_or(ErrorCode::InvalidRequest);
    OAuthError::new(code, 400, get("error_description"))
}

/// The pushed request a `request_uri` at `/authorize` names, used up (RFC 9126 §4: the
/// other parameters, but `client_id`, are ignored); `None` when the request names none.
/// An unknown, expired, used or other client's `request_uri` is an error page: without the
/// pushed request, no redirect URI is known to be the client's.
pub async fn resolve(state: &AppState, p: &Params) -> Result<Option<Params>, Invalid> {
    let uri = match authorize::single(p, "request_uri") {
        Ok(None) => return Ok(None),
        Ok(Some(uri)) => uri,
        Err(_) => return Err(Invalid::Page("err-param-repeated")),
    };
    let client_id = match authorize::single(p, "client_id") {
        Ok(Some(id)) => id,
        Ok(None) => return Err(Invalid::Page("err-no-client-id")),
        Err(_) => return Err(Invalid::Page("err-param-repeated")),
    };
    if !uri.starts_with(URI_PREFIX) {
        // Not one of ours: a request object by reference, which Postern does not fetch;
        // the request's own checks answer `request_uri_not_supported` to the client.
        return Ok(None);
    }
    let stored: Option<Stored> = ephemeral::take_json(state.ephemeral.as_ref(), &key(uri)).await?;
    match stored {
        Some(s) if s.client_id == client_id => Ok(Some(s.params)),
        _ => Err(Invalid::Page("err-request-uri")),
    }
}
