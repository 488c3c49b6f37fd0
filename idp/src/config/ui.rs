//! The operator's look of the pages: product name, logo, colours and footer links, and
//! directories whose templates and message files replace the built-in ones. Everything here
//! is read at start-up; a change needs a restart, not a rebuild.

use serde::{Deserialize, Serialize};

use super::ConfigError;
use crate::model::LocalPath;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    /// The product's name in every page's header and title and in emails, in every
    /// language. Empty: the message `app-name` of each language.
    pub product_name: String,
    /// A logo file (PNG, JPEG, GIF, WebP or SVG, at most 512 KiB), shown in every page's
    /// header and served from Postern's own origin. Empty: the product name as text.
    pub logo: String,
    pub colors: Colors,
    pub links: FooterLinks,
    /// A directory of templates (`login_password.html`, `layout.html`, …) that replace the
    /// built-in ones of the same name. Empty: none.
    pub templates_dir: String,
    /// A directory of message files, `<lang>/<name>.ftl` (as `idp/locales`), whose messages
    /// replace or add to the built-in ones. Empty: none.
    pub messages_dir: String,
}

/// CSS colours, `#rgb` or `#rrggbb`. Empty keeps the built-in colour.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Colors {
    /// Buttons.
    pub accent: String,
    /// Text on buttons.
    pub on_accent: String,
    /// The page behind the card.
    pub background: String,
    /// Text.
    pub text: String,
    /// Links.
    pub link: String,
    /// The header band with the logo.
    pub header: String,
    /// Text in the header band.
    pub on_header: String,
}

impl Colors {
    /// Each colour with the CSS custom property it sets.
    pub fn properties(&self) -> [(&'static str, &str); 7] {
        [
            ("accent", &self.accent),
            ("on-accent", &self.on_accent),
            ("background", &self.background),
            ("text", &self.text),
            ("link", &self.link),
            ("header", &self.header),
            ("on-header", &self.on_header),
        ]
    }
}

/// The footer of every page. Each is an absolute `https://` or `http://` URL or a path on
/// Postern's own origin; `{lang}` in it becomes the page's language (`en`, `fr`, …), for
/// operators whose pages live under one address per language. Empty: no link.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FooterLinks {
    pub terms: String,
    pub privacy: String,
    pub help: String,
    pub contact: String,
}

impl FooterLinks {
    /// The set links in footer order, each with the message key of its label.
    pub fn set(&self) -> Vec<(&'static str, &str)> {
        [
            ("footer-terms", self.terms.as_str()),
            ("footer-privacy", self.privacy.as_str()),
            ("footer-help", self.help.as_str()),
            ("footer-contact", self.contact.as_str()),
        ]
        .into_iter()
        .filter(|(_, url)| !url.is_empty())
        .collect()
    }
}

impl UiSettings {
    /// The values that can be checked without reading files; the files (logo, templates,
    /// messages) are checked when the pages load at start-up.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.product_name.chars().count() > 80 || self.product_name.contains(['\n', '\r']) {
            return Err(ConfigError(
                "ui.product_name: at most 80 characters on one line".into(),
            ));
        }
        for (name, value) in self.colors.properties() {
            if !value.is_empty() && !is_hex_colour(value) {
                // Only hex colours: the value goes into a stylesheet, where anything else
                // could close the rule and add others.
                return Err(ConfigError(format!(
                    "ui.colors.{}: expected #rgb or #rrggbb, got {value:?}",
                    name.replace('-', "_")
                )));
            }
        }
        for (key, url) in [
            ("terms", &self.links.terms),
            ("privacy", &self.links.privacy),
            ("help", &self.links.help),
            ("contact", &self.links.contact),
        ] {
            if !url.is_empty() && !is_link(url) {
                return Err(ConfigError(format!(
                    "ui.links.{key}: expected an https:// or http:// URL or a path starting with \
                     one '/', got {url:?}"
                )));
            }
        }
        Ok(())
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A footer link: a web URL, or a path on our own origin as [`LocalPath`] judges one (not
/// `//host` nor `/\host`, which a browser takes to another origin).
fn is_link(s: &str) -> bool {
    let sample = s.replace("{lang}", "en");
    if sample.starts_with('/') {
        return LocalPath::parse(&sample).is_some();
    }
    !sample.chars().any(|c| c.is_whitespace() || c.is_control())
        && url::Url::parse(&sample)
            .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.has_host())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex_only() {
        for ok in ["#fc0", "#FFCC00", "#1c1c1c"] {
            assert!(is_hex_colour(ok), "{ok}");
        }
        for bad in ["red", "#ffcc0", "#ffcc00;}body{x:y", "ffcc00", "#ggg", ""] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
        let mut ui = UiSettings::default();
        ui.colors.on_accent = "#000;}".into();
        let err = ui.validate().unwrap_err().0;
        assert!(err.starts_with("ui.colors.on_accent:"), "{err}");
    }

    #[test]
    fn links_are_web_urls_or_local_paths() {
        for ok in [
            "https://post.example/{lang}/terms",
            "http://post.example/help",
            "/help",
        ] {
            assert!(is_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "//evil.example/x",
            "/\\evil.example",
            "help",
            "https://a b",
            "data:text/html,x",
        ] {
            assert!(!is_link(bad), "{bad}");
        }
        let mut ui = UiSettings::default();
        ui.links.privacy = "javascript:alert(1)".into();
        assert!(
            ui.validate()
                .unwrap_err()
                .0
                .starts_with("ui.links.privacy:")
        );
        ui.links.privacy = String::new();
        ui.product_name = "Posti\nX".into();
        assert!(ui.validate().is_err());
    }

    #[test]
    fn only_set_links_show_in_order() {
        let links = FooterLinks {
            help: "/help".into(),
            terms: "https://p.example/terms".into(),
            ..FooterLinks::default()
        };
        assert_eq!(
            links.set(),
            vec![
                ("footer-terms", "https://p.example/terms"),
                ("footer-help", "/help")
            ]
        );
    }
}
