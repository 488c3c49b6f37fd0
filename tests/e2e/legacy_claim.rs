//! The `legacy_accounts` claim (issue 17): the client that is an old service
//! (`migration.services.<svc>.client_id`) learns which of its old usernames the person had,
//! in the ID token and at userinfo, to move its records to `sub`. No other client gets it,
//! whatever it asks for.

use openidconnect::OAuth2TokenResponse;
use postern_tests::*;
use serde_json::{Value, json};

use crate::rp;

const ANNA: &str = "anna@post.test";

/// A hash of the committed fixture (made by passlib, not by us): the import checks every
/// line's hash format.
pub fn fixture_hash() -> String {
    let fixture: Value =
        serde_json::from_str(include_str!("../fixtures/legacy_hashes.json")).unwrap();
    fixture["hashes"][0]["hash"].as_str().unwrap().to_owned()
}

/// One line of an import file.
pub fn account(service: &str, username: &str, email: Option<&str>) -> Value {
    json!({"service": service, "username": username, "email": email,
           "password_hash": fixture_hash()})
}

/// Imports `lines` through the import use case, as `idp import legacy` does; every line
/// must pass.
pub async fn import(s: &TestServer, lines: &[Value]) {
    let file: Vec<String> = lines.iter().map(Value::to_string).collect();
    let mut refused = Vec::new();
    let reject = |n: u64, why: &str| refused.push(format!("line {n}: {why}"));
    idp::legacy::import::run(&s.state, file.join("\n").as_bytes(), reject, |_| {})
        .await
        .expect("import");
    assert!(refused.is_empty(), "{refused:?}");
}

/// A server where `parcels-web` is the old service `parcels` and `letters-web` the old
/// service `letters`; Anna had two parcels accounts and one letters account, and `shop` is
/// no old service at all.
async fn world() -> TestServer {
    let s = spawn_with(|c| {
        for (service, client_id) in [("parcels", "parcels-web"), ("letters", "letters-web")] {
            c.migration.services.insert(
                service.into(),
                idp::config::LegacyService {
                    name: String::new(),
                    client_id: client_id.into(),
                },
            );
        }
    })
    .await;
    for client in ["parcels-web", "letters-web"] {
        s.client(ClientSpec::confidential(client)).await;
    }
    // A scope of that name is no key to the claim: registered and asked for, it is just
    // one of the client's own scopes.
    let mut shop = ClientSpec::confidential("shop");
    shop.scopes.push("legacy_accounts".into());
    s.client(shop).await;
    s.user(ANNA).await;
    s.user("bob@post.test").await;
    import(
        &s,
        &[
            account("parcels", "rossi.m", Some(ANNA)),
            account("parcels", "MRossi", Some("Anna@Post.test")),
            account("letters", "mario.rossi", Some(ANNA)),
            account("parcels", "someone", Some("else@example.test")),
        ],
    )
    .await;
    s
}

/// Signs `email` in at `client` with `scopes` and `extra` request parameters; the ID
/// token's claims, the userinfo answer and the access token's claims.
async fn sign_in_at(
    s: &TestServer,
    client: &str,
    email: &str,
    scopes: &[&str],
    extra: &[(&str, &str)],
) -> (Value, Value, Value) {
    let c = rp::client(s, client, Some(&rp::secret_of(client))).await;
    let started = rp::start(&c, scopes, extra);
    let landing = Browser::new()
        .sign_in(&s.url, started.url.as_str(), email, PASSWORD)
        .await;
    let code = rp::code_from(s, &started, landing);
    let tokens = rp::exchange(&c, &code, started.verifier).await;
    let id_token = tokens.extra_fields().id_token().expect("an ID token");
    let access = tokens.access_token().secret();
    (
        jwt_payload(&id_token.to_string()),
        userinfo(s, access).await,
        jwt_payload(access),
    )
}

/// `claims_supported` of the discovery document.
async fn claims_supported(s: &TestServer) -> Vec<Value> {
    let doc: Value = reqwest::get(format!("{}/.well-known/openid-configuration", s.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    doc["claims_supported"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_services_client_gets_its_own_old_usernames_in_the_id_token_and_userinfo() {
    let s = world().await;
    let (id_token, info, access) = sign_in_at(&s, "parcels-web", ANNA, &[], &[]).await;
    // As the old service spelled them, ordered by username.
    let expected = json!(["MRossi", "rossi.m"]);
    assert_eq!(id_token["legacy_accounts"], expected, "{id_token}");
    assert_eq!(info["legacy_accounts"], expected, "{info}");
    assert_eq!(info["sub"], id_token["sub"]);
    // The access token travels to APIs; the old usernames are for the service itself.
    assert!(access.get("legacy_accounts").is_none(), "{access}");

    // Another old service's client sees its own usernames only.
    let (id_token, info, _) = sign_in_at(&s, "letters-web", ANNA, &[], &[]).await;
    assert_eq!(id_token["legacy_accounts"], json!(["mario.rossi"]));
    assert_eq!(info["legacy_accounts"], json!(["mario.rossi"]));

    assert!(
        claims_supported(&s)
            .await
            .contains(&json!("legacy_accounts"))
    );
}

#[tokio::test]
async fn another_client_never_gets_it_whatever_it_asks() {
    let s = world().await;
    let claims = json!({
        "id_token": {"legacy_accounts": {"essential": true}},
        "userinfo": {"legacy_accounts": {"essential": true}, "family_name": null}
    })
    .to_string();
    let extra = [("claims", claims.as_str())];
    let scopes = ["profile", "email", "legacy_accounts"];
    let (id_token, info, _) = sign_in_at(&s, "shop", ANNA, &scopes, &extra).await;
    assert!(id_token.get("legacy_accounts").is_none(), "{id_token}");
    assert!(info.get("legacy_accounts").is_none(), "{info}");
    // The request itself was honoured: the scopes and the claims request did apply.
    assert_eq!(info["email"], ANNA, "{info}");
    assert_eq!(info["family_name"], "Muster", "{info}");
}

#[tokio::test]
async fn a_user_without_old_accounts_gets_no_claim() {
    let s = world().await;
    let (id_token, info, _) = sign_in_at(&s, "parcels-web", "bob@post.test", &[], &[]).await;
    assert!(id_token.get("legacy_accounts").is_none(), "{id_token}");
    assert!(info.get("legacy_accounts").is_none(), "{info}");
    assert_eq!(info["sub"], id_token["sub"]);

    // Without an old service configured, discovery does not advertise the claim.
    let plain = spawn().await;
    assert!(
        !claims_supported(&plain)
            .await
            .contains(&json!("legacy_accounts"))
    );
}
