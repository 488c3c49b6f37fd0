//! A service's name and logo per language (`client_name`, `logo_uri`, `…#fr`; OpenID
//! Connect Dynamic Client Registration 1.0 §2.1): set, changed and cleared through the
//! management API, the logo fetched once and served from Postern's own origin, and shown
//! on the pages in their language, never with the client id in its place. What a logo URL
//! must not make Postern do is in `client_face_attacks.rs`.

use postern_tests::{logos::*, *};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    admin_api::{Reply, call, tool_token},
    rp,
};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A server that may fetch logos from the loopback interface (`clients.logo_uri_loopback`,
/// as in development), and a token of the operator's client tool.
pub(crate) async fn setup() -> (TestServer, String) {
    let s = spawn_with(|c| c.clients.logo_uri_loopback = true).await;
    let t = tool_token(&s, "admin:clients").await;
    (s, t)
}

/// The sign-in page of client `id` with `ui_locales`.
pub(crate) async fn sign_in_page(s: &TestServer, id: &str, lang: &str) -> String {
    let c = rp::client(s, id, None).await;
    let started = rp::start(&c, &[], &[("ui_locales", lang)]);
    match Browser::new().open(&s.url, started.url.as_str()).await {
        Landing::Page(200, html) => html,
        other => panic!("a sign-in page, got {other:?}"),
    }
}

async fn read(s: &TestServer, t: &str, id: &str) -> Reply {
    call(s, Some(t), "GET", &format!("/clients/{id}"), None, None).await
}

async fn patch(s: &TestServer, t: &str, id: &str, body: Value) -> Reply {
    call(
        s,
        Some(t),
        "PATCH",
        &format!("/clients/{id}"),
        Some(body),
        None,
    )
    .await
}

#[tokio::test]
async fn names_and_logos_per_language_are_set_changed_and_cleared_through_the_api() {
    let (s, t) = setup().await;
    let logos = logo_server().await;
    let new = json!({
        "client_id": "parcels",
        "client_name": "Parcel tracking",
        "client_name#fr": "Suivi des colis",
        "client_name#FI": "Lähetysten seuranta",
        "logo_uri": logos.at("/logo.png"),
        "logo_uri#de": logos.at("/logo.gif"),
        "redirect_uris": ["https://rp.test/cb"],
    });
    let created = call(&s, Some(&t), "POST", "/clients", Some(new), None).await;
    assert_eq!(created.status, 201, "{created:?}");
    let c = &created.body["client"];
    assert_eq!(c["client_name"], "Parcel tracking");
    assert_eq!(c["client_name#fr"], "Suivi des colis");
    assert_eq!(
        c["client_name#fi"], "Lähetysten seuranta",
        "tags in lower case"
    );
    assert_eq!(c["logo_uri"], logos.at("/logo.png"));
    assert_eq!(c["logo_uri#de"], logos.at("/logo.gif"));
    assert!(c.get("client_name#de").is_none(), "{c}");
    assert_eq!(logos.hits(), 2, "each logo fetched once");

    // Served from Postern itself, under the image's SHA-256, for good.
    for (bytes, kind) in [(png(), "image/png"), (gif(), "image/gif")] {
        let r = reqwest::get(format!("{}/assets/logos/{}", s.url, sha256_hex(&bytes)))
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers();
        assert_eq!(h["content-type"], kind);
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin");
        assert_eq!(r.bytes().await.unwrap(), bytes);
    }
    for unknown in [
        sha256_hex(b"nothing"),
        "..%2F..%2Fetc%2Fpasswd".into(),
        "ABC".into(),
    ] {
        let r = reqwest::get(format!("{}/assets/logos/{unknown}", s.url))
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{unknown}");
    }
    assert_eq!(
        logos.hits(),
        2,
        "the pages never send anyone to the logo's origin"
    );

    // A change: one language's name and logo removed, the default logo replaced (fetched
    // anew), a Swedish name added; the rest stays.
    let changed = patch(
        &s,
        &t,
        "parcels",
        json!({
            "client_name#fr": null,
            "logo_uri#de": null,
            "logo_uri": logos.at("/to-png"),
            "client_name#sv": "Paketspårning",
        }),
    )
    .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    let c = &changed.body;
    assert!(c.get("client_name#fr").is_none(), "{c}");
    assert!(c.get("logo_uri#de").is_none(), "{c}");
    assert_eq!(c["client_name#sv"], "Paketspårning");
    assert_eq!(c["client_name#fi"], "Lähetysten seuranta");
    assert_eq!(c["logo_uri"], logos.at("/to-png"), "the URI as given");
    assert_eq!(logos.hits(), 4, "the redirect and its target");
    let cleared = patch(
        &s,
        &t,
        "parcels",
        json!({"client_name": null, "logo_uri": null}),
    )
    .await;
    assert_eq!(cleared.status, 200, "{cleared:?}");
    assert_eq!(cleared.body["client_name"], Value::Null);
    assert_eq!(cleared.body["logo_uri"], Value::Null);
    assert_eq!(read(&s, &t, "parcels").await.body, cleared.body);

    // What no registration may carry, as RFC 9457 problems.
    let before = read(&s, &t, "parcels").await;
    for (body, status, field) in [
        (
            json!({"client_name#es": "Seguimiento"}),
            422,
            "client_name#es:",
        ),
        (
            json!({"client_name#fr-CH": "Suivi"}),
            422,
            "client_name#fr-CH:",
        ),
        (
            json!({"logo_uri#": "https://x.test/a.png"}),
            422,
            "logo_uri#:",
        ),
        (
            json!({"client_name#fr": 5}),
            400,
            "invalid JSON body: client_name#fr",
        ),
        (
            json!({"nickname#fr": "x"}),
            400,
            "invalid JSON body: nickname#fr: unknown field",
        ),
        (json!({"client_name": "x".repeat(201)}), 422, "client_name:"),
        (
            json!({"client_name#de": "a\u{202E}b"}),
            422,
            "client_name#de:",
        ),
        (
            json!({"logo_uri#it": "javascript:alert(1)"}),
            422,
            "logo_uri#it:",
        ),
    ] {
        let r = patch(&s, &t, "parcels", body.clone()).await;
        assert_eq!(r.status, status, "{body}: {r:?}");
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.starts_with(field), "{body}: {detail}");
        if status == 422 {
            assert_eq!(
                r.body["type"],
                "urn:postern:problem:invalid-client-metadata"
            );
        }
    }
    assert_eq!(
        read(&s, &t, "parcels").await.etag,
        before.etag,
        "nothing changed"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_language_s_members() {
    let s = spawn().await;
    let doc = openapi_document(&s).await;
    let schemas = &doc["components"]["schemas"];
    for schema in ["NewClientBody", "ClientPatchBody", "ClientView"] {
        let props = &schemas[schema]["properties"];
        for member in ["client_name", "logo_uri"] {
            assert!(props[member].is_object(), "{schema}.{member}");
            for lang in ["en", "fr", "de", "it", "sv", "fi"] {
                let tagged = &props[format!("{member}#{lang}")];
                assert!(tagged.is_object(), "{schema}.{member}#{lang}");
            }
        }
        assert!(
            props.get("name").is_none(),
            "{schema}: one field for the name"
        );
    }
    assert_eq!(
        schemas["ClientPatchBody"]["properties"]["client_name#fr"]["type"],
        json!(["string", "null"]),
        "a change clears with null"
    );
}

#[tokio::test]
async fn the_pages_show_the_name_and_logo_of_their_language_and_never_the_client_id() {
    let (s, t) = setup().await;
    let logos = logo_server().await;
    let new = json!({
        "client_id": "rp-7f3a",
        "client_name": "Parcel tracking",
        "client_name#fr": "Suivi des colis",
        "logo_uri": logos.at("/logo.png"),
        "logo_uri#de": logos.at("/logo.gif"),
        "redirect_uris": ["https://rp.test/cb"],
    });
    let r = call(&s, Some(&t), "POST", "/clients", Some(new), None).await;
    assert_eq!(r.status, 201, "{r:?}");
    // The pages escape `/` in attribute values as `&#x2f;`, which a browser reads as `/`.
    let src = |hash: String| format!("<img src=\"&#x2f;assets&#x2f;logos&#x2f;{hash}\" alt=\"\">");
    let (png_img, gif_img) = (src(sha256_hex(&png())), src(sha256_hex(&gif())));
    let fr = sign_in_page(&s, "rp-7f3a", "fr").await;
    assert!(fr.contains("Suivi des colis"), "{fr}");
    assert!(fr.contains(&png_img), "{fr}");
    let de = sign_in_page(&s, "rp-7f3a", "de").await;
    assert!(de.contains("Parcel tracking"), "the untagged name: {de}");
    assert!(de.contains(&gif_img), "the German logo: {de}");
    assert!(!de.contains(&png_img));
    for html in [&fr, &de] {
        assert!(!html.contains("rp-7f3a"), "{html}");
        assert!(
            !html.contains(&logos.url),
            "no address of the logo's origin: {html}"
        );
    }
}

#[tokio::test]
async fn a_client_without_a_name_is_not_named_by_its_id() {
    let s = spawn().await;
    let mut bare = ClientSpec::confidential("bare-rp");
    bare.first_party = false;
    s.client(bare).await;
    s.user("anna@post.test").await;
    for lang in ["en", "fi"] {
        let html = sign_in_page(&s, "bare-rp", lang).await;
        assert!(!html.contains("bare-rp"), "{html}");
        assert!(
            !html.contains("class=\"service"),
            "no line about the service: {html}"
        );
    }
    let c = rp::client(&s, "bare-rp", Some(&rp::secret_of("bare-rp"))).await;
    let started = rp::start(&c, &["email"], &[]);
    let b = Browser::new();
    let Landing::Page(200, html) = b.open(&s.url, started.url.as_str()).await else {
        panic!("the sign-in page")
    };
    let mut form = form_for(&html, "/login/identify", None);
    form.set("email", "anna@post.test");
    let Landing::Page(200, html) = b.submit(&s.url, &form).await else {
        panic!("the password page")
    };
    assert!(!html.contains("bare-rp"), "{html}");
    let mut form = form_for(&html, "/login/password", None);
    form.set("password", PASSWORD);
    let Landing::Page(200, consent) = b.submit(&s.url, &form).await else {
        panic!("the consent page of a third-party client")
    };
    assert!(!consent.contains("bare-rp"), "{consent}");
    assert!(consent.contains("A service asks to:"), "{consent}");
}

#[tokio::test]
async fn a_name_with_markup_is_shown_as_text() {
    let (s, t) = setup().await;
    let name = r#"<img src=x onerror="alert(1)"><script>alert(2)</script>"#;
    let new = json!({
        "client_id": "markup",
        "client_name": name,
        "redirect_uris": ["https://rp.test/cb"],
    });
    let r = call(&s, Some(&t), "POST", "/clients", Some(new), None).await;
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.body["client"]["client_name"], name, "kept as given");
    let html = sign_in_page(&s, "markup", "en").await;
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(2)&lt;&#x2f;script&gt;"),
        "{html}"
    );
}
