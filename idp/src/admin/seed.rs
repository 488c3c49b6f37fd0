//! The dev profile's demo data, so one command gives a server to sign in to.

use crate::{
    accounts::{self, CreateUserError, NewUser},
    admin::clients::{ClientError, NewClient, create_client},
    crypto::Secret,
    protocol::types::AccessTokenFormat,
    state::AppState,
    storage::BackchannelLogout,
};

pub const DEMO_CLIENT_ID: &str = "demo-portal";
pub const DEMO_CLIENT_SECRET: &str = "demo-portal-secret";
pub const DEMO_REDIRECT_URI: &str = "http://127.0.0.1:9090/callback";
/// The example portal's back-channel logout receiver.
pub const DEMO_BACKCHANNEL_URI: &str = "http://127.0.0.1:9090/backchannel-logout";
pub const DEMO_EMAIL: &str = "demo@postern.test";
pub const DEMO_PASSWORD: &str = "lantern-harbour-parcel";

/// Creates the demo client and user when missing, and says how to use them. Refused unless
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
    let client = create_client(
        state,
        NewClient {
            client_id: DEMO_CLIENT_ID.into(),
            name: Some("Demo portal".into()),
            secret: Some(Secret::new(DEMO_CLIENT_SECRET)),
            redirect_uris: vec![DEMO_REDIRECT_URI.into()],
            post_logout_redirect_uris: vec!["http://127.0.0.1:9090/".into()],
            public: false,
            first_party: true,
            grant_types: vec![],
            extra_scopes: vec![],
            id_token_alg: None,
            access_token_format: AccessTokenFormat::Jwt,
            min_acr: None,
            org_mode: Default::default(),
            description: Some("A relying party to try Postern with".into()),
            launch_url: Some("http://127.0.0.1:9090/".into()),
            require_verified: false,
            auth_method: None,
            keys: None,
            backchannel_logout: Some(BackchannelLogout {
                uri: DEMO_BACKCHANNEL_URI.into(),
                session_required: true,
            }),
            require_par: false,
        },
        &crate::audit::Actor::CommandLine,
        None,
    )
    .await;
    match client {
        Ok(_) | Err(ClientError::Exists) => {}
        Err(e) => return Err(e.to_string()),
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
        Ok(_) | Err(CreateUserError::Exists) => {}
        Err(e) => return Err(e.to_string()),
    }
    Ok(format!(
        "dev profile: demo client {DEMO_CLIENT_ID} (secret {DEMO_CLIENT_SECRET}, redirect {DEMO_REDIRECT_URI}); \
         demo user {DEMO_EMAIL} / {DEMO_PASSWORD}"
    ))
}
