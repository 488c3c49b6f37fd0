//! The conformance suite for the account console's storage: listing consents, revoking a
//! client's grants, favourites and the erasure of a deleted account.

use super::super::{AuditEvent, AuditFilter, Consent, Stores, User};
use super::{sample_grant, sample_user};
use crate::model::oauth::Scope;

pub async fn consent_list_and_client_grants(stores: &Stores) {
    let consent = |user: &str, client: &str, at: i64| Consent {
        user_id: user.into(),
        client_id: client.into(),
        scope: Scope::from_iter(["openid", "profile"]),
        claims: Default::default(),
        granted_at: at,
    };
    for c in [
        consent("lu1", "lc1", 10),
        consent("lu1", "lc2", 20),
        consent("lu2", "lc1", 30),
    ] {
        stores.consents.save_consent(&c).await.unwrap();
    }
    assert_eq!(
        stores.consents.list_consents("lu1").await.unwrap(),
        vec![consent("lu1", "lc2", 20), consent("lu1", "lc1", 10)],
        "newest first, only the user's"
    );
    assert!(
        stores
            .consents
            .list_consents("lu3")
            .await
            .unwrap()
            .is_empty()
    );

    for (id, user, client) in [
        ("cg1", "lu1", "lc1"),
        ("cg2", "lu1", "lc2"),
        ("cg3", "lu2", "lc1"),
    ] {
        stores
            .grants
            .create_grant(&sample_grant(id, user, client, None))
            .await
            .unwrap();
    }
    let g = &stores.grants;
    assert_eq!(
        g.revoke_client_grants(Some("lu1"), "lc1", 300)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        g.revoke_client_grants(Some("lu1"), "lc1", 400)
            .await
            .unwrap(),
        0
    );
    let revoked = |id: &'static str| async move {
        stores
            .grants
            .find_grant(id)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
    };
    assert_eq!(revoked("cg1").await, Some(300));
    assert_eq!(revoked("cg2").await, None, "another client's grant stays");
    assert_eq!(revoked("cg3").await, None, "another user's grant stays");
    // Every user's grants of a client (the client is deleted).
    assert_eq!(g.revoke_client_grants(None, "lc1", 500).await.unwrap(), 1);
    assert_eq!(revoked("cg3").await, Some(500));
    assert_eq!(revoked("cg2").await, None, "another client's grant stays");
}

pub async fn favourites(stores: &Stores) {
    let a = &stores.accounts;
    assert!(a.list_favourites("fu1").await.unwrap().is_empty());
    a.add_favourite("fu1", "shop", 10).await.unwrap();
    a.add_favourite("fu1", "bank", 20).await.unwrap();
    a.add_favourite("fu1", "shop", 30).await.unwrap();
    a.add_favourite("fu2", "post", 10).await.unwrap();
    assert_eq!(a.list_favourites("fu1").await.unwrap(), ["shop", "bank"]);
    assert!(a.remove_favourite("fu1", "shop").await.unwrap());
    assert!(!a.remove_favourite("fu1", "shop").await.unwrap());
    assert_eq!(a.list_favourites("fu1").await.unwrap(), ["bank"]);
    assert_eq!(a.list_favourites("fu2").await.unwrap(), ["post"]);
}

pub async fn erasure(stores: &Stores) {
    let mut gone = sample_user("eu1", "erase@example.ch");
    gone.deletion_requested_at = Some(1000);
    gone.disabled = true;
    let later = User {
        deletion_requested_at: Some(5000),
        ..sample_user("eu2", "later@example.ch")
    };
    stores.users.create_user(&gone).await.unwrap();
    stores.users.create_user(&later).await.unwrap();
    stores
        .users
        .create_user(&sample_user("eu3", "stays@example.ch"))
        .await
        .unwrap();
    assert_eq!(stores.accounts.deletion_due(2000).await.unwrap(), ["eu1"]);

    stores
        .consents
        .save_consent(&Consent {
            user_id: "eu1".into(),
            client_id: "ec".into(),
            scope: Scope::from_iter(["openid"]),
            claims: Default::default(),
            granted_at: 1,
        })
        .await
        .unwrap();
    stores.accounts.add_favourite("eu1", "ec", 1).await.unwrap();
    stores.accounts.add_favourite("eu3", "ec", 1).await.unwrap();
    stores
        .audit
        .record_event(&AuditEvent {
            id: "erase-ev".into(),
            at: 900,
            kind: "sign_in".into(),
            outcome: "success".into(),
            user_id: Some("eu1".into()),
            email: Some("erase@example.ch".into()),
            client_id: None,
            ip: Some("192.0.2.7".into()),
            user_agent: Some("Firefox".into()),
            detail: None,
            actor_client_id: None,
            actor_user_id: None,
        })
        .await
        .unwrap();
    stores.accounts.erase_user("eu1").await.unwrap();
    assert_eq!(stores.users.find_user("eu1").await.unwrap(), None);
    assert!(
        stores
            .consents
            .list_consents("eu1")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        stores
            .accounts
            .list_favourites("eu1")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        stores.accounts.list_favourites("eu3").await.unwrap(),
        ["ec"]
    );
    assert!(stores.users.find_user("eu3").await.unwrap().is_some());
    let events = stores
        .audit
        .list_events(&AuditFilter {
            kind: Some("sign_in".into()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let ev = events.iter().find(|e| e.id == "erase-ev").unwrap();
    assert_eq!((ev.email.as_ref(), ev.ip.as_ref()), (None, None));
    assert!(stores.accounts.deletion_due(2000).await.unwrap().is_empty());
    // Erasing again (an interrupted purge) is harmless.
    stores.accounts.erase_user("eu1").await.unwrap();
}
