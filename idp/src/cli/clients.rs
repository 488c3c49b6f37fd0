//! `idp clients …`: relying parties.

use clap::{Args, Subcommand};
use idp::{
    AppState,
    admin::clients::{NewClient, create_client},
    audit::Actor,
    crypto::Secret,
    protocol::types::{AccessTokenFormat, SigningAlg},
};

#[derive(Subcommand)]
pub enum ClientsCommand {
    Create(Box<ClientArgs>),
    /// The registered clients, one a line.
    List,
    /// Delete a client: its tokens stop at once and its consents go.
    Delete {
        #[arg(long)]
        client_id: String,
    },
}

#[derive(Args)]
pub struct ClientArgs {
    #[arg(long)]
    client_id: String,
    /// Display name shown on the consent page.
    #[arg(long)]
    name: Option<String>,
    /// The secret; generated and printed once when omitted (confidential clients).
    #[arg(long)]
    secret: Option<String>,
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    #[arg(long = "post-logout-redirect-uri")]
    post_logout_redirect_uris: Vec<String>,
    /// A public client (native or browser app): no secret, PKCE only.
    #[arg(long)]
    public: bool,
    /// One of the operator's own services: no consent page.
    #[arg(long)]
    first_party: bool,
    /// authorization_code, refresh_token, client_credentials (default: the first two).
    #[arg(long = "grant-type")]
    grant_types: Vec<String>,
    /// A scope this client may ask for besides the standard ones.
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// ID token algorithm: RS256, ES256 or EdDSA (default: signing.id_token_alg).
    #[arg(long)]
    id_token_alg: Option<SigningAlg>,
    /// Issue opaque access tokens instead of JWTs.
    #[arg(long)]
    opaque_access_tokens: bool,
    /// The weakest acr this client accepts, e.g. urn:postern:acr:2fa (step-up below it).
    #[arg(long)]
    min_acr: Option<String>,
    /// any (default), business (a company context is required) or consumer (personal only).
    #[arg(long, default_value = "any", value_parser = parse_org_mode)]
    org_mode: idp::storage::OrgMode,
    /// What the service does, shown in the catalogue of online services.
    #[arg(long)]
    description: Option<String>,
    /// Where a person starts using the service; clients with one are in the catalogue.
    #[arg(long)]
    launch_url: Option<String>,
    /// Only people with a verified identity (checked at a counter or by eID) may sign in.
    #[arg(long)]
    require_verified: bool,
}

pub async fn run(command: ClientsCommand, st: &AppState) -> Result<(), String> {
    match command {
        ClientsCommand::Create(a) => {
            let (client, secret) = create_client(
                st,
                NewClient {
                    client_id: a.client_id,
                    name: a.name,
                    secret: a.secret.map(Secret::new),
                    redirect_uris: a.redirect_uris,
                    post_logout_redirect_uris: a.post_logout_redirect_uris,
                    public: a.public,
                    first_party: a.first_party,
                    grant_types: a.grant_types,
                    extra_scopes: a.scopes,
                    id_token_alg: a.id_token_alg,
                    min_acr: a.min_acr,
                    org_mode: a.org_mode,
                    description: a.description,
                    launch_url: a.launch_url,
                    require_verified: a.require_verified,
                    access_token_format: if a.opaque_access_tokens {
                        AccessTokenFormat::Opaque
                    } else {
                        AccessTokenFormat::Jwt
                    },
                },
                &Actor::CommandLine,
            )
            .await
            .map_err(|e| e.to_string())?;
            println!("client {} created", client.client_id);
            if let Some(s) = secret {
                println!("client_secret: {s}\n(shown once; store it now)");
            }
            Ok(())
        }
        ClientsCommand::List => {
            let clients = st
                .stores
                .clients
                .list_clients()
                .await
                .map_err(|e| e.to_string())?;
            for c in clients {
                let kind = if c.public { "public" } else { "confidential" };
                let party = if c.first_party {
                    "first-party"
                } else {
                    "third-party"
                };
                println!("{}\t{kind}\t{party}\t{}", c.client_id, c.name);
            }
            Ok(())
        }
        ClientsCommand::Delete { client_id } => {
            idp::admin::clients::delete_client(st, &client_id, &Actor::CommandLine, None)
                .await
                .map_err(|e| format!("{client_id}: {e}"))?;
            println!("client {client_id} deleted");
            Ok(())
        }
    }
}

fn parse_org_mode(s: &str) -> Result<idp::storage::OrgMode, String> {
    idp::storage::OrgMode::parse(s).ok_or_else(|| "expected any, business or consumer".into())
}
