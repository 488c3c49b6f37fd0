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
    ratelimit,
    util::{self, json_message as json_error},
};
use crate::{
    audit::{self, RequestMeta},
    authn::{
        lockout::{self, Gate},
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
    if let Err(e) = ratelimit::hit(
        &state,
        "sign-in-ip",
        meta.ip.as_deref().unwrap_or(""),
        state.config.rate_limit.sign_in_per_ip,
        true,
    )
    .await
    {
        return e.into_response();
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
    let user_id = match passkey::finish_authentication(state, &fin.tx, &fin.credential).await {
        Ok(id) => id,
        Err(PasskeyError::Storage(e)) => return Err(e.into()),
        Err(e) => {
            audit::record(
                state,
                audit::Entry {
                    kind: audit::SIGN_IN,
                    outcome: "failure",
                    meta: Some(meta),
                    detail: Some("passkey".into()),
                    ..Default::default()
                },
            )
            .await;
            return Ok(passkey_error(e));
        }
    };
    let Some(user) = state
        .stores
        .users
        .find_user(&user_id)
        .await?
        .filter(|u| !u.disabled)
    else {
        return Ok(json_error(
            StatusCode::BAD_REQUEST,
            "js-passkey-account-blocked",
        ));
    };
    // A lock stops passkeys too: the lock is the account's, whatever the credential.
    if let Gate::Locked(_) = lockout::enter(state, &user.email).await? {
        return Ok(json_error(StatusCode::FORBIDDEN, "js-account-locked"));
    }
    let cookie = util::cookie(headers, util::SESSION_COOKIE);
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
            let (value, _) = session::create(state, &user.id, amr, acr, meta).await?;
            set_cookie = Some(util::set_cookie(
                state,
                util::SESSION_COOKIE,
                &value,
                Some(state.config.session.ttl.as_secs() as i64),
            ));
            // A passwordless sign-in is a whole new authentication.
            tx.fresh = true;
        }
    }
    audit::user_success(state, &user, meta, audit::SIGN_IN, "passkey").await;
    state.metrics.sign_in("success");
    tx.email = Some(user.email.clone());
    save_tx(state, &fin.tx, &tx).await?;
    let mut r =
        Json(json!({ "location": format!("/login/continue?tx={}", fin.tx) })).into_response();
    if let Some(c) = set_cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}
