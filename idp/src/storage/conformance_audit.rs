//! The conformance suite for the management API's audit queries: every filter, and pages
//! that together hold every matching event exactly once.

use super::super::{AuditEvent, AuditFilter, Stores};

fn event(id: &str, at: i64, client: &str, outcome: &str) -> AuditEvent {
    AuditEvent {
        id: id.into(),
        at,
        kind: "admin".into(),
        outcome: outcome.into(),
        user_id: None,
        email: None,
        client_id: Some(client.into()),
        ip: None,
        user_agent: None,
        detail: Some(format!("event {id}")),
        actor_client_id: Some("ops".into()),
        actor_user_id: None,
    }
}

async fn ids(stores: &Stores, f: &AuditFilter) -> Vec<String> {
    let events = stores.audit.list_events(f).await.unwrap();
    events.into_iter().map(|e| e.id).collect()
}

pub async fn audit_filters(stores: &Stores) {
    // Two events in the same second: the id orders them.
    let recorded = [
        event("f-1", 5000, "cf-a", "success"),
        event("f-2", 5010, "cf-a", "failure"),
        event("f-3", 5010, "cf-b", "success"),
        event("f-4", 5020, "cf-a", "info"),
        event("f-5", 5030, "cf-a", "success"),
    ];
    for e in &recorded {
        stores.audit.record_event(e).await.unwrap();
    }
    let of_a = AuditFilter {
        client_id: Some("cf-a".into()),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(ids(stores, &of_a).await, ["f-5", "f-4", "f-2", "f-1"]);
    let success = AuditFilter {
        outcome: Some("success".into()),
        ..of_a.clone()
    };
    assert_eq!(ids(stores, &success).await, ["f-5", "f-1"]);
    let window = AuditFilter {
        since: Some(5010),
        until: Some(5020),
        ..of_a.clone()
    };
    assert_eq!(
        ids(stores, &window).await,
        ["f-4", "f-2"],
        "both bounds inclusive"
    );
    let until = AuditFilter {
        until: Some(5009),
        ..of_a.clone()
    };
    assert_eq!(ids(stores, &until).await, ["f-1"]);
    assert_eq!(stores.audit.count_events(&of_a).await.unwrap(), 4);
    assert_eq!(stores.audit.count_events(&window).await.unwrap(), 2);

    // Pages of two over the whole range: every event once, newest first, ties by id.
    let range = AuditFilter {
        since: Some(5000),
        until: Some(5030),
        limit: 2,
        ..Default::default()
    };
    let mut paged = Vec::new();
    for page in 0..4 {
        let f = AuditFilter {
            offset: page * 2,
            ..range.clone()
        };
        paged.extend(ids(stores, &f).await);
        // Offset and limit do not change the count.
        assert_eq!(stores.audit.count_events(&f).await.unwrap(), 5);
    }
    assert_eq!(paged, ["f-5", "f-4", "f-3", "f-2", "f-1"]);
    let far = AuditFilter {
        offset: u64::MAX,
        ..range
    };
    assert!(ids(stores, &far).await.is_empty(), "past the end: nothing");
}
