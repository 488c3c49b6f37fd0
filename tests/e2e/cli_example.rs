//! The example native app of `relying-party-examples/cli` against a live server: sign-in
//! through a loopback port, userinfo, a refresh, and logout by revocation.

use postern_cli::{App, DEFAULT_SCOPES, Settings};
use postern_tests::*;

/// A grant-type `refresh_token` request of the public client `cli`: (status, body).
async fn refresh_with(s: &TestServer, rt: &str) -> (u16, serde_json::Value) {
    client_keys::post(
        s,
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", "cli"),
        ],
    )
    .await
}

#[tokio::test]
async fn the_cli_app_signs_in_on_a_loopback_port_refreshes_and_logs_out() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let mut spec = ClientSpec::confidential("cli");
    spec.public = true;
    spec.secret = None;
    spec.redirect_uris = vec!["http://127.0.0.1/callback".into()];
    s.client(spec).await;
    let mut app = App::discover(Settings {
        issuer: s.url.clone(),
        client_id: "cli".into(),
        scopes: DEFAULT_SCOPES
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    })
    .await
    .expect("the app discovers the server");

    let sign_in = app.begin_sign_in().await.unwrap();
    let asked = query(&sign_in.url);
    assert_eq!(asked["code_challenge_method"], "S256");
    let redirect = url::Url::parse(&asked["redirect_uri"]).unwrap();
    assert_eq!(redirect.host_str(), Some("127.0.0.1"), "an IP literal");
    assert!(redirect.port().is_some_and(|p| p != 0), "a port of its own");
    let url = sign_in.url.clone();
    let b = Browser::new();
    let browser = async {
        let Landing::Client(back) = b
            .sign_in(&s.url, url.as_str(), "anna@post.test", PASSWORD)
            .await
        else {
            panic!("Postern sends the browser back to the app")
        };
        assert_eq!(back.origin(), redirect.origin(), "{back}");
        // Anything else on this machine may knock on the port: a wrong state is no code.
        let mut forged = back.clone();
        forged.set_query(Some(&format!("code=forged&state=guess&iss={}", s.url)));
        let refused = b.http.get(forged).send().await.unwrap();
        assert_eq!(refused.status(), 400);
        let page = b.http.get(back).send().await.unwrap();
        (page.status().as_u16(), page.text().await.unwrap())
    };
    let (signed_in, (status, page)) = tokio::join!(app.finish_sign_in(sign_in), browser);
    let claims = signed_in.expect("the app is signed in").claims.clone();
    assert_eq!(status, 200);
    assert!(page.contains("You can close this tab"), "{page}");
    assert_eq!(claims["email"], "anna@post.test");
    assert!(claims["aud"].to_string().contains("\"cli\""), "{claims}");

    let info = app.userinfo().await.unwrap();
    assert_eq!(info["email"], "anna@post.test");

    // One refresh on demand: new tokens, and the spent refresh token is refused.
    let first_rt = app
        .tokens()
        .unwrap()
        .refresh_token
        .clone()
        .expect("offline_access");
    let first_at = app.tokens().unwrap().access_token.secret().clone();
    let t = app.refresh().await.expect("the refresh works");
    let rt = t.refresh_token.clone().unwrap();
    assert_ne!(rt.secret(), first_rt.secret(), "rotated");
    assert_ne!(t.access_token.secret(), &first_at);
    assert_eq!(t.claims["sub"], claims["sub"]);
    let at = t.access_token.secret().clone();
    assert_eq!(app.userinfo().await.unwrap()["email"], "anna@post.test");

    // Logout revokes the refresh token, which ends the grant with its access tokens.
    app.log_out().await.expect("revocation");
    assert!(app.tokens().is_none(), "nothing kept");
    let (status, body) = refresh_with(&s, rt.secret()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    let info = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(&at)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401);
    assert!(app.userinfo().await.is_err(), "signed out");
}
