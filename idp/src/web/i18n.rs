//! The six languages of the pages, emails and SMS: Fluent bundles compiled into the binary,
//! one file per area and language under `idp/locales/`, and the negotiation that picks one.

use std::collections::BTreeSet;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};

pub use crate::model::Lang;

/// One area's file of one language.
macro_rules! ftl {
    ($lang:literal, $area:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/locales/",
            $lang,
            "/",
            $area,
            ".ftl"
        ))
    };
}

/// Every area's file for one language. A new area is one more line here and one file per
/// language; the catalogue test fails until all six exist with the same keys.
macro_rules! language_files {
    ($lang:literal) => {
        [
            ftl!($lang, "common"),
            ftl!($lang, "signin"),
            ftl!($lang, "factor"),
            ftl!($lang, "orgs"),
            ftl!($lang, "register"),
            ftl!($lang, "recover"),
            ftl!($lang, "console"),
            ftl!($lang, "legacy"),
            ftl!($lang, "device"),
        ]
    };
}

fn sources(lang: Lang) -> &'static [&'static str] {
    const EN: &[&str] = &language_files!("en");
    const FR: &[&str] = &language_files!("fr");
    const DE: &[&str] = &language_files!("de");
    const IT: &[&str] = &language_files!("it");
    const SV: &[&str] = &language_files!("sv");
    const FI: &[&str] = &language_files!("fi");
    match lang {
        Lang::En => EN,
        Lang::Fr => FR,
        Lang::De => DE,
        Lang::It => IT,
        Lang::Sv => SV,
        Lang::Fi => FI,
    }
}

pub struct Catalog {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

/// Named arguments of a message.
pub type Args<'a> = [(&'a str, FluentValue<'a>)];

/// A message file from outside the binary (`ui.messages_dir`): its messages replace the
/// built-in ones of the same name or add new ones.
pub struct MessageFile {
    pub lang: Lang,
    /// Where it came from, for error messages (`fr/operator.ftl`).
    pub name: String,
    pub text: String,
}

impl Catalog {
    /// Parses the built-in bundles. They are compiled in, so an error here is a bug that the
    /// catalogue test catches; start-up reports it instead of serving half-translated pages.
    pub fn load() -> Result<Catalog, String> {
        Catalog::load_with(&[], "")
    }

    /// The built-in bundles with the operator's message files over them, and the product
    /// name (when not empty) as `app-name` in every language. Every message an override
    /// defines must exist in every language, built in or overridden: a page would otherwise
    /// fall back to English (or show the message's name) in the language that lacks it.
    pub fn load_with(extra: &[MessageFile], product_name: &str) -> Result<Catalog, String> {
        let mut bundles = Vec::new();
        let mut keys: Vec<(Lang, BTreeSet<String>)> = Vec::new();
        for lang in Lang::ALL {
            let id = lang
                .code()
                .parse()
                .map_err(|e| format!("language {}: {e}", lang.code()))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks would end up in emails, SMS and attribute values.
            bundle.set_use_isolating(false);
            for src in sources(lang) {
                let res = FluentResource::try_new((*src).to_owned()).map_err(|(_, errs)| {
                    format!("language {}: syntax errors {errs:?}", lang.code())
                })?;
                bundle
                    .add_resource(res)
                    .map_err(|errs| format!("language {}: {errs:?}", lang.code()))?;
            }
            let mut known = Catalog::keys(lang);
            for file in extra.iter().filter(|f| f.lang == lang) {
                let res = FluentResource::try_new(file.text.clone())
                    .map_err(|(_, errs)| syntax_error(file, &errs))?;
                known.extend(keys_of(&res));
                bundle.add_resource_overriding(res);
            }
            if !product_name.is_empty() {
                let quoted = product_name.replace('\\', "\\\\").replace('"', "\\\"");
                let res = FluentResource::try_new(format!("app-name = {{ \"{quoted}\" }}\n"))
                    .map_err(|_| "ui.product_name: cannot be written as a message".to_owned())?;
                bundle.add_resource_overriding(res);
            }
            keys.push((lang, known));
            bundles.push((lang, bundle));
        }
        for (lang, known) in &keys {
            for (other, theirs) in &keys {
                if let Some(key) = theirs.difference(known).next() {
                    return Err(format!(
                        "message `{key}` is in {} but missing in {} (add it to {}/*.ftl)",
                        other.code(),
                        lang.code(),
                        lang.code()
                    ));
                }
            }
        }
        Ok(Catalog { bundles })
    }

    fn bundle(&self, lang: Lang) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, b)| b)
    }

    /// The message `key` (or `key.attribute`) in `lang`, falling back to English and then to
    /// the key itself, so a missing translation shows something rather than nothing.
    pub fn t(&self, lang: Lang, key: &str, args: &Args) -> String {
        self.lookup(lang, key, args)
            .or_else(|| self.lookup(Lang::En, key, args))
            .unwrap_or_else(|| {
                tracing::warn!(key, lang = lang.code(), "missing message");
                key.to_owned()
            })
    }

    /// Whether `key` (or `key.attribute`) exists in `lang`, overrides included.
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        let (id, attr) = match key.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (key, None),
        };
        self.bundle(lang)
            .and_then(|b| b.get_message(id))
            .is_some_and(|m| match attr {
                Some(a) => m.get_attribute(a).is_some(),
                None => m.value().is_some(),
            })
    }

    fn lookup(&self, lang: Lang, key: &str, args: &Args) -> Option<String> {
        let bundle = self.bundle(lang)?;
        let (id, attr) = match key.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (key, None),
        };
        let msg = bundle.get_message(id)?;
        let pattern = match attr {
            Some(a) => msg.get_attribute(a)?.value(),
            None => msg.value()?,
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, lang = lang.code(), ?errors, "message formatting");
        }
        Some(out.into_owned())
    }

    /// Every built-in key (`id` and `id.attribute`) of one language, for the completeness
    /// test.
    pub fn keys(lang: Lang) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for src in sources(lang) {
            if let Ok(res) = FluentResource::try_new((*src).to_owned()) {
                keys.extend(keys_of(&res));
            }
        }
        keys
    }
}

/// The keys (`id` and `id.attribute`) one file defines.
fn keys_of(res: &FluentResource) -> Vec<String> {
    let mut keys = Vec::new();
    for entry in res.entries() {
        if let fluent_syntax::ast::Entry::Message(m) = entry {
            if m.value.is_some() {
                keys.push(m.id.name.to_owned());
            }
            for a in &m.attributes {
                keys.push(format!("{}.{}", m.id.name, a.id.name));
            }
        }
    }
    keys
}

/// `fr/operator.ftl, line 3: …` for the first syntax error of a file.
fn syntax_error(file: &MessageFile, errs: &[fluent_syntax::parser::ParserError]) -> String {
    let Some(first) = errs.first() else {
        return format!("{}: syntax error", file.name);
    };
    let line = file.text[..first.pos.start.min(file.text.len())]
        .matches('\n')
        .count()
        + 1;
    format!("{}, line {line}: {}", file.name, first.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_parses() {
        let catalog = Catalog::load().expect("bundles parse");
        let english = Catalog::keys(Lang::En);
        assert!(english.len() > 20, "the English catalogue looks empty");
        for lang in Lang::ALL {
            let keys = Catalog::keys(lang);
            let missing: Vec<_> = english.difference(&keys).collect();
            let extra: Vec<_> = keys.difference(&english).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(extra.is_empty(), "{} has unknown {extra:?}", lang.code());
            assert!(catalog.bundle(lang).is_some());
        }
    }

    /// Message keys named in Rust code (error pages, field errors, emails) exist: a key is
    /// a string literal whose first segment is one the catalogue uses.
    #[test]
    fn every_key_in_the_code_exists() {
        let english = Catalog::keys(Lang::En);
        let prefixes: BTreeSet<&str> = english
            .iter()
            .filter_map(|k| k.split('-').next())
            .filter(|p| *p != "app")
            .collect();
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap();
                for lit in src.split('"').skip(1).step_by(2) {
                    let is_key = lit.contains('-')
                        && lit.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c)
                        })
                        && lit.split('-').next().is_some_and(|p| prefixes.contains(p));
                    if is_key && !english.contains(lit) {
                        missing.push(format!("{}: {lit}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but not in the catalogue: {missing:#?}"
        );
    }

    #[test]
    fn negotiates_languages() {
        assert_eq!(Lang::from_list("xx fr-CA de"), Some(Lang::Fr));
        assert_eq!(Lang::from_list("xx yy"), None);
        assert_eq!(
            Lang::from_accept_language("da, sv;q=0.8, fi;q=0.9, en;q=0.1"),
            Some(Lang::Fi)
        );
        assert_eq!(Lang::from_accept_language("it-IT,it;q=0.9"), Some(Lang::It));
        assert_eq!(Lang::from_accept_language("de;q=0"), None);
    }

    #[test]
    fn formats_arguments_and_falls_back() {
        let c = Catalog::load().unwrap();
        let s = c.t(
            Lang::Fr,
            "signin-continue-to",
            &[("client", "Colis".into())],
        );
        assert!(s.contains("Colis") && s != "signin-continue-to", "{s}");
        assert_eq!(c.t(Lang::Sv, "no-such-key", &[]), "no-such-key");
    }
}
