//! Organisations: the sign-in context (org_hint, the picker), the organisation claims, the
//! management API with its two kinds of callers, invitations, and the OpenAPI document.

use openidconnect::{OAuth2TokenResponse, core::CoreJwsSigningAlgorithm};
use postern_tests::*;
use serde_json::{Value, json};

use crate::{admin_api::token_for, rp};

/// A deployment with a business client, an operator tool and a console app, two users, and
/// organisations A and B (Anna in both for `biz`), C (Anna, but not for `biz`) and D (not
/// Anna's).
struct World {
    s: TestServer,
    operator: String,
    orgs: [String; 4],
}

/// A call of the management API: (status, body); every error a problem document.
async fn api(
    s: &TestServer,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let r = crate::admin_api::call(s, token, method, path, body, None).await;
    (r.status, r.body)
}

async fn world() -> World {
    let s = spawn().await;
    let mut biz = ClientSpec::confidential("biz");
    biz.org_mode = idp::storage::OrgMode::Business;
    s.client(biz).await;
    let mut ops = ClientSpec::confidential("ops");
    ops.grant_types = vec!["client_credentials".into()];
    ops.redirect_uris = vec![];
    ops.scopes = vec!["admin".into()];
    s.client(ops).await;
    let mut console = ClientSpec::confidential("console");
    console.scopes = vec!["org_admin".into()];
    s.client(console).await;
    s.client(ClientSpec::confidential("other")).await;
    s.user("anna@post.test").await;
    s.user("bert@post.test").await;
    let operator = token_for(&s, "ops", "admin").await;
    let mut ids = Vec::new();
    for name in ["Alpha AG", "Beta GmbH", "Gamma SA", "Delta Oy"] {
        let (status, org) = api(
            &s,
            Some(&operator),
            "POST",
            "/organizations",
            Some(json!({"name": name, "business_id": "CHE-1"})),
        )
        .await;
        assert_eq!(status, 201, "{org}");
        ids.push(org["id"].as_str().unwrap().to_owned());
    }
    for (org, roles, services) in [
        (&ids[0], json!(["admin", "billing"]), json!(["biz"])),
        (&ids[1], json!(["clerk"]), json!(["*"])),
        (&ids[2], json!(["clerk"]), json!(["other"])),
    ] {
        let (status, m) = api(
            &s,
            Some(&operator),
            "POST",
            &format!("/organizations/{org}/members"),
            Some(json!({"email": "Anna@Post.test", "roles": roles, "services": services})),
        )
        .await;
        assert_eq!(status, 201, "{m}");
    }
    let (status, _) = api(
        &s,
        Some(&operator),
        "POST",
        &format!("/organizations/{}/members", ids[3]),
        Some(json!({"email": "bert@post.test", "roles": ["admin"], "services": ["other"]})),
    )
    .await;
    assert_eq!(status, 201);
    World {
        s,
        operator,
        orgs: ids.try_into().unwrap(),
    }
}

/// The account id behind `email`.
async fn user_id(s: &TestServer, email: &str) -> String {
    let user = s.state.stores.users.find_user_by_email(email).await;
    user.unwrap().expect("an account").id
}

/// A management API token of `email` (scope `org_admin`, client `console`).
pub(crate) async fn org_admin_token(s: &TestServer, email: &str) -> String {
    let console = rp::client(s, "console", Some(&rp::secret_of("console"))).await;
    let (_, t, _) = rp::login(
        s,
        &console,
        email,
        &["org_admin"],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
    )
    .await;
    t.access_token().secret().clone()
}

/// The `org` values offered by the context page.
fn offered(html: &str) -> Vec<String> {
    html.split("name=\"org\" value=\"")
        .skip(1)
        .map(|p| p[..p.find('"').unwrap()].to_owned())
        .collect()
}

/// Finishes a sign-in that ended at the client and returns (ID token claims, access token
/// claims, userinfo).
async fn tokens(
    s: &TestServer,
    c: &rp::Client,
    started: rp::Started,
    landing: Landing,
) -> (Value, Value, Value) {
    let code = rp::code_from(s, &started, landing);
    let t = rp::exchange(c, &code, started.verifier).await;
    let id_token = t.extra_fields().id_token().unwrap();
    // Verified by the crate first; then the raw payload for the claims it has no type for.
    id_token
        .claims(
            &c.id_token_verifier()
                .set_allowed_algs(vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]),
            &started.nonce,
        )
        .unwrap();
    let id = jwt_payload(&id_token.to_string());
    let at = jwt_payload(t.access_token().secret());
    let info: Value = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(t.access_token().secret())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (id, at, info)
}

#[tokio::test]
async fn org_hint_picks_an_organisation_and_the_picker_lists_only_the_users() {
    let w = world().await;
    let s = &w.s;
    let [a, b, c_org, d] = &w.orgs;
    let c = rp::client(s, "biz", Some(&rp::secret_of("biz"))).await;

    // org_hint of an organisation Anna belongs to: no page, that organisation's claims.
    let browser = Browser::new();
    let started = rp::start(&c, &["org"], &[("org_hint", b)]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let (id, at, info) = tokens(s, &c, started, landing).await;
    for claims in [&id, &at, &info] {
        assert_eq!(claims["org_id"], json!(b), "{claims}");
        assert_eq!(claims["org_name"], "Beta GmbH");
        assert_eq!(claims["org_roles"], json!(["clerk"]));
    }

    // No hint: the picker offers exactly A and B (not C, not for biz; not D, not hers; no
    // personal context for a business-only client).
    let started = rp::start(&c, &["org"], &[]);
    let Landing::Page(200, html) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("the picker")
    };
    let mut got = offered(&html);
    got.sort();
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(got, want);
    assert!(!html.contains(c_org.as_str()) && !html.contains(d.as_str()));
    assert!(
        html.contains(&format!("value=\"{b}\" checked")),
        "the last choice is preselected"
    );

    // Submitting a foreign organisation is not accepted: the picker again.
    let mut form = parse_form(&html).unwrap();
    form.set("org", d);
    let Landing::Page(200, again) = browser.submit(&s.url, &form).await else {
        panic!("back to the picker")
    };
    assert!(again.contains("Whom do you act for?"));
    form.set("org", a);
    let (id, _, _) = tokens(s, &c, started, browser.submit(&s.url, &form).await).await;
    assert_eq!(id["org_id"], json!(a));
    assert_eq!(id["org_roles"], json!(["admin", "billing"]));

    // A foreign hint is ignored, never honoured.
    let started = rp::start(&c, &["org"], &[("org_hint", d)]);
    let Landing::Page(200, html) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("the picker, not Delta")
    };
    assert!(!offered(&html).contains(d));

    // prompt=select_account shows the choice again even with a hint; prompt=none uses the last.
    let started = rp::start(
        &c,
        &["org"],
        &[("org_hint", b), ("prompt", "select_account")],
    );
    assert!(matches!(
        browser.open(&s.url, started.url.as_str()).await,
        Landing::Page(200, _)
    ));
    let started = rp::start(&c, &["org"], &[("prompt", "none")]);
    let landing = browser.open(&s.url, started.url.as_str()).await;
    let (id, _, _) = tokens(s, &c, started, landing).await;
    assert_eq!(id["org_id"], json!(a), "the context picked last");

    // Bert acts for no organisation that may use biz: a business-only client refuses.
    let started = rp::start(&c, &["org"], &[]);
    let Landing::Client(back) = Browser::new()
        .sign_in(&s.url, started.url.as_str(), "bert@post.test", PASSWORD)
        .await
    else {
        panic!("an error for the client")
    };
    assert_eq!(query(&back)["error"], "access_denied");
}

#[tokio::test]
async fn an_org_admin_invites_a_colleague_who_accepts_and_can_pick_it() {
    let w = world().await;
    let s = &w.s;
    let [a, b, _, d] = &w.orgs;
    let anna = org_admin_token(s, "anna@post.test").await;

    // Anna administers A only.
    let (status, page) = api(s, Some(&anna), "GET", "/organizations", None).await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], json!(a));
    assert_eq!(
        api(s, Some(&anna), "GET", &format!("/organizations/{b}"), None)
            .await
            .0,
        403
    );
    assert_eq!(
        api(
            s,
            Some(&anna),
            "GET",
            &format!("/organizations/{d}/members"),
            None
        )
        .await
        .0,
        403
    );
    assert_eq!(
        api(s, Some(&anna), "GET", "/users?email=bert@post.test", None)
            .await
            .0,
        403
    );
    assert_eq!(
        api(
            s,
            Some(&anna),
            "POST",
            "/organizations",
            Some(json!({"name": "Mine"}))
        )
        .await
        .0,
        403
    );

    let (status, inv) = api(
        s,
        Some(&anna),
        "POST",
        &format!("/organizations/{a}/invitations"),
        Some(json!({"email": "bert@post.test", "roles": ["clerk"], "services": ["biz"]})),
    )
    .await;
    assert_eq!(status, 201, "{inv}");
    let mail = outbox(s)
        .into_iter()
        .rev()
        .find(|m| m.to == "bert@post.test")
        .expect("an invitation email");
    let link = mail
        .body
        .split_whitespace()
        .find(|w| w.contains("/invitations/accept?token="))
        .unwrap()
        .to_owned();
    assert!(
        link.starts_with(&s.url),
        "an absolute link under the issuer"
    );

    // Bert follows the link, signs in, accepts.
    let browser = Browser::new();
    let Landing::Page(200, html) = browser
        .sign_in(&s.url, &link, "bert@post.test", PASSWORD)
        .await
    else {
        panic!("the invitation page after sign-in")
    };
    assert!(html.contains("Alpha AG"), "{html}");
    let Landing::Page(200, html) = browser
        .submit(&s.url, &form_for(&html, "/invitations/accept", None))
        .await
    else {
        panic!("accepted")
    };
    assert!(html.contains("You now act for"), "{html}");
    // The link is single use.
    let Landing::Page(400, _) = browser.open(&s.url, &link).await else {
        panic!("a used invitation")
    };
    // The membership it made is in the audit trail, made by Bert himself.
    let bert_id = user_id(s, "bert@post.test").await;
    let admin_acts = idp::storage::AuditFilter {
        kind: Some("admin".into()),
        limit: 100,
        ..Default::default()
    };
    let trail = s.state.stores.audit.list_events(&admin_acts);
    let joined = trail.await.unwrap().into_iter().find(|e| {
        e.detail
            .as_deref()
            .is_some_and(|d| d.starts_with(&format!("member {bert_id} joined {a}")))
    });
    let joined = joined.expect("the acceptance is audited");
    assert_eq!(joined.actor_user_id.as_deref(), Some(bert_id.as_str()));

    // Bert can now pick Alpha in biz.
    let c = rp::client(s, "biz", Some(&rp::secret_of("biz"))).await;
    let started = rp::start(&c, &["org"], &[]);
    let Landing::Page(200, html) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("the picker")
    };
    assert_eq!(offered(&html), vec![a.clone()]);
    let (id, _, _) = tokens(
        s,
        &c,
        started,
        browser.submit(&s.url, &parse_form(&html).unwrap()).await,
    )
    .await;
    assert_eq!(id["org_name"], "Alpha AG");
    assert_eq!(id["org_roles"], json!(["clerk"]));

    // Bert is no admin of Alpha: 403 there.
    let bert = org_admin_token(s, "bert@post.test").await;
    assert_eq!(
        api(
            s,
            Some(&bert),
            "PATCH",
            &format!("/organizations/{a}"),
            Some(json!({"name": "Mine"}))
        )
        .await
        .0,
        403
    );
    assert_eq!(
        api(
            s,
            Some(&bert),
            "POST",
            &format!("/organizations/{a}/invitations"),
            Some(json!({"email": "x@post.test"}))
        )
        .await
        .0,
        403
    );
}

/// Anna signed in to the console's organisations page, and the page.
async fn console_as_anna(s: &TestServer) -> (Browser, String) {
    let browser = Browser::new();
    let Landing::Page(200, html) = browser
        .sign_in(
            &s.url,
            &format!("{}/account/organizations", s.url),
            "anna@post.test",
            PASSWORD,
        )
        .await
    else {
        panic!("the organisations page after sign-in")
    };
    (browser, html)
}

/// From the console's organisations `page`, an admin's form asks for the strongest factor
/// first: proves it by SMS and returns the page again.
async fn stepped_up(s: &TestServer, browser: &Browser, page: &str) -> String {
    let Landing::Page(200, factor) = browser
        .submit(
            &s.url,
            &form_for(page, "/account/organizations/invite", None),
        )
        .await
    else {
        panic!("the step-up page")
    };
    pass_sms_step_up(s, browser, factor, "+41791234567").await
}

#[tokio::test]
async fn the_console_lists_organisations_lets_members_leave_and_admins_manage() {
    let w = world().await;
    let s = &w.s;
    let [a, b, ..] = &w.orgs;
    let (browser, html) = console_as_anna(s).await;
    for name in ["Alpha AG", "Beta GmbH", "Gamma SA"] {
        assert!(html.contains(name), "{name}: {html}");
    }
    assert!(!html.contains("Delta Oy"));
    assert_eq!(
        html.matches("action=\"/account/organizations/invite\"")
            .count(),
        1,
        "admin of Alpha only"
    );

    // The last admin cannot leave; a clerk can.
    let leave = |org: &str| {
        let mut f = parse_forms(&html)
            .into_iter()
            .find(|f| f.action == "/account/organizations/leave")
            .unwrap();
        f.set("org_id", org);
        f
    };
    let Landing::Page(400, page) = browser.submit(&s.url, &leave(a)).await else {
        panic!("refused")
    };
    assert!(page.contains("at least one admin"), "{page}");
    let Landing::Page(200, page) = browser.submit(&s.url, &leave(b)).await else {
        panic!("left")
    };
    assert!(!page.contains("Beta GmbH"));

    // An invitation from the console goes out by email, once the admin proved their
    // strongest factor (administration changes who may act for the company).
    let page = stepped_up(s, &browser, &page).await;
    let mut invite = form_for(&page, "/account/organizations/invite", None);
    invite.set("email", "carla@post.test");
    invite.set("roles", "clerk, billing");
    invite.set("services", "biz");
    let Landing::Page(200, page) = browser.submit(&s.url, &invite).await else {
        panic!("sent")
    };
    assert!(page.contains("invitation is sent"));
    assert!(
        outbox(s)
            .iter()
            .any(|m| m.to == "carla@post.test" && m.body.contains("Alpha AG"))
    );

    // A forged form for an organisation that is not Anna's to manage.
    let mut forged = form_for(&page, "/account/organizations/invite", None);
    forged.set("org_id", &w.orgs[3]);
    forged.set("email", "mallory@post.test");
    assert!(matches!(
        browser.submit(&s.url, &forged).await,
        Landing::Page(403, _)
    ));
}

#[tokio::test]
async fn consumer_clients_never_offer_a_company_and_any_clients_offer_both() {
    let w = world().await;
    let s = &w.s;
    let [a, b, ..] = &w.orgs;
    let mut shop = ClientSpec::confidential("shop");
    shop.org_mode = idp::storage::OrgMode::Consumer;
    s.client(shop).await;
    let c = rp::client(s, "shop", Some(&rp::secret_of("shop"))).await;
    let browser = Browser::new();
    let started = rp::start(&c, &["org"], &[("org_hint", a)]);
    let landing = browser
        .sign_in(&s.url, started.url.as_str(), "anna@post.test", PASSWORD)
        .await;
    let (id, _, info) = tokens(s, &c, started, landing).await;
    assert!(
        id.get("org_id").is_none() && info.get("org_id").is_none(),
        "{id}"
    );

    // An "any" client (here `other`, which Anna may use for Gamma and, with *, for Beta)
    // offers the personal context too.
    let c = rp::client(s, "other", Some(&rp::secret_of("other"))).await;
    let started = rp::start(&c, &["org"], &[]);
    let Landing::Page(200, html) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("the picker")
    };
    let got = offered(&html);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.contains(&"personal".to_owned()) && got.contains(b));
    let mut form = parse_form(&html).unwrap();
    form.set("org", "personal");
    let (id, _, _) = tokens(s, &c, started, browser.submit(&s.url, &form).await).await;
    assert!(id.get("org_id").is_none());
}

mod admins;
mod api;
mod areas;
mod erasure;
mod grounds;

#[tokio::test]
async fn an_invitation_link_with_a_line_break_gets_a_page_not_a_server_error() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let b = Browser::new();
    let link = format!(
        "{}/invitations/accept?token=a%0D%0ASet-Cookie:%20x=1",
        s.url
    );
    let Landing::Page(status, html) = b.sign_in(&s.url, &link, "anna@post.test", PASSWORD).await
    else {
        panic!("a page of Postern's")
    };
    assert!(status < 500, "{status}: {html}");
}
