//! The lockout and audit effects of each credential operation, checked on the use case
//! itself: an `AppState` on a temporary SQLite file and the in-process store, no server.

use std::sync::Arc;

use super::check::{Attempt, Checked, Refusal, check};
use crate::{
    accounts::{self, NewUser},
    audit::RequestMeta,
    authn::{lockout, sms_otp},
    config::{Config, Profile},
    crypto::Secret,
    model::OffsetClock,
    state::AppState,
    storage::User,
};

const PASSWORD: &str = "correct horse battery staple";

struct World {
    state: AppState,
    user: User,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let defaults = Config::default();
    let config = Config {
        profile: Profile::Prod,
        database_url: format!("sqlite://{}/idp.db?mode=rwc", dir.path().display()),
        redis_url: String::new(),
        keys_dir: dir.path().join("keys"),
        outbox_dir: dir.path().join("outbox"),
        password: crate::config::Password {
            memory_kib: 1024,
            iterations: 1,
            ..defaults.password.clone()
        },
        // A domain name: passkeys are on.
        issuer: "http://localhost:8080".into(),
        lockout: crate::config::Lockout {
            max_failures: 3,
            ..defaults.lockout.clone()
        },
        ..defaults
    };
    let state = AppState::build(config, Arc::new(OffsetClock::default()))
        .await
        .unwrap();
    let user = accounts::create_user(
        &state,
        NewUser {
            email: "anna@post.test".into(),
            password: Secret::new(PASSWORD),
            given_name: None,
            family_name: None,
            phone: Some("+41791234567".into()),
        },
    )
    .await
    .unwrap();
    World {
        state,
        user,
        _dir: dir,
    }
}

async fn audit_outcomes(state: &AppState) -> Vec<(String, String)> {
    let mut events = state
        .stores
        .audit
        .list_events(&crate::storage::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    events.sort_by(|a, b| a.id.cmp(&b.id));
    events.into_iter().map(|e| (e.kind, e.outcome)).collect()
}

async fn locked(state: &AppState) -> bool {
    lockout::is_locked(state, "anna@post.test").await.unwrap()
}

fn password(w: &World, p: &'static str) -> (String, Secret) {
    (w.user.email.clone(), Secret::new(p))
}

#[tokio::test]
async fn a_right_password_is_proven_and_audited_a_wrong_one_counts_to_the_lock() {
    let w = world().await;
    let meta = RequestMeta::default();
    let (email, wrong) = password(&w, "not it at all");
    for _ in 0..2 {
        let attempt = Attempt::Password {
            service: None,
            email: &email,
            password: &wrong,
        };
        let got = check(&w.state, attempt, &meta).await.unwrap();
        assert!(
            matches!(got, Checked::Refused(Refusal::Password)),
            "{got:?}"
        );
    }
    // A success ends the count: two more failures do not lock.
    let (email, right) = password(&w, PASSWORD);
    let attempt = Attempt::Password {
        service: None,
        email: &email,
        password: &right,
    };
    assert!(matches!(
        check(&w.state, attempt, &meta).await.unwrap(),
        Checked::Proven { .. }
    ));
    for _ in 0..2 {
        let attempt = Attempt::Password {
            service: None,
            email: &email,
            password: &wrong,
        };
        check(&w.state, attempt, &meta).await.unwrap();
    }
    assert!(!locked(&w.state).await);
    let attempt = Attempt::Password {
        service: None,
        email: &email,
        password: &wrong,
    };
    let got = check(&w.state, attempt, &meta).await.unwrap();
    assert!(
        matches!(got, Checked::Locked(Some(_))),
        "the third in a row: {got:?}"
    );
    let outcomes = audit_outcomes(&w.state).await;
    let count = |k: &str, o: &str| outcomes.iter().filter(|(a, b)| a == k && b == o).count();
    assert_eq!(count("sign_in", "success"), 1);
    assert_eq!(count("sign_in", "failure"), 5);
    assert_eq!(
        count("lock", "info"),
        1,
        "the lock is audited: {outcomes:?}"
    );
}

#[tokio::test]
async fn a_wrong_second_factor_counts_like_a_wrong_password_and_the_lock_is_audited() {
    let w = world().await;
    let meta = RequestMeta::default();
    for _ in 0..3 {
        let attempt = Attempt::Totp {
            user: &w.user,
            code: "000000",
        };
        check(&w.state, attempt, &meta).await.unwrap();
    }
    assert!(locked(&w.state).await);
    let outcomes = audit_outcomes(&w.state).await;
    assert!(
        outcomes.contains(&("lock".into(), "info".into())),
        "{outcomes:?}"
    );
    // Locked: even the right SMS code is not checked.
    let code = sms_otp::issue(&w.state, sms_otp::SIGN_IN, &w.user.id)
        .await
        .unwrap()
        .unwrap();
    let attempt = Attempt::Sms {
        user: &w.user,
        code: &code,
    };
    assert!(matches!(
        check(&w.state, attempt, &meta).await.unwrap(),
        Checked::Locked(_)
    ));
}

#[tokio::test]
async fn a_right_sms_code_is_proven_once_and_ends_the_failure_count() {
    let w = world().await;
    let meta = RequestMeta::default();
    let sms = |code: &'static str| Attempt::Sms {
        user: &w.user,
        code,
    };
    // No code pending yet: refused, and counted.
    let got = check(&w.state, sms("123456"), &meta).await.unwrap();
    assert!(
        matches!(got, Checked::Refused(Refusal::CodeExpired)),
        "{got:?}"
    );
    let code = sms_otp::issue(&w.state, sms_otp::SIGN_IN, &w.user.id)
        .await
        .unwrap()
        .unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let got = check(&w.state, sms(wrong), &meta).await.unwrap();
    assert!(
        matches!(got, Checked::Refused(Refusal::SmsWrong)),
        "{got:?}"
    );
    let right = Attempt::Sms {
        user: &w.user,
        code: &code,
    };
    let got = check(&w.state, right, &meta).await.unwrap();
    assert!(matches!(got, Checked::Proven { .. }), "{got:?}");
    // The success ended the count: two more failures (of three allowed) do not lock.
    check(&w.state, sms(wrong), &meta).await.unwrap();
    check(&w.state, sms(wrong), &meta).await.unwrap();
    assert!(!locked(&w.state).await);
    // And the code was single use.
    let again = Attempt::Sms {
        user: &w.user,
        code: &code,
    };
    let got = check(&w.state, again, &meta).await.unwrap();
    assert!(
        matches!(got, Checked::Locked(_)),
        "the third failure: {got:?}"
    );
}

#[tokio::test]
async fn an_unknown_passkey_is_refused_and_audited_without_touching_a_lock() {
    let w = world().await;
    let meta = RequestMeta::default();
    let response: webauthn_rs::prelude::PublicKeyCredential =
        serde_json::from_value(serde_json::json!({
            "id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
            "response": {
                "authenticatorData": "AAAA", "clientDataJSON": "AAAA",
                "signature": "AAAA", "userHandle": null
            }
        }))
        .unwrap();
    let attempt = Attempt::Passkey {
        flow: "no-such-sign-in",
        response: &response,
    };
    let got = check(&w.state, attempt, &meta).await.unwrap();
    // No ceremony was started for this sign-in: nothing is proven and no lock moves.
    assert!(
        matches!(got, Checked::Refused(Refusal::PasskeyExpired)),
        "{got:?}"
    );
    let outcomes = audit_outcomes(&w.state).await;
    assert!(
        outcomes.contains(&("sign_in".into(), "failure".into())),
        "{outcomes:?}"
    );
    assert!(!locked(&w.state).await);
}

#[tokio::test]
async fn a_recovery_code_works_once_and_the_current_password_is_checked_for_its_owner() {
    let w = world().await;
    let meta = RequestMeta::default();
    let codes = crate::authn::recovery_codes::regenerate(&w.state, &w.user.id)
        .await
        .unwrap();
    for (expected_proven, code) in [(true, &codes[0]), (false, &codes[0])] {
        let attempt = Attempt::RecoveryCode {
            user: &w.user,
            code,
        };
        let got = check(&w.state, attempt, &meta).await.unwrap();
        assert_eq!(
            matches!(got, Checked::Proven { .. }),
            expected_proven,
            "{got:?}"
        );
    }
    let wrong = Secret::new("not the password");
    let attempt = Attempt::CurrentPassword {
        user: &w.user,
        password: &wrong,
    };
    let got = check(&w.state, attempt, &meta).await.unwrap();
    assert!(
        matches!(got, Checked::Refused(Refusal::Password)),
        "{got:?}"
    );
    let right = Secret::new(PASSWORD);
    let attempt = Attempt::CurrentPassword {
        user: &w.user,
        password: &right,
    };
    assert!(matches!(
        check(&w.state, attempt, &meta).await.unwrap(),
        Checked::Proven { .. }
    ));
}

#[tokio::test]
async fn an_abandoned_attempt_counts_as_a_failure_and_loses_no_ticket() {
    let w = world().await;
    // A client that hangs up during the hash cancels the check with its ticket taken.
    for _ in 0..3 {
        let lockout::Gate::Open(t) = lockout::enter(&w.state, "anna@post.test").await.unwrap()
        else {
            panic!("open before three attempts")
        };
        drop(lockout::Held::new(&w.state, t));
    }
    // The failures are recorded in tasks of their own.
    for _ in 0..100 {
        if locked(&w.state).await {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        locked(&w.state).await,
        "three abandoned attempts lock like three failures, with the lock set"
    );
}

#[tokio::test]
async fn a_reset_code_is_stopped_by_a_temporary_lock_and_not_by_a_permanent_one() {
    let w = world().await;
    let meta = RequestMeta::default();
    let reset = |code: &'static str| Attempt::ResetCode {
        user: &w.user,
        link: "link-hash",
        code,
    };
    let email_key = lockout::email_key("anna@post.test");
    // A permanent lock (the owner was emailed a link): the reset link is the way out.
    w.state
        .stores
        .locks
        .lock_permanently(&email_key, w.state.now())
        .await
        .unwrap();
    let (email, right) = password(&w, PASSWORD);
    let attempt = Attempt::Password {
        service: None,
        email: &email,
        password: &right,
    };
    let got = check(&w.state, attempt, &meta).await.unwrap();
    assert!(matches!(got, Checked::Locked(None)), "{got:?}");
    let code = sms_otp::issue(&w.state, sms_otp::RESET, "link-hash")
        .await
        .unwrap()
        .unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Wrong codes count all the same: the third sets a temporary lock, which stops even
    // the right code.
    for _ in 0..2 {
        let got = check(&w.state, reset(wrong), &meta).await.unwrap();
        assert!(
            matches!(got, Checked::Refused(Refusal::SmsWrong)),
            "{got:?}"
        );
    }
    let got = check(&w.state, reset(wrong), &meta).await.unwrap();
    assert!(matches!(got, Checked::Locked(Some(_))), "{got:?}");
    let right_code = Attempt::ResetCode {
        user: &w.user,
        link: "link-hash",
        code: &code,
    };
    let got = check(&w.state, right_code, &meta).await.unwrap();
    assert!(matches!(got, Checked::Locked(Some(_))), "{got:?}");

    // Under the permanent lock alone, the right code is proven.
    lockout::unlock(&w.state, "anna@post.test").await.unwrap();
    w.state
        .stores
        .locks
        .lock_permanently(&email_key, w.state.now())
        .await
        .unwrap();
    let right_code = Attempt::ResetCode {
        user: &w.user,
        link: "link-hash",
        code: &code,
    };
    let got = check(&w.state, right_code, &meta).await.unwrap();
    assert!(matches!(got, Checked::Proven { .. }), "{got:?}");
    let outcomes = audit_outcomes(&w.state).await;
    assert!(outcomes.contains(&("sign_in".into(), "success".into())));
}
