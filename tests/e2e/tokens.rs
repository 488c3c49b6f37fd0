//! The token endpoint's other grants, introspection and revocation, and what it does with
//! bad input.

use openidconnect::{OAuth2TokenResponse, TokenIntrospectionResponse};
use postern_tests::*;

use crate::rp::{self, http};

fn service(id: &str, opaque: bool) -> ClientSpec {
    let mut spec = ClientSpec::confidential(id);
    spec.grant_types = vec!["client_credentials".into()];
    spec.redirect_uris = vec![];
    spec.opaque = opaque;
    spec
}

/// A resource server that may introspect every token (scope `introspection`).
pub(crate) fn resource_server(id: &str) -> ClientSpec {
    let mut spec = service(id, false);
    spec.scopes.push("introspection".into());
    spec
}

/// RFC 7009 by hand: the crate's revocation request insists on an https endpoint, and the
/// test server is plain http.
async fn revoke(s: &TestServer, client: &str, token: &str, hint: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/revoke", s.url))
        .basic_auth(client, Some(rp::secret_of(client)))
        .form(&[("token", token), ("token_type_hint", hint)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn introspect(s: &TestServer, token: &str) -> serde_json::Value {
    introspect_as(s, "rs", token).await
}

pub(crate) async fn introspect_as(s: &TestServer, client: &str, token: &str) -> serde_json::Value {
    reqwest::Client::new()
        .post(format!("{}/introspect", s.url))
        .basic_auth(client, Some(rp::secret_of(client)))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn client_credentials_tokens_introspect_until_revoked() {
    for opaque in [false, true] {
        let s = spawn().await;
        s.client(service("svc", opaque)).await;
        s.client(resource_server("rs")).await;
        let c = rp::client(&s, "svc", Some(&rp::secret_of("svc"))).await;
        let tokens = c
            .exchange_client_credentials()
            .unwrap()
            .add_scope(openidconnect::Scope::new("parcels:read".into()))
            .request_async(&http())
            .await
            .expect("client_credentials");
        let at = tokens.access_token().secret().clone();
        assert_eq!(at.matches('.').count(), if opaque { 0 } else { 2 }, "{at}");
        assert!(tokens.refresh_token().is_none());

        let info = introspect(&s, &at).await;
        assert_eq!(info["active"], true, "{info}");
        assert_eq!(info["client_id"], "svc");
        assert_eq!(info["scope"], "parcels:read");

        // Revocation (RFC 7009), then introspection says inactive.
        assert_eq!(revoke(&s, "svc", &at, "access_token").await, 200);
        let info = introspect(&s, &at).await;
        assert_eq!(info, serde_json::json!({"active": false}));
    }
}

#[tokio::test]
async fn introspection_of_a_users_tokens_through_the_crate() {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    s.client(resource_server("rs")).await;
    s.user("anna@post.test").await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let (claims, tokens, _) = rp::login(
        &s,
        &c,
        "anna@post.test",
        &["offline_access"],
        vec![openidconnect::core::CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    let rs = rp::client(&s, "rs", Some(&rp::secret_of("rs")))
        .await
        .set_introspection_url(
            openidconnect::IntrospectionUrl::new(format!("{}/introspect", s.url)).unwrap(),
        );
    let info = rs
        .introspect(tokens.access_token())
        .request_async(&http())
        .await
        .expect("introspection");
    assert!(info.active());
    assert_eq!(info.sub(), Some(claims.subject().as_str()));
    assert_eq!(info.client_id().map(|c| c.as_str()), Some("shop"));

    // The refresh token is revoked by its own client; a foreign client cannot revoke it.
    let rt = tokens.refresh_token().unwrap().clone();
    assert_eq!(
        revoke(&s, "rs", rt.secret(), "refresh_token").await,
        200,
        "RFC 7009 §2.2: 200 even when nothing was revoked"
    );
    // Refresh tokens are introspected only by their own client.
    assert_eq!(introspect(&s, rt.secret()).await["active"], false);
    assert_eq!(introspect_as(&s, "shop", rt.secret()).await["active"], true);
    assert_eq!(revoke(&s, "shop", rt.secret(), "refresh_token").await, 200);
    assert_eq!(
        introspect_as(&s, "shop", rt.secret()).await["active"],
        false
    );
    // Revoking the refresh token revokes its grant, access tokens included.
    let info = introspect(&s, tokens.access_token().secret()).await;
    assert_eq!(info["active"], false, "{info}");
    assert_eq!(introspect(&s, "no-such-token").await["active"], false);
}

async fn token_post(s: &TestServer, auth: Option<(&str, &str)>, body: String) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some((id, secret)) = auth {
        req = req.basic_auth(id, Some(secret));
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_token_endpoint_answers_bad_input_with_rfc_errors() {
    let s = spawn().await;
    s.client(service("svc", false)).await;
    let secret = rp::secret_of("svc");
    let good = Some(("svc", secret.as_str()));
    for (auth, body, status, error) in [
        (good, "".to_string(), 400, "invalid_request"),
        (
            good,
            "grant_type=password&username=a&password=b".into(),
            400,
            "unsupported_grant_type",
        ),
        (
            good,
            "grant_type=client_credentials&scope=root".into(),
            400,
            "invalid_scope",
        ),
        (
            good,
            "grant_type=authorization_code&code=nope&redirect_uri=https://rp.test/cb".into(),
            400,
            "unauthorized_client",
        ),
        (
            good,
            "grant_type=client_credentials&grant_type=client_credentials".into(),
            400,
            "invalid_request",
        ),
        (
            Some(("svc", "wrong")),
            "grant_type=client_credentials".into(),
            401,
            "invalid_client",
        ),
        (
            Some(("ghost", "whatever")),
            "grant_type=client_credentials".into(),
            401,
            "invalid_client",
        ),
        (
            None,
            "grant_type=client_credentials".into(),
            401,
            "invalid_client",
        ),
    ] {
        let r = token_post(&s, auth, body.clone()).await;
        assert_eq!(r.status(), status, "{body}");
        assert_eq!(r.headers()["cache-control"], "no-store", "{body}");
        if status == 401 && auth.is_some() {
            // RFC 6749 §5.2: a failed Basic authentication is answered with a challenge.
            assert!(r.headers().contains_key("www-authenticate"), "{body}");
        }
        let json: serde_json::Value = r.json().await.unwrap();
        assert_eq!(json["error"], error, "{body}: {json}");
    }

    // Past the body limit: 413, and the server goes on serving.
    let big = format!(
        "grant_type=client_credentials&pad={}",
        "a".repeat(100 * 1024)
    );
    let r = token_post(&s, good, big).await;
    assert_eq!(r.status(), 413);
    let r = token_post(&s, good, "grant_type=client_credentials".into()).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_client_introspects_only_its_own_tokens_unless_it_may_introspect_any() {
    let s = spawn().await;
    let mut other = ClientSpec::confidential("other");
    other.first_party = false;
    s.client(other).await;
    s.client(service("svc", true)).await;
    s.client(resource_server("rs")).await;
    let (_, _, tokens, _) = rp::anna_at_shop(&s, &[]).await;
    let users_token = tokens.access_token().secret().clone();
    let svc = rp::client(&s, "svc", Some(&rp::secret_of("svc"))).await;
    let services_token = svc
        .exchange_client_credentials()
        .unwrap()
        .request_async(&http())
        .await
        .expect("client_credentials")
        .access_token()
        .secret()
        .clone();

    // A JWT and an opaque token: each is active for its own client and for the resource
    // server, and for any other client exactly an inactive token (RFC 7662 §2.2).
    for (token, owner) in [(&users_token, "shop"), (&services_token, "svc")] {
        assert_eq!(introspect_as(&s, owner, token).await["active"], true);
        assert_eq!(introspect_as(&s, "rs", token).await["active"], true);
        assert_eq!(
            introspect_as(&s, "other", token).await,
            serde_json::json!({"active": false}),
            "{owner}'s token to another client"
        );
    }
    assert_eq!(
        introspect_as(&s, "other", &users_token).await,
        introspect_as(&s, "other", "no-such-token").await,
        "the same answer as for a token that does not exist"
    );
}

#[tokio::test]
async fn a_refresh_token_family_ends_at_its_absolute_lifetime_however_often_refreshed() {
    let s = spawn().await;
    let (c, _, tokens, _) = rp::anna_at_shop(&s, &["offline_access"]).await;
    let mut refresh = tokens.refresh_token().unwrap().clone();
    // Used every ten days, each token would slide another 30 days (the default
    // `tokens.refresh_token_ttl`); the family still ends 30 days after the sign-in.
    for _ in 0..2 {
        s.clock.advance(10 * 24 * 3600);
        refresh = c
            .exchange_refresh_token(&refresh)
            .unwrap()
            .request_async(&http())
            .await
            .expect("within the absolute lifetime")
            .refresh_token()
            .expect("rotated")
            .clone();
    }
    s.clock.advance(10 * 24 * 3600 + 60);
    let secret = rp::secret_of("shop");
    let r = token_post(
        &s,
        Some(("shop", &secret)),
        format!(
            "grant_type=refresh_token&refresh_token={}",
            refresh.secret()
        ),
    )
    .await;
    assert_eq!(r.status(), 400);
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["error"], "invalid_grant", "{json}");
}
