//! One behaviour suite for every backend: each store implementation's tests call these
//! functions, so SQLite, PostgreSQL, memory and Redis are held to the same contract.
//!
//! The functions panic on a broken contract (they are test code compiled into the library so
//! that integration tests of every backend can share them).

use super::{
    AuditEvent, AuditFilter, Client, Consent, Grant, RefreshPresenter, RefreshToken, RefreshUse,
    StorageError, Stores, User,
};
use crate::model::oauth::{AccessTokenFormat, Scope, SigningAlg};

// The account console's part of the suite, in a file of its own.
#[path = "conformance_accounts.rs"]
mod accounts;
use accounts::{consent_list_and_client_grants, erasure, favourites};
#[path = "conformance_orgs.rs"]
mod orgs;
pub use orgs::{concurrent_demotion, org_grants, orgs};
#[path = "conformance_ephemeral.rs"]
mod ephemeral;
pub use ephemeral::ephemeral;
#[path = "conformance_clients.rs"]
mod client_admin;
use client_admin::face_named;
pub use client_admin::{client_admin, clients, concurrent_client_updates, logos};
#[path = "conformance_audit.rs"]
mod audit_filters;
pub use audit_filters::audit_filters;
#[path = "conformance_users.rs"]
mod users_admin;
pub use users_admin::{session_ties, sessions, user_grants, user_revisions, user_search};
#[path = "conformance_assurance.rs"]
mod assurance;
pub use assurance::assurance;
#[path = "conformance_credentials.rs"]
mod credentials;
pub use credentials::credentials;
#[path = "conformance_legacy.rs"]
mod legacy_accounts;
pub use legacy_accounts::legacy;
#[path = "conformance_logouts.rs"]
mod logouts;
pub use logouts::{concurrent_logout_claims, logout_deliveries, session_grants};
#[path = "conformance_rotation.rs"]
mod rotation;
pub use rotation::{rotation_with_successor, rotations_at_once};

/// A client with every field set (for the suite and the migration tests).
pub fn sample_client(id: &str) -> Client {
    Client {
        client_id: id.into(),
        secret_hash: Some("hash".into()),
        face: face_named("Parcel tracking"),
        redirect_uris: vec![
            "https://rp.example/cb".into(),
            "https://rp.example/cb2".into(),
        ],
        post_logout_redirect_uris: vec!["https://rp.example/bye".into()],
        public: false,
        first_party: true,
        require_pkce: true,
        grant_types: vec!["authorization_code".into(), "refresh_token".into()],
        scopes: Scope::from_iter(["openid", "email"]),
        id_token_alg: Some(SigningAlg::ES256),
        access_token_format: AccessTokenFormat::Opaque,
        min_acr: Some("urn:postern:acr:2fa".into()),
        org_mode: super::OrgMode::Business,
        created_at: 1_700_000_000,
        updated_at: 1_700_000_001,
        description: Some("Follow your parcels".into()),
        launch_url: Some("https://rp.example/".into()),
        revision: 0,
        disabled: false,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        disabled_at: None,
        require_verified: false,
        keys: None,
        backchannel_logout: Some(super::BackchannelLogout {
            uri: "https://rp.example/backchannel".into(),
            session_required: true,
        }),
        require_par: true,
        request_object_alg: Some("PS256".into()),
        dpop_bound: true,
        profile: crate::model::oauth::ClientProfile::Fapi2,
    }
}

/// An active grant of `user` to `client` made at 100, in organisation `org` if any.
pub(super) fn sample_grant(id: &str, user: &str, client: &str, org: Option<&str>) -> Grant {
    Grant {
        id: id.into(),
        client_id: client.into(),
        user_id: Some(user.into()),
        session_id: None,
        scope: Scope::from_iter(["openid"]),
        auth_time: None,
        acr: None,
        amr: vec![],
        claims: None,
        created_at: 100,
        revoked_at: None,
        org_id: org.map(str::to_owned),
    }
}

pub(super) fn sample_user(id: &str, email: &str) -> User {
    User {
        id: id.into(),
        email: email.into(),
        email_verified: true,
        password_hash: Some("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into()),
        given_name: Some("Élodie".into()),
        family_name: Some("Martin".into()),
        phone: Some("+41791234567".into()),
        phone_verified: true,
        locale: Some("fr".into()),
        disabled: false,
        created_at: 1_700_000_000,
        updated_at: 1_700_000_000,
        birthdate: Some("1990-04-01".into()),
        street_address: Some("Rue du Marché 3".into()),
        postal_code: Some("1204".into()),
        locality: Some("Genève".into()),
        country: Some("CH".into()),
        terms_version: Some("2026-01".into()),
        terms_accepted_at: Some(1_700_000_000),
        deletion_requested_at: None,
        revision: 0,
        ..Default::default()
    }
}

pub async fn users(stores: &Stores) {
    let u = sample_user("u1", "elodie@example.ch");
    stores.users.create_user(&u).await.unwrap();
    assert_eq!(stores.users.find_user("u1").await.unwrap(), Some(u.clone()));
    assert_eq!(
        stores
            .users
            .find_user_by_email("elodie@example.ch")
            .await
            .unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        stores
            .users
            .find_user_by_email("other@example.ch")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        stores
            .users
            .find_users_by_phone("+41791234567")
            .await
            .unwrap(),
        vec![u.clone()]
    );
    assert!(
        stores
            .users
            .find_users_by_phone("+41790000000")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        stores
            .users
            .create_user(&sample_user("u2", "elodie@example.ch"))
            .await,
        Err(StorageError::Conflict),
        "one email is one identity"
    );
    stores
        .users
        .set_password_hash("u1", "new-hash", 1_800_000_000)
        .await
        .unwrap();
    let updated = stores.users.find_user("u1").await.unwrap().unwrap();
    assert_eq!(updated.password_hash.as_deref(), Some("new-hash"));
    assert_eq!(updated.updated_at, 1_800_000_000);
    assert_eq!(
        updated.revision,
        u.revision + 1,
        "a new password is a write"
    );
    assert_eq!(
        stores.users.set_password_hash("missing", "h", 1).await,
        Err(StorageError::NotFound)
    );

    let mut changed = updated.clone();
    changed.email = "elodie.new@example.ch".into();
    changed.locale = Some("fr".into());
    changed.phone_verified = true;
    changed.updated_at = 1_800_000_100;
    stores.users.update_user(&changed).await.unwrap();
    let read = stores.users.find_user("u1").await.unwrap().unwrap();
    changed.revision += 1;
    assert_eq!(
        read, changed,
        "every field written, the hash kept, the revision bumped"
    );
    stores
        .users
        .create_user(&sample_user("u3", "taken@example.ch"))
        .await
        .unwrap();
    changed.email = "taken@example.ch".into();
    assert_eq!(
        stores.users.update_user(&changed).await,
        Err(StorageError::Conflict),
        "an update cannot take another account's address"
    );
    let mut ghost = changed.clone();
    ghost.id = "missing".into();
    ghost.email = "ghost@example.ch".into();
    assert_eq!(
        stores.users.update_user(&ghost).await,
        Err(StorageError::NotFound)
    );
}

pub async fn consents(stores: &Stores) {
    assert_eq!(
        stores.consents.find_consent("u1", "c1").await.unwrap(),
        None
    );
    let mut c = Consent {
        user_id: "u1".into(),
        client_id: "c1".into(),
        scope: Scope::from_iter(["openid", "email"]),
        claims: ["birthdate".to_owned()].into(),
        granted_at: 10,
    };
    stores.consents.save_consent(&c).await.unwrap();
    assert_eq!(
        stores.consents.find_consent("u1", "c1").await.unwrap(),
        Some(c.clone())
    );
    c.scope = Scope::from_iter(["openid", "email", "phone"]);
    c.claims.insert("address".into());
    c.granted_at = 20;
    stores.consents.save_consent(&c).await.unwrap();
    assert_eq!(
        stores.consents.find_consent("u1", "c1").await.unwrap(),
        Some(c)
    );
    stores.consents.revoke_consent("u1", "c1").await.unwrap();
    assert_eq!(
        stores.consents.find_consent("u1", "c1").await.unwrap(),
        None
    );
}

pub async fn grants(stores: &Stores) {
    let g = Grant {
        id: "g1".into(),
        client_id: "c1".into(),
        user_id: Some("u1".into()),
        session_id: Some("s1".into()),
        scope: Scope::from_iter(["openid", "offline_access"]),
        auth_time: Some(100),
        acr: Some("urn:postern:acr:1fa".into()),
        amr: vec!["pwd".into()],
        claims: Some(serde_json::json!({"userinfo": {"email": {"essential": true}}})),
        created_at: 100,
        revoked_at: None,
        org_id: Some("o1".into()),
    };
    stores.grants.create_grant(&g).await.unwrap();
    assert_eq!(
        stores.grants.find_grant("g1").await.unwrap(),
        Some(g.clone())
    );
    let rt = RefreshToken {
        token_hash: "rt-hash".into(),
        grant_id: "g1".into(),
        client_id: "c1".into(),
        scope: g.scope.clone(),
        created_at: 100,
        expires_at: 1000,
        used_at: None,
        jkt: Some("thumbprint".into()),
    };
    stores.grants.insert_refresh_token(&rt).await.unwrap();
    assert_eq!(
        stores.grants.find_refresh_token("rt-hash").await.unwrap(),
        Some(rt.clone())
    );
    let by = |client_id: &'static str, jkt: Option<&'static str>, now: i64| RefreshPresenter {
        client_id,
        jkt,
        now,
    };
    let owner = by("c1", Some("thumbprint"), 150);
    assert_eq!(
        stores
            .grants
            .use_refresh_token("nope", owner, None)
            .await
            .unwrap(),
        RefreshUse::Unknown
    );
    // Presented by another client, without the key, with another key, or too late: left
    // unused for its owner.
    for other in [
        by("c2", Some("thumbprint"), 150),
        by("c1", None, 150),
        by("c1", Some("another"), 150),
        by("c1", Some("thumbprint"), 1000),
    ] {
        assert_eq!(
            stores
                .grants
                .use_refresh_token("rt-hash", other, None)
                .await
                .unwrap(),
            RefreshUse::Refused(rt.clone()),
            "{other:?}"
        );
    }

    // Ten concurrent rotations of one token: exactly one consumes it.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let s = stores.clone();
        tasks.push(tokio::spawn(async move {
            s.grants
                .use_refresh_token("rt-hash", owner, None)
                .await
                .unwrap()
        }));
    }
    let mut consumed = 0;
    for t in tasks {
        match t.await.unwrap() {
            RefreshUse::Consumed(tok) => {
                assert_eq!(tok.used_at, Some(150));
                consumed += 1;
            }
            RefreshUse::Refused(tok) => assert_eq!(tok.used_at, Some(150)),
            RefreshUse::Unknown => panic!("the token exists"),
        }
    }
    assert_eq!(consumed, 1, "a refresh token is consumed exactly once");

    // The token of a revoked grant is not consumed, however fresh.
    let orphan = RefreshToken {
        token_hash: "rt-orphan".into(),
        used_at: None,
        ..rt.clone()
    };
    stores.grants.insert_refresh_token(&orphan).await.unwrap();
    assert!(stores.grants.revoke_grant("g1", 160).await.unwrap());
    assert_eq!(
        stores
            .grants
            .use_refresh_token("rt-orphan", owner, None)
            .await
            .unwrap(),
        RefreshUse::Refused(orphan.clone())
    );

    assert!(
        !stores.grants.revoke_grant("g1", 300).await.unwrap(),
        "already revoked"
    );
    assert!(!stores.grants.revoke_grant("unknown", 300).await.unwrap());
    assert_eq!(
        stores
            .grants
            .find_grant("g1")
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        Some(160)
    );

    // Revocation by refresh token: only the token's own client revokes its grant, once.
    let g2 = Grant {
        id: "g2".into(),
        ..g.clone()
    };
    stores.grants.create_grant(&g2).await.unwrap();
    let rt2 = RefreshToken {
        token_hash: "rt2-hash".into(),
        grant_id: "g2".into(),
        ..rt.clone()
    };
    stores.grants.insert_refresh_token(&rt2).await.unwrap();
    let revoke = |hash: &'static str, client: &'static str| {
        let grants = stores.grants.clone();
        async move {
            grants
                .revoke_refresh_grant(hash, client, 170)
                .await
                .unwrap()
        }
    };
    assert!(!revoke("rt2-hash", "c2").await, "another client's token");
    assert!(!revoke("unknown", "c1").await);
    let g2_revoked_at = || async {
        let g2 = stores.grants.find_grant("g2").await.unwrap();
        g2.expect("g2 exists").revoked_at
    };
    assert_eq!(g2_revoked_at().await, None);
    assert!(revoke("rt2-hash", "c1").await);
    assert!(!revoke("rt2-hash", "c1").await, "already revoked");
    assert_eq!(g2_revoked_at().await, Some(170));
}

pub async fn audit(stores: &Stores) {
    let event = |id: &str, at: i64, kind: &str, email: &str| AuditEvent {
        id: id.into(),
        at,
        kind: kind.into(),
        outcome: "failure".into(),
        // The events of a@x.ch belong to account u-a; b@x.ch has none.
        user_id: (email == "a@x.ch").then(|| "u-a".into()),
        email: Some(email.into()),
        client_id: Some("c1".into()),
        ip: Some("192.0.2.7".into()),
        user_agent: Some("test".into()),
        detail: None,
        // Who acted is stored beside whom the event is about.
        actor_client_id: Some("ops-console".into()),
        actor_user_id: (id == "e2").then(|| "u-admin".into()),
    };
    stores
        .audit
        .record_event(&event("e1", 100, "sign_in", "a@x.ch"))
        .await
        .unwrap();
    stores
        .audit
        .record_event(&event("e2", 200, "lock", "a@x.ch"))
        .await
        .unwrap();
    stores
        .audit
        .record_event(&event("e3", 300, "sign_in", "b@x.ch"))
        .await
        .unwrap();
    let all = |f: AuditFilter| {
        let s = stores.clone();
        async move {
            s.audit
                .list_events(&f)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect::<Vec<_>>()
        }
    };
    let base = AuditFilter {
        limit: 100,
        ..Default::default()
    };
    assert_eq!(
        all(base.clone()).await,
        vec!["e3", "e2", "e1"],
        "newest first"
    );
    assert_eq!(
        stores.audit.list_events(&base).await.unwrap()[1],
        event("e2", 200, "lock", "a@x.ch"),
        "every field comes back as recorded"
    );
    assert_eq!(
        all(AuditFilter {
            email: Some("a@x.ch".into()),
            ..base.clone()
        })
        .await,
        vec!["e2", "e1"]
    );
    assert_eq!(
        all(AuditFilter {
            user_id: Some("u-a".into()),
            ..base.clone()
        })
        .await,
        vec!["e2", "e1"]
    );
    assert_eq!(
        all(AuditFilter {
            kind: Some("sign_in".into()),
            ..base.clone()
        })
        .await,
        vec!["e3", "e1"]
    );
    assert_eq!(
        all(AuditFilter {
            since: Some(200),
            ..base.clone()
        })
        .await,
        vec!["e3", "e2"]
    );
    assert_eq!(all(AuditFilter { limit: 1, ..base }).await, vec!["e3"]);
    let back = stores
        .audit
        .list_events(&AuditFilter {
            limit: 1,
            since: Some(300),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(back[0], event("e3", 300, "sign_in", "b@x.ch"));
}

pub async fn locks(stores: &Stores) {
    assert!(!stores.locks.is_locked_permanently("h1").await.unwrap());
    stores.locks.lock_permanently("h1", 10).await.unwrap();
    stores.locks.lock_permanently("h1", 20).await.unwrap();
    assert!(stores.locks.is_locked_permanently("h1").await.unwrap());
    assert!(!stores.locks.is_locked_permanently("h2").await.unwrap());
    assert!(stores.locks.unlock("h1").await.unwrap());
    assert!(!stores.locks.unlock("h1").await.unwrap());
    assert!(!stores.locks.is_locked_permanently("h1").await.unwrap());
}

/// The durable suite in one call.
pub async fn durable(stores: &Stores) {
    clients(stores).await;
    client_admin(stores).await;
    concurrent_client_updates(stores).await;
    logos(stores).await;
    users(stores).await;
    assurance(stores).await;
    consents(stores).await;
    grants(stores).await;
    rotation_with_successor(stores).await;
    rotations_at_once(stores).await;
    audit(stores).await;
    audit_filters(stores).await;
    locks(stores).await;
    credentials(stores).await;
    orgs(stores).await;
    org_grants(stores).await;
    concurrent_demotion(stores).await;
    sessions(stores).await;
    revoke_user_grants(stores).await;
    consent_list_and_client_grants(stores).await;
    favourites(stores).await;
    erasure(stores).await;
    user_revisions(stores).await;
    user_search(stores).await;
    user_grants(stores).await;
    session_ties(stores).await;
    legacy(stores).await;
    logout_deliveries(stores).await;
    concurrent_logout_claims(stores).await;
    session_grants(stores).await;
}

pub async fn revoke_user_grants(stores: &Stores) {
    let grant = |id: &str, user: &str| Grant {
        id: id.into(),
        client_id: "c1".into(),
        user_id: Some(user.into()),
        session_id: None,
        scope: Scope::from_iter(["openid"]),
        auth_time: Some(100),
        acr: None,
        amr: vec![],
        claims: None,
        created_at: 100,
        revoked_at: None,
        org_id: None,
    };
    for (id, user) in [("rg1", "ru1"), ("rg2", "ru1"), ("rg3", "ru2")] {
        stores.grants.create_grant(&grant(id, user)).await.unwrap();
    }
    stores.grants.revoke_grant("rg2", 150).await.unwrap();
    assert_eq!(
        stores.grants.revoke_user_grants("ru1", 200).await.unwrap(),
        1
    );
    let g1 = stores.grants.find_grant("rg1").await.unwrap().unwrap();
    assert_eq!(g1.revoked_at, Some(200));
    let g2 = stores.grants.find_grant("rg2").await.unwrap().unwrap();
    assert_eq!(g2.revoked_at, Some(150), "an earlier revocation stays");
    let g3 = stores.grants.find_grant("rg3").await.unwrap().unwrap();
    assert_eq!(g3.revoked_at, None, "another user's grant is untouched");
}
