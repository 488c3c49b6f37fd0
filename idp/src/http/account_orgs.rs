//! The console's organisations page: the user's organisations (leave one) and, for
//! organisation admins, members, roles, service permissions and invitations. The same use
//! cases as the management API, behind the SSO session and CSRF instead of a bearer token.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};

use super::{error::AppError, util};
use crate::{
    orgs::{self, Actor, MemberUpdate, NewMember, OrgError},
    state::AppState,
    storage::User,
};
use minijinja::context;

/// A member row of the console, for an organisation's admins.
#[derive(serde::Serialize)]
struct MemberRow {
    user_id: String,
    email: String,
    roles: String,
    services: String,
}

/// One organisation of the console: its name, the user's roles, and for admins the members.
#[derive(serde::Serialize)]
struct OrgSection {
    id: String,
    name: String,
    roles: String,
    members: Option<Vec<MemberRow>>,
}

const PAGE: &str = "/account/organizations";

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<User, AppError> {
    super::account::signed_in_for(state, headers, PAGE).await
}

fn list_field(form: &HashMap<String, String>, name: &str) -> Vec<String> {
    form.get(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
    message: Option<&'static str>,
    error: Option<&'static str>,
) -> Result<Response, AppError> {
    let mut sections = Vec::new();
    for m in state.stores.orgs.memberships_of(&user.id).await? {
        let Some(org) = state.stores.orgs.find_org(&m.org_id).await? else {
            continue;
        };
        let members = if m.is_admin() {
            let page = state.stores.orgs.list_members(&org.id, 0, 500).await?;
            let mut rows = Vec::new();
            for member in page.items {
                let email = state
                    .stores
                    .users
                    .find_user(&member.user_id)
                    .await?
                    .map(|u| u.email)
                    .unwrap_or_default();
                rows.push(MemberRow {
                    user_id: member.user_id,
                    email,
                    roles: member.roles.join(", "),
                    services: member.services.join(", "),
                });
            }
            Some(rows)
        } else {
            None
        };
        sections.push(OrgSection {
            id: org.id,
            name: org.name,
            roles: m.roles.join(", "),
            members,
        });
    }
    let (csrf, set) = util::csrf_token(state, headers);
    let html = state.web.page(
        &super::account::console_ui(headers, user, PAGE),
        "org_console.html",
        context! {
            csrf, nav => "organizations", notice => message, alert => error,
            sections => minijinja::Value::from(minijinja::value::Serde(&sections)),
        },
    );
    let mut r = Html(html).into_response();
    if error.is_some() {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    if let Some(c) = set {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}

pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let user = signed_in(&state, &headers).await?;
    render(&state, &headers, &user, None, None).await
}

/// A console form: CSRF checked, signed in, and (for `admin_needed`) with the strongest
/// factor proved recently (administration changes who may act for a company). Whether the
/// user may manage the organisation is the use case's to decide.
async fn form_of(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
    admin_needed: bool,
) -> Result<(User, HashMap<String, String>, String), AppError> {
    let form = util::page_form(body)?;
    util::check_csrf(state, headers, &form)?;
    let user = if admin_needed {
        super::guard::fresh(state, headers, PAGE.to_owned())
            .await?
            .0
            .user
    } else {
        signed_in(state, headers).await?
    };
    let org_id = form.get("org_id").cloned().unwrap_or_default();
    Ok((user, form, org_id))
}

fn actor(user: &User) -> Actor {
    Actor::User {
        user_id: user.id.clone(),
        client_id: None,
    }
}

/// The page again, with `done` or what went wrong.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
    result: Result<(), OrgError>,
    done: &'static str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => render(state, headers, user, Some(done), None).await,
        Err(OrgError::Storage(e)) => Err(e.into()),
        Err(OrgError::Forbidden(_)) => {
            Err(AppError::page(StatusCode::FORBIDDEN, "err-not-allowed"))
        }
        Err(e) => render(state, headers, user, None, Some(e.key())).await,
    }
}

pub async fn leave(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (user, _, org_id) = form_of(&state, &headers, &body, false).await?;
    let result = orgs::leave(&state, &user.id, &org_id).await;
    answer(&state, &headers, &user, result, "orgs-left").await
}

pub async fn update_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (user, form, org_id) = form_of(&state, &headers, &body, true).await?;
    let target = form.get("user_id").cloned().unwrap_or_default();
    let update = MemberUpdate {
        roles: Some(list_field(&form, "roles")),
        services: Some(list_field(&form, "services")),
    };
    let result = orgs::update_member(&state, &actor(&user), &org_id, &target, update).await;
    answer(
        &state,
        &headers,
        &user,
        result.map(drop),
        "orgs-member-updated",
    )
    .await
}

pub async fn remove_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (user, form, org_id) = form_of(&state, &headers, &body, true).await?;
    let target = form.get("user_id").cloned().unwrap_or_default();
    let result = orgs::remove_member(&state, &actor(&user), &org_id, &target).await;
    answer(&state, &headers, &user, result, "orgs-member-removed").await
}

pub async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (user, form, org_id) = form_of(&state, &headers, &body, true).await?;
    let new = NewMember {
        email: form.get("email").cloned().unwrap_or_default(),
        roles: list_field(&form, "roles"),
        services: list_field(&form, "services"),
    };
    let lang = super::account::console_ui(&headers, &user, PAGE).lang;
    let result = orgs::invite(&state, &actor(&user), &org_id, new, lang).await;
    answer(
        &state,
        &headers,
        &user,
        result.map(drop),
        "orgs-invitation-sent",
    )
    .await
}
