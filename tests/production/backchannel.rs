//! Back-channel logout on two nodes of one deployment (PostgreSQL and Redis): both nodes
//! send, and each logout token is delivered once, whichever node queued it and whichever
//! node retries it.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use idp::{
    authn::session,
    model::{Acr, Amr},
    storage::Grant,
};
use postern_tests::{
    backchannel::{Answer, Receiver, wait_for_retries},
    *,
};

#[tokio::test]
async fn each_logout_token_is_delivered_once_across_two_nodes() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut config = test_config(&dir).await;
    config.database_url = fresh_pg_database().await;
    config.redis_url = redis_url();
    config.backchannel_logout.poll_interval = Duration::from_millis(50);
    let a = spawn_node(config.clone(), dir.clone(), None).await;
    let b = spawn_node(config, dir, Some(&a.url)).await;
    let rx = Receiver::start().await;
    rx.answer(Answer::Unavailable);
    let mut spec = ClientSpec::confidential("shop");
    spec.backchannel_logout_uri = Some(rx.uri());
    a.client(spec).await;

    // Thirty people, each signed in to the shop in a session of their own.
    const PEOPLE: usize = 30;
    let mut users = Vec::new();
    for i in 0..PEOPLE {
        let user = a.user(&format!("p{i}@post.test")).await;
        let node = if i % 2 == 0 { &a } else { &b };
        let (_, sso) = session::create(
            &node.state,
            &user.id,
            vec![Amr::Pwd],
            Acr::OneFactor,
            Acr::OneFactor,
            &Default::default(),
            None,
        )
        .await
        .unwrap();
        let grant = Grant {
            id: format!("g{i}"),
            client_id: "shop".into(),
            user_id: Some(user.id.clone()),
            session_id: Some(sso.authn.sid.clone()),
            scope: idp::model::oauth::Scope::from_iter(["openid"]),
            auth_time: Some(node.state.now()),
            acr: None,
            amr: vec![],
            claims: None,
            created_at: node.state.now(),
            revoked_at: None,
            org_id: None,
        };
        node.state.stores.grants.create_grant(&grant).await.unwrap();
        users.push(user);
    }
    // Their sessions end on either node; the receiver fails every first attempt.
    for (i, user) in users.iter().enumerate() {
        let node = if i % 3 == 0 { &b } else { &a };
        session::end_all_for_user(&node.state, &user.id)
            .await
            .unwrap();
    }
    wait_for_retries(&[&a, &b], PEOPLE as u64).await;
    let failed = rx.tokens().len();
    assert_eq!(failed, PEOPLE, "one first attempt each");

    // Back: both nodes poll for the retries at once.
    rx.answer(Answer::Ok);
    a.clock.advance(10);
    b.clock.advance(10);
    let got = rx.wait_for(2 * PEOPLE).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let delivered = &rx.tokens()[failed..];
    let mut per_jti = BTreeMap::new();
    for t in delivered {
        let jti = jwt_payload(t)["jti"].as_str().unwrap().to_owned();
        *per_jti.entry(jti).or_insert(0) += 1;
    }
    assert_eq!(per_jti.len(), PEOPLE, "every session's token arrived");
    assert!(
        per_jti.values().all(|n| *n == 1),
        "each delivered once: {per_jti:?}"
    );
    assert_eq!(got.len(), 2 * PEOPLE);
    let counts = a.state.stores.logouts.count_logouts().await.unwrap();
    assert_eq!((counts.pending, counts.delivered), (0, PEOPLE as u64));
}
