//! The first sign-in of imported accounts of the old per-service logins (issue 17): every
//! hash format of the fixture (made by passlib, bcrypt and argon2-cffi, not by us), merged
//! identities, pending accounts, the forced renewal, and the cut-over.

use idp::{
    config::LegacyService,
    legacy::import::{self, Summary},
    storage::User,
};
use postern_tests::*;
use serde_json::{Value, json};

use crate::rp;

pub(crate) const NEW_PASSWORD: &str = "a brand new passphrase 2026";

pub(crate) struct Fixture {
    pub(crate) password: String,
    pub(crate) hashes: Vec<(String, String)>,
}

pub(crate) fn fixture() -> Fixture {
    let v: Value =
        serde_json::from_str(include_str!("../fixtures/legacy_hashes.json")).expect("fixture");
    Fixture {
        password: v["password"].as_str().unwrap().to_owned(),
        hashes: v["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let f = h["format"].as_str().unwrap().to_owned();
                (f, h["hash"].as_str().unwrap().to_owned())
            })
            .collect(),
    }
}

pub(crate) fn line(
    service: &str,
    username: &str,
    email: Option<&str>,
    verified: bool,
    hash: &str,
) -> Value {
    json!({
        "service": service, "username": username, "email": email,
        "email_verified": verified, "given_name": "Mario", "family_name": "Rossi",
        "phone": null, "password_hash": hash, "created_at": "2009-04-01T08:00:00Z",
    })
}

/// A bcrypt hash of `password` (the fixture's passwords are all one).
pub(crate) fn bcrypt_of(password: &str) -> String {
    bcrypt::hash(password, 4).unwrap()
}

pub async fn import(s: &TestServer, lines: &[Value]) -> Summary {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    import::run(
        &s.state,
        text.as_bytes(),
        |n, why| panic!("line {n}: {why}"),
        |_| {},
    )
    .await
    .expect("import")
}

async fn server() -> TestServer {
    server_with(|_| {}).await
}

/// A server that knows the old `parcels` and `invoices` services, with the shop and Anna.
pub(crate) async fn server_with(adjust: impl FnOnce(&mut idp::Config)) -> TestServer {
    let s = spawn_with(|c| {
        for (key, name) in [("parcels", "Parcel tracking"), ("invoices", "Invoices")] {
            let service = LegacyService {
                name: name.into(),
                client_id: String::new(),
            };
            c.migration.services.insert(key.into(), service);
        }
        adjust(c);
    })
    .await;
    s.client(ClientSpec::confidential("shop")).await;
    s.user("anna@post.test").await;
    s
}

/// Opens a sign-in for the shop and submits `identifier` (and `service`) and `password`.
pub(crate) async fn first_step(
    s: &TestServer,
    b: &Browser,
    identifier: &str,
    service: Option<&str>,
    password: &str,
) -> Landing {
    let c = rp::client(s, "shop", Some(&rp::secret_of("shop"))).await;
    let started = rp::start(&c, &[], &[]);
    let Landing::Page(_, html) = b.open(&s.url, started.url.as_str()).await else {
        panic!("the sign-in page")
    };
    let mut form = form_for(&html, "/login/identify", None);
    form.set("email", identifier);
    if let Some(svc) = service {
        form.set("service", svc);
    }
    let Landing::Page(_, html) = b.submit(&s.url, &form).await else {
        panic!("the password page")
    };
    if !html.contains("/login/password") {
        return Landing::Page(200, html);
    }
    let mut form = form_for(&html, "/login/password", None);
    form.set("password", password);
    b.submit(&s.url, &form).await
}

pub(crate) fn page(landing: Landing) -> (u16, String) {
    match landing {
        Landing::Page(status, html) => (status, html),
        other => panic!("expected a page, got {other:?}"),
    }
}

/// Chooses the new password on the page `html` and returns where it led.
pub(crate) async fn renew(s: &TestServer, b: &Browser, html: &str, password: &str) -> Landing {
    let mut form = form_for(html, "/login/legacy/password", None);
    form.set("password", password);
    form.set("password2", password);
    b.submit(&s.url, &form).await
}

pub(crate) fn last_email_code(s: &TestServer, to: &str) -> String {
    let msg = outbox(s)
        .into_iter()
        .rev()
        .find(|m| m.channel == "email" && m.to == to)
        .unwrap_or_else(|| panic!("an email to {to}"));
    msg.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

pub(crate) async fn enter_code(s: &TestServer, b: &Browser, html: &str, code: &str) -> Landing {
    let mut form = form_for(html, "/login/legacy/code", None);
    form.set("code", code);
    b.submit(&s.url, &form).await
}

pub(crate) async fn user(s: &TestServer, email: &str) -> User {
    s.state
        .stores
        .users
        .find_user_by_email(email)
        .await
        .unwrap()
        .expect("the identity")
}

pub(crate) async fn legacy_rows(s: &TestServer, user_id: &str) -> Vec<idp::storage::LegacyAccount> {
    s.state.stores.legacy.legacy_of_user(user_id).await.unwrap()
}

#[tokio::test]
async fn every_legacy_format_signs_in_once_then_only_the_new_argon2id_password_does() {
    let s = server().await;
    let f = fixture();
    let lines: Vec<Value> = f
        .hashes
        .iter()
        .enumerate()
        .map(|(i, (_, h))| {
            let email = format!("user{i}@post.test");
            line("parcels", &format!("User{i}"), Some(&email), true, h)
        })
        .collect();
    let summary = import(&s, &lines).await;
    assert_eq!(summary.created, f.hashes.len() as u64, "{summary:?}");
    for (i, (format, _)) in f.hashes.iter().enumerate() {
        let email = format!("user{i}@post.test");
        // The old username, typed in another case, with the service chosen.
        let b = Browser::new();
        let landing = first_step(&s, &b, &format!("user{i}"), Some("parcels"), &f.password).await;
        let (_, html) = page(landing);
        assert!(
            html.contains("/login/legacy/password"),
            "{format}: the renewal page, as the old service had confirmed the address: {html}"
        );
        let landing = renew(&s, &b, &html, NEW_PASSWORD).await;
        assert!(
            matches!(landing, Landing::Client(_)),
            "{format}: {landing:?}"
        );
        let u = user(&s, &email).await;
        assert!(
            u.password_hash
                .as_deref()
                .unwrap()
                .starts_with("$argon2id$"),
            "{format}"
        );
        let rows = legacy_rows(&s, &u.id).await;
        assert_eq!(
            rows.len(),
            1,
            "{format}: the (service, username) pair is kept"
        );
        assert!(
            rows[0].password_hash.is_none(),
            "{format}: the old hash is gone"
        );
        assert!(rows[0].migrated_at.is_some());
        // The old password is spent, by username and by address; the new one works.
        let (status, _) = page(first_step(&s, &Browser::new(), &email, None, &f.password).await);
        assert_eq!(status, 401, "{format}: the old password is refused");
        let again = first_step(&s, &Browser::new(), &email, None, NEW_PASSWORD).await;
        assert!(matches!(again, Landing::Client(_)), "{format}: {again:?}");
    }
    let events = s
        .state
        .stores
        .audit
        .list_events(&idp::storage::AuditFilter {
            kind: Some("legacy_migration".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        events.len(),
        f.hashes.len(),
        "each first sign-in is audited"
    );
}

#[tokio::test]
async fn two_accounts_of_one_address_merge_and_both_passwords_work_until_the_renewal() {
    let s = server().await;
    let (pw1, pw2) = ("parcels secret 1", "invoices secret 2");
    let first = line(
        "parcels",
        "mrossi",
        Some(" M.Rossi@Example.test"),
        false,
        &bcrypt_of(pw1),
    );
    let second = line(
        "invoices",
        "mario.rossi",
        Some("m.rossi@example.test"),
        true,
        &bcrypt_of(pw2),
    );
    let summary = import(&s, &[first.clone(), second]).await;
    assert_eq!((summary.created, summary.merged), (1, 1), "{summary:?}");
    let u = user(&s, "m.rossi@example.test").await;
    assert_eq!(
        legacy_rows(&s, &u.id).await.len(),
        2,
        "one identity, both pairs"
    );

    // The parcels service never confirmed the address: its password leads to a code first.
    let b1 = Browser::new();
    let (_, html) = page(first_step(&s, &b1, "mrossi", None, pw1).await);
    assert!(html.contains("/login/legacy/code"), "{html}");
    assert!(!html.contains("/login/legacy/password"));
    let (status, html) = page(enter_code(&s, &b1, &html, "000000").await);
    assert_eq!(status, 400, "a wrong code: {html}");
    let code = last_email_code(&s, "m.rossi@example.test");
    let (_, html1) = page(enter_code(&s, &b1, &html, &code).await);
    assert!(html1.contains("/login/legacy/password"), "{html1}");
    assert!(user(&s, "m.rossi@example.test").await.email_verified);

    // Meanwhile the other old password opens the same identity, by address.
    let b2 = Browser::new();
    let (_, html2) = page(first_step(&s, &b2, "m.rossi@example.test", None, pw2).await);
    assert!(html2.contains("/login/legacy/password"), "{html2}");
    // A new password must follow the policy and differ from the old one.
    let (status, _) = page(renew(&s, &b2, &html2, "short").await);
    assert_eq!(status, 400);
    let (status, html) = page(renew(&s, &b2, &html2, pw2).await);
    assert_eq!(status, 400, "the old password again: {html}");
    let landing = renew(&s, &b2, &html2, NEW_PASSWORD).await;
    assert!(matches!(landing, Landing::Client(_)), "{landing:?}");

    // Renewed: every old hash of the identity is gone, the other browser starts again.
    let u = user(&s, "m.rossi@example.test").await;
    assert!(
        u.password_hash
            .as_deref()
            .unwrap()
            .starts_with("$argon2id$")
    );
    assert!(
        legacy_rows(&s, &u.id)
            .await
            .iter()
            .all(|a| a.password_hash.is_none())
    );
    let (_, html) = page(renew(&s, &b1, &html1, "yet another passphrase 99").await);
    assert!(
        html.contains("/login/identify"),
        "sent back to sign in: {html}"
    );
    for (who, pw) in [("mrossi", pw1), ("mario.rossi", pw2)] {
        let (status, _) = page(first_step(&s, &Browser::new(), who, None, pw).await);
        assert_eq!(status, 401, "{who}: the old password is spent");
    }

    // Importing the same file again changes nothing, and brings no old hash back.
    let again = import(&s, &[first]).await;
    assert_eq!(again.rejected, 0);
    assert_eq!(
        (again.skipped, again.created + again.merged),
        (1, 0),
        "{again:?}"
    );
}

#[tokio::test]
async fn an_account_without_an_address_adds_one_and_joins_the_account_that_has_it() {
    let s = server().await;
    let f = fixture();
    let hash = &f.hashes[0].1;
    let summary = import(&s, &[line("parcels", "nomail", None, false, hash)]).await;
    assert_eq!((summary.created, summary.pending), (1, 1));

    let b = Browser::new();
    let (_, html) = page(first_step(&s, &b, "NoMail", None, &f.password).await);
    assert!(html.contains("/login/legacy/email"), "{html}");
    assert!(html.contains("Parcel tracking"), "the service by its name");
    let mut form = form_for(&html, "/login/legacy/email", None);
    form.set("email", "not an address");
    let (status, html) = page(b.submit(&s.url, &form).await);
    assert_eq!(status, 400);
    // A typo in the address: back to typing it.
    let mut form = form_for(&html, "/login/legacy/email", None);
    form.set("email", "anna@post.tset");
    let (_, html) = page(b.submit(&s.url, &form).await);
    let mut form = form_for(&html, "/login/legacy/code", None);
    form.set("change", "1");
    let (_, html) = page(b.submit(&s.url, &form).await);
    let mut form = form_for(&html, "/login/legacy/email", None);
    form.set("email", "Anna@Post.test");
    let (_, html) = page(b.submit(&s.url, &form).await);
    assert!(html.contains("/login/legacy/code"), "{html}");
    assert!(
        html.contains("anna@post.test"),
        "the code went to the new address: {html}"
    );
    let code = last_email_code(&s, "anna@post.test");
    let (_, html) = page(enter_code(&s, &b, &html, &code).await);
    let landing = renew(&s, &b, &html, NEW_PASSWORD).await;
    assert!(matches!(landing, Landing::Client(_)), "{landing:?}");

    let anna = user(&s, "anna@post.test").await;
    let rows = legacy_rows(&s, &anna.id).await;
    assert_eq!(rows.len(), 1, "the existing account took the old login in");
    assert_eq!(rows[0].username, "nomail");
    let landing = first_step(&s, &Browser::new(), "anna@post.test", None, NEW_PASSWORD).await;
    assert!(matches!(landing, Landing::Client(_)));
    let (status, _) = page(first_step(&s, &Browser::new(), "anna@post.test", None, PASSWORD).await);
    assert_eq!(status, 401, "the new password replaced the one she had");
}

#[tokio::test]
async fn an_unknown_username_is_refused_like_a_wrong_address() {
    let s = server().await;
    let f = fixture();
    import(
        &s,
        &[line(
            "parcels",
            "jdoe",
            Some("jd@post.test"),
            true,
            &f.hashes[0].1,
        )],
    )
    .await;
    let (s1, h1) = page(first_step(&s, &Browser::new(), "nobody", None, &f.password).await);
    let (s2, h2) = page(first_step(&s, &Browser::new(), "nobody@post.test", None, "x").await);
    let (s3, h3) = page(first_step(&s, &Browser::new(), "jdoe", None, "wrong").await);
    assert_eq!((s1, s2, s3), (401, 401, 401));
    let wrong = "The email address or the password is wrong.";
    assert!(h1.contains(wrong) && h2.contains(wrong) && h3.contains(wrong));
    // The right password in the wrong service is wrong too.
    let (s4, _) =
        page(first_step(&s, &Browser::new(), "jdoe", Some("invoices"), &f.password).await);
    assert_eq!(s4, 401);
}

#[tokio::test]
async fn one_username_of_two_people_in_two_services_is_told_apart_by_the_password_or_service() {
    let s = server().await;
    let f = fixture();
    let (a, b) = ("password of alice 1", "password of bruno 2");
    import(
        &s,
        &[
            line(
                "parcels",
                "jdoe",
                Some("alice@post.test"),
                true,
                &bcrypt_of(a),
            ),
            line(
                "invoices",
                "jdoe",
                Some("bruno@post.test"),
                true,
                &bcrypt_of(b),
            ),
            line(
                "parcels",
                "twin",
                Some("t1@post.test"),
                true,
                &f.hashes[0].1,
            ),
            line(
                "invoices",
                "twin",
                Some("t2@post.test"),
                true,
                &f.hashes[1].1,
            ),
        ],
    )
    .await;
    let (_, html) = page(first_step(&s, &Browser::new(), "jdoe", None, b).await);
    assert!(html.contains("bruno@post.test"), "Bruno's identity: {html}");
    let (_, html) = page(first_step(&s, &Browser::new(), "twin", None, &f.password).await);
    assert!(html.contains("exists in several services"), "{html}");
    let (_, html) =
        page(first_step(&s, &Browser::new(), "twin", Some("invoices"), &f.password).await);
    assert!(html.contains("t2@post.test"), "{html}");
}

#[tokio::test]
async fn username_and_address_share_one_lockout() {
    let s = server_with(|c| c.lockout.max_failures = 3).await;
    let f = fixture();
    import(
        &s,
        &[line(
            "parcels",
            "lock",
            Some("lock@post.test"),
            true,
            &f.hashes[0].1,
        )],
    )
    .await;
    for who in ["lock", "lock@post.test"] {
        let (status, _) = page(first_step(&s, &Browser::new(), who, None, "wrong").await);
        assert_eq!(status, 401);
    }
    let (status, _) = page(first_step(&s, &Browser::new(), "LOCK", None, "wrong").await);
    assert_eq!(status, 403, "the third failure locks");
    let (status, html) =
        page(first_step(&s, &Browser::new(), "lock@post.test", None, &f.password).await);
    assert_eq!(status, 403, "locked for the right password too: {html}");
}

#[tokio::test]
async fn after_the_cutover_usernames_get_a_page_and_addresses_still_sign_in() {
    let s = server_with(|c| c.migration.cutover = "2020-01-01T00:00:00Z".into()).await;
    let f = fixture();
    import(
        &s,
        &[line(
            "parcels",
            "late",
            Some("late@post.test"),
            true,
            &f.hashes[0].1,
        )],
    )
    .await;
    let (_, known) = page(first_step(&s, &Browser::new(), "late", None, &f.password).await);
    let (_, unknown) = page(first_step(&s, &Browser::new(), "never", None, &f.password).await);
    for html in [&known, &unknown] {
        assert!(html.contains("can no longer be used"), "{html}");
        assert!(!html.contains("/login/password"));
    }
    // The field asks for an address only (a text field, so the page above can answer).
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    let started = rp::start(&c, &[], &[]);
    let (_, html) = page(Browser::new().open(&s.url, started.url.as_str()).await);
    assert!(
        !html.contains("id=\"service\""),
        "no old services offered: {html}"
    );
    assert!(html.contains("type=\"text\""), "still a text field: {html}");
    // The old password still opens the identity by its address.
    let (_, html) =
        page(first_step(&s, &Browser::new(), "late@post.test", None, &f.password).await);
    assert!(html.contains("/login/legacy/password"), "{html}");
}

#[tokio::test]
async fn a_password_of_postern_own_retires_the_old_ones_of_an_absorbed_account() {
    let s = server().await;
    let f = fixture();
    let summary = import(
        &s,
        &[line(
            "parcels",
            "anna",
            Some("anna@post.test"),
            true,
            &f.hashes[3].1,
        )],
    )
    .await;
    assert_eq!(
        (summary.created, summary.merged),
        (0, 1),
        "absorbed, not duplicated"
    );
    // Her own password still works, and so does the old one, which leads to the emailed
    // code first: an old password alone never replaces one she chose in Postern.
    let own = first_step(&s, &Browser::new(), "anna@post.test", None, PASSWORD).await;
    assert!(matches!(own, Landing::Client(_)), "{own:?}");
    let (_, html) = page(first_step(&s, &Browser::new(), "anna", None, &f.password).await);
    assert!(html.contains("/login/legacy/code"), "{html}");
    // A change of password from the account console stores one of Postern's own.
    let anna = user(&s, "anna@post.test").await;
    let hash = s
        .state
        .passwords
        .hash(&idp::crypto::Secret::new(NEW_PASSWORD))
        .await
        .unwrap();
    idp::accounts::change_password(&s.state, &anna, &hash, "", true)
        .await
        .unwrap();
    assert!(legacy_rows(&s, &anna.id).await[0].password_hash.is_none());
    let (status, _) = page(first_step(&s, &Browser::new(), "anna", None, &f.password).await);
    assert_eq!(status, 401, "the old password is gone with it");
}

#[tokio::test]
async fn an_old_password_of_an_unconfirmed_address_cannot_take_over_the_account_of_it() {
    // Someone once registered Anna's address at an old service that never checked it.
    let s = server().await;
    let f = fixture();
    let squatter = line(
        "parcels",
        "squatter",
        Some("anna@post.test"),
        false,
        &f.hashes[0].1,
    );
    import(&s, &[squatter]).await;
    let b = Browser::new();
    let (_, html) = page(first_step(&s, &b, "squatter", None, &f.password).await);
    assert!(
        html.contains("/login/legacy/code"),
        "the code first: {html}"
    );
    assert!(!html.contains("/login/legacy/password"), "{html}");
    // Without the code the renewal is refused.
    let mut form = form_for(&html, "/login/legacy/code", None);
    form.action = "/login/legacy/password".into();
    form.set("password", NEW_PASSWORD);
    form.set("password2", NEW_PASSWORD);
    let (_, html) = page(b.submit(&s.url, &form).await);
    assert!(
        html.contains("/login/legacy/code"),
        "still at the code: {html}"
    );
    let own = first_step(&s, &Browser::new(), "anna@post.test", None, PASSWORD).await;
    assert!(
        matches!(own, Landing::Client(_)),
        "Anna's password is hers: {own:?}"
    );
}
