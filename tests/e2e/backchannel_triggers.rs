//! Every way a session ends sends logout tokens (the console, an administrator, a password
//! reset, disablement, deletion, another person signing in in the same browser); the same
//! person signing in again does not; nothing goes to a URI that is not registered; and the
//! management API holds registrations to the rules.

use std::time::Duration;

use idp::{
    admin::users::{self, Revocation, Target},
    audit::Actor,
};
use openidconnect::{
    OAuth2TokenResponse,
    core::{CoreJwsSigningAlgorithm, CoreTokenResponse},
};
use postern_tests::{
    backchannel::{Receiver, unused_addr, verify_logout_token},
    *,
};
use serde_json::json;

use crate::rp;

/// Server, receiver and client `shop` registered to it.
async fn setup(adjust: impl FnOnce(&mut idp::Config)) -> (TestServer, Receiver, rp::Client) {
    let s = spawn_with(adjust).await;
    let rx = Receiver::start().await;
    let mut spec = ClientSpec::confidential("shop");
    spec.backchannel_logout_uri = Some(rx.uri());
    s.client(spec).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    (s, rx, c)
}

async fn at_shop(s: &TestServer, c: &rp::Client, email: &str) -> (CoreTokenResponse, Browser) {
    let (_, tokens, browser) = rp::login(
        s,
        c,
        email,
        &[],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    (tokens, browser)
}

fn sid_of(tokens: &CoreTokenResponse) -> String {
    let id_token = tokens.extra_fields().id_token().unwrap().to_string();
    jwt_payload(&id_token)["sid"].as_str().unwrap().to_owned()
}

/// The `n`th token the receiver got is a valid one for that session.
async fn nth_is_for(s: &TestServer, rx: &Receiver, n: usize, tokens: &CoreTokenResponse) {
    let got = rx.wait_for(n).await;
    assert_eq!(got.len(), n, "one token per ended session");
    let c = verify_logout_token(s, &got[n - 1], "shop").await;
    assert_eq!(c["sid"], sid_of(tokens).as_str());
}

#[tokio::test]
async fn every_way_a_session_ends_tells_the_services() {
    let (s, rx, c) = setup(|_| {}).await;
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };

    // The console: "sign out everywhere else" from another browser.
    s.user("console@post.test").await;
    let (tokens, _) = at_shop(&s, &c, "console@post.test").await;
    let desk = Browser::new();
    let Landing::Page(200, html) = desk
        .sign_in(
            &s.url,
            &format!("{}/account/sessions", s.url),
            "console@post.test",
            PASSWORD,
        )
        .await
    else {
        panic!("the sessions page")
    };
    let form = form_for(&html, "/account/sessions/end-others", None);
    let Landing::Page(200, _) = desk.submit(&s.url, &form).await else {
        panic!("signed out elsewhere")
    };
    nth_is_for(&s, &rx, next(), &tokens).await;

    // An administrator ends one session.
    let user = s.user("admin@post.test").await;
    let (tokens, _) = at_shop(&s, &c, "admin@post.test").await;
    let sid = sid_of(&tokens);
    users::revoke_sessions(
        &s.state,
        &user,
        Revocation::One(&sid),
        &Actor::CommandLine,
        None,
    )
    .await
    .unwrap();
    nth_is_for(&s, &rx, next(), &tokens).await;

    // A password reset (what every reset ends with).
    let user = s.user("reset@post.test").await;
    let (tokens, _) = at_shop(&s, &c, "reset@post.test").await;
    idp::accounts::revoke_everything(&s.state, &user.id)
        .await
        .unwrap();
    nth_is_for(&s, &rx, next(), &tokens).await;

    // Disablement.
    let user = s.user("disabled@post.test").await;
    let (tokens, _) = at_shop(&s, &c, "disabled@post.test").await;
    users::set_disabled(
        &s.state,
        Target::Id(&user.id),
        true,
        &Actor::CommandLine,
        None,
    )
    .await
    .unwrap();
    nth_is_for(&s, &rx, next(), &tokens).await;

    // Deletion.
    let user = s.user("deleted@post.test").await;
    let (tokens, _) = at_shop(&s, &c, "deleted@post.test").await;
    users::request_deletion(&s.state, &user, &Actor::CommandLine, None)
        .await
        .unwrap();
    nth_is_for(&s, &rx, next(), &tokens).await;

    // Someone else signing in in the same browser ends the first person's session.
    s.user("first@post.test").await;
    s.user("second@post.test").await;
    let (tokens, browser) = at_shop(&s, &c, "first@post.test").await;
    let started = rp::start(&c, &[], &[("prompt", "login")]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "second@post.test", PASSWORD)
        .await;
    rp::code_from(&s, &started, landing);
    nth_is_for(&s, &rx, next(), &tokens).await;
}

#[tokio::test]
async fn the_same_person_signing_in_again_keeps_the_session_and_its_services() {
    let (s, rx, c) = setup(|_| {}).await;
    s.user("anna@post.test").await;
    let (first, browser) = at_shop(&s, &c, "anna@post.test").await;
    let started = rp::start(&c, &[], &[("prompt", "login")]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let code = rp::code_from(&s, &started, landing);
    let again = rp::exchange(&c, &code, started.verifier).await;
    assert_eq!(sid_of(&again), sid_of(&first), "the session goes on");
    // Its first tokens still work: nothing ended.
    let info = userinfo(&s, first.access_token().secret()).await;
    assert_eq!(
        info["sub"],
        jwt_payload(first.access_token().secret())["sub"]
    );

    // And its end is still told, once, under that sid.
    let user = s
        .state
        .stores
        .users
        .find_user_by_email("anna@post.test")
        .await;
    let user = user.unwrap().unwrap();
    idp::authn::session::end_all_for_user(&s.state, &user.id)
        .await
        .unwrap();
    nth_is_for(&s, &rx, 1, &first).await;
}

#[tokio::test]
async fn nothing_goes_to_a_uri_that_is_no_longer_registered() {
    let addr = unused_addr();
    let s = spawn_with(|c| c.backchannel_logout.poll_interval = Duration::from_millis(100)).await;
    let mut spec = ClientSpec::confidential("shop");
    spec.backchannel_logout_uri = Some(format!("http://{addr}/backchannel-logout"));
    s.client(spec).await;
    s.client(ClientSpec::confidential("quiet")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let quiet = rp::client(&s, "quiet", Some(&rp::secret_of("quiet"))).await;
    let user = s.user("anna@post.test").await;
    let (_, browser) = at_shop(&s, &c, "anna@post.test").await;
    let started = rp::start(&quiet, &[], &[]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    rp::code_from(&s, &started, landing);

    // The receiver is down when the session ends, and deregistered before it is back.
    idp::authn::session::end_all_for_user(&s.state, &user.id)
        .await
        .unwrap();
    let counts = s.state.stores.logouts.count_logouts().await.unwrap();
    assert_eq!(
        counts.pending, 1,
        "one delivery, none for the client without a URI"
    );
    idp::admin::clients::update_client(
        &s.state,
        "shop",
        idp::admin::clients::ClientPatch {
            backchannel_logout_uri: Some(None),
            ..Default::default()
        },
        &idp::admin::clients::any_revision,
        &Actor::CommandLine,
        None,
    )
    .await
    .unwrap();
    let rx = Receiver::on(addr).await;
    s.clock.advance(3600);
    for _ in 0..500 {
        if s.state.stores.logouts.count_logouts().await.unwrap().failed == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let counts = s.state.stores.logouts.count_logouts().await.unwrap();
    assert_eq!((counts.pending, counts.failed), (0, 1), "given up");
    assert!(rx.tokens().is_empty(), "never sent after deregistration");
}

#[tokio::test]
async fn the_management_api_registers_back_channel_logout_by_the_rules() {
    use crate::admin_api::{call, tool_token};
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let web = |extra: serde_json::Value| {
        let mut body = json!({"client_id": "web", "redirect_uris": ["https://web.test/cb"]});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    for (what, body) in [
        (
            "http",
            web(json!({"backchannel_logout_uri": "http://web.test/bc"})),
        ),
        (
            "fragment",
            web(json!({"backchannel_logout_uri": "https://web.test/bc#x"})),
        ),
        ("relative", web(json!({"backchannel_logout_uri": "/bc"}))),
        (
            "script",
            web(json!({"backchannel_logout_uri": "javascript:alert(1)"})),
        ),
        (
            "flag alone",
            web(json!({"backchannel_logout_session_required": true})),
        ),
    ] {
        let r = call(&s, Some(&t), "POST", "/clients", Some(body), None).await;
        assert_eq!(r.status, 422, "{what}: {:?}", r.body);
    }
    let body = web(json!({
        "backchannel_logout_uri": "https://web.test/bc",
        "backchannel_logout_session_required": true
    }));
    let r = call(&s, Some(&t), "POST", "/clients", Some(body), None).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(
        r.body["client"]["backchannel_logout_uri"],
        "https://web.test/bc"
    );
    assert_eq!(
        r.body["client"]["backchannel_logout_session_required"],
        true
    );
    let patch = json!({"backchannel_logout_uri": null});
    let r = call(&s, Some(&t), "PATCH", "/clients/web", Some(patch), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["backchannel_logout_uri"], serde_json::Value::Null);
    assert_eq!(r.body["backchannel_logout_session_required"], false);
    let patch = json!({"backchannel_logout_session_required": true});
    let r = call(&s, Some(&t), "PATCH", "/clients/web", Some(patch), None).await;
    assert_eq!(r.status, 422, "no URI to go with it: {:?}", r.body);

    let doc = discovery(&s).await;
    assert_eq!(doc["backchannel_logout_supported"], true);
    assert_eq!(doc["backchannel_logout_session_supported"], true);
}

/// A code whose SSO session has ended (the person signed out, or an administrator ended the
/// session, between the redirect and the redemption) is refused: a grant made in an ended
/// session would be revoked by nobody and told to no client. (Found by review.)
#[tokio::test]
async fn a_code_redeemed_after_its_session_ended_is_refused() {
    use openidconnect::AuthorizationCode;
    let (s, rx, c) =
        setup(|c| c.backchannel_logout.poll_interval = Duration::from_millis(100)).await;
    let user = s.user("late@post.test").await;
    let browser = Browser::new();
    let started = rp::start(&c, &[], &[]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "late@post.test", PASSWORD)
        .await;
    let code = rp::code_from(&s, &started, landing);
    // The session ends before the client redeems its code.
    idp::authn::session::end_all_for_user(&s.state, &user.id)
        .await
        .unwrap();
    let redeemed = c
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(started.verifier)
        .request_async(&rp::http())
        .await;
    let err = redeemed.expect_err("an ended session gives nothing more");
    assert!(format!("{err:?}").contains("invalid_grant"), "{err:?}");
    // Nothing to tell the shop: it never got tokens in that session.
    assert!(rx.tokens().is_empty());
}

/// A session that reaches `session.ttl` is ended by the nodes' sweep like any other: its
/// services are told. (Found by review: expired sessions were never reported.)
#[tokio::test]
async fn a_session_that_expires_is_told_too() {
    let (s, rx, c) =
        setup(|c| c.backchannel_logout.poll_interval = Duration::from_millis(100)).await;
    s.user("expiring@post.test").await;
    let (tokens, _browser) = at_shop(&s, &c, "expiring@post.test").await;
    s.clock
        .advance(s.state.config.session.ttl.as_secs() as i64 + 60);
    nth_is_for(&s, &rx, 1, &tokens).await;
}

/// `backchannel_logout.poll_interval = "0s"` would make every node's sender a busy loop
/// querying the database, and `timeout = "0s"` every attempt time out at once: refused, as
/// every other zero duration of the configuration is.
#[test]
fn zero_back_channel_durations_are_refused() {
    assert!(idp::Config::default().validate().is_ok());
    for key in ["poll_interval", "timeout"] {
        let mut c = idp::Config::default();
        match key {
            "poll_interval" => c.backchannel_logout.poll_interval = Duration::ZERO,
            _ => c.backchannel_logout.timeout = Duration::ZERO,
        }
        let err = c.validate().expect_err(key).to_string();
        assert!(err.contains(key), "{key}: {err}");
    }
}

/// The same person signing in twice at once in one browser (two tabs with `prompt=login`,
/// a double submit): both sign-ins call `session::replace` with the old cookie, and both
/// continue the old `sid`, the later taking the session over. Otherwise the session the
/// services signed in to would be left without a cookie, and signing out would never reach
/// them. (Found by review.)
#[tokio::test]
async fn two_sign_ins_of_the_same_person_at_once_leave_no_session_untold() {
    use idp::{
        authn::session,
        model::{Acr, Amr},
        storage::Grant,
    };
    let (s, rx, _) =
        setup(|c| c.backchannel_logout.poll_interval = Duration::from_millis(100)).await;
    let user = s.user("twice@post.test").await;
    let start = |sid: Option<String>| {
        let state = s.state.clone();
        let user_id = user.id.clone();
        async move {
            session::create(
                &state,
                &user_id,
                vec![Amr::Pwd],
                Acr::OneFactor,
                Acr::OneFactor,
                &Default::default(),
                sid,
            )
            .await
            .unwrap()
        }
    };
    // Signed in, and at the shop in that session.
    let (cookie, sso) = start(None).await;
    let grant = Grant {
        id: "g-twice".into(),
        client_id: "shop".into(),
        user_id: Some(user.id.clone()),
        session_id: Some(sso.authn.sid.clone()),
        scope: idp::model::oauth::Scope::from_iter(["openid"]),
        auth_time: Some(s.state.now()),
        acr: None,
        amr: vec![],
        claims: None,
        created_at: s.state.now(),
        revoked_at: None,
        org_id: None,
    };
    s.state.stores.grants.create_grant(&grant).await.unwrap();
    // Two sign-ins of the same person with that cookie, at once.
    let first = session::replace(&s.state, &cookie, &user.id).await.unwrap();
    let second = session::replace(&s.state, &cookie, &user.id).await.unwrap();
    let (_first_cookie, _) = start(first).await;
    let (kept_cookie, _) = start(second).await;
    // The browser keeps the cookie set last, and signs out with it.
    session::end(&s.state, &kept_cookie).await.unwrap();
    let got = rx.wait_for(1).await;
    let c = verify_logout_token(&s, &got[0], "shop").await;
    assert_eq!(c["sid"], sso.authn.sid.as_str());
}
