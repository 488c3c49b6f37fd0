//! The FAPI 2.0 Security Profile per client (`profile: fapi2`): a whole flow with PAR,
//! private_key_jwt, PKCE and DPoP; and every shortcut the profile forbids, refused with the
//! error its specification names.

use idp::{
    admin::clients::{ClientError, ClientPatch, any_revision, update_client},
    audit::Actor,
    protocol::types::ClientProfile,
    storage::ClientKeys,
};
use postern_tests::{client_keys::*, dpop, *};

use crate::admin_api::{call, tool_token};
use serde_json::{Value, json};

pub(crate) const EMAIL: &str = "anna@post.test";
const REDIRECT: &str = "https://rp.test/cb";
const VERIFIER: &str = "fapi-verifier-0123456789-0123456789-0123456789";

fn challenge() -> String {
    idp::crypto::b64url(&<sha2::Sha256 as sha2::Digest>::digest(VERIFIER.as_bytes()))
}

/// The bank's keys: an ES256 one it uses, and an RSA one it must not use with RS256.
pub(crate) struct Bank {
    pub(crate) es: Key,
    pub(crate) rsa: Key,
}

/// A FAPI 2.0 client `bank` with inline keys, and a user to sign in.
pub(crate) async fn bank(s: &TestServer) -> Bank {
    let b = Bank {
        es: key("ES256", "es"),
        rsa: key("RS256", "rsa"),
    };
    let mut spec = ClientSpec::confidential("bank");
    spec.secret = None;
    spec.keys = Some(ClientKeys::Jwks(jwks(&[&b.es, &b.rsa])));
    spec.profile = ClientProfile::Fapi2;
    s.client(spec).await;
    s.user(EMAIL).await;
    b
}

/// An assertion of the bank for `aud`, signed with `k`.
fn assertion_for(s: &TestServer, k: &Key, aud: Value) -> String {
    let mut c = claims(s, "bank");
    c["aud"] = aud;
    sign_claims(k, &c)
}

/// The assertion FAPI 2.0 asks for: audience the issuer, as a string.
pub(crate) fn good_assertion(s: &TestServer, b: &Bank) -> String {
    assertion_for(s, &b.es, json!(s.state.config.issuer))
}

pub(crate) fn authorization_params(s: &TestServer, b: &Bank) -> Vec<(String, String)> {
    [
        ("client_id", "bank"),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", "openid email"),
        ("state", "st-1"),
        ("nonce", "n-1"),
        ("code_challenge", &challenge()),
        ("code_challenge_method", "S256"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", &good_assertion(s, b)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

pub(crate) async fn push(s: &TestServer, form: &[(String, String)]) -> (u16, Value) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(s, "/par", &form).await
}

fn without(form: &[(String, String)], name: &str) -> Vec<(String, String)> {
    form.iter().filter(|(k, _)| k != name).cloned().collect()
}

pub(crate) fn with(form: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut f = without(form, name);
    f.push((name.into(), value.into()));
    f
}

/// Pushes the bank's request, signs anna in and consents; the query of the way back.
pub(crate) async fn code(s: &TestServer, b: &Bank) -> std::collections::HashMap<String, String> {
    let (status, body) = push(s, &authorization_params(s, b)).await;
    assert_eq!(status, 201, "{body}");
    let url = format!(
        "{}/authorize?client_id=bank&request_uri={}",
        s.url,
        urlencoding(body["request_uri"].as_str().unwrap())
    );
    let landing = Browser::new().sign_in(&s.url, &url, EMAIL, PASSWORD).await;
    let Landing::Client(back) = landing else {
        panic!("back to the bank: {landing:?}")
    };
    query(&back)
}

fn urlencoding(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// A code redemption of the bank: `assertion` and `proof` as given.
pub(crate) async fn redeem(
    s: &TestServer,
    code: &str,
    assertion: &str,
    proof: Option<&str>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion),
        ]);
    if let Some(p) = proof {
        req = req.header("DPoP", p);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_fapi2_client_completes_par_private_key_jwt_pkce_and_dpop() {
    let s = spawn().await;
    let b = bank(&s).await;
    let q = code(&s, &b).await;
    assert_eq!(q["state"], "st-1");
    assert_eq!(
        q["iss"], s.state.config.issuer,
        "RFC 9207 iss in the response"
    );

    let dk = key("ES256", "device");
    let proof = dpop::proof(&s, &dk, "POST", "/token", None);
    let (status, body) = redeem(&s, &q["code"], &good_assertion(&s, &b), Some(&proof)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP");
    let at = body["access_token"].as_str().unwrap();
    assert_eq!(jwt_payload(at)["cnf"]["jkt"], dpop::jkt(&dk));
    let id_token = body["id_token"].as_str().unwrap();
    assert_eq!(
        jwt_header(id_token)["alg"],
        "ES256",
        "no RS256 for a FAPI 2.0 client"
    );
    assert_eq!(jwt_payload(id_token)["nonce"], "n-1");

    let r = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .header("Authorization", format!("DPoP {at}"))
        .header("DPoP", dpop::proof(&s, &dk, "GET", "/userinfo", Some(at)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let info: Value = r.json().await.unwrap();
    assert_eq!(info["email"], EMAIL);
}

#[tokio::test]
async fn a_fapi2_client_may_not_skip_par_or_pkce_or_use_weak_algorithms() {
    let s = spawn().await;
    let b = bank(&s).await;
    let form = authorization_params(&s, &b);

    // Not pushed: refused at /authorize, back to the client with invalid_request.
    let plain: Vec<(String, String)> =
        without(&without(&form, "client_assertion"), "client_assertion_type");
    let url = format!(
        "{}/authorize?{}",
        s.url,
        serde_urlencoded::to_string(&plain).unwrap()
    );
    let Landing::Client(back) = Browser::new().open(&s.url, &url).await else {
        panic!("an error to the client")
    };
    assert_eq!(query(&back)["error"], "invalid_request");

    // PKCE: required, S256 only.
    for (what, f) in [
        (
            "no PKCE",
            without(&without(&form, "code_challenge"), "code_challenge_method"),
        ),
        (
            "plain PKCE",
            with(
                &with(&form, "code_challenge_method", "plain"),
                "code_challenge",
                VERIFIER,
            ),
        ),
    ] {
        let f = with(&f, "client_assertion", &good_assertion(&s, &b));
        let (status, body) = push(&s, &f).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{what}: {body}"
        );
    }

    // private_key_jwt with PS256/ES256/EdDSA, for the issuer as a string.
    for (what, a) in [
        (
            "RS256",
            assertion_for(&s, &b.rsa, json!(s.state.config.issuer)),
        ),
        (
            "the token endpoint as audience",
            assertion_for(&s, &b.es, json!(s.state.url("/token"))),
        ),
        (
            "the push endpoint as audience",
            assertion_for(&s, &b.es, json!(s.state.url("/par"))),
        ),
        (
            "the issuer in a list",
            assertion_for(&s, &b.es, json!([s.state.config.issuer])),
        ),
    ] {
        assert_invalid_client(push(&s, &with(&form, "client_assertion", &a)).await, what);
    }
    let no_auth = without(&without(&form, "client_assertion"), "client_assertion_type");
    assert_invalid_client(push(&s, &no_auth).await, "no client authentication");

    // A request object signed RS256.
    let mut object = json!({
        "client_id": "bank", "iss": "bank", "aud": s.url, "exp": s.state.now() + 300,
        "response_type": "code", "redirect_uri": REDIRECT, "scope": "openid",
        "code_challenge": challenge(), "code_challenge_method": "S256",
    });
    let pushed = |request: String| {
        let mut f = with(
            &without(&form, "scope"),
            "client_assertion",
            &good_assertion(&s, &b),
        );
        f.push(("request".into(), request));
        f
    };
    let (status, body) = push(&s, &pushed(sign_claims(&b.rsa, &object))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request_object")),
        "{body}"
    );
    object["exp"] = json!(s.state.now() + 300);
    let (status, body) = push(&s, &pushed(sign_claims(&b.es, &object))).await;
    assert_eq!(status, 201, "the same object signed ES256: {body}");
}

#[tokio::test]
async fn a_fapi2_client_needs_a_strong_dpop_proof_and_a_fresh_code() {
    // Codes live ten minutes here, but a FAPI 2.0 client's one minute.
    let s = spawn_with(|c| c.tokens.code_ttl = std::time::Duration::from_secs(600)).await;
    let b = bank(&s).await;

    let q = code(&s, &b).await;
    let (status, body) = redeem(&s, &q["code"], &good_assertion(&s, &b), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "no DPoP: {body}"
    );

    let q = code(&s, &b).await;
    let rsa_proof = dpop::proof(&s, &key("RS256", "d"), "POST", "/token", None);
    let (status, body) = redeem(&s, &q["code"], &good_assertion(&s, &b), Some(&rsa_proof)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_dpop_proof")),
        "RS256 proof: {body}"
    );

    let q = code(&s, &b).await;
    s.clock.advance(61);
    let proof = dpop::proof(&s, &key("ES256", "d"), "POST", "/token", None);
    let (status, body) = redeem(&s, &q["code"], &good_assertion(&s, &b), Some(&proof)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "a code of 61 s: {body}"
    );
}

#[tokio::test]
async fn the_fapi2_profile_is_kept_at_registration() {
    let s = spawn().await;
    let b = bank(&s).await;
    let stored = s
        .state
        .stores
        .clients
        .find_client("bank")
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.require_par && stored.dpop_bound,
        "the profile turns them on"
    );
    assert_eq!(
        stored.id_token_alg,
        Some(idp::protocol::types::SigningAlg::ES256)
    );

    let change = |patch: ClientPatch| {
        update_client(
            &s.state,
            "bank",
            patch,
            &any_revision,
            &Actor::CommandLine,
            None,
        )
    };
    for (what, patch, field) in [
        (
            "PAR off",
            ClientPatch {
                require_par: Some(false),
                ..Default::default()
            },
            "require_pushed_authorization_requests",
        ),
        (
            "DPoP off",
            ClientPatch {
                dpop_bound: Some(false),
                ..Default::default()
            },
            "dpop_bound_access_tokens",
        ),
        (
            "RS256 ID tokens",
            ClientPatch {
                id_token_alg: Some(Some(idp::protocol::types::SigningAlg::RS256)),
                ..Default::default()
            },
            "id_token_signed_response_alg",
        ),
        (
            "RS256 request objects",
            ClientPatch {
                request_object_alg: Some(Some("RS256".into())),
                ..Default::default()
            },
            "request_object_signing_alg",
        ),
    ] {
        match change(patch).await {
            Err(ClientError::Invalid { field: f, .. }) => assert_eq!(f, field, "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }

    // A client with a secret, or a public one, cannot become a FAPI 2.0 client.
    s.client(ClientSpec::confidential("shop")).await;
    let to_fapi = ClientPatch {
        profile: Some(ClientProfile::Fapi2),
        ..Default::default()
    };
    match update_client(
        &s.state,
        "shop",
        to_fapi,
        &any_revision,
        &Actor::CommandLine,
        None,
    )
    .await
    {
        Err(ClientError::Invalid { field, .. }) => assert_eq!(field, "token_endpoint_auth_method"),
        other => panic!("{other:?}"),
    }

    // The management API shows the profile and refuses the same.
    let t = tool_token(&s, "admin:clients").await;
    let view = call(&s, Some(&t), "GET", "/clients/bank", None, None).await;
    assert_eq!(view.status, 200, "{view:?}");
    assert_eq!(view.body["profile"], "fapi2");
    assert_eq!(view.body["require_pushed_authorization_requests"], true);
    assert_eq!(view.body["dpop_bound_access_tokens"], true);
    let weak = json!({"client_id": "weak", "redirect_uris": [REDIRECT], "profile": "fapi2"});
    let r = call(&s, Some(&t), "POST", "/clients", Some(weak), None).await;
    assert_eq!(r.status, 422, "{r:?}");
    assert!(
        r.body.to_string().contains("token_endpoint_auth_method"),
        "{r:?}"
    );
    let strong = json!({
        "client_id": "bank2", "redirect_uris": [REDIRECT], "profile": "fapi2",
        "jwks": serde_json::from_str::<Value>(&jwks(&[&b.es])).unwrap(),
    });
    let r = call(&s, Some(&t), "POST", "/clients", Some(strong), None).await;
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.body["client"]["profile"], "fapi2");
    assert_eq!(r.body["client"]["id_token_alg"], "ES256");
}

/// RFC 9449 §10: a proof sent with the pushed request (or `dpop_jkt`) binds the code to the
/// key, so a stolen code is worth nothing without it.
#[tokio::test]
async fn a_code_pushed_with_a_dpop_proof_is_bound_to_its_key() {
    let s = spawn().await;
    let b = bank(&s).await;
    let dk = key("ES256", "device");
    let pushed = |form: Vec<(String, String)>, proof: Option<String>| {
        let s = &s;
        async move {
            let mut req = reqwest::Client::new()
                .post(format!("{}/par", s.url))
                .form(&form);
            if let Some(p) = proof {
                req = req.header("DPoP", p);
            }
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let sign_in = |uri: String| {
        let s = &s;
        async move {
            let url = format!(
                "{}/authorize?client_id=bank&request_uri={}",
                s.url,
                urlencoding(&uri)
            );
            let Landing::Client(back) = Browser::new().sign_in(&s.url, &url, EMAIL, PASSWORD).await
            else {
                panic!("back to the bank")
            };
            query(&back)["code"].clone()
        }
    };

    // Bound by the proof at /par: another key cannot redeem it, and the code is spent.
    let (status, body) = pushed(
        authorization_params(&s, &b),
        Some(dpop::proof(&s, &dk, "POST", "/par", None)),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let code = sign_in(body["request_uri"].as_str().unwrap().to_owned()).await;
    let thief = dpop::proof(&s, &key("ES256", "thief"), "POST", "/token", None);
    let (status, body) = redeem(&s, &code, &good_assertion(&s, &b), Some(&thief)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_dpop_proof")),
        "{body}"
    );

    // Bound by dpop_jkt: redeemed with a proof of that key.
    let with_jkt = with(&authorization_params(&s, &b), "dpop_jkt", &dpop::jkt(&dk));
    let (status, body) = pushed(with_jkt.clone(), None).await;
    assert_eq!(status, 201, "{body}");
    let code = sign_in(body["request_uri"].as_str().unwrap().to_owned()).await;
    let own = dpop::proof(&s, &dk, "POST", "/token", None);
    let (status, body) = redeem(&s, &code, &good_assertion(&s, &b), Some(&own)).await;
    assert_eq!(status, 200, "{body}");

    // Both, naming different keys: refused at /par. A proof for another URL too.
    let other = dpop::proof(&s, &key("ES256", "other"), "POST", "/par", None);
    let (status, body) = pushed(
        with(&with_jkt, "client_assertion", &good_assertion(&s, &b)),
        Some(other),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_dpop_proof")),
        "{body}"
    );
    let wrong_url = dpop::proof(&s, &dk, "POST", "/token", None);
    let (status, body) = pushed(authorization_params(&s, &b), Some(wrong_url)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_dpop_proof")),
        "{body}"
    );
    let bad = with(
        &authorization_params(&s, &b),
        "dpop_jkt",
        "not a thumbprint",
    );
    let (status, body) = pushed(bad, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
}
