//! The shapes of the `/clients` endpoints: the bodies the handlers deserialise and the views
//! they answer, from which the OpenAPI document is derived.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::client_face::{self, Tagged};
use crate::{
    admin::clients::{ClientError, ClientPatch, NewClient, Rotated, backchannel_from, keys_from},
    crypto::Secret,
    model::oauth::{AccessTokenFormat, ClientProfile, SigningAlg},
    storage::{Client, ClientAuthMethod, ClientKeys, OrgMode},
};

/// Documents the values of the string fields below (checked by the use case, 422).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum GrantTypeName {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
    #[serde(rename = "urn:ietf:params:oauth:grant-type:device_code")]
    DeviceCode,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub enum AcrName {
    #[serde(rename = "urn:postern:acr:1fa")]
    OneFactor,
    #[serde(rename = "urn:postern:acr:2fa")]
    TwoFactor,
    #[serde(rename = "urn:postern:acr:phr")]
    PhishingResistant,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub enum AlgName {
    RS256,
    ES256,
    EdDSA,
}

/// The algorithms of client-signed JWTs (assertions, request objects).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub enum AssertionAlgName {
    RS256,
    PS256,
    ES256,
    EdDSA,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum TokenFormatName {
    Jwt,
    Opaque,
}

/// How a client authenticates at the token, introspection and revocation endpoints
/// (RFC 7591 §2). A secret client may use either secret method.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethodName {
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
    None,
}

impl From<AuthMethodName> for ClientAuthMethod {
    fn from(m: AuthMethodName) -> Self {
        match m {
            AuthMethodName::ClientSecretBasic | AuthMethodName::ClientSecretPost => {
                ClientAuthMethod::ClientSecret
            }
            AuthMethodName::PrivateKeyJwt => ClientAuthMethod::PrivateKeyJwt,
            AuthMethodName::None => ClientAuthMethod::None,
        }
    }
}

/// A JWK Set given in a body, as the text the client is stored with.
fn jwks_text(set: Option<serde_json::Value>) -> Option<String> {
    set.map(|s| s.to_string())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum OrgModeName {
    Any,
    Business,
    Consumer,
}

/// The security profile a client is held to: `fapi2` is the FAPI 2.0 Security Profile
/// (PAR, private_key_jwt, DPoP-bound tokens, PS256/ES256/EdDSA, 60-second codes).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ProfileName {
    Standard,
    Fapi2,
}

/// A relying party as the API shows it: never its secret or the secret's hash.
#[derive(Serialize, ToSchema)]
pub struct ClientView {
    pub client_id: String,
    /// The service's name on Postern's pages (OIDC Dynamic Client Registration §2.1), for
    /// every language without a `client_name#xx` of its own; absent: the pages name no
    /// service.
    pub client_name: Option<String>,
    /// Where the logo was fetched from, once, when it was set; the pages show the copy
    /// stored then, from Postern's own origin. `logo_uri#xx` for one language.
    pub logo_uri: Option<String>,
    /// `client_name#xx` and `logo_uri#xx` (listed in the schema by the document's modifier).
    #[serde(flatten)]
    #[schema(ignore)]
    pub by_language: BTreeMap<String, String>,
    /// A public client (native or browser app) has no secret.
    pub public: bool,
    pub first_party: bool,
    pub disabled: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    #[schema(value_type = Vec<GrantTypeName>)]
    pub grant_types: Vec<String>,
    /// Every scope the client may ask for, the standard ones included.
    pub scopes: Vec<String>,
    #[schema(value_type = Option<AcrName>)]
    pub min_acr: Option<String>,
    #[schema(value_type = OrgModeName)]
    pub org_mode: OrgMode,
    #[schema(value_type = TokenFormatName)]
    pub access_token_format: AccessTokenFormat,
    /// `null`: the deployment's default.
    #[schema(value_type = Option<AlgName>)]
    pub id_token_alg: Option<SigningAlg>,
    pub description: Option<String>,
    pub launch_url: Option<String>,
    /// Only people with a verified identity may sign in to it.
    pub require_verified: bool,
    /// Until when (Unix seconds) the secret replaced by the last rotation still works.
    pub previous_secret_valid_until: Option<i64>,
    /// `none` (public), `client_secret_basic` (a secret, by Basic or in the body) or
    /// `private_key_jwt`.
    #[schema(value_type = AuthMethodName)]
    pub token_endpoint_auth_method: &'static str,
    /// The public keys of a `private_key_jwt` client registered inline (a JWK Set).
    #[schema(value_type = Option<Object>)]
    pub jwks: Option<serde_json::Value>,
    /// Where a `private_key_jwt` client's keys are fetched.
    pub jwks_uri: Option<String>,
    /// Where the client receives logout tokens (Back-Channel Logout 1.0).
    pub backchannel_logout_uri: Option<String>,
    /// The client wants `sid` in logout tokens (Postern always sends it).
    pub backchannel_logout_session_required: bool,
    /// Its authorization requests must be pushed to `/par` first (RFC 9126).
    pub require_pushed_authorization_requests: bool,
    /// The one algorithm of its request objects (RFC 9101); `null`: any accepted one.
    #[schema(value_type = Option<AssertionAlgName>)]
    pub request_object_signing_alg: Option<String>,
    /// Every access token it gets is bound to a DPoP key (RFC 9449).
    pub dpop_bound_access_tokens: bool,
    #[schema(value_type = ProfileName)]
    pub profile: ClientProfile,
    /// Bumped by every change; the `ETag`.
    pub revision: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&Client> for ClientView {
    fn from(c: &Client) -> Self {
        ClientView {
            client_id: c.client_id.clone(),
            client_name: c.face.names.get(None).map(|n| n.as_str().to_owned()),
            logo_uri: c.face.logos.get(None).map(|l| l.uri.clone()),
            by_language: client_face::view(&c.face),
            public: c.public,
            first_party: c.first_party,
            disabled: c.disabled,
            redirect_uris: c.redirect_uris.clone(),
            post_logout_redirect_uris: c.post_logout_redirect_uris.clone(),
            grant_types: c.grant_types.clone(),
            scopes: c.scopes.iter().map(str::to_owned).collect(),
            min_acr: c.min_acr.clone(),
            org_mode: c.org_mode,
            access_token_format: c.access_token_format,
            id_token_alg: c.id_token_alg,
            description: c.description.clone(),
            launch_url: c.launch_url.clone(),
            require_verified: c.require_verified,
            previous_secret_valid_until: c
                .previous_secret_hash
                .as_ref()
                .and(c.previous_secret_expires_at),
            token_endpoint_auth_method: c.auth_method().as_str(),
            jwks: match &c.keys {
                Some(ClientKeys::Jwks(set)) => serde_json::from_str(set).ok(),
                _ => None,
            },
            jwks_uri: match &c.keys {
                Some(ClientKeys::JwksUri(uri)) => Some(uri.clone()),
                _ => None,
            },
            backchannel_logout_uri: c.backchannel_logout.as_ref().map(|b| b.uri.clone()),
            backchannel_logout_session_required: c
                .backchannel_logout
                .as_ref()
                .is_some_and(|b| b.session_required),
            require_pushed_authorization_requests: c.require_par,
            request_object_signing_alg: c.request_object_alg.clone(),
            dpop_bound_access_tokens: c.dpop_bound,
            profile: c.profile,
            revision: c.revision,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// The answer to a create: the client and, for a confidential one, its secret, shown this
/// once (only its hash is stored).
#[derive(Serialize, ToSchema)]
pub struct CreatedClient {
    pub client: ClientView,
    pub client_secret: Option<String>,
}

/// The answer to a rotation: the new secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct RotatedSecret {
    pub client_id: String,
    pub client_secret: String,
    /// Until when (Unix seconds) the old secret still works; `null`: it stopped at once.
    pub previous_secret_valid_until: Option<i64>,
    pub revision: i64,
}

impl From<Rotated> for RotatedSecret {
    fn from(r: Rotated) -> Self {
        RotatedSecret {
            client_id: r.client.client_id,
            client_secret: r.secret,
            previous_secret_valid_until: r.previous_valid_until,
            revision: r.client.revision,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClientBody {
    #[schema(min_length = 1, max_length = 128, pattern = "^[A-Za-z0-9._:-]+$")]
    client_id: String,
    /// The service's name on the sign-in, consent, second-factor and device pages, for
    /// every language without a `client_name#xx` (en, fr, de, it, sv, fi) of its own;
    /// absent: the pages name no service.
    #[schema(max_length = 200)]
    client_name: Option<String>,
    /// The service's logo (PNG, JPEG, GIF or WebP, at most 256 KiB), fetched once now over
    /// https from a public address and served by Postern; `logo_uri#xx` for one language.
    /// A logo that cannot be fetched refuses the registration (422).
    #[schema(max_length = 2048)]
    logo_uri: Option<String>,
    /// A public client has no secret; a confidential one gets a generated secret.
    #[serde(default)]
    public: bool,
    #[serde(default)]
    first_party: bool,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    post_logout_redirect_uris: Vec<String>,
    /// Empty: authorization_code and refresh_token. A device (RFC 8628) is given
    /// `urn:ietf:params:oauth:grant-type:device_code`.
    #[serde(default)]
    #[schema(value_type = Vec<GrantTypeName>)]
    grant_types: Vec<String>,
    /// Scopes besides the standard ones.
    #[serde(default)]
    scopes: Vec<String>,
    #[schema(value_type = Option<AcrName>)]
    min_acr: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<OrgModeName>)]
    org_mode: Option<OrgMode>,
    #[serde(default)]
    #[schema(value_type = Option<TokenFormatName>)]
    access_token_format: Option<AccessTokenFormat>,
    #[schema(value_type = Option<AlgName>)]
    id_token_alg: Option<SigningAlg>,
    description: Option<String>,
    launch_url: Option<String>,
    /// Only people with a verified identity may sign in (the others see how to get
    /// verified; the client receives `access_denied`).
    #[serde(default)]
    require_verified: bool,
    /// Absent: `none` for a public client, `private_key_jwt` with keys, else a secret.
    token_endpoint_auth_method: Option<AuthMethodName>,
    /// For `private_key_jwt`: the client's public keys (a JWK Set, at most 64 KiB; RSA of
    /// 2048 bits or more, EC P-256 or Ed25519), or `jwks_uri`.
    #[schema(value_type = Option<Object>)]
    jwks: Option<serde_json::Value>,
    /// For `private_key_jwt`: where the client's JWK Set is fetched (https; http only on
    /// the loopback interface).
    jwks_uri: Option<String>,
    /// Where the client receives logout tokens when a session it got tokens in ends
    /// (https; http only on the loopback interface).
    backchannel_logout_uri: Option<String>,
    /// Needs `backchannel_logout_uri`.
    #[serde(default)]
    backchannel_logout_session_required: bool,
    /// Authorization requests only through `/par` (RFC 9126).
    #[serde(default)]
    require_pushed_authorization_requests: bool,
    /// The one algorithm its request objects may be signed with (RFC 9101).
    #[schema(value_type = Option<AssertionAlgName>)]
    request_object_signing_alg: Option<String>,
    /// Token requests without a DPoP proof are refused (RFC 9449 §5.2).
    #[serde(default)]
    dpop_bound_access_tokens: bool,
    /// `fapi2` turns on PAR and DPoP binding (and ES256 ID tokens unless
    /// `id_token_alg` says EdDSA) and needs `private_key_jwt`.
    #[schema(value_type = Option<ProfileName>)]
    profile: Option<ClientProfile>,
}

impl TryFrom<(NewClientBody, Tagged)> for NewClient {
    type Error = ClientError;

    fn try_from((b, t): (NewClientBody, Tagged)) -> Result<Self, ClientError> {
        let names = client_face::with_untagged(t.names, b.client_name.map(Some));
        let logo_uris = client_face::with_untagged(t.logo_uris, b.logo_uri.map(Some));
        Ok(NewClient {
            client_id: b.client_id,
            names: client_face::given(&names),
            logo_uris: client_face::given(&logo_uris),
            secret: None::<Secret>,
            redirect_uris: b.redirect_uris,
            post_logout_redirect_uris: b.post_logout_redirect_uris,
            public: b.public,
            first_party: b.first_party,
            grant_types: b.grant_types,
            extra_scopes: b.scopes,
            id_token_alg: b.id_token_alg,
            access_token_format: b.access_token_format.unwrap_or_default(),
            min_acr: b.min_acr,
            org_mode: b.org_mode.unwrap_or_default(),
            description: b.description,
            launch_url: b.launch_url,
            require_verified: b.require_verified,
            auth_method: b.token_endpoint_auth_method.map(ClientAuthMethod::from),
            keys: keys_from(jwks_text(b.jwks), b.jwks_uri)?,
            backchannel_logout: backchannel_from(
                b.backchannel_logout_uri,
                b.backchannel_logout_session_required,
            )?,
            require_par: b.require_pushed_authorization_requests,
            request_object_alg: b.request_object_signing_alg,
            dpop_bound: b.dpop_bound_access_tokens,
            profile: b.profile.unwrap_or_default(),
        })
    }
}

/// A change: absent fields stay; a list replaces the stored one; `null` clears an
/// optional setting. The result must pass the same rules as a new client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientPatchBody {
    /// A new name for every language without its own; `null` removes it (the pages then
    /// name no service, or the `client_name#xx` of their language).
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    client_name: Option<Option<String>>,
    /// A new logo, fetched once now; `null` removes it. The same URI again fetches it
    /// again (a changed image).
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<String>, max_length = 2048)]
    logo_uri: Option<Option<String>>,
    redirect_uris: Option<Vec<String>>,
    post_logout_redirect_uris: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<GrantTypeName>>)]
    grant_types: Option<Vec<String>>,
    /// Scopes besides the standard ones (which every client keeps).
    scopes: Option<Vec<String>>,
    first_party: Option<bool>,
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<AcrName>)]
    min_acr: Option<Option<String>>,
    #[schema(value_type = Option<OrgModeName>)]
    org_mode: Option<OrgMode>,
    #[schema(value_type = Option<TokenFormatName>)]
    access_token_format: Option<AccessTokenFormat>,
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<AlgName>)]
    id_token_alg: Option<Option<SigningAlg>>,
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<String>)]
    launch_url: Option<Option<String>>,
    require_verified: Option<bool>,
    /// New keys of a `private_key_jwt` client (a JWK Set), replacing its keys or URL.
    #[schema(value_type = Option<Object>)]
    jwks: Option<serde_json::Value>,
    /// A new JWK Set URL of a `private_key_jwt` client, replacing its keys or URL.
    jwks_uri: Option<String>,
    /// `null` stops back-channel logout for the client.
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<String>)]
    backchannel_logout_uri: Option<Option<String>>,
    backchannel_logout_session_required: Option<bool>,
    require_pushed_authorization_requests: Option<bool>,
    /// `null`: any accepted algorithm.
    #[serde(default, deserialize_with = "super::schema::present")]
    #[schema(value_type = Option<AssertionAlgName>)]
    request_object_signing_alg: Option<Option<String>>,
    dpop_bound_access_tokens: Option<bool>,
    #[schema(value_type = Option<ProfileName>)]
    profile: Option<ClientProfile>,
}

impl TryFrom<(ClientPatchBody, Tagged)> for ClientPatch {
    type Error = ClientError;

    fn try_from((b, t): (ClientPatchBody, Tagged)) -> Result<Self, ClientError> {
        Ok(ClientPatch {
            names: client_face::with_untagged(t.names, b.client_name),
            logo_uris: client_face::with_untagged(t.logo_uris, b.logo_uri),
            redirect_uris: b.redirect_uris,
            post_logout_redirect_uris: b.post_logout_redirect_uris,
            grant_types: b.grant_types,
            extra_scopes: b.scopes,
            first_party: b.first_party,
            min_acr: b.min_acr,
            org_mode: b.org_mode,
            access_token_format: b.access_token_format,
            id_token_alg: b.id_token_alg,
            description: b.description,
            launch_url: b.launch_url,
            require_verified: b.require_verified,
            keys: keys_from(jwks_text(b.jwks), b.jwks_uri)?,
            backchannel_logout_uri: b.backchannel_logout_uri,
            backchannel_logout_session_required: b.backchannel_logout_session_required,
            require_par: b.require_pushed_authorization_requests,
            request_object_alg: b.request_object_signing_alg,
            dpop_bound: b.dpop_bound_access_tokens,
            profile: b.profile,
        })
    }
}
