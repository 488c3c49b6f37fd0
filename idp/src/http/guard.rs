//! Who may use Postern's own pages, as extractors: [`SignedIn`] for the account console (a
//! session that reached its floor, as any client's sign-in must) and [`Fresh`] for sensitive
//! actions (the user's strongest factor, proven within `accounts.step_up_max_age`). The
//! decision is `authn::policy`'s; a request that falls short is sent to prove what is
//! missing and back, never to a dead end.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, Method, StatusCode, header, request::Parts},
};

use super::{authorize::page_of, error::AppError, util};
use crate::{
    authn::{
        policy::{self, Proof, Verdict},
        session::{self, SsoSession},
        step_up::Options,
        transaction::LoginTx,
    },
    model::Acr,
    protocol::authorize::Next,
    state::AppState,
    storage::User,
};

/// A signed-in person whose session reached its floor.
pub(super) struct SignedIn {
    pub user: User,
    pub sso: SsoSession,
    /// The session cookie's value (to raise the session in place).
    pub cookie: String,
}

/// A signed-in person who proved their strongest factor recently.
pub(super) struct Fresh(pub SignedIn);

/// Where a request returns after proving: the page itself for a GET, the console page of
/// the form for a POST (its answer would be the page again).
fn return_to(parts: &Parts) -> String {
    if parts.method == Method::GET {
        return parts
            .uri
            .path_and_query()
            .map_or("/account".into(), |p| p.as_str().to_owned());
    }
    const PAGES: [(&str, &str); 8] = [
        ("/account/security", "/account/security"),
        ("/account/email", "/account/email"),
        ("/account/phone", "/account/phone"),
        ("/account/sessions", "/account/sessions"),
        ("/account/services", "/account/services"),
        ("/account/organizations", "/account/organizations"),
        ("/account/delete", "/account/data"),
        ("/account", "/account"),
    ];
    let path = parts.uri.path();
    PAGES
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map_or("/account", |(_, page)| page)
        .to_owned()
}

/// The page's script calls with JSON; it gets a message to show, not a redirect.
fn wants_json(headers: &HeaderMap) -> bool {
    headers.contains_key("x-csrf-token")
        || headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/json"))
}

fn proof(sso: &SsoSession) -> Proof {
    Proof {
        acr: sso.authn.acr,
        auth_time: sso.authn.auth_time,
        floor: sso.authn.floor,
    }
}

/// A sign-in of Postern's own that proves `needs` (recently, when `recent`) and returns to
/// `return_to`: the password page when a password is all there is to prove, the factor page
/// otherwise.
fn prove(
    json: bool,
    return_to: String,
    needs: Option<Acr>,
    recent: bool,
    email: Option<String>,
) -> AppError {
    if json {
        return AppError::Json {
            status: StatusCode::UNAUTHORIZED,
            key: "js-sign-in-again",
        };
    }
    // A password is proven on the sign-in pages, anything stronger on the factor page.
    let page = page_of(&match needs {
        Some(level) if level > Acr::OneFactor => Next::StepUp(level),
        _ => Next::Login,
    });
    let tx = LoginTx::for_page(&return_to, needs.unwrap_or_default(), recent, email);
    AppError::BeginSignIn(super::begin::BeginSignIn {
        tx: Box::new(tx),
        page,
    })
}

/// The session of this request and its user, if both are there and the user may sign in.
async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<SignedIn>, AppError> {
    let Some(cookie) = util::session_cookie(state, headers) else {
        return Ok(None);
    };
    let Some(sso) = session::load(state, cookie).await? else {
        return Ok(None);
    };
    let user = state.stores.users.find_user(&sso.authn.sub).await?;
    Ok(user.filter(|u| !u.disabled).map(|user| SignedIn {
        user,
        sso,
        cookie: cookie.to_owned(),
    }))
}

/// [`SignedIn`] for a request with `headers` that returns to `return_to`.
pub(super) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    return_to: String,
) -> Result<SignedIn, AppError> {
    signed_in_at(state, headers, return_to, Acr::OneFactor).await
}

/// [`SignedIn`] at `needs` at least (a client's level, for a page that acts for it, such as
/// the device verification page). Without a session, the sign-in goes on to `needs` in the
/// same transaction.
pub(super) async fn signed_in_at(
    state: &AppState,
    headers: &HeaderMap,
    return_to: String,
    needs: Acr,
) -> Result<SignedIn, AppError> {
    let json = wants_json(headers);
    let sign_in = |return_to: String| {
        if json || needs == Acr::OneFactor {
            return prove(json, return_to, None, false, None);
        }
        // The password first (the factor page needs a session), then `needs`.
        AppError::BeginSignIn(super::begin::BeginSignIn {
            tx: Box::new(LoginTx::for_page(&return_to, needs, false, None)),
            page: page_of(&Next::Login),
        })
    };
    let Some(s) = current(state, headers).await? else {
        return Err(sign_in(return_to));
    };
    match policy::judge(Some(proof(&s.sso)), needs) {
        Verdict::Enough => Ok(s),
        Verdict::Prove(level) => Err(prove(json, return_to, Some(level), false, None)),
        Verdict::SignIn => Err(sign_in(return_to)),
    }
}

/// [`Fresh`] for a request with `headers` that returns to `return_to`.
pub(super) async fn fresh(
    state: &AppState,
    headers: &HeaderMap,
    return_to: String,
) -> Result<Fresh, AppError> {
    let s = signed_in(state, headers, return_to.clone()).await?;
    let factors = Options::load(state, &s.user).await?.factors();
    let max_age = state.config.accounts.step_up_max_age.as_secs() as i64;
    let json = wants_json(headers);
    match policy::judge_fresh(Some(proof(&s.sso)), factors, state.now(), max_age) {
        Verdict::Enough => Ok(Fresh(s)),
        Verdict::Prove(level) => {
            let email = Some(s.user.email.clone());
            Err(prove(json, return_to, Some(level), true, email))
        }
        Verdict::SignIn => Err(prove(json, return_to, None, false, None)),
    }
}

/// The signed-in user, if any, whatever the session's level (pages that work either way,
/// such as the language switch, which saves the choice for them).
pub(super) async fn signed_in_user(state: &AppState, headers: &HeaderMap) -> Option<User> {
    current(state, headers).await.ok()?.map(|s| s.user)
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        signed_in(state, &parts.headers, return_to(parts)).await
    }
}

impl FromRequestParts<AppState> for Fresh {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        fresh(state, &parts.headers, return_to(parts)).await
    }
}
