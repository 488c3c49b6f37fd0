//! The UserInfo endpoint (OIDC Core §5.3).

use serde_json::{Map, Value, json};

use super::{access_token, claims, dpop, error::OAuthError, types::Scope};
use crate::{orgs::GrantContext, state::AppState};

pub async fn userinfo(
    state: &AppState,
    presented: &dpop::Presented<'_>,
) -> Result<Map<String, Value>, OAuthError> {
    let invalid = || OAuthError::invalid_token("the access token is invalid, expired or revoked");
    let (at, grant) = access_token::check_with_grant(state, presented.token)
        .await?
        .ok_or_else(invalid)?;
    dpop::check_presented(state, &at, presented).await?;
    let scope = at
        .get("scope")
        .and_then(Value::as_str)
        .and_then(Scope::parse)
        .unwrap_or_default();
    if !scope.contains("openid") {
        return Err(OAuthError::insufficient_scope(
            "the token was not issued with scope openid",
        ));
    }
    // Only user grants carry a grant id; a client credentials token has no user to describe.
    let grant = grant.ok_or_else(invalid)?;
    let sub = at.get("sub").and_then(Value::as_str).ok_or_else(invalid)?;
    // From the replica when there is one: userinfo may lag a profile change by a moment;
    // the grant that decided the token is active was read from the primary.
    let user = state
        .stores
        .reads
        .find_user(sub)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(invalid)?;
    let mut out = claims::user_claims(
        &user,
        &scope,
        claims::requested(grant.claims.as_ref(), "userinfo"),
    );
    let client_id = grant.client_id.as_str();
    claims::add_legacy_accounts(state, &mut out, client_id, &user.id, &scope).await?;
    match crate::orgs::context_of(state, &grant).await? {
        GrantContext::Personal => {}
        GrantContext::Org(org) => out.extend(org),
        // Checked with the token already; this is a change in between.
        GrantContext::Gone => return Err(invalid()),
    }
    out.insert("sub".into(), json!(user.id));
    Ok(out)
}
