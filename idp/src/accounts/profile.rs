//! The profile a person edits in the account console: names, birth date, postal address and
//! language, each checked before anything is saved.

use std::collections::BTreeMap;

use crate::{
    audit::{self, RequestMeta},
    state::AppState,
    storage::{StorageError, User},
    web::i18n::Lang,
};

/// ISO 3166-1 alpha-2, the officially assigned codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ \
GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT \
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF \
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The longest name or address line kept.
const MAX_TEXT: usize = 100;

/// What the form sent, as typed (shown again when something is wrong).
pub type Values = BTreeMap<&'static str, String>;
/// Field name to message key.
pub type Errors = BTreeMap<&'static str, &'static str>;

pub const FIELDS: [&str; 8] = [
    "given_name",
    "family_name",
    "birthdate",
    "street_address",
    "postal_code",
    "locality",
    "country",
    "locale",
];

/// The form's values of `user`, to fill the form.
pub fn values_of(user: &User) -> Values {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    Values::from([
        ("given_name", v(&user.given_name)),
        ("family_name", v(&user.family_name)),
        ("birthdate", v(&user.birthdate)),
        ("street_address", v(&user.street_address)),
        ("postal_code", v(&user.postal_code)),
        ("locality", v(&user.locality)),
        ("country", v(&user.country)),
        ("locale", v(&user.locale)),
    ])
}

fn text(v: &str) -> Result<Option<String>, &'static str> {
    let v = v.trim();
    if v.chars().count() > MAX_TEXT || v.chars().any(char::is_control) {
        return Err("profile-text-invalid");
    }
    Ok((!v.is_empty()).then(|| v.to_owned()))
}

/// `YYYY-MM-DD` (see [`super::parse_birthdate`]); empty is no birth date.
pub fn check_birthdate(v: &str, today: chrono::NaiveDate) -> Result<Option<String>, &'static str> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    super::parse_birthdate(v, today)
        .map(Some)
        .ok_or("profile-birthdate-invalid")
}

pub fn check_country(v: &str) -> Result<Option<String>, &'static str> {
    let v = v.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() == 2 && COUNTRIES.split(' ').any(|c| c == v) {
        Ok(Some(v))
    } else {
        Err("profile-country-invalid")
    }
}

fn check_postal_code(v: &str) -> Result<Option<String>, &'static str> {
    let v = v.trim();
    let ok = v.len() <= 16
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if ok {
        Ok((!v.is_empty()).then(|| v.to_owned()))
    } else {
        Err("profile-postal-code-invalid")
    }
}

/// Applies the form to `user`; on any error nothing is applied and every error is returned.
pub fn apply(user: &mut User, values: &Values, now: i64) -> Result<(), Errors> {
    let get = |k: &str| values.get(k).map(String::as_str).unwrap_or_default();
    let today = chrono::DateTime::from_timestamp(now, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default();
    let mut errors = Errors::new();
    let mut take = |field: &'static str, r: Result<Option<String>, &'static str>| {
        r.map_err(|e| {
            errors.insert(field, e);
        })
        .ok()
        .flatten()
    };
    let given_name = take("given_name", text(get("given_name")));
    let family_name = take("family_name", text(get("family_name")));
    let birthdate = take("birthdate", check_birthdate(get("birthdate"), today));
    let street_address = take("street_address", text(get("street_address")));
    let postal_code = take("postal_code", check_postal_code(get("postal_code")));
    let locality = take("locality", text(get("locality")));
    let country = take("country", check_country(get("country")));
    let locale = match get("locale") {
        "" => None,
        l => match Lang::parse(l).filter(|p| p.code() == l) {
            Some(p) => Some(p.code().to_owned()),
            None => {
                errors.insert("locale", "profile-locale-invalid");
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    user.given_name = given_name;
    user.family_name = family_name;
    user.birthdate = birthdate;
    user.street_address = street_address;
    user.postal_code = postal_code;
    user.locality = locality;
    user.country = country;
    user.locale = locale;
    user.updated_at = now;
    Ok(())
}

/// After a saved profile change from `before` to `after`: an identity check vouches for the
/// name and birth date it saw, so when the account's holder (or an administrator) changes
/// them, the check is withdrawn and the account is no longer `verified` until checked again.
/// Every profile write calls this, the console's and the management API's alike; `after`
/// is updated to match what is stored.
pub async fn settle_identity_check(
    state: &AppState,
    before: &User,
    after: &mut User,
    meta: Option<&RequestMeta>,
) -> Result<(), StorageError> {
    let checked = |u: &User| {
        (
            u.given_name.clone(),
            u.family_name.clone(),
            u.birthdate.clone(),
        )
    };
    if before.identity_check.is_none() || checked(before) == checked(after) {
        return Ok(());
    }
    state
        .stores
        .users
        .set_identity_check(&after.id, None, state.now())
        .await?;
    after.identity_check = None;
    after.revision += 1;
    audit::record(
        state,
        audit::Entry {
            kind: audit::PROFILE_CHANGED,
            outcome: audit::Outcome::Success,
            user_id: Some(&after.id),
            email: Some(&after.email),
            meta,
            detail: Some("identity check withdrawn: the checked name or birth date changed".into()),
            ..Default::default()
        },
    )
    .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdates_and_countries_are_checked() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            check_birthdate("1990-04-01", today),
            Ok(Some("1990-04-01".into()))
        );
        assert_eq!(check_birthdate("", today), Ok(None));
        for bad in ["1990-02-30", "01.04.1990", "2030-01-01", "1850-01-01"] {
            assert_eq!(
                check_birthdate(bad, today),
                Err("profile-birthdate-invalid"),
                "{bad}"
            );
        }
        assert_eq!(check_country(" ch "), Ok(Some("CH".into())));
        assert_eq!(check_country("XX"), Err("profile-country-invalid"));
        assert_eq!(check_country("CHE"), Err("profile-country-invalid"));
    }

    #[test]
    fn nothing_is_applied_when_something_is_wrong() {
        let mut user = User {
            given_name: Some("Anna".into()),
            ..User::default()
        };
        let mut values = values_of(&user);
        values.insert("given_name", "Eva".into());
        values.insert("country", "ZZ".into());
        values.insert("locale", "xx".into());
        let errors = apply(&mut user, &values, 1_790_000_000).unwrap_err();
        assert_eq!(errors["country"], "profile-country-invalid");
        assert_eq!(errors["locale"], "profile-locale-invalid");
        assert_eq!(user.given_name.as_deref(), Some("Anna"));
        values.insert("country", "fi".into());
        values.insert("locale", "fi".into());
        apply(&mut user, &values, 1_790_000_000).unwrap();
        assert_eq!(
            (user.given_name.as_deref(), user.country.as_deref()),
            (Some("Eva"), Some("FI"))
        );
    }
}
