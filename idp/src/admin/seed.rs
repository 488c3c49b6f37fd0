//! The dev profile's demo data, so one command gives a server to sign in to, and each
//! example of `relying-party-examples/` a client to run as.

use crate::{
    accounts::{self, CreateUserError, NewUser},
    admin::clients::{ClientError, NewClient, create_client},
    audit::Actor,
    crypto::Secret,
    orgs::{self, NewMember},
    protocol::types::AccessTokenFormat,
    state::AppState,
    storage::{BackchannelLogout, ClientKeys},
    web::i18n::Lang,
};

pub const DEMO_CLIENT_ID: &str = "demo-portal";
pub const DEMO_CLIENT_SECRET: &str = "demo-portal-secret";
pub const DEMO_REDIRECT_URI: &str = "http://127.0.0.1:9090/callback";
/// The example portal's back-channel logout receiver.
pub const DEMO_BACKCHANNEL_URI: &str = "http://127.0.0.1:9090/backchannel-logout";
pub const DEMO_EMAIL: &str = "demo@postern.test";
pub const DEMO_PASSWORD: &str = "lantern-harbour-parcel";
/// The command-line app (a public client): any port of this loopback URI (RFC 8252 §7.3).
pub const DEMO_CLI_CLIENT_ID: &str = "demo-cli";
pub const DEMO_CLI_REDIRECT_URI: &str = "http://127.0.0.1/callback";
/// The service, with JWT access tokens; `-opaque` is the same with opaque ones.
pub const DEMO_SERVICE_CLIENT_ID: &str = "demo-service";
pub const DEMO_SERVICE_OPAQUE_CLIENT_ID: &str = "demo-service-opaque";
/// Where the example service serves its public keys (`SERVICE_JWKS_LISTEN`'s default).
pub const DEMO_SERVICE_JWKS_URI: &str = "http://127.0.0.1:9191/jwks";
/// The organisation the demo user acts for, to try the portal's organisation switch.
pub const DEMO_ORG_NAME: &str = "Demo Shipping AG";

/// What every demo client shares; each changes what makes it what it is.
fn demo_client(client_id: &str, name: &str) -> NewClient {
    NewClient {
        client_id: client_id.into(),
        names: [(None, name.into())].into_iter().collect(),
        logo_uris: Default::default(),
        secret: None,
        redirect_uris: vec![],
        post_logout_redirect_uris: vec![],
        public: false,
        first_party: true,
        grant_types: vec![],
        extra_scopes: vec![],
        id_token_alg: None,
        access_token_format: AccessTokenFormat::Jwt,
        min_acr: None,
        org_mode: Default::default(),
        description: None,
        launch_url: None,
        require_verified: false,
        auth_method: None,
        keys: None,
        backchannel_logout: None,
        require_par: false,
        request_object_alg: None,
        dpop_bound: false,
        profile: Default::default(),
    }
}

/// The demo clients: the portal, the command-line app and the service (twice).
fn demo_clients() -> Vec<NewClient> {
    let service = |id: &str, format| NewClient {
        grant_types: vec!["client_credentials".into()],
        keys: Some(ClientKeys::JwksUri(DEMO_SERVICE_JWKS_URI.into())),
        access_token_format: format,
        ..demo_client(id, "Demo service")
    };
    vec![
        NewClient {
            secret: Some(Secret::new(DEMO_CLIENT_SECRET)),
            redirect_uris: vec![DEMO_REDIRECT_URI.into()],
            post_logout_redirect_uris: vec!["http://127.0.0.1:9090/".into()],
            // The organisation switch of the portal asks for it.
            extra_scopes: vec!["org".into()],
            description: Some("A relying party to try Postern with".into()),
            launch_url: Some("http://127.0.0.1:9090/".into()),
            backchannel_logout: Some(BackchannelLogout {
                uri: DEMO_BACKCHANNEL_URI.into(),
                session_required: true,
            }),
            ..demo_client(DEMO_CLIENT_ID, "Demo portal")
        },
        NewClient {
            public: true,
            redirect_uris: vec![DEMO_CLI_REDIRECT_URI.into()],
            ..demo_client(DEMO_CLI_CLIENT_ID, "Demo command-line app")
        },
        service(DEMO_SERVICE_CLIENT_ID, AccessTokenFormat::Jwt),
        service(DEMO_SERVICE_OPAQUE_CLIENT_ID, AccessTokenFormat::Opaque),
    ]
}

/// Creates the demo clients and user when missing, and says how to use them. Refused unless
/// the issuer is a loopback address: their secret and password are published (in this file
/// and the README), so on a reachable server they would be a door for anyone.
pub async fn seed_demo(state: &AppState) -> Result<String, String> {
    if !state.config.issuer_is_loopback() {
        return Err(format!(
            "profile \"dev\" seeds a demo client and user whose secrets are published, and is \
             refused for issuer {} (not 127.0.0.1, ::1 or localhost); set profile = \"prod\" \
             (IDP_PROFILE=prod)",
            state.config.issuer
        ));
    }
    for client in demo_clients() {
        match create_client(state, client, &Actor::CommandLine, None).await {
            Ok(_) | Err(ClientError::Exists) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    let user = accounts::create_user(
        state,
        NewUser {
            email: DEMO_EMAIL.into(),
            password: Secret::new(DEMO_PASSWORD),
            given_name: Some("Demo".into()),
            family_name: Some("User".into()),
            phone: None,
        },
    )
    .await;
    match user {
        // Only with a new user: an organisation has no natural key to find it again by.
        Ok(_) => seed_demo_org(state).await?,
        Err(CreateUserError::Exists) => {}
        Err(e) => return Err(e.to_string()),
    }
    Ok(format!(
        "dev profile: demo client {DEMO_CLIENT_ID} (secret {DEMO_CLIENT_SECRET}, redirect {DEMO_REDIRECT_URI}); \
         {DEMO_CLI_CLIENT_ID} (public, {DEMO_CLI_REDIRECT_URI} on any port); \
         {DEMO_SERVICE_CLIENT_ID} and {DEMO_SERVICE_OPAQUE_CLIENT_ID} (private_key_jwt, keys at {DEMO_SERVICE_JWKS_URI}); \
         demo user {DEMO_EMAIL} / {DEMO_PASSWORD}, member of {DEMO_ORG_NAME}"
    ))
}

/// An organisation with the demo user in it, so the portal's organisation switch has a
/// company to offer besides the user themselves.
async fn seed_demo_org(state: &AppState) -> Result<(), String> {
    let org = orgs::create_org(state, &Actor::CommandLine, DEMO_ORG_NAME, None)
        .await
        .map_err(|e| e.to_string())?;
    let member = NewMember {
        email: DEMO_EMAIL.into(),
        roles: vec!["clerk".into()],
        services: vec!["*".into()],
    };
    orgs::add_member(state, &Actor::CommandLine, &org.id, member, Lang::En)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
