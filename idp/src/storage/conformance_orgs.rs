//! The conformance suite for organisations: members, roles and invitations.

use crate::storage::{Invitation, MemberChange, Membership, Organization, StorageError, Stores};

pub async fn orgs(stores: &Stores) {
    let o = &stores.orgs;
    let org = |id: &str, name: &str| Organization {
        id: id.into(),
        name: name.into(),
        business_id: Some("CHE-1".into()),
        status: "active".into(),
        created_at: 1,
        updated_at: 1,
    };
    o.create_org(&org("o2", "Beta")).await.unwrap();
    o.create_org(&org("o1", "Alpha")).await.unwrap();
    o.create_org(&org("o3", "Gamma")).await.unwrap();
    assert_eq!(
        o.create_org(&org("o1", "X")).await,
        Err(StorageError::Conflict)
    );
    let page = o.list_orgs(1, 1).await.unwrap();
    assert_eq!(
        (page.total, page.items[0].id.as_str()),
        (3, "o2"),
        "by name"
    );
    let mut renamed = org("o1", "Alpha AG");
    renamed.updated_at = 5;
    assert!(o.update_org(&renamed).await.unwrap());
    assert_eq!(o.find_org("o1").await.unwrap(), Some(renamed));
    assert!(!o.update_org(&org("nope", "x")).await.unwrap());

    let member = |u: &str, roles: &[&str], at: i64| Membership {
        org_id: "o1".into(),
        user_id: u.into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        services: vec!["shop".into()],
        created_at: at,
    };
    o.add_member(&member("u1", &["admin"], 1)).await.unwrap();
    o.add_member(&member("u2", &["clerk"], 2)).await.unwrap();
    assert_eq!(
        o.add_member(&member("u2", &["clerk"], 3)).await,
        Err(StorageError::Conflict)
    );
    assert_eq!(
        o.find_member("o1", "u2").await.unwrap(),
        Some(member("u2", &["clerk"], 2))
    );
    let page = o.list_members("o1", 0, 10).await.unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items[0].user_id, "u1");

    // The last admin can be neither demoted nor removed; a second admin makes both possible.
    assert_eq!(
        o.update_member(&member("u1", &["clerk"], 1)).await.unwrap(),
        MemberChange::LastAdmin
    );
    assert_eq!(
        o.remove_member("o1", "u1").await.unwrap(),
        MemberChange::LastAdmin
    );
    assert_eq!(
        o.update_member(&member("u2", &["admin", "clerk"], 2))
            .await
            .unwrap(),
        MemberChange::Done
    );
    assert_eq!(
        o.remove_member("o1", "u1").await.unwrap(),
        MemberChange::Done
    );
    assert_eq!(
        o.remove_member("o1", "u1").await.unwrap(),
        MemberChange::NotFound
    );
    assert_eq!(
        o.remove_member("o1", "u2").await.unwrap(),
        MemberChange::LastAdmin
    );
    assert_eq!(
        o.update_member(&member("u9", &[], 1)).await.unwrap(),
        MemberChange::NotFound
    );
    let mut m3 = member("u2", &[], 9);
    m3.org_id = "o3".into();
    o.add_member(&m3).await.unwrap();
    let mine = o.memberships_of("u2").await.unwrap();
    assert_eq!(mine.len(), 2);

    let inv = Invitation {
        id: "i1".into(),
        token_hash: "th1".into(),
        org_id: "o1".into(),
        email: "new@post.test".into(),
        roles: vec!["clerk".into()],
        services: vec!["*".into()],
        created_at: 10,
        expires_at: 100,
        accepted_at: None,
    };
    o.create_invitation(&inv).await.unwrap();
    assert_eq!(o.find_invitation("th1").await.unwrap(), Some(inv.clone()));
    assert_eq!(
        o.accept_invitation("th1", 100).await.unwrap(),
        None,
        "expired at 100"
    );
    let accepted = o.accept_invitation("th1", 50).await.unwrap().unwrap();
    assert_eq!(accepted.accepted_at, Some(50));
    assert_eq!(
        o.accept_invitation("th1", 51).await.unwrap(),
        None,
        "single use"
    );

    assert!(o.delete_org("o1").await.unwrap());
    assert!(!o.delete_org("o1").await.unwrap());
    assert_eq!(o.find_member("o1", "u2").await.unwrap(), None);
    assert_eq!(o.find_invitation("th1").await.unwrap(), None);
    assert_eq!(o.memberships_of("u2").await.unwrap().len(), 1);
}

/// Revoking an organisation's grants: all of them, one member's, or one member's but for the
/// clients they may still use; personal grants and other organisations' stay.
pub async fn org_grants(stores: &Stores) {
    let g = &stores.grants;
    for (id, user, client, org) in [
        ("og1", "gu1", "gc1", Some("go1")),
        ("og2", "gu1", "gc2", Some("go1")),
        ("og3", "gu2", "gc1", Some("go1")),
        ("og4", "gu1", "gc1", None),
        ("og5", "gu1", "gc1", Some("go2")),
    ] {
        g.create_grant(&super::sample_grant(id, user, client, org))
            .await
            .unwrap();
    }
    let revoked = |id: &'static str| async move {
        g.find_grant(id)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    };
    let keep = ["gc2".to_owned()];
    assert_eq!(
        g.revoke_org_grants("go1", Some("gu1"), &keep, 200)
            .await
            .unwrap(),
        1
    );
    assert!(revoked("og1").await);
    assert!(!revoked("og2").await, "a client the member keeps");
    assert!(!revoked("og3").await, "another member");
    assert!(!revoked("og4").await, "a personal grant");
    assert!(!revoked("og5").await, "another organisation");
    assert_eq!(g.revoke_org_grants("go1", None, &[], 300).await.unwrap(), 2);
    assert!(revoked("og2").await && revoked("og3").await);
    assert!(!revoked("og4").await && !revoked("og5").await);
    assert_eq!(g.revoke_org_grants("go1", None, &[], 400).await.unwrap(), 0);
}

/// Two admins demoting (or removing) each other at the same moment: one succeeds, the other
/// is refused, and the organisation keeps exactly one admin. Repeated, since a race is not
/// lost on every run.
pub async fn concurrent_demotion(stores: &Stores) {
    let o = &stores.orgs;
    o.create_org(&Organization {
        id: "race".into(),
        name: "Race AG".into(),
        business_id: None,
        status: "active".into(),
        created_at: 1,
        updated_at: 1,
    })
    .await
    .unwrap();
    let member = |u: &str, roles: &[&str]| Membership {
        org_id: "race".into(),
        user_id: u.into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        services: vec![],
        created_at: 1,
    };
    o.add_member(&member("r1", &["admin"])).await.unwrap();
    o.add_member(&member("r2", &["admin"])).await.unwrap();
    let admins = || async {
        o.list_members("race", 0, 10)
            .await
            .unwrap()
            .items
            .iter()
            .filter(|m| m.is_admin())
            .count()
    };
    for round in 0..6 {
        let (a, b) = (o.clone(), o.clone());
        let removing = round % 2 == 1;
        let change = move |store: std::sync::Arc<dyn crate::storage::OrgStore>, u: &'static str| {
            tokio::spawn(async move {
                if removing {
                    store.remove_member("race", u).await
                } else {
                    store.update_member(&member(u, &["clerk"])).await
                }
            })
        };
        let (one, two) = (change(a, "r1"), change(b, "r2"));
        let mut outcomes = [one.await.unwrap().unwrap(), two.await.unwrap().unwrap()];
        outcomes.sort_by_key(|c| c == &MemberChange::Done);
        assert_eq!(
            outcomes,
            [MemberChange::LastAdmin, MemberChange::Done],
            "round {round}"
        );
        assert_eq!(admins().await, 1, "round {round}");
        // Back to two admins for the next round.
        for u in ["r1", "r2"] {
            match o.find_member("race", u).await.unwrap() {
                Some(_) => {
                    o.update_member(&member(u, &["admin"])).await.unwrap();
                }
                None => o.add_member(&member(u, &["admin"])).await.unwrap(),
            }
        }
        assert_eq!(admins().await, 2);
    }

    // The same member promoted twice at once (a double submit) counts once: otherwise the
    // count drifts above the real admins and a later demotion leaves none.
    for round in 0..6 {
        o.update_member(&member("r2", &["clerk"])).await.unwrap();
        let promote = |store: std::sync::Arc<dyn crate::storage::OrgStore>| {
            tokio::spawn(async move { store.update_member(&member("r2", &["admin"])).await })
        };
        let (one, two) = (promote(o.clone()), promote(o.clone()));
        one.await.unwrap().unwrap();
        two.await.unwrap().unwrap();
        assert_eq!(
            o.update_member(&member("r1", &["clerk"])).await.unwrap(),
            MemberChange::Done,
            "round {round}"
        );
        assert_eq!(
            o.update_member(&member("r2", &["clerk"])).await.unwrap(),
            MemberChange::LastAdmin,
            "round {round}: r2 is the only admin"
        );
        o.update_member(&member("r1", &["admin"])).await.unwrap();
    }
    assert_eq!(admins().await, 2);
}
