//! Pages in six languages: `ui_locales`, `Accept-Language`, the language switch, error
//! pages, and a language switch that stays on the site.

use postern_tests::*;

use crate::rp;

/// The sign-in page's heading in each language.
const SIGN_IN: [(&str, &str); 6] = [
    ("en", "Sign in"),
    ("fr", "Connexion"),
    ("de", "Anmelden"),
    ("it", "Accedi"),
    ("sv", "Logga in"),
    ("fi", "Kirjaudu sisään"),
];

async fn setup() -> (TestServer, rp::Client) {
    let s = spawn().await;
    s.client(ClientSpec::confidential("shop")).await;
    let c = rp::client(&s, "shop", Some(&rp::secret_of("shop"))).await;
    (s, c)
}

fn heading(html: &str) -> &str {
    let start = html.find("<h1>").expect("a heading") + 4;
    let end = html[start..].find("</h1>").unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn ui_locales_chooses_the_language_of_the_sign_in_page() {
    let (s, c) = setup().await;
    for (lang, title) in SIGN_IN {
        let started = rp::start(&c, &[], &[("ui_locales", &format!("xx {lang}-CH"))]);
        let Landing::Page(200, html) = Browser::new().open(&s.url, started.url.as_str()).await
        else {
            panic!("a sign-in page")
        };
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{html}");
        assert_eq!(heading(&html), title, "{lang}");
        // Every page offers the switch to the other languages.
        for (other, _) in SIGN_IN {
            assert!(html.contains(&format!("hreflang=\"{other}\"")), "{html}");
        }
    }
}

#[tokio::test]
async fn accept_language_applies_when_the_service_does_not_say() {
    let (s, c) = setup().await;
    let started = rp::start(&c, &[], &[]);
    // A browser sends its languages with every request.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "da, it;q=0.8, de;q=0.5".parse().unwrap());
    let b = Browser {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap(),
    };
    let Landing::Page(200, html) = b.open(&s.url, started.url.as_str()).await else {
        panic!("a sign-in page")
    };
    assert!(html.contains("<html lang=\"it\""));
    assert_eq!(heading(&html), "Accedi");

    let started = rp::start(&c, &[], &[]);
    let Landing::Page(200, html) = Browser::new().open(&s.url, started.url.as_str()).await else {
        panic!("a sign-in page")
    };
    assert_eq!(heading(&html), "Sign in", "English without any hint");
}

#[tokio::test]
async fn the_switch_sets_the_language_and_returns_to_the_page() {
    let (s, c) = setup().await;
    let b = Browser::new();
    let started = rp::start(&c, &[], &[("ui_locales", "fr")]);
    let Landing::Page(200, html) = b.open(&s.url, started.url.as_str()).await else {
        panic!("a sign-in page")
    };
    assert_eq!(heading(&html), "Connexion");
    let link = html
        .split("href=\"")
        .map(|p| &p[..p.find('"').unwrap()])
        .find(|h| h.contains("set=fi"))
        .expect("a link to Finnish")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    let Landing::Page(200, html) = b.open(&s.url, &format!("{}{link}", s.url)).await else {
        panic!("back on the sign-in page")
    };
    assert_eq!(
        heading(&html),
        "Kirjaudu sisään",
        "the choice in this browser beats ui_locales"
    );
    assert!(html.contains("name=\"email\""), "the same sign-in page");

    // Error pages speak the chosen language too.
    let Landing::Page(404, html) = b.open(&s.url, &format!("{}/no/such/page", s.url)).await else {
        panic!("not found")
    };
    assert_eq!(heading(&html), "Sivua ei löydy");
}

#[tokio::test]
async fn the_switch_never_leaves_the_site() {
    let (s, _) = setup().await;
    for evil in ["//evil.test/x", "https://evil.test/", "/\\evil.test"] {
        let url = format!("{}/language?set=de&return={}", s.url, urlencode(evil));
        let resp = Browser::new().http.get(&url).send().await.unwrap();
        let to = resp.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            to.starts_with('/') && !to.starts_with("//"),
            "{evil} -> {to}"
        );
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
