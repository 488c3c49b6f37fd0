//! Organisation claims last only as long as their grounds: the organisation is active, the
//! user is a member, and the member may use the client. Refresh answers `invalid_grant`,
//! userinfo `invalid_token` and introspection `active: false` once a ground is gone, whether
//! the change came through the management API (which also revokes the grants) or reached the
//! store some other way (the re-check alone).

use super::*;

/// Anna's tokens for `biz` acting for organisation `org`: (access token, refresh token).
async fn acting_for(s: &TestServer, org: &str) -> (String, String) {
    let c = rp::client(s, "biz", Some(&rp::secret_of("biz"))).await;
    let started = rp::start(&c, &["org", "offline_access"], &[("org_hint", org)]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(s, &started, landing);
    let t = rp::exchange(&c, &code, started.verifier).await;
    let rt = t.refresh_token().expect("a refresh token").secret().clone();
    (t.access_token().secret().clone(), rt)
}

async fn refresh(s: &TestServer, rt: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth("biz", Some(rp::secret_of("biz")))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", rt)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn userinfo(s: &TestServer, at: &str) -> (u16, String, Value) {
    let r = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(at)
        .send()
        .await
        .unwrap();
    let challenge = r
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let status = r.status().as_u16();
    (status, challenge, r.json().await.unwrap_or(Value::Null))
}

async fn introspect(s: &TestServer, token: &str) -> Value {
    crate::tokens::introspect_as(s, "biz", token).await
}

/// Every way of using the grant answers that it is gone.
async fn assert_withdrawn(s: &TestServer, at: &str, rt: &str, why: &str) {
    let (status, info, _) = userinfo(s, at).await;
    assert_eq!(status, 401, "userinfo after {why}");
    assert!(info.contains("invalid_token"), "{why}: {info}");
    assert_eq!(introspect(s, at).await["active"], false, "{why}");
    assert_eq!(introspect(s, rt).await["active"], false, "{why}");
    let (status, body) = refresh(s, rt).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "refresh after {why}: {body}"
    );
}

/// The operator removes `user` from `org`.
async fn remove_member(w: &World, org: &str, user: &str) {
    let path = format!("/organizations/{org}/members/{user}");
    let (status, _) = api(&w.s, Some(&w.operator), "DELETE", &path, None).await;
    assert_eq!(status, 204);
}

/// The grant of refresh token `rt` is revoked, not only refused by the re-check.
async fn assert_revoked(s: &TestServer, rt: &str) {
    let grants = &s.state.stores.grants;
    let token = grants
        .find_refresh_token(&idp::crypto::token_hash(rt))
        .await
        .unwrap()
        .unwrap();
    let grant = grants.find_grant(&token.grant_id).await.unwrap().unwrap();
    assert!(grant.revoked_at.is_some(), "the grant is revoked");
}

#[tokio::test]
async fn suspending_the_organisation_withdraws_its_claims() {
    let w = world().await;
    let s = &w.s;
    let b = &w.orgs[1];
    let (at, rt) = acting_for(s, b).await;
    let (status, _, info) = userinfo(s, &at).await;
    assert_eq!((status, &info["org_id"]), (200, &json!(b)), "{info}");
    let (status, p) = api(
        s,
        Some(&w.operator),
        "PATCH",
        &format!("/organizations/{b}"),
        Some(json!({"status": "suspended"})),
    )
    .await;
    assert_eq!(status, 200, "{p}");
    assert_withdrawn(s, &at, &rt, "suspension").await;
    // Reactivating does not bring the old grant back: the user signs in again.
    let (status, _) = api(
        s,
        Some(&w.operator),
        "PATCH",
        &format!("/organizations/{b}"),
        Some(json!({"status": "active"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_withdrawn(s, &at, &rt, "reactivation").await;
}

#[tokio::test]
async fn removing_the_member_or_their_service_withdraws_the_claims() {
    let w = world().await;
    let s = &w.s;
    let [a, b, ..] = &w.orgs;
    let anna = user_id(s, "anna@post.test").await;
    let (at_b, rt_b) = acting_for(s, b).await;
    let (at_a, rt_a) = acting_for(s, a).await;

    remove_member(&w, b, &anna).await;
    assert_revoked(s, &rt_b).await;
    assert_withdrawn(s, &at_b, &rt_b, "removal").await;
    // Another organisation's grant is untouched.
    assert_eq!(userinfo(s, &at_a).await.0, 200);

    // Alpha still lets Anna use biz after a change of roles only: the grant lives on and
    // carries the new roles.
    let path = format!("/organizations/{a}/members/{anna}");
    let (status, _) = api(
        s,
        Some(&w.operator),
        "PATCH",
        &path,
        Some(json!({"roles": ["admin", "audit"]})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = refresh(s, &rt_a).await;
    assert_eq!(status, 200, "{body}");
    let (_, _, info) = userinfo(s, body["access_token"].as_str().unwrap()).await;
    assert_eq!(info["org_roles"], json!(["admin", "audit"]), "{info}");
    let rt_a = body["refresh_token"].as_str().unwrap().to_owned();
    let at_a = body["access_token"].as_str().unwrap().to_owned();

    // Taking biz away from Anna in Alpha withdraws that grant.
    let (status, _) = api(
        s,
        Some(&w.operator),
        "PATCH",
        &path,
        Some(json!({"services": ["other"]})),
    )
    .await;
    assert_eq!(status, 200);
    assert_revoked(s, &rt_a).await;
    assert_withdrawn(s, &at_a, &rt_a, "loss of the service").await;
}

#[tokio::test]
async fn the_grounds_are_checked_even_when_no_grant_was_revoked() {
    let w = world().await;
    let s = &w.s;
    let [a, b, ..] = &w.orgs;
    let anna = user_id(s, "anna@post.test").await;

    // Straight in the store, as a path that forgot to revoke would leave it.
    let (at, rt) = acting_for(s, b).await;
    let mut org = s.state.stores.orgs.find_org(b).await.unwrap().unwrap();
    org.status = "suspended".into();
    assert!(s.state.stores.orgs.update_org(&org).await.unwrap());
    assert_withdrawn(s, &at, &rt, "a suspension in the store").await;

    let (at, rt) = acting_for(s, a).await;
    let mut m = s
        .state
        .stores
        .orgs
        .find_member(a, &anna)
        .await
        .unwrap()
        .unwrap();
    m.services = vec!["other".into()];
    s.state.stores.orgs.update_member(&m).await.unwrap();
    assert_withdrawn(s, &at, &rt, "a lost service in the store").await;
}

#[tokio::test]
async fn a_code_exchanged_after_the_member_was_removed_yields_no_tokens() {
    let w = world().await;
    let s = &w.s;
    let b = &w.orgs[1];
    let anna = user_id(s, "anna@post.test").await;
    let c = rp::client(s, "biz", Some(&rp::secret_of("biz"))).await;
    let started = rp::start(&c, &["org"], &[("org_hint", b)]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(s, &started, landing);
    remove_member(&w, b, &anna).await;
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.url))
        .basic_auth("biz", Some(rp::secret_of("biz")))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", "https://rp.test/cb"),
            ("code_verifier", started.verifier.secret().as_str()),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "no tokens, and no personal ones in their place: {body}"
    );
}

#[tokio::test]
async fn leaving_from_the_console_ends_the_members_grants() {
    let w = world().await;
    let s = &w.s;
    let b = &w.orgs[1];
    let (at, rt) = acting_for(s, b).await;
    let (browser, html) = console_as_anna(s).await;
    let mut leave = parse_forms(&html)
        .into_iter()
        .find(|f| f.action == "/account/organizations/leave")
        .unwrap();
    leave.set("org_id", b);
    let Landing::Page(200, _) = browser.submit(&s.url, &leave).await else {
        panic!("left")
    };
    let grant = s
        .state
        .stores
        .grants
        .find_refresh_token(&idp::crypto::token_hash(&rt))
        .await
        .unwrap()
        .unwrap()
        .grant_id;
    let grant = s
        .state
        .stores
        .grants
        .find_grant(&grant)
        .await
        .unwrap()
        .unwrap();
    assert!(grant.revoked_at.is_some(), "revoked, not only re-checked");
    assert_withdrawn(s, &at, &rt, "leaving").await;
}
