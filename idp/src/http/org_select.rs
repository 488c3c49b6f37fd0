//! Whom the user acts for (scope `org`) and accepting an invitation to an organisation.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    authorize::{
        TxPage, TxQuery, client_of, continue_tx, current_session, save_tx, start_own_sign_in,
        tx_and_session,
    },
    error::AppError,
    util::{self, PageQuery},
};
use crate::web::pages::urlencode;
use crate::{
    orgs::{self, Accept},
    protocol::{
        authorize::{self, Next},
        org_context::OrgContext,
    },
    state::AppState,
    storage::OrgMode,
    web::render::Ui,
};
use minijinja::context;

/// One choice of the context page.
#[derive(serde::Serialize)]
struct Choice {
    value: String,
    label: String,
    personal: bool,
    checked: bool,
}

const PERSONAL: &str = "personal";

fn html(set: Option<axum::http::HeaderValue>, body: String, status: StatusCode) -> Response {
    let mut r = Html(body).into_response();
    *r.status_mut() = status;
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

pub async fn pick_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<TxQuery>,
) -> Result<Response, AppError> {
    let tx_id = q.tx.ok_or_else(AppError::expired_sign_in)?;
    let (tx, sso) = tx_and_session(&state, &headers, &tx_id).await?;
    let req = tx.request.as_ref().ok_or_else(AppError::expired_sign_in)?;
    let client = client_of(&state, req).await?;
    // The user's companies only at the picking step: a session below its floor proves the
    // missing factor first.
    let next = authorize::decide(&state, req, &client, Some(&sso.authn), tx.fresh, false).await?;
    if next != Next::SelectOrg {
        return continue_tx(&state, &tx_id, tx, &sso).await;
    }
    let contexts = orgs::contexts_for(&state, &sso.authn.sub, &client.client_id).await?;
    let last = orgs::last_choice(&state, &sso.authn.sub, &client.client_id).await?;
    let mut choices: Vec<Choice> = Vec::new();
    if client.org_mode != OrgMode::Business {
        choices.push(Choice {
            value: PERSONAL.into(),
            label: String::new(),
            personal: true,
            checked: last.as_deref() == Some(""),
        });
    }
    for (org, _) in &contexts {
        choices.push(Choice {
            value: org.id.clone(),
            label: org.name.clone(),
            personal: false,
            checked: last.as_deref() == Some(org.id.as_str()),
        });
    }
    if !choices.iter().any(|c| c.checked)
        && let Some(first) = choices.first_mut()
    {
        first.checked = true;
    }
    let user = state.stores.users.find_user(&sso.authn.sub).await?;
    let ui = ui.prefer(
        req.ui_locales.as_deref(),
        user.as_ref().and_then(|u| u.locale.as_deref()),
    );
    let (csrf, set) = util::csrf_token(&state, &headers);
    let page = state.web.page(
        &ui,
        "org_pick.html",
        context! {
            csrf, tx => tx_id, service => super::authorize::shown(&client, &ui),
            choices => minijinja::Value::from(minijinja::value::Serde(&choices)),
        },
    );
    let mut r = html(set, page, StatusCode::OK);
    super::csp::FormTarget::allow(tx.form_target(), &mut r);
    Ok(r)
}

pub async fn pick_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let tx_id = form.get("tx").ok_or_else(AppError::expired_sign_in)?;
    let (mut tx, sso) = tx_and_session(&state, &headers, tx_id).await?;
    let client = client_of(&state, tx.request_or_expired()?).await?;
    let next = authorize::decide(
        &state,
        tx.request_or_expired()?,
        &client,
        Some(&sso.authn),
        tx.fresh,
        false,
    )
    .await?;
    if next != Next::SelectOrg {
        return continue_tx(&state, tx_id, tx, &sso).await;
    }
    let req = tx.request.as_mut().ok_or_else(AppError::expired_sign_in)?;
    let choice = form.get("org").map(String::as_str).unwrap_or_default();
    // Only what the page offered: anything else shows the page again.
    let context = if choice == PERSONAL && client.org_mode != OrgMode::Business {
        Some(OrgContext::Personal)
    } else {
        let contexts = orgs::contexts_for(&state, &sso.authn.sub, &client.client_id).await?;
        contexts
            .iter()
            .any(|(o, _)| o.id == choice)
            .then(|| OrgContext::Org(choice.to_owned()))
    };
    let Some(context) = context else {
        return Ok(super::respond::local_redirect(&format!(
            "/login/org?tx={tx_id}"
        )));
    };
    let remembered = match &context {
        OrgContext::Personal => None,
        OrgContext::Org(id) => Some(id.as_str()),
    };
    orgs::remember_choice(&state, &sso.authn.sub, &client.client_id, remembered).await?;
    req.org_context = Some(context);
    save_tx(&state, tx_id, &tx).await?;
    continue_tx(&state, tx_id, tx, &sso).await
}

#[derive(Deserialize)]
pub struct InvitationQuery {
    token: Option<String>,
}

fn invalid_invitation() -> AppError {
    AppError::bad_request("err-invitation-invalid")
}

pub async fn invitation_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    PageQuery(q): PageQuery<InvitationQuery>,
) -> Result<Response, AppError> {
    let token = q
        .token
        .filter(|t| !t.is_empty())
        .ok_or_else(invalid_invitation)?;
    let Some(sso) = current_session(&state, &headers).await? else {
        let back = format!("/invitations/accept?token={}", urlencode(&token));
        return Ok(start_own_sign_in(&back, "/login"));
    };
    let inv = state
        .stores
        .orgs
        .find_invitation(&crate::crypto::token_hash(&token))
        .await?
        .filter(|i| i.accepted_at.is_none() && i.expires_at > state.now())
        .ok_or_else(invalid_invitation)?;
    let org = state
        .stores
        .orgs
        .find_org(&inv.org_id)
        .await?
        .ok_or_else(invalid_invitation)?;
    let user = state
        .stores
        .users
        .find_user(&sso.authn.sub)
        .await?
        .ok_or_else(AppError::expired_sign_in)?;
    let (csrf, set) = util::csrf_token(&state, &headers);
    let page = state.web.page(
        &ui.prefer(None, user.locale.as_deref()),
        "org_invitation.html",
        context! { csrf, token, org => org.name, email => user.email },
    );
    Ok(html(set, page, StatusCode::OK))
}

pub async fn invitation_accept(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = util::page_form(&body)?;
    util::check_csrf(&state, &headers, &form)?;
    let token = form.get("token").cloned().unwrap_or_default();
    let Some(sso) = current_session(&state, &headers).await? else {
        let back = format!("/invitations/accept?token={}", urlencode(&token));
        return Ok(start_own_sign_in(&back, "/login"));
    };
    let user = state
        .stores
        .users
        .find_user(&sso.authn.sub)
        .await?
        .ok_or_else(AppError::expired_sign_in)?;
    match orgs::accept(&state, &token, &user.id, &user.email).await? {
        Accept::Joined(org_id) => {
            let name = state
                .stores
                .orgs
                .find_org(&org_id)
                .await?
                .map(|o| o.name)
                .unwrap_or_default();
            let page = state.web.page(
                &ui.prefer(None, user.locale.as_deref()),
                "org_joined.html",
                context! { org => name },
            );
            Ok(Html(page).into_response())
        }
        Accept::OtherAddress => Err(AppError::page(
            StatusCode::FORBIDDEN,
            "err-invitation-other-address",
        )),
        Accept::Invalid => Err(invalid_invitation()),
    }
}
