//! The legacy accounts' part of the suite (`idp import legacy` and the first sign-in), in a
//! file of its own. Its ids, addresses and services are its own: the suite shares one
//! database between its parts.

use super::super::{LegacyAccount, LegacyBatch, LegacyKey, StorageError, Stores, User};
use super::sample_user;

fn account(service: &str, username: &str, user_id: Option<&str>, hash: &str) -> LegacyAccount {
    LegacyAccount {
        service: service.into(),
        username: username.into(),
        user_id: user_id.map(str::to_owned),
        email: user_id.map(|u| format!("{u}@legacy.example")),
        email_verified: false,
        given_name: Some("Mario".into()),
        family_name: Some("Rossi".into()),
        phone: None,
        password_hash: Some(hash.into()),
        digest: format!("digest of {service}/{username}"),
        legacy_created_at: Some(1_000_000_000),
        imported_at: 1_700_000_000,
        migrated_at: None,
    }
}

fn identity(id: &str) -> User {
    User {
        password_hash: None,
        ..sample_user(id, &format!("{id}@legacy.example"))
    }
}

fn keys_of(accounts: &[LegacyAccount]) -> Vec<(String, String)> {
    let mut k: Vec<(String, String)> = accounts
        .iter()
        .map(|a| (a.service.clone(), a.username.clone()))
        .collect();
    k.sort();
    k
}

pub async fn legacy(stores: &Stores) {
    let l = &stores.legacy;
    let parcels = account("lg-parcels", "MRossi", Some("lg-u1"), "$1$a$hash1");
    let bank = account("lg-bank", "mrossi", Some("lg-u1"), "$1$b$hash2");
    let shop = account("lg-shop", "anna", Some("lg-u1"), "$1$c$hash3");
    let pending = account("lg-bank", "anna", None, "$1$d$hash4");
    l.import_legacy(&LegacyBatch {
        users: vec![identity("lg-u1")],
        accounts: vec![parcels.clone(), bank.clone(), shop.clone(), pending.clone()],
    })
    .await
    .unwrap();
    assert_eq!(
        stores.users.find_user("lg-u1").await.unwrap(),
        Some(identity("lg-u1")),
        "the batch's identities are written with it"
    );

    // Found by key in any service, the username in any case; unknown keys are left out.
    let mut found = l
        .find_legacy(&[
            LegacyKey::new("lg-parcels", "mrossi"),
            LegacyKey::new("lg-bank", " MROSSI "),
            LegacyKey::new("lg-bank", "nobody"),
            LegacyKey::new("lg-nowhere", "mrossi"),
        ])
        .await
        .unwrap();
    found.sort_by_key(LegacyAccount::key);
    assert_eq!(found, [bank.clone(), parcels.clone()]);
    assert!(l.find_legacy(&[]).await.unwrap().is_empty());

    // A batch that clashes with a stored row writes nothing, not even its new identity.
    let clash = l
        .import_legacy(&LegacyBatch {
            users: vec![identity("lg-u9")],
            accounts: vec![
                account("lg-parcels", "fresh", Some("lg-u9"), "$1$e$hash"),
                account("lg-parcels", "mrossi", Some("lg-u9"), "$1$f$hash"),
            ],
        })
        .await;
    assert_eq!(clash, Err(StorageError::Conflict));
    assert_eq!(stores.users.find_user("lg-u9").await.unwrap(), None);
    assert!(
        l.find_legacy(&[LegacyKey::new("lg-parcels", "fresh")])
            .await
            .unwrap()
            .is_empty(),
        "a refused batch leaves no account behind"
    );
    assert_eq!(
        l.find_legacy(&[parcels.key()]).await.unwrap(),
        std::slice::from_ref(&parcels),
        "nor changes the stored one"
    );

    // Addresses to identities; unknown addresses are left out.
    stores.users.create_user(&identity("lg-u2")).await.unwrap();
    let mut ids = l
        .user_ids_by_email(&[
            "lg-u1@legacy.example".into(),
            "lg-u2@legacy.example".into(),
            "nobody@legacy.example".into(),
        ])
        .await
        .unwrap();
    ids.sort();
    assert_eq!(
        ids,
        [
            ("lg-u1@legacy.example".to_owned(), "lg-u1".to_owned()),
            ("lg-u2@legacy.example".to_owned(), "lg-u2".to_owned()),
        ]
    );
    assert!(l.user_ids_by_email(&[]).await.unwrap().is_empty());

    // By username: in every service (by service), or in one.
    let both = l.legacy_by_username("mrossi", None).await.unwrap();
    assert_eq!(both, [bank.clone(), parcels.clone()]);
    assert_eq!(
        l.legacy_by_username("mrossi", Some("lg-parcels"))
            .await
            .unwrap(),
        std::slice::from_ref(&parcels)
    );
    assert!(
        l.legacy_by_username("mrossi", Some("lg-shop"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        l.legacy_by_username("MRossi", None)
            .await
            .unwrap()
            .is_empty(),
        "the argument is a username key, already lower-cased"
    );

    // An identity's accounts, by service then username.
    assert_eq!(
        l.legacy_of_user("lg-u1").await.unwrap(),
        [bank.clone(), parcels.clone(), shop.clone()]
    );
    assert!(l.legacy_of_user("lg-u2").await.unwrap().is_empty());

    // A pending account is attached once; an attached one is not moved.
    assert!(l.attach_legacy(&pending.key(), "lg-u2").await.unwrap());
    assert!(!l.attach_legacy(&pending.key(), "lg-u1").await.unwrap());
    assert!(!l.attach_legacy(&parcels.key(), "lg-u2").await.unwrap());
    assert!(
        !l.attach_legacy(&LegacyKey::new("lg-bank", "nobody"), "lg-u2")
            .await
            .unwrap()
    );
    let attached = l.legacy_of_user("lg-u2").await.unwrap();
    assert_eq!(keys_of(&attached), [("lg-bank".into(), "anna".into())]);

    // One password retired, only while it is the one expected.
    assert!(
        !l.retire_legacy_password(&parcels.key(), "$1$x$other", 50)
            .await
            .unwrap()
    );
    assert!(
        l.retire_legacy_password(&parcels.key(), "$1$a$hash1", 50)
            .await
            .unwrap()
    );
    assert!(
        !l.retire_legacy_password(&parcels.key(), "$1$a$hash1", 51)
            .await
            .unwrap(),
        "of two first sign-ins with one password, one wins"
    );
    let retired = &l.find_legacy(&[parcels.key()]).await.unwrap()[0];
    assert_eq!(
        (retired.password_hash.as_ref(), retired.migrated_at),
        (None, Some(50))
    );
    assert_eq!(retired.user_id.as_deref(), Some("lg-u1"), "the row stays");

    // The rest of an identity's passwords at once; the count is of those still there.
    assert_eq!(
        l.retire_user_legacy_passwords("lg-u1", 60).await.unwrap(),
        2
    );
    assert_eq!(
        l.retire_user_legacy_passwords("lg-u1", 61).await.unwrap(),
        0
    );
    let after = l.legacy_of_user("lg-u1").await.unwrap();
    assert!(after.iter().all(|a| a.password_hash.is_none()));
    let migrated: Vec<Option<i64>> = after.iter().map(|a| a.migrated_at).collect();
    assert_eq!(migrated, [Some(60), Some(50), Some(60)]);
    assert_eq!(
        l.find_legacy(&[pending.key()]).await.unwrap()[0]
            .password_hash
            .as_deref(),
        Some("$1$d$hash4"),
        "another identity's password stays"
    );

    // Erasing an identity leaves of its old logins only their key and digest (so a
    // re-import skips them): no identity, hash, address, name or phone; others keep theirs.
    stores.accounts.erase_user("lg-u1").await.unwrap();
    assert!(l.legacy_of_user("lg-u1").await.unwrap().is_empty());
    let left = l
        .find_legacy(&[parcels.key(), bank.key(), shop.key()])
        .await
        .unwrap();
    assert_eq!(left.len(), 3, "{left:?}");
    for a in &left {
        assert_eq!(
            (
                &a.user_id,
                &a.password_hash,
                &a.email,
                &a.given_name,
                &a.family_name,
                &a.phone
            ),
            (&None, &None, &None, &None, &None, &None),
            "{a:?}"
        );
        assert!(!a.digest.is_empty());
    }
    assert_eq!(l.legacy_of_user("lg-u2").await.unwrap().len(), 1);
}
