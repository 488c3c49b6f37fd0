use std::sync::Arc;

use idp::{
    audit::RequestMeta,
    authn::check::{Attempt, Checked, check},
    crypto::Secret,
};
use postern_tests::*;

use crate::{attempt, comparable, server};

fn small(c: &mut idp::Config) {
    c.lockout.max_failures = 3;
    c.lockout.temporary_duration = std::time::Duration::from_secs(4);
    c.lockout.max_temporary_locks = 2;
}

#[tokio::test]
async fn temporary_lock_blocks_even_the_right_password_until_it_expires() {
    let s = server(small).await;
    for i in 1..=2 {
        let (status, html) = attempt(&s.url, "anna@post.test", "wrong").await;
        assert_eq!(status, 401, "attempt {i}: {html}");
    }
    let (status, html) = attempt(&s.url, "anna@post.test", "wrong").await;
    assert_eq!(status, 403, "the third failure locks");
    assert!(html.contains("blocked until"), "{html}");
    let (status, _) = attempt(&s.url, "anna@post.test", PASSWORD).await;
    assert_eq!(
        status, 403,
        "locked: even the right password is refused, unverified"
    );
    s.clock.advance(5);
    let (status, _) = attempt(&s.url, "anna@post.test", PASSWORD).await;
    assert_eq!(
        status, 303,
        "after the lock expires the right password works"
    );
    // The success reset the count: two failures do not lock again.
    for _ in 0..2 {
        assert_eq!(attempt(&s.url, "anna@post.test", "wrong").await.0, 401);
    }
    assert_eq!(attempt(&s.url, "anna@post.test", PASSWORD).await.0, 303);
}

#[tokio::test]
async fn repeated_locks_become_permanent_and_the_emailed_link_lifts_them() {
    let s = server(small).await;
    for _ in 0..3 {
        attempt(&s.url, "anna@post.test", "wrong").await;
    }
    s.clock.advance(5);
    for _ in 0..2 {
        assert_eq!(attempt(&s.url, "anna@post.test", "wrong").await.0, 401);
    }
    let (status, html) = attempt(&s.url, "anna@post.test", "wrong").await;
    assert_eq!(status, 403);
    assert!(
        html.contains("instructions to unlock it"),
        "permanent: {html}"
    );
    s.clock.advance(3600);
    assert_eq!(
        attempt(&s.url, "anna@post.test", PASSWORD).await.0,
        403,
        "time does not lift it"
    );

    let outbox = idp::notify::jsonl::read_all(&s.dir.path().join("outbox"));
    let mail = outbox
        .iter()
        .find(|m| m.to == "anna@post.test")
        .expect("an unlock email");
    assert_eq!(outbox.len(), 1, "one email, and none at the temporary lock");
    let link = mail
        .body
        .split_whitespace()
        .find(|w| w.starts_with(&s.url))
        .expect("an absolute link under the issuer");
    assert!(link.starts_with(&format!("{}/recover/reset?token=", s.url)));

    let b = Browser::new();
    let Landing::Page(200, html) = b.open(&s.url, link).await else {
        panic!("reset page")
    };
    let mut form = parse_form(&html).unwrap();
    // The account has a verified mobile number: the link needs its SMS code too.
    form.set("code", &last_sms_code(&s, "+41791234567"));
    form.set("password", "quiet lantern over harbour");
    form.set("password2", "quiet lantern over harbour");
    let Landing::Page(200, done) = b.submit(&s.url, &form).await else {
        panic!("reset done")
    };
    assert!(done.contains("unlocked"), "{done}");
    // Single use.
    assert!(matches!(b.open(&s.url, link).await, Landing::Page(400, _)));
    assert_eq!(
        attempt(&s.url, "anna@post.test", PASSWORD).await.0,
        401,
        "old password is gone"
    );
    assert_eq!(
        attempt(&s.url, "anna@post.test", "quiet lantern over harbour")
            .await
            .0,
        303
    );
}

#[tokio::test]
async fn fifty_parallel_attempts_get_exactly_max_failures_verifications() {
    let s = server(|c| {
        c.lockout.max_failures = 5;
        // This test is about the lockout, not the rate limits in front of it.
        c.rate_limit.sign_in_per_identifier = 1_000;
    })
    .await;
    let before = s.state.passwords.verifications();
    let state = Arc::new(s.state.clone());
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let st = state.clone();
        tasks.push(tokio::spawn(async move {
            let password = Secret::new("wrong");
            let attempt = Attempt::Password {
                service: None,
                email: "anna@post.test",
                password: &password,
            };
            check(&st, attempt, &RequestMeta::default()).await
        }));
    }
    let mut locked = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(Checked::Locked(_)) => locked += 1,
            Ok(Checked::Refused(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        s.state.passwords.verifications() - before,
        5,
        "exactly max_failures verifications"
    );
    assert!(locked >= 45, "the rest are refused unverified ({locked})");
    // The same for an address that has no account.
    let before = s.state.passwords.verifications();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let st = state.clone();
        tasks.push(tokio::spawn(async move {
            let password = Secret::new("x");
            let attempt = Attempt::Password {
                service: None,
                email: "nobody@post.test",
                password: &password,
            };
            check(&st, attempt, &RequestMeta::default()).await
        }));
    }
    for t in tasks {
        let _ = t.await.unwrap();
    }
    assert_eq!(s.state.passwords.verifications() - before, 5);
}

#[tokio::test]
async fn unknown_and_known_emails_get_identical_answers() {
    let s = server(small).await;
    let known = "anna@post.test";
    let unknown = "nobody@post.test";
    for _ in 0..2 {
        let (a, ha) = attempt(&s.url, known, "wrong").await;
        let (b, hb) = attempt(&s.url, unknown, "wrong").await;
        assert_eq!(a, b);
        assert_eq!(comparable(&ha, known), comparable(&hb, unknown));
    }
    let (a, ha) = attempt(&s.url, known, "wrong").await;
    let (b, hb) = attempt(&s.url, unknown, "wrong").await;
    assert_eq!((a, b), (403, 403), "both lock");
    assert_eq!(comparable(&ha, known), comparable(&hb, unknown));
    // Permanent locks read the same too; only the real account gets an email.
    s.clock.advance(5);
    for _ in 0..3 {
        attempt(&s.url, known, "wrong").await;
        attempt(&s.url, unknown, "wrong").await;
    }
    let (a, ha) = attempt(&s.url, known, PASSWORD).await;
    let (b, hb) = attempt(&s.url, unknown, PASSWORD).await;
    assert_eq!((a, b), (403, 403));
    assert_eq!(comparable(&ha, known), comparable(&hb, unknown));
    let outbox = idp::notify::jsonl::read_all(&s.dir.path().join("outbox"));
    assert!(outbox.iter().all(|m| m.to != unknown));
}

#[tokio::test]
async fn failures_on_two_nodes_add_up_on_postgres_and_redis() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut config = test_config(&dir).await;
    config.database_url = fresh_pg_database().await;
    config.redis_url = redis_url();
    small(&mut config);
    let a = spawn_node(config.clone(), dir.clone(), None).await;
    let b = spawn_node(config, dir, Some(&a.url)).await;
    a.client(ClientSpec::confidential("shop")).await;
    a.user("anna@post.test").await;
    assert_eq!(attempt(&a.url, "anna@post.test", "wrong").await.0, 401);
    assert_eq!(attempt(&b.url, "anna@post.test", "wrong").await.0, 401);
    assert_eq!(
        attempt(&a.url, "anna@post.test", "wrong").await.0,
        403,
        "third failure, across nodes"
    );
    assert_eq!(
        attempt(&b.url, "anna@post.test", PASSWORD).await.0,
        403,
        "locked on the other node too"
    );
}
