//! The receiver's validation (§2.6) with logout tokens signed here: an RSA key of the test's
//! own, published on a JWKS endpoint served by the test.

use josekit::{
    jwk::Jwk,
    jws::{HS256, JwsHeader, RS256},
    jwt::{self, JwtPayload},
};
use provider_keys::ProviderKeys;
use serde_json::{Value, json};

use super::{Ended, LOGOUT_EVENT, Receiver};

const ISSUER: &str = "https://idp.test";
const CLIENT: &str = "portal";

struct Provider {
    private: Jwk,
    receiver: Receiver,
}

/// A key pair (kid `k1`), its public half served as a JWK Set, and a receiver that trusts it.
async fn provider() -> Provider {
    let pair = RS256.generate_key_pair(2048).unwrap();
    let mut private = pair.to_jwk_private_key();
    private.set_key_id("k1");
    let mut public = pair.to_jwk_public_key();
    public.set_key_id("k1");
    let jwks = json!({ "keys": [serde_json::to_value(public.as_ref()).unwrap()] }).to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/jwks", axum::routing::get(move || async move { jwks }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Provider {
        private,
        receiver: Receiver {
            keys: ProviderKeys::new(url, reqwest::Client::new()),
            issuer: ISSUER.into(),
            client_id: CLIENT.into(),
        },
    }
}

const NOW: i64 = 1_800_000_000;

/// The claims of a valid logout token, as Postern sends them.
fn claims() -> Value {
    json!({
        "iss": ISSUER, "aud": CLIENT, "iat": NOW, "exp": NOW + 120, "jti": "j-1",
        "sub": "user-1", "sid": "session-1", "events": { LOGOUT_EVENT: {} },
    })
}

fn header(typ: Option<&str>) -> JwsHeader {
    let mut h = JwsHeader::new();
    if let Some(typ) = typ {
        h.set_token_type(typ);
    }
    h.set_key_id("k1");
    h
}

fn payload(c: &Value) -> JwtPayload {
    JwtPayload::from_map(c.as_object().unwrap().clone()).unwrap()
}

fn sign(key: &Jwk, typ: Option<&str>, c: &Value) -> String {
    let signer = RS256.signer_from_jwk(key).unwrap();
    jwt::encode_with_signer(&payload(c), &header(typ), &signer).unwrap()
}

fn without(key: &str) -> Value {
    let mut c = claims();
    c.as_object_mut().unwrap().remove(key);
    c
}

fn with(key: &str, v: Value) -> Value {
    let mut c = claims();
    c[key] = v;
    c
}

#[tokio::test]
async fn a_valid_logout_token_names_the_session_and_the_person() {
    let p = provider().await;
    let token = sign(&p.private, Some("logout+jwt"), &claims());
    let ended = p.receiver.validate(&token, NOW).await.unwrap();
    assert_eq!(
        ended,
        Ended {
            sid: Some("session-1".into()),
            sub: Some("user-1".into())
        }
    );
    assert!(ended.ends(Some("session-1"), "user-1"));
    assert!(
        !ended.ends(Some("session-2"), "user-1"),
        "another session of hers"
    );
    assert!(!ended.ends(None, "user-1"));
    assert!(
        !ended.ends(Some("session-1"), "user-2"),
        "a sid is the provider's, per sub"
    );

    // Without a sid, every session of the person.
    let token = sign(&p.private, Some("logout+jwt"), &without("sid"));
    let ended = p.receiver.validate(&token, NOW).await.unwrap();
    assert!(ended.ends(Some("session-9"), "user-1") && ended.ends(None, "user-1"));
    assert!(!ended.ends(Some("session-9"), "user-2"));

    // Only a sid; the media-type spelling of typ; an audience list that holds the client.
    let token = sign(&p.private, Some("application/logout+jwt"), &without("sub"));
    assert!(p.receiver.validate(&token, NOW).await.is_ok());
    let token = sign(
        &p.private,
        Some("logout+jwt"),
        &with("aud", json!(["x", CLIENT])),
    );
    assert!(p.receiver.validate(&token, NOW).await.is_ok());
}

#[tokio::test]
async fn every_rule_of_section_2_6_refuses_its_token() {
    let p = provider().await;
    let signed = |typ: Option<&str>, c: Value| sign(&p.private, typ, &c);
    let lt = Some("logout+jwt");
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "typ JWT (an ID token)",
            "typ",
            signed(Some("JWT"), claims()),
        ),
        ("typ at+jwt", "typ", signed(Some("at+jwt"), claims())),
        ("no typ", "typ", signed(None, claims())),
        (
            "another issuer",
            "issuer",
            signed(lt, with("iss", json!("https://evil.test"))),
        ),
        (
            "another audience",
            "aud",
            signed(lt, with("aud", json!("other"))),
        ),
        ("no iat", "iat", signed(lt, without("iat"))),
        (
            "expired",
            "expired",
            signed(lt, with("exp", json!(NOW - 1))),
        ),
        ("no exp", "exp", signed(lt, without("exp"))),
        ("no jti", "jti", signed(lt, without("jti"))),
        ("no events", "event", signed(lt, without("events"))),
        (
            "another event",
            "event",
            signed(lt, with("events", json!({"urn:other": {}}))),
        ),
        (
            "event not an object",
            "event",
            signed(lt, with("events", json!({ LOGOUT_EVENT: "x" }))),
        ),
        ("a nonce", "nonce", signed(lt, with("nonce", json!("n")))),
        ("neither sid nor sub", "neither", {
            let mut c = without("sid");
            c.as_object_mut().unwrap().remove("sub");
            signed(lt, c)
        }),
        (
            "empty sid and sub",
            "neither",
            signed(
                lt,
                with("sid", json!(""))
                    .as_object()
                    .map(|m| {
                        let mut m = m.clone();
                        m.insert("sub".into(), json!(""));
                        Value::Object(m)
                    })
                    .unwrap(),
            ),
        ),
        (
            "alg none",
            "none",
            jwt::encode_unsecured(&payload(&claims()), &header(lt)).unwrap(),
        ),
        ("HS256", "HS256", {
            let hmac = HS256
                .signer_from_bytes(b"0123456789abcdef0123456789abcdef")
                .unwrap();
            jwt::encode_with_signer(&payload(&claims()), &header(lt), &hmac).unwrap()
        }),
        ("another key, same kid", "signature", {
            let other = RS256.generate_key_pair(2048).unwrap().to_jwk_private_key();
            sign(&other, lt, &claims())
        }),
        ("not a JWT", "malformed", "logout".into()),
        ("empty", "malformed", String::new()),
    ];
    for (what, why, token) in cases {
        let refused = p.receiver.validate(&token, NOW).await.unwrap_err();
        assert!(refused.contains(why), "{what}: {refused}");
    }
}
