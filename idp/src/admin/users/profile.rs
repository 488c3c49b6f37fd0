//! An administrator changes an account's profile: the console's rules
//! (`accounts::profile`), so a value the owner could not save cannot be saved for them either.

use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

use super::{AccountError, user_event, write};
use crate::{
    accounts::{is_e164, profile},
    audit::{self, Actor, RequestMeta},
    notices::{self, What},
    state::AppState,
    storage::User,
    web::i18n::Lang,
};

/// The fields to change: an absent field is kept, `null` clears it (so does an empty text
/// field, as on the console's form; not an empty phone number, which is not E.164).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub family_name: Option<Option<String>>,
    /// E.164 (`+41791234567`); entered by an administrator, it counts as verified.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = r"^\+[0-9]{8,15}$")]
    pub phone: Option<Option<String>>,
    /// A language of the console (`en`, `de`, `fr`, `it`, …).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Option<String>>,
    /// `YYYY-MM-DD`, not in the future; empty, like `null`, clears it (the console's rule).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub birthdate: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub street_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub postal_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub locality: Option<Option<String>>,
    /// ISO 3166-1 alpha-2.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub country: Option<Option<String>>,
}

/// A field that is present: `Some(None)` for `null`, `Some(Some(v))` for a value.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl ProfilePatch {
    /// The console's form fields this patch sets.
    fn form_fields(&self) -> [(&'static str, &Option<Option<String>>); 8] {
        [
            ("given_name", &self.given_name),
            ("family_name", &self.family_name),
            ("birthdate", &self.birthdate),
            ("street_address", &self.street_address),
            ("postal_code", &self.postal_code),
            ("locality", &self.locality),
            ("country", &self.country),
            ("locale", &self.locale),
        ]
    }
}

/// Applies `patch` to the account as read (`read`) and writes it if nobody wrote in between
/// (`Stale` otherwise). Every value is checked first, then `current` (the caller's
/// precondition, `If-Match`) is asked whether the caller's copy is `read`'s revision, so a bad
/// value is reported as such whatever the caller's copy. A new mobile number is announced to
/// the owner, like every change of a contact.
pub async fn update_profile(
    state: &AppState,
    read: User,
    patch: ProfilePatch,
    current: impl FnOnce(i64) -> bool,
    actor: &Actor,
    meta: Option<&RequestMeta>,
) -> Result<User, AccountError> {
    let mut values = profile::values_of(&read);
    for (field, value) in patch.form_fields() {
        if let Some(v) = value {
            values.insert(field, v.clone().unwrap_or_default());
        }
    }
    let mut user = read.clone();
    let now = state.now();
    if let Err(errors) = profile::apply(&mut user, &values, now) {
        let (field, key) = errors.into_iter().next().expect("an error");
        return Err(AccountError::Invalid {
            field,
            detail: state.web.t(Lang::En, key, &[]),
        });
    }
    if let Some(phone) = patch.phone {
        if let Some(p) = &phone
            && !is_e164(p)
        {
            return Err(AccountError::Invalid {
                field: "phone",
                detail: format!("{p:?} is not a phone number in E.164 form (+41791234567)"),
            });
        }
        if phone != read.phone {
            user.phone_verified = phone.is_some();
            user.phone = phone;
        }
    }
    if !current(read.revision) {
        return Err(AccountError::Stale);
    }
    user.updated_at = read.updated_at;
    if user == read {
        return Ok(read);
    }
    user.updated_at = now;
    let mut user = write(state, user, read.revision).await?;
    user_event(state, actor, meta, &user, audit::ADMIN, "update profile").await;
    profile::settle_identity_check(state, &read, &mut user, meta).await?;
    if user.phone != read.phone {
        // To the number's owner by email: the account's address is the channel they control.
        notices::security_notice(state, &read, What::PhoneChanged).await;
    }
    Ok(user)
}
