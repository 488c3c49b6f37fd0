//! Rotation in one step: a refresh token consumed and its successor stored together, the
//! successor only if this call consumed the token, and only for the token's own grant.

use super::sample_grant;
use crate::storage::{RefreshPresenter, RefreshToken, RefreshUse, Stores};

fn token(hash: &str, grant: &str) -> RefreshToken {
    RefreshToken {
        token_hash: hash.into(),
        grant_id: grant.into(),
        client_id: "c-rot".into(),
        scope: crate::model::oauth::Scope::from_iter(["openid", "offline_access"]),
        created_at: 100,
        expires_at: 1000,
        used_at: None,
        jkt: None,
    }
}

pub async fn rotation_with_successor(stores: &Stores) {
    let grants = &stores.grants;
    grants
        .create_grant(&sample_grant("g-rot", "u-rot", "c-rot", None))
        .await
        .unwrap();
    grants
        .create_grant(&sample_grant("g-rot-other", "u-rot", "c-rot", None))
        .await
        .unwrap();
    let first = token("rot-1", "g-rot");
    grants.insert_refresh_token(&first).await.unwrap();
    let owner = RefreshPresenter {
        client_id: "c-rot",
        jkt: None,
        now: 150,
    };
    let stored = |hash: &'static str| async move { grants.find_refresh_token(hash).await.unwrap() };

    // Refused (another client) or unknown: nothing is stored.
    let other = RefreshPresenter {
        client_id: "c-else",
        ..owner
    };
    let next = token("rot-2", "g-rot");
    let refused = grants
        .use_refresh_token("rot-1", other, Some(&next))
        .await
        .unwrap();
    assert_eq!(refused, RefreshUse::Refused(first.clone()));
    let unknown = grants
        .use_refresh_token("rot-none", owner, Some(&next))
        .await
        .unwrap();
    assert_eq!(unknown, RefreshUse::Unknown);
    assert_eq!(stored("rot-2").await, None);

    // A successor of another grant: the token is not consumed, nothing is stored.
    let foreign = token("rot-foreign", "g-rot-other");
    let refused = grants
        .use_refresh_token("rot-1", owner, Some(&foreign))
        .await
        .unwrap();
    assert_eq!(refused, RefreshUse::Refused(first.clone()));
    assert_eq!(stored("rot-foreign").await, None);

    // Consumed: the successor is stored as given.
    let consumed = grants
        .use_refresh_token("rot-1", owner, Some(&next))
        .await
        .unwrap();
    let used = RefreshToken {
        used_at: Some(150),
        ..first.clone()
    };
    assert_eq!(consumed, RefreshUse::Consumed(used.clone()));
    assert_eq!(stored("rot-2").await, Some(next.clone()));

    // Used again, with another successor: refused, and that one is not stored.
    let late = token("rot-late", "g-rot");
    let replay = grants
        .use_refresh_token("rot-1", owner, Some(&late))
        .await
        .unwrap();
    assert_eq!(replay, RefreshUse::Refused(used));
    assert_eq!(stored("rot-late").await, None);

    // Ten concurrent rotations of one token, each with its own successor: one consumes it,
    // and only its successor is stored.
    let mut tasks = Vec::new();
    for i in 0..10 {
        let s = stores.clone();
        tasks.push(tokio::spawn(async move {
            let next = token(&format!("rot-3-{i}"), "g-rot");
            let out = s
                .grants
                .use_refresh_token("rot-2", owner, Some(&next))
                .await;
            (i, out.unwrap())
        }));
    }
    let mut winners = Vec::new();
    for t in tasks {
        let (i, out) = t.await.unwrap();
        match out {
            RefreshUse::Consumed(_) => winners.push(i),
            RefreshUse::Refused(tok) => assert_eq!(tok.used_at, Some(150)),
            RefreshUse::Unknown => panic!("the token exists"),
        }
    }
    assert_eq!(winners.len(), 1, "consumed exactly once: {winners:?}");
    for i in 0..10 {
        let found = grants
            .find_refresh_token(&format!("rot-3-{i}"))
            .await
            .unwrap();
        assert_eq!(found.is_some(), winners == [i], "successor {i}");
    }

    // A successor that cannot be stored (its hash is taken) fails the call, and the store
    // goes on working: no transaction is left open on the writer.
    grants
        .insert_refresh_token(&token("rot-dup", "g-rot"))
        .await
        .unwrap();
    let clash = grants
        .use_refresh_token("rot-dup", owner, Some(&token("rot-2", "g-rot")))
        .await;
    assert!(clash.is_err(), "{clash:?}");
    grants
        .insert_refresh_token(&token("rot-fresh", "g-rot"))
        .await
        .unwrap();
    let fresh_next = token("rot-fresh-next", "g-rot");
    let fresh = grants
        .use_refresh_token("rot-fresh", owner, Some(&fresh_next))
        .await
        .unwrap();
    assert!(matches!(fresh, RefreshUse::Consumed(_)), "{fresh:?}");
    assert_eq!(stored("rot-fresh-next").await, Some(fresh_next));

    // The token of a revoked grant is not consumed, and its successor not stored.
    grants.revoke_grant("g-rot", 160).await.unwrap();
    let orphan_next = token("rot-4", "g-rot");
    let refused = grants
        .use_refresh_token(&format!("rot-3-{}", winners[0]), owner, Some(&orphan_next))
        .await
        .unwrap();
    assert!(matches!(refused, RefreshUse::Refused(_)), "{refused:?}");
    assert_eq!(stored("rot-4").await, None);
}

/// Many renewals at once, as a busy node sends them (SQLite commits those that queued for
/// the writer together): each of the owner's consumes its own token and stores its own
/// successor; another client's presentations of the same tokens, and a second presentation
/// of one token, consume nothing; and a successor that cannot be stored fails only its own
/// renewal.
pub async fn rotations_at_once(stores: &Stores) {
    const N: usize = 20;
    let grants = &stores.grants;
    grants
        .create_grant(&sample_grant("g-many", "u-many", "c-rot", None))
        .await
        .unwrap();
    for i in 0..N {
        grants
            .insert_refresh_token(&token(&format!("many-{i}"), "g-many"))
            .await
            .unwrap();
    }
    // A token whose successor's hash is taken already.
    grants
        .insert_refresh_token(&token("many-taken", "g-many"))
        .await
        .unwrap();
    let owner = RefreshPresenter {
        client_id: "c-rot",
        jkt: None,
        now: 150,
    };
    let thief = RefreshPresenter {
        client_id: "c-else",
        ..owner
    };
    // The thief's presentation of each token goes first, then the owner's; token 0 twice.
    let mut calls = Vec::new();
    for i in 0..N {
        calls.push((i, thief, format!("thief-next-{i}")));
        calls.push((i, owner, format!("many-next-{i}")));
    }
    calls.push((0, owner, "many-next-0-again".to_owned()));
    // An unknown token whose successor's hash is taken: nothing is inserted, so nothing
    // clashes, and the renewals beside it are not disturbed.
    calls.push((N, owner, "many-taken".to_owned()));
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|(i, by, next)| {
            let s = stores.clone();
            tokio::spawn(async move {
                let presented = if i == N {
                    "many-clash".to_owned()
                } else {
                    format!("many-{i}")
                };
                let successor = token(&next, "g-many");
                let out = s
                    .grants
                    .use_refresh_token(&presented, by, Some(&successor))
                    .await;
                (i, by.client_id, next, out)
            })
        })
        .collect();
    let mut consumed = vec![0; N];
    for t in tasks {
        let (i, client, next, out) = t.await.unwrap();
        if i == N {
            assert_eq!(out.unwrap(), RefreshUse::Unknown);
            continue;
        }
        match out.unwrap() {
            RefreshUse::Consumed(tok) => {
                assert_eq!(client, "c-rot", "only the owner consumes");
                assert_eq!(tok.token_hash, format!("many-{i}"), "its own token");
                assert_eq!(tok.used_at, Some(150));
                consumed[i] += 1;
                let stored = grants.find_refresh_token(&next).await.unwrap();
                assert_eq!(stored, Some(token(&next, "g-many")), "its own successor");
            }
            RefreshUse::Refused(tok) => {
                assert_eq!(tok.token_hash, format!("many-{i}"));
                let stored = grants.find_refresh_token(&next).await.unwrap();
                assert_eq!(stored, None, "no successor for a refused renewal: {next}");
            }
            RefreshUse::Unknown => panic!("many-{i} exists"),
        }
    }
    assert_eq!(consumed, vec![1; N], "each token consumed once");

    // A successor that cannot be stored among others at once: only that renewal fails.
    for i in 0..4 {
        grants
            .insert_refresh_token(&token(&format!("clash-{i}"), "g-many"))
            .await
            .unwrap();
    }
    let tasks: Vec<_> = (0..4)
        .map(|i| {
            let s = stores.clone();
            tokio::spawn(async move {
                let next = if i == 2 {
                    "many-taken".to_owned()
                } else {
                    format!("clash-next-{i}")
                };
                let successor = token(&next, "g-many");
                let presented = format!("clash-{i}");
                let out = s
                    .grants
                    .use_refresh_token(&presented, owner, Some(&successor))
                    .await;
                (i, next, out)
            })
        })
        .collect();
    for t in tasks {
        let (i, next, out) = t.await.unwrap();
        if i == 2 {
            assert!(out.is_err(), "the clash fails its renewal: {out:?}");
            continue;
        }
        assert!(matches!(out, Ok(RefreshUse::Consumed(_))), "{i}: {out:?}");
        let stored = grants.find_refresh_token(&next).await.unwrap();
        assert_eq!(stored, Some(token(&next, "g-many")));
    }
}
