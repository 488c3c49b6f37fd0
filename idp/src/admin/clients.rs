//! Registering relying parties.

use crate::{
    audit::Actor,
    crypto::{Secret, random_token},
    protocol::types::{
        AccessTokenFormat, GRANT_AUTHORIZATION_CODE, GRANT_REFRESH_TOKEN, GRANT_TYPES,
        STANDARD_SCOPES, Scope, SigningAlg,
    },
    state::AppState,
    storage::{Client, StorageError},
};

pub struct NewClient {
    pub client_id: String,
    pub name: Option<String>,
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
    pub org_mode: crate::storage::OrgMode,
    /// For the catalogue of online services.
    pub description: Option<String>,
    /// Where a person starts using the service (absolute http(s) URL).
    pub launch_url: Option<String>,
    /// Only people with a verified identity may sign in.
    pub require_verified: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateClientError {
    #[error("client id must be 1-128 characters of letters, digits, '-', '_', '.' or ':'")]
    BadId,
    #[error("{0:?} is not an absolute URI without a fragment")]
    BadUri(String),
    #[error(
        "unknown grant type {0:?}; expected one of authorization_code, refresh_token, client_credentials"
    )]
    BadGrant(String),
    #[error("{0:?} is not a valid scope name")]
    BadScope(String),
    #[error("a public client cannot have a secret or use client_credentials")]
    PublicWithSecret,
    #[error("the authorization code flow needs at least one --redirect-uri")]
    NoRedirect,
    #[error(
        "unknown acr {0:?}; expected one of urn:postern:acr:1fa, urn:postern:acr:2fa, urn:postern:acr:phr"
    )]
    BadAcr(String),
    #[error("a client with this id already exists")]
    Exists,
    #[error(transparent)]
    Storage(StorageError),
}

fn check_uri(u: &str) -> Result<(), CreateClientError> {
    let parsed = url::Url::parse(u).map_err(|_| CreateClientError::BadUri(u.into()))?;
    if parsed.fragment().is_some() || parsed.cannot_be_a_base() {
        return Err(CreateClientError::BadUri(u.into()));
    }
    Ok(())
}

/// Creates the client; returns it with the generated secret, shown once and never stored.
pub async fn create_client(
    state: &AppState,
    new: NewClient,
    actor: &Actor,
) -> Result<(Client, Option<String>), CreateClientError> {
    let id_ok = (1..=128).contains(&new.client_id.len())
        && new
            .client_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if !id_ok {
        return Err(CreateClientError::BadId);
    }
    for u in new
        .redirect_uris
        .iter()
        .chain(&new.post_logout_redirect_uris)
    {
        check_uri(u)?;
    }
    // Shown as a link in the catalogue: only web addresses, never `javascript:`.
    if let Some(u) = &new.launch_url {
        check_uri(u)?;
        if !u.starts_with("https://") && !u.starts_with("http://") {
            return Err(CreateClientError::BadUri(u.clone()));
        }
    }
    let grant_types = if new.grant_types.is_empty() {
        vec![
            GRANT_AUTHORIZATION_CODE.to_string(),
            GRANT_REFRESH_TOKEN.to_string(),
        ]
    } else {
        new.grant_types.clone()
    };
    for g in &grant_types {
        if !GRANT_TYPES.contains(&g.as_str()) {
            return Err(CreateClientError::BadGrant(g.clone()));
        }
    }
    if grant_types.iter().any(|g| g == GRANT_AUTHORIZATION_CODE) && new.redirect_uris.is_empty() {
        return Err(CreateClientError::NoRedirect);
    }
    if let Some(acr) = &new.min_acr
        && !crate::protocol::types::ACR_VALUES.contains(&acr.as_str())
    {
        return Err(CreateClientError::BadAcr(acr.clone()));
    }
    let mut scopes = Scope::from_iter(STANDARD_SCOPES);
    for s in &new.extra_scopes {
        let parsed = Scope::parse(s)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| CreateClientError::BadScope(s.clone()))?;
        scopes = scopes.union(&parsed);
    }
    if new.public && (new.secret.is_some() || grant_types.iter().any(|g| g == "client_credentials"))
    {
        return Err(CreateClientError::PublicWithSecret);
    }
    let (secret_hash, shown) = if new.public {
        (None, None)
    } else {
        match new.secret {
            Some(s) => (Some(state.secrets.hash(s.expose())), None),
            None => {
                let s = random_token(32);
                (Some(state.secrets.hash(&s)), Some(s))
            }
        }
    };
    let now = state.now();
    let client = Client {
        name: new.name.unwrap_or_else(|| new.client_id.clone()),
        client_id: new.client_id,
        secret_hash,
        redirect_uris: new.redirect_uris,
        post_logout_redirect_uris: new.post_logout_redirect_uris,
        public: new.public,
        first_party: new.first_party,
        require_pkce: true,
        grant_types,
        scopes,
        id_token_alg: new.id_token_alg,
        access_token_format: new.access_token_format,
        min_acr: new.min_acr,
        org_mode: new.org_mode,
        created_at: now,
        updated_at: now,
        description: new.description.filter(|d| !d.trim().is_empty()),
        launch_url: new.launch_url,
        require_verified: new.require_verified,
    };
    match state.stores.clients.create_client(&client).await {
        Ok(()) => {
            super::users::admin_event(
                state,
                actor,
                None,
                None,
                format!("create client {}", client.client_id),
            )
            .await;
            Ok((client, shown))
        }
        Err(StorageError::Conflict) => Err(CreateClientError::Exists),
        Err(e) => Err(CreateClientError::Storage(e)),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeleteClientError {
    #[error("no client has this id")]
    NotFound,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Deletes a client: every grant it holds is revoked first (its refresh and access tokens
/// stop at once, not when they expire), and its consents go with it, so a client made
/// again under the same id asks anew. Audited.
pub async fn delete_client(
    state: &AppState,
    client_id: &str,
    actor: &Actor,
    meta: Option<&crate::audit::RequestMeta>,
) -> Result<(), DeleteClientError> {
    if state.stores.clients.find_client(client_id).await?.is_none() {
        return Err(DeleteClientError::NotFound);
    }
    state
        .stores
        .grants
        .revoke_client_grants(None, client_id, state.now())
        .await?;
    match state.stores.clients.delete_client(client_id).await {
        Err(StorageError::NotFound) => return Err(DeleteClientError::NotFound),
        other => other?,
    }
    crate::audit::record(
        state,
        crate::audit::Entry {
            kind: crate::audit::ADMIN,
            outcome: crate::audit::Outcome::Success,
            client_id: Some(client_id),
            meta,
            detail: Some("delete client".into()),
            actor: Some(actor),
            ..Default::default()
        },
    )
    .await;
    Ok(())
}
