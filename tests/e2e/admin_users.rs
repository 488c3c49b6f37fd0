//! Account administration shared by the `idp users` command and (later) the management API:
//! disabling ends everything the account holds at once; enabling lets it sign in again.

use postern_tests::*;

use crate::rp;

const CLI: idp::audit::Actor = idp::audit::Actor::CommandLine;
const EMAIL: &str = "anna@post.test";

async fn signs_in(s: &TestServer, c: &rp::Client) -> bool {
    let started = rp::start(c, &[], &[]);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), EMAIL, PASSWORD)
        .await;
    matches!(landing, Landing::Client(_))
}

#[tokio::test]
async fn a_disabled_account_loses_its_tokens_and_sign_in_until_enabled() {
    let s = spawn().await;
    let (c, _, tokens, browser) = rp::anna_at_shop(&s, &["offline_access"]).await;

    let user = idp::admin::users::set_disabled(
        &s.state,
        idp::admin::users::Target::Email(EMAIL),
        true,
        &CLI,
        None,
    )
    .await
    .unwrap();
    assert!(user.disabled);
    rp::assert_tokens_refused(&s, &c, &tokens).await;
    let started = rp::start(&c, &[], &[]);
    let Landing::Page(_, html) = browser.open(&s.url, started.url.as_str()).await else {
        panic!("the SSO session is over: a page, not a code")
    };
    assert!(html.contains("name=\"email\""), "{html}");
    assert!(!signs_in(&s, &c).await, "no new sign-in");
    let events = s
        .state
        .stores
        .audit
        .list_events(&idp::storage::AuditFilter {
            user_id: Some(user.id.clone()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.detail.as_deref() == Some("disable user")),
        "{events:?}"
    );

    idp::admin::users::set_disabled(
        &s.state,
        idp::admin::users::Target::Email(EMAIL),
        false,
        &CLI,
        None,
    )
    .await
    .unwrap();
    assert!(signs_in(&s, &c).await, "enabled again");
    assert!(
        idp::admin::users::set_disabled(
            &s.state,
            idp::admin::users::Target::Email("nobody@post.test"),
            true,
            &CLI,
            None
        )
        .await
        .is_err()
    );
}
