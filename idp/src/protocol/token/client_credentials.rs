//! The client credentials grant (RFC 6749 §4.4): a service acting for itself.

use std::collections::HashMap;

use super::TokenResponse;
use crate::{
    protocol::{
        access_token::{self, Subject},
        error::OAuthError,
        types::Scope,
    },
    state::AppState,
    storage::Client,
};

/// User-facing scopes mean nothing without a user.
const USER_SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "phone",
    "address",
    "offline_access",
];

pub async fn issue(
    state: &AppState,
    client: &Client,
    p: &HashMap<String, String>,
    jkt: Option<&str>,
) -> Result<TokenResponse, OAuthError> {
    if client.public {
        return Err(OAuthError::unauthorized_client(
            "public clients cannot use client_credentials",
        ));
    }
    let service_scopes = USER_SCOPES
        .iter()
        .fold(client.scopes.clone(), |s, u| s.without(u));
    let scope = match p.get("scope") {
        None => service_scopes,
        Some(raw) => {
            let s =
                Scope::parse(raw).ok_or_else(|| OAuthError::invalid_scope("scope is malformed"))?;
            if let Some(bad) = s.missing_from(&service_scopes).next() {
                return Err(OAuthError::invalid_scope(format!(
                    "scope {bad:?} is not available to this client with client_credentials"
                )));
            }
            s
        }
    };
    let at = access_token::issue(
        state,
        client,
        Subject {
            sub: &client.client_id,
            scope: &scope,
            authn: None,
            grant_id: None,
            extra: None,
            jkt,
        },
    )
    .await?;
    Ok(TokenResponse {
        access_token: at.token,
        token_type: super::token_type(jkt),
        expires_in: at.expires_in,
        refresh_token: None,
        id_token: None,
        scope: (!scope.is_empty()).then(|| scope.to_string()),
    })
}
