//! The page a person sees when a service admits verified identities only and theirs is
//! not (the decision is `protocol::authorize::decide`'s): how to get verified (the text and
//! link of `assurance.*`), and the way back to the service, which gets `access_denied`.

use axum::{body::Bytes, extract::State, http::HeaderMap, response::Response};
use minijinja::context;

use super::{
    authorize::{TxPage, TxQuery, client_of, load_tx, respond},
    error::AppError,
    signin::page,
    util::{self, PageQuery},
};
use crate::{
    authn::transaction,
    protocol::{
        authorize::error_response,
        error::{AuthorizeError, ErrorCode},
    },
    state::AppState,
    web::render::Ui,
};

/// `GET /login/verify?tx=…`
pub async fn verify_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, &tx_id).await?;
    let client = client_of(&state, tx.request_or_expired()?).await?;
    let ui = tx.ui(ui);
    let service = super::authorize::shown(&client, &ui);
    let assurance = &state.config.assurance;
    let text = assurance.verification_text.get(ui.lang.code());
    let url = Some(&assurance.verification_url).filter(|u| !u.is_empty());
    let (csrf, set) = util::csrf_token(&state, &headers);
    let html = state.web.page(
        &ui,
        "login_verify.html",
        context! { csrf, tx => tx_id, service, text, url },
    );
    Ok(page(tx.form_target(), set, html))
}

/// `POST /login/verify`: back to the service, which learns that the sign-in was refused.
pub async fn verify_back(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::checked_form(&state, &headers, &body)?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let tx = load_tx(&state, tx_id).await?;
    let req = tx.request_or_expired()?;
    let resp = error_response(
        &state,
        &req.redirect_uri,
        req.response_mode,
        req.state.as_deref(),
        AuthorizeError::new(
            ErrorCode::AccessDenied,
            "the service requires a verified identity",
        ),
    );
    transaction::finish(&state, tx_id).await?;
    Ok(respond(resp))
}
