//! The pages of the sign-in flow.

use super::{escape, hidden};

pub struct FormCtx<'a> {
    pub csrf: &'a str,
    pub tx: &'a str,
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

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// OAuth 2.0 Form Post Response Mode: the browser posts the response to the client. No
/// words but the fallback button, which is the same in every language.
pub fn form_post(action: &str, params: &[(String, String)]) -> String {
    let fields: String = params.iter().map(|(k, v)| hidden(k, v)).collect();
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>…</title>\
         <script src=\"/assets/autosubmit.js\" defer></script></head>\
         <body><form id=\"form-post\" method=\"post\" action=\"{}\">{fields}\
         <noscript><button type=\"submit\">→</button></noscript></form></body></html>\n",
        escape(action),
    )
}
