//! The only module that knows about axum: routes, middleware and error mapping.

pub use axum::Router;
use axum::{
    extract::{DefaultBodyLimit, Request},
    http::{self, HeaderName},
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{
    metrics::{HttpLabels, RouteLabels},
    state::AppState,
};

mod account;
mod account_orgs;
pub mod admin_api;
mod authorize;
mod begin;
mod client;
mod consent;
mod console;
mod csp;
mod device;
pub mod error;
mod factor;
mod guard;
mod legacy;
mod logo;
mod logout;
mod metrics;
mod new_password;
mod oidc;
mod org_select;
mod passkey;
mod password;
mod ratelimit;
mod recover;
mod register;
mod respond;
mod signin;
mod token;
mod ui;
mod util;
mod verify;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Counts requests and their latency by route template (never by raw path, which would let
/// clients create unbounded label sets).
async fn record_metrics(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let r = next.run(req).await;
    let m = &state.metrics;
    m.http_requests
        .get_or_create(&HttpLabels {
            method: method.clone(),
            route: route.clone(),
            status: r.status().as_u16(),
        })
        .inc();
    m.http_latency
        .get_or_create(&RouteLabels { method, route })
        .observe(started.elapsed().as_secs_f64());
    r
}

async fn not_found() -> error::AppError {
    error::AppError::page(axum::http::StatusCode::NOT_FOUND, "err-not-found")
}

pub fn router(state: AppState) -> Router {
    let body_limit = state.config.http.body_limit;
    let routes = Router::new()
        .route("/.well-known/openid-configuration", get(oidc::discovery))
        .route(
            "/.well-known/oauth-authorization-server",
            get(oidc::discovery),
        )
        .route("/jwks", get(oidc::jwks))
        .route(
            "/authorize",
            get(authorize::authorize_get).post(authorize::authorize_post),
        )
        .route("/login", get(signin::login_page))
        .route("/login/identify", post(signin::login_identify))
        .route("/login/password", post(signin::login_password))
        .route(
            "/login/verify",
            get(verify::verify_page).post(verify::verify_back),
        )
        .route(
            "/login/new-password",
            get(new_password::new_password_page).post(new_password::new_password_submit),
        )
        .route("/login/legacy", get(legacy::legacy_page))
        .route("/login/legacy/email", post(legacy::legacy_email))
        .route("/login/legacy/code", post(legacy::legacy_code))
        .route("/login/legacy/password", post(legacy::legacy_password))
        .route("/login/factor", get(factor::factor_page))
        .route("/login/factor/sms", post(factor::factor_sms))
        .route("/login/factor/verify", post(factor::factor_verify))
        .route("/login/factor/enrol", post(factor::factor_enrol))
        .route("/login/continue", get(factor::login_continue))
        .route(
            "/login/org",
            get(org_select::pick_page).post(org_select::pick_submit),
        )
        .route(
            "/invitations/accept",
            get(org_select::invitation_page).post(org_select::invitation_accept),
        )
        .route("/login/passkey/options", post(passkey::passkey_options))
        .route("/login/passkey", post(passkey::passkey_finish))
        .route("/account/security", get(account::security_page))
        .route("/account/security/totp/start", post(account::totp_start))
        .route(
            "/account/security/totp/confirm",
            post(account::totp_confirm),
        )
        .route("/account/security/totp/remove", post(account::totp_remove))
        .route(
            "/account/security/passkeys/options",
            post(account::passkey_register_options),
        )
        .route(
            "/account/security/passkeys",
            post(account::passkey_register),
        )
        .route(
            "/account/security/passkeys/rename",
            post(account::passkey_rename),
        )
        .route(
            "/account/security/passkeys/remove",
            post(account::passkey_remove),
        )
        .route(
            "/account/security/recovery-codes",
            post(account::recovery_regenerate),
        )
        .route("/account/security/password", post(account::password_change))
        .merge(console::routes())
        .route("/account/organizations", get(account_orgs::page))
        .route("/account/organizations/leave", post(account_orgs::leave))
        .route(
            "/account/organizations/member",
            post(account_orgs::update_member),
        )
        .route(
            "/account/organizations/remove",
            post(account_orgs::remove_member),
        )
        .route("/account/organizations/invite", post(account_orgs::invite))
        .route(
            "/consent",
            get(consent::consent_page).post(consent::consent_submit),
        )
        .route("/token", post(token::token))
        .route("/par", post(token::par))
        .route(
            crate::protocol::device::ENDPOINT,
            post(token::device_authorization),
        )
        .route(
            crate::protocol::device::VERIFICATION_PATH,
            get(device::code_page).post(device::code_submit),
        )
        .route(
            "/device/confirm",
            get(device::confirm_page).post(device::confirm_submit),
        )
        .route(
            "/userinfo",
            get(token::userinfo_get).post(token::userinfo_post),
        )
        .route("/introspect", post(token::introspect))
        .route("/revoke", post(token::revoke))
        .route("/logout", get(logout::logout_get).post(logout::logout_post))
        .route("/logout/confirm", post(logout::logout_confirm))
        .route(
            "/recover/reset",
            get(recover::reset_page).post(recover::reset_submit),
        )
        .route(
            "/recover/password",
            get(recover::forgot_password_page).post(recover::forgot_password_submit),
        )
        .route(
            "/recover/email",
            get(recover::forgot_email_page).post(recover::forgot_email_submit),
        )
        .route("/recover/email/code", post(recover::forgot_email_code))
        .route(
            "/register",
            get(register::register_page).post(register::register_submit),
        )
        .route("/register/phone", post(register::phone_submit))
        .route("/register/phone/resend", post(register::phone_resend))
        .route(
            "/register/confirm",
            get(register::confirm_page).post(register::confirm_submit),
        )
        .route("/password/check", post(password::check))
        .route("/health/live", get(oidc::live))
        .route("/health/ready", get(oidc::ready))
        .route("/assets/postern.css", get(oidc::stylesheet))
        .route("/assets/theme.css", get(oidc::theme_stylesheet))
        .route("/assets/{file}", get(oidc::logo))
        .route("/assets/webauthn.js", get(oidc::webauthn_script))
        .route("/assets/autosubmit.js", get(oidc::autosubmit_script))
        .route("/assets/password.js", get(oidc::password_script))
        .route("/assets/logos/{id}", get(logo::logo))
        .route("/language", get(ui::switch))
        .route("/metrics", get(metrics::on_main))
        .nest("/admin/api", admin_api::router())
        .fallback(not_found)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            record_metrics,
        ))
        .with_state(state.clone());
    // The layers wrap the router once, outermost first. (`Router::layer` would wrap every
    // route on its own and box each level, costing an allocation per layer per request.)
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        // Outside the panic and body-limit layers, so their answers get the headers too.
        .layer(middleware::from_fn_with_state(
            csp::Transport::of(&state.config),
            csp::security_headers,
        ))
        // A bug must cost one request, never the process.
        .layer(CatchPanicLayer::new())
        .layer(RequestBodyLimitLayer::new(body_limit))
        // The limit wraps the body in its own type; axum's middleware takes axum's.
        .map_request(|r: http::Request<_>| r.map(axum::body::Body::new))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            ui::localize_errors,
        ))
        // Inside `localize_errors`, so that its 429 page is rendered in the page's language.
        .layer(middleware::from_fn_with_state(state, begin::begin_sign_ins))
        .service(routes);
    Router::new().fallback_service(stack)
}

/// The application of the metrics listener (`metrics.listen`).
pub fn metrics_app(state: AppState) -> Router {
    metrics::app(state)
}

/// Serves `app` on `listener` with the peer address available to handlers (client IP for
/// rate limits and the audit trail). Tests and `idp serve` share this.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// [`serve`] that stops accepting on `shutdown` and lets in-flight requests finish.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
