//! The example service of `relying-party-examples/service` against a live server: a
//! `private_key_jwt` client (its keys on a `jwks_uri` it serves) gets a client-credentials
//! token and calls its API, which validates JWT access tokens locally and introspects opaque
//! ones; and the API's refusals.

use std::sync::Arc;

use idp::storage::ClientKeys;
use openidconnect::OAuth2TokenResponse;
use postern_tests::*;
use serde_json::{Value, json};
use service::{Provider, Service, ServiceKey, api::Api, http_client};

use crate::rp;

struct Setup {
    s: TestServer,
    service: Service,
    /// The API's `/shipments`.
    api: String,
}

/// Serves `router` on a free loopback port; returns `http://127.0.0.1:<port>`.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

/// The service `svc` (opaque access tokens or not) and an API that serves `audience`.
async fn setup_for(s: TestServer, opaque: bool, audience: &str) -> Setup {
    let key = Arc::new(ServiceKey::generate().unwrap());
    let keys_at = serve(key.router()).await;
    s.client(ClientSpec {
        secret: None,
        keys: Some(ClientKeys::JwksUri(format!("{keys_at}/jwks"))),
        grant_types: vec!["client_credentials".into()],
        redirect_uris: vec![],
        opaque,
        ..ClientSpec::confidential("svc")
    })
    .await;
    let http = http_client().unwrap();
    let provider = Provider::discover(&http, &s.url).await.unwrap();
    let api = Arc::new(Api::new(
        provider.clone(),
        audience.into(),
        "svc".into(),
        key.clone(),
        http.clone(),
    ));
    let api = format!("{}/shipments", serve(service::api::router(api)).await);
    let service = Service {
        client_id: "svc".into(),
        key,
        provider,
        http,
    };
    Setup { s, service, api }
}

/// GET the API with `token`: (status, body).
async fn call(api: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new().get(api);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    if status == 401 {
        let challenge = resp.headers()["www-authenticate"].to_str().unwrap();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
    }
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The API refuses `token` as an invalid token, saying `why`.
async fn assert_refused(api: &str, token: &str, why: &str) {
    let (status, body) = call(api, Some(token)).await;
    assert_eq!(status, 401, "{why}: {body}");
    assert_eq!(body["error"], "invalid_token", "{why}: {body}");
    let said = body["error_description"].as_str().unwrap_or_default();
    assert!(said.contains(why), "{why}: {body}");
}

/// A token signed with the server's own key, of type `typ` with `claims`.
fn minted(s: &TestServer, typ: &str, claims: Value) -> String {
    let alg = s.state.config.signing.access_token_alg;
    let claims = claims.as_object().unwrap().clone();
    s.state.keys.current().sign(alg, typ, claims).unwrap()
}

#[tokio::test]
async fn a_jwt_access_token_is_validated_locally_and_bad_ones_are_refused() {
    let w = setup_for(spawn().await, false, "svc").await;
    let token = w.service.token(None).await.expect("client credentials");
    assert_eq!(jwt_header(&token.access_token)["typ"], "at+jwt");
    let (status, body) = call(&w.api, Some(&token.access_token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caller"]["client_id"], "svc");
    assert_eq!(body["caller"]["checked_by"], "jwt");
    assert!(body["shipments"].is_array());

    let (status, _) = call(&w.api, None).await;
    assert_eq!(status, 401, "no token");
    let s = &w.s;
    let now = s.state.now();
    let valid = json!({
        "iss": s.url, "sub": "svc", "aud": "svc", "client_id": "svc",
        "iat": now, "exp": now + 300, "jti": "j1",
    });
    let with = |k: &str, v: Value| {
        let mut c = valid.clone();
        c[k] = v;
        c
    };
    assert_eq!(
        call(&w.api, Some(&minted(s, "at+jwt", valid.clone())))
            .await
            .0,
        200
    );
    assert_refused(&w.api, &minted(s, "JWT", valid.clone()), "typ").await;
    assert_refused(
        &w.api,
        &minted(s, "at+jwt", with("aud", json!("other"))),
        "aud",
    )
    .await;
    assert_refused(
        &w.api,
        &minted(s, "at+jwt", with("exp", json!(now - 10))),
        "expired",
    )
    .await;
    assert_refused(
        &w.api,
        &minted(s, "at+jwt", with("iss", json!("https://evil.test"))),
        "issuer",
    )
    .await;

    // A token of another client is not for this API.
    let mut other = ClientSpec::confidential("other");
    other.grant_types = vec!["client_credentials".into()];
    other.redirect_uris = vec![];
    s.client(other).await;
    let (_, t) = client_keys::post(
        s,
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "other"),
            ("client_secret", &rp::secret_of("other")),
        ],
    )
    .await;
    assert_refused(&w.api, t["access_token"].as_str().unwrap(), "aud").await;

    // Signed by a key that is not Postern's: unknown kid (the key set is fetched again, once).
    let stranger = client_keys::key("RS256", "stranger");
    let forged = client_keys::sign_claims(&stranger, &valid);
    assert_refused(&w.api, &forged, "kid").await;
    // A tampered payload does not verify.
    let good = minted(s, "at+jwt", valid.clone());
    let parts: Vec<&str> = good.split('.').collect();
    let other_payload = minted(s, "at+jwt", with("sub", json!("admin")));
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        other_payload.split('.').nth(1).unwrap(),
        parts[2]
    );
    assert_refused(&w.api, &tampered, "signature").await;
}

#[tokio::test]
async fn an_id_token_is_not_an_access_token() {
    // The API of a web client `shop`: shop's access token passes, its ID token (the same
    // issuer, audience and key) does not.
    let s = spawn().await;
    let (_, _, tokens, _) = rp::anna_at_shop(&s, &[]).await;
    let w = setup_for(s, false, "shop").await;
    let (status, body) = call(&w.api, Some(tokens.access_token().secret())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caller"]["client_id"], "shop");
    let id_token = tokens.extra_fields().id_token().unwrap().to_string();
    assert_refused(&w.api, &id_token, "typ").await;
}

#[tokio::test]
async fn an_opaque_token_is_introspected_with_private_key_jwt() {
    let w = setup_for(spawn().await, true, "svc").await;
    let token = w.service.token(None).await.expect("client credentials");
    assert!(!token.access_token.contains('.'), "opaque");
    let (status, body) = call(&w.api, Some(&token.access_token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caller"]["client_id"], "svc");
    assert_eq!(body["caller"]["checked_by"], "introspection");
    assert_refused(&w.api, "made-up-token", "not active").await;

    // Revoked at Postern: introspection says so at once.
    let assertion = w
        .service
        .key
        .assertion("svc", &w.service.provider.token_endpoint)
        .unwrap();
    let (status, _) = client_keys::post(
        &w.s,
        "/revoke",
        &[
            ("token", &token.access_token),
            ("client_assertion_type", client_keys::ASSERTION_TYPE),
            ("client_assertion", &assertion),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_refused(&w.api, &token.access_token, "not active").await;
}
