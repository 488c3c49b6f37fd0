//! What a `logo_uri` must not make Postern do: take what is not a raster image (SVG can
//! carry script), read without end, follow redirects for ever or away from the rules, or,
//! without `clients.logo_uri_loopback`, reach the loopback interface at all. A logo that
//! cannot be had refuses the registration or the change, and nothing of it is saved.

use postern_tests::{logos::*, *};
use serde_json::json;

use crate::{
    admin_api::{call, tool_token},
    client_face::setup,
};

#[tokio::test]
async fn a_logo_that_cannot_be_had_refuses_the_change_and_saves_nothing() {
    let (s, t) = setup().await;
    let logos = logo_server().await;
    // A port nothing listens on: bound, then let go.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/logo.png", l.local_addr().unwrap())
    };
    let new = json!({
        "client_id": "parcels", "client_name": "Parcels",
        "logo_uri": logos.at("/logo.png"), "redirect_uris": ["https://rp.test/cb"],
    });
    let r = call(&s, Some(&t), "POST", "/clients", Some(new), None).await;
    assert_eq!(r.status, 201, "{r:?}");
    let before = call(&s, Some(&t), "GET", "/clients/parcels", None, None).await;
    for (uri, why) in [
        (logos.at("/big.png"), "larger than 256 KiB"),
        (logos.at("/endless.png"), "larger than 256 KiB"),
        (logos.at("/page.html"), "not a PNG, JPEG, GIF or WebP image"),
        (logos.at("/logo.svg"), "SVG is not accepted"),
        (logos.at("/svg-as.png"), "SVG is not accepted"),
        (logos.at("/missing.png"), "HTTP 404"),
        (logos.at("/loop"), "more than 3 redirects"),
        (logos.at("/to-http"), "https only"),
        (closed.clone(), "fetching"),
    ] {
        let started = std::time::Instant::now();
        let r = call(
            &s,
            Some(&t),
            "PATCH",
            "/clients/parcels",
            Some(json!({"logo_uri#fr": uri, "client_name": "Changed"})),
            None,
        )
        .await;
        assert_eq!(r.status, 422, "{uri}: {r:?}");
        assert_eq!(
            r.body["type"],
            "urn:postern:problem:invalid-client-metadata"
        );
        let detail = r.body["detail"].as_str().unwrap();
        assert!(
            detail.starts_with("logo_uri#fr: fetching"),
            "{uri}: {detail}"
        );
        assert!(detail.contains(why), "{uri}: {detail}");
        assert!(started.elapsed().as_secs() < 10, "{uri}: refused in time");
        let now = call(&s, Some(&t), "GET", "/clients/parcels", None, None).await;
        assert_eq!(now.body, before.body, "{uri}: nothing saved");
    }
    // The same for a registration: no client comes of it.
    let new = json!({
        "client_id": "svg", "logo_uri": logos.at("/logo.svg"),
        "redirect_uris": ["https://rp.test/cb"],
    });
    let r = call(&s, Some(&t), "POST", "/clients", Some(new), None).await;
    assert_eq!(r.status, 422, "{r:?}");
    let gone = call(&s, Some(&t), "GET", "/clients/svg", None, None).await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn without_the_development_flag_a_logo_comes_over_https_from_a_public_address_only() {
    let s = spawn().await;
    let t = tool_token(&s, "admin:clients").await;
    let logos = logo_server().await;
    let port = logos.url.rsplit(':').next().unwrap().to_owned();
    for uri in [
        logos.at("/logo.png"),
        format!("https://127.0.0.1:{port}/logo.png"),
        format!("https://localhost:{port}/logo.png"),
        format!("https://[::1]:{port}/logo.png"),
        format!("https://[::ffff:127.0.0.1]:{port}/logo.png"),
        "https://169.254.169.254/latest/meta-data/".into(),
        "https://10.0.0.1/logo.png".into(),
        "https://user:secret@logo.example/logo.png".into(),
    ] {
        let new = json!({
            "client_id": "parcels", "logo_uri": uri,
            "redirect_uris": ["https://rp.test/cb"],
        });
        let r = call(&s, Some(&t), "POST", "/clients", Some(new), None).await;
        assert_eq!(r.status, 422, "{uri}: {r:?}");
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.starts_with("logo_uri:"), "{uri}: {detail}");
    }
    assert_eq!(logos.hits(), 0, "no request reached the loopback interface");
}
