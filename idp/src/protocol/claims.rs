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
    if let Some(b) = &user.birthdate {
        out.push(("profile", "birthdate", json!(b)));
    }
    out.push(("profile", "updated_at", json!(user.updated_at)));
    out.push(("email", "email", json!(user.email)));
    out.push(("email", "email_verified", json!(user.email_verified)));
    if let Some(p) = &user.phone {
        out.push(("phone", "phone_number", json!(p)));
        out.push(("phone", "phone_number_verified", json!(user.phone_verified)));
    }
    if let Some(a) = address(user) {
        out.push(("address", "address", a));
    }
    out
}

/// The address claim (OIDC Core §5.1.1), when any part of the postal address is known.
fn address(user: &User) -> Option<Value> {
    let parts = [
        ("street_address", &user.street_address),
        ("postal_code", &user.postal_code),
        ("locality", &user.locality),
        ("country", &user.country),
    ];
    let mut a = Map::new();
    for (k, v) in parts {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            a.insert(k.into(), json!(v));
        }
    }
    if a.is_empty() {
        return None;
    }
    // "Rue du Marché 3\n1204 Genève\nCH", as on an envelope.
    let town = [user.postal_code.as_deref(), user.locality.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let formatted = [
        user.street_address.clone().unwrap_or_default(),
        town,
        user.country.clone().unwrap_or_default(),
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    a.insert("formatted".into(), json!(formatted));
    Some(Value::Object(a))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdate_under_profile_and_address_under_address() {
        let user = User {
            birthdate: Some("1990-04-01".into()),
            street_address: Some("Rue du Marché 3".into()),
            postal_code: Some("1204".into()),
            locality: Some("Genève".into()),
            country: Some("CH".into()),
            ..User::default()
        };
        let profile = user_claims(&user, &Scope::from_iter(["openid", "profile"]), None);
        assert_eq!(profile["birthdate"], "1990-04-01");
        assert!(!profile.contains_key("address"));
        let addr = user_claims(&user, &Scope::from_iter(["openid", "address"]), None);
        assert_eq!(
            addr["address"]["formatted"],
            "Rue du Marché 3\n1204 Genève\nCH"
        );
        assert_eq!(addr["address"]["country"], "CH");
        assert!(!addr.contains_key("birthdate"));
        let none = user_claims(&User::default(), &Scope::from_iter(["address"]), None);
        assert!(!none.contains_key("address"));
    }
}
