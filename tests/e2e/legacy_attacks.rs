//! An adversarial review of the first sign-in of imported accounts (issue 17): what an old
//! password, an old username or an unconfirmed old address gives an attacker, the emailed
//! code, concurrency, enumeration, lockout, erased identities and bad input. A test that
//! fails here pins a defect; one that passes confirms a behaviour the other tests do not.

use std::time::{Duration, Instant};

use postern_tests::*;

use crate::legacy::{
    NEW_PASSWORD, bcrypt_of, enter_code, first_step, fixture, import, last_email_code, line, page,
    renew, server_with, user,
};

/// Someone once registered Anna's address at an old service that never checked it, and
/// knows that account's old password.
async fn with_squatter(adjust: impl FnOnce(&mut idp::Config)) -> (TestServer, String) {
    let s = server_with(adjust).await;
    let f = fixture();
    let squatter = line(
        "parcels",
        "squatter",
        Some("anna@post.test"),
        false,
        &f.hashes[0].1,
    );
    import(&s, &[squatter]).await;
    (s, f.password)
}

#[tokio::test]
async fn a_squatters_old_password_does_not_reset_the_lockout_of_the_account_it_names() {
    let (s, old) = with_squatter(|c| c.lockout.max_failures = 3).await;
    // Two guesses at Anna's password, then the squatter's own old password (a proof of
    // nothing about Anna: it only leads to a code sent to her), and again.
    let mut statuses = Vec::new();
    for _ in 0..3 {
        for _ in 0..2 {
            let landing = first_step(&s, &Browser::new(), "anna@post.test", None, "guess").await;
            statuses.push(page(landing).0);
        }
        let (_, html) = page(first_step(&s, &Browser::new(), "squatter", None, &old).await);
        assert!(!html.contains("/login/legacy/password"), "{html}");
    }
    let own = first_step(&s, &Browser::new(), "anna@post.test", None, PASSWORD).await;
    assert!(
        !matches!(own, Landing::Client(_)),
        "six wrong guesses at Anna's password with a lockout of three, and still not locked \
         ({statuses:?}): the squatter's old password cleared her failure count"
    );
}

#[tokio::test]
async fn wrong_emailed_codes_are_bounded_across_resends() {
    let (s, old) = with_squatter(|c| c.lockout.max_failures = 5).await;
    let b = Browser::new();
    let (_, mut html) = page(first_step(&s, &b, "squatter", None, &old).await);
    assert!(html.contains("/login/legacy/code"), "{html}");
    let mut wrong = 0;
    let mut status = 200;
    'rounds: for round in 0..4 {
        // Six tries spend a code (five wrong ones are allowed); a resend brings a fresh one.
        for i in 0..6 {
            if !html.contains("/login/legacy/code") {
                break 'rounds;
            }
            let guess = format!("{:06}", 100_000 + round * 10 + i);
            (status, html) = page(enter_code(&s, &b, &html, &guess).await);
            wrong += 1;
        }
        let mut form = form_for(&html, "/login/legacy/code", None);
        form.set("resend", "1");
        (status, html) = page(b.submit(&s.url, &form).await);
    }
    if html.contains("/login/legacy/code") {
        let code = last_email_code(&s, "anna@post.test");
        let (_, html) = page(enter_code(&s, &b, &html, &code).await);
        assert!(
            !html.contains("/login/legacy/password"),
            "after {wrong} wrong codes for Anna's mailbox the next one is still accepted: \
             guesses at the emailed code count against nothing but the code itself"
        );
    } else {
        assert_eq!(
            status, 403,
            "the lock page after {wrong} wrong codes: {html}"
        );
        assert!(wrong <= 6, "locked only after {wrong} wrong codes");
    }
}

#[tokio::test]
async fn choosing_no_service_gives_no_extra_guesses_at_an_old_password() {
    // One username of two people: Bruno knows his own old password, not Alice's.
    let s = server_with(|c| c.lockout.max_failures = 3).await;
    let (alice, bruno) = ("password of alice 1", "password of bruno 2");
    import(
        &s,
        &[
            line(
                "parcels",
                "jdoe",
                Some("alice@post.test"),
                true,
                &bcrypt_of(alice),
            ),
            line(
                "invoices",
                "jdoe",
                Some("bruno@post.test"),
                true,
                &bcrypt_of(bruno),
            ),
        ],
    )
    .await;
    // Each guess without a service is checked against Alice's old hash too; Bruno's own
    // password, typed in between, is a success of the same lockout key.
    for _ in 0..3 {
        for _ in 0..2 {
            first_step(&s, &Browser::new(), "jdoe", None, "a guess").await;
        }
        // (Whatever a fix answers Bruno here, the last assertion is what matters.)
        first_step(&s, &Browser::new(), "jdoe", None, bruno).await;
    }
    let landing = first_step(&s, &Browser::new(), "jdoe", None, alice).await;
    let (status, html) = page(landing);
    assert!(
        !html.contains("alice@post.test") && status == 403,
        "six wrong guesses at Alice's old password with a lockout of three, and the right \
         one opens her identity ({status}): {html}"
    );
}

#[tokio::test]
async fn an_old_password_alone_does_not_replace_the_password_an_identity_already_has() {
    // Anna has her own Postern password; an old account with her address was absorbed, and
    // its old service had confirmed that address (years ago). Its old hash leaked.
    let s = server_with(|_| {}).await;
    let f = fixture();
    import(
        &s,
        &[line(
            "parcels",
            "anna",
            Some("anna@post.test"),
            true,
            &f.hashes[13].1,
        )],
    )
    .await;
    let b = Browser::new();
    let (_, html) = page(first_step(&s, &b, "anna", None, &f.password).await);
    if html.contains("/login/legacy/password") {
        renew(&s, &b, &html, NEW_PASSWORD).await;
    }
    let own = first_step(&s, &Browser::new(), "anna@post.test", None, PASSWORD).await;
    assert!(
        matches!(own, Landing::Client(_)),
        "with only a 2009 MD5-crypt password, and no code sent to her mailbox, someone \
         replaced the password Anna chose in Postern: {own:?}"
    );
}

#[tokio::test]
async fn an_erased_identity_does_not_come_back_with_its_old_password_on_reimport() {
    let s = server_with(|_| {}).await;
    let f = fixture();
    let gone = line(
        "parcels",
        "gone",
        Some("gone@post.test"),
        true,
        &f.hashes[0].1,
    );
    assert_eq!(import(&s, std::slice::from_ref(&gone)).await.created, 1);
    let u = user(&s, "gone@post.test").await;
    idp::accounts::deletion::request_by(&s.state, &u, None, None)
        .await
        .unwrap();
    // Asked for deletion: the old password is refused like a wrong one.
    let (status, _) = page(first_step(&s, &Browser::new(), "gone", None, &f.password).await);
    assert_eq!(status, 401);
    let grace = s.state.config.accounts.deletion_grace.as_secs() as i64;
    s.clock.advance(grace + 60);
    assert_eq!(
        idp::accounts::deletion::purge(&s.state).await.unwrap(),
        1,
        "erased"
    );
    // The operator imports the same export file again (a resumed or repeated run).
    let again = import(&s, &[gone]).await;
    let back = s
        .state
        .stores
        .users
        .find_user_by_email("gone@post.test")
        .await
        .unwrap();
    assert!(
        back.is_none() && again.created == 0,
        "the erased person's identity, name and old password are back: {again:?}"
    );
}

#[tokio::test]
async fn a_pending_account_confirmed_in_one_browser_leaves_no_identity_for_the_other_address() {
    let s = server_with(|_| {}).await;
    let f = fixture();
    let pending = line("parcels", "nomail", None, false, &f.hashes[0].1);
    import(&s, &[pending]).await;
    // The owner (or whoever knows the old password) types two addresses in two browsers.
    let mut at_code = Vec::new();
    for (b, to) in [
        (Browser::new(), "one@post.test"),
        (Browser::new(), "two@post.test"),
    ] {
        let (_, html) = page(first_step(&s, &b, "nomail", None, &f.password).await);
        let mut form = form_for(&html, "/login/legacy/email", None);
        form.set("email", to);
        let (_, html) = page(b.submit(&s.url, &form).await);
        assert!(html.contains("/login/legacy/code"), "{html}");
        at_code.push((b, to, html));
    }
    let mut landed = Vec::new();
    for (b, to, html) in &at_code {
        let code = last_email_code(&s, to);
        landed.push(page(enter_code(&s, b, html, &code).await).1);
    }
    assert!(
        landed[0].contains("/login/legacy/password"),
        "{}",
        landed[0]
    );
    assert!(
        landed[1].contains("/login/identify"),
        "the second is sent back: {}",
        landed[1]
    );
    let orphan = s
        .state
        .stores
        .users
        .find_user_by_email("two@post.test")
        .await
        .unwrap();
    assert!(
        orphan.is_none(),
        "a refused first sign-in made an identity (with the old name and phone) that holds \
         no login at all: {orphan:?}"
    );
}

/// The median of five timed first steps.
async fn median_first_step(s: &TestServer, who: &str, password: &str) -> Duration {
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let (status, _) = page(first_step(s, &Browser::new(), who, None, password).await);
        times.push(t.elapsed());
        assert_eq!(status, 401, "{who}");
    }
    times.sort();
    times[2]
}

#[tokio::test]
async fn a_known_username_takes_as_long_to_refuse_as_an_unknown_one() {
    // Production hashing cost: what an attacker times.
    let s = server_with(|c| {
        c.password = idp::Config::default().password;
        c.lockout.max_failures = 1000;
    })
    .await;
    let f = fixture();
    // An LDAP {SSHA} hash: one SHA-1, microseconds.
    import(
        &s,
        &[line(
            "parcels",
            "known",
            Some("known@post.test"),
            true,
            &f.hashes[8].1,
        )],
    )
    .await;
    let unknown = median_first_step(&s, "nobody", "a wrong password").await;
    let known = median_first_step(&s, "known", "a wrong password").await;
    assert!(
        known * 2 >= unknown,
        "an unknown username is refused in {unknown:?}, a known one in {known:?}: the \
         timing class tells which usernames existed"
    );
}

#[tokio::test]
async fn a_huge_password_does_not_cost_a_sha_crypt_verification_of_its_whole_length() {
    let s = server_with(|c| c.lockout.max_failures = 1000).await;
    let f = fixture();
    // SHA-512-crypt, 1,000 rounds (real exports have 5,000 to 656,000: up to 1,000,000
    // are accepted); its cost grows with the length of the password.
    import(
        &s,
        &[line(
            "parcels",
            "crypt",
            Some("crypt@post.test"),
            true,
            &f.hashes[12].1,
        )],
    )
    .await;
    let short = timed_first_step(&s, "crypt", "a wrong password").await;
    // 8 kB: an eighth of what a form may carry.
    let long = timed_first_step(&s, "crypt", &"x".repeat(8_000)).await;
    assert!(
        long < short * 5 + Duration::from_millis(200),
        "a short wrong password costs {short:?}, an 8 kB one {long:?} of a hashing thread \
         (SHA-crypt is quadratic in the length: 60 kB take minutes)"
    );
}

async fn timed_first_step(s: &TestServer, who: &str, password: &str) -> Duration {
    let t = Instant::now();
    let (status, _) = page(first_step(s, &Browser::new(), who, None, password).await);
    // Refused; a fix may refuse a password that long outright (400).
    assert!((400..500).contains(&status), "{who}: {status}");
    t.elapsed()
}

/// The code page of a squatter's first sign-in, and its form.
async fn at_code(s: &TestServer, b: &Browser, old: &str) -> (String, Form) {
    let (_, html) = page(first_step(s, b, "squatter", None, old).await);
    let form = form_for(&html, "/login/legacy/code", None);
    (html, form)
}

fn field(form: &Form, name: &str) -> String {
    form.fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no {name} in {form:?}"))
}

#[tokio::test]
async fn a_code_works_only_for_its_own_sign_in_once_and_nothing_skips_it() {
    let (s, old) = with_squatter(|_| {}).await;
    let (b1, b2) = (Browser::new(), Browser::new());
    let (html1, form1) = at_code(&s, &b1, &old).await;
    let code1 = last_email_code(&s, "anna@post.test");
    let (html2, form2) = at_code(&s, &b2, &old).await;
    let code2 = last_email_code(&s, "anna@post.test");
    assert_ne!(code1, code2, "each sign-in has a code of its own");
    // The code of the other sign-in, in either browser.
    let (status, html) = page(enter_code(&s, &b1, &html1, &code2).await);
    assert_eq!(status, 400, "{html}");
    // The new password posted straight, with this transaction or the other one.
    for (b, form) in [(&b1, &form1), (&b1, &form2), (&b2, &form1)] {
        let mut f = form.clone();
        f.action = "/login/legacy/password".into();
        f.set("password", NEW_PASSWORD);
        f.set("password2", NEW_PASSWORD);
        let landing = b.submit(&s.url, &f).await;
        assert!(!matches!(landing, Landing::Client(_)), "{landing:?}");
    }
    // Its own code works once; entered again (a replay) it does not open the other.
    let (_, html) = page(enter_code(&s, &b2, &html2, &code2).await);
    assert!(html.contains("/login/legacy/password"), "{html}");
    let (status, html) = page(enter_code(&s, &b1, &html1, &code2).await);
    assert_eq!(status, 400, "{html}");
    assert!(!html.contains("/login/legacy/password"), "{html}");
    // Nothing of Anna's changed.
    let own = first_step(&s, &Browser::new(), "anna@post.test", None, PASSWORD).await;
    assert!(matches!(own, Landing::Client(_)), "{own:?}");
}

#[tokio::test]
async fn the_old_password_of_a_disabled_identity_is_refused_like_a_wrong_one() {
    let s = server_with(|_| {}).await;
    let f = fixture();
    import(
        &s,
        &[line(
            "parcels",
            "off",
            Some("off@post.test"),
            true,
            &f.hashes[0].1,
        )],
    )
    .await;
    let mut u = user(&s, "off@post.test").await;
    u.disabled = true;
    s.state.stores.users.update_user(&u).await.unwrap();
    let (s1, right) = page(first_step(&s, &Browser::new(), "off", None, &f.password).await);
    let (s2, wrong) = page(first_step(&s, &Browser::new(), "off", None, "wrong").await);
    assert_eq!((s1, s2), (401, 401));
    let msg = "The email address or the password is wrong.";
    assert!(right.contains(msg) && wrong.contains(msg));
}

#[tokio::test]
async fn bad_input_on_the_legacy_forms_gets_a_page_never_a_server_error() {
    let (s, old) = with_squatter(|_| {}).await;
    let b = Browser::new();
    let (_, form) = at_code(&s, &b, &old).await;
    let tx = field(&form, "tx");
    let huge = "9".repeat(60_000);
    let mut cases: Vec<(&str, Form)> = Vec::new();
    for action in [
        "/login/legacy/code",
        "/login/legacy/email",
        "/login/legacy/password",
    ] {
        let mut f = form.clone();
        f.action = action.into();
        let mut no_tx = f.clone();
        no_tx.fields.retain(|(k, _)| k != "tx");
        cases.push(("no tx", no_tx));
        let mut no_csrf = f.clone();
        no_csrf.fields.retain(|(k, _)| k != "csrf");
        cases.push(("no csrf", no_csrf));
        let mut other_tx = f.clone();
        other_tx.set("tx", "not-a-transaction");
        cases.push(("unknown tx", other_tx));
        let mut big = f.clone();
        for name in ["code", "email", "password", "password2"] {
            big.set(name, &huge[..12_000]);
        }
        cases.push(("huge values", big));
        let mut big_tx = f.clone();
        big_tx.set("tx", &huge);
        cases.push(("huge tx", big_tx));
        // An address for an identity that has one: the wrong step.
        let mut wrong_step = f.clone();
        wrong_step.set("email", "mallory@post.test");
        cases.push(("wrong step", wrong_step));
    }
    for (what, f) in &cases {
        let (status, html) = page(b.submit(&s.url, f).await);
        assert!(
            status < 500 && html.contains("<html"),
            "{what} to {}: {status} {html}",
            f.action
        );
    }
    for url in [
        "/login/legacy".to_owned(),
        "/login/legacy?tx=nope".to_owned(),
        format!("/login/legacy?tx={tx}"),
    ] {
        let (status, html) = page(b.open(&s.url, &format!("{}{url}", s.url)).await);
        assert!(status < 500 && html.contains("<html"), "{url}: {status}");
    }
    // None of it moved the sign-in past the code.
    let (_, html) = page(
        b.open(&s.url, &format!("{}/login/legacy?tx={tx}", s.url))
            .await,
    );
    assert!(html.contains("/login/legacy/code"), "{html}");
}
