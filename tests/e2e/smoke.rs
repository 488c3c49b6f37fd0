use postern_tests::*;

#[tokio::test]
async fn discovery_answers() {
    let s = spawn().await;
    let doc: serde_json::Value =
        reqwest::get(format!("{}/.well-known/openid-configuration", s.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(doc["issuer"], s.url);
}
