//! Connected services (the consents given, revocable) and the catalogue of all online
//! services with favourites, favourites first.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use minijinja::context;

use super::{Console, console, console_form, render, sessions::time_of};
use crate::{
    audit,
    http::{client::ClientMeta, error::AppError},
    protocol::claims,
    state::AppState,
    storage::Client,
    web::render::Ui,
};

const PATH: &str = "/account/services";

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    c: &Console,
    notice: Option<&str>,
    alert: Option<&str>,
) -> Result<Response, AppError> {
    let clients = state.stores.reads.all_clients().await?;
    let favourites = state.stores.accounts.list_favourites(&c.user.id).await?;
    let rank = |id: &str| favourites.iter().position(|f| f == id);
    let mut listed: Vec<_> = clients
        .iter()
        .filter(|cl| cl.launch_url.is_some())
        .collect();
    let lang = c.ui.lang;
    // The catalogue lists clients with a launch URL: one without a name is listed by the
    // host a person would go to, never by its client id.
    let title = |cl: &Client| match cl.face.name(lang) {
        Some(n) => n.to_owned(),
        None => cl
            .launch_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default(),
    };
    // Favourites first, in the order they were chosen; then by name.
    listed.sort_by(|a, b| {
        let (ra, rb) = (rank(&a.client_id), rank(&b.client_id));
        rb.is_some()
            .cmp(&ra.is_some())
            .then(ra.cmp(&rb))
            .then_with(|| title(a).to_lowercase().cmp(&title(b).to_lowercase()))
    });
    let catalogue: Vec<_> = listed
        .into_iter()
        .map(|cl| {
            context! {
                client_id => cl.client_id.clone(), name => title(cl),
                description => cl.description.clone(),
                launch_url => cl.launch_url.clone(), favourite => rank(&cl.client_id).is_some(),
            }
        })
        .collect();
    let consents: Vec<_> = state
        .stores
        .consents
        .list_consents(&c.user.id)
        .await?
        .into_iter()
        .map(|co| {
            // The console is where a person withdraws a consent, so every one must be told
            // apart: a client without a name here (or one gone since) is listed by its id.
            let name = clients
                .iter()
                .find(|cl| cl.client_id == co.client_id)
                .and_then(|cl| cl.face.name(lang))
                .map_or_else(|| co.client_id.clone(), str::to_owned);
            let shared = claims::shared(&co.scope, &co.claims);
            let items: Vec<&str> = shared.items.iter().map(|i| i.message_key()).collect();
            context! {
                client_id => co.client_id, name, items, other_scopes => shared.other_scopes,
                granted => time_of(co.granted_at),
            }
        })
        .collect();
    let status = if alert.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(render(
        state,
        headers,
        c,
        "console_services.html",
        "services",
        status,
        context! { catalogue, consents, notice, alert },
    ))
}

pub async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let c = console(&state, &headers, ui, PATH).await?;
    show(&state, &headers, &c, None, None).await
}

/// Withdraws the consent and revokes what the service holds: its refresh and access
/// tokens stop working, and its next sign-in asks for consent again.
pub async fn revoke(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (c, form) = console_form(&state, &headers, ui, PATH, &body).await?;
    let client_id = form
        .get("client_id")
        .map(String::as_str)
        .unwrap_or_default();
    if !crate::accounts::revoke_service(&state, &c.user, client_id, &meta).await? {
        return show(&state, &headers, &c, None, Some("services-unknown")).await;
    }
    show(&state, &headers, &c, Some("services-revoked"), None).await
}

pub async fn favourite(
    State(state): State<AppState>,
    ui: Ui,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (c, form) = console_form(&state, &headers, ui, PATH, &body).await?;
    let client_id = form
        .get("client_id")
        .map(String::as_str)
        .unwrap_or_default();
    let listed = state
        .stores
        .clients
        .find_client(client_id)
        .await?
        .is_some_and(|cl| cl.launch_url.is_some());
    if !listed {
        return show(&state, &headers, &c, None, Some("services-unknown")).await;
    }
    let accounts = &state.stores.accounts;
    let detail = if form.get("favourite").map(String::as_str) == Some("remove") {
        accounts.remove_favourite(&c.user.id, client_id).await?;
        format!("removed {client_id}")
    } else {
        accounts
            .add_favourite(&c.user.id, client_id, state.now())
            .await?;
        format!("added {client_id}")
    };
    audit::user_success(&state, &c.user, &meta, audit::FAVOURITES_CHANGED, &detail).await;
    show(&state, &headers, &c, None, None).await
}
