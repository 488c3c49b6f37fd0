//! The client administration part of the suite: paging, conditional updates, the fields a
//! rotation and a disable write.

use super::{Stores, face_named, sample_client};
use crate::model::{ClientName, Lang};

pub async fn client_admin(stores: &Stores) {
    let c = &stores.clients;
    for id in ["pg-c", "pg-a", "pg-b"] {
        c.create_client(&sample_client(id)).await.unwrap();
    }
    let before = c.list_clients(0, 1000).await.unwrap();
    let ours: Vec<_> = before
        .items
        .iter()
        .map(|c| c.client_id.as_str())
        .filter(|id| id.starts_with("pg-"))
        .collect();
    assert_eq!(ours, ["pg-a", "pg-b", "pg-c"], "ordered by client id");
    assert_eq!(before.total, before.items.len() as u64);
    // Pages partition the whole list in the same order.
    let mut paged = Vec::new();
    for offset in (0..before.total).step_by(2) {
        let page = c.list_clients(offset, 2).await.unwrap();
        assert_eq!(page.total, before.total);
        assert!(page.items.len() <= 2);
        paged.extend(page.items);
    }
    assert_eq!(paged, before.items);
    assert!(
        c.list_clients(before.total, 5)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(c.all_clients().await.unwrap(), before.items);

    // An update writes every field but the id and creation time, and bumps the revision.
    let mut changed = sample_client("pg-a");
    changed.face = face_named("Renamed");
    // Every language of the name and logo is written, and a name may be only in one.
    changed.face.names.set(None, None);
    changed
        .face
        .names
        .set(Some(Lang::Sv), Some(ClientName::parse("Paket").unwrap()));
    changed.redirect_uris = vec!["https://new.example/cb".into()];
    changed.disabled = true;
    changed.secret_hash = Some("new-hash".into());
    changed.previous_secret_hash = Some("hash".into());
    changed.previous_secret_expires_at = Some(1_800_000_000);
    changed.disabled_at = Some(1_700_000_500);
    changed.created_at = 5;
    changed.updated_at = 1_700_000_100;
    changed.keys = Some(crate::storage::ClientKeys::Jwks(r#"{"keys":[]}"#.into()));
    assert!(c.update_client(&changed, 0).await.unwrap());
    let stored = c.find_client("pg-a").await.unwrap().unwrap();
    assert_eq!(
        stored,
        super::Client {
            revision: 1,
            created_at: sample_client("pg-a").created_at,
            ..changed.clone()
        }
    );
    assert!(
        !c.update_client(&changed, 0).await.unwrap(),
        "a stale revision is refused"
    );
    assert_eq!(c.find_client("pg-a").await.unwrap().unwrap().revision, 1);
    changed.previous_secret_hash = None;
    changed.previous_secret_expires_at = None;
    let by_uri = crate::storage::ClientKeys::JwksUri("https://rp.example/jwks".into());
    changed.keys = Some(by_uri.clone());
    assert!(c.update_client(&changed, 1).await.unwrap());
    let stored = c.find_client("pg-a").await.unwrap().unwrap();
    assert_eq!((stored.revision, stored.previous_secret_hash), (2, None));
    assert_eq!(
        stored.keys,
        Some(by_uri),
        "a JWK Set URL replaces a stored set"
    );
    assert!(
        !c.update_client(&sample_client("pg-none"), 0).await.unwrap(),
        "an unknown client is not created by an update"
    );
    assert_eq!(c.find_client("pg-none").await.unwrap(), None);
}

/// Two writers that read the same revision update at the same moment: exactly one wins, and
/// the record is that writer's. Repeated, since a race is not lost on every run.
pub async fn concurrent_client_updates(stores: &Stores) {
    let c = &stores.clients;
    c.create_client(&sample_client("race-c")).await.unwrap();
    for round in 0..6i64 {
        let write = |name: &'static str| {
            let store = c.clone();
            let mut client = sample_client("race-c");
            client.face = face_named(name);
            tokio::spawn(async move { store.update_client(&client, round).await })
        };
        let (one, two) = (write("one"), write("two"));
        let (one, two) = (one.await.unwrap().unwrap(), two.await.unwrap().unwrap());
        assert!(one ^ two, "round {round}: exactly one writer wins");
        let stored = c.find_client("race-c").await.unwrap().unwrap();
        assert_eq!(stored.revision, round + 1);
        assert_eq!(stored.face, face_named(if one { "one" } else { "two" }));
    }
}
