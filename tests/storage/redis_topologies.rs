//! The ephemeral store on a Redis Cluster and behind Redis Sentinel, each started by this
//! test process from the installed redis-server.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use idp::storage::{conformance, ephemeral::EphemeralStore, ephemeral::redis::RedisStore};
use postern_tests::{
    fresh_redis_prefix,
    redis_topologies::{self, SENTINEL_PRIMARY, query},
};

/// Three primaries: the store passes the suite, and its keys land on more than one of them
/// (each command went to the owner of its key's slot, not all to the node it was given).
#[tokio::test]
async fn a_redis_cluster_conforms_and_spreads_the_keys() {
    let cluster = tokio::task::spawn_blocking(redis_topologies::cluster)
        .await
        .unwrap();
    let prefix = fresh_redis_prefix();
    // Only the first node is given; the store learns the others from it.
    let store = RedisStore::connect_cluster(&cluster.nodes[..1], &prefix)
        .await
        .unwrap();
    conformance::ephemeral(&store).await;
    for i in 0..30 {
        let key = format!("spread-{i}");
        store
            .put(&key, b"x".to_vec(), Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(
            store
                .incr(&format!("n-{i}"), Duration::from_secs(60))
                .await
                .unwrap(),
            1
        );
    }
    let holding = cluster
        .nodes
        .iter()
        .filter(|node| {
            let keys = query(node, &["KEYS", &format!("{prefix}spread-*")]).unwrap_or_default();
            !keys.trim().is_empty()
        })
        .count();
    assert!(holding >= 2, "the keys are on {holding} of 3 primaries");
}

/// The primary the Sentinel names: the suite passes, and after a failover the store writes
/// to the new primary and still reads what was written before it.
#[tokio::test]
async fn behind_sentinel_the_store_follows_a_failover() {
    let deployment = Arc::new(
        tokio::task::spawn_blocking(redis_topologies::sentinel)
            .await
            .unwrap(),
    );
    let sentinels = [deployment.sentinel.clone()];
    let prefix = fresh_redis_prefix();
    let store = RedisStore::connect_sentinel(&sentinels, SENTINEL_PRIMARY, &prefix)
        .await
        .unwrap();
    conformance::ephemeral(&store).await;
    let ttl = Duration::from_secs(60);
    store.put("before", b"1".to_vec(), ttl).await.unwrap();
    // The replica has it before the roles change (WAIT: one replica acknowledged).
    assert_eq!(
        query(&deployment.primary, &["WAIT", "1", "5000"]).as_deref(),
        Some("1")
    );

    let moved = deployment.clone();
    tokio::task::spawn_blocking(move || moved.fail_over())
        .await
        .unwrap();

    // The old primary takes writes until it learns it was demoted; the store asks the
    // Sentinel again within a second (RECHECK), and from then on writes reach the new one.
    let deadline = Instant::now() + Duration::from_secs(10);
    let key = format!("{prefix}after");
    loop {
        if store.put("after", b"2".to_vec(), ttl).await.is_ok()
            && query(&deployment.replica, &["GET", &key]).as_deref() == Some("2")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no write reached the promoted replica within 10 s of the failover"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(store.get("before").await.unwrap(), Some(b"1".to_vec()));
    assert_eq!(store.take("after").await.unwrap(), Some(b"2".to_vec()));
}

/// Sentinels that take connections but never answer: the first call's lookup waits out its
/// timeout, and the calls queued behind it then fail at once instead of each waiting out a
/// lookup of its own (twenty calls took twenty timeouts before).
#[tokio::test]
async fn calls_do_not_queue_for_lookups_of_their_own_while_the_sentinels_are_silent() {
    use idp::storage::StorageError;
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("redis://{}", silent.local_addr().unwrap());
    let store = Arc::new(
        RedisStore::connect_sentinel(&[url], SENTINEL_PRIMARY, "p:")
            .await
            .unwrap(),
    );
    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.get("k").await })
        })
        .collect();
    for call in calls {
        let answer = tokio::time::timeout(Duration::from_secs(60), call)
            .await
            .expect("a call hung")
            .unwrap();
        assert!(
            matches!(answer, Err(StorageError::Unavailable(_))),
            "{answer:?}"
        );
    }
    let one_lookup = started.elapsed();
    // A second wave within the second after: no lookup at all.
    let again = Instant::now();
    assert!(matches!(
        store.get("k").await,
        Err(StorageError::Unavailable(_))
    ));
    assert!(
        again.elapsed() < Duration::from_millis(100),
        "a call right after a failed lookup waited {:?}",
        again.elapsed()
    );
    assert!(
        one_lookup < Duration::from_secs(10),
        "twenty calls took {one_lookup:?}"
    );
}
