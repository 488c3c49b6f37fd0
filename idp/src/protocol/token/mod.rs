//! The token endpoint (RFC 6749 §3.2, §5). Client authentication and the grant-type check
//! happen here, once, so no grant can skip them.

use std::collections::HashMap;

use serde::Serialize;

use super::{
    access_token::{self, Subject},
    claims,
    client_auth::{self, PresentedCredentials},
    dpop,
    error::OAuthError,
    id_token::{self, IdTokenInput},
    types::{AuthnContext, GRANT_DEVICE_CODE, GRANT_TYPES, Scope},
};
use crate::{
    audit::RequestMeta,
    orgs::GrantContext,
    state::AppState,
    storage::{Client, Grant, User},
};

mod authorization_code;
mod client_credentials;
mod device_code;
mod refresh;

pub struct TokenRequest {
    pub params: HashMap<String, String>,
    pub credentials: PresentedCredentials,
    /// For the audit trail.
    pub meta: RequestMeta,
    /// The `DPoP` header (RFC 9449), if one was sent.
    pub dpop: Option<String>,
}

/// RFC 6749 §5.1.
#[derive(Debug, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

pub async fn handle(
    state: &AppState,
    req: TokenRequest,
) -> Result<(TokenResponse, &'static str), OAuthError> {
    let grant_type = req
        .params
        .get("grant_type")
        .ok_or_else(|| OAuthError::invalid_request("grant_type is required"))?;
    let grant_type: &'static str = GRANT_TYPES
        .into_iter()
        .find(|g| g == grant_type)
        .ok_or_else(|| OAuthError::unsupported_grant_type("this grant type is not supported"))?;
    let client = client_auth::authenticate(state, req.credentials, false, &req.meta).await?;
    if !client.allows_grant(grant_type) {
        return Err(OAuthError::unauthorized_client(
            "this client may not use this grant type",
        ));
    }
    let jkt = match &req.dpop {
        Some(proof) => {
            let at = dpop::Request {
                method: "POST",
                url: &state.url("/token"),
                access_token: None,
                algorithms: super::profile::algorithms(&client),
            };
            Some(
                dpop::check(state, proof, at)
                    .await
                    .map_err(|r| r.answer(state, 400))?,
            )
        }
        None if client.dpop_bound => {
            return Err(OAuthError::invalid_request(
                "this client's tokens are DPoP-bound: send a DPoP proof",
            ));
        }
        None => None,
    };
    let p = &req.params;
    let jkt = jkt.as_deref();
    let response = match grant_type {
        "authorization_code" => {
            authorization_code::exchange(state, &client, p, &req.meta, jkt).await?
        }
        "refresh_token" => refresh::rotate(state, &client, p, &req.meta, jkt).await?,
        GRANT_DEVICE_CODE => device_code::exchange(state, &client, p, &req.meta, jkt).await?,
        _ => client_credentials::issue(state, &client, p, jkt).await?,
    };
    Ok((response, grant_type))
}

/// `DPoP` for a token bound to a key, else `Bearer` (RFC 9449 §5).
fn token_type(jkt: Option<&str>) -> &'static str {
    if jkt.is_some() { "DPoP" } else { "Bearer" }
}

fn required<'a>(p: &'a HashMap<String, String>, name: &'static str) -> Result<&'a str, OAuthError> {
    p.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| OAuthError::invalid_request(format!("{name} is required")))
}

/// The context of a user grant, as the tokens carry it.
fn authn_of(grant: &Grant, user: &User) -> AuthnContext {
    AuthnContext {
        sub: user.id.clone(),
        auth_time: grant.auth_time.unwrap_or(grant.created_at),
        amr: grant
            .amr
            .iter()
            .filter_map(|a| crate::model::Amr::parse(a))
            .collect(),
        acr: grant
            .acr
            .as_deref()
            .and_then(crate::model::Acr::parse)
            .unwrap_or_default(),
        sid: grant.session_id.clone().unwrap_or_default(),
        floor: Default::default(),
    }
}

/// The user a grant is for, if they may still get tokens.
async fn active_user(state: &AppState, sub: &str) -> Result<User, OAuthError> {
    state
        .stores
        .users
        .find_user(sub)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| OAuthError::invalid_grant("the user is no longer active"))
}

/// The grant `id` of what a person signed in as `authn` gave `client` (a code, a device).
fn user_grant(
    state: &AppState,
    id: String,
    client: &Client,
    authn: &AuthnContext,
    scope: &Scope,
    claims: Option<serde_json::Value>,
    org_id: Option<String>,
) -> Grant {
    Grant {
        id,
        client_id: client.client_id.clone(),
        user_id: Some(authn.sub.clone()),
        session_id: Some(authn.sid.clone()),
        scope: scope.clone(),
        auth_time: Some(authn.auth_time),
        acr: Some(authn.acr.as_str().to_owned()),
        amr: authn.amr.iter().map(|a| a.as_str().to_owned()).collect(),
        claims,
        created_at: state.now(),
        revoked_at: None,
        org_id,
    }
}

/// Writes `grant` and checks that the session it was given in still lives: tokens started
/// after the person signed out (or was signed out) would live in a session no logout
/// reaches any more. Checked after the grant is written, so that a session ending at the
/// same moment either finds the grant (and revokes it, and tells the client) or is found
/// gone here (`ended` says so to the client).
async fn start_grant(
    state: &AppState,
    grant: &Grant,
    user: &User,
    ended: &'static str,
) -> Result<(), OAuthError> {
    state.stores.grants.create_grant(grant).await?;
    let live = state
        .stores
        .sessions
        .list_sessions(&user.id, state.now())
        .await?
        .iter()
        .any(|s| Some(&s.id) == grant.session_id.as_ref());
    if !live {
        state
            .stores
            .grants
            .revoke_grant(&grant.id, state.now())
            .await?;
        return Err(OAuthError::invalid_grant(ended));
    }
    Ok(())
}

/// When the refresh tokens of `grant` stop, however often they were rotated: the sliding
/// lifetime of each token never carries the family past this.
pub(crate) fn family_ends_at(state: &AppState, grant: &Grant) -> i64 {
    grant.created_at + state.config.tokens.refresh_absolute_ttl.as_secs() as i64
}

/// Where the refresh token of a response comes from.
enum Renewal {
    /// Made and stored here when the client may refresh and `offline_access` was granted
    /// (a code or a device redeemed).
    Mint,
    /// Stored already, in the step that consumed its predecessor (rotation); `None` when the
    /// grant no longer allows one.
    Stored(Option<String>),
}

/// What a user grant's tokens are issued for.
struct Issue<'a> {
    grant: &'a Grant,
    user: &'a User,
    scope: &'a Scope,
    nonce: Option<&'a str>,
    jkt: Option<&'a str>,
    refresh: Renewal,
}

/// Issues the tokens of a user grant: the access token, an ID token when `openid` was
/// granted, and the refresh token `i.refresh` says.
async fn issue_for_user(
    state: &AppState,
    client: &Client,
    i: Issue<'_>,
) -> Result<TokenResponse, OAuthError> {
    let Issue {
        grant,
        user,
        scope,
        nonce,
        jkt,
        refresh,
    } = i;
    let authn = authn_of(grant, user);
    let org = match crate::orgs::context_of(state, grant).await? {
        GrantContext::Personal => None,
        GrantContext::Org(claims) => Some(claims),
        GrantContext::Gone => {
            // The grant was for acting for that company; without the grounds it is over,
            // and stays over should the organisation or the membership come back.
            state
                .stores
                .grants
                .revoke_grant(&grant.id, state.now())
                .await?;
            return Err(OAuthError::invalid_grant(
                "the organisation context of this grant no longer holds",
            ));
        }
    };
    let at = access_token::issue(
        state,
        client,
        Subject {
            sub: &user.id,
            scope,
            authn: Some(&authn),
            grant_id: Some(&grant.id),
            extra: org.as_ref(),
            jkt,
        },
    )
    .await?;
    let id_token = if scope.contains("openid") {
        // The organisation claims go into both tokens; the old usernames into the ID token
        // only (they are for the service, not for the APIs its access token reaches).
        let mut id_extra = org.clone().unwrap_or_default();
        let client_id = client.client_id.as_str();
        claims::add_legacy_accounts(state, &mut id_extra, client_id, &user.id, scope).await?;
        Some(id_token::issue(
            state,
            IdTokenInput {
                client,
                user,
                authn: &authn,
                nonce,
                scope,
                claims_request: grant.claims.as_ref(),
                access_token: Some(&at.token),
                extra: Some(&id_extra),
            },
        )?)
    } else {
        None
    };
    let refresh_token = match refresh {
        Renewal::Stored(token) => token,
        Renewal::Mint => match refresh::new_refresh_token(state, client, grant, jkt) {
            Some((token, record)) => {
                state.stores.grants.insert_refresh_token(&record).await?;
                Some(token)
            }
            None => None,
        },
    };
    Ok(TokenResponse {
        access_token: at.token,
        token_type: token_type(jkt),
        expires_in: at.expires_in,
        refresh_token,
        id_token,
        scope: Some(scope.to_string()),
    })
}
