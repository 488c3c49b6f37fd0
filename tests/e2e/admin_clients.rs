//! Client administration shared by the `idp clients` command and (later) the management
//! API: deleting a client ends every token it holds at once.

use postern_tests::*;

use crate::rp;

#[tokio::test]
async fn a_deleted_client_loses_its_tokens_and_its_consents() {
    let s = spawn().await;
    let (c, _, tokens, _) = rp::anna_at_shop(&s, &["offline_access"]).await;
    idp::admin::clients::delete_client(&s.state, "shop", &idp::audit::Actor::CommandLine, None)
        .await
        .unwrap();
    rp::assert_tokens_refused(&s, &c, &tokens).await;
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
        idp::admin::clients::delete_client(&s.state, "shop", &idp::audit::Actor::CommandLine, None)
            .await,
        Err(idp::admin::clients::ClientError::NotFound)
    ));
}
