//! Sign-in: the redirect to Postern (plain, stepped up to two factors, or with the
//! organisation choice shown again) and the callback that redeems the code.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use base64::Engine;
use openidconnect::{
    AuthenticationContextClass, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, Scope,
    core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreJwsSigningAlgorithm, CoreUserInfoClaims},
};
use serde::Deserialize;
use serde_json::Value;

use crate::{COOKIE, Pending, Portal, Visit, pages, session_id};

/// The level the step-up button asks for (README "Strong authentication and step-up").
pub const TWO_FACTORS: &str = "urn:postern:acr:2fa";

/// What a sign-in asks for beyond the portal's usual request.
#[derive(Default)]
struct Ask {
    acr: Option<&'static str>,
    select_organisation: bool,
}

pub(crate) async fn login(State(p): State<Arc<Portal>>) -> Redirect {
    redirect_out(&p, Ask::default())
}

/// A new sign-in that needs two factors: Postern asks only for the missing factor when the
/// session already holds a password.
pub(crate) async fn step_up(State(p): State<Arc<Portal>>) -> Redirect {
    redirect_out(
        &p,
        Ask {
            acr: Some(TWO_FACTORS),
            ..Ask::default()
        },
    )
}

/// A new sign-in with scope `org` and `prompt=select_account`: the person picks again whom
/// they act for (themselves or one of their organisations).
pub(crate) async fn switch_organisation(State(p): State<Arc<Portal>>) -> Redirect {
    redirect_out(
        &p,
        Ask {
            select_organisation: true,
            ..Ask::default()
        },
    )
}

fn redirect_out(p: &Portal, ask: Ask) -> Redirect {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut req = p
        .client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scopes(p.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge);
    if let Some(acr) = ask.acr {
        req = req.add_auth_context_value(AuthenticationContextClass::new(acr.into()));
    }
    if ask.select_organisation {
        req = req
            .add_scope(Scope::new("org".into()))
            .add_prompt(CoreAuthPrompt::SelectAccount);
    }
    let (url, state, nonce) = req.url();
    p.pending.insert(
        state.secret().clone(),
        Pending {
            nonce,
            verifier,
            acr: ask.acr,
        },
    );
    Redirect::to(url.as_str())
}

#[derive(Deserialize)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

pub(crate) fn problem(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Html(pages::error(&msg.into()))).into_response()
}

/// The claims of a JWT whose signature was verified already, including those the
/// `openidconnect` claim types have no field for (`sid`, `org_*`).
fn payload(jwt: &str) -> Value {
    jwt.split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null)
}

pub(crate) async fn callback(
    State(p): State<Arc<Portal>>,
    headers: HeaderMap,
    Query(cb): Query<Callback>,
) -> Response {
    if let Some(error) = cb.error {
        return problem(format!(
            "Sign-in did not complete: {error} {}",
            cb.error_description.unwrap_or_default()
        ));
    }
    let (Some(code), Some(state)) = (cb.code, cb.state) else {
        return problem("The callback carries neither a code nor an error.");
    };
    // Single use: the pending request is removed whether or not the rest succeeds.
    let Some((_, pending)) = p.pending.remove(&state) else {
        return problem("Unknown or already used state; start again.");
    };
    let exchange = match p.client.exchange_code(AuthorizationCode::new(code)) {
        Ok(req) => req.set_pkce_verifier(pending.verifier),
        Err(e) => return problem(format!("The provider has no token endpoint: {e}")),
    };
    let tokens = match exchange.request_async(&p.http).await {
        Ok(t) => t,
        Err(e) => return problem(format!("The code exchange failed: {e}")),
    };
    let Some(id_token) = tokens.extra_fields().id_token().cloned() else {
        return problem("The provider returned no ID token.");
    };
    let verifier = p.client.id_token_verifier().set_allowed_algs(vec![
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EdDsa,
    ]);
    if let Err(e) = id_token.claims(&verifier, &pending.nonce) {
        return problem(format!("The ID token is not valid: {e}"));
    }
    let claims = payload(&id_token.to_string());
    let acr = claims["acr"].as_str().unwrap_or_default().to_owned();
    // acr_values is a request, not a guarantee (OIDC Core §3.1.2.1): the portal checks what
    // it got before it treats the visit as strongly authenticated.
    if let Some(wanted) = pending.acr
        && !p.acr_at_least(&acr, wanted)
    {
        return problem(format!(
            "Two factors were asked for, the sign-in has {acr:?}."
        ));
    }
    let userinfo: Value = match p.client.user_info(tokens.access_token().clone(), None) {
        Ok(req) => match req.request_async(&p.http).await {
            Ok(info) => {
                let info: CoreUserInfoClaims = info;
                serde_json::to_value(info).unwrap_or_default()
            }
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        },
        Err(_) => Value::Null,
    };
    // A step-up or a switch replaces the browser's earlier visit.
    if let Some(old) = session_id(&headers) {
        p.visits.remove(&old);
    }
    let visit_id = CsrfToken::new_random().secret().clone();
    p.visits.insert(
        visit_id.clone(),
        Visit {
            id_token,
            sid: claims["sid"].as_str().map(str::to_owned),
            sub: claims["sub"].as_str().unwrap_or_default().to_owned(),
            claims,
            userinfo,
        },
    );
    let mut r = Redirect::to("/").into_response();
    let cookie = format!("{COOKIE}={visit_id}; Path=/; HttpOnly; SameSite=Lax");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}
