//! `idp clients …` parsed as the shell passes it and run against a fresh SQLite database:
//! the command line holds clients to the same rules as the management API.

use clap::Parser;
use idp::AppState;

use super::{ClientsCommand, run};
use crate::cli::test_state;

#[derive(Parser)]
struct Line {
    #[command(subcommand)]
    command: ClientsCommand,
}

async fn idp(st: &AppState, args: &str) -> Result<(), String> {
    let line = Line::try_parse_from(std::iter::once("clients").chain(args.split_whitespace()))
        .map_err(|e| e.to_string())?;
    run(line.command, st).await
}

#[tokio::test]
async fn the_command_line_shares_the_rules_and_the_use_cases() {
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state(&dir).await;
    for bad in [
        "https://web.test/cb#frag",
        "http://web.test/cb",
        "https://*.web.test/cb",
        "com.example.app:/cb",
    ] {
        let e = idp(st, &format!("create --client-id web --redirect-uri {bad}"))
            .await
            .unwrap_err();
        assert!(e.starts_with("redirect_uris:"), "{bad}: {e}");
    }
    idp(
        st,
        "create --client-id web --redirect-uri https://web.test/cb --min-acr urn:postern:acr:2fa",
    )
    .await
    .unwrap();
    idp(
        st,
        "create --client-id app --public --redirect-uri com.example.app:/cb",
    )
    .await
    .unwrap();
    let e = idp(
        st,
        "update --client-id web --redirect-uri http://web.test/cb",
    )
    .await
    .unwrap_err();
    assert!(e.contains("redirect_uris:"), "{e}");

    idp(
        st,
        "update --client-id web --name Web --first-party --opaque-access-tokens --clear min-acr",
    )
    .await
    .unwrap();
    let c = st.stores.clients.find_client("web").await.unwrap().unwrap();
    assert_eq!(c.name, "Web");
    assert!(c.first_party);
    assert_eq!(c.min_acr, None);
    assert_eq!(
        c.redirect_uris,
        ["https://web.test/cb"],
        "not given, unchanged"
    );
    assert_eq!(
        c.access_token_format,
        idp::protocol::types::AccessTokenFormat::Opaque
    );
    idp(st, "update --client-id web --first-party=false")
        .await
        .unwrap();
    let c = st.stores.clients.find_client("web").await.unwrap().unwrap();
    assert!(!c.first_party);
    assert_eq!(c.revision, 2);

    let old = c.secret_hash.clone();
    idp(st, "rotate-secret --client-id web").await.unwrap();
    let c = st.stores.clients.find_client("web").await.unwrap().unwrap();
    assert_ne!(c.secret_hash, old);
    assert_eq!(c.previous_secret_hash, old);
    assert!(
        idp(st, "rotate-secret --client-id app").await.is_err(),
        "public"
    );

    idp(st, "disable --client-id web").await.unwrap();
    assert!(
        st.stores
            .clients
            .find_client("web")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    idp(st, "enable --client-id web").await.unwrap();
    assert!(
        !st.stores
            .clients
            .find_client("web")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    idp(st, "delete --client-id web").await.unwrap();
    assert!(
        idp(st, "delete --client-id web")
            .await
            .unwrap_err()
            .contains("no client")
    );
    assert!(idp(st, "disable --client-id web").await.is_err());
}
