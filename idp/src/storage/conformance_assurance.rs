//! The identity check and the password state of an account.

use super::{Stores, sample_user};
use crate::model::{Assurance, IdentityCheck, ProofMethod};
use crate::storage::PasswordKind;

pub async fn assurance(stores: &Stores) {
    let users = &stores.users;
    let mut u = sample_user("assured", "assured@example.org");
    u.phone_verified = false;
    users.create_user(&u).await.unwrap();
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert_eq!(stored, u, "a new account round-trips with no evidence");
    assert_eq!(stored.assurance(), Assurance::Unverified);

    let check = IdentityCheck {
        method: ProofMethod::Counter,
        at: 1_800_000_000,
        by_client: Some("counter-app".into()),
        by_user: Some("clerk".into()),
        reference: Some("office 00144".into()),
    };
    users
        .set_identity_check("assured", Some(&check), 1_800_000_001)
        .await
        .unwrap();
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert_eq!(stored.identity_check.as_ref(), Some(&check));
    assert_eq!(stored.assurance(), Assurance::Verified);
    assert_eq!(stored.updated_at, 1_800_000_001);
    // A profile update does not carry (or lose) the evidence.
    let mut edited = stored.clone();
    edited.identity_check = None;
    edited.given_name = Some("Eli".into());
    users.update_user(&edited).await.unwrap();
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert_eq!(stored.identity_check.as_ref(), Some(&check));
    users.set_identity_check("assured", None, 1).await.unwrap();
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert_eq!(stored.identity_check, None);
    assert!(users.set_identity_check("nobody", None, 1).await.is_err());

    // A temporary password: a change is due and it expires.
    let old = stored.password_hash.clone().unwrap();
    let temporary = PasswordKind::Temporary {
        expires_at: 1_900_000_000,
    };
    assert!(
        users
            .set_password("assured", Some(&old), "temp-hash", temporary, 2)
            .await
            .unwrap()
    );
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert_eq!(stored.password_hash.as_deref(), Some("temp-hash"));
    assert!(stored.password_change_required);
    assert_eq!(stored.password_expires_at, Some(1_900_000_000));
    // The replacement is conditional on the hash it replaces: the second of two is refused.
    let chosen = PasswordKind::Chosen;
    let first = users.set_password("assured", Some("temp-hash"), "mine", chosen, 3);
    let second = users.set_password("assured", Some("temp-hash"), "other", chosen, 3);
    let (first, second) = futures::join!(first, second);
    assert_eq!(
        [first.unwrap(), second.unwrap()]
            .iter()
            .filter(|w| **w)
            .count(),
        1,
        "exactly one replacement of one temporary password wins"
    );
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert!(!stored.password_change_required);
    assert_eq!(stored.password_expires_at, None);
    assert!(
        !users
            .set_password("nobody", None, "x", chosen, 3)
            .await
            .unwrap()
    );

    // A required change without a temporary password; a chosen password ends it.
    users
        .require_password_change("assured", true, 4)
        .await
        .unwrap();
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert!(stored.password_change_required);
    assert_eq!(stored.password_expires_at, None);
    users.set_password_hash("assured", "new", 5).await.unwrap();
    let stored = users.find_user("assured").await.unwrap().unwrap();
    assert!(!stored.password_change_required);
    assert!(
        users
            .require_password_change("nobody", true, 4)
            .await
            .is_err()
    );
}
