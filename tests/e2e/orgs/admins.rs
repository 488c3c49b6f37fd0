//! What an organisation's admin (a business customer) may do: invite, never attach an
//! account without its owner's consent nor learn whether an address has one; never vouch
//! for the registry number; and every change is in the audit trail with who made it.

use idp::storage::{AuditEvent, AuditFilter};

use super::*;

async fn admin_events(s: &TestServer) -> Vec<AuditEvent> {
    s.state
        .stores
        .audit
        .list_events(&AuditFilter {
            kind: Some("admin".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
}

async fn member_count(w: &World, org: &str) -> u64 {
    let (_, page) = api(
        &w.s,
        Some(&w.operator),
        "GET",
        &format!("/organizations/{org}/members"),
        None,
    )
    .await;
    page["total"].as_u64().unwrap()
}

/// The keys of a JSON object with each value's type, so two answers can be compared for
/// their shape.
fn shape(v: &Value) -> Vec<(String, &'static str)> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let t = match v {
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Array(_) => "array",
                Value::Null => "null",
                _ => "other",
            };
            (k.clone(), t)
        })
        .collect()
}

#[tokio::test]
async fn an_org_admin_adding_by_address_invites_and_learns_nothing_about_accounts() {
    let w = world().await;
    let s = &w.s;
    let a = &w.orgs[0];
    let anna = org_admin_token(s, "anna@post.test").await;
    let before = member_count(&w, a).await;
    let mut answers = Vec::new();
    for email in ["bert@post.test", "ghost@post.test"] {
        let (status, body) = api(
            s,
            Some(&anna),
            "POST",
            &format!("/organizations/{a}/members"),
            Some(json!({"email": email, "roles": ["clerk"], "services": ["biz"]})),
        )
        .await;
        assert!(
            outbox(s)
                .iter()
                .any(|m| m.to == email && m.body.contains("/invitations/accept?token=")),
            "an invitation to {email}"
        );
        answers.push((status, shape(&body)));
    }
    assert_eq!(answers[0].0, 202, "{answers:?}");
    assert_eq!(answers[0], answers[1], "the same answer for both addresses");
    assert_eq!(
        member_count(&w, a).await,
        before,
        "Bert is not attached without accepting"
    );
    // Through the invitation endpoint too, the same answer for both.
    let mut answers = Vec::new();
    for email in ["bert@post.test", "nobody@post.test"] {
        let (status, body) = api(
            s,
            Some(&anna),
            "POST",
            &format!("/organizations/{a}/invitations"),
            Some(json!({"email": email})),
        )
        .await;
        answers.push((status, shape(&body)));
    }
    assert_eq!(answers[0], answers[1]);

    // The operator still adds an existing account directly.
    let (status, m) = api(
        s,
        Some(&w.operator),
        "POST",
        &format!("/organizations/{a}/members"),
        Some(json!({"email": "bert@post.test", "roles": ["clerk"]})),
    )
    .await;
    assert_eq!(status, 201, "{m}");
    assert_eq!(m["email"], "bert@post.test");
}

#[tokio::test]
async fn only_the_operator_sets_the_business_id() {
    let w = world().await;
    let s = &w.s;
    let a = &w.orgs[0];
    let anna = org_admin_token(s, "anna@post.test").await;
    let path = format!("/organizations/{a}");
    for patch in [
        json!({"business_id": "CHE-999"}),
        json!({"business_id": null}),
        json!({"name": "Alpha Holding", "business_id": "CHE-999"}),
    ] {
        let (status, p) = api(s, Some(&anna), "PATCH", &path, Some(patch.clone())).await;
        assert_eq!(status, 403, "{patch}: {p}");
        assert_eq!(p["status"], 403);
    }
    let (_, org) = api(s, Some(&w.operator), "GET", &path, None).await;
    assert_eq!(
        (org["name"].as_str(), org["business_id"].as_str()),
        (Some("Alpha AG"), Some("CHE-1")),
        "nothing changed"
    );
    // Her own organisation's name is hers to change; the operator sets the registry number.
    let (status, _) = api(
        s,
        Some(&anna),
        "PATCH",
        &path,
        Some(json!({"name": "Alpha SA"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, org) = api(
        s,
        Some(&w.operator),
        "PATCH",
        &path,
        Some(json!({"business_id": "CHE-2"})),
    )
    .await;
    assert_eq!((status, org["business_id"].as_str()), (200, Some("CHE-2")));
    let (status, org) = api(
        s,
        Some(&w.operator),
        "PATCH",
        &path,
        Some(json!({"business_id": null})),
    )
    .await;
    assert_eq!(
        (status, &org["business_id"]),
        (200, &Value::Null),
        "cleared"
    );
}

#[tokio::test]
async fn changes_are_audited_with_the_acting_user_and_client() {
    let w = world().await;
    let s = &w.s;
    let a = &w.orgs[0];
    let anna_id = user_id(s, "anna@post.test").await;

    // Through the management API with a token of the `console` client.
    let anna = org_admin_token(s, "anna@post.test").await;
    let (status, _) = api(
        s,
        Some(&anna),
        "PATCH",
        &format!("/organizations/{a}"),
        Some(json!({"name": "Alpha SA"})),
    )
    .await;
    assert_eq!(status, 200);
    let events = admin_events(s).await;
    let e = events
        .iter()
        .find(|e| e.detail.as_deref() == Some(&format!("organization {a} updated")))
        .expect("the API change is audited");
    assert_eq!(
        (e.user_id.as_deref(), e.client_id.as_deref()),
        (Some(anna_id.as_str()), Some("console"))
    );

    // On the console pages, once the strongest factor is proved.
    let (browser, page) = console_as_anna(s).await;
    let page = stepped_up(s, &browser, &page).await;
    let mut invite = form_for(&page, "/account/organizations/invite", None);
    invite.set("email", "carla@post.test");
    let Landing::Page(200, page) = browser.submit(&s.url, &invite).await else {
        panic!("sent")
    };
    let anna_row = parse_forms(&page)
        .into_iter()
        .find(|f| f.action == "/account/organizations/member")
        .expect("an update form for a member");
    let Landing::Page(200, _) = browser.submit(&s.url, &anna_row).await else {
        panic!("updated")
    };
    let events = admin_events(s).await;
    let from_console: Vec<&str> = events
        .iter()
        .filter(|e| e.user_id.as_deref() == Some(anna_id.as_str()) && e.client_id.is_none())
        .filter_map(|e| e.detail.as_deref())
        .collect();
    assert!(
        from_console
            .iter()
            .any(|d| d.starts_with("invitation ") && d.ends_with(a.as_str())),
        "{from_console:?}"
    );
    assert!(
        from_console.contains(&format!("member {anna_id} of {a} updated").as_str()),
        "{from_console:?}"
    );
}
