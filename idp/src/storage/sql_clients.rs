//! [`ClientStore`] on SQL. An update is one `UPDATE … WHERE client_id = ? AND revision = ?`,
//! so of two writers that read the same revision exactly one succeeds.

use async_trait::async_trait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use super::{FirstRow, SqlStore, from_json, scope_of, to_json};
use crate::{
    model::{ClientFace, ClientName, Localized, oauth::AccessTokenFormat},
    storage::{
        BackchannelLogout, Client, ClientKeys, ClientStore, OrgMode, Page, StorageError,
        StorageResult, entity,
    },
};

use entity::clients::{ActiveModel, Column, Entity, Model};

/// The untagged name lives in `name` (empty: none), the tagged ones in `name_langs`.
fn face_from(m: &Model) -> StorageResult<ClientFace> {
    let mut names: Localized<ClientName> = from_json("clients.name_langs", &m.name_langs)?;
    if names.get(None).is_some() {
        return Err(StorageError::Internal(
            "column clients.name_langs holds an untagged name".into(),
        ));
    }
    if !m.name.is_empty() {
        let name = ClientName::parse(&m.name)
            .map_err(|e| StorageError::Internal(format!("column clients.name: {e}")))?;
        names.set(None, Some(name));
    }
    Ok(ClientFace {
        names,
        logos: from_json("clients.logos", &m.logos)?,
    })
}

fn client_from(m: Model) -> StorageResult<Client> {
    Ok(Client {
        face: face_from(&m)?,
        redirect_uris: from_json("clients.redirect_uris", &m.redirect_uris)?,
        post_logout_redirect_uris: from_json(
            "clients.post_logout_redirect_uris",
            &m.post_logout_redirect_uris,
        )?,
        grant_types: from_json("clients.grant_types", &m.grant_types)?,
        scopes: scope_of(&m.scopes),
        id_token_alg: m.id_token_alg.as_deref().and_then(|a| a.parse().ok()),
        access_token_format: match m.access_token_format.as_str() {
            "opaque" => AccessTokenFormat::Opaque,
            _ => AccessTokenFormat::Jwt,
        },
        min_acr: m.min_acr,
        org_mode: OrgMode::parse(&m.org_mode).unwrap_or_default(),
        client_id: m.client_id,
        secret_hash: m.secret_hash,
        public: m.public,
        first_party: m.first_party,
        require_pkce: m.require_pkce,
        created_at: m.created_at,
        updated_at: m.updated_at,
        description: m.description,
        launch_url: m.launch_url,
        require_verified: m.require_verified,
        revision: m.revision,
        disabled: m.disabled,
        previous_secret_hash: m.previous_secret_hash,
        previous_secret_expires_at: m.previous_secret_expires_at,
        disabled_at: m.disabled_at,
        keys: match (m.jwks, m.jwks_uri) {
            (Some(set), _) => Some(ClientKeys::Jwks(set)),
            (None, Some(uri)) => Some(ClientKeys::JwksUri(uri)),
            (None, None) => None,
        },
        require_par: m.require_par,
        request_object_alg: m.request_object_alg,
        dpop_bound: m.dpop_bound,
        // An unknown profile is a fault, not the lax default: a client held to FAPI 2.0
        // must never be served as a standard one.
        profile: m
            .profile
            .parse()
            .map_err(|e| StorageError::Internal(format!("column clients.profile: {e}")))?,
        backchannel_logout: m.backchannel_logout_uri.map(|uri| BackchannelLogout {
            uri,
            session_required: m.backchannel_logout_session_required,
        }),
    })
}

/// Every column of `c` with the given revision; the id and creation time only matter to an
/// insert (an update leaves them out).
fn model_of(c: &Client, revision: i64) -> ActiveModel {
    ActiveModel {
        client_id: Set(c.client_id.clone()),
        secret_hash: Set(c.secret_hash.clone()),
        name: Set(c
            .face
            .names
            .get(None)
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default()),
        name_langs: Set(to_json(&Localized::from_iter(
            c.face
                .names
                .iter()
                .filter_map(|(tag, n)| tag.map(|_| (tag, n.clone()))),
        ))),
        logos: Set(to_json(&c.face.logos)),
        redirect_uris: Set(to_json(&c.redirect_uris)),
        post_logout_redirect_uris: Set(to_json(&c.post_logout_redirect_uris)),
        public: Set(c.public),
        first_party: Set(c.first_party),
        require_pkce: Set(c.require_pkce),
        grant_types: Set(to_json(&c.grant_types)),
        scopes: Set(c.scopes.to_string()),
        id_token_alg: Set(c.id_token_alg.map(|a| a.as_str().to_owned())),
        access_token_format: Set(match c.access_token_format {
            AccessTokenFormat::Jwt => "jwt".into(),
            AccessTokenFormat::Opaque => "opaque".into(),
        }),
        min_acr: Set(c.min_acr.clone()),
        org_mode: Set(c.org_mode.as_str().to_owned()),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
        description: Set(c.description.clone()),
        launch_url: Set(c.launch_url.clone()),
        require_verified: Set(c.require_verified),
        revision: Set(revision),
        disabled: Set(c.disabled),
        previous_secret_hash: Set(c.previous_secret_hash.clone()),
        previous_secret_expires_at: Set(c.previous_secret_expires_at),
        disabled_at: Set(c.disabled_at),
        jwks: Set(match &c.keys {
            Some(ClientKeys::Jwks(set)) => Some(set.clone()),
            _ => None,
        }),
        jwks_uri: Set(match &c.keys {
            Some(ClientKeys::JwksUri(uri)) => Some(uri.clone()),
            _ => None,
        }),
        backchannel_logout_uri: Set(c.backchannel_logout.as_ref().map(|b| b.uri.clone())),
        backchannel_logout_session_required: Set(c
            .backchannel_logout
            .as_ref()
            .is_some_and(|b| b.session_required)),
        require_par: Set(c.require_par),
        request_object_alg: Set(c.request_object_alg.clone()),
        dpop_bound: Set(c.dpop_bound),
        profile: Set(c.profile.as_str().to_owned()),
    }
}

#[async_trait]
impl ClientStore for SqlStore {
    async fn create_client(&self, c: &Client) -> StorageResult<()> {
        Entity::insert(model_of(c, c.revision))
            .exec_without_returning(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    async fn find_client(&self, client_id: &str) -> StorageResult<Option<Client>> {
        Entity::find_by_id(client_id.to_owned())
            .first(&self.db)
            .await
            .map_err(|e| self.fail(e))?
            .map(client_from)
            .transpose()
    }

    async fn list_clients(&self, offset: u64, limit: u64) -> StorageResult<Page<Client>> {
        let by_id = Entity::find().order_by_asc(Column::ClientId);
        self.page(by_id, offset, limit, client_from).await
    }

    async fn update_client(&self, c: &Client, expected_revision: i64) -> StorageResult<bool> {
        let mut model = model_of(c, expected_revision + 1);
        model.client_id = sea_orm::ActiveValue::NotSet;
        model.created_at = sea_orm::ActiveValue::NotSet;
        let res = Entity::update_many()
            .set(model)
            .filter(Column::ClientId.eq(&c.client_id))
            .filter(Column::Revision.eq(expected_revision))
            .exec(&self.writer)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(res.rows_affected == 1)
    }

    async fn delete_client(&self, client_id: &str) -> StorageResult<()> {
        // The consents given to it go too: a client made again under the same id asks anew.
        let txn = self.writer.begin().await.map_err(|e| self.fail(e))?;
        let res = Entity::delete_by_id(client_id.to_owned())
            .exec(&txn)
            .await
            .map_err(|e| self.fail(e))?;
        if res.rows_affected == 0 {
            return Err(StorageError::NotFound);
        }
        entity::consents::Entity::delete_many()
            .filter(entity::consents::Column::ClientId.eq(client_id))
            .exec(&txn)
            .await
            .map_err(|e| self.fail(e))?;
        txn.commit().await.map_err(|e| self.fail(e))?;
        Ok(())
    }
}
