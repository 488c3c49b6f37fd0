//! The consent page of a third-party client: what it asks for, in words, allowed or denied.

use axum::{body::Bytes, extract::State, http::HeaderMap, response::Response};
use minijinja::context;

use super::{
    authorize::{TxPage, TxQuery, client_of, continue_tx, respond, start_at, tx_and_session},
    client::ClientMeta,
    error::AppError,
    signin::page,
    util::{self, PageQuery},
};
use crate::{
    authn::transaction,
    protocol::{
        authorize::{self, Next},
        claims,
    },
    state::AppState,
    web::render::Ui,
};

pub async fn consent_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let (tx, sso) = tx_and_session(&state, &headers, &tx_id).await?;
    let req = tx.request_or_expired()?;
    let client = client_of(&state, req).await?;
    // Only a sign-in whose next step really is consent gets this page: a session below its
    // floor, or with a company still to pick, goes there first.
    let next = authorize::decide(&state, req, &client, Some(&sso.authn), tx.fresh, false).await?;
    if next != Next::Consent {
        return continue_tx(&state, &tx_id, tx, &sso).await;
    }
    let (csrf, set) = util::csrf_token(&state, &headers);
    let shared = claims::shared(&req.scope, &req.claims_beyond_scope());
    let items: Vec<&str> = shared.items.iter().map(|i| i.message_key()).collect();
    let saved = state.stores.users.find_user(&sso.authn.sub).await?;
    let ui = ui.prefer(
        req.ui_locales.as_deref(),
        saved.as_ref().and_then(|u| u.locale.as_deref()),
    );
    let html = state.web.page(
        &ui,
        "consent.html",
        context! {
            csrf, tx => tx_id, service => super::authorize::shown(&client, &ui),
            items, other_scopes => shared.other_scopes,
        },
    );
    Ok(page(tx.form_target(), set, html))
}

pub async fn consent_submit(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let (tx, sso) = tx_and_session(&state, &headers, tx_id).await?;
    let req = tx.request_or_expired()?;
    let client = client_of(&state, req).await?;
    // Nothing is recorded for a sign-in that is not at its consent step (a session below its
    // floor cannot consent on the user's behalf).
    let next = authorize::decide(&state, req, &client, Some(&sso.authn), tx.fresh, false).await?;
    if next != Next::Consent {
        let tx_id = tx_id.clone();
        return continue_tx(&state, &tx_id, tx, &sso).await;
    }
    transaction::finish(&state, tx_id).await?;
    if form.get("decision").map(String::as_str) != Some("allow") {
        return Ok(respond(authorize::error_response(
            &state,
            &req.redirect_uri,
            req.response_mode,
            req.state.as_deref(),
            crate::protocol::error::AuthorizeError::new(
                crate::protocol::error::ErrorCode::AccessDenied,
                "the user denied the request",
            ),
        )));
    }
    authorize::record_consent(&state, req, &sso.authn.sub, &meta).await?;
    match authorize::decide(&state, req, &client, Some(&sso.authn), tx.fresh, true).await? {
        // Consent was just given: asking again would loop.
        Next::Consent => Err(AppError::expired_sign_in()),
        next => Ok(start_at(req.clone(), next)),
    }
}
