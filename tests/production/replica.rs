//! `database.read_url`: userinfo and the catalogue read a replica when there is one, the
//! primary when the replica is away or has not caught up, and nothing that decides access
//! reads it.

use std::sync::Arc;

use idp::storage::{UserStore, sql::SqlStore};
use postern_tests::*;

use crate::flow::{auth_url, code_of, redeem};

/// A node whose primary and "replica" are two databases, so a test can tell which one
/// answered; and an access token of Anna's from it.
async fn node_with_replica(read_url: String) -> (TestServer, String, String) {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut config = test_config(&dir).await;
    config.database_url = fresh_pg_database().await;
    config.redis_url = redis_url();
    config.database.read_url = read_url;
    let node = spawn_node(config, dir, None).await;
    node.client(ClientSpec::confidential("shop")).await;
    let anna = node.user("anna@post.test").await;
    let code = code_of(
        Browser::new()
            .sign_in(
                &node.url,
                &auth_url(&node.url, ""),
                "anna@post.test",
                PASSWORD,
            )
            .await,
    );
    let (status, tokens) = redeem(&node.url, &code).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    (node, anna.id, access)
}

#[tokio::test]
async fn userinfo_reads_the_replica_and_the_primary_for_what_it_lacks() {
    let replica_url = migrated_pg_database().await;
    let (node, anna, access) = node_with_replica(replica_url.clone()).await;
    // Not yet on the replica: the primary answers.
    assert_eq!(userinfo(&node, &access).await["given_name"], "Anna");

    // The replica holds her with another name: userinfo shows the replica's.
    let mut copy = node
        .state
        .stores
        .users
        .find_user(&anna)
        .await
        .unwrap()
        .unwrap();
    copy.given_name = Some("Annika".into());
    let replica = SqlStore::connect(&replica_url).await.unwrap();
    UserStore::create_user(&replica, &copy).await.unwrap();
    // Userinfo remembers a record for a moment (read_path::USER_TTL), as a replica lags.
    let deadline = std::time::Instant::now() + idp::storage::read_path::USER_TTL * 3;
    while userinfo(&node, &access).await["given_name"] != "Annika" {
        assert!(
            std::time::Instant::now() < deadline,
            "the replica's record never shows"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Access is still decided on the primary: revoking her grants there ends the token,
    // whatever the replica holds.
    node.state
        .stores
        .grants
        .revoke_user_grants(&anna, node.state.now())
        .await
        .unwrap();
    let refused = reqwest::Client::new()
        .get(format!("{}/userinfo", node.url))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
}

#[tokio::test]
async fn a_replica_that_is_away_costs_nothing_but_load_on_the_primary() {
    // Nothing listens on port 1: the node starts, and the reads go to the primary.
    let (node, _, access) = node_with_replica("postgres://root@127.0.0.1:1/none".into()).await;
    assert_eq!(userinfo(&node, &access).await["given_name"], "Anna");
    let catalogue = node.state.stores.reads.all_clients().await.unwrap();
    assert!(catalogue.iter().any(|c| c.client_id == "shop"));
}
