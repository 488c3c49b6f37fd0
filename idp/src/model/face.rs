//! How a service presents itself on Postern's pages: its name and its logo, each given per
//! language as client metadata is (OpenID Connect Dynamic Client Registration 1.0 §2.1:
//! `client_name`, `client_name#fr`, `logo_uri#de`; the untagged value is the default).
//!
//! The one authority for what a page says about the service a person deals with: every page
//! asks [`ClientFace::shown`] in its own language, and nothing here falls back to the
//! client id, which names a registration, not a service a person would recognise.

use std::{collections::BTreeMap, fmt};

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _, ser::SerializeMap};
use sha2::{Digest, Sha256};

use super::Lang;

/// The values of one client metadata field by language; the key `None` is the untagged
/// value, used for every language that has none of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localized<T>(BTreeMap<Option<Lang>, T>);

impl<T> Default for Localized<T> {
    fn default() -> Self {
        Localized(BTreeMap::new())
    }
}

impl<T> Localized<T> {
    /// The value a page in `lang` shows: the one tagged `lang`, else the untagged one.
    pub fn for_lang(&self, lang: Lang) -> Option<&T> {
        self.0.get(&Some(lang)).or_else(|| self.0.get(&None))
    }

    /// The value given for exactly `tag` (`None`: the untagged one).
    pub fn get(&self, tag: Option<Lang>) -> Option<&T> {
        self.0.get(&tag)
    }

    /// Sets the value for `tag`; `None` removes it.
    pub fn set(&mut self, tag: Option<Lang>, value: Option<T>) {
        match value {
            Some(v) => self.0.insert(tag, v),
            None => self.0.remove(&tag),
        };
    }

    /// Untagged first, then by language.
    pub fn iter(&self) -> impl Iterator<Item = (Option<Lang>, &T)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn map<U>(&self, f: impl Fn(&T) -> U) -> Localized<U> {
        Localized(self.0.iter().map(|(k, v)| (*k, f(v))).collect())
    }
}

impl<T> FromIterator<(Option<Lang>, T)> for Localized<T> {
    fn from_iter<I: IntoIterator<Item = (Option<Lang>, T)>>(iter: I) -> Self {
        Localized(iter.into_iter().collect())
    }
}

/// As a JSON object keyed by language code, `""` for the untagged value (storage only; the
/// management API spells members as the registration does, `client_name#fr`).
impl<T: Serialize> Serialize for Localized<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (tag, v) in &self.0 {
            map.serialize_entry(tag.map_or("", Lang::code), v)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Localized<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, T>::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            let tag = match k.as_str() {
                "" => None,
                code => Some(
                    Lang::from_code(code)
                        .ok_or_else(|| D::Error::custom(format!("unknown language {code:?}")))?,
                ),
            };
            out.insert(tag, v);
        }
        Ok(Localized(out))
    }
}

/// The member that carries `field` for `tag`: `client_name`, `client_name#fr` (§2.1).
pub fn member(field: &str, tag: Option<Lang>) -> String {
    match tag {
        Some(l) => format!("{field}#{}", l.code()),
        None => field.to_owned(),
    }
}

/// A member name's field and language: `logo_uri#de` is `logo_uri` in German, `logo_uri`
/// is untagged. `Err` names a tag that is not one of Postern's languages (a value for it
/// would never be shown, so taking it silently would hide the mistake).
pub fn split_member(member: &str) -> Result<(&str, Option<Lang>), String> {
    match member.split_once('#') {
        None => Ok((member, None)),
        Some((field, tag)) => match Lang::from_code(tag) {
            Some(l) => Ok((field, Some(l))),
            None => Err(format!(
                "unknown language tag {tag:?}; Postern's pages are in {}",
                Lang::ALL.map(Lang::code).join(", ")
            )),
        },
    }
}

/// A service's name as a page shows it: trimmed, at most [`ClientName::MAX`] characters,
/// without control characters (a line break or a bidirectional override would let a name
/// rearrange the sentence around it). Markup is kept as text: the pages escape it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientName(String);

impl ClientName {
    /// Long enough for any service's name, short enough for a heading on a phone.
    pub const MAX: usize = 200;

    pub fn parse(s: &str) -> Result<ClientName, String> {
        if s.chars().count() > Self::MAX {
            return Err(format!("at most {} characters", Self::MAX));
        }
        let name = s.trim();
        if name.is_empty() {
            return Err(
                "a name has at least one character besides spaces (null removes it)".into(),
            );
        }
        if name.chars().any(|c| c.is_control() || is_bidi_control(c)) {
            return Err(
                "control characters (line breaks, direction overrides) are not allowed".into(),
            );
        }
        Ok(ClientName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The explicit directional formatting characters (Unicode Bidirectional Algorithm, §2):
/// they could turn "Parcels" into something that reads otherwise on the page.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl TryFrom<String> for ClientName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ClientName::parse(&s)
    }
}

impl From<ClientName> for String {
    fn from(n: ClientName) -> String {
        n.0
    }
}

impl fmt::Display for ClientName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The raster images a logo may be, known by their first bytes whatever the server that
/// sent them said. No SVG: it is a document that can carry script and links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    pub const ALL: [ImageKind; 4] = [
        ImageKind::Png,
        ImageKind::Jpeg,
        ImageKind::Gif,
        ImageKind::Webp,
    ];

    /// The kind the bytes are by their signature, or `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    /// The `Content-Type` it is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }

    pub fn from_media_type(s: &str) -> Option<ImageKind> {
        ImageKind::ALL.into_iter().find(|k| k.media_type() == s)
    }
}

/// Where Postern serves logos, on its own origin (so the pages' `img-src 'self'` holds).
pub const LOGO_PATH: &str = "/assets/logos/";

/// A logo's content address: the SHA-256 of its bytes in lowercase hex. The same bytes are
/// one logo however many clients use them, and a changed image is a new address, so the
/// served file never changes and may be cached for good.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LogoId(String);

impl LogoId {
    pub fn of(bytes: &[u8]) -> LogoId {
        let digest = Sha256::digest(bytes);
        LogoId(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Exactly 64 lowercase hex digits, as [`LogoId::of`] writes them.
    pub fn parse(s: &str) -> Option<LogoId> {
        let ok = s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| LogoId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The local path a page's `<img>` takes it from.
    pub fn path(&self) -> String {
        format!("{LOGO_PATH}{}", self.0)
    }
}

impl TryFrom<String> for LogoId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        LogoId::parse(&s).ok_or_else(|| format!("not a logo id: {s:?}"))
    }
}

impl From<LogoId> for String {
    fn from(id: LogoId) -> String {
        id.0
    }
}

/// A logo as registered: the `logo_uri` it was fetched from, once, and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    pub uri: String,
    pub id: LogoId,
}

/// A service's names and logos, per language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClientFace {
    pub names: Localized<ClientName>,
    pub logos: Localized<Logo>,
}

/// What a page in one language shows of a service: its name and the local path of its
/// logo, each when it has one. With neither, the page names no service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ShownService {
    pub name: Option<String>,
    pub logo: Option<String>,
}

impl ClientFace {
    /// The name and logo for a page in `lang`, each by its exact tag, then untagged.
    pub fn shown(&self, lang: Lang) -> ShownService {
        ShownService {
            name: self.names.for_lang(lang).map(|n| n.as_str().to_owned()),
            logo: self.logos.for_lang(lang).map(|l| l.id.path()),
        }
    }

    /// The name in `lang` (exact tag, then untagged), if the service has one.
    pub fn name(&self, lang: Lang) -> Option<&str> {
        self.names.for_lang(lang).map(ClientName::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> ClientName {
        ClientName::parse(s).unwrap()
    }

    #[test]
    fn a_page_shows_its_language_then_the_untagged_value_and_never_anything_else() {
        let mut face = ClientFace::default();
        assert_eq!(face.shown(Lang::Fr), ShownService::default());
        face.names
            .set(Some(Lang::Fr), Some(name("Suivi des colis")));
        assert_eq!(face.name(Lang::Fr), Some("Suivi des colis"));
        assert_eq!(face.name(Lang::De), None, "no untagged name: none");
        face.names.set(None, Some(name("Parcel tracking")));
        assert_eq!(face.name(Lang::De), Some("Parcel tracking"));
        let logo = Logo {
            uri: "https://rp.example/logo.png".into(),
            id: LogoId::of(b"png"),
        };
        face.logos.set(Some(Lang::De), Some(logo.clone()));
        let de = face.shown(Lang::De);
        assert_eq!(de.logo, Some(format!("/assets/logos/{}", logo.id.as_str())));
        assert_eq!(
            face.shown(Lang::Fr).logo,
            None,
            "the German logo is German only"
        );
        face.names.set(Some(Lang::Fr), None);
        assert_eq!(face.name(Lang::Fr), Some("Parcel tracking"));
    }

    #[test]
    fn names_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(name("  Parcels ").as_str(), "Parcels");
        assert_eq!(name("<b>Parcels</b> & co").as_str(), "<b>Parcels</b> & co");
        assert!(ClientName::parse(&"é".repeat(200)).is_ok());
        for bad in [
            "",
            "   ",
            "Parcels\nPay here",
            "Parcels\u{0}",
            "abc\u{202E}gnp.exe",
            "\u{2066}x",
        ] {
            assert!(ClientName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ClientName::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn member_names_carry_one_of_the_page_languages() {
        assert_eq!(split_member("client_name"), Ok(("client_name", None)));
        assert_eq!(
            split_member("logo_uri#DE"),
            Ok(("logo_uri", Some(Lang::De)))
        );
        for bad in [
            "client_name#fr-CH",
            "client_name#es",
            "client_name#",
            "x#fr#de",
        ] {
            assert!(split_member(bad).is_err(), "{bad}");
        }
        assert_eq!(member("logo_uri", Some(Lang::Sv)), "logo_uri#sv");
    }

    #[test]
    fn images_are_known_by_their_first_bytes_and_svg_is_none_of_them() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a.."), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        for bad in [
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>"[..],
            b"<?xml version=\"1.0\"?><svg/>",
            b"<!doctype html>",
            b"RIFF\0\0\0\0WAVE",
            b"\x89PN",
            b"",
        ] {
            assert_eq!(ImageKind::sniff(bad), None);
        }
    }

    #[test]
    fn stored_as_an_object_keyed_by_language_with_the_untagged_value_under_the_empty_key() {
        let names: Localized<ClientName> =
            [(None, name("Parcels")), (Some(Lang::Fi), name("Paketit"))]
                .into_iter()
                .collect();
        let json = serde_json::to_string(&names).unwrap();
        assert_eq!(json, r#"{"":"Parcels","fi":"Paketit"}"#);
        assert_eq!(
            serde_json::from_str::<Localized<ClientName>>(&json).unwrap(),
            names
        );
        assert!(serde_json::from_str::<Localized<ClientName>>(r#"{"es":"x"}"#).is_err());
        assert!(serde_json::from_str::<Localized<ClientName>>(r#"{"":" "}"#).is_err());
        assert!(LogoId::parse(LogoId::of(b"x").as_str()).is_some());
        assert!(LogoId::parse(&"A".repeat(64)).is_none());
        assert!(LogoId::parse("../../etc/passwd").is_none());
    }
}
