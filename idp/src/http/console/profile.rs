//! The console's home: names, birth date, postal address and language.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use minijinja::context;

use super::{Console, console, console_form, render};
use crate::{
    accounts::profile::{self, Errors, Values},
    audit,
    http::{client::ClientMeta, error::AppError, ui::LANG_COOKIE, util},
    state::AppState,
    web::{i18n::Lang, render::Ui},
};

const PATH: &str = "/account";

fn show(
    state: &AppState,
    headers: &HeaderMap,
    c: &Console,
    values: &Values,
    errors: &Errors,
    notice: Option<&str>,
) -> Response {
    let languages: Vec<_> = Lang::ALL
        .into_iter()
        .map(|l| context! { code => l.code(), name => l.native_name() })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let u = &c.user;
    render(
        state,
        headers,
        c,
        "console_profile.html",
        "profile",
        status,
        context! {
            values, errors, notice, languages,
            alert => (!errors.is_empty()).then_some("console-fix-fields"),
            phone => u.phone.clone(),
            phone_verified => u.phone_verified,
            email_verified => u.email_verified,
        },
    )
}

/// The profile page after a change made elsewhere (email, phone), with `notice`.
pub(super) fn show_saved(
    state: &AppState,
    headers: &HeaderMap,
    c: &Console,
    notice: &str,
) -> Response {
    let values = profile::values_of(&c.user);
    show(state, headers, c, &values, &Errors::new(), Some(notice))
}

pub async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let c = console(&state, &headers, ui, PATH).await?;
    let values = profile::values_of(&c.user);
    Ok(show(&state, &headers, &c, &values, &Errors::new(), None))
}

pub async fn save(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (mut c, form) = console_form(&state, &headers, ui, PATH, &body).await?;
    let values: Values = profile::FIELDS
        .into_iter()
        .map(|k| (k, form.get(k).cloned().unwrap_or_default()))
        .collect();
    let mut user = c.user.clone();
    if let Err(errors) = profile::apply(&mut user, &values, state.now()) {
        return Ok(show(&state, &headers, &c, &values, &errors, None));
    }
    state.stores.users.update_user(&user).await?;
    profile::settle_identity_check(&state, &c.user, &mut user, Some(&meta)).await?;
    audit::user_success(
        &state,
        &user,
        &meta,
        audit::PROFILE_CHANGED,
        "profile saved",
    )
    .await;
    // The saved language is what the pages use from now on, in this browser too.
    let lang = user.locale.as_deref().and_then(Lang::parse);
    if let Some(l) = lang {
        c.ui.chosen = Some(l);
        c.ui = c.ui.prefer(None, None);
    }
    c.user = user;
    let mut r = show_saved(&state, &headers, &c, "console-saved");
    if let Some(l) = lang {
        r.headers_mut().append(
            header::SET_COOKIE,
            util::set_cookie(&state, LANG_COOKIE, l.code(), None),
        );
    }
    Ok(r)
}
