//! Token revocation (RFC 7009). Revoking a refresh token revokes its whole grant, with
//! every access token issued from it. Unknown tokens, and tokens of other clients, are
//! answered with 200 and left alone, so the endpoint reveals nothing (§2.2).

use serde_json::Value;

use super::access_token;
use crate::{
    crypto::token_hash,
    state::AppState,
    storage::{Client, StorageError},
};

pub async fn revoke(state: &AppState, client: &Client, token: &str) -> Result<(), StorageError> {
    // A refresh token of this client: its grant is revoked in one statement. Nothing
    // revoked means an unknown token, another client's, one whose grant was already
    // revoked, or an access token; only the last has anything left to revoke.
    let hash = token_hash(token);
    let grants = &state.stores.grants;
    if grants
        .revoke_refresh_grant(&hash, &client.client_id, state.now())
        .await?
    {
        return Ok(());
    }
    if let Some(claims) = access_token::check(state, token).await?
        && claims.get("client_id").and_then(Value::as_str) == Some(client.client_id.as_str())
    {
        access_token::revoke(state, token, &claims).await?;
    }
    Ok(())
}
