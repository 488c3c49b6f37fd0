//! The pages of the sign-in flow.

use super::{escape, hidden, layout};

pub struct FormCtx<'a> {
    pub csrf: &'a str,
    pub tx: &'a str,
}

pub(super) fn error_box(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default()
}

pub fn login_email(
    f: &FormCtx,
    client_name: &str,
    email: &str,
    error: Option<&str>,
    passkeys: bool,
) -> String {
    let passkey = if passkeys {
        passkey_button(f, "Sign in with a passkey", "secondary")
    } else {
        String::new()
    };
    layout(
        "Sign in",
        &format!(
            "<p class=\"muted\">to continue to {client}</p>{err}\
             <form method=\"post\" action=\"/login/identify\">{csrf}{tx}\
             <label for=\"email\">Email address</label>\
             <input id=\"email\" type=\"email\" name=\"email\" value=\"{email}\" autocomplete=\"username webauthn\" required autofocus>\
             <button type=\"submit\">Continue</button></form>{passkey}",
            client = escape(client_name),
            err = error_box(error),
            csrf = hidden("csrf", f.csrf),
            tx = hidden("tx", f.tx),
            email = escape(email),
        ),
    )
}

/// A button that runs a passkey sign-in (`/assets/webauthn.js`); without JavaScript it does
/// nothing, and the other ways to sign in remain.
pub fn passkey_button(f: &FormCtx, label: &str, class: &str) -> String {
    format!(
        "<p><button type=\"button\" class=\"{class}\" data-passkey=\"sign-in\" data-csrf=\"{csrf}\" data-tx=\"{tx}\">{label}</button></p>\
         <p id=\"passkey-status\" class=\"error-text\" role=\"status\"></p>\
         <script src=\"/assets/webauthn.js\" defer></script>",
        class = escape(class),
        csrf = escape(f.csrf),
        tx = escape(f.tx),
        label = escape(label),
    )
}

pub fn login_password(f: &FormCtx, email: &str, error: Option<&str>) -> String {
    layout(
        "Enter your password",
        &format!(
            "<p class=\"muted\">{email} · <a href=\"/login?tx={txq}\">use another address</a></p>{err}\
             <form method=\"post\" action=\"/login/password\">{csrf}{tx}\
             <input type=\"hidden\" name=\"username\" value=\"{email}\" autocomplete=\"username\">\
             <label for=\"password\">Password</label>\
             <input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"current-password\" required autofocus>\
             <button type=\"submit\">Sign in</button></form>",
            email = escape(email),
            txq = escape(&urlencode(f.tx)),
            err = error_box(error),
            csrf = hidden("csrf", f.csrf),
            tx = hidden("tx", f.tx),
        ),
    )
}

pub fn consent(f: &FormCtx, client_name: &str, scopes: &[&str]) -> String {
    let items: String = scopes
        .iter()
        .map(|s| format!("<li>{}</li>", escape(scope_label(s))))
        .collect();
    layout(
        "Allow access?",
        &format!(
            "<p><strong>{client}</strong> asks to:</p><ul>{items}</ul>\
             <form method=\"post\" action=\"/consent\">{csrf}{tx}\
             <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> \
             <button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>\
             <p class=\"muted\">You can withdraw this later from your account.</p>",
            client = escape(client_name),
            csrf = hidden("csrf", f.csrf),
            tx = hidden("tx", f.tx),
        ),
    )
}

fn scope_label(s: &str) -> &str {
    match s {
        "openid" => "know who you are",
        "profile" => "see your name and language",
        "email" => "see your email address",
        "phone" => "see your mobile number",
        "address" => "see your postal address",
        "offline_access" => "stay connected when you are not using it",
        other => other,
    }
}

pub fn error(title: &str, message: &str) -> String {
    layout(title, &format!("<p>{}</p>", escape(message)))
}

/// OAuth 2.0 Form Post Response Mode: the browser posts the response to the client.
pub fn form_post(action: &str, params: &[(String, String)], script_nonce: &str) -> String {
    let fields: String = params.iter().map(|(k, v)| hidden(k, v)).collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Continuing…</title></head>\
         <body><form method=\"post\" action=\"{}\">{fields}\
         <noscript><button type=\"submit\">Continue</button></noscript></form>\
         <script nonce=\"{}\">document.forms[0].submit();</script></body></html>\n",
        escape(action),
        escape(script_nonce),
    )
}

pub fn logout_confirm(csrf: &str, fields: &[(&str, &str)]) -> String {
    let hidden_fields: String = fields.iter().map(|(k, v)| hidden(k, v)).collect();
    layout(
        "Sign out?",
        &format!(
            "<p>Do you want to sign out of all postal services on this device?</p>\
             <form method=\"post\" action=\"/logout/confirm\">{}{hidden_fields}\
             <button type=\"submit\" name=\"decision\" value=\"logout\">Sign out</button></form>",
            hidden("csrf", csrf),
        ),
    )
}

pub fn logged_out() -> String {
    layout(
        "Signed out",
        "<p>You are signed out. You can close this window.</p>",
    )
}

pub(super) fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// The lock page. The words depend only on the lock, never on whether the account exists.
pub fn locked(until: Option<i64>) -> String {
    let message = match until {
        Some(t) => {
            let when = chrono::DateTime::from_timestamp(t, 0)
                .map(|d| d.format("%H:%M UTC").to_string())
                .unwrap_or_default();
            format!(
                "There were too many failed attempts. For your security, sign-in to this account is \
                 blocked until {when}. Please try again after that time."
            )
        }
        None => "There were too many failed attempts and sign-in to this account is blocked. \
                 If the account exists, instructions to unlock it have been sent to its email address."
            .to_owned(),
    };
    layout(
        "Account locked",
        &format!("<p role=\"alert\">{}</p>", escape(&message)),
    )
}

pub fn reset_password(csrf: &str, token: &str, error: Option<&str>) -> String {
    layout(
        "Choose a new password",
        &format!(
            "{err}<form method=\"post\" action=\"/recover/reset\">{csrf}{token}\
             <label for=\"password\">New password</label>\
             <input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"8\" required autofocus>\
             <label for=\"password2\">New password again</label>\
             <input id=\"password2\" type=\"password\" name=\"password2\" autocomplete=\"new-password\" minlength=\"8\" required>\
             <button type=\"submit\">Save the password</button></form>",
            err = error_box(error),
            csrf = hidden("csrf", csrf),
            token = hidden("token", token),
        ),
    )
}

pub fn password_reset_done() -> String {
    layout(
        "Password saved",
        "<p>Your new password is saved and the account is unlocked. Go back to the service to sign in.</p>",
    )
}
