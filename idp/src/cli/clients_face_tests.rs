//! `idp clients` sets, changes and clears a service's name and logo per language with the
//! rules and the fetch of the management API (`admin::clients`).

use axum::{http::header::CONTENT_TYPE, routing::get};
use clap::Parser;
use idp::{
    AppState,
    model::{Lang, LogoId},
};

use super::{ClientsCommand, run};
use crate::cli::{test_state, test_state_with};

#[derive(Parser)]
struct Line {
    #[command(subcommand)]
    command: ClientsCommand,
}

/// Runs `idp clients` with these arguments, each one word as a shell would pass it.
async fn idp(st: &AppState, args: &[&str]) -> Result<(), String> {
    let line = Line::try_parse_from(std::iter::once("clients").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    run(line.command, st).await
}

/// The start of `create` for a web client.
const CREATE_WEB: [&str; 5] = [
    "create",
    "--client-id",
    "web",
    "--redirect-uri",
    "https://web.test/cb",
];

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR command line";
const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;

/// `/logo.png` and `/logo.svg` on the loopback interface; its base URL.
async fn logo_server() -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let app = axum::Router::new()
        .route(
            "/logo.png",
            get(|| async { ([(CONTENT_TYPE, "image/png")], PNG) }),
        )
        .route(
            "/logo.svg",
            get(|| async { ([(CONTENT_TYPE, "image/png")], SVG) }),
        );
    tokio::spawn(async move { axum::serve(l, app).await.ok() });
    url
}

#[tokio::test]
async fn names_and_logos_are_set_per_language_changed_and_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state_with(&dir, |c| c.clients.logo_uri_loopback = true).await;
    let logos = logo_server().await;
    let png = format!("{logos}/logo.png");
    let german = format!("de={png}");
    let settings = [
        "--name",
        "Parcel tracking",
        "--name-in",
        "fr=Suivi des colis",
        "--logo-uri",
        &png,
        "--logo-uri-in",
        &german,
    ];
    idp(st, &[&CREATE_WEB[..], &settings].concat())
        .await
        .unwrap();
    let client = || async { st.stores.clients.find_client("web").await.unwrap().unwrap() };
    let c = client().await;
    assert_eq!(c.face.name(Lang::Fr), Some("Suivi des colis"));
    assert_eq!(c.face.name(Lang::It), Some("Parcel tracking"));
    let id = LogoId::of(PNG);
    assert_eq!(c.face.logos.get(None).unwrap().id, id);
    assert_eq!(c.face.logos.get(Some(Lang::De)).unwrap().uri, png);
    let stored = st.stores.logos.find_logo(&id).await.unwrap().unwrap();
    assert_eq!(stored.data, PNG);

    idp(
        st,
        &[
            "update",
            "--client-id",
            "web",
            "--name-in",
            "fr=",
            "--clear",
            "logo-uri",
        ],
    )
    .await
    .unwrap();
    let c = client().await;
    assert_eq!(
        c.face.name(Lang::Fr),
        Some("Parcel tracking"),
        "French removed"
    );
    assert!(c.face.logos.get(None).is_none());
    assert!(c.face.logos.get(Some(Lang::De)).is_some(), "German kept");
    idp(st, &["update", "--client-id", "web", "--clear", "name"])
        .await
        .unwrap();
    assert_eq!(client().await.face.name(Lang::En), None);

    let before = client().await;
    let svg = format!("{logos}/logo.svg");
    for (args, says) in [
        (vec!["--name-in", "es=Seguimiento"], "unknown language tag"),
        (vec!["--name-in", "Suivi"], "expected LANG=VALUE"),
        (vec!["--name", "a\nb"], "client_name: control characters"),
        (vec!["--logo-uri", &svg], "logo_uri: fetching"),
        (
            vec!["--logo-uri-in", "sv=https://user:pw@logo.test/a.png"],
            "logo_uri#sv:",
        ),
    ] {
        let mut line = vec!["update", "--client-id", "web"];
        line.extend(&args);
        let e = idp(st, &line).await.unwrap_err();
        assert!(e.contains(says), "{args:?}: {e}");
    }
    assert_eq!(client().await, before, "nothing saved");
}

#[tokio::test]
async fn without_the_development_flag_no_logo_comes_from_the_loopback_interface() {
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state(&dir).await;
    let logos = logo_server().await;
    let png = format!("{logos}/logo.png");
    let e = idp(st, &[&CREATE_WEB[..], &["--logo-uri", &png]].concat())
        .await
        .unwrap_err();
    assert!(e.starts_with("logo_uri:"), "{e}");
    assert!(
        st.stores
            .clients
            .find_client("web")
            .await
            .unwrap()
            .is_none()
    );
}
