//! A validated authorization request, as it is kept while the user signs in (and what the
//! user chose during it). Its own file so that the endpoint and the organisation step can
//! both use it without using each other.

use serde::{Deserialize, Serialize};

use super::types::{Prompt, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseMode {
    Query,
    FormPost,
}

/// A validated authorization request, kept while the user signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_mode: ResponseMode,
    pub scope: Scope,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub prompt: Vec<Prompt>,
    pub max_age: Option<i64>,
    pub acr_values: Vec<String>,
    pub login_hint: Option<String>,
    /// `sub` of a valid `id_token_hint`.
    pub hinted_sub: Option<String>,
    pub ui_locales: Option<String>,
    pub claims: Option<serde_json::Value>,
    /// An organisation to act for, if the user belongs to it (scope `org`).
    #[serde(default)]
    pub org_hint: Option<String>,
    /// The context the user picked during this sign-in.
    #[serde(default)]
    pub org_context: Option<OrgContext>,
    /// The thumbprint of the DPoP key the code is bound to (RFC 9449 §10): `dpop_jkt`, or
    /// the key of a proof sent with the pushed request.
    #[serde(default)]
    pub dpop_jkt: Option<String>,
}

impl AuthRequest {
    pub fn has_prompt(&self, p: Prompt) -> bool {
        self.prompt.contains(&p)
    }

    /// The user claims the `claims` parameter names beyond what `scope` releases: each is
    /// consent of its own.
    pub fn claims_beyond_scope(&self) -> std::collections::BTreeSet<String> {
        super::claims::named_beyond(self.claims.as_ref(), &self.scope)
    }
}

/// What the user picked on the context page during this sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrgContext {
    Personal,
    Org(String),
}
