//! The import use case on an `AppState` over a temporary SQLite file: what each kind of
//! line becomes, the counts, idempotency, bad input, batches and two imports at once.

use std::{io::Cursor, sync::Arc};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use serde_json::json;

use super::{BATCH_LINES, MAX_LINE_BYTES, Summary, read_line, run};
use crate::{
    accounts::{self, NewUser},
    config::{Config, Profile},
    crypto::{Secret, legacy::LegacyHash},
    model::OffsetClock,
    state::AppState,
    storage::{AuditFilter, LegacyAccount, LegacyKey, User},
};

const FIXTURE: &str = include_str!("../../../tests/fixtures/legacy_hashes.json");
/// A hash that parses; the import never verifies one.
const HASH: &str = "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/";

struct World {
    state: AppState,
    clock: Arc<OffsetClock>,
    url: String,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/idp.db?mode=rwc", dir.path().display());
    let defaults = Config::default();
    let config = Config {
        profile: Profile::Prod,
        database_url: url.clone(),
        redis_url: String::new(),
        keys_dir: dir.path().join("keys"),
        outbox_dir: dir.path().join("outbox"),
        issuer: "http://localhost:8080".into(),
        ..defaults
    };
    let clock = Arc::new(OffsetClock::default());
    let state = AppState::build(config, clock.clone()).await.unwrap();
    World {
        state,
        clock,
        url,
        _dir: dir,
    }
}

/// The import of `input`: its summary and the rejected lines with their reasons.
async fn import(state: &AppState, input: &[u8]) -> (Summary, Vec<(u64, String)>) {
    let mut rejected = Vec::new();
    let summary = run(
        state,
        Cursor::new(input.to_vec()),
        |n, why| rejected.push((n, why.to_owned())),
        |_| {},
    )
    .await
    .unwrap();
    (summary, rejected)
}

fn line(service: &str, username: &str, email: Option<&str>) -> serde_json::Value {
    json!({
        "service": service, "username": username, "email": email, "email_verified": false,
        "given_name": "Mario", "family_name": "Rossi", "phone": "+39 333 123 4567",
        "password_hash": HASH, "created_at": "2011-03-04T05:06:07Z",
    })
}

fn jsonl(lines: &[serde_json::Value]) -> Vec<u8> {
    let mut out = String::new();
    for l in lines {
        out.push_str(&l.to_string());
        out.push('\n');
    }
    out.into_bytes()
}

async fn account(state: &AppState, service: &str, username: &str) -> Option<LegacyAccount> {
    let mut found = state
        .stores
        .legacy
        .find_legacy(&[LegacyKey::new(service, username)])
        .await
        .unwrap();
    assert!(found.len() <= 1);
    found.pop()
}

async fn count(url: &str, table: &str) -> i64 {
    let db = Database::connect(url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("SELECT count(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Every stored account among `keys` and the identities they became, and how many rows
/// both tables hold: what a no-op must leave exactly as it was.
async fn snapshot(w: &World, keys: &[LegacyKey]) -> (Vec<LegacyAccount>, Vec<User>, i64, i64) {
    let mut accounts = w.state.stores.legacy.find_legacy(keys).await.unwrap();
    accounts.sort_by_key(LegacyAccount::key);
    let mut users = Vec::new();
    for id in accounts.iter().filter_map(|a| a.user_id.as_deref()) {
        users.push(w.state.stores.users.find_user(id).await.unwrap().unwrap());
    }
    let legacy_rows = count(&w.url, "legacy_accounts").await;
    let user_rows = count(&w.url, "users").await;
    (accounts, users, legacy_rows, user_rows)
}

#[tokio::test]
async fn one_account_per_hash_format_is_taken_as_it_is() {
    let w = world().await;
    let fixture: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    let password = fixture["password"].as_str().unwrap();
    let hashes = fixture["hashes"].as_array().unwrap();
    let services = ["parcels", "bank", "shop"];
    let lines: Vec<_> = hashes
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let mut l = line(services[i % 3], h["format"].as_str().unwrap(), None);
            l["email"] = json!(format!("person{i}@example.test"));
            l["password_hash"] = h["hash"].clone();
            l
        })
        .collect();
    let (summary, rejected) = import(&w.state, &jsonl(&lines)).await;
    assert_eq!(rejected, []);
    let n = hashes.len() as u64;
    assert_eq!(
        summary,
        Summary {
            read: n,
            created: n,
            ..Default::default()
        }
    );
    for (i, h) in hashes.iter().enumerate() {
        let a = account(&w.state, services[i % 3], h["format"].as_str().unwrap())
            .await
            .unwrap();
        let stored = a.password_hash.unwrap();
        assert_eq!(stored, h["hash"].as_str().unwrap());
        assert!(
            LegacyHash::parse(&stored).unwrap().verify(password),
            "{stored}"
        );
        let user = w.state.stores.users.find_user(&a.user_id.unwrap()).await;
        let user = user.unwrap().unwrap();
        assert_eq!(user.email, format!("person{i}@example.test"));
        assert_eq!(
            user.password_hash, None,
            "the identity has no password of its own"
        );
        assert_eq!(user.phone.as_deref(), Some("+393331234567"));
    }
}

#[tokio::test]
async fn one_address_is_one_identity_and_an_existing_account_absorbs() {
    let w = world().await;
    let anna = accounts::create_user(
        &w.state,
        NewUser {
            email: "anna@post.test".into(),
            password: Secret::new("correct horse battery staple"),
            given_name: None,
            family_name: None,
            phone: None,
        },
    )
    .await
    .unwrap();
    let lines = [
        line("parcels", "mrossi", Some("M.Rossi@Example.test")),
        line("bank", "mario", Some("  m.rossi@example.TEST ")),
        line("bank", "anna", Some("Anna@Post.test")),
        line("shop", "anna77", Some("anna@post.test")),
        line("parcels", "nomail", None),
        json!({"service": "shop", "username": "nomail", "password_hash": HASH,
            "email_verified": null}),
        line("bank", "emptymail", Some("  ")),
    ];
    let (summary, rejected) = import(&w.state, &jsonl(&lines)).await;
    assert_eq!(rejected, []);
    assert_eq!(
        summary,
        Summary {
            read: 7,
            created: 4,
            pending: 3,
            merged: 3,
            ..Default::default()
        }
    );
    let mario = account(&w.state, "parcels", "mrossi").await.unwrap();
    let id = mario.user_id.clone().unwrap();
    assert_eq!(mario.email.as_deref(), Some("m.rossi@example.test"));
    let pairs: Vec<(String, String)> = w
        .state
        .stores
        .legacy
        .legacy_of_user(&id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.service, a.username))
        .collect();
    assert_eq!(
        pairs,
        [
            ("bank".into(), "mario".into()),
            ("parcels".into(), "mrossi".into())
        ]
    );
    let absorbed = w
        .state
        .stores
        .legacy
        .legacy_of_user(&anna.id)
        .await
        .unwrap();
    assert_eq!(
        absorbed.len(),
        2,
        "anna's Postern account took both old logins"
    );
    let user = w
        .state
        .stores
        .users
        .find_user(&anna.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user, anna, "and is itself unchanged");
    for (service, username) in [
        ("parcels", "nomail"),
        ("shop", "nomail"),
        ("bank", "emptymail"),
    ] {
        let a = account(&w.state, service, username).await.unwrap();
        assert_eq!(
            (a.user_id, a.email),
            (None, None),
            "{service}/{username} is pending"
        );
    }
    // Anna's account, Mario's new identity: no other.
    assert_eq!(count(&w.url, "users").await, 2);
}

#[tokio::test]
async fn the_same_file_again_changes_nothing() {
    let w = world().await;
    let lines: Vec<_> = (0..40)
        .map(|i| {
            let email = (i % 5 != 0).then(|| format!("p{}@example.test", i % 13));
            line(["a", "b"][i % 2], &format!("user{i}"), email.as_deref())
        })
        .collect();
    let input = jsonl(&lines);
    let keys: Vec<LegacyKey> = (0..40)
        .map(|i| LegacyKey::new(["a", "b"][i % 2], &format!("user{i}")))
        .collect();
    let (first, rejected) = import(&w.state, &input).await;
    assert_eq!((first.read, first.rejected, rejected.len()), (40, 0, 0));
    let before = snapshot(&w, &keys).await;
    assert_eq!(before.0.len(), 40);
    // Anything written again would carry the later time.
    w.clock.advance(3600);
    let (again, rejected) = import(&w.state, &input).await;
    assert_eq!(rejected, []);
    assert_eq!(
        again,
        Summary {
            read: 40,
            skipped: 40,
            ..Default::default()
        }
    );
    assert_eq!(snapshot(&w, &keys).await, before);
}

#[tokio::test]
async fn a_changed_record_under_a_known_username_is_rejected() {
    let w = world().await;
    let (_, rejected) = import(&w.state, &jsonl(&[line("bank", "mario", Some("m@x.test"))])).await;
    assert_eq!(rejected, []);
    let stored = account(&w.state, "bank", "mario").await;
    let mut changed = line("bank", "MARIO", Some("m@x.test"));
    changed["given_name"] = json!("Maria");
    let same = line("bank", "mario", Some("m@x.test"));
    let (summary, rejected) = import(&w.state, &jsonl(&[same, changed])).await;
    let reason = "duplicate (service, username) with different data";
    assert_eq!(rejected, [(2, reason.to_owned())]);
    assert_eq!((summary.skipped, summary.rejected), (1, 1));
    assert_eq!(
        account(&w.state, "bank", "mario").await,
        stored,
        "not overwritten"
    );

    // Within one file too: the first spelling wins, an identical repeat is skipped.
    let mut other = line("bank", "luigi", None);
    other["family_name"] = json!("Verdi");
    let input = jsonl(&[
        line("bank", "luigi", None),
        other,
        line("bank", "luigi", None),
    ]);
    let (summary, rejected) = import(&w.state, &input).await;
    assert_eq!(rejected, [(2, reason.to_owned())]);
    assert_eq!(
        (summary.created, summary.skipped, summary.rejected),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn every_bad_line_is_reported_and_the_import_goes_on() {
    let w = world().await;
    let good = |name: &str| line("shop", name, Some(&format!("{name}@example.test")));
    let with = |key: &str, value: serde_json::Value| {
        let mut l = good("x");
        l[key] = value;
        l.to_string()
    };
    let mut missing = good("x");
    missing.as_object_mut().unwrap().remove("password_hash");
    let truncated = "$2b$04$AzZEciB9u3R0fGvizGIT1.AZi6WuffzboeR";
    let long = format!(
        "{{\"service\": \"shop\", \"junk\": \"{}\"}}",
        "y".repeat(MAX_LINE_BYTES)
    );
    let mut input: Vec<u8> = Vec::new();
    for l in [
        good("first").to_string(),                     // 1
        "{\"service\": \"shop\", \"username\"".into(), // 2
        missing.to_string(),                           // 3
        with("email", json!("not-an-email")),          // 4
        with(
            "password_hash",
            json!("md5:5f4dcc3b5aa765d61d8327deb882cf99"),
        ), // 5
        with("password_hash", json!(truncated)),       // 6
        with("service", json!(null)),                  // 7
        String::new(),                                 // 8: blank
        "   \t".into(),                                // 9: blank
        long,                                          // 10
        "42".into(),                                   // 11
        with("created_at", json!("yesterday")),        // 12
        with("service", json!("no spaces please")),    // 13
        with("phone", json!("call me")),               // 14
    ] {
        input.extend_from_slice(l.as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"{\"service\": \"shop\", \"username\": \"caf\xe9\"}\n"); // 15
    input.extend_from_slice(good("last").to_string().as_bytes()); // 16, no final newline
    let (summary, rejected) = import(&w.state, &input).await;
    let expected: Vec<(u64, &str)> = vec![
        (2, "malformed JSON: EOF while parsing an object"),
        (3, "missing field `password_hash`"),
        (4, "invalid email"),
        (5, "unknown password hash format"),
        (6, "malformed bcrypt hash"),
        (7, "invalid record: invalid type: null, expected a string"),
        (10, "line longer than 65536 bytes"),
        (
            11,
            "invalid record: invalid type: integer `42`, expected struct Line",
        ),
        (12, "invalid created_at: expected RFC 3339"),
        (
            13,
            "invalid service: letters, digits, '-', '_' and '.', at most 64",
        ),
        (14, "invalid phone number"),
        (15, "not UTF-8"),
    ];
    let got: Vec<(u64, &str)> = rejected.iter().map(|(n, r)| (*n, r.as_str())).collect();
    assert_eq!(got, expected);
    assert_eq!(
        summary,
        Summary {
            read: 14,
            created: 2,
            rejected: 12,
            ..Default::default()
        }
    );
    assert!(account(&w.state, "shop", "first").await.is_some());
    assert!(account(&w.state, "shop", "last").await.is_some());
    assert_eq!(count(&w.url, "legacy_accounts").await, 2);
}

/// A line of `len` bytes made as it is read, never held whole.
struct Endless {
    left: usize,
    chunk: Vec<u8>,
}

impl std::io::Read for Endless {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = out.len().min(self.left);
        out[..n].fill(b'x');
        self.left -= n;
        if self.left == 0 && n < out.len() && !self.chunk.is_empty() {
            let tail = std::mem::take(&mut self.chunk);
            out[n..n + tail.len()].copy_from_slice(&tail);
            return Ok(n + tail.len());
        }
        Ok(n)
    }
}

#[test]
fn an_over_long_line_is_skipped_without_being_held() {
    let len = 64 * 1024 * 1024;
    let mut reader = std::io::BufReader::new(Endless {
        left: len,
        chunk: b"\nnext\n".to_vec(),
    });
    let mut buf = Vec::new();
    let (n, complete) = read_line(&mut reader, &mut buf).unwrap();
    assert_eq!((n, complete), (len + 1, false));
    assert!(
        buf.capacity() <= 4 * MAX_LINE_BYTES,
        "{} bytes held",
        buf.capacity()
    );
    buf.clear();
    assert_eq!(read_line(&mut reader, &mut buf).unwrap(), (5, true));
    assert_eq!(buf, b"next\n");
}

/// Lines of `n` accounts in two services, their addresses shared by about three accounts
/// each, one in ten without.
fn many(n: usize) -> (Vec<u8>, usize) {
    let addresses = n / 3;
    let lines: Vec<_> = (0..n)
        .map(|i| {
            let email = (i % 10 != 0).then(|| format!("p{}@example.test", i % addresses));
            line(["a", "b"][i % 2], &format!("user{i}"), email.as_deref())
        })
        .collect();
    let distinct = (0..n)
        .filter(|i| i % 10 != 0)
        .map(|i| i % addresses)
        .collect::<std::collections::HashSet<_>>()
        .len();
    (jsonl(&lines), distinct)
}

#[tokio::test]
async fn more_lines_than_a_batch_merge_across_batches() {
    let w = world().await;
    let n = 2 * BATCH_LINES + 7;
    let (input, distinct) = many(n);
    let (summary, rejected) = import(&w.state, &input).await;
    assert_eq!(rejected, []);
    let pending = n.div_ceil(10) as u64;
    assert_eq!(
        summary,
        Summary {
            read: n as u64,
            created: distinct as u64 + pending,
            pending,
            merged: n as u64 - distinct as u64 - pending,
            ..Default::default()
        }
    );
    assert_eq!(count(&w.url, "legacy_accounts").await, n as i64);
    assert_eq!(count(&w.url, "users").await, distinct as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_imports_of_one_file_at_once_end_consistent() {
    let w = world().await;
    let n = 3 * BATCH_LINES;
    let (input, distinct) = many(n);
    let go = |state: AppState, input: Vec<u8>| {
        tokio::spawn(async move {
            run(&state, Cursor::new(input), |_, _| {}, |_| {})
                .await
                .unwrap()
        })
    };
    let a = go(w.state.clone(), input.clone());
    let b = go(w.state.clone(), input);
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    // Each line written by one of them and found by the other.
    let written = |s: &Summary| s.created + s.merged;
    assert_eq!(written(&a) + written(&b), n as u64, "{a:?} {b:?}");
    assert_eq!(a.skipped + b.skipped, n as u64, "{a:?} {b:?}");
    assert_eq!(a.rejected + b.rejected, 0);
    assert_eq!(count(&w.url, "legacy_accounts").await, n as i64);
    assert_eq!(count(&w.url, "users").await, distinct as i64);
    // Every account of an address points to that address's one identity.
    let keys: Vec<LegacyKey> = (0..n)
        .map(|i| LegacyKey::new(["a", "b"][i % 2], &format!("user{i}")))
        .collect();
    let accounts = w.state.stores.legacy.find_legacy(&keys).await.unwrap();
    let emails: Vec<String> = accounts.iter().filter_map(|a| a.email.clone()).collect();
    let owners: std::collections::HashMap<String, String> = w
        .state
        .stores
        .legacy
        .user_ids_by_email(&emails)
        .await
        .unwrap()
        .into_iter()
        .collect();
    for a in accounts {
        assert_eq!(a.user_id.as_ref(), a.email.as_ref().map(|e| &owners[e]));
    }
}

#[tokio::test]
async fn each_import_leaves_one_summary_in_the_audit_trail() {
    let w = world().await;
    let input = jsonl(&[
        line("a", "u1", Some("u1@example.test")),
        json!({"service": "a"}),
    ]);
    import(&w.state, &input).await;
    let events = w
        .state
        .stores
        .audit
        .list_events(&AuditFilter {
            kind: Some("legacy_import".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let details: Vec<Option<&str>> = events.iter().map(|e| e.detail.as_deref()).collect();
    assert_eq!(
        details,
        [Some(
            "read 2, created 1 (0 pending), merged 0, skipped 0, rejected 1"
        )]
    );
    assert_eq!(events[0].outcome, "info");
}
