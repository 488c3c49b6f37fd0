//! Where every sign-in transaction begins. A handler that needs one (an authorization
//! request, a console page visited without a session, registration, an invitation) answers
//! with [`begin`]; the [`begin_sign_ins`] middleware, which knows the caller's address,
//! stores it under the per-address limit (`rate_limit.sign_in_starts_per_ip`) and sends the
//! browser to its first page. A transaction is kept for `session.login_ttl` whether or not
//! anyone signs in, so this limit is what stops a caller without an account from filling
//! the store.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderName, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{client::client_ip, error::AppError, respond::local_redirect};
use crate::{
    audit::RequestMeta,
    authn::transaction::{self, LoginTx},
    ratelimit::LimitError,
    state::AppState,
};

/// A sign-in to begin: the transaction, and the page its browser goes to first.
#[derive(Clone, Debug)]
pub struct BeginSignIn {
    pub tx: Box<LoginTx>,
    pub page: &'static str,
}

/// The answer of a handler that begins a sign-in of `tx` at `page` (completed by
/// [`begin_sign_ins`]).
pub(super) fn begin(tx: LoginTx, page: &'static str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.extensions_mut().insert(BeginSignIn {
        tx: Box::new(tx),
        page,
    });
    r
}

const FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Stores the transaction a response asks for, counted per address, and redirects to its
/// page; past the limit, the 429 page instead.
pub(super) async fn begin_sign_ins(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    // Only what finding the address needs is kept, and the address is worked out only for
    // the few responses that begin a sign-in (no allocation for the others: most requests
    // carry no X-Forwarded-For).
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let mut forwarded = HeaderMap::new();
    for v in req.headers().get_all(&FORWARDED_FOR) {
        forwarded.append(FORWARDED_FOR.clone(), v.clone());
    }
    let mut r = next.run(req).await;
    let Some(b) = r.extensions_mut().remove::<BeginSignIn>() else {
        return r;
    };
    let meta = RequestMeta {
        ip: client_ip(peer, &forwarded, &state.config.http.trusted_proxies).map(|i| i.to_string()),
        user_agent: None,
    };
    match transaction::start(&state, &b.tx, &meta).await {
        Ok(id) => {
            let mut to = local_redirect(&format!("{}?tx={id}", b.page));
            // Whatever else the handler set (a cookie) goes along.
            for (name, value) in r.headers() {
                if name != header::LOCATION {
                    to.headers_mut().append(name.clone(), value.clone());
                }
            }
            to
        }
        Err(LimitError::Limited(l)) => AppError::limited(l).into_response(),
        Err(LimitError::Storage(e)) => AppError::from(e).into_response(),
    }
}
