//! Your data: the export as a JSON download, and the deletion request.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use minijinja::context;
use serde_json::{Value, json};

use super::{Console, console, console_fresh, console_fresh_form, render};
use crate::{
    accounts::deletion,
    audit,
    authn::{
        check::{Attempt, Checked, check},
        session,
    },
    crypto::Secret,
    http::{client::ClientMeta, error::AppError},
    state::AppState,
    storage::{AuditFilter, StorageResult, User},
    web::render::Ui,
};

const PATH: &str = "/account/data";
/// How many of the newest audit events go into an export.
const EXPORT_EVENTS: u64 = 200;

fn grace_days(state: &AppState) -> u64 {
    state.config.accounts.deletion_grace.as_secs() / 86_400
}

fn time(at: i64) -> Value {
    chrono::DateTime::from_timestamp(at, 0).map_or(Value::Null, |d| json!(d.to_rfc3339()))
}

fn show(state: &AppState, headers: &HeaderMap, c: &Console, error: Option<&str>) -> Response {
    show_with(state, headers, c, error, None)
}

/// The page with an `error` beside the password field or an `alert` above the form.
fn show_with(
    state: &AppState,
    headers: &HeaderMap,
    c: &Console,
    error: Option<&str>,
    alert: Option<&str>,
) -> Response {
    let status = if error.is_some() || alert.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let days = grace_days(state);
    render(
        state,
        headers,
        c,
        "console_data.html",
        "data",
        status,
        context! { days, error, alert },
    )
}

pub async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let c = console(&state, &headers, ui, PATH).await?;
    Ok(show(&state, &headers, &c, None))
}

/// Everything kept about `user`, without secrets: no password hash, factor secrets,
/// passkey keys, recovery code hashes or session cookie hashes.
async fn export_of(state: &AppState, user: &User) -> StorageResult<Value> {
    let mut organisations = Vec::new();
    for m in state.stores.orgs.memberships_of(&user.id).await? {
        let name = state.stores.orgs.find_org(&m.org_id).await?.map(|o| o.name);
        organisations.push(json!({
            "id": m.org_id, "name": name, "roles": m.roles, "services": m.services,
            "since": time(m.created_at),
        }));
    }
    let consents: Vec<Value> = state
        .stores
        .consents
        .list_consents(&user.id)
        .await?
        .into_iter()
        .map(|c| json!({ "client_id": c.client_id, "scope": c.scope.to_string(), "granted_at": time(c.granted_at) }))
        .collect();
    let sessions: Vec<Value> = session::list_for_user(state, &user.id)
        .await?
        .into_iter()
        .map(|s| {
            json!({
                "device": s.user_agent.as_deref().and_then(super::sessions::device_name),
                "user_agent": s.user_agent, "ip": s.ip,
                "started_at": time(s.created_at), "expires_at": time(s.expires_at),
            })
        })
        .collect();
    let factors: Vec<Value> = state
        .stores
        .credentials
        .list_credentials(&user.id)
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "kind": c.kind.as_str(), "name": c.name, "created_at": time(c.created_at),
                "used_at": c.used_at.map(time),
            })
        })
        .collect();
    let filter = AuditFilter {
        user_id: Some(user.id.clone()),
        limit: EXPORT_EVENTS,
        ..Default::default()
    };
    let events: Vec<Value> = state
        .stores
        .audit
        .list_events(&filter)
        .await?
        .into_iter()
        .map(|e| {
            json!({
                "at": time(e.at), "kind": e.kind, "outcome": e.outcome, "client_id": e.client_id,
                "ip": e.ip, "user_agent": e.user_agent, "detail": e.detail,
            })
        })
        .collect();
    let u = user;
    let check = u.identity_check.as_ref();
    Ok(json!({
        "exported_at": time(state.now()),
        "profile": {
            "id": u.id, "email": u.email, "email_verified": u.email_verified,
            "given_name": u.given_name, "family_name": u.family_name, "birthdate": u.birthdate,
            "phone_number": u.phone, "phone_number_verified": u.phone_verified,
            "address": {
                "street_address": u.street_address, "postal_code": u.postal_code,
                "locality": u.locality, "country": u.country,
            },
            "locale": u.locale, "terms_version": u.terms_version,
            "terms_accepted_at": u.terms_accepted_at.map(time),
            "created_at": time(u.created_at), "updated_at": time(u.updated_at),
        },
        // The evidence of an identity check is the person's data too.
        "identity": {
            "assurance": u.assurance().as_str(),
            "method": check.map(|c| c.method.as_str()),
            "checked_at": check.map(|c| time(c.at)),
            "reference": check.and_then(|c| c.reference.as_deref()),
        },
        "organisations": organisations,
        "consents": consents,
        "favourites": state.stores.accounts.list_favourites(&u.id).await?,
        "sessions": sessions,
        "factors": factors,
        "audit_events": events,
    }))
}

pub async fn export(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let c = console_fresh(&state, &headers, ui, "/account/export").await?;
    let data = export_of(&state, &c.user).await?;
    audit::user_success(&state, &c.user, &meta, audit::DATA_EXPORTED, "JSON export").await;
    let body = serde_json::to_vec_pretty(&data).map_err(|_| AppError::internal())?;
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"postal-account.json\""),
    );
    Ok(r)
}

/// The deletion request, confirmed with the password (through the sign-in lockout).
pub async fn delete(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (c, form) = console_fresh_form(&state, &headers, ui, PATH, &body).await?;
    let password = Secret::new(form.get("password").cloned().unwrap_or_default());
    let attempt = Attempt::CurrentPassword {
        user: &c.user,
        password: &password,
    };
    match check(&state, attempt, &meta).await? {
        Checked::Proven { .. } => {}
        Checked::Refused(_) => return Ok(show(&state, &headers, &c, Some("data-password-wrong"))),
        Checked::Locked(_) => return Ok(show(&state, &headers, &c, Some("data-locked"))),
        Checked::Limited(l) => return Err(AppError::limited(l)),
    }
    if let deletion::Deletion::LastAdmin(_) = deletion::request(&state, &c.user, &meta).await? {
        let alert = Some("data-last-admin");
        return Ok(show_with(&state, &headers, &c, None, alert));
    }
    let days = grace_days(&state);
    let html = state
        .web
        .page(&c.ui, "console_deleted.html", context! { days });
    let mut r = Html(html).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        crate::http::util::clear_session_cookie(&state),
    );
    Ok(r)
}
