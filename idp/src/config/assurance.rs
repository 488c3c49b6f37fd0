//! Identity assurance: what a person is told when a service needs a verified identity.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ConfigError;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Assurance {
    /// Where a person learns how to get their identity verified (the operator's page of
    /// counters, eID, video); empty shows no link.
    #[serde(default)]
    pub verification_url: String,
    /// The explanation on that page per language code (`en`, `de`, `fr`, `it`, `sv`,
    /// `fi`); a language without one shows the message catalogue's text.
    #[serde(default)]
    pub verification_text: BTreeMap<String, String>,
}

impl Assurance {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.verification_url.is_empty() {
            let ok = url::Url::parse(&self.verification_url)
                .is_ok_and(|u| matches!(u.scheme(), "https" | "http"));
            if !ok {
                return Err(ConfigError(format!(
                    "assurance.verification_url: expected an absolute http(s) URL, got {:?}",
                    self.verification_url
                )));
            }
        }
        for lang in self.verification_text.keys() {
            if !crate::web::i18n::Lang::ALL.iter().any(|l| l.code() == lang) {
                return Err(ConfigError(format!(
                    "assurance.verification_text: unknown language {lang:?}; expected en, de, \
                     fr, it, sv or fi"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_absolute_http_and_the_texts_in_known_languages() {
        let mut a = Assurance::default();
        assert!(a.validate().is_ok(), "no link and no texts");
        a.verification_url = "https://post.example/verify".into();
        a.verification_text
            .insert("it".into(), "Vai allo sportello".into());
        assert!(a.validate().is_ok());
        for bad in ["/verify", "javascript:alert(1)", "ftp://post.example/"] {
            a.verification_url = bad.into();
            let e = a.validate().unwrap_err().0;
            assert!(e.starts_with("assurance.verification_url"), "{bad}: {e}");
        }
        a.verification_url.clear();
        a.verification_text.insert("es".into(), "Vaya".into());
        let e = a.validate().unwrap_err().0;
        assert!(e.contains("\"es\""), "{e}");
    }
}
