//! New-password links: emailed, single use, kept hashed in the ephemeral store. A
//! permanent lock sends one to the owner (`check`), a forgotten password another
//! (`accounts::recovery`, which also redeems them).

use serde::{Deserialize, Serialize};

use crate::{
    crypto::{new_token, token_hash},
    state::AppState,
    storage::{User, ephemeral},
    web::i18n::Lang,
};

/// Where link `token` is kept (hashed).
pub(crate) fn key(token: &str) -> String {
    format!("reset:{}", token_hash(token))
}

/// What a new-password link stands for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkRecord {
    pub user_id: String,
    /// The sign-in to go back to afterwards, if the request came from one.
    #[serde(default)]
    pub tx: Option<String>,
    /// The language of the request, for an account without a saved one.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The language of messages to `user`: their saved one, else the page's.
pub fn lang_of(user: &User, page: Lang) -> Lang {
    user.locale.as_deref().and_then(Lang::parse).unwrap_or(page)
}

/// Why the link was sent: the words of the email and how long the link lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// The account was locked permanently.
    Unlock,
    /// Someone asked on the forgotten-password page.
    Forgotten,
}

pub async fn send(state: &AppState, user: &User, kind: LinkKind, lang: Lang, tx: Option<String>) {
    let token = new_token();
    let ttl = match kind {
        LinkKind::Unlock => state.config.lockout.unlock_link_ttl,
        LinkKind::Forgotten => state.config.accounts.reset_link_ttl,
    };
    let record = LinkRecord {
        user_id: user.id.clone(),
        tx,
        lang: Some(lang.code().to_owned()),
    };
    if let Err(e) = ephemeral::put_json(state.ephemeral.as_ref(), &key(&token), &record, ttl).await
    {
        tracing::error!(error = %e, "new-password link not stored");
        return;
    }
    let link = state.url(&format!("/recover/reset?token={token}"));
    let (key, args) = match kind {
        LinkKind::Unlock => (
            "unlock-email",
            [
                ("link", link.clone()),
                ("hours", (ttl.as_secs() / 3600).to_string()),
            ],
        ),
        LinkKind::Forgotten => (
            "recover-reset-email",
            [
                ("link", link.clone()),
                ("minutes", (ttl.as_secs() / 60).to_string()),
            ],
        ),
    };
    // A failure is logged by the notifier; the page says the same either way.
    crate::notices::send(state, &user.email, lang, key, &args).await;
}

/// Emails the owner of `email` (if there is one) a link that sets a new password and lifts
/// the lock. For an address without an account nothing is sent, silently: the caller's
/// answer is the same either way.
pub async fn send_unlock_link(state: &AppState, email: &str) {
    match state.stores.users.find_user_by_email(email).await {
        Ok(Some(u)) => {
            let lang = lang_of(&u, Lang::En);
            send(state, &u, LinkKind::Unlock, lang, None).await;
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "unlock link not sent"),
    }
}
