//! The second-factor credentials' part of the suite (TOTP secrets, recovery codes,
//! passkeys), in a file of its own.

use super::super::{
    CREDENTIAL_PASSKEY, CREDENTIAL_RECOVERY_CODE, CREDENTIAL_TOTP, Credential, CredentialKind,
    Stores,
};

pub async fn credentials(stores: &Stores) {
    let c = &stores.credentials;
    let cred = |id: &str, kind: CredentialKind, lookup: Option<&str>, at: i64| Credential {
        id: id.into(),
        user_id: "u1".into(),
        kind,
        name: format!("{kind} {id}"),
        data: serde_json::json!({ "k": id }),
        lookup: lookup.map(str::to_owned),
        counter: 0,
        created_at: at,
        used_at: None,
    };
    assert!(c.list_credentials("u1").await.unwrap().is_empty());
    c.add_credential(&cred("t1", CREDENTIAL_TOTP, None, 10))
        .await
        .unwrap();
    c.add_credential(&cred("p1", CREDENTIAL_PASSKEY, Some("cid-1"), 11))
        .await
        .unwrap();
    c.add_credential(&cred("r1", CREDENTIAL_RECOVERY_CODE, Some("h1"), 12))
        .await
        .unwrap();
    c.add_credential(&cred("r2", CREDENTIAL_RECOVERY_CODE, Some("h2"), 12))
        .await
        .unwrap();
    assert!(
        c.add_credential(&cred("p2", CREDENTIAL_PASSKEY, Some("cid-1"), 13))
            .await
            .is_err(),
        "a lookup value is unique"
    );
    let all = c.list_credentials("u1").await.unwrap();
    let ids: Vec<&str> = all.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["t1", "p1", "r1", "r2"]);
    assert_eq!(all[1], cred("p1", CREDENTIAL_PASSKEY, Some("cid-1"), 11));
    assert_eq!(
        c.find_credential_by_lookup("cid-1")
            .await
            .unwrap()
            .map(|x| x.id),
        Some("p1".into())
    );
    assert_eq!(c.find_credential_by_lookup("nope").await.unwrap(), None);

    assert!(c.rename_credential("u1", "p1", "Laptop").await.unwrap());
    assert!(!c.rename_credential("u2", "p1", "Stolen").await.unwrap());
    let data = serde_json::json!({ "counter": 7 });
    c.update_credential_data("p1", &data, 99).await.unwrap();
    let p1 = c.find_credential_by_lookup("cid-1").await.unwrap().unwrap();
    assert_eq!(
        (p1.name.as_str(), &p1.data, p1.used_at),
        ("Laptop", &data, Some(99))
    );

    // TOTP steps only move forward, once.
    assert!(c.advance_credential_counter("t1", 100).await.unwrap());
    assert!(!c.advance_credential_counter("t1", 100).await.unwrap());
    assert!(!c.advance_credential_counter("t1", 99).await.unwrap());
    assert!(c.advance_credential_counter("t1", 101).await.unwrap());

    // Single use, atomically: of ten concurrent consumers exactly one wins.
    let wins = futures::future::join_all((0..10).map(|_| c.consume_credential("r1", 5))).await;
    assert_eq!(wins.into_iter().filter(|w| *w.as_ref().unwrap()).count(), 1);

    assert!(
        !c.delete_credential("u2", "p1").await.unwrap(),
        "not theirs"
    );
    assert!(c.delete_credential("u1", "p1").await.unwrap());
    assert_eq!(
        c.delete_credentials_of_kind("u1", CREDENTIAL_RECOVERY_CODE)
            .await
            .unwrap(),
        2
    );
    let left: Vec<String> = c
        .list_credentials("u1")
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(left, ["t1"]);
}
