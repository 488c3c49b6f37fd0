//! The device authorization grant (RFC 8628): a device gets a device code and a user code,
//! the person types the user code at `/device`, signs in and confirms, and the device's
//! polls end in tokens. Driven by the `openidconnect` crate as the device, and by plain HTTP
//! for every polling answer. The attacks are in `device_attacks.rs`.

use std::time::Duration;

use openidconnect::{
    DeviceAuthorizationUrl, OAuth2TokenResponse, Scope, TokenResponse,
    core::{CoreDeviceAuthorizationResponse, CoreIdTokenClaims},
};
use postern_tests::{client_keys::post, *};
use serde_json::Value;

use crate::rp;

pub const EMAIL: &str = "anna@post.test";
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// A server whose devices may poll every second (tests should not wait five).
pub async fn server() -> TestServer {
    spawn_with(|c| c.device.interval = Duration::from_secs(1)).await
}

/// A public device client `id`, with refresh tokens.
pub async fn device_client(s: &TestServer, id: &str) {
    let mut spec = ClientSpec::confidential(id);
    spec.secret = None;
    spec.public = true;
    spec.redirect_uris = vec![];
    spec.grant_types = vec![DEVICE_GRANT.into(), "refresh_token".into()];
    s.client(spec).await;
}

/// `POST /device_authorization` as public client `id` asking for `scope`.
pub async fn start(s: &TestServer, id: &str, scope: &str) -> (u16, Value) {
    post(
        s,
        "/device_authorization",
        &[("client_id", id), ("scope", scope)],
    )
    .await
}

/// One poll of `/token` by public client `id`.
pub async fn poll(s: &TestServer, id: &str, device_code: &str) -> (u16, Value) {
    let form = [
        ("grant_type", DEVICE_GRANT),
        ("client_id", id),
        ("device_code", device_code),
    ];
    post(s, "/token", &form).await
}

/// Types `code` on the verification page; where the browser lands.
pub async fn enter(s: &TestServer, b: &Browser, code: &str) -> Landing {
    let q = serde_urlencoded::to_string([("user_code", code)]).unwrap();
    let Landing::Page(200, html) = b.open(&s.url, &format!("{}/device?{q}", s.url)).await else {
        panic!("the verification page")
    };
    let form = form_for(&html, "/device", None);
    assert!(
        form.fields
            .iter()
            .any(|(k, v)| k == "user_code" && v == code),
        "prefilled: {html}"
    );
    b.submit(&s.url, &form).await
}

/// Signs in on whatever sign-in page `landing` is (email, password, an SMS step-up) until
/// the confirmation page; its HTML.
pub async fn through_sign_in(s: &TestServer, b: &Browser, mut landing: Landing) -> String {
    for _ in 0..5 {
        let Landing::Page(_, html) = landing else {
            panic!("the device pages stay at Postern: {landing:?}")
        };
        if html.contains("action=\"/device/confirm\"") {
            return html;
        }
        let html = pass_sms_step_up(s, b, html, "+41791234567").await;
        if html.contains("action=\"/device/confirm\"") {
            return html;
        }
        let mut form = parse_form(&html).unwrap_or_else(|| panic!("a form: {html}"));
        let names: Vec<&str> = form.fields.iter().map(|(k, _)| k.as_str()).collect();
        if names.contains(&"email") {
            form.set("email", EMAIL);
        } else if names.contains(&"password") {
            form.set("password", PASSWORD);
        } else {
            panic!("an unexpected page: {html}");
        }
        landing = b.submit(&s.url, &form).await;
    }
    panic!("no confirmation page")
}

/// Answers the confirmation page `html` with `decision` (`confirm` or `deny`).
pub async fn answer(s: &TestServer, b: &Browser, html: &str, decision: &str) -> Landing {
    let mut form = form_for(html, "/device/confirm", None);
    form.set("decision", decision);
    b.submit(&s.url, &form).await
}

/// Enters `code`, signs in as [`EMAIL`] and answers `decision`; the last page.
pub async fn decide(s: &TestServer, b: &Browser, code: &str, decision: &str) -> String {
    let landing = enter(s, b, code).await;
    let html = through_sign_in(s, b, landing).await;
    let Landing::Page(200, done) = answer(s, b, &html, decision).await else {
        panic!("the answer's page")
    };
    done
}

#[tokio::test]
async fn discovery_names_the_endpoint_and_the_grant() {
    let s = spawn().await;
    let d = discovery(&s).await;
    assert_eq!(
        d["device_authorization_endpoint"],
        format!("{}/device_authorization", s.url)
    );
    let grants = d["grant_types_supported"].as_array().unwrap();
    assert!(grants.iter().any(|g| g == DEVICE_GRANT), "{grants:?}");
}

#[tokio::test]
async fn the_answers_of_the_endpoint_and_of_each_poll() {
    let s = spawn().await;
    s.user(EMAIL).await;
    device_client(&s, "locker").await;
    let (status, body) = start(&s, "locker", "openid email").await;
    assert_eq!(status, 200, "{body}");
    let code = body["user_code"].as_str().unwrap();
    assert_eq!(code.len(), 9, "{code}");
    assert_eq!(&code[4..5], "-");
    assert!(
        code.chars()
            .filter(|c| *c != '-')
            .all(|c| "BCDFGHJKLMNPQRSTVWXZ".contains(c)),
        "{code}"
    );
    assert_eq!(body["verification_uri"], format!("{}/device", s.url));
    assert_eq!(
        body["verification_uri_complete"],
        format!("{}/device?user_code={code}", s.url)
    );
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["interval"], 5);
    let device_code = body["device_code"].as_str().unwrap();

    let (status, r) = poll(&s, "locker", device_code).await;
    assert_eq!(
        (status, r["error"].as_str()),
        (400, Some("authorization_pending"))
    );
    // Sooner than the interval: slow down, and the interval grows to 10 s for this code.
    let (_, r) = poll(&s, "locker", device_code).await;
    assert_eq!(r["error"], "slow_down");
    s.clock.advance(6);
    let (_, r) = poll(&s, "locker", device_code).await;
    assert_eq!(
        r["error"], "slow_down",
        "6 s is not 10 s (and now it is 15)"
    );
    s.clock.advance(16);
    let (_, r) = poll(&s, "locker", device_code).await;
    assert_eq!(r["error"], "authorization_pending");

    // The person types the code in small letters without the dash.
    let typed = code.replace('-', "").to_lowercase();
    let b = Browser::new();
    let landing = enter(&s, &b, &typed).await;
    let html = through_sign_in(&s, &b, landing).await;
    // The client has no name: the page names no service, and never by the client id.
    assert!(html.contains("A device asks to:"), "{html}");
    assert!(!html.contains("locker"), "not the client id: {html}");
    assert!(html.contains(code), "the code shown: {html}");
    assert!(html.contains(EMAIL), "who confirms: {html}");
    let Landing::Page(200, done) = answer(&s, &b, &html, "confirm").await else {
        panic!("confirmed")
    };
    assert!(done.contains("Device connected"), "{done}");

    s.clock.advance(16);
    let (status, tokens) = poll(&s, "locker", device_code).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "email openid");
    assert!(tokens.get("refresh_token").is_none(), "no offline_access");
    let claims = jwt_payload(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["aud"], "locker");
    assert_eq!(claims["acr"], "urn:postern:acr:1fa");
    assert!(claims["sid"].is_string() && claims["auth_time"].is_number());
    assert_eq!(claims["amr"], serde_json::json!(["pwd"]));
    let info = userinfo(&s, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info["email"], EMAIL);

    let audit = s
        .state
        .stores
        .audit
        .list_events(&idp::storage::AuditFilter {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.kind == "device_approved" && e.client_id.as_deref() == Some("locker")),
        "the approval is audited"
    );
}

#[tokio::test]
async fn the_openidconnect_crate_signs_a_device_in() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    let client = rp::client(&s, "tv", None)
        .await
        .set_device_authorization_url(
            DeviceAuthorizationUrl::new(format!("{}/device_authorization", s.url)).unwrap(),
        );
    let http = rp::http();
    let details: CoreDeviceAuthorizationResponse = client
        .exchange_device_code()
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .request_async(&http)
        .await
        .expect("device authorization");
    let code = details.user_code().secret().clone();
    assert_eq!(details.interval(), Duration::from_secs(1));

    // The device polls while the person confirms.
    let device = {
        let client = client.clone();
        let details = details.clone();
        tokio::spawn(async move {
            client
                .exchange_device_access_token(&details)
                .unwrap()
                .request_async(
                    &rp::http(),
                    tokio::time::sleep,
                    Some(Duration::from_secs(60)),
                )
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let done = decide(&s, &Browser::new(), &code, "confirm").await;
    assert!(done.contains("Device connected"), "{done}");
    let tokens = device.await.unwrap().expect("the device gets its tokens");

    let verifier = client.id_token_verifier();
    let claims: &CoreIdTokenClaims = tokens
        .id_token()
        .expect("an ID token")
        .claims(&verifier, |_: Option<&openidconnect::Nonce>| Ok(()))
        .expect("a valid ID token");
    assert_eq!(claims.email().map(|e| e.as_str()), Some(EMAIL));
    let refresh = tokens
        .refresh_token()
        .expect("offline_access: a refresh token");
    let refreshed = client
        .exchange_refresh_token(refresh)
        .unwrap()
        .request_async(&http)
        .await
        .expect("the refresh token works");
    assert!(!refreshed.access_token().secret().is_empty());
}

#[tokio::test]
async fn a_two_factor_client_gets_a_two_factor_sign_in() {
    let s = server().await;
    s.user(EMAIL).await;
    let mut spec = ClientSpec::confidential("counter");
    spec.grant_types = vec![DEVICE_GRANT.into()];
    spec.redirect_uris = vec![];
    spec.min_acr = Some("urn:postern:acr:2fa".into());
    s.client(spec).await;
    let secret = rp::secret_of("counter");
    let (status, body) = post(
        &s,
        "/device_authorization",
        &[
            ("client_id", "counter"),
            ("client_secret", &secret),
            ("scope", "openid"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let done = decide(
        &s,
        &Browser::new(),
        body["user_code"].as_str().unwrap(),
        "confirm",
    )
    .await;
    assert!(done.contains("Device connected"), "{done}");
    let (status, tokens) = post(
        &s,
        "/token",
        &[
            ("grant_type", DEVICE_GRANT),
            ("device_code", body["device_code"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(status, 401, "a confidential client authenticates: {tokens}");
    let (status, tokens) = post(
        &s,
        "/token",
        &[
            ("grant_type", DEVICE_GRANT),
            ("client_id", "counter"),
            ("client_secret", &secret),
            ("device_code", body["device_code"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let claims = jwt_payload(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["acr"], "urn:postern:acr:2fa");
}

#[tokio::test]
async fn a_denied_device_is_told_so_for_good() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    let (_, body) = start(&s, "tv", "openid").await;
    let done = decide(
        &s,
        &Browser::new(),
        body["user_code"].as_str().unwrap(),
        "deny",
    )
    .await;
    assert!(done.contains("Device not connected"), "{done}");
    let device_code = body["device_code"].as_str().unwrap();
    for _ in 0..2 {
        let (status, r) = poll(&s, "tv", device_code).await;
        assert_eq!((status, r["error"].as_str()), (400, Some("access_denied")));
        s.clock.advance(2);
    }
}

#[tokio::test]
async fn an_expired_code_is_expired_for_the_device_and_unknown_to_the_person() {
    let s = server().await;
    s.user(EMAIL).await;
    device_client(&s, "tv").await;
    let (_, body) = start(&s, "tv", "openid").await;
    s.clock.advance(601);
    let (status, r) = poll(&s, "tv", body["device_code"].as_str().unwrap()).await;
    assert_eq!((status, r["error"].as_str()), (400, Some("expired_token")));
    let Landing::Page(400, html) =
        enter(&s, &Browser::new(), body["user_code"].as_str().unwrap()).await
    else {
        panic!("an expired code is refused")
    };
    assert!(html.contains("This code is not valid"), "{html}");
}

#[tokio::test]
async fn the_management_api_registers_a_device_client() {
    use crate::admin_api::{call, tool_token};
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let bad =
        serde_json::json!({"client_id": "tv", "public": true, "grant_types": ["device_code"]});
    let r = call(&s, Some(&t), "POST", "/clients", Some(bad), None).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    let new = serde_json::json!({
        "client_id": "tv", "client_name": "Parcel TV", "public": true, "grant_types": [DEVICE_GRANT],
    });
    let r = call(&s, Some(&t), "POST", "/clients", Some(new), None).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(
        r.body["client"]["grant_types"],
        serde_json::json!([DEVICE_GRANT])
    );
    let (status, body) = start(&s, "tv", "openid").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_private_key_jwt_device_names_this_endpoint_and_gets_dpop_bound_tokens() {
    use postern_tests::client_keys::{self, key};
    let s = server().await;
    s.user(EMAIL).await;
    let k = key("ES256", "locker-key");
    let mut spec = ClientSpec::confidential("locker");
    spec.secret = None;
    spec.keys = Some(idp::storage::ClientKeys::Jwks(client_keys::jwks(&[&k])));
    spec.redirect_uris = vec![];
    spec.grant_types = vec![DEVICE_GRANT.into()];
    s.client(spec).await;
    let assertion = |aud: String| {
        let mut c = client_keys::claims(&s, "locker");
        c["aud"] = aud.into();
        client_keys::sign_claims(&k, &c)
    };
    const TYPE: &str = idp::protocol::client_assertion::ASSERTION_TYPE;
    let wrong = assertion(s.state.url("/userinfo"));
    let form = [
        ("client_assertion_type", TYPE),
        ("client_assertion", &wrong),
    ];
    let (status, r) = post(&s, "/device_authorization", &form).await;
    assert_eq!((status, r["error"].as_str()), (401, Some("invalid_client")));
    let right = assertion(s.state.url("/device_authorization"));
    let form = [
        ("client_assertion_type", TYPE),
        ("client_assertion", &right),
        ("scope", "openid"),
    ];
    let (status, body) = post(&s, "/device_authorization", &form).await;
    assert_eq!(status, 200, "{body}");
    decide(
        &s,
        &Browser::new(),
        body["user_code"].as_str().unwrap(),
        "confirm",
    )
    .await;

    let device_key = key("ES256", "device-dpop");
    let proof = postern_tests::dpop::proof(&s, &device_key, "POST", "/token", None);
    let token_assertion = assertion(s.state.url("/token"));
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .header("DPoP", proof)
        .form(&[
            ("grant_type", DEVICE_GRANT),
            ("device_code", body["device_code"].as_str().unwrap()),
            ("client_assertion_type", TYPE),
            ("client_assertion", &token_assertion),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let tokens: Value = r.json().await.unwrap();
    assert_eq!(tokens["token_type"], "DPoP");
    let at = jwt_payload(tokens["access_token"].as_str().unwrap());
    assert_eq!(at["cnf"]["jkt"], postern_tests::dpop::jkt(&device_key));
}
