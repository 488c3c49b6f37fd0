//! The authorization endpoint (OIDC Core §3.1.2; RFC 6749 §4.1; RFC 9207 for `iss`).
//!
//! [`validate`] turns raw parameters into an [`AuthRequest`]; [`decide`] looks at the
//! sign-in state and says what happens next; [`issue_code`] makes the response.

use serde::{Deserialize, Serialize};

pub use super::request::{AuthRequest, ResponseMode};
use super::{
    error::{AuthorizeError, ErrorCode},
    org_context::OrgStep,
    types::{Acr, AuthnContext, Prompt, Scope},
};
use crate::{
    crypto::{new_token, token_hash},
    state::AppState,
    storage::{Client, Consent, StorageError, ephemeral},
};

#[path = "authorize_request.rs"]
mod request_params;
pub use request_params::validate;
pub(super) use request_params::{check, single, unpacked};

/// Where a response goes: the client's redirect URI with these parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResponse {
    pub redirect_uri: String,
    pub mode: ResponseMode,
    pub params: Vec<(String, String)>,
}

impl AuthResponse {
    /// The full URL for `query` mode.
    pub fn location(&self) -> String {
        let mut url = self.redirect_uri.clone();
        let query = serde_urlencoded::to_string(&self.params).unwrap_or_default();
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query);
        url
    }
}

/// Why validation stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Unknown client or unregistered redirect URI: an error page, never a redirect
    /// (RFC 6749 §4.1.2.1).
    /// A message key of the catalogue.
    Page(&'static str),
    /// Sent back to the now-trusted redirect URI.
    Redirect(AuthResponse),
    Unavailable,
}

impl From<StorageError> for Invalid {
    fn from(e: StorageError) -> Self {
        tracing::error!(error = %e, "storage failure in authorization request");
        Invalid::Unavailable
    }
}

/// What happens next for a valid request.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Login,
    /// `prompt=create` (OpenID Connect Prompt Create 1.0): the registration pages, then back
    /// here with `fresh` set.
    Register,
    /// Signed in, but weaker than the request needs: ask for the missing factor only.
    StepUp(Acr),
    /// The client admits verified identities only and this user's is not: a page that
    /// explains how to get verified, and `access_denied` for the client.
    NeedVerified,
    /// Scope `org`: the user picks the personal context or a company.
    SelectOrg,
    Consent,
    Respond(AuthResponse),
}

/// What is stored under a code until the client redeems it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeRecord {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Scope,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub authn: AuthnContext,
    pub claims: Option<serde_json::Value>,
    pub grant_id: String,
    pub expires_at: i64,
    /// The organisation the user acts for, if any.
    #[serde(default)]
    pub org_id: Option<String>,
    /// Only a DPoP proof of this key may redeem the code (RFC 9449 §10).
    #[serde(default)]
    pub dpop_jkt: Option<String>,
}

pub fn code_key(code: &str) -> String {
    format!("code:{}", token_hash(code))
}

pub fn used_code_key(code: &str) -> String {
    format!("code-used:{}", token_hash(code))
}

pub fn error_response(
    state: &AppState,
    redirect_uri: &str,
    mode: ResponseMode,
    req_state: Option<&str>,
    err: AuthorizeError,
) -> AuthResponse {
    let mut params = vec![
        ("error".to_string(), err.code.as_str().to_owned()),
        (
            "error_description".to_string(),
            err.description.into_owned(),
        ),
    ];
    if let Some(s) = req_state {
        params.push(("state".into(), s.into()));
    }
    params.push(("iss".into(), state.config.issuer.clone()));
    AuthResponse {
        redirect_uri: redirect_uri.into(),
        mode,
        params,
    }
}

pub fn fail(state: &AppState, req: &AuthRequest, code: ErrorCode, d: &'static str) -> Next {
    Next::Respond(error_response(
        state,
        &req.redirect_uri,
        req.response_mode,
        req.state.as_deref(),
        AuthorizeError::new(code, d),
    ))
}

/// The weakest acr that satisfies everything asking: the deployment's two-factor switch, the
/// client's minimum, `acr_values` (any value listed is acceptable, so the weakest we know)
/// and an essential `acr` claim (OIDC Core §5.5.1.1). Unknown values are ignored.
pub fn required_acr(state: &AppState, req: &AuthRequest, client: &Client) -> Acr {
    required_acr_of(state, client, &req.acr_values, req.claims.as_ref())
}

/// [`required_acr`] of a request that is not an authorization request (the device
/// authorization grant), from its `acr_values` and `claims`.
pub fn required_acr_of(
    state: &AppState,
    client: &Client,
    acr_values: &[String],
    claims: Option<&serde_json::Value>,
) -> Acr {
    let weakest_of = |values: &mut dyn Iterator<Item = &str>| values.filter_map(Acr::parse).min();
    let mut level = Acr::OneFactor;
    if state.config.authn.require_two_factor {
        level = level.max(Acr::TwoFactor);
    }
    if let Some(l) = client.min_acr.as_deref().and_then(Acr::parse) {
        level = level.max(l);
    }
    if let Some(l) = weakest_of(&mut acr_values.iter().map(String::as_str)) {
        level = level.max(l);
    }
    for target in ["id_token", "userinfo"] {
        let Some(acr) = claims.and_then(|c| c.get(target)?.get("acr")) else {
            continue;
        };
        if acr.get("essential").and_then(serde_json::Value::as_bool) != Some(true) {
            continue;
        }
        let mut values: Vec<&str> = acr
            .get("values")
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default();
        values.extend(acr.get("value").and_then(serde_json::Value::as_str));
        if let Some(l) = weakest_of(&mut values.into_iter()) {
            level = level.max(l);
        }
    }
    level
}

/// Decides the next step. `authn` is the SSO session, if any; `fresh` says the user has
/// just signed in for this very request (so `prompt=login` is satisfied).
pub async fn decide(
    state: &AppState,
    req: &AuthRequest,
    client: &Client,
    authn: Option<&AuthnContext>,
    fresh: bool,
    consent_given: bool,
) -> Result<Next, StorageError> {
    let none = req.has_prompt(Prompt::None);
    if req.has_prompt(Prompt::Create) && !fresh {
        return Ok(Next::Register);
    }
    let needs_login = match authn {
        None => true,
        Some(a) => {
            (req.has_prompt(Prompt::Login) && !fresh)
                || req.max_age.is_some_and(|m| state.now() - a.auth_time > m)
                || req.hinted_sub.as_ref().is_some_and(|s| s != &a.sub)
        }
    };
    if needs_login {
        return Ok(if none {
            fail(
                state,
                req,
                ErrorCode::LoginRequired,
                "the user is not signed in",
            )
        } else {
            Next::Login
        });
    }
    let Some(authn) = authn else {
        return Ok(Next::Login);
    };
    // A session never counts below its own floor (see `authn::policy`).
    let required = required_acr(state, req, client).max(authn.floor);
    if authn.acr < required {
        return Ok(if none {
            fail(
                state,
                req,
                ErrorCode::InteractionRequired,
                "a stronger authentication is required",
            )
        } else {
            Next::StepUp(required)
        });
    }
    if client.require_verified && !admitted(state, client, &authn.sub).await? {
        return Ok(if none {
            fail(
                state,
                req,
                ErrorCode::InteractionRequired,
                "the service requires a verified identity",
            )
        } else {
            Next::NeedVerified
        });
    }
    let org_id = match super::org_context::step(state, req, client, &authn.sub).await? {
        OrgStep::Ready(org) => org,
        OrgStep::Pick if none => {
            return Ok(fail(
                state,
                req,
                ErrorCode::InteractionRequired,
                "the user must choose whom they act for",
            ));
        }
        OrgStep::Pick => return Ok(Next::SelectOrg),
        OrgStep::NoOrganisation => {
            return Ok(fail(
                state,
                req,
                ErrorCode::AccessDenied,
                "this service is for companies and the user acts for none",
            ));
        }
    };
    if !consent_given {
        let needs_consent = if req.has_prompt(Prompt::Consent) {
            true
        } else if client.first_party {
            false
        } else {
            let stored = state
                .stores
                .consents
                .find_consent(&authn.sub, &client.client_id)
                .await?;
            let named = req.claims_beyond_scope();
            !stored.is_some_and(|c| super::claims::covers(&c.scope, &c.claims, &req.scope, &named))
        };
        if needs_consent {
            return Ok(if none {
                fail(
                    state,
                    req,
                    ErrorCode::ConsentRequired,
                    "the user has not consented",
                )
            } else {
                Next::Consent
            });
        }
    }
    Ok(Next::Respond(
        issue_code(state, req, client, authn, org_id).await?,
    ))
}

/// Whether the identity of account `sub` was verified (`model::Assurance`).
async fn admitted(state: &AppState, client: &Client, sub: &str) -> Result<bool, StorageError> {
    let user = state.stores.users.find_user(sub).await?;
    Ok(user.is_some_and(|u| client.admits(&u)))
}

/// Remembers the user's consent to the requested scopes and the single claims a claims
/// request named (added to earlier ones).
pub async fn record_consent(
    state: &AppState,
    req: &AuthRequest,
    user_id: &str,
    meta: &crate::audit::RequestMeta,
) -> Result<(), StorageError> {
    let earlier = state
        .stores
        .consents
        .find_consent(user_id, &req.client_id)
        .await?;
    let mut claims = req.claims_beyond_scope();
    let scope = match earlier {
        Some(c) => {
            claims.extend(c.claims);
            c.scope.union(&req.scope)
        }
        None => req.scope.clone(),
    };
    state
        .stores
        .consents
        .save_consent(&Consent {
            user_id: user_id.into(),
            client_id: req.client_id.clone(),
            scope,
            claims,
            granted_at: state.now(),
        })
        .await?;
    crate::audit::record(
        state,
        crate::audit::Entry {
            kind: crate::audit::CONSENT_GIVEN,
            outcome: crate::audit::Outcome::Success,
            user_id: Some(user_id),
            client_id: Some(&req.client_id),
            meta: Some(meta),
            detail: Some(req.scope.to_string()),
            ..Default::default()
        },
    )
    .await;
    Ok(())
}

pub async fn issue_code(
    state: &AppState,
    req: &AuthRequest,
    client: &Client,
    authn: &AuthnContext,
    org_id: Option<String>,
) -> Result<AuthResponse, StorageError> {
    let code = new_token();
    let ttl = super::profile::code_ttl(state, client);
    let record = CodeRecord {
        client_id: req.client_id.clone(),
        redirect_uri: req.redirect_uri.clone(),
        scope: req.scope.clone(),
        nonce: req.nonce.clone(),
        code_challenge: req.code_challenge.clone(),
        authn: authn.clone(),
        claims: req.claims.clone(),
        grant_id: new_token(),
        expires_at: state.now() + ttl.as_secs() as i64,
        org_id,
        dpop_jkt: req.dpop_jkt.clone(),
    };
    ephemeral::put_json(state.ephemeral.as_ref(), &code_key(&code), &record, ttl).await?;
    let mut params = vec![("code".to_string(), code)];
    if let Some(s) = &req.state {
        params.push(("state".into(), s.clone()));
    }
    params.push(("iss".into(), state.config.issuer.clone()));
    Ok(AuthResponse {
        redirect_uri: req.redirect_uri.clone(),
        mode: req.response_mode,
        params,
    })
}
