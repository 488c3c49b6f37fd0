//! The conformance suite for short-lived state (the in-process store and Redis).

use std::time::Duration;

use super::super::ephemeral::EphemeralStore;

/// The ephemeral suite.
pub async fn ephemeral(store: &dyn EphemeralStore) {
    let ttl = Duration::from_secs(30);
    assert_eq!(store.get("k").await.unwrap(), None);
    store.put("k", b"v1".to_vec(), ttl).await.unwrap();
    assert_eq!(store.get("k").await.unwrap(), Some(b"v1".to_vec()));
    store.put("k", b"v2".to_vec(), ttl).await.unwrap();
    assert_eq!(store.get("k").await.unwrap(), Some(b"v2".to_vec()));
    assert_eq!(store.take("k").await.unwrap(), Some(b"v2".to_vec()));
    assert_eq!(store.take("k").await.unwrap(), None, "take is single use");
    assert_eq!(store.get("k").await.unwrap(), None);

    assert!(
        store
            .put_if_absent("once", b"a".to_vec(), ttl)
            .await
            .unwrap()
    );
    assert!(
        !store
            .put_if_absent("once", b"b".to_vec(), ttl)
            .await
            .unwrap()
    );
    assert_eq!(store.get("once").await.unwrap(), Some(b"a".to_vec()));
    store.delete("once").await.unwrap();
    assert_eq!(store.get("once").await.unwrap(), None);

    // Expiry.
    store
        .put("short", b"x".to_vec(), Duration::from_millis(50))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(
        store.get("short").await.unwrap(),
        None,
        "expired values are gone"
    );
    assert_eq!(store.take("short").await.unwrap(), None);

    // Concurrent takes: one winner.
    store.put("code", b"c".to_vec(), ttl).await.unwrap();
    let results = futures::future::join_all((0..16).map(|_| store.take("code"))).await;
    let winners = results
        .into_iter()
        .filter(|r| matches!(r, Ok(Some(_))))
        .count();
    assert_eq!(winners, 1, "exactly one concurrent take wins");

    // Concurrent increments add up.
    let counts = futures::future::join_all((0..25).map(|_| store.incr("ctr", ttl))).await;
    let mut counts: Vec<u64> = counts.into_iter().map(|r| r.unwrap()).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=25).collect::<Vec<_>>());
    assert_eq!(
        store.get("ctr").await.unwrap(),
        Some(b"25".to_vec()),
        "counters read as decimal"
    );
    store.ping().await.unwrap();
}
