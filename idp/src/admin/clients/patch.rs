//! Changing a registered client: the fields a patch names, held to the rules of a new
//! client, and its logos fetched before anything is written.

use super::{
    ClientError, ClientPatch, face, get_client, modify_with, record, rules, scopes_with,
    with_profile_defaults,
};
use crate::{
    audit::{Actor, RequestMeta},
    state::AppState,
    storage::{BackchannelLogout, Client},
};

/// Changes the fields `patch` names; the result must pass the same rules as a new client.
pub async fn update_client(
    state: &AppState,
    client_id: &str,
    patch: ClientPatch,
    applies_to: &(dyn Fn(i64) -> bool + Sync),
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<Client, ClientError> {
    let scopes = patch.extra_scopes.as_deref().map(scopes_with).transpose()?;
    // Logos are fetched only for a client that exists and that the caller may change, and
    // before the write: a logo that cannot be had leaves the client as it was.
    rules::may_administer(actor, &get_client(state, client_id).await?)?;
    let logos = face::Fetched::from(state, &patch.logo_uris).await?;
    let updated = modify_with(state, client_id, actor, applies_to, Some(&logos), |c| {
        let p = &patch;
        face::change_names(&mut c.face, &p.names)?;
        logos.apply(&mut c.face);
        if let Some(v) = &p.redirect_uris {
            c.redirect_uris.clone_from(v);
        }
        if let Some(v) = &p.post_logout_redirect_uris {
            c.post_logout_redirect_uris.clone_from(v);
        }
        if let Some(v) = &p.grant_types {
            c.grant_types.clone_from(v);
        }
        if let Some(v) = &scopes {
            c.scopes = v.clone();
        }
        if let Some(v) = p.first_party {
            c.first_party = v;
        }
        if let Some(v) = &p.min_acr {
            c.min_acr.clone_from(v);
        }
        if let Some(v) = p.org_mode {
            c.org_mode = v;
        }
        if let Some(v) = p.access_token_format {
            c.access_token_format = v;
        }
        if let Some(v) = p.id_token_alg {
            c.id_token_alg = v;
        }
        if let Some(v) = &p.description {
            c.description = v.clone().filter(|d| !d.trim().is_empty());
        }
        if let Some(v) = &p.launch_url {
            c.launch_url.clone_from(v);
        }
        if let Some(v) = p.require_verified {
            c.require_verified = v;
        }
        // Before the fields it turns on, so an explicit `false` beside it is refused by the
        // rules rather than silently overridden.
        if let Some(v) = p.profile
            && v != c.profile
        {
            c.profile = v;
            *c = with_profile_defaults(c.clone());
        }
        if let Some(v) = p.require_par {
            c.require_par = v;
        }
        if let Some(v) = &p.request_object_alg {
            c.request_object_alg.clone_from(v);
        }
        if let Some(v) = p.dpop_bound {
            c.dpop_bound = v;
        }
        if let Some(keys) = &p.keys {
            if c.keys.is_none() {
                return Err(ClientError::Invalid {
                    field: "jwks".into(),
                    detail: "only a private_key_jwt client has keys; the authentication \
                             method is chosen at registration"
                        .into(),
                });
            }
            c.keys = Some(keys.clone());
        }
        match (&p.backchannel_logout_uri, &mut c.backchannel_logout) {
            (Some(None), b) => *b = None,
            (Some(Some(uri)), Some(b)) => b.uri.clone_from(uri),
            (Some(Some(uri)), b @ None) => {
                *b = Some(BackchannelLogout {
                    uri: uri.clone(),
                    session_required: false,
                })
            }
            (None, _) => {}
        }
        if let Some(required) = p.backchannel_logout_session_required {
            let Some(b) = &mut c.backchannel_logout else {
                return Err(ClientError::Invalid {
                    field: "backchannel_logout_session_required".into(),
                    detail: "the client has no backchannel_logout_uri".into(),
                });
            };
            b.session_required = required;
        }
        Ok(())
    })
    .await?;
    record(state, actor, meta, client_id, "update").await;
    Ok(updated)
}
