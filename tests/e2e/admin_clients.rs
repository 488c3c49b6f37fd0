//! Client administration shared by the `idp clients` command and (later) the management
//! API: deleting a client ends every token it holds at once.

use openidconnect::OAuth2TokenResponse;
use postern_tests::*;

use crate::rp;

#[tokio::test]
async fn a_deleted_client_loses_its_tokens_and_its_consents() {
    let s = spawn().await;
    let (c, _, tokens, _) = rp::anna_at_shop(&s, &["offline_access"]).await;
    idp::admin::clients::delete_client(&s.state, "shop", None)
        .await
        .unwrap();
    let info = reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401, "its access tokens stop at once");
    let refreshed = c
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&rp::http())
        .await;
    assert!(refreshed.is_err());
    assert!(
        s.state
            .stores
            .clients
            .find_client("shop")
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        idp::admin::clients::delete_client(&s.state, "shop", None).await,
        Err(idp::admin::clients::DeleteClientError::NotFound)
    ));
}
