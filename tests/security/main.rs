//! Lockout, abuse protection and the audit trail.

mod audit;
mod deployment;
mod lockout;
mod ratelimit;

use postern_tests::*;

pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub fn auth_url(base: &str) -> String {
    format!(
        "{base}/authorize?client_id=shop&redirect_uri=https://rp.test/cb&response_type=code&scope=openid\
         &code_challenge={CHALLENGE}&code_challenge_method=S256&state=st"
    )
}

/// One password attempt by hand: the login page, the email, the password. Returns the
/// status and the page (or the redirect as a page of status 303).
pub async fn attempt(base: &str, email: &str, password: &str) -> (u16, String) {
    let b = Browser::new();
    let Landing::Page(200, html) = b.open(base, &auth_url(base)).await else {
        panic!("login page")
    };
    let mut form = parse_form(&html).unwrap();
    form.set("email", email);
    let html = match b.submit(base, &form).await {
        Landing::Page(200, html) => html,
        Landing::Page(s, html) => return (s, html),
        Landing::Client(u) => panic!("unexpected redirect {u}"),
    };
    let mut form = parse_form(&html).unwrap();
    form.set("password", password);
    match b.submit(base, &form).await {
        Landing::Page(s, html) => (s, html),
        Landing::Client(url) => (303, url.to_string()),
    }
}

/// The page with everything that legitimately differs between two requests removed:
/// hidden values (CSRF token, transaction id) and the typed email.
pub fn comparable(html: &str, email: &str) -> String {
    let mut out = html.replace(email, "EMAIL");
    while let Some(i) = out.find("value=\"") {
        let end = out[i + 7..]
            .find('"')
            .map(|e| i + 7 + e)
            .unwrap_or(out.len());
        out.replace_range(i..=end.min(out.len() - 1), "VALUE");
    }
    while let Some(i) = out.find("tx=") {
        let end = out[i..].find('"').map(|e| i + e).unwrap_or(out.len());
        out.replace_range(i..end, "TX");
    }
    out
}

pub async fn server(adjust: impl FnOnce(&mut idp::Config)) -> TestServer {
    let s = spawn_with(adjust).await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    s
}
