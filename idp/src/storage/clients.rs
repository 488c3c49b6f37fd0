//! Relying parties as stored: their registration, how they authenticate, and the store.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{Page, StorageResult, User};
use crate::model::{
    Assurance, ClientFace,
    oauth::{AccessTokenFormat, ClientProfile, Scope, SigningAlg},
};

/// A registered relying party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub client_id: String,
    /// Keyed hash of the secret (see `crypto::secret`); `None` for public clients.
    pub secret_hash: Option<String>,
    /// Its name and logo per language, as the pages show them (`model::face`).
    pub face: ClientFace,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub public: bool,
    /// First-party clients (the operator's own e-services) skip the consent page.
    pub first_party: bool,
    pub require_pkce: bool,
    pub grant_types: Vec<String>,
    /// Scopes this client may ask for.
    pub scopes: Scope,
    /// ID token algorithm; `None` uses the deployment default.
    pub id_token_alg: Option<SigningAlg>,
    pub access_token_format: AccessTokenFormat,
    /// The weakest acr this client accepts (step-up is asked for below it).
    pub min_acr: Option<String>,
    /// Whether the client signs people in as themselves, for a company, or either.
    pub org_mode: OrgMode,
    pub created_at: i64,
    pub updated_at: i64,
    /// What the service does, for the catalogue of online services.
    pub description: Option<String>,
    /// Where a person starts using the service; the catalogue lists clients that have one.
    pub launch_url: Option<String>,
    /// Bumped by every write; the management API's `ETag`.
    pub revision: i64,
    /// A disabled client is refused everywhere (authorization, token, introspection).
    pub disabled: bool,
    /// The secret replaced by a rotation, accepted until `previous_secret_expires_at`.
    pub previous_secret_hash: Option<String>,
    pub previous_secret_expires_at: Option<i64>,
    /// When it was last disabled (kept after it is enabled): access tokens issued until then
    /// are refused.
    pub disabled_at: Option<i64>,
    /// Only people with a verified identity may sign in to it (`model::Assurance`).
    pub require_verified: bool,
    /// The public keys of a `private_key_jwt` client, which has no secret; `None` for the
    /// others.
    pub keys: Option<ClientKeys>,
    /// Where it receives logout tokens when a session it got tokens in ends.
    pub backchannel_logout: Option<BackchannelLogout>,
    /// Its authorization requests must be pushed first (RFC 9126), so none travels through
    /// the browser where it could be read or changed.
    pub require_par: bool,
    /// The one algorithm its request objects (RFC 9101) may be signed with; `None` takes
    /// any of those private_key_jwt accepts.
    pub request_object_alg: Option<String>,
    /// Every access token it gets must be bound to a DPoP key (RFC 9449 §5.2,
    /// `dpop_bound_access_tokens`): a token request without a proof is refused.
    pub dpop_bound: bool,
    /// The security profile it is held to (FAPI 2.0 or not).
    pub profile: ClientProfile,
}

/// A client's back-channel logout registration (Back-Channel Logout 1.0 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackchannelLogout {
    /// `backchannel_logout_uri`: https, or http on the loopback interface.
    pub uri: String,
    /// `backchannel_logout_session_required`: the client needs `sid` in the token (which
    /// Postern always sends; the flag is kept and published for the client's sake).
    pub session_required: bool,
}

/// Where the public keys of a `private_key_jwt` client are (RFC 7523 §3; OIDC Core §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientKeys {
    /// A JWK Set (its JSON text) registered with the client.
    Jwks(String),
    /// The URL of its JWK Set, fetched and cached (`crypto::client_jwks`).
    JwksUri(String),
}

/// How a client authenticates at the token, introspection and revocation endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthMethod {
    /// A public client: nothing to prove but PKCE.
    None,
    /// Its secret, by Basic credentials or in the body (either is accepted).
    ClientSecret,
    /// A JWT signed with one of its keys (`client_assertion`).
    PrivateKeyJwt,
}

impl ClientAuthMethod {
    /// The registration value (RFC 7591 §2); a secret client shows the default of the two
    /// secret methods it may use.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuthMethod::None => "none",
            ClientAuthMethod::ClientSecret => "client_secret_basic",
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }

    /// A registration value; both secret methods name a secret client.
    pub fn parse(s: &str) -> Option<ClientAuthMethod> {
        match s {
            "none" => Some(ClientAuthMethod::None),
            "client_secret_basic" | "client_secret_post" => Some(ClientAuthMethod::ClientSecret),
            "private_key_jwt" => Some(ClientAuthMethod::PrivateKeyJwt),
            _ => None,
        }
    }
}

/// Who a client is for (scope `org` asks for a company context).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgMode {
    /// Personal or company context, as the user picks.
    #[default]
    Any,
    /// A company context is required.
    Business,
    /// Personal only: no company context is ever offered.
    Consumer,
}

impl OrgMode {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgMode::Any => "any",
            OrgMode::Business => "business",
            OrgMode::Consumer => "consumer",
        }
    }

    pub fn parse(s: &str) -> Option<OrgMode> {
        match s {
            "any" => Some(OrgMode::Any),
            "business" => Some(OrgMode::Business),
            "consumer" => Some(OrgMode::Consumer),
            _ => None,
        }
    }
}

impl Client {
    pub fn allows_grant(&self, grant_type: &str) -> bool {
        self.grant_types.iter().any(|g| g == grant_type)
    }

    pub fn auth_method(&self) -> ClientAuthMethod {
        match (self.public, &self.keys) {
            (true, _) => ClientAuthMethod::None,
            (false, Some(_)) => ClientAuthMethod::PrivateKeyJwt,
            (false, None) => ClientAuthMethod::ClientSecret,
        }
    }
}

impl Client {
    /// Whether this client admits `user`: one that requires a verified identity admits only
    /// verified users. Asked at every authorization and every refresh, so switching a client
    /// to verified-only (or withdrawing a user's check) ends what it issues from then on.
    pub fn admits(&self, user: &User) -> bool {
        !self.require_verified || user.assurance() == Assurance::Verified
    }
}

#[async_trait]
pub trait ClientStore: Send + Sync {
    async fn create_client(&self, client: &Client) -> StorageResult<()>;
    async fn find_client(&self, client_id: &str) -> StorageResult<Option<Client>>;
    /// By client id.
    async fn list_clients(&self, offset: u64, limit: u64) -> StorageResult<Page<Client>>;
    /// Writes every field but the id and the creation time, with revision
    /// `expected_revision + 1`, only if the stored revision is `expected_revision`, in one
    /// atomic step; false when it is not (another write came first) or the client is gone.
    async fn update_client(&self, client: &Client, expected_revision: i64) -> StorageResult<bool>;
    /// Every client, by id (the catalogue of services).
    async fn all_clients(&self) -> StorageResult<Vec<Client>> {
        const CHUNK: u64 = 500;
        let mut all = Vec::new();
        loop {
            let page = self.list_clients(all.len() as u64, CHUNK).await?;
            let done = (page.items.len() as u64) < CHUNK;
            all.extend(page.items);
            if done {
                return Ok(all);
            }
        }
    }
    async fn delete_client(&self, client_id: &str) -> StorageResult<()>;
}
