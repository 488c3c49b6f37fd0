//! Security notices: an email to the address on file whenever the email address, the mobile
//! number, the password or a factor changes, or the account's deletion is asked for, in the
//! owner's language. If it was not the owner, they learn of it at once.

use crate::{state::AppState, storage::User, web::i18n::Lang};

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    EmailChanged,
    PhoneChanged,
    PasswordChanged,
    FactorAdded,
    FactorRemoved,
    RecoveryCodes,
    DeletionRequested,
}

impl What {
    fn key(self) -> &'static str {
        match self {
            What::EmailChanged => "secnotice-email-changed",
            What::PhoneChanged => "secnotice-phone-changed",
            What::PasswordChanged => "secnotice-password-changed",
            What::FactorAdded => "secnotice-factor-added",
            What::FactorRemoved => "secnotice-factor-removed",
            What::RecoveryCodes => "secnotice-recovery-codes",
            What::DeletionRequested => "secnotice-deletion-requested",
        }
    }
}

/// The language of `user`'s emails: their saved choice, else English.
pub fn lang_of(user: &User) -> Lang {
    user.locale
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::En)
}

/// Sends an email of the catalogue (`{key}.subject` and `{key}` itself as the body) to `to`
/// in `lang`. A failure is logged by the notifier and never fails the change that caused it.
pub async fn send(state: &AppState, to: &str, lang: Lang, key: &str, args: &[(&str, String)]) {
    let (subject, body) = {
        let args: Vec<_> = args.iter().map(|(k, v)| (*k, v.as_str().into())).collect();
        (
            state.web.t(lang, &format!("{key}.subject"), &args),
            state.web.t(lang, key, &args),
        )
    };
    let _ = state.notifier.email(to, &subject, &body).await;
}

/// Tells the owner of `user` (at the address in `user`, which for an email change is the old
/// one) that `what` happened.
pub async fn security_notice(state: &AppState, user: &User, what: What) {
    let lang = lang_of(user);
    let days = (state.config.accounts.deletion_grace.as_secs() / 86_400) as i64;
    let intro = state.web.t(lang, what.key(), &[("days", days.into())]);
    let args = [("what", intro), ("url", state.url("/account/security"))];
    send(state, &user.email, lang, "secnotice-security", &args).await;
}
