//! RP-Initiated Logout 1.0.

use super::id_token;
use crate::{state::AppState, storage::StorageError};

#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct LogoutRequest {
    pub id_token_hint: Option<String>,
    pub client_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub ui_locales: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ValidLogout {
    /// Where to send the browser afterwards (registered URI with `state`), if anywhere.
    pub redirect: Option<String>,
    /// The user must confirm: the request does not prove it comes from the session's RP
    /// (§2: without a matching id_token_hint, a third party could sign the user out).
    pub confirm: bool,
}

/// Validates the request; `Err` is a message for an error page (never a redirect to an
/// unchecked URI).
pub async fn validate(
    state: &AppState,
    req: &LogoutRequest,
    session_sid: Option<&str>,
) -> Result<Result<ValidLogout, &'static str>, StorageError> {
    let mut hinted_sid = None;
    let mut client_id = req.client_id.clone();
    if let Some(hint) = req.id_token_hint.as_deref().filter(|h| !h.is_empty()) {
        let Some(hint) = id_token::read_hint(state, hint) else {
            return Ok(Err("err-logout-foreign-token"));
        };
        if client_id.as_ref().is_some_and(|c| *c != hint.aud) {
            return Ok(Err("err-logout-client-mismatch"));
        }
        client_id = Some(hint.aud);
        hinted_sid = hint.sid;
    }
    let redirect = match req
        .post_logout_redirect_uri
        .as_deref()
        .filter(|u| !u.is_empty())
    {
        None => None,
        Some(uri) => {
            let Some(cid) = client_id else {
                return Ok(Err("err-logout-unknown-client"));
            };
            let client = state.stores.clients.find_client(&cid).await?;
            let registered =
                client.is_some_and(|c| c.post_logout_redirect_uris.iter().any(|r| r == uri));
            if !registered {
                return Ok(Err("err-logout-redirect-unregistered"));
            }
            let mut url = uri.to_owned();
            if let Some(s) = &req.state {
                let q = serde_urlencoded::to_string([("state", s)]).unwrap_or_default();
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&q);
            }
            Some(url)
        }
    };
    let confirm = match session_sid {
        None => false,
        Some(sid) => hinted_sid.as_deref() != Some(sid),
    };
    Ok(Ok(ValidLogout { redirect, confirm }))
}
