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
