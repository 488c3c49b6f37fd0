//! private_key_jwt (RFC 7523; OIDC Core §9): clients that sign an assertion with a key of
//! theirs instead of sending a secret, given inline or fetched from a `jwks_uri` served
//! here by a listener of the test.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use idp::storage::ClientKeys;
use josekit::{jws::HS256, jwt};
use postern_tests::{client_keys::*, *};
use serde_json::{Value, json};

/// A server whose failure limits stay out of the way of many refusals in a row.
async fn lenient() -> TestServer {
    spawn_with(|c| {
        c.rate_limit.client_auth_failures_per_ip = 1000;
        c.rate_limit.client_auth_failures_per_client = 1000;
    })
    .await
}

#[tokio::test]
async fn each_algorithm_authenticates_once_per_assertion() {
    let s = spawn().await;
    for alg in ["RS256", "PS256", "ES256", "EdDSA"] {
        let k = key(alg, "k1");
        let id = format!("svc-{alg}");
        register(&s, &id, ClientKeys::Jwks(jwks(&[&k]))).await;
        let a = assertion(&s, &k, &id);
        let (status, body) = token(&s, &a).await;
        assert_eq!(status, 200, "{alg}: {body}");
        assert!(body["access_token"].is_string(), "{alg}: {body}");
        assert_eq!(
            jwt_payload(body["access_token"].as_str().unwrap())["client_id"],
            id
        );
        assert_invalid_client(token(&s, &a).await, &format!("{alg} replayed"));
        // Without a kid, the only key of the set that fits is used. (A josekit signer puts
        // its key's kid in the header: this one's key has none.)
        let mut anonymous = Key {
            alg,
            kid: String::new(),
            private: k.private.clone(),
            public: k.public.clone(),
        };
        anonymous.private.set_parameter("kid", None).unwrap();
        let no_kid = jwt::encode_with_signer(
            &payload(&claims(&s, &id)),
            &header(None),
            &*signer(&anonymous),
        )
        .unwrap();
        assert!(jwt_header(&no_kid).get("kid").is_none(), "{no_kid}");
        assert_eq!(token(&s, &no_kid).await.0, 200, "{alg} without kid");
    }
}

#[tokio::test]
async fn bad_assertions_and_the_wrong_method_are_invalid_client() {
    let s = lenient().await;
    let k = key("ES256", "k1");
    register(&s, "svc", ClientKeys::Jwks(jwks(&[&k]))).await;
    let mut secret_client = ClientSpec::confidential("plain");
    secret_client.grant_types = vec!["client_credentials".into()];
    secret_client.redirect_uris = vec![];
    s.client(secret_client).await;
    let now = s.state.now();
    let with = |change: &dyn Fn(&mut Value)| {
        let mut c = claims(&s, "svc");
        change(&mut c);
        sign_claims(&k, &c)
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "wrong aud",
            with(&|c| c["aud"] = json!("https://elsewhere.test/token")),
        ),
        (
            "expired",
            with(&|c| {
                c["iat"] = json!(now - 400);
                c["exp"] = json!(now - 300);
            }),
        ),
        ("too long-lived", with(&|c| c["exp"] = json!(now + 3600))),
        (
            "no jti",
            with(&|c| drop(c.as_object_mut().unwrap().remove("jti"))),
        ),
        (
            "no exp",
            with(&|c| drop(c.as_object_mut().unwrap().remove("exp"))),
        ),
        ("iss not the client", with(&|c| c["iss"] = json!("plain"))),
        ("sub not the client", with(&|c| c["sub"] = json!("plain"))),
        (
            "alg none",
            jwt::encode_unsecured(&payload(&claims(&s, "svc")), &header(Some("k1"))).unwrap(),
        ),
        (
            "HS256 with any key",
            jwt::encode_with_signer(
                &payload(&claims(&s, "svc")),
                &header(Some("k1")),
                &HS256
                    .signer_from_bytes(b"0123456789abcdef0123456789abcdef")
                    .unwrap(),
            )
            .unwrap(),
        ),
        (
            // The classic confusion: the public key as an HMAC secret.
            "HS256 with the public key",
            jwt::encode_with_signer(
                &payload(&claims(&s, "svc")),
                &header(Some("k1")),
                &HS256.signer_from_bytes(jwks(&[&k]).as_bytes()).unwrap(),
            )
            .unwrap(),
        ),
        (
            "another key, same kid",
            assertion(&s, &key("ES256", "k1"), "svc"),
        ),
        (
            "a key not in the set",
            assertion(&s, &key("ES256", "k9"), "svc"),
        ),
        ("a secret client's assertion", assertion(&s, &k, "plain")),
        ("an unknown client", assertion(&s, &k, "nobody")),
        ("not a JWT", "abc.def".into()),
    ];
    for (what, a) in &cases {
        assert_invalid_client(token(&s, a).await, what);
    }
    // The assertion type is checked (RFC 7521 §4.2.1).
    let a = assertion(&s, &k, "svc");
    let wrong_type = post(
        &s,
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:example:saml"),
            ("client_assertion", &a),
        ],
    )
    .await;
    assert_invalid_client(wrong_type, "wrong assertion type");
    let other_id = post(
        &s,
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "plain"),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &a),
        ],
    )
    .await;
    assert_invalid_client(other_id, "client_id differs from iss");

    // A private_key_jwt client has no secret to present, in either place.
    let basic = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth("svc", Some("svc-secret-0123456789abcdef"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status().as_u16(), 401);
    let posted = post(
        &s,
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "svc"),
            ("client_secret", "anything"),
        ],
    )
    .await;
    assert_invalid_client(posted, "a secret for a private_key_jwt client");
    let (status, body) = post(
        &s,
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_secret", "anything"),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &assertion(&s, &k, "svc")),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );

    // After all that, a good assertion still works.
    assert_eq!(token(&s, &assertion(&s, &k, "svc")).await.0, 200);
}

#[tokio::test]
async fn failed_assertions_count_like_wrong_secrets() {
    let s = spawn_with(|c| c.rate_limit.client_auth_failures_per_ip = 3).await;
    let k = key("ES256", "k1");
    register(&s, "svc", ClientKeys::Jwks(jwks(&[&k]))).await;
    let stranger = key("ES256", "k1");
    for i in 0..3 {
        assert_invalid_client(
            token(&s, &assertion(&s, &stranger, "svc")).await,
            &format!("{i}"),
        );
    }
    let (status, _) = token(&s, &assertion(&s, &k, "svc")).await;
    assert_eq!(status, 429, "this address failed too often for this client");
}

#[tokio::test]
async fn introspection_and_revocation_accept_assertions() {
    let s = spawn().await;
    let k = key("EdDSA", "k1");
    register(&s, "svc", ClientKeys::Jwks(jwks(&[&k]))).await;
    let (status, body) = token(&s, &assertion(&s, &k, "svc")).await;
    assert_eq!(status, 200, "{body}");
    let at = body["access_token"].as_str().unwrap().to_owned();
    // The issuer as audience, as openid-client and others send it.
    let mut for_issuer = claims(&s, "svc");
    for_issuer["aud"] = json!(s.state.config.issuer);
    let by_assertion = |a: String, token: &str| {
        vec![
            ("token".to_owned(), token.to_owned()),
            (
                "client_assertion_type".to_owned(),
                ASSERTION_TYPE.to_owned(),
            ),
            ("client_assertion".to_owned(), a),
        ]
    };
    let introspect = |form: Vec<(String, String)>| {
        let url = format!("{}/introspect", s.url);
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .form(&form)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, info) = introspect(by_assertion(sign_claims(&k, &for_issuer), &at)).await;
    assert_eq!((status, &info["active"]), (200, &json!(true)), "{info}");
    let revoked = reqwest::Client::new()
        .post(format!("{}/revoke", s.url))
        .form(&by_assertion(assertion(&s, &k, "svc"), &at))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    let (_, info) = introspect(by_assertion(assertion(&s, &k, "svc"), &at)).await;
    assert_eq!(info, json!({"active": false}));
    let (status, _) = introspect(by_assertion(sign_claims(&k, &for_issuer), &at)).await;
    assert_eq!(
        status, 401,
        "the issuer-audience assertion was used already"
    );
}

/// A JWK Set server on the loopback interface that counts its requests.
struct KeyServer {
    url: String,
    hits: Arc<AtomicUsize>,
    set: Arc<Mutex<String>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn key_server(set: String) -> KeyServer {
    use axum::{Router, http::header, response::IntoResponse, routing::get};
    let hits = Arc::new(AtomicUsize::new(0));
    let set = Arc::new(Mutex::new(set));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (h, current) = (hits.clone(), set.clone());
    let app = Router::new()
        .route(
            "/jwks",
            get(move || {
                h.fetch_add(1, Ordering::SeqCst);
                let body = current.lock().unwrap().clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], body) }
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(20)).await;
                "{}"
            }),
        )
        .route("/huge", get(|| async { "x".repeat(1 << 20) }))
        .route(
            "/to-http",
            get(|| async {
                axum::response::Redirect::temporary("http://127.0.0.1:9/jwks").into_response()
            }),
        );
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    KeyServer {
        url,
        hits,
        set,
        task,
    }
}

/// An endless chunked answer with no length: only a reader that stops counting bytes
/// gets away.
async fn endless_server() -> (String, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = conn.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                if conn.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("2000\r\n{}\r\n", " ".repeat(0x2000));
                while conn.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_jwks_uri_is_cached_and_fetched_again_for_a_new_key() {
    let s = lenient().await;
    let (k1, k2, k3) = (key("RS256", "k1"), key("ES256", "k2"), key("ES256", "k3"));
    let keys = key_server(jwks(&[&k1])).await;
    register(&s, "svc", ClientKeys::JwksUri(format!("{}/jwks", keys.url))).await;
    let hits = || keys.hits.load(Ordering::SeqCst);

    assert_eq!(token(&s, &assertion(&s, &k1, "svc")).await.0, 200);
    assert_eq!(token(&s, &assertion(&s, &k1, "svc")).await.0, 200);
    assert_eq!(hits(), 1, "the set is cached");

    // The client rotates to k2: the unknown kid makes Postern ask again.
    *keys.set.lock().unwrap() = jwks(&[&k2]);
    s.clock.advance(11);
    assert_eq!(token(&s, &assertion(&s, &k2, "svc")).await.0, 200);
    assert_eq!(hits(), 2);
    // Another unknown kid right after: no new request, refused.
    assert_invalid_client(token(&s, &assertion(&s, &k3, "svc")).await, "k3");
    assert_invalid_client(
        token(&s, &assertion(&s, &k1, "svc")).await,
        "k1 rotated out",
    );
    assert_eq!(hits(), 2, "unknown kids do not make Postern hammer the URL");
    // The cache expires.
    s.clock.advance(301);
    assert_eq!(token(&s, &assertion(&s, &k2, "svc")).await.0, 200);
    assert_eq!(hits(), 3);
}

#[tokio::test]
async fn slow_huge_unreachable_or_redirected_jwks_uris_are_invalid_client() {
    let s = lenient().await;
    let k = key("ES256", "k1");
    let keys = key_server(jwks(&[&k])).await;
    let (endless, _endless_task) = endless_server().await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/jwks", l.local_addr().unwrap())
    };
    let cases = [
        ("slow", format!("{}/slow", keys.url)),
        ("huge", format!("{}/huge", keys.url)),
        ("endless", endless),
        ("unreachable", closed),
        ("redirect to http", format!("{}/to-http", keys.url)),
    ];
    for (what, uri) in cases {
        let id = format!("svc-{}", what.replace(' ', "-"));
        register(&s, &id, ClientKeys::JwksUri(uri)).await;
        let started = Instant::now();
        assert_invalid_client(token(&s, &assertion(&s, &k, &id)).await, what);
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{what} took {:?}",
            started.elapsed()
        );
    }
    // The server is fine: a client with a working URL authenticates.
    register(
        &s,
        "svc-ok",
        ClientKeys::JwksUri(format!("{}/jwks", keys.url)),
    )
    .await;
    assert_eq!(token(&s, &assertion(&s, &k, "svc-ok")).await.0, 200);
}

#[tokio::test]
async fn discovery_advertises_private_key_jwt() {
    let s = spawn().await;
    let doc: Value = reqwest::get(format!("{}/.well-known/openid-configuration", s.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let algs = json!(["RS256", "PS256", "ES256", "EdDSA"]);
    for endpoint in ["token", "introspection", "revocation"] {
        let methods = &doc[format!("{endpoint}_endpoint_auth_methods_supported")];
        assert!(
            methods
                .as_array()
                .unwrap()
                .contains(&json!("private_key_jwt")),
            "{endpoint}: {methods}"
        );
        assert_eq!(
            doc[format!("{endpoint}_endpoint_auth_signing_alg_values_supported")],
            algs
        );
    }
}

#[tokio::test]
async fn the_management_api_registers_and_rotates_client_keys() {
    use crate::admin_api::{call, tool_token};
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let (k1, k2) = (key("ES256", "k1"), key("EdDSA", "k2"));
    let set: Value = serde_json::from_str(&jwks(&[&k1])).unwrap();
    let svc = |extra: Value| {
        let mut body = json!({"client_id": "svc", "grant_types": ["client_credentials"]});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let private = json!({"keys": [serde_json::to_value(k1.private.as_ref()).unwrap()]});
    let refused = [
        (
            "no keys",
            svc(json!({"token_endpoint_auth_method": "private_key_jwt"})),
        ),
        (
            "both",
            svc(json!({"jwks": set, "jwks_uri": "https://rp.test/jwks"})),
        ),
        ("http", svc(json!({"jwks_uri": "http://rp.test/jwks"}))),
        ("private key", svc(json!({"jwks": private}))),
        ("not a set", svc(json!({"jwks": {"keys": 5}}))),
        ("a string", svc(json!({"jwks": "keys"}))),
        (
            "keys of a secret client",
            svc(json!({"token_endpoint_auth_method": "client_secret_basic", "jwks": set})),
        ),
        (
            "keys of a public client",
            json!({"client_id": "app", "public": true, "jwks": set,
                   "redirect_uris": ["https://rp.test/cb"]}),
        ),
    ];
    for (what, body) in refused {
        let r = call(&s, Some(&t), "POST", "/clients", Some(body), None).await;
        assert_eq!(r.status, 422, "{what}: {:?}", r.body);
    }
    let created = call(
        &s,
        Some(&t),
        "POST",
        "/clients",
        Some(svc(
            json!({"token_endpoint_auth_method": "private_key_jwt", "jwks": set}),
        )),
        None,
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["client_secret"], Value::Null, "no secret");
    assert_eq!(
        created.body["client"]["token_endpoint_auth_method"],
        "private_key_jwt"
    );
    assert_eq!(created.body["client"]["jwks"], set);
    assert_eq!(token(&s, &assertion(&s, &k1, "svc")).await.0, 200);

    let rotation = json!({"jwks": serde_json::from_str::<Value>(&jwks(&[&k2])).unwrap()});
    let r = call(&s, Some(&t), "PATCH", "/clients/svc", Some(rotation), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_invalid_client(
        token(&s, &assertion(&s, &k1, "svc")).await,
        "k1 after rotation",
    );
    assert_eq!(token(&s, &assertion(&s, &k2, "svc")).await.0, 200);
    let r = call(&s, Some(&t), "POST", "/clients/svc/secret", None, None).await;
    assert_eq!(r.status, 409, "no secret to rotate: {:?}", r.body);
    // A secret client does not become a key client by a change.
    s.client(ClientSpec::confidential("plain")).await;
    let r = call(
        &s,
        Some(&t),
        "PATCH",
        "/clients/plain",
        Some(json!({"jwks_uri": "https://rp.test/jwks"})),
        None,
    )
    .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
}
