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
    assert_eq!(c.face.name(idp::model::Lang::En), Some("Web"));
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

#[tokio::test]
async fn private_key_jwt_clients_take_a_jwks_file_or_a_jwks_uri() {
    use idp::storage::{ClientAuthMethod, ClientKeys};
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state(&dir).await;
    let pair = josekit::jws::ES256.generate_key_pair().unwrap();
    let public = serde_json::to_value(pair.to_jwk_public_key().as_ref()).unwrap();
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, serde_json::json!({ "keys": [public] }).to_string()).unwrap();
    let jwks = file.display();
    let svc = "create --client-id svc --grant-type client_credentials";

    for (bad, expected) in [
        (format!("{svc} --auth-method private_key_jwt"), "jwks"),
        (format!("{svc} --jwks-uri http://rp.test/jwks"), "jwks_uri"),
        (
            format!("{svc} --jwks {jwks} --secret s3cret-s3cret"),
            "secret",
        ),
        (
            format!("{svc} --auth-method client_secret_post --jwks {jwks}"),
            "jwks",
        ),
        (format!("{svc} --jwks /nonexistent/jwks.json"), "--jwks"),
    ] {
        let e = idp(st, &bad).await.unwrap_err();
        assert!(e.contains(expected), "{bad}: {e}");
    }
    assert!(
        idp(
            st,
            &format!("{svc} --jwks {jwks} --jwks-uri https://rp.test/jwks")
        )
        .await
        .is_err(),
        "one of the two"
    );

    idp(
        st,
        &format!("{svc} --auth-method private_key_jwt --jwks {jwks}"),
    )
    .await
    .unwrap();
    let c = st.stores.clients.find_client("svc").await.unwrap().unwrap();
    assert_eq!(c.auth_method(), ClientAuthMethod::PrivateKeyJwt);
    assert_eq!(c.secret_hash, None);
    assert!(matches!(c.keys, Some(ClientKeys::Jwks(_))));
    assert!(idp(st, "rotate-secret --client-id svc").await.is_err());

    idp(st, "update --client-id svc --jwks-uri https://rp.test/jwks")
        .await
        .unwrap();
    let c = st.stores.clients.find_client("svc").await.unwrap().unwrap();
    assert_eq!(
        c.keys,
        Some(ClientKeys::JwksUri("https://rp.test/jwks".into()))
    );

    idp(
        st,
        "create --client-id web --redirect-uri https://web.test/cb",
    )
    .await
    .unwrap();
    let e = idp(st, "update --client-id web --jwks-uri https://rp.test/jwks")
        .await
        .unwrap_err();
    assert!(e.contains("jwks"), "a secret client keeps its method: {e}");
}

#[tokio::test]
async fn back_channel_logout_is_registered_changed_and_cleared_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state(&dir).await;
    let web = "--client-id web --redirect-uri https://web.test/cb";
    for bad in ["http://web.test/bc", "https://web.test/bc#f", "not-a-uri"] {
        let e = idp(st, &format!("create {web} --backchannel-logout-uri {bad}"))
            .await
            .unwrap_err();
        assert!(e.starts_with("backchannel_logout_uri:"), "{bad}: {e}");
    }
    let e = idp(
        st,
        &format!("create {web} --backchannel-logout-session-required"),
    )
    .await
    .unwrap_err();
    assert!(e.starts_with("backchannel_logout_session_required:"), "{e}");
    idp(
        st,
        &format!(
            "create {web} --backchannel-logout-uri https://web.test/bc \
             --backchannel-logout-session-required"
        ),
    )
    .await
    .unwrap();
    let stored = |st: &AppState| {
        let st = st.clone();
        async move {
            st.stores
                .clients
                .find_client("web")
                .await
                .unwrap()
                .unwrap()
                .backchannel_logout
        }
    };
    let b = stored(st).await.unwrap();
    assert_eq!(
        (b.uri.as_str(), b.session_required),
        ("https://web.test/bc", true)
    );
    idp(
        st,
        "update --client-id web --backchannel-logout-uri http://127.0.0.1:9/bc \
         --backchannel-logout-session-required=false",
    )
    .await
    .unwrap();
    let b = stored(st).await.unwrap();
    assert_eq!(
        (b.uri.as_str(), b.session_required),
        ("http://127.0.0.1:9/bc", false)
    );
    idp(st, "update --client-id web --clear backchannel-logout-uri")
        .await
        .unwrap();
    assert_eq!(stored(st).await, None);
}

#[tokio::test]
async fn pushed_requests_and_request_objects_are_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state(&dir).await;
    idp(
        st,
        "create --client-id web --redirect-uri https://web.test/cb --require-par",
    )
    .await
    .unwrap();
    let required = |st: &AppState| {
        let st = st.clone();
        async move {
            let c = st.stores.clients.find_client("web").await.unwrap();
            c.unwrap().require_par
        }
    };
    assert!(required(st).await);
    idp(st, "update --client-id web --require-par=false")
        .await
        .unwrap();
    assert!(!required(st).await);

    let e = idp(st, "update --client-id web --request-object-alg HS256")
        .await
        .unwrap_err();
    assert!(e.contains("request_object_signing_alg:"), "{e}");
    idp(st, "update --client-id web --request-object-alg PS256")
        .await
        .unwrap();
    let alg = st.stores.clients.find_client("web").await.unwrap();
    assert_eq!(alg.unwrap().request_object_alg.as_deref(), Some("PS256"));
}

#[tokio::test]
async fn the_fapi2_profile_is_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state(&dir).await;
    // FAPI 2.0 needs private_key_jwt: a secret client is refused with the reason.
    let e = idp(
        st,
        "create --client-id bank --redirect-uri https://bank.test/cb --profile fapi2",
    )
    .await
    .unwrap_err();
    assert!(e.contains("token_endpoint_auth_method:"), "{e}");
    let e = idp(st, "create --client-id bank --profile fapi3")
        .await
        .unwrap_err();
    assert!(e.contains("fapi3"), "{e}");

    let jwks = dir.path().join("bank.jwks");
    let key = josekit::jws::ES256.generate_key_pair().unwrap();
    let set = serde_json::json!({"keys": [key.to_jwk_public_key()]});
    std::fs::write(&jwks, set.to_string()).unwrap();
    idp(
        st,
        &format!(
            "create --client-id bank --redirect-uri https://bank.test/cb --profile fapi2 --jwks {}",
            jwks.display()
        ),
    )
    .await
    .unwrap();
    let c = st
        .stores
        .clients
        .find_client("bank")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.profile, idp::protocol::types::ClientProfile::Fapi2);
    assert!(c.require_par && c.dpop_bound, "turned on by the profile");
    let e = idp(st, "update --client-id bank --dpop-bound=false")
        .await
        .unwrap_err();
    assert!(e.contains("dpop_bound_access_tokens:"), "{e}");
    idp(
        st,
        "update --client-id bank --profile standard --dpop-bound=false",
    )
    .await
    .unwrap();
    let c = st
        .stores
        .clients
        .find_client("bank")
        .await
        .unwrap()
        .unwrap();
    assert!(!c.dpop_bound);
}

#[tokio::test]
async fn a_device_client_is_created_and_updated_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let st = &test_state(&dir).await;
    // A device has no redirect URI: the device grant needs none.
    idp(
        st,
        "create --client-id tv --public --grant-type urn:ietf:params:oauth:grant-type:device_code",
    )
    .await
    .unwrap();
    let grants = |st: &AppState| {
        let st = st.clone();
        async move {
            let c = st.stores.clients.find_client("tv").await.unwrap();
            c.unwrap().grant_types
        }
    };
    assert_eq!(
        grants(st).await,
        ["urn:ietf:params:oauth:grant-type:device_code"]
    );
    idp(
        st,
        "update --client-id tv --grant-type urn:ietf:params:oauth:grant-type:device_code \
         --grant-type refresh_token",
    )
    .await
    .unwrap();
    assert_eq!(grants(st).await.len(), 2);
    let e = idp(st, "update --client-id tv --grant-type device_code")
        .await
        .unwrap_err();
    assert!(e.contains("grant_types:"), "{e}");
}
