//! User claims by scope (OIDC Core §5.4) and by the `claims` request parameter (§5.5).

use serde_json::{Map, Value, json};

use super::types::Scope;
use crate::storage::User;

/// Every claim Postern can release for `user`, with the scope that releases it.
fn available(user: &User) -> Vec<(&'static str, &'static str, Value)> {
    let mut out = Vec::new();
    let name = match (&user.given_name, &user.family_name) {
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        (Some(g), None) => Some(g.clone()),
        (None, Some(f)) => Some(f.clone()),
        (None, None) => None,
    };
    if let Some(n) = name {
        out.push(("profile", "name", json!(n)));
    }
    if let Some(g) = &user.given_name {
        out.push(("profile", "given_name", json!(g)));
    }
    if let Some(f) = &user.family_name {
        out.push(("profile", "family_name", json!(f)));
    }
    if let Some(l) = &user.locale {
        out.push(("profile", "locale", json!(l)));
    }
    out.push(("profile", "updated_at", json!(user.updated_at)));
    out.push(("email", "email", json!(user.email)));
    out.push(("email", "email_verified", json!(user.email_verified)));
    if let Some(p) = &user.phone {
        out.push(("phone", "phone_number", json!(p)));
        out.push(("phone", "phone_number_verified", json!(user.phone_verified)));
    }
    out
}

/// The claims released for `scope`, plus those named in `requested` (the `userinfo` or
/// `id_token` member of the claims parameter).
pub fn user_claims(user: &User, scope: &Scope, requested: Option<&Value>) -> Map<String, Value> {
    let requested = requested.and_then(Value::as_object);
    let mut out = Map::new();
    for (s, name, value) in available(user) {
        if scope.contains(s) || requested.is_some_and(|r| r.contains_key(name)) {
            out.insert(name.to_owned(), value);
        }
    }
    out
}

/// The member (`userinfo` or `id_token`) of a claims request.
pub fn requested<'a>(claims: Option<&'a Value>, member: &str) -> Option<&'a Value> {
    claims.and_then(|c| c.get(member))
}
