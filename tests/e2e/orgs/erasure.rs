//! An organisation keeps an admin through its admins' account deletion: the last admin's
//! deletion request is refused, and an erasure falling due while the account became the
//! last admin waits until someone else administers the organisation.

use super::*;

/// Anna signed in to the console's data page with a fresh proof of her strongest factor.
async fn data_page(s: &TestServer) -> (Browser, String) {
    let b = Browser::new();
    let Landing::Page(200, html) = b
        .sign_in(
            &s.url,
            &format!("{}/account/security", s.url),
            "anna@post.test",
            PASSWORD,
        )
        .await
    else {
        panic!("the security page")
    };
    pass_sms_step_up(s, &b, html, "+41791234567").await;
    let Landing::Page(200, html) = b.open(&s.url, &format!("{}/account/data", s.url)).await else {
        panic!("the data page")
    };
    (b, html)
}

async fn request_deletion(s: &TestServer, b: &Browser, html: &str) -> (u16, String) {
    let mut form = form_for(html, "/account/delete", None);
    form.set("password", PASSWORD);
    match b.submit(&s.url, &form).await {
        Landing::Page(status, html) => (status, html),
        other => panic!("a page, got {other:?}"),
    }
}

async fn add_admin(w: &World, operator: &str, org: &str, email: &str) {
    let (status, m) = api(
        &w.s,
        Some(operator),
        "POST",
        &format!("/organizations/{org}/members"),
        Some(json!({"email": email, "roles": ["admin"]})),
    )
    .await;
    assert_eq!(status, 201, "{m}");
}

async fn admins_of(w: &World, operator: &str, org: &str) -> Vec<String> {
    let (_, page) = api(
        &w.s,
        Some(operator),
        "GET",
        &format!("/organizations/{org}/members?per_page=100"),
        None,
    )
    .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["roles"].as_array().unwrap().contains(&json!("admin")))
        .map(|m| m["email"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn anna_exists(s: &TestServer) -> Option<bool> {
    s.state
        .stores
        .users
        .find_user_by_email("anna@post.test")
        .await
        .unwrap()
        .map(|u| u.disabled)
}

#[tokio::test]
async fn the_last_admin_cannot_request_deletion_until_someone_else_administers() {
    let w = world().await;
    let s = &w.s;
    let a = &w.orgs[0];
    let (b, html) = data_page(s).await;
    let (status, html) = request_deletion(s, &b, &html).await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("only administrator"), "{html}");
    assert_eq!(anna_exists(s).await, Some(false), "still enabled");

    add_admin(&w, &w.operator, a, "bert@post.test").await;
    let (status, html) = request_deletion(s, &b, &html).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(
        anna_exists(s).await,
        Some(true),
        "disabled, pending erasure"
    );
}

#[tokio::test]
async fn erasure_waits_while_the_account_is_the_last_admin() {
    let w = world().await;
    let s = &w.s;
    let a = &w.orgs[0];
    add_admin(&w, &w.operator, a, "bert@post.test").await;
    let (b, html) = data_page(s).await;
    assert_eq!(request_deletion(s, &b, &html).await.0, 200);
    // Bert leaves Alpha while Anna's erasure is pending: Anna is the last admin again.
    let bert = user_id(s, "bert@post.test").await;
    let (status, _) = api(
        s,
        Some(&w.operator),
        "DELETE",
        &format!("/organizations/{a}/members/{bert}"),
        None,
    )
    .await;
    assert_eq!(status, 204);

    s.clock.advance(31 * 24 * 3600);
    // The operator's token from before has expired by now.
    let operator = token_for(s, "ops", "admin").await;
    assert_eq!(idp::accounts::deletion::purge(&s.state).await.unwrap(), 0);
    assert_eq!(anna_exists(s).await, Some(true), "waits, still disabled");
    assert_eq!(
        admins_of(&w, &operator, a).await,
        vec!["anna@post.test".to_owned()]
    );

    // Once someone else administers Alpha, the erasure goes ahead.
    add_admin(&w, &operator, a, "bert@post.test").await;
    assert_eq!(idp::accounts::deletion::purge(&s.state).await.unwrap(), 1);
    assert_eq!(anna_exists(s).await, None, "erased");
    assert_eq!(
        admins_of(&w, &operator, a).await,
        vec!["bert@post.test".to_owned()]
    );
}

#[tokio::test]
async fn an_admin_pending_erasure_does_not_count_as_the_other_admin() {
    let w = world().await;
    let s = &w.s;
    let a = &w.orgs[0];
    add_admin(&w, &w.operator, a, "bert@post.test").await;
    let (b, html) = data_page(s).await;
    assert_eq!(request_deletion(s, &b, &html).await.0, 200, "Bert remains");
    // Anna's account is on its way out: Bert is now the only admin who can act.
    let bert = s
        .state
        .stores
        .users
        .find_user_by_email("bert@post.test")
        .await
        .unwrap()
        .unwrap();
    let asked = idp::accounts::deletion::request(&s.state, &bert, &Default::default())
        .await
        .unwrap();
    let alpha = s.state.stores.orgs.find_org(a).await.unwrap().unwrap();
    let idp::accounts::deletion::Deletion::LastAdmin(names) = asked else {
        panic!("refused: {asked:?}")
    };
    assert!(names.contains(&alpha.name), "{names:?}");
}
