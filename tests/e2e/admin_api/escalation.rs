//! Adversarial review: a token of one area must not gain the power of another, and a
//! client switched to verified identities only must not keep serving unverified people.

use postern_tests::*;
use serde_json::json;

use super::{call, clients::cc_token, tool_token};

#[tokio::test]
async fn an_admin_clients_token_cannot_register_a_client_with_admin_scopes() {
    let s = spawn().await;
    s.user("anna@post.test").await;
    let t = tool_token(&s, "admin:clients").await;
    // The clients area registers a service that may use scope `admin` (every area)...
    let body = json!({"client_id": "backdoor", "grant_types": ["client_credentials"],
                      "scopes": ["admin"]});
    let r = call(&s, Some(&t), "POST", "/clients", Some(body), None).await;
    if r.status == 201 {
        let secret = r.body["client_secret"].as_str().unwrap().to_owned();
        let (_, tok) = cc_token(&s, "backdoor", &secret).await;
        let at = tok["access_token"].as_str().unwrap_or_default().to_owned();
        // ... and with it reads every account: admin:clients became admin:users.
        let users = call(&s, Some(&at), "GET", "/users", None, None).await;
        assert_ne!(
            users.status, 200,
            "an admin:clients tool escalated to the users area: {:?}",
            users.body
        );
    }
}
