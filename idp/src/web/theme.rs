//! The operator's look, made once at start-up from `ui.*`: the logo (read from its file,
//! checked and served from Postern's own origin under an address that changes with its
//! content), a small stylesheet of colours, and the footer links.

use sha2::{Digest, Sha256};

use crate::{config::UiSettings, model::ImageKind};

/// The largest logo file: a header logo is a few kilobytes; anything near this limit is a
/// mistake (a photograph) that would slow every page.
pub const LOGO_MAX_BYTES: usize = 512 * 1024;

/// An image served from Postern's own origin.
#[derive(Clone, Debug)]
pub struct Asset {
    /// The path it is served at, with a digest of its content: it can be cached for good.
    pub path: String,
    pub content_type: &'static str,
    pub bytes: bytes::Bytes,
}

#[derive(Clone, Debug, Default)]
pub struct Theme {
    pub logo: Option<Asset>,
    /// `/assets/theme.css?v=…`: the colour stylesheet, versioned by its content.
    pub stylesheet_href: String,
    pub stylesheet: String,
    links: Vec<(&'static str, String)>,
}

/// A footer link of one page.
#[derive(serde::Serialize)]
pub struct FooterLink {
    pub label: &'static str,
    pub href: String,
}

impl Theme {
    pub fn load(ui: &UiSettings) -> Result<Theme, String> {
        let logo = if ui.logo.is_empty() {
            None
        } else {
            let bytes =
                std::fs::read(&ui.logo).map_err(|e| format!("ui.logo: {}: {e}", ui.logo))?;
            Some(logo(bytes).map_err(|e| format!("ui.logo: {}: {e}", ui.logo))?)
        };
        let stylesheet: String = ui
            .colors
            .properties()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(name, v)| format!("--{name}: {v};"))
            .collect::<Vec<_>>()
            .join(" ");
        let stylesheet = if stylesheet.is_empty() {
            String::new()
        } else {
            format!(":root {{ {stylesheet} }}\n")
        };
        Ok(Theme {
            logo,
            stylesheet_href: format!("/assets/theme.css?v={}", digest(stylesheet.as_bytes())),
            stylesheet,
            links: ui
                .links
                .set()
                .into_iter()
                .map(|(k, u)| (k, u.to_owned()))
                .collect(),
        })
    }

    /// The footer links of a page in `lang`.
    pub fn footer(&self, lang: &str) -> Vec<FooterLink> {
        self.links
            .iter()
            .map(|(label, url)| FooterLink {
                label,
                href: url.replace("{lang}", lang),
            })
            .collect()
    }
}

fn digest(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a logo file by its content, not its name.
fn logo(bytes: Vec<u8>) -> Result<Asset, String> {
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(format!(
            "{} bytes, more than the {LOGO_MAX_BYTES} a logo may have",
            bytes.len()
        ));
    }
    let (content_type, ext) = image_type(&bytes)
        .ok_or("not a PNG, JPEG, GIF, WebP or SVG image (judged by its content)")?;
    Ok(Asset {
        path: format!("/assets/logo-{}.{ext}", digest(&bytes)),
        content_type,
        bytes: bytes.into(),
    })
}

/// The media type and file extension of an image, from its first bytes: the raster kinds a
/// client's logo may be too (`model::ImageKind`, one judge for both), and SVG. SVG is
/// accepted for the operator's own logo (a file the operator installed), never for a
/// client's: it is shown with `<img>`, where a browser runs no script of it, and served
/// under the same strict CSP as every response.
pub fn image_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if let Some(kind) = ImageKind::sniff(bytes) {
        Some((kind.media_type(), kind.extension()))
    } else if std::str::from_utf8(bytes).is_ok_and(|s| {
        let s = s.trim_start_matches('\u{feff}').trim_start();
        (s.starts_with("<?xml") || s.starts_with("<svg") || s.starts_with("<!--"))
            && s.contains("<svg")
    }) {
        Some(("image/svg+xml", "svg"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_judged_by_content() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\nrest").unwrap().0, "image/png");
        assert_eq!(image_type(b"GIF89a...").unwrap().0, "image/gif");
        assert_eq!(
            image_type(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
                .unwrap()
                .0,
            "image/svg+xml"
        );
        assert!(image_type(b"<html><body>not a logo</body></html>").is_none());
        assert!(image_type(b"").is_none());
        let err = logo(vec![0x89; LOGO_MAX_BYTES + 1]).unwrap_err();
        assert!(err.contains("more than"), "{err}");
        let a = logo(b"GIF89a-one".to_vec()).unwrap();
        let b = logo(b"GIF89a-two".to_vec()).unwrap();
        assert!(a.path.starts_with("/assets/logo-") && a.path.ends_with(".gif"));
        assert_ne!(a.path, b.path, "the address changes with the content");
    }

    #[test]
    fn colours_make_a_stylesheet_and_links_take_the_language() {
        let mut ui = UiSettings::default();
        let plain = Theme::load(&ui).unwrap();
        assert!(plain.stylesheet.is_empty() && plain.logo.is_none());
        ui.colors.accent = "#0055aa".into();
        ui.colors.on_accent = "#fff".into();
        ui.links.help = "https://post.example/{lang}/help".into();
        let t = Theme::load(&ui).unwrap();
        assert_eq!(
            t.stylesheet,
            ":root { --accent: #0055aa; --on-accent: #fff; }\n"
        );
        assert_ne!(t.stylesheet_href, plain.stylesheet_href);
        let footer = t.footer("sv");
        assert_eq!(footer.len(), 1);
        assert_eq!(footer[0].href, "https://post.example/sv/help");
        ui.logo = "/no/such/logo.png".into();
        assert!(
            Theme::load(&ui)
                .unwrap_err()
                .starts_with("ui.logo: /no/such/logo.png")
        );
    }
}
