//! `/audit-events`: the trail filtered and paged newest first, and who acted named in it.

use idp::audit::{self, Actor, Entry, Outcome};
use postern_tests::*;
use serde_json::{Value, json};

use super::{call, token_for, tool_token};

/// Every item of every page of `path` (which has no `page`), `per_page` at a time.
async fn all_pages(s: &TestServer, token: &str, path: &str, per_page: u64) -> (Vec<Value>, u64) {
    let mut items = Vec::new();
    let mut total = 0;
    for page in 1.. {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = format!("{path}{sep}page={page}&per_page={per_page}");
        let r = call(s, Some(token), "GET", &url, None, None).await;
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        total = r.body["total"].as_u64().unwrap();
        let got = r.body["items"].as_array().unwrap().clone();
        if got.is_empty() {
            break;
        }
        items.extend(got);
    }
    (items, total)
}

fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap()
        .to_rfc3339()
        .replace('+', "%2B")
}

/// 25 events about client `cf` over some 20 seconds (the last five in the same second),
/// outcomes in turn.
async fn record_events(s: &TestServer) {
    let outcomes = [Outcome::Success, Outcome::Failure, Outcome::Info];
    for i in 0..25 {
        if i < 20 {
            s.clock.advance(1);
        }
        audit::record(
            &s.state,
            Entry {
                kind: audit::ADMIN,
                outcome: outcomes[i % 3],
                client_id: Some("cf"),
                detail: Some(format!("event {i}")),
                actor: Some(&Actor::CommandLine),
                ..Default::default()
            },
        )
        .await;
    }
}

#[tokio::test]
async fn pages_hold_every_event_once_newest_first_and_filters_narrow() {
    let s = spawn().await;
    record_events(&s).await;
    let token = tool_token(&s, "admin:audit").await;

    let (items, total) = all_pages(&s, &token, "/audit-events?client_id=cf", 10).await;
    assert_eq!(total, 25);
    let mut details: Vec<&str> = items
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(details.len(), 25);
    let ats: Vec<i64> = items.iter().map(|e| e["at"].as_i64().unwrap()).collect();
    assert!(
        ats.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {ats:?}"
    );
    details.sort();
    details.dedup();
    assert_eq!(details.len(), 25, "each once");
    // Other page sizes cut the same list.
    let (by_seven, _) = all_pages(&s, &token, "/audit-events?client_id=cf", 7).await;
    assert_eq!(by_seven, items);

    let (failures, total) = all_pages(
        &s,
        &token,
        "/audit-events?client_id=cf&outcome=failure",
        100,
    )
    .await;
    assert!(failures.iter().all(|e| e["outcome"] == "failure"));
    assert_eq!(total as usize, failures.len());
    assert_eq!(failures.len(), 8);

    // A window between two recorded times (the clock runs on meanwhile, so they are read
    // back rather than assumed), both bounds inclusive.
    let mut times: Vec<i64> = items.iter().map(|e| e["at"].as_i64().unwrap()).collect();
    times.dedup();
    let (lo, hi) = (times[times.len() - 3], times[times.len() - 5]);
    let window = format!(
        "/audit-events?client_id=cf&since={}&until={}",
        rfc3339(lo),
        rfc3339(hi)
    );
    let (between, _) = all_pages(&s, &token, &window, 100).await;
    let inside = |e: &&Value| (lo..=hi).contains(&e["at"].as_i64().unwrap());
    let expected: Vec<Value> = items.iter().filter(inside).cloned().collect();
    assert_eq!(between, expected);
    assert!(between.len() >= 3, "{between:?}");

    let (none, total) = all_pages(&s, &token, "/audit-events?client_id=cf&kind=sign_in", 100).await;
    assert!(none.is_empty());
    assert_eq!(total, 0);
}

#[tokio::test]
async fn bad_filters_are_named_and_strangers_refused() {
    let s = spawn().await;
    let token = tool_token(&s, "admin:audit").await;
    assert_eq!(
        call(&s, None, "GET", "/audit-events", None, None)
            .await
            .status,
        401
    );
    for scope in ["admin:users", "admin:keys"] {
        let other = tool_token(&s, scope).await;
        let r = call(&s, Some(&other), "GET", "/audit-events", None, None).await;
        assert_eq!(r.status, 403, "{scope}");
        assert!(r.body["detail"].as_str().unwrap().contains("admin:audit"));
    }
    for (query, named) in [
        ("kind=logn", "kind"),
        ("outcome=ok", "outcome"),
        ("since=yesterday", "since"),
        ("until=2026-11-30", "until"),
        ("email=not-an-address", "email"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
        ("clientid=x", "clientid"),
    ] {
        let r = call(
            &s,
            Some(&token),
            "GET",
            &format!("/audit-events?{query}"),
            None,
            None,
        )
        .await;
        assert_eq!(r.status, 400, "{query}: {}", r.body);
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.contains(named), "{query}: {detail}");
    }
    let backwards = format!(
        "/audit-events?since={}&until={}",
        rfc3339(2_000_000_000),
        rfc3339(1_000_000_000)
    );
    let r = call(&s, Some(&token), "GET", &backwards, None, None).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body["detail"].as_str().unwrap().contains("until"));
}

/// Who acted is in every administrative event: an organisation's admin through a
/// person's token (the user and the app), the operator through a tool's token (the tool).
#[tokio::test]
async fn the_audit_trail_names_the_acting_person_and_client() {
    let s = spawn().await;
    let mut console = ClientSpec::confidential("console");
    console.scopes = vec!["org_admin".into()];
    s.client(console).await;
    let anna = s.user("anna@post.test").await;
    let operator = tool_token(&s, "admin").await;

    let r = call(
        &s,
        Some(&operator),
        "POST",
        "/organizations",
        Some(json!({"name": "Alpha AG"})),
        None,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let org = r.body["id"].as_str().unwrap().to_owned();
    let members = format!("/organizations/{org}/members");
    let body = json!({"email": "anna@post.test", "roles": ["admin"]});
    let r = call(&s, Some(&operator), "POST", &members, Some(body), None).await;
    assert_eq!(r.status, 201, "{}", r.body);

    let person = crate::orgs::org_admin_token(&s, "anna@post.test").await;
    let patch = json!({"name": "Alpha Holding AG"});
    let r = call(
        &s,
        Some(&person),
        "PATCH",
        &format!("/organizations/{org}"),
        Some(patch),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let auditor = token_for(&s, "ops-admin", "admin").await;
    let r = call(
        &s,
        Some(&auditor),
        "GET",
        "/audit-events?kind=admin&per_page=100",
        None,
        None,
    )
    .await;
    let events = r.body["items"].as_array().unwrap();
    let find = |detail: String| {
        events
            .iter()
            .find(|e| e["detail"] == detail)
            .unwrap_or_else(|| panic!("{detail} in {events:?}"))
            .clone()
    };
    let created = find(format!("organization {org} created"));
    assert_eq!(created["actor_client_id"], "ops-admin");
    assert_eq!(created["actor_user_id"], Value::Null);
    let updated = find(format!("organization {org} updated"));
    assert_eq!(updated["actor_client_id"], "console");
    assert_eq!(updated["actor_user_id"], anna.id.as_str());
}
