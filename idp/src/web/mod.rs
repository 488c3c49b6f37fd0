//! Pages for people: templates (`render`) and the message catalogue (`i18n`). Every value is
//! HTML-escaped; every form carries the CSRF token. Plain server-rendered HTML: it works
//! without JavaScript, except passkeys, and the form_post auto-submit has a button.

pub mod i18n;
mod overrides;
pub mod pages;
pub mod render;
pub mod theme;

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

#[cfg(test)]
mod theme_tests;
