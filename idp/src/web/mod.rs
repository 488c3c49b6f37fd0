//! Pages for people. Every value is HTML-escaped on the way in; every form carries the CSRF
//! token. Plain server-rendered HTML: it works without JavaScript, with one exception (the
//! form_post auto-submit, which has a button as fallback).

pub mod i18n;
pub mod org_pages;
pub mod pages;
pub mod render;

pub const STYLESHEET: &str = include_str!("postern.css");
pub const WEBAUTHN_JS: &str = include_str!("webauthn.js");
pub const AUTOSUBMIT_JS: &str = include_str!("autosubmit.js");
pub const PASSWORD_JS: &str = include_str!("password.js");

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} · Postern</title><link rel=\"stylesheet\" href=\"/assets/postern.css\"></head>\
         <body><main><h1>{t}</h1>\n{body}\n</main></body></html>\n",
        t = escape(title)
    )
}

pub fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
        );
    }
}
