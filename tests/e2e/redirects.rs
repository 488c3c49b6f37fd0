//! Return targets that try to leave the site: every page that takes one answers with a page
//! or a redirect on the issuer's own origin, never a 5xx, whatever the query string holds.

use postern_tests::*;

/// Values a return target (or a parameter put into one) may be sent as, already
/// percent-encoded as they appear in the query string.
const HOSTILE: [&str; 24] = [
    "/%09/evil.example",
    "/%0D%0ALocation:%20https://evil.example",
    "/%0Aevil",
    "/%00",
    "/%7F",
    "/%C2%85evil",
    "//evil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%5C/evil.example",
    "/.//evil.example",
    "/./%2F/evil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "/@evil.example",
    "//user:pw@evil.example",
    "/%E2%80%AE/evil",
    "/%EF%BC%8F%EF%BC%8Fevil.example",
    "%ZZ",
    "/%C3",
    "/%2509/evil.example",
    "",
];

/// Pages that take a return target, or a value that ends up in one.
const PAGES: [&str; 10] = [
    "/language?set=de&return=",
    "/language?return=",
    "/account?next=",
    "/account/data?return=",
    "/invitations/accept?token=",
    "/login?tx=",
    "/register?tx=",
    "/login/factor?tx=",
    "/consent?tx=",
    "/recover/reset?token=",
];

#[tokio::test]
async fn hostile_return_targets_stay_on_the_site_and_never_fail() {
    let s = spawn().await;
    let base = url::Url::parse(&s.url).unwrap();
    for page in PAGES {
        for evil in HOSTILE {
            let url = format!("{}{page}{evil}", s.url);
            let resp = Browser::new().http.get(&url).send().await.unwrap();
            let status = resp.status().as_u16();
            assert!(status < 500, "{page}{evil}: {status}");
            if let Some(to) = resp.headers().get("location") {
                let to = to
                    .to_str()
                    .unwrap_or_else(|_| panic!("{page}{evil}: Location {to:?}"));
                assert!(
                    to.bytes().all(|b| b.is_ascii_graphic()),
                    "{page}{evil} -> {to:?}"
                );
                let target = base.join(to).unwrap();
                assert_eq!(target.origin(), base.origin(), "{page}{evil} -> {to}");
            }
        }
    }
}
