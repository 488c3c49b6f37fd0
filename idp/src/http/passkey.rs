//! Passkey sign-in from the sign-in pages (JSON, called by `/assets/webauthn.js`):
//! passwordless from the identifier page, or as the missing factor of a signed-in session.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;

use super::{
    authorize::{current_session, load_tx, save_tx},
    client::ClientMeta,
    error::AppError,
    respond::json_message as json_error,
    util,
};
use crate::{
    audit::RequestMeta,
    authn::{
        check::{Attempt, Checked, Refusal, check},
        passkey::{self, PasskeyError},
        session,
        step_up::{self, Factor},
    },
    state::AppState,
};

const PAGE_EXPIRED: &str = "js-page-expired";

pub(super) fn passkey_error(e: PasskeyError) -> Response {
    match e {
        PasskeyError::Storage(s) => AppError::from(s).into_response(),
        PasskeyError::Disabled => json_error(StatusCode::NOT_FOUND, e.key()),
        other => json_error(StatusCode::BAD_REQUEST, other.key()),
    }
}

#[derive(Deserialize)]
pub struct PasskeyStart {
    tx: String,
}

/// Options for a passkey sign-in: the session's own passkeys when a password already
/// signed the user in (second factor), any discoverable passkey otherwise (passwordless).
pub async fn passkey_options(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !util::csrf_header_ok(&state, &headers) {
        return json_error(StatusCode::FORBIDDEN, PAGE_EXPIRED);
    }
    let Ok(start) = serde_json::from_slice::<PasskeyStart>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "js-request-unreadable");
    };
    if load_tx(&state, &start.tx).await.is_err() {
        return json_error(StatusCode::BAD_REQUEST, "js-sign-in-expired");
    }
    let known = match current_session(&state, &headers).await {
        Ok(s) => s.map(|s| s.authn.sub),
        Err(e) => return e.into_response(),
    };
    match passkey::start_authentication(&state, &start.tx, known.as_deref()).await {
        Ok(rcr) => Json(rcr).into_response(),
        Err(e) => passkey_error(e),
    }
}

#[derive(Deserialize)]
pub struct PasskeyFinish {
    tx: String,
    credential: webauthn_rs::prelude::PublicKeyCredential,
}

pub async fn passkey_finish(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !util::csrf_header_ok(&state, &headers) {
        return json_error(StatusCode::FORBIDDEN, PAGE_EXPIRED);
    }
    let Ok(fin) = serde_json::from_slice::<PasskeyFinish>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "js-passkey-unreadable");
    };
    match passkey_sign_in(&state, &meta, &headers, &fin).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn passkey_sign_in(
    state: &AppState,
    meta: &RequestMeta,
    headers: &HeaderMap,
    fin: &PasskeyFinish,
) -> Result<Response, AppError> {
    let mut tx = load_tx(state, &fin.tx).await?;
    let attempt = Attempt::Passkey {
        flow: &fin.tx,
        response: &fin.credential,
    };
    let user = match check(state, attempt, meta).await? {
        Checked::Proven { user, .. } => *user,
        Checked::Refused(refusal) => {
            let status = if refusal == Refusal::AccountBlocked {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::BAD_REQUEST
            };
            return Ok(json_error(status, refusal.key()));
        }
        Checked::Locked(_) => return Ok(json_error(StatusCode::FORBIDDEN, "js-account-locked")),
        Checked::Limited(l) => {
            return Err(AppError::RateLimited {
                retry_after: l.retry_after,
                json: true,
            });
        }
    };
    let cookie = util::session_cookie(state, headers);
    let existing = match cookie {
        Some(c) => session::load(state, c).await?.map(|s| (c, s)),
        None => None,
    };
    let mut set_cookie = None;
    match existing {
        // The same user adds the passkey to the session they have (step-up).
        Some((c, s)) if s.authn.sub == user.id => {
            step_up::raise(state, c, s, Factor::Passkey).await?;
        }
        other => {
            if let Some((c, _)) = other {
                session::end(state, c).await?;
            }
            let amr = step_up::amr_of(&[Factor::Passkey]);
            let acr = step_up::acr_for(&amr);
            let floor = step_up::Options::load(state, &user).await?.floor(state);
            let (value, _) = session::create(state, &user.id, amr, acr, floor, meta, None).await?;
            set_cookie = Some(util::set_session_cookie(state, &value));
            // A passwordless sign-in is a whole new authentication.
            tx.fresh = true;
        }
    }
    tx.email = Some(user.email.clone());
    save_tx(state, &fin.tx, &tx).await?;
    let mut r =
        Json(json!({ "location": format!("/login/continue?tx={}", fin.tx) })).into_response();
    if let Some(c) = set_cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}
