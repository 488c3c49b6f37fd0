//! Small pieces of HTML outside the templates.

use super::{escape, hidden};

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
