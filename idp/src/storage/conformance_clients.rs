//! The clients' part of the suite: create, find and delete, their names and logos, and the
//! administration (paging, conditional updates, the fields a rotation and a disable write).

use super::{Consent, StorageError, Stores, sample_client};
use crate::model::{
    ClientFace, ClientName, ImageKind, Lang, Logo, LogoId,
    oauth::{AccessTokenFormat, Scope},
};
use crate::storage::StoredLogo;

pub async fn clients(stores: &Stores) {
    let c = sample_client("tracking");
    stores.clients.create_client(&c).await.unwrap();
    assert_eq!(
        stores.clients.find_client("tracking").await.unwrap(),
        Some(c.clone())
    );
    assert_eq!(
        stores.clients.create_client(&c).await,
        Err(StorageError::Conflict),
        "a second client with the same id must be refused"
    );
    assert_eq!(stores.clients.find_client("nope").await.unwrap(), None);
    let mut other = sample_client("another");
    other.public = true;
    other.secret_hash = None;
    other.id_token_alg = None;
    other.access_token_format = AccessTokenFormat::Jwt;
    stores.clients.create_client(&other).await.unwrap();
    let ids: Vec<_> = stores
        .clients
        .list_clients(0, 10)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.client_id)
        .collect();
    assert_eq!(ids, vec!["another".to_string(), "tracking".to_string()]);
    assert_eq!(
        stores.clients.find_client("another").await.unwrap(),
        Some(other)
    );
    // A deleted client takes its consents along: a client made again under the same id
    // must ask anew.
    let consent = Consent {
        user_id: "cu1".into(),
        client_id: "another".into(),
        scope: Scope::from_iter(["openid"]),
        claims: Default::default(),
        granted_at: 1,
    };
    stores.consents.save_consent(&consent).await.unwrap();
    stores.clients.delete_client("another").await.unwrap();
    assert_eq!(stores.clients.find_client("another").await.unwrap(), None);
    assert_eq!(
        stores
            .consents
            .find_consent("cu1", "another")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        stores.clients.delete_client("another").await,
        Err(StorageError::NotFound)
    );
}

/// A name untagged and in French, a logo untagged and in German.
pub(super) fn face_named(name: &str) -> ClientFace {
    let logo = |n: &str| Logo {
        uri: format!("https://rp.example/{n}.png"),
        id: LogoId::of(n.as_bytes()),
    };
    let mut face = ClientFace::default();
    face.names.set(None, Some(ClientName::parse(name).unwrap()));
    let french = format!("{name} (fr)");
    face.names
        .set(Some(Lang::Fr), Some(ClientName::parse(&french).unwrap()));
    face.logos.set(None, Some(logo(name)));
    face.logos.set(Some(Lang::De), Some(logo("de")));
    face
}

/// Logos are stored once per content, and found by their id.
pub async fn logos(stores: &Stores) {
    let png = b"\x89PNG\r\n\x1a\n conformance".to_vec();
    let logo = StoredLogo::new(ImageKind::Png, png.clone(), 1_700_000_000);
    assert_eq!(stores.logos.find_logo(&logo.id).await.unwrap(), None);
    stores.logos.put_logo(&logo).await.unwrap();
    // The same bytes again (another client, a retry) are the same row.
    let again = StoredLogo::new(ImageKind::Png, png, 1_800_000_000);
    stores.logos.put_logo(&again).await.unwrap();
    assert_eq!(stores.logos.find_logo(&logo.id).await.unwrap(), Some(logo));
    let gif = StoredLogo::new(ImageKind::Gif, b"GIF89a conformance".to_vec(), 5);
    stores.logos.put_logo(&gif).await.unwrap();
    assert_eq!(stores.logos.find_logo(&gif.id).await.unwrap(), Some(gif));
}

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
