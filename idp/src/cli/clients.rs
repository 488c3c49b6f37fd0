//! `idp clients …`: relying parties, through the same use cases as the management API.

use clap::{Args, Subcommand, ValueEnum};
use idp::{
    AppState,
    admin::clients::{self as uc, ClientPatch, NewClient},
    audit::Actor,
    crypto::Secret,
    model::{Lang, Localized},
    protocol::types::{AccessTokenFormat, ClientProfile, SigningAlg},
    storage::{ClientAuthMethod, ClientKeys, OrgMode},
};

#[derive(Subcommand)]
pub enum ClientsCommand {
    Create(Box<ClientArgs>),
    /// The registered clients, one a line: id, kind, party, state, name.
    List,
    /// Change a client: only the settings given change; a list flag given replaces the list.
    Update(Box<UpdateArgs>),
    /// Give a confidential client a new secret (printed once); the old one keeps working
    /// for clients.secret_rotation_grace.
    RotateSecret(Target),
    /// Refuse a client everywhere and end its tokens at once.
    Disable(Target),
    /// Let a disabled client in again.
    Enable(Target),
    /// Delete a client: its tokens stop at once and its consents go.
    Delete(Target),
}

#[derive(Args)]
pub struct Target {
    #[arg(long)]
    client_id: String,
}

#[derive(Args)]
pub struct ClientArgs {
    #[arg(long)]
    client_id: String,
    /// The secret; generated and printed once when omitted (confidential clients).
    #[arg(long)]
    secret: Option<String>,
    /// A public client (native or browser app): no secret, PKCE only.
    #[arg(long)]
    public: bool,
    /// How the client authenticates; private_key_jwt needs --jwks or --jwks-uri (default:
    /// none for --public, private_key_jwt with keys, else a secret).
    #[arg(long, value_parser = parse_auth_method)]
    auth_method: Option<ClientAuthMethod>,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    settings: Settings,
}

/// A private_key_jwt client's public keys (create sets them, update replaces them).
#[derive(Args)]
pub struct KeyArgs {
    /// A file with the client's public keys as a JWK Set ({"keys": [...]}).
    #[arg(long, value_name = "FILE", conflicts_with = "jwks_uri")]
    jwks: Option<std::path::PathBuf>,
    /// Where the client's JWK Set is fetched (https; http on the loopback interface only).
    #[arg(long, value_name = "URI")]
    jwks_uri: Option<String>,
}

impl KeyArgs {
    /// The keys given, the file read and checked to be JSON (the rules check the rest).
    fn keys(self) -> Result<Option<ClientKeys>, String> {
        let jwks = match self.jwks {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("--jwks {}: {e}", path.display()))?;
                let set: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| format!("--jwks {}: not JSON: {e}", path.display()))?;
                Some(set.to_string())
            }
            None => None,
        };
        uc::keys_from(jwks, self.jwks_uri).map_err(|e| e.to_string())
    }
}

#[derive(Args)]
pub struct UpdateArgs {
    #[arg(long)]
    client_id: String,
    #[command(flatten)]
    settings: Settings,
    #[command(flatten)]
    keys: KeyArgs,
    /// Clear an optional setting (repeatable).
    #[arg(long, value_enum)]
    clear: Vec<Clearable>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Clearable {
    /// The untagged name (`--name`).
    Name,
    /// The untagged logo (`--logo-uri`).
    LogoUri,
    PostLogoutRedirectUris,
    MinAcr,
    IdTokenAlg,
    Description,
    LaunchUrl,
    BackchannelLogoutUri,
    RequestObjectAlg,
}

/// The settings `create` sets and `update` changes, with the same flags.
#[derive(Args)]
pub struct Settings {
    /// The service's name on the sign-in, consent, second-factor and device pages, for
    /// every language without a --name-in of its own (without any, the pages name no
    /// service).
    #[arg(long)]
    name: Option<String>,
    /// The name for pages in one language: `fr=Suivi des colis` (en, fr, de, it, sv, fi);
    /// `fr=` removes it (update). Repeatable.
    #[arg(long = "name-in", value_name = "LANG=NAME")]
    names_in: Vec<String>,
    /// The service's logo: PNG, JPEG, GIF or WebP, at most 256 KiB, fetched once now over
    /// https (from a public address) and served by Postern itself.
    #[arg(long, value_name = "URI")]
    logo_uri: Option<String>,
    /// The logo for pages in one language: `de=https://…`; `de=` removes it (update).
    /// Repeatable.
    #[arg(long = "logo-uri-in", value_name = "LANG=URI")]
    logo_uris_in: Vec<String>,
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    #[arg(long = "post-logout-redirect-uri")]
    post_logout_redirect_uris: Vec<String>,
    /// One of the operator's own services: no consent page.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    first_party: Option<bool>,
    /// authorization_code, refresh_token, client_credentials,
    /// urn:ietf:params:oauth:grant-type:device_code (default: the first two).
    #[arg(long = "grant-type")]
    grant_types: Vec<String>,
    /// A scope this client may ask for besides the standard ones.
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// ID token algorithm: RS256, ES256 or EdDSA (default: signing.id_token_alg).
    #[arg(long)]
    id_token_alg: Option<SigningAlg>,
    /// Issue opaque access tokens instead of JWTs.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    opaque_access_tokens: Option<bool>,
    /// The weakest acr this client accepts, e.g. urn:postern:acr:2fa (step-up below it).
    #[arg(long)]
    min_acr: Option<String>,
    /// any (default), business (a company context is required) or consumer (personal only).
    #[arg(long, value_parser = parse_org_mode)]
    org_mode: Option<OrgMode>,
    /// What the service does, shown in the catalogue of online services.
    #[arg(long)]
    description: Option<String>,
    /// Where a person starts using the service; clients with one are in the catalogue.
    #[arg(long)]
    launch_url: Option<String>,
    /// Only people with a verified identity (checked at a counter or by eID) may sign in;
    /// `--require-verified=false` lifts it.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    require_verified: Option<bool>,
    /// Where the client receives logout tokens when a session it got tokens in ends
    /// (https; http on the loopback interface only).
    #[arg(long, value_name = "URI")]
    backchannel_logout_uri: Option<String>,
    /// The client needs `sid` in its logout tokens (Postern always sends it).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    backchannel_logout_session_required: Option<bool>,
    /// Authorization requests only through the pushed authorization request endpoint
    /// (RFC 9126); `--require-par=false` lifts it.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    require_par: Option<bool>,
    /// The one algorithm of the client's request objects: RS256, PS256, ES256 or EdDSA
    /// (default: any of them).
    #[arg(long, value_name = "ALG")]
    request_object_alg: Option<String>,
    /// Every access token must be bound to a DPoP key (RFC 9449); `--dpop-bound=false`
    /// lifts it.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    dpop_bound: Option<bool>,
    /// The security profile: standard, or fapi2 (FAPI 2.0: needs private_key_jwt keys;
    /// turns on --require-par and --dpop-bound, and ES256 ID tokens unless
    /// --id-token-alg EdDSA).
    #[arg(long, value_name = "PROFILE")]
    profile: Option<ClientProfile>,
}

fn token_format(opaque: bool) -> AccessTokenFormat {
    if opaque {
        AccessTokenFormat::Opaque
    } else {
        AccessTokenFormat::Jwt
    }
}

/// `--name`/`--logo-uri` and their `--…-in LANG=VALUE` flags as a change per language: a
/// value sets, an empty one after `LANG=` removes, `clear` removes the untagged one.
fn per_language(
    flag: &str,
    untagged: Option<String>,
    tagged: Vec<String>,
    clear: bool,
) -> Result<Localized<Option<String>>, String> {
    let mut change = Localized::default();
    if clear {
        change.set(None, Some(None));
    } else if let Some(v) = untagged {
        change.set(None, Some(Some(v)));
    }
    for item in tagged {
        let Some((tag, value)) = item.split_once('=') else {
            return Err(format!(
                "--{flag}-in {item:?}: expected LANG=VALUE, e.g. fr=…"
            ));
        };
        let lang = Lang::from_code(tag.trim()).ok_or_else(|| {
            format!(
                "--{flag}-in {item:?}: unknown language tag {tag:?}; Postern's pages are in {}",
                Lang::ALL.map(Lang::code).join(", ")
            )
        })?;
        change.set(
            Some(lang),
            Some((!value.is_empty()).then(|| value.to_owned())),
        );
    }
    Ok(change)
}

/// For a registration: what is set (an empty `LANG=` sets nothing).
fn set_only(change: Localized<Option<String>>) -> Localized<String> {
    change
        .iter()
        .filter_map(|(tag, v)| v.clone().map(|v| (tag, v)))
        .collect()
}

/// A list flag given replaces the list; none given leaves it.
fn given(list: Vec<String>) -> Option<Vec<String>> {
    (!list.is_empty()).then_some(list)
}

impl UpdateArgs {
    fn patch(self) -> Result<ClientPatch, String> {
        let keys = self.keys.keys()?;
        let s = self.settings;
        let clear = |c| self.clear.contains(&c);
        let optional = |v: Option<String>, c| if clear(c) { Some(None) } else { v.map(Some) };
        Ok(ClientPatch {
            names: per_language("name", s.name, s.names_in, clear(Clearable::Name))?,
            logo_uris: per_language(
                "logo-uri",
                s.logo_uri,
                s.logo_uris_in,
                clear(Clearable::LogoUri),
            )?,
            redirect_uris: given(s.redirect_uris),
            post_logout_redirect_uris: if clear(Clearable::PostLogoutRedirectUris) {
                Some(vec![])
            } else {
                given(s.post_logout_redirect_uris)
            },
            grant_types: given(s.grant_types),
            extra_scopes: given(s.scopes),
            first_party: s.first_party,
            min_acr: optional(s.min_acr, Clearable::MinAcr),
            org_mode: s.org_mode,
            access_token_format: s.opaque_access_tokens.map(token_format),
            id_token_alg: if clear(Clearable::IdTokenAlg) {
                Some(None)
            } else {
                s.id_token_alg.map(Some)
            },
            description: optional(s.description, Clearable::Description),
            launch_url: optional(s.launch_url, Clearable::LaunchUrl),
            require_verified: s.require_verified,
            keys,
            backchannel_logout_uri: optional(
                s.backchannel_logout_uri,
                Clearable::BackchannelLogoutUri,
            ),
            backchannel_logout_session_required: s.backchannel_logout_session_required,
            require_par: s.require_par,
            request_object_alg: optional(s.request_object_alg, Clearable::RequestObjectAlg),
            dpop_bound: s.dpop_bound,
            profile: s.profile,
        })
    }
}

pub async fn run(command: ClientsCommand, st: &AppState) -> Result<(), String> {
    let actor = &Actor::CommandLine;
    match command {
        ClientsCommand::Create(a) => {
            let keys = a.keys.keys()?;
            let s = a.settings;
            let backchannel_logout = uc::backchannel_from(
                s.backchannel_logout_uri,
                s.backchannel_logout_session_required.unwrap_or(false),
            )
            .map_err(|e| e.to_string())?;
            let names = per_language("name", s.name, s.names_in, false)?;
            let logo_uris = per_language("logo-uri", s.logo_uri, s.logo_uris_in, false)?;
            let new = NewClient {
                client_id: a.client_id,
                names: set_only(names),
                logo_uris: set_only(logo_uris),
                secret: a.secret.map(Secret::new),
                redirect_uris: s.redirect_uris,
                post_logout_redirect_uris: s.post_logout_redirect_uris,
                public: a.public,
                first_party: s.first_party.unwrap_or(false),
                grant_types: s.grant_types,
                extra_scopes: s.scopes,
                id_token_alg: s.id_token_alg,
                min_acr: s.min_acr,
                org_mode: s.org_mode.unwrap_or_default(),
                description: s.description,
                launch_url: s.launch_url,
                require_verified: s.require_verified.unwrap_or(false),
                access_token_format: token_format(s.opaque_access_tokens.unwrap_or(false)),
                auth_method: a.auth_method,
                keys,
                backchannel_logout,
                require_par: s.require_par.unwrap_or(false),
                request_object_alg: s.request_object_alg,
                dpop_bound: s.dpop_bound.unwrap_or(false),
                profile: s.profile.unwrap_or_default(),
            };
            let (client, secret) = uc::create_client(st, new, actor, None)
                .await
                .map_err(|e| e.to_string())?;
            say!("client {} created", client.client_id);
            if let Some(s) = secret {
                say!("client_secret: {s}\n(shown once; store it now)");
            }
        }
        ClientsCommand::List => {
            let clients = st
                .stores
                .clients
                .all_clients()
                .await
                .map_err(|e| e.to_string())?;
            for c in clients {
                let kind = if c.public { "public" } else { "confidential" };
                let party = if c.first_party {
                    "first-party"
                } else {
                    "third-party"
                };
                let state = if c.disabled { "disabled" } else { "enabled" };
                let name = c.face.names.get(None).map_or("-", |n| n.as_str());
                say!("{}\t{kind}\t{party}\t{state}\t{name}", c.client_id);
            }
        }
        ClientsCommand::Update(a) => {
            let id = a.client_id.clone();
            let patch = a.patch()?;
            uc::update_client(st, &id, patch, &uc::any_revision, actor, None)
                .await
                .map_err(|e| named(&id, e))?;
            say!("client {id} updated");
        }
        ClientsCommand::RotateSecret(Target { client_id: id }) => {
            let r = uc::rotate_secret(st, &id, actor, None)
                .await
                .map_err(|e| named(&id, e))?;
            say!("client_secret: {}\n(shown once; store it now)", r.secret);
            match r.previous_valid_until {
                Some(t) => say!("the previous secret works until {t} (Unix time)"),
                None => say!("the previous secret no longer works"),
            }
        }
        ClientsCommand::Disable(Target { client_id: id }) => {
            uc::set_disabled(st, &id, true, actor, None)
                .await
                .map_err(|e| named(&id, e))?;
            say!("client {id} disabled; its tokens no longer work");
        }
        ClientsCommand::Enable(Target { client_id: id }) => {
            uc::set_disabled(st, &id, false, actor, None)
                .await
                .map_err(|e| named(&id, e))?;
            say!("client {id} enabled");
        }
        ClientsCommand::Delete(Target { client_id: id }) => {
            uc::delete_client(st, &id, actor, None)
                .await
                .map_err(|e| named(&id, e))?;
            say!("client {id} deleted");
        }
    }
    Ok(())
}

fn named(id: &str, e: uc::ClientError) -> String {
    format!("{id}: {e}")
}

fn parse_auth_method(s: &str) -> Result<ClientAuthMethod, String> {
    ClientAuthMethod::parse(s).ok_or_else(|| {
        "expected client_secret_basic, client_secret_post, private_key_jwt or none".into()
    })
}

fn parse_org_mode(s: &str) -> Result<OrgMode, String> {
    OrgMode::parse(s).ok_or_else(|| "expected any, business or consumer".into())
}

#[cfg(test)]
#[path = "clients_face_tests.rs"]
mod face_tests;
#[cfg(test)]
#[path = "clients_tests.rs"]
mod tests;
