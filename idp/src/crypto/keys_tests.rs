//! The key life cycle: signing, rotation states, withdrawal.

use josekit::jwt;

use super::*;

#[test]
fn sign_verify_and_rotation_states() {
    let dir = tempfile::tempdir().unwrap();
    let retention = Retention {
        tokens: 600,
        hints: 3600,
    };
    let km = KeyManager::load_or_generate(dir.path(), 1000, retention).unwrap();
    let set = km.current();
    // The keys we generate are PKCS#8, so ES256 and EdDSA take ring's fast path.
    assert!(matches!(
        set.active[&SigningAlg::ES256].signer,
        Signer::Ecdsa(_)
    ));
    assert!(matches!(
        set.active[&SigningAlg::EdDSA].signer,
        Signer::Ed25519(_)
    ));
    for alg in SigningAlg::ALL {
        let mut claims = Map::new();
        claims.insert("sub".into(), "alice".into());
        let token = set.sign(alg, "JWT", claims).unwrap();
        let (back, typ) = set.verify(&token).unwrap();
        assert_eq!(back["sub"], "alice");
        assert_eq!(typ.as_deref(), Some("JWT"));
        let mut tampered = token.clone();
        tampered.push('A');
        assert!(set.verify(&tampered).is_err());
    }
    drop(set);

    // Rotation with a lead time: the next key is published but does not sign yet.
    let old = km
        .current()
        .infos()
        .iter()
        .find(|i| i.alg == SigningAlg::ES256)
        .unwrap()
        .kid
        .clone();
    km.rotate(2000, 100).unwrap();
    let states: Vec<_> = km
        .current()
        .infos()
        .iter()
        .filter(|i| i.alg == SigningAlg::ES256)
        .map(|i| i.state.as_str())
        .collect();
    assert_eq!(states, vec!["active", "next"]);
    let token = km
        .current()
        .sign(SigningAlg::ES256, "JWT", Map::new())
        .unwrap();
    assert!(jwt::decode_header(&token).unwrap().claim("kid").unwrap() == old.as_str());

    // After the lead time the new key signs and the old one is still published.
    km.reload(2100).unwrap();
    let states: Vec<_> = km
        .current()
        .infos()
        .iter()
        .filter(|i| i.alg == SigningAlg::ES256)
        .map(|i| i.state.as_str())
        .collect();
    assert_eq!(states, vec!["retiring", "active"]);
    assert!(
        km.current().verify(&token).is_ok(),
        "tokens of the retiring key still verify"
    );

    // Past the token retention it leaves the JWKS and verifies only hints.
    km.reload(2100 + 601).unwrap();
    assert_eq!(km.current().verify(&token), Err(VerifyError::UnknownKey));
    assert!(km.current().verify_hint(&token).is_ok());
    let jwks: Value = serde_json::from_slice(&km.current().jwks_json()).unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 3);

    // Past the hint retention it is gone, and a rotation deletes its file.
    km.reload(2100 + 3601).unwrap();
    assert_eq!(
        km.current().verify_hint(&token),
        Err(VerifyError::UnknownKey)
    );
    km.rotate(2100 + 3601, 100).unwrap();
    assert!(!dir.path().join(format!("{old}.json")).exists());
}

const RETENTION: Retention = Retention {
    tokens: 600,
    hints: 3600,
};

fn kid_of(km: &KeyManager, alg: SigningAlg, state: KeyState) -> String {
    km.current()
        .infos()
        .iter()
        .find(|i| i.alg == alg && i.state == state)
        .unwrap_or_else(|| panic!("a {state} {alg} key"))
        .kid
        .clone()
}

#[test]
fn a_revoked_key_is_unpublished_and_trusted_nowhere_at_once_and_on_every_node() {
    let dir = tempfile::tempdir().unwrap();
    let km = KeyManager::load_or_generate(dir.path(), 1000, RETENTION).unwrap();
    // A second node sharing the directory.
    let other = KeyManager::load_or_generate(dir.path(), 1000, RETENTION).unwrap();
    let leaked = kid_of(&km, SigningAlg::ES256, KeyState::Active);
    let token = km
        .current()
        .sign(SigningAlg::ES256, "JWT", Map::new())
        .unwrap();
    // After a leak: new keys sign at once, then the leaked one is withdrawn.
    km.rotate(1060, 0).unwrap();
    assert!(
        km.current().verify(&token).is_ok(),
        "retiring: still trusted"
    );
    // Checked on both nodes, so both remember its signature as good: that memory must not
    // outlive the withdrawal.
    other.reload(1065).unwrap();
    assert!(other.current().verify(&token).is_ok());
    assert!(other.current().verify(&token).is_ok(), "remembered");
    let info = km.revoke(&leaked, 1070).unwrap();
    assert_eq!(info.state, KeyState::Revoked);
    assert_eq!(info.revoked_at, Some(1070));

    for node in [&km, &other] {
        node.reload(1080).unwrap();
        let set = node.current();
        assert_eq!(set.verify(&token), Err(VerifyError::UnknownKey));
        assert_eq!(set.verify_hint(&token), Err(VerifyError::UnknownKey));
        assert!(!String::from_utf8_lossy(&set.jwks_json()).contains(&leaked));
        // The other algorithms and the new ES256 key are untouched.
        for alg in SigningAlg::ALL {
            let t = set.sign(alg, "JWT", Map::new()).unwrap();
            assert!(set.verify(&t).is_ok());
        }
    }
    // It stays revoked as time passes, and a rotation past every use removes its file.
    km.reload(1070 + 3600).unwrap();
    assert_eq!(
        km.current()
            .infos()
            .iter()
            .find(|i| i.kid == leaked)
            .unwrap()
            .state,
        KeyState::Revoked
    );
    km.rotate(1070 + 3601, 100).unwrap();
    assert!(!dir.path().join(format!("{leaked}.json")).exists());
}

#[test]
fn the_key_that_signs_cannot_be_revoked_nor_an_unknown_or_revoked_one() {
    let dir = tempfile::tempdir().unwrap();
    let km = KeyManager::load_or_generate(dir.path(), 1000, RETENTION).unwrap();
    let active = kid_of(&km, SigningAlg::RS256, KeyState::Active);
    assert!(matches!(
        km.revoke(&active, 1000),
        Err(RevokeError::SignsAlone(_, SigningAlg::RS256))
    ));
    // A next key does not sign yet: the active one still is the only signer.
    km.rotate(1000, 100).unwrap();
    assert!(matches!(
        km.revoke(&active, 1000),
        Err(RevokeError::SignsAlone(..))
    ));
    for unknown in ["nope", "", "../client-secret", &format!("../{active}")] {
        assert!(
            matches!(km.revoke(unknown, 1000), Err(RevokeError::NotFound)),
            "{unknown:?}"
        );
    }
    let next = kid_of(&km, SigningAlg::RS256, KeyState::Next);
    km.revoke(&next, 1000).unwrap();
    assert!(matches!(
        km.revoke(&next, 1001),
        Err(RevokeError::AlreadyRevoked(_))
    ));
    // Its activation time comes and goes: the old key keeps signing, the revoked one never.
    km.reload(1200).unwrap();
    assert_eq!(kid_of(&km, SigningAlg::RS256, KeyState::Active), active);
    let t = km
        .current()
        .sign(SigningAlg::RS256, "JWT", Map::new())
        .unwrap();
    assert_eq!(
        jwt::decode_header(&t).unwrap().claim("kid").unwrap(),
        active.as_str()
    );
    // A restart does not bring it back either.
    let again = KeyManager::load_or_generate(dir.path(), 1300, RETENTION).unwrap();
    assert_eq!(kid_of(&again, SigningAlg::RS256, KeyState::Active), active);
    assert_eq!(
        again
            .current()
            .infos()
            .iter()
            .filter(|i| i.alg == SigningAlg::RS256)
            .count(),
        2
    );
}

#[test]
fn a_rotation_without_lead_in_the_same_second_signs_with_the_new_keys() {
    let dir = tempfile::tempdir().unwrap();
    let km = KeyManager::load_or_generate(dir.path(), 1000, RETENTION).unwrap();
    // Several times, so a random kid cannot order them right by chance.
    for _ in 0..4 {
        let new = km.rotate(1000, 0).unwrap();
        for alg in SigningAlg::ALL {
            let active = kid_of(&km, alg, KeyState::Active);
            assert!(
                new.contains(&active),
                "{alg}: {active} is not one of {new:?}"
            );
        }
    }
}
