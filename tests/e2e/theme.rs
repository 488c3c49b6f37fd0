//! The operator's look over HTTP: the logo and the colour stylesheet are served from
//! Postern's own origin, cacheable for good under addresses that change with their content,
//! and nothing else answers at a logo address.

use postern_tests::*;

const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR not a whole image, but a PNG by its signature";

async fn themed() -> TestServer {
    let logo = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(logo.path(), LOGO).unwrap();
    let path = logo.path().display().to_string();
    let s = spawn_with(|c| {
        c.ui.logo = path;
        c.ui.product_name = "Nordpost".into();
        c.ui.colors.accent = "#0055aa".into();
        c.ui.colors.on_accent = "#ffffff".into();
        c.ui.links.help = "/help/{lang}".into();
    })
    .await;
    // The file was read at start-up: the server serves it after it is gone.
    drop(logo);
    s
}

fn attr<'a>(html: &'a str, before: &str) -> &'a str {
    let start = html
        .find(before)
        .unwrap_or_else(|| panic!("{before} in {html}"))
        + before.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

#[tokio::test]
async fn the_logo_and_colours_come_from_our_own_origin_cached_for_good() {
    let s = themed().await;
    let http = reqwest::Client::new();
    let page = http
        .get(format!("{}/login", s.url))
        .header("accept-language", "sv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        // As a browser reads attribute values (minijinja escapes `/`).
        .replace("&#x2f;", "/");
    let logo = attr(&page, "<img class=\"logo\" src=\"").to_owned();
    assert!(
        logo.starts_with("/assets/logo-") && logo.ends_with(".png"),
        "{logo}"
    );
    assert!(page.contains("alt=\"Nordpost\""), "{page}");
    assert!(page.contains("<a href=\"/help/sv\">Hjälp</a>"), "{page}");

    let r = http.get(format!("{}{logo}", s.url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(&r.bytes().await.unwrap()[..], LOGO);

    let css = attr(&page, "<link rel=\"stylesheet\" href=\"/assets/theme.css").to_owned();
    let r = http
        .get(format!("{}/assets/theme.css{css}", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    let body = r.text().await.unwrap();
    assert!(
        body.contains("--accent: #0055aa;") && body.contains("--on-accent: #ffffff;"),
        "{body}"
    );
}

#[tokio::test]
async fn no_other_file_answers_at_a_logo_address() {
    let s = themed().await;
    let plain = spawn().await;
    let http = reqwest::Client::new();
    for (server, path) in [
        (&s, "/assets/logo-0000000000000000.png"),
        (&s, "/assets/..%2Fconfig%2Fdefault.toml"),
        (&s, "/assets/theme.css.map"),
        (&plain, "/assets/logo-0000000000000000.png"),
    ] {
        let r = http
            .get(format!("{}{path}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    // Without a theme the stylesheet is empty and the page names the product in text.
    let page = http
        .get(format!("{}/login", plain.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("class=\"logo\""), "{page}");
    assert!(!page.contains("/assets/theme.css"), "{page}");
}
