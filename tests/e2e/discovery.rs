//! Discovery advertises exactly what works: every endpoint it names answers, every value it
//! lists is accepted where it applies, and what it leaves out or marks unsupported is
//! refused.

use idp::storage::ClientKeys;
use postern_tests::{client_keys::*, dpop, *};
use serde_json::Value;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_advertised_endpoint_answers() {
    let s = spawn().await;
    let doc = discovery(&s).await;
    let http = reqwest::Client::new();
    for (field, method) in [
        ("authorization_endpoint", "GET"),
        ("token_endpoint", "POST"),
        ("userinfo_endpoint", "GET"),
        ("jwks_uri", "GET"),
        ("end_session_endpoint", "GET"),
        ("pushed_authorization_request_endpoint", "POST"),
        ("introspection_endpoint", "POST"),
        ("revocation_endpoint", "POST"),
        ("device_authorization_endpoint", "POST"),
    ] {
        let Some(url) = doc[field].as_str() else {
            continue;
        };
        assert!(url.starts_with(&s.url), "{field}: {url}");
        let r = http
            .request(method.parse().unwrap(), url)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert!(
            ![404, 405].contains(&status) && status < 500,
            "{field} {method} {url}: {status}"
        );
    }
}

#[tokio::test]
async fn the_listed_values_are_the_accepted_ones() {
    let s = spawn().await;
    let doc = discovery(&s).await;

    assert_eq!(strings(&doc["response_types_supported"]), ["code"]);
    assert_eq!(strings(&doc["code_challenge_methods_supported"]), ["S256"]);
    let prompts: Vec<&str> = idp::protocol::types::Prompt::ALL
        .iter()
        .map(|p| p.as_str())
        .collect();
    assert_eq!(strings(&doc["prompt_values_supported"]), prompts);
    assert_eq!(
        strings(&doc["grant_types_supported"]),
        idp::protocol::types::GRANT_TYPES
    );

    // A grant type it does not list is unsupported_grant_type.
    let (status, body) = post(&s, "/token", &[("grant_type", "password")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );

    // Every listed signing algorithm of ID tokens has its key in the JWKS.
    let jwks: Value = reqwest::get(doc["jwks_uri"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let published: Vec<String> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["alg"].as_str().map(str::to_owned))
        .collect();
    for alg in strings(&doc["id_token_signing_alg_values_supported"]) {
        assert!(published.contains(&alg), "{alg} in {published:?}");
    }

    // Each listed client-assertion algorithm authenticates a client, and each listed DPoP
    // algorithm binds a token.
    let assertion_algs = strings(&doc["token_endpoint_auth_signing_alg_values_supported"]);
    assert_eq!(
        assertion_algs,
        strings(&doc["dpop_signing_alg_values_supported"])
    );
    for alg in &assertion_algs {
        let alg: &'static str = Box::leak(alg.clone().into_boxed_str());
        let k = key(alg, "k1");
        let id = format!("svc-{}", alg.to_lowercase());
        register(&s, &id, ClientKeys::Jwks(jwks_of(&k))).await;
        let r = reqwest::Client::new()
            .post(format!("{}/token", s.url))
            .header("DPoP", dpop::proof(&s, &k, "POST", "/token", None))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_assertion_type", ASSERTION_TYPE),
                ("client_assertion", &assertion(&s, &k, &id)),
            ])
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["token_type"], "DPoP", "{alg}: {body}");
    }

    // What it marks unsupported is refused: a request_uri not from /par, front-channel
    // logout (nothing to register), a response type other than code.
    assert_eq!(doc["request_uri_parameter_supported"], false);
    assert_eq!(doc["frontchannel_logout_supported"], false);
    s.client(ClientSpec::confidential("shop")).await;
    for (q, error) in [
        (
            "response_type=code&request_uri=https%3A%2F%2Frp.test%2Freq",
            "request_uri_not_supported",
        ),
        ("response_type=id_token", "unsupported_response_type"),
    ] {
        let url = format!(
            "{}/authorize?client_id=shop&redirect_uri=https%3A%2F%2Frp.test%2Fcb&scope=openid&{q}",
            s.url
        );
        let Landing::Client(back) = Browser::new().open(&s.url, &url).await else {
            panic!("{q}: an error to the client")
        };
        assert_eq!(query(&back)["error"], error, "{q}");
    }
}

fn jwks_of(k: &Key) -> String {
    jwks(&[k])
}
