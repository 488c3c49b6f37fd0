//! private_key_jwt on two nodes of one deployment (PostgreSQL and Redis): an assertion's
//! `jti` is remembered in the shared ephemeral store, so a copy is refused by every node.

use idp::storage::ClientKeys;
use postern_tests::client_keys::*;

#[tokio::test]
async fn an_assertion_is_accepted_once_across_nodes() {
    let (a, b) = crate::flow::two_nodes().await;
    let k = key("ES256", "k1");
    register(&a, "svc", ClientKeys::Jwks(jwks(&[&k]))).await;

    let first = assertion(&a, &k, "svc");
    assert_eq!(token(&a, &first).await.0, 200);
    assert_invalid_client(token(&b, &first).await, "replayed at the other node");
    let second = assertion(&b, &k, "svc");
    assert_eq!(token(&b, &second).await.0, 200);
    assert_invalid_client(token(&a, &second).await, "replayed back at the first node");
}
