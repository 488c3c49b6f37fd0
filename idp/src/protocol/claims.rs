//! User claims by scope (OIDC Core §5.4) and by the `claims` request parameter (§5.5).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::types::Scope;
use crate::{
    state::AppState,
    storage::{StorageResult, User},
};

/// The scope that releases each user claim Postern knows (OIDC Core §5.4).
/// `assurance` is Postern's own: how sure it is of the person's identity
/// (`model::Assurance`), with how and when it was checked.
const CLAIM_SCOPES: [(&str, &str); 14] = [
    ("name", "profile"),
    ("given_name", "profile"),
    ("family_name", "profile"),
    ("locale", "profile"),
    ("birthdate", "profile"),
    ("updated_at", "profile"),
    ("email", "email"),
    ("email_verified", "email"),
    ("phone_number", "phone"),
    ("phone_number_verified", "phone"),
    ("address", "address"),
    ("assurance_level", "assurance"),
    ("assurance_method", "assurance"),
    ("assurance_time", "assurance"),
];

/// The scope that releases `claim`; `None` for what is not personal data of ours (`acr`,
/// `sub`, claims we do not know).
pub fn scope_of(claim: &str) -> Option<&'static str> {
    CLAIM_SCOPES
        .iter()
        .find(|(c, _)| *c == claim)
        .map(|(_, s)| *s)
}

/// Every claim Postern can release for `user`.
fn available(user: &User) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    let name = match (&user.given_name, &user.family_name) {
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        (Some(g), None) => Some(g.clone()),
        (None, Some(f)) => Some(f.clone()),
        (None, None) => None,
    };
    if let Some(n) = name {
        out.push(("name", json!(n)));
    }
    if let Some(g) = &user.given_name {
        out.push(("given_name", json!(g)));
    }
    if let Some(f) = &user.family_name {
        out.push(("family_name", json!(f)));
    }
    if let Some(l) = &user.locale {
        out.push(("locale", json!(l)));
    }
    if let Some(b) = &user.birthdate {
        out.push(("birthdate", json!(b)));
    }
    out.push(("updated_at", json!(user.updated_at)));
    out.push(("email", json!(user.email)));
    out.push(("email_verified", json!(user.email_verified)));
    if let Some(p) = &user.phone {
        out.push(("phone_number", json!(p)));
        out.push(("phone_number_verified", json!(user.phone_verified)));
    }
    if let Some(a) = address(user) {
        out.push(("address", a));
    }
    out.push(("assurance_level", json!(user.assurance().as_str())));
    if let Some(check) = &user.identity_check {
        out.push(("assurance_method", json!(check.method.as_str())));
        out.push(("assurance_time", json!(check.at)));
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
/// `id_token` member of the claims parameter). `requested` has passed [`restrict`] and the
/// consent check of the authorization request, so naming a claim here is permission to
/// release it.
pub fn user_claims(user: &User, scope: &Scope, requested: Option<&Value>) -> Map<String, Value> {
    let requested = requested.and_then(Value::as_object);
    let mut out = Map::new();
    for (name, value) in available(user) {
        let by_scope = scope_of(name).is_some_and(|s| scope.contains(s));
        if by_scope || requested.is_some_and(|r| r.contains_key(name)) {
            out.insert(name.to_owned(), value);
        }
    }
    out
}

/// The usernames the person had in the old service that the client is (`migration.services`),
/// so that service can move its records to `sub` (issue 17). Only that client gets them: the
/// usernames of one service are nothing another should learn, so neither a scope nor the
/// claims parameter releases them (the claim is not in [`CLAIM_SCOPES`], and
/// [`user_claims`] never yields it).
pub const LEGACY_ACCOUNTS: &str = "legacy_accounts";

/// Adds [`LEGACY_ACCOUNTS`] to the claims (of an ID token or userinfo) `client_id` receives
/// for `user_id`, when the client is an old service, `openid` is granted and the person had
/// accounts there. The one decision for both, so the ID token and userinfo cannot differ.
pub async fn add_legacy_accounts(
    state: &AppState,
    out: &mut Map<String, Value>,
    client_id: &str,
    user_id: &str,
    scope: &Scope,
) -> StorageResult<()> {
    // No client id is empty, but a service configured without a client has an empty one.
    let service = (!client_id.is_empty())
        .then(|| state.config.migration.service_of_client(client_id))
        .flatten();
    let Some(service) = service.filter(|_| scope.contains("openid")) else {
        return Ok(());
    };
    let usernames = crate::legacy::lookup::usernames_in(state, service, user_id).await?;
    if !usernames.is_empty() {
        out.insert(LEGACY_ACCOUNTS.into(), json!(usernames));
    }
    Ok(())
}

/// A claims request without the user claims whose scope the client may not use: a client
/// registered without `phone` never gets the number by naming `phone_number`. Other members
/// (`acr`, unknown names) stay; they carry no personal data of ours.
pub fn restrict(mut request: Value, allowed: &Scope) -> Value {
    for member in ["userinfo", "id_token"] {
        if let Some(Value::Object(m)) = request.get_mut(member) {
            m.retain(|name, _| scope_of(name).is_none_or(|s| allowed.contains(s)));
        }
    }
    request
}

/// The user claims a claims request names (in either member) that `scope` does not already
/// release: what the user must agree to item by item.
pub fn named_beyond(request: Option<&Value>, scope: &Scope) -> BTreeSet<String> {
    ["userinfo", "id_token"]
        .into_iter()
        .filter_map(|member| requested(request, member)?.as_object())
        .flat_map(|m| m.keys())
        .filter(|name| scope_of(name).is_some_and(|s| !scope.contains(s)))
        .cloned()
        .collect()
}

/// Whether what a user agreed to (`scope` and single `claims`) covers a request.
pub fn covers(
    granted_scope: &Scope,
    granted_claims: &BTreeSet<String>,
    scope: &Scope,
    named: &BTreeSet<String>,
) -> bool {
    scope.is_subset(granted_scope)
        && named.iter().all(|c| {
            granted_claims.contains(c) || scope_of(c).is_some_and(|s| granted_scope.contains(s))
        })
}

/// One kind of personal data, as a consent page or the console names it to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataItem {
    Identity,
    Name,
    BirthDate,
    Email,
    Phone,
    Address,
    Organisation,
    /// `org_admin`: the management API acting for the user in the organisations they
    /// administer.
    OrgAdmin,
    OfflineAccess,
    /// Whether (and how, and when) the person's identity was verified.
    Assurance,
}

impl DataItem {
    fn of_scope(scope: &str) -> &'static [DataItem] {
        match scope {
            "openid" => &[DataItem::Identity],
            "profile" => &[DataItem::Name, DataItem::BirthDate],
            "email" => &[DataItem::Email],
            "phone" => &[DataItem::Phone],
            "address" => &[DataItem::Address],
            "org" => &[DataItem::Organisation],
            "org_admin" => &[DataItem::OrgAdmin],
            "offline_access" => &[DataItem::OfflineAccess],
            "assurance" => &[DataItem::Assurance],
            _ => &[],
        }
    }

    fn of_claim(claim: &str) -> Option<DataItem> {
        Some(match claim {
            "birthdate" => DataItem::BirthDate,
            "address" => DataItem::Address,
            _ => match scope_of(claim)? {
                "profile" => DataItem::Name,
                "email" => DataItem::Email,
                "phone" => DataItem::Phone,
                "assurance" => DataItem::Assurance,
                _ => return None,
            },
        })
    }

    /// The message that names it ("see your date of birth").
    pub fn message_key(self) -> &'static str {
        match self {
            DataItem::Identity => "data-identity",
            DataItem::Name => "data-name",
            DataItem::BirthDate => "data-birthdate",
            DataItem::Email => "data-email",
            DataItem::Phone => "data-phone",
            DataItem::Address => "data-address",
            DataItem::Organisation => "data-org",
            DataItem::OrgAdmin => "data-org-admin",
            DataItem::OfflineAccess => "data-offline",
            DataItem::Assurance => "data-assurance",
        }
    }
}

/// What a consent shares, in words: the items of its scopes and single claims, and the
/// client's own scopes (`parcels:read`), which only the client can name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Shared {
    pub items: Vec<DataItem>,
    pub other_scopes: Vec<String>,
}

pub fn shared(scope: &Scope, claims: &BTreeSet<String>) -> Shared {
    let mut items = BTreeSet::new();
    let mut other_scopes = Vec::new();
    for s in scope.iter() {
        match DataItem::of_scope(s) {
            [] => other_scopes.push(s.to_owned()),
            known => items.extend(known),
        }
    }
    items.extend(claims.iter().filter_map(|c| DataItem::of_claim(c)));
    Shared {
        items: items.into_iter().collect(),
        other_scopes,
    }
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

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_claims_request_is_cut_to_the_clients_scopes_and_named_item_by_item() {
        let request = json!({
            "userinfo": {"email": null, "phone_number": {"essential": true}, "acr": null},
            "id_token": {"birthdate": null, "given_name": null, "x-unknown": null}
        });
        let allowed = Scope::from_iter(["openid", "profile", "email"]);
        let cut = restrict(request, &allowed);
        assert!(cut["userinfo"].get("phone_number").is_none(), "{cut}");
        assert!(
            cut["userinfo"].get("acr").is_some(),
            "not personal data: {cut}"
        );
        assert!(cut["id_token"].get("x-unknown").is_some());
        let scope = Scope::from_iter(["openid", "email"]);
        let named = named_beyond(Some(&cut), &scope);
        assert_eq!(
            named,
            names(&["birthdate", "given_name"]),
            "email is in scope"
        );
    }

    #[test]
    fn a_consent_covers_what_it_names_and_nothing_more() {
        let granted = Scope::from_iter(["openid", "email"]);
        let claims = names(&["birthdate"]);
        let openid = Scope::from_iter(["openid"]);
        assert!(covers(
            &granted,
            &claims,
            &openid,
            &names(&["birthdate", "email"])
        ));
        assert!(!covers(&granted, &claims, &openid, &names(&["given_name"])));
        assert!(!covers(
            &granted,
            &claims,
            &Scope::from_iter(["phone"]),
            &names(&[])
        ));
    }

    #[test]
    fn a_named_claim_releases_that_claim_only() {
        let user = User {
            email: "anna@post.test".into(),
            given_name: Some("Anna".into()),
            family_name: Some("Muster".into()),
            ..User::default()
        };
        let request = json!({"family_name": null});
        let out = user_claims(&user, &Scope::from_iter(["openid"]), Some(&request));
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out["family_name"], "Muster");
    }

    #[test]
    fn items_name_scopes_and_single_claims_once_in_a_stable_order() {
        let scope = Scope::from_iter([
            "parcels:read",
            "offline_access",
            "email",
            "openid",
            "org_admin",
        ]);
        let got = shared(
            &scope,
            &names(&["family_name", "given_name", "email_verified"]),
        );
        assert_eq!(
            got.items,
            [
                DataItem::Identity,
                DataItem::Name,
                DataItem::Email,
                DataItem::OrgAdmin,
                DataItem::OfflineAccess
            ]
        );
        assert_eq!(got.other_scopes, ["parcels:read"]);
    }
}
