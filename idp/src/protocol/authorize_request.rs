//! Turning the raw parameters of an authorization request into an [`AuthRequest`]: a
//! pushed request or a request object first, then the client and redirect URI (failures
//! there are pages), then everything else (failures go back to the client).

use std::collections::HashMap;

use super::{AuthRequest, AuthorizeError, ErrorCode, Invalid, ResponseMode, error_response};
use crate::{
    protocol::{
        id_token, pkce,
        redirect_uri::redirect_uri_matches,
        types::{Prompt, Scope},
    },
    state::AppState,
    storage::Client,
};

pub(in crate::protocol) fn single<'a>(
    p: &'a HashMap<String, Vec<String>>,
    name: &str,
) -> Result<Option<&'a str>, String> {
    match p.get(name).map(Vec::as_slice) {
        None | Some([]) => Ok(None),
        Some([v]) if v.is_empty() => Ok(None),
        Some([v]) => Ok(Some(v.as_str())),
        Some(_) => Err(format!("{name} must not be repeated")),
    }
}

/// Validates an authorization request as it reaches `/authorize`: one that names a pushed
/// request (`request_uri`, RFC 9126) is that request, consumed; any other must not come
/// from a client that has to push its requests.
pub async fn validate(
    state: &AppState,
    p: &HashMap<String, Vec<String>>,
) -> Result<(AuthRequest, Client), Invalid> {
    match crate::protocol::par::resolve(state, p).await? {
        Some(pushed) => check(state, &pushed, true).await,
        None => check(state, &unpacked(state, p).await?, false).await,
    }
}

/// The parameters of the request: those of its request object when it has one (RFC 9101),
/// else its own.
pub(in crate::protocol) async fn unpacked(
    state: &AppState,
    p: &HashMap<String, Vec<String>>,
) -> Result<HashMap<String, Vec<String>>, Invalid> {
    if !p.contains_key("request") {
        return Ok(p.clone());
    }
    let client = named_client(state, p).await?;
    Ok(crate::protocol::request_object::unpack(state, p, &client)
        .await?
        .unwrap_or_default())
}

/// The client the request's `client_id` names; an error page when there is none.
async fn named_client(
    state: &AppState,
    p: &HashMap<String, Vec<String>>,
) -> Result<Client, Invalid> {
    let client_id = single(p, "client_id")
        .map_err(|_| Invalid::Page("err-param-repeated"))?
        .ok_or(Invalid::Page("err-no-client-id"))?;
    state
        .stores
        .clients
        .find_client(client_id)
        .await?
        .ok_or(Invalid::Page("err-client-unknown"))
}

/// Validates the parameters in the order RFC 6749 §4.1.2.1 requires: client and redirect
/// URI first (failures there never redirect), then everything else (failures redirect).
/// `pushed`: they came through the pushed authorization request endpoint.
pub(in crate::protocol) async fn check(
    state: &AppState,
    p: &HashMap<String, Vec<String>>,
    pushed: bool,
) -> Result<(AuthRequest, Client), Invalid> {
    let page = |_: String| Invalid::Page("err-param-repeated");
    let client = named_client(state, p).await?;
    // A page, never a redirect: the person learns why, and the client gets nothing.
    if client.disabled {
        return Err(Invalid::Page("err-client-disabled"));
    }
    let redirect_uri = single(p, "redirect_uri")
        .map_err(page)?
        .ok_or(Invalid::Page("err-no-redirect-uri"))?;
    // Exact, but for the port of a loopback IP literal (RFC 8252 §7.3): one rule, in one place.
    if !client
        .redirect_uris
        .iter()
        .any(|r| redirect_uri_matches(r, redirect_uri))
    {
        return Err(Invalid::Page("err-redirect-uri-unregistered"));
    }
    let req_state = single(p, "state").ok().flatten().map(str::to_owned);
    let mode = match single(p, "response_mode") {
        Ok(None | Some("query")) => ResponseMode::Query,
        Ok(Some("form_post")) => ResponseMode::FormPost,
        _ => ResponseMode::Query,
    };
    let bail = |code: ErrorCode, d: String| {
        Invalid::Redirect(error_response(
            state,
            redirect_uri,
            mode,
            req_state.as_deref(),
            AuthorizeError::new(code, d),
        ))
    };
    let get = |name: &str| single(p, name).map_err(|e| bail(ErrorCode::InvalidRequest, e));
    if !pushed && (client.require_par || state.config.par.required) {
        return Err(bail(
            ErrorCode::InvalidRequest,
            "push the authorization request to the pushed authorization request endpoint \
             first (RFC 9126)"
                .into(),
        ));
    }

    match get("response_mode")? {
        None | Some("query") | Some("form_post") => {}
        Some(other) => {
            return Err(bail(
                ErrorCode::InvalidRequest,
                format!("response_mode {other:?} is not supported"),
            ));
        }
    }
    if get("request_uri")?.is_some() {
        return Err(bail(
            ErrorCode::RequestUriNotSupported,
            "request_uri is not supported".into(),
        ));
    }
    match get("response_type")? {
        Some("code") => {}
        None => {
            return Err(bail(
                ErrorCode::InvalidRequest,
                "response_type is required".into(),
            ));
        }
        Some(other) => {
            return Err(bail(
                ErrorCode::UnsupportedResponseType,
                format!("response_type {other:?} is not supported; use code"),
            ));
        }
    }
    if !client.allows_grant(crate::protocol::types::GRANT_AUTHORIZATION_CODE) {
        return Err(bail(
            ErrorCode::UnauthorizedClient,
            "this client may not use the authorization code flow".into(),
        ));
    }
    let scope = Scope::parse(get("scope")?.unwrap_or(""))
        .ok_or_else(|| bail(ErrorCode::InvalidScope, "scope is malformed".into()))?;
    if let Some(bad) = scope.missing_from(&client.scopes).next() {
        return Err(bail(
            ErrorCode::InvalidScope,
            format!("scope {bad:?} is not allowed for this client"),
        ));
    }

    let code_challenge = match (get("code_challenge")?, get("code_challenge_method")?) {
        (None, None) if client.require_pkce || client.public => {
            return Err(bail(
                ErrorCode::InvalidRequest,
                "code_challenge is required (PKCE with S256)".into(),
            ));
        }
        (None, None) => None,
        (None, Some(_)) => {
            return Err(bail(
                ErrorCode::InvalidRequest,
                "code_challenge_method without code_challenge".into(),
            ));
        }
        (Some(c), Some("S256")) => {
            if !pkce::is_valid_s256_challenge(c) {
                return Err(bail(
                    ErrorCode::InvalidRequest,
                    "code_challenge is not a valid S256 challenge".into(),
                ));
            }
            Some(c.to_owned())
        }
        // Absent means "plain" (RFC 7636 §4.3), which is refused.
        (Some(_), _) => {
            return Err(bail(
                ErrorCode::InvalidRequest,
                "code_challenge_method must be S256; plain is not supported".into(),
            ));
        }
    };

    let prompt: Vec<Prompt> = get("prompt")?
        .map(|s| s.split(' ').filter_map(Prompt::parse).collect())
        .unwrap_or_default();
    if prompt.contains(&Prompt::None) && prompt.len() > 1 {
        return Err(bail(
            ErrorCode::InvalidRequest,
            "prompt=none cannot be combined with other values".into(),
        ));
    }
    let max_age = match get("max_age")? {
        None => None,
        Some(s) => Some(s.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
            bail(
                ErrorCode::InvalidRequest,
                "max_age must be a non-negative integer".into(),
            )
        })?),
    };
    let claims = match get("claims")? {
        None => None,
        Some(raw) => {
            let v: serde_json::Value = serde_json::from_str(raw)
                .map_err(|_| bail(ErrorCode::InvalidRequest, "claims is not valid JSON".into()))?;
            if !v.is_object() {
                return Err(bail(
                    ErrorCode::InvalidRequest,
                    "claims must be a JSON object".into(),
                ));
            }
            Some(crate::protocol::claims::restrict(v, &client.scopes))
        }
    };
    let hinted_sub =
        match get("id_token_hint")? {
            None => None,
            Some(hint) => Some(id_token::read_hint(state, hint).map(|h| h.sub).ok_or_else(
                || {
                    bail(
                        ErrorCode::InvalidRequest,
                        "id_token_hint is not a valid ID token from this issuer".into(),
                    )
                },
            )?),
        };
    let acr_values = get("acr_values")?
        .map(|s| {
            s.split(' ')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    // A SHA-256 thumbprint in base64url is 43 characters (RFC 7638, RFC 9449 §10).
    let dpop_jkt = match get("dpop_jkt")? {
        Some(j) if j.len() == 43 && crate::crypto::is_b64url(j) => Some(j.to_owned()),
        Some(_) => {
            return Err(bail(
                ErrorCode::InvalidRequest,
                "dpop_jkt must be a base64url SHA-256 JWK thumbprint".into(),
            ));
        }
        None => None,
    };

    Ok((
        AuthRequest {
            client_id: client.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            response_mode: mode,
            scope,
            state: req_state.clone(),
            nonce: get("nonce")?.map(str::to_owned),
            code_challenge,
            prompt,
            max_age,
            acr_values,
            login_hint: get("login_hint")?.map(str::to_owned),
            hinted_sub,
            ui_locales: get("ui_locales")?.map(str::to_owned),
            claims,
            org_hint: get("org_hint")?.map(str::to_owned),
            org_context: None,
            dpop_jkt,
        },
        client,
    ))
}
