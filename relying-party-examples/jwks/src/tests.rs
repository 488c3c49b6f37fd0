//! The cache against a key set served here, counting how often it is fetched.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use josekit::{
    jws::{ES256, JwsHeader},
    jwt::{self, JwtPayload},
};
use serde_json::json;

use super::{ProviderKeys, VerifyError};

/// A key set with one ES256 key (kid `k1`) on a port of its own; the signer of that key and
/// the number of fetches so far.
async fn provider() -> (
    String,
    josekit::jws::alg::ecdsa::EcdsaJwsSigner,
    Arc<AtomicUsize>,
) {
    let pair = ES256.generate_key_pair().unwrap();
    let mut public = pair.to_jwk_public_key();
    public.set_key_id("k1");
    let mut private = pair.to_jwk_private_key();
    private.set_key_id("k1");
    let jwks = json!({ "keys": [serde_json::to_value(public.as_ref()).unwrap()] }).to_string();
    let fetched = Arc::new(AtomicUsize::new(0));
    let count = fetched.clone();
    let app = axum::Router::new().route(
        "/jwks",
        axum::routing::get(move || {
            count.fetch_add(1, Ordering::SeqCst);
            let jwks = jwks.clone();
            async move { jwks }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, ES256.signer_from_jwk(&private).unwrap(), fetched)
}

/// A token signed by `signer`, whose key's kid josekit puts in the header.
fn token(signer: &dyn josekit::jws::JwsSigner) -> String {
    let mut header = JwsHeader::new();
    header.set_token_type("at+jwt");
    let mut payload = JwtPayload::new();
    payload.set_subject("someone");
    jwt::encode_with_signer(&payload, &header, signer).unwrap()
}

#[tokio::test]
async fn keys_are_fetched_once_and_again_for_an_unknown_kid_at_most_every_ten_seconds() {
    let (url, signer, fetched) = provider().await;
    let keys = ProviderKeys::new(url, reqwest::Client::new());
    let v = keys.verify(&token(&signer)).await.unwrap();
    assert_eq!(v.typ().as_deref(), Some("at+jwt"));
    assert_eq!(v.claims["sub"], "someone");
    keys.verify(&token(&signer)).await.unwrap();
    assert_eq!(fetched.load(Ordering::SeqCst), 1, "cached");

    // Made-up kids: the fetch of a moment ago stands, so no request goes out for them.
    for kid in ["k2", "k3", "k4"] {
        let mut stranger = ES256.generate_key_pair().unwrap().to_jwk_private_key();
        stranger.set_key_id(kid);
        let signer = ES256.signer_from_jwk(&stranger).unwrap();
        assert_eq!(
            keys.verify(&token(&signer)).await.unwrap_err(),
            VerifyError::UnknownKey
        );
    }
    assert_eq!(fetched.load(Ordering::SeqCst), 1, "rate-limited");
}

#[tokio::test]
async fn the_algorithm_is_refused_before_any_key_is_looked_up() {
    let (url, _, fetched) = provider().await;
    let keys = ProviderKeys::new(url, reqwest::Client::new());
    let mut header = JwsHeader::new();
    header.set_key_id("k1");
    let unsecured = jwt::encode_unsecured(&JwtPayload::new(), &header).unwrap();
    assert!(matches!(
        keys.verify(&unsecured).await,
        Err(VerifyError::Algorithm(_))
    ));
    assert!(matches!(
        keys.verify("a.b").await,
        Err(VerifyError::Malformed(_))
    ));
    assert_eq!(fetched.load(Ordering::SeqCst), 0);
}
