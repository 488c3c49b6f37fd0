//! A client's name and logo in the API, per language as OpenID Connect Dynamic Client
//! Registration 1.0 §2.1 spells them: `client_name` and `logo_uri` untagged (the default),
//! `client_name#fr` and `logo_uri#de` for one language. The tagged members are taken out of
//! a body before its struct reads the rest, and put into the OpenAPI document for each of
//! Postern's languages by [`TaggedMembers`], so the document lists every member the API
//! reads and writes.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use utoipa::{
    Modify,
    openapi::{ObjectBuilder, RefOr, Schema, Type, schema::SchemaType},
};

use super::Problem;
use crate::{
    admin::clients::ClientError,
    model::{
        ClientFace, ClientName, Lang, Localized,
        face::{member, split_member},
    },
};

pub const NAME: &str = "client_name";
pub const LOGO: &str = "logo_uri";
/// The longest `logo_uri` (as `admin::clients` checks it).
const MAX_URI: usize = 2048;

/// The language-tagged members of a body: a string sets, `null` clears (in a change).
#[derive(Default)]
pub struct Tagged {
    pub names: Localized<Option<String>>,
    pub logo_uris: Localized<Option<String>>,
}

/// Splits a JSON object into its language-tagged `client_name#…` and `logo_uri#…` members
/// and the rest, which the body's own struct reads. Another member with a `#` stays in the
/// rest, where it is refused as unknown.
pub fn split(body: Map<String, Value>) -> Result<(Value, Tagged), Problem> {
    let mut rest = Map::new();
    let mut tagged = Tagged::default();
    for (key, value) in body {
        let field = key.split_once('#').map(|(f, _)| f);
        if !matches!(field, Some(NAME | LOGO)) {
            rest.insert(key, value);
            continue;
        }
        let (field, tag) = split_member(&key).map_err(|detail| {
            Problem::from(ClientError::Invalid {
                field: key.clone().into(),
                detail,
            })
        })?;
        let value = match value {
            Value::String(s) => Some(s),
            Value::Null => None,
            _ => {
                return Err(Problem::bad_request(format!(
                    "invalid JSON body: {key}: expected a string or null"
                )));
            }
        };
        match field {
            NAME => tagged.names.set(tag, Some(value)),
            _ => tagged.logo_uris.set(tag, Some(value)),
        }
    }
    Ok((Value::Object(rest), tagged))
}

/// Adds the untagged values to the tagged ones (an untagged member is a field of the
/// body's struct).
pub fn with_untagged(
    mut tagged: Localized<Option<String>>,
    untagged: Option<Option<String>>,
) -> Localized<Option<String>> {
    if let Some(v) = untagged {
        tagged.set(None, Some(v));
    }
    tagged
}

/// For a registration, where `null` is the same as leaving a member out.
pub fn given(change: &Localized<Option<String>>) -> Localized<String> {
    change
        .iter()
        .filter_map(|(tag, v)| v.clone().map(|v| (tag, v)))
        .collect()
}

/// The tagged members of a client's view (`client_name#fr`, `logo_uri#de`); the untagged
/// ones are fields of the view.
pub fn view(face: &ClientFace) -> BTreeMap<String, String> {
    let names = face
        .names
        .iter()
        .filter(|(tag, _)| tag.is_some())
        .map(|(tag, n)| (member(NAME, tag), ClientName::as_str(n).to_owned()));
    let logos = face
        .logos
        .iter()
        .filter(|(tag, _)| tag.is_some())
        .map(|(tag, l)| (member(LOGO, tag), l.uri.clone()));
    names.chain(logos).collect()
}

/// Lists `client_name#xx` and `logo_uri#xx` for each of Postern's languages in the schemas
/// of the create and change bodies and of the view.
pub struct TaggedMembers;

impl Modify for TaggedMembers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let Some(components) = doc.components.as_mut() else {
            return;
        };
        for (schema, nullable) in [
            ("NewClientBody", false),
            ("ClientPatchBody", true),
            ("ClientView", false),
        ] {
            let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
                continue;
            };
            for lang in Lang::ALL {
                let tag = Some(lang);
                let language = lang.native_name();
                object.properties.insert(
                    member(NAME, tag),
                    string(
                        nullable,
                        ClientName::MAX,
                        format!("`{NAME}` for pages in {language}; `null` removes it"),
                    ),
                );
                object.properties.insert(
                    member(LOGO, tag),
                    string(
                        nullable,
                        MAX_URI,
                        format!("`{LOGO}` for pages in {language}; `null` removes it"),
                    ),
                );
            }
        }
    }
}

fn string(nullable: bool, max: usize, description: String) -> RefOr<Schema> {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .max_length(Some(max))
        .description(Some(description))
        .into()
}
