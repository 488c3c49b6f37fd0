use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_id: String,
    pub secret_hash: Option<String>,
    /// The untagged `client_name`; empty when the client has none.
    pub name: String,
    /// The `client_name` per language: a JSON object keyed by language code.
    pub name_langs: String,
    /// The logos, untagged (key `""`) and per language: a JSON object of `{uri, id}`.
    pub logos: String,
    pub redirect_uris: String,
    pub post_logout_redirect_uris: String,
    pub public: bool,
    pub first_party: bool,
    pub require_pkce: bool,
    pub grant_types: String,
    pub scopes: String,
    pub id_token_alg: Option<String>,
    pub access_token_format: String,
    pub min_acr: Option<String>,
    pub org_mode: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub description: Option<String>,
    pub launch_url: Option<String>,
    pub revision: i64,
    pub disabled: bool,
    pub previous_secret_hash: Option<String>,
    pub previous_secret_expires_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub require_verified: bool,
    pub jwks: Option<String>,
    pub jwks_uri: Option<String>,
    pub backchannel_logout_uri: Option<String>,
    pub backchannel_logout_session_required: bool,
    pub require_par: bool,
    pub request_object_alg: Option<String>,
    pub dpop_bound: bool,
    pub profile: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
