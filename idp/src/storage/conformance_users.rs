//! The conformance suite for the management API's users: revisions and the conditional
//! update, the search, a user's grants, and the directory of their sessions.

use super::super::{Grant, SessionRecord, Stores, User, UserFilter, UserStatus};
use super::{sample_grant, sample_user};
use crate::model::Assurance;

pub async fn user_revisions(stores: &Stores) {
    let users = &stores.users;
    let u = sample_user("rev1", "rev1@revisions.test");
    users.create_user(&u).await.unwrap();
    let mut changed = u.clone();
    changed.given_name = Some("Anna".into());
    assert!(users.update_user_if(&changed, u.revision).await.unwrap());
    let read = users.find_user("rev1").await.unwrap().unwrap();
    assert_eq!(read.given_name.as_deref(), Some("Anna"));
    assert_eq!(read.revision, u.revision + 1);

    changed.given_name = Some("Stale".into());
    assert!(
        !users.update_user_if(&changed, u.revision).await.unwrap(),
        "the revision read before the last write is stale"
    );
    let kept = users.find_user("rev1").await.unwrap().unwrap();
    assert_eq!(kept, read, "a refused update writes nothing");

    // Of two writers holding one revision, exactly one wins.
    let (a, b) = {
        let mut a = read.clone();
        a.family_name = Some("A".into());
        let mut b = read.clone();
        b.family_name = Some("B".into());
        (a, b)
    };
    let (ra, rb) = tokio::join!(
        users.update_user_if(&a, read.revision),
        users.update_user_if(&b, read.revision)
    );
    assert!(
        ra.unwrap() ^ rb.unwrap(),
        "exactly one conditional update wins"
    );
    let after = users.find_user("rev1").await.unwrap().unwrap();
    assert_eq!(after.revision, read.revision + 1);

    // Every other write bumps it too, so an ETag read before it is stale.
    users
        .set_password_hash("rev1", "h2", 1_800_000_000)
        .await
        .unwrap();
    let hashed = users.find_user("rev1").await.unwrap().unwrap();
    assert_eq!(hashed.revision, after.revision + 1);
    assert!(!users.update_user_if(&after, after.revision).await.unwrap());

    let mut ghost = sample_user("rev-missing", "ghost@revisions.test");
    ghost.revision = 0;
    assert!(!users.update_user_if(&ghost, 0).await.unwrap(), "gone");
}

fn person(n: usize, given: &str, family: &str, phone: &str) -> User {
    let mut u = sample_user(&format!("srch{n:03}"), &format!("p{n:03}@search.test"));
    u.given_name = Some(given.into());
    u.family_name = Some(family.into());
    u.phone = Some(phone.into());
    // Pairs share a creation time: the id breaks the tie.
    u.created_at = 1_600_000_000 + (n as i64 / 2);
    u
}

async fn ids(stores: &Stores, f: &UserFilter) -> Vec<String> {
    let found = stores.users.search_users(f, 0, 100).await.unwrap();
    assert_eq!(found.total, found.items.len() as u64, "{f:?}");
    found.items.into_iter().map(|u| u.id).collect()
}

pub async fn user_search(stores: &Stores) {
    let users = &stores.users;
    let people = [
        person(0, "Anna", "Muster", "+41791110000"),
        person(1, "Beat", "Anderegg", "+41792220000"),
        person(2, "Carla", "Rossi", "+39333111222"),
        person(3, "Dario", "50%_off", "+41793330000"),
        person(4, "Elena", "5000xoff", "+41794440000"),
    ];
    for p in &people {
        users.create_user(p).await.unwrap();
    }
    let mut disabled = people[1].clone();
    disabled.disabled = true;
    users.update_user(&disabled).await.unwrap();
    let mut leaving = people[2].clone();
    leaving.disabled = true;
    leaving.deletion_requested_at = Some(1_700_000_000);
    users.update_user(&leaving).await.unwrap();

    let f = |email: &str| UserFilter {
        email: Some(email.into()),
        ..Default::default()
    };
    let all = ids(stores, &f("@SEARCH.test")).await;
    assert_eq!(all, ["srch000", "srch001", "srch002", "srch003", "srch004"]);
    assert_eq!(ids(stores, &f("P002@")).await, ["srch002"], "ignoring case");

    let name = |n: &str| UserFilter {
        name: Some(n.into()),
        ..f("@search.test")
    };
    assert_eq!(
        ids(stores, &name("and")).await,
        ["srch001"],
        "the family name, ignoring case"
    );
    assert_eq!(
        ids(stores, &name("ANNA")).await,
        ["srch000"],
        "the given name"
    );
    assert_eq!(ids(stores, &name("an")).await, ["srch000", "srch001"]);
    assert_eq!(
        ids(stores, &name("0%_")).await,
        ["srch003"],
        "% and _ are literal, not wildcards"
    );
    assert!(ids(stores, &name("5_00")).await.is_empty(), "_ is literal");
    assert!(ids(stores, &f("%")).await.is_empty(), "% is literal");

    let phone = |p: &str| UserFilter {
        phone: Some(p.into()),
        ..f("@search.test")
    };
    assert_eq!(
        ids(stores, &phone("+39333111222")).await,
        ["srch002"],
        "exact"
    );
    assert_eq!(ids(stores, &phone("2220000")).await, ["srch001"], "a part");

    let status = |s: UserStatus| UserFilter {
        status: Some(s),
        ..f("@search.test")
    };
    assert_eq!(
        ids(stores, &status(UserStatus::Active)).await,
        ["srch000", "srch003", "srch004"]
    );
    assert_eq!(
        ids(stores, &status(UserStatus::Disabled)).await,
        ["srch001"]
    );
    assert_eq!(
        ids(stores, &status(UserStatus::PendingDeletion)).await,
        ["srch002"]
    );

    // The assurance level as `User::assurance` computes it: evidence makes verified; the
    // others are basic with both contacts confirmed (as sampled), unverified without.
    let check = crate::model::IdentityCheck {
        method: crate::model::ProofMethod::Counter,
        at: 1_700_000_000,
        by_client: Some("counter-app".into()),
        by_user: None,
        reference: None,
    };
    users
        .set_identity_check("srch003", Some(&check), 1_700_000_000)
        .await
        .unwrap();
    let mut unconfirmed = people[4].clone();
    unconfirmed.phone_verified = false;
    users.update_user(&unconfirmed).await.unwrap();
    let level = |a: Assurance| UserFilter {
        assurance: Some(a),
        ..f("@search.test")
    };
    assert_eq!(ids(stores, &level(Assurance::Verified)).await, ["srch003"]);
    assert_eq!(
        ids(stores, &level(Assurance::Basic)).await,
        ["srch000", "srch001", "srch002"]
    );
    assert_eq!(
        ids(stores, &level(Assurance::Unverified)).await,
        ["srch004"]
    );
    for a in [Assurance::Verified, Assurance::Basic, Assurance::Unverified] {
        for id in ids(stores, &level(a)).await {
            let u = users.find_user(&id).await.unwrap().unwrap();
            assert_eq!(u.assurance(), a, "the filter agrees with User::assurance");
        }
    }

    // Pages in the stable order, each user once, the total on every page.
    let mut seen = Vec::new();
    for offset in [0, 2, 4] {
        let page = users
            .search_users(&f("@search.test"), offset, 2)
            .await
            .unwrap();
        assert_eq!(page.total, 5);
        seen.extend(page.items.into_iter().map(|u| u.id));
    }
    assert_eq!(seen, all);
}

pub async fn user_grants(stores: &Stores) {
    let g = &stores.grants;
    let grant = |id: &str, user: &str, at: i64| Grant {
        created_at: at,
        ..sample_grant(id, user, "ug-client", None)
    };
    for gr in [
        grant("ug1", "ug-user", 10),
        grant("ug2", "ug-user", 30),
        grant("ug3", "ug-user", 30),
        grant("ug4", "ug-other", 40),
        grant("ug5", "ug-user", 20),
    ] {
        g.create_grant(&gr).await.unwrap();
    }
    assert!(g.revoke_grant("ug5", 50).await.unwrap());
    let page = g.list_user_grants("ug-user", 0, 2).await.unwrap();
    assert_eq!(page.total, 3, "the active grants of the user only");
    let ids: Vec<_> = page.items.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["ug2", "ug3"], "newest first, then by id");
    let rest = g.list_user_grants("ug-user", 2, 2).await.unwrap();
    assert_eq!(rest.items, vec![grant("ug1", "ug-user", 10)]);
    assert_eq!(g.list_user_grants("nobody", 0, 10).await.unwrap().total, 0);
}

/// Sessions opened in the same second list in one order every time (the id breaks the tie),
/// so the management API's pages of them neither repeat nor skip one.
pub async fn session_ties(stores: &Stores) {
    let record = |id: &str| SessionRecord {
        id: id.into(),
        user_id: "tie-user".into(),
        cookie_hash: format!("hash-{id}"),
        created_at: 2000,
        expires_at: 3000,
        user_agent: None,
        ip: None,
    };
    for id in ["tie-z", "tie-a", "tie-m"] {
        stores.sessions.insert_session(&record(id)).await.unwrap();
    }
    let listed = stores
        .sessions
        .list_sessions("tie-user", 2500)
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["tie-a", "tie-m", "tie-z"]);
}

pub async fn sessions(stores: &Stores) {
    let record = |id: &str, user: &str, created: i64| SessionRecord {
        id: id.into(),
        user_id: user.into(),
        cookie_hash: format!("hash-{id}"),
        created_at: created,
        expires_at: created + 100,
        user_agent: Some("Firefox on Linux".into()),
        ip: Some("192.0.2.1".into()),
    };
    let s = &stores.sessions;
    s.insert_session(&record("s-a", "su1", 1000)).await.unwrap();
    s.insert_session(&record("s-b", "su1", 1050)).await.unwrap();
    s.insert_session(&record("s-c", "su2", 1000)).await.unwrap();
    let listed = s.list_sessions("su1", 1060).await.unwrap();
    assert_eq!(
        listed,
        vec![record("s-b", "su1", 1050), record("s-a", "su1", 1000)]
    );
    assert_eq!(
        s.list_sessions("su1", 1120).await.unwrap(),
        vec![record("s-b", "su1", 1050)],
        "expired ones are not listed"
    );
    assert_eq!(
        s.delete_session("su2", "s-a").await.unwrap(),
        None,
        "only the owner ends a session"
    );
    assert_eq!(
        s.delete_session("su1", "s-a").await.unwrap(),
        Some(record("s-a", "su1", 1000))
    );
    let ended = s.delete_session_by_cookie_hash("hash-s-c").await.unwrap();
    assert_eq!(ended.map(|r| r.id).as_deref(), Some("s-c"));
    assert!(s.list_sessions("su2", 0).await.unwrap().is_empty());
    assert_eq!(
        s.delete_session_by_cookie_hash("hash-s-c").await.unwrap(),
        None,
        "a session ends once"
    );
    s.insert_session(&record("s-d", "su1", 1000)).await.unwrap();
    let all = s.delete_user_sessions("su1").await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(s.list_sessions("su1", 0).await.unwrap().is_empty());
    s.insert_session(&record("s-e", "su3", 1000)).await.unwrap();
    let expired = s.delete_expired_sessions(1100, 10).await.unwrap();
    assert_eq!(
        expired.into_iter().map(|r| r.id).collect::<Vec<_>>(),
        ["s-e"]
    );
    assert!(
        s.delete_expired_sessions(1100, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.list_sessions("su3", 0).await.unwrap().is_empty());
}
