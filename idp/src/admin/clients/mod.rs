//! Registering and administering relying parties: the use cases behind `idp clients …` and
//! the management API's `/clients`. Every write is audited here with its actor, whichever
//! interface called it, and every registration passes the same rules (`rules.rs`).

mod face;
mod lifecycle;
mod logo;
mod patch;
mod rules;

pub use lifecycle::{Rotated, delete_client, rotate_secret, set_disabled};
pub use logo::{LogoFetcher, MAX_LOGO_BYTES};
pub use patch::update_client;

use std::borrow::Cow;

use crate::{
    audit::{self, Actor, RequestMeta},
    crypto::{Secret, random_token},
    model::oauth::{
        AccessTokenFormat, ClientProfile, GRANT_AUTHORIZATION_CODE, GRANT_REFRESH_TOKEN,
        STANDARD_SCOPES, Scope, SigningAlg,
    },
    model::{ClientFace, Localized},
    state::AppState,
    storage::{
        BackchannelLogout, Client, ClientAuthMethod, ClientKeys, OrgMode, Page, StorageError,
    },
};

pub struct NewClient {
    pub client_id: String,
    /// `client_name`, untagged and per language; none: the pages name no service.
    pub names: Localized<String>,
    /// `logo_uri`, untagged and per language: each fetched once, before the client is
    /// written.
    pub logo_uris: Localized<String>,
    /// `None` generates one for confidential clients.
    pub secret: Option<Secret>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub public: bool,
    pub first_party: bool,
    /// Empty means authorization_code and refresh_token.
    pub grant_types: Vec<String>,
    /// Added to the standard scopes.
    pub extra_scopes: Vec<String>,
    pub id_token_alg: Option<SigningAlg>,
    pub access_token_format: AccessTokenFormat,
    /// One of `ACR_VALUES`; `None` accepts one factor.
    pub min_acr: Option<String>,
    pub org_mode: OrgMode,
    /// For the catalogue of online services.
    pub description: Option<String>,
    /// Where a person starts using the service (absolute http(s) URL).
    pub launch_url: Option<String>,
    /// Only people with a verified identity may sign in.
    pub require_verified: bool,
    /// How it authenticates; `None`: `none` for a public client, `private_key_jwt` when
    /// keys are given, else its secret.
    pub auth_method: Option<ClientAuthMethod>,
    /// The keys of a `private_key_jwt` client (which then has no secret).
    pub keys: Option<ClientKeys>,
    /// Where it receives logout tokens (Back-Channel Logout 1.0).
    pub backchannel_logout: Option<BackchannelLogout>,
    /// Its authorization requests must be pushed first (RFC 9126).
    pub require_par: bool,
    /// The one algorithm of its request objects; `None`: any accepted one.
    pub request_object_alg: Option<String>,
    /// Its access tokens must be DPoP-bound.
    pub dpop_bound: bool,
    /// `Fapi2` turns on PAR and DPoP binding and, unless one is given, ES256 ID tokens.
    pub profile: ClientProfile,
}

/// A change of a client: `None` leaves a field as it is; for the optional fields,
/// `Some(None)` clears it. Lists replace the stored list.
#[derive(Debug, Default)]
pub struct ClientPatch {
    /// `client_name` per language given (`None` as key: untagged); a `None` value removes it.
    pub names: Localized<Option<String>>,
    /// `logo_uri` per language given: a URI is fetched anew, `None` removes the logo.
    pub logo_uris: Localized<Option<String>>,
    pub redirect_uris: Option<Vec<String>>,
    pub post_logout_redirect_uris: Option<Vec<String>>,
    pub grant_types: Option<Vec<String>>,
    /// The scopes besides the standard ones (which every client keeps).
    pub extra_scopes: Option<Vec<String>>,
    pub first_party: Option<bool>,
    pub min_acr: Option<Option<String>>,
    pub org_mode: Option<OrgMode>,
    pub access_token_format: Option<AccessTokenFormat>,
    pub id_token_alg: Option<Option<SigningAlg>>,
    pub description: Option<Option<String>>,
    pub launch_url: Option<Option<String>>,
    pub require_verified: Option<bool>,
    /// New keys for a `private_key_jwt` client (a rotation); its method stays.
    pub keys: Option<ClientKeys>,
    /// `Some(None)` stops back-channel logout for the client.
    pub backchannel_logout_uri: Option<Option<String>>,
    pub backchannel_logout_session_required: Option<bool>,
    pub require_par: Option<bool>,
    pub request_object_alg: Option<Option<String>>,
    pub dpop_bound: Option<bool>,
    /// Becoming `Fapi2` turns on what the profile needs, as at creation.
    pub profile: Option<ClientProfile>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// A value breaks a rule, or a logo could not be fetched; `field` names it as the API
    /// spells it (`logo_uri#fr`).
    #[error("{field}: {detail}")]
    Invalid {
        field: Cow<'static, str>,
        detail: String,
    },
    #[error("a client with this id already exists")]
    Exists,
    #[error("no client has this id")]
    NotFound,
    /// The client changed since the caller read it (`If-Match`), or another write won.
    #[error("the client changed since it was read; read it again and retry")]
    Stale,
    /// The caller would lock itself out: its own token's client.
    #[error("a caller may not {0} the client whose token it uses")]
    OwnClient(&'static str),
    #[error("a public client has no secret to rotate")]
    PublicClient,
    #[error("a private_key_jwt client has no secret to rotate; change its keys instead")]
    KeyClient,
    /// The client has (or would get) an administrative scope, and the caller does not act
    /// in every area.
    #[error(
        "only a caller with scope admin may administer a client that holds an admin scope or introspection"
    )]
    Privileged,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn scopes_with(extra: &[String]) -> Result<Scope, ClientError> {
    let mut scopes = Scope::from_iter(STANDARD_SCOPES);
    for s in extra {
        // One scope token per item: "reports admin" would otherwise become two scopes,
        // one of them a name the caller never listed on its own.
        let parsed = Scope::parse(s)
            .filter(|p| p.iter().count() == 1)
            .ok_or_else(|| ClientError::Invalid {
                field: "scopes".into(),
                detail: format!("{s:?} is not one scope name"),
            })?;
        scopes = scopes.union(&parsed);
    }
    Ok(scopes)
}

/// A back-channel logout registration as given: the flag only with a URI.
pub fn backchannel_from(
    uri: Option<String>,
    session_required: bool,
) -> Result<Option<BackchannelLogout>, ClientError> {
    match uri {
        Some(uri) => Ok(Some(BackchannelLogout {
            uri,
            session_required,
        })),
        None if session_required => Err(ClientError::Invalid {
            field: "backchannel_logout_session_required".into(),
            detail: "needs a backchannel_logout_uri".into(),
        }),
        None => Ok(None),
    }
}

/// A private_key_jwt client's keys as given: a JWK Set (JSON text) or its URL, not both.
pub fn keys_from(
    jwks: Option<String>,
    jwks_uri: Option<String>,
) -> Result<Option<ClientKeys>, ClientError> {
    match (jwks, jwks_uri) {
        (Some(_), Some(_)) => Err(ClientError::Invalid {
            field: "jwks".into(),
            detail: "give jwks or jwks_uri, not both".into(),
        }),
        (Some(set), None) => Ok(Some(ClientKeys::Jwks(set))),
        (None, Some(uri)) => Ok(Some(ClientKeys::JwksUri(uri))),
        (None, None) => Ok(None),
    }
}

/// Turns on what a FAPI 2.0 client needs and the caller could not have meant otherwise:
/// pushed requests, DPoP-bound tokens, and an ID-token algorithm other than RS256 when none
/// was chosen. Anything else the profile forbids is refused by the rules instead.
fn with_profile_defaults(mut c: Client) -> Client {
    if c.profile == ClientProfile::Fapi2 {
        c.require_par = true;
        c.dpop_bound = true;
        c.id_token_alg = c.id_token_alg.or(Some(SigningAlg::ES256));
    }
    c
}

/// Records a successful administrative act on client `client_id`.
async fn record(
    state: &AppState,
    actor: &Actor,
    meta: Option<&RequestMeta>,
    client_id: &str,
    what: &str,
) {
    audit::record(
        state,
        audit::Entry {
            kind: audit::ADMIN,
            outcome: audit::Outcome::Success,
            client_id: Some(client_id),
            meta,
            detail: Some(format!("{what} client {client_id}")),
            actor: Some(actor),
            ..Default::default()
        },
    )
    .await;
}

/// Creates the client; returns it with the generated secret, shown once and never stored.
pub async fn create_client(
    state: &AppState,
    new: NewClient,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<(Client, Option<String>), ClientError> {
    rules::check_id(&new.client_id)?;
    if new.public && new.secret.is_some() {
        return Err(ClientError::Invalid {
            field: "secret".into(),
            detail: "a public client has no secret".into(),
        });
    }
    rules::check_auth_method(&new)?;
    let grant_types = if new.grant_types.is_empty() {
        vec![GRANT_AUTHORIZATION_CODE.into(), GRANT_REFRESH_TOKEN.into()]
    } else {
        new.grant_types
    };
    let (secret_hash, shown) = match (new.public, new.secret) {
        (true, _) => (None, None),
        (false, _) if new.keys.is_some() => (None, None),
        (false, Some(s)) => (Some(state.secrets.hash(s.expose())), None),
        (false, None) => {
            let s = random_token(32);
            (Some(state.secrets.hash(&s)), Some(s))
        }
    };
    let names = face::names(&new.names)?;
    let now = state.now();
    let client = Client {
        face: ClientFace {
            names,
            logos: Localized::default(),
        },
        client_id: new.client_id,
        secret_hash,
        redirect_uris: new.redirect_uris,
        post_logout_redirect_uris: new.post_logout_redirect_uris,
        public: new.public,
        first_party: new.first_party,
        require_pkce: true,
        grant_types,
        scopes: scopes_with(&new.extra_scopes)?,
        id_token_alg: new.id_token_alg,
        access_token_format: new.access_token_format,
        min_acr: new.min_acr,
        org_mode: new.org_mode,
        created_at: now,
        updated_at: now,
        description: new.description.filter(|d| !d.trim().is_empty()),
        launch_url: new.launch_url,
        require_verified: new.require_verified,
        revision: 0,
        disabled: false,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        disabled_at: None,
        keys: new.keys,
        backchannel_logout: new.backchannel_logout,
        require_par: new.require_par,
        request_object_alg: new.request_object_alg,
        dpop_bound: new.dpop_bound,
        profile: new.profile,
    };
    let mut client = with_profile_defaults(client);
    rules::validate(&client)?;
    rules::may_administer(actor, &client)?;
    // Fetched only for a registration the rules and the caller's rights admit; stored
    // only once every logo came.
    let uris = new.logo_uris.map(|u| Some(u.clone()));
    let logos = face::Fetched::from(state, &uris).await?;
    logos.apply(&mut client.face);
    logos.store(state).await?;
    match state.stores.clients.create_client(&client).await {
        Ok(()) => {
            record(state, actor, meta, &client.client_id, "create").await;
            Ok((client, shown))
        }
        Err(StorageError::Conflict) => Err(ClientError::Exists),
        Err(e) => Err(e.into()),
    }
}

pub async fn list_clients(
    state: &AppState,
    offset: u64,
    limit: u64,
) -> Result<Page<Client>, ClientError> {
    Ok(state.stores.clients.list_clients(offset, limit).await?)
}

pub async fn get_client(state: &AppState, client_id: &str) -> Result<Client, ClientError> {
    state
        .stores
        .clients
        .find_client(client_id)
        .await?
        .ok_or(ClientError::NotFound)
}

/// Applies `change` to the stored client and writes it, conditional on the revision it was
/// read at, if `applies_to` accepts that revision (the caller's `If-Match`; else `Stale`).
/// A write that lost a race is retried on a fresh read, which `applies_to` judges again:
/// a caller that named a revision gets `Stale`, one that did not gets its change. A value
/// the rules refuse is reported before any precondition, since no revision would take it.
async fn modify(
    state: &AppState,
    client_id: &str,
    actor: &Actor,
    applies_to: &(dyn Fn(i64) -> bool + Sync),
    change: impl Fn(&mut Client) -> Result<(), ClientError>,
) -> Result<Client, ClientError> {
    modify_with(state, client_id, actor, applies_to, None, change).await
}

/// [`modify`], storing the logos a change fetched once the change has passed the rules,
/// just before it is written.
async fn modify_with(
    state: &AppState,
    client_id: &str,
    actor: &Actor,
    applies_to: &(dyn Fn(i64) -> bool + Sync),
    logos: Option<&face::Fetched>,
    change: impl Fn(&mut Client) -> Result<(), ClientError>,
) -> Result<Client, ClientError> {
    for _ in 0..5 {
        let current = get_client(state, client_id).await?;
        rules::may_administer(actor, &current)?;
        let mut next = current.clone();
        change(&mut next)?;
        rules::validate(&next)?;
        rules::may_administer(actor, &next)?;
        if !applies_to(current.revision) {
            return Err(ClientError::Stale);
        }
        next.updated_at = state.now();
        if let Some(logos) = logos {
            logos.store(state).await?;
        }
        if state
            .stores
            .clients
            .update_client(&next, current.revision)
            .await?
        {
            next.revision = current.revision + 1;
            return Ok(next);
        }
    }
    Err(ClientError::Stale)
}

/// Any revision: the caller changes the client whatever its state.
pub fn any_revision(_: i64) -> bool {
    true
}
