//! The back-channel logout queue: one delivery per client and session, claims that two
//! nodes never share, outcomes only from the claim's holder, and the grants of a session.

use std::{collections::BTreeSet, sync::Arc};

use super::{sample_client, sample_grant, sample_user};
use crate::storage::{DeliveryOutcome, LogoutDelivery, Stores};

fn delivery(id: &str, client: &str, sid: &str, at: i64) -> LogoutDelivery {
    LogoutDelivery {
        id: id.into(),
        client_id: client.into(),
        sub: "u-logout".into(),
        sid: sid.into(),
        created_at: at,
        attempts: 0,
    }
}

pub async fn logout_deliveries(stores: &Stores) {
    let q = &stores.logouts;
    let added = q
        .enqueue_logouts(&[
            delivery("d1", "c1", "s1", 1000),
            delivery("d2", "c2", "s1", 1000),
            // The same client and session again: skipped.
            delivery("d3", "c1", "s1", 1001),
        ])
        .await
        .unwrap();
    assert_eq!(added, 2);
    assert!(
        q.claim_logouts(999, 1100, 10, &[])
            .await
            .unwrap()
            .is_empty(),
        "nothing is due before it was queued"
    );
    let c1 = q
        .claim_logouts(1000, 1100, 10, &["c2".into()])
        .await
        .unwrap();
    assert_eq!(c1.len(), 1, "none for a client skipped");
    assert_eq!(c1[0].delivery.client_id, "c1");
    let mut claims = c1;
    claims.extend(q.claim_logouts(1000, 1100, 10, &[]).await.unwrap());
    assert_eq!(claims.len(), 2);
    assert!(claims.iter().all(|c| c.delivery.attempts == 1));
    assert!(
        q.claim_logouts(1050, 1150, 10, &[])
            .await
            .unwrap()
            .is_empty(),
        "a leased delivery is not claimed again"
    );
    let (first, second) = (&claims[0], &claims[1]);
    assert!(
        q.finish_logout(first, &DeliveryOutcome::Delivered, 1010)
            .await
            .unwrap()
    );
    assert!(
        !q.finish_logout(first, &DeliveryOutcome::Delivered, 1011)
            .await
            .unwrap(),
        "finished once"
    );
    let retry = DeliveryOutcome::Retry {
        at: 1200,
        error: "HTTP 503".into(),
    };
    assert!(q.finish_logout(second, &retry, 1010).await.unwrap());
    assert!(
        q.claim_logouts(1199, 1300, 10, &[])
            .await
            .unwrap()
            .is_empty()
    );
    let again = q.claim_logouts(1200, 1300, 10, &[]).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].delivery.id, second.delivery.id);
    assert_eq!(again[0].delivery.attempts, 2);
    // Its lease runs out and another node takes it over: the first claim is void.
    let taken = q.claim_logouts(1301, 1400, 10, &[]).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].delivery.attempts, 3);
    let failed = DeliveryOutcome::Failed {
        error: "x".repeat(5000),
    };
    assert!(!q.finish_logout(&again[0], &failed, 1302).await.unwrap());
    assert!(q.finish_logout(&taken[0], &failed, 1302).await.unwrap());
    let counts = q.count_logouts().await.unwrap();
    assert_eq!((counts.pending, counts.delivered, counts.failed), (0, 1, 1));
    assert_eq!(q.purge_logouts(1302).await.unwrap(), 1, "finished before");
    assert_eq!(q.purge_logouts(2000).await.unwrap(), 1);
    assert_eq!(q.count_logouts().await.unwrap().failed, 0);
}

/// Two nodes claiming the same due deliveries at once get disjoint sets covering them all.
pub async fn concurrent_logout_claims(stores: &Stores) {
    let q = &stores.logouts;
    let all: Vec<_> = (0..40)
        .map(|i| delivery(&format!("race-{i}"), &format!("rc{i}"), "race", 5000))
        .collect();
    q.enqueue_logouts(&all).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let q = Arc::clone(q);
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = q.claim_logouts(5000, 6000, 7, &[]).await.unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|c| c.delivery.id));
            }
        }));
    }
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for t in tasks {
        let mine = t.await.unwrap();
        total += mine.len();
        seen.extend(mine);
    }
    assert_eq!(total, 40, "no delivery claimed twice");
    assert_eq!(seen.len(), 40, "every delivery claimed");
}

pub async fn session_grants(stores: &Stores) {
    stores
        .users
        .create_user(&sample_user("u-sg", "sg@example.test"))
        .await
        .unwrap();
    stores
        .clients
        .create_client(&sample_client("c-sg"))
        .await
        .unwrap();
    for (id, sid) in [
        ("g-sg1", Some("sid-1")),
        ("g-sg2", Some("sid-1")),
        ("g-sg3", Some("sid-2")),
        ("g-sg4", None),
    ] {
        let mut g = sample_grant(id, "u-sg", "c-sg", None);
        g.session_id = sid.map(str::to_owned);
        stores.grants.create_grant(&g).await.unwrap();
    }
    stores.grants.revoke_grant("g-sg2", 200).await.unwrap();
    let ids = |gs: Vec<crate::storage::Grant>| gs.into_iter().map(|g| g.id).collect::<Vec<_>>();
    let mut of_1 = ids(stores.grants.list_session_grants("sid-1").await.unwrap());
    of_1.sort();
    assert_eq!(of_1, ["g-sg1", "g-sg2"], "revoked ones too");
    assert_eq!(
        ids(stores.grants.list_session_grants("sid-3").await.unwrap()),
        Vec::<String>::new()
    );
}
