//! Two nodes whose ephemeral store is a Redis Cluster of three primaries (started by this
//! test process): the session, codes and their single use hold across nodes as on one
//! Redis server.

use std::sync::Arc;

use postern_tests::*;

use crate::flow::{auth_url, code_of, redeem};

#[tokio::test]
async fn two_nodes_on_a_redis_cluster_share_sessions_and_spend_codes_once() {
    let cluster = tokio::task::spawn_blocking(redis_topologies::cluster)
        .await
        .unwrap();
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut config = test_config(&dir).await;
    config.database_url = fresh_pg_database().await;
    config.redis_url = String::new();
    config.redis_cluster_urls = cluster.nodes.join(",");
    let a = spawn_node(config.clone(), dir.clone(), None).await;
    let b = spawn_node(config, dir, Some(&a.url)).await;
    a.client(ClientSpec::confidential("shop")).await;
    a.user("anna@post.test").await;
    let browser = Browser::new();

    let code = code_of(
        browser
            .sign_in(&a.url, &auth_url(&a.url, ""), "anna@post.test", PASSWORD)
            .await,
    );
    // The session made on A signs in on B without a page.
    let silent = code_of(
        browser
            .open(&b.url, &auth_url(&b.url, "&prompt=none"))
            .await,
    );
    let (status, tokens) = redeem(&b.url, &silent).await;
    assert_eq!(status, 200, "{tokens}");
    // Two redemptions of A's code at once, one on each node: exactly one succeeds.
    let (first, second) = tokio::join!(redeem(&a.url, &code), redeem(&b.url, &code));
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [200, 400], "{first:?} {second:?}");
}
