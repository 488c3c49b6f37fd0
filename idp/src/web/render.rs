//! The template engine (minijinja, auto-escaping every value in `.html` templates) with the
//! message catalogue as its `t()` function. Templates are compiled into the binary, so a
//! deployment is still one file.

use std::sync::Arc;

use fluent_bundle::FluentValue;
use minijinja::{Environment, Error, State, Value, context, value::Kwargs};
use serde::Serialize;

use super::{
    i18n::{Catalog, Lang},
    overrides,
    theme::Theme,
};
use crate::config::UiSettings;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $name)))),*]
    };
}

/// Every template. A page is one file extending `layout.html`.
const TEMPLATES: &[(&str, &str)] = templates![
    "layout.html",
    "macros.html",
    "error.html",
    "login_email.html",
    "login_password.html",
    "login_new_password.html",
    "legacy_email.html",
    "legacy_code.html",
    "legacy_cutover.html",
    "login_verify.html",
    "consent.html",
    "device.html",
    "device_confirm.html",
    "device_done.html",
    "locked.html",
    "logout_confirm.html",
    "logged_out.html",
    "reset_password.html",
    "reset_done.html",
    "register.html",
    "register_phone.html",
    "register_email_sent.html",
    "register_confirm.html",
    "register_done.html",
    "factor.html",
    "security.html",
    "org_pick.html",
    "org_invitation.html",
    "org_joined.html",
    "org_console.html",
    "console.html",
    "console_profile.html",
    "console_sessions.html",
    "recover_password.html",
    "recover_password_sent.html",
    "recover_email.html",
    "recover_email_code.html",
    "recover_email_done.html",
    "console_contact.html",
    "console_services.html",
    "console_data.html",
    "console_deleted.html",
];

/// What the layout needs besides the page's own values: the language and where the
/// language switch sends the browser back to.
#[derive(Clone, Debug)]
pub struct Ui {
    pub lang: Lang,
    /// The page to come back to after switching language (a local path), if it can be
    /// fetched again with GET.
    pub return_to: Option<String>,
    /// The language chosen with the switch in this browser.
    pub chosen: Option<Lang>,
    /// The best match of `Accept-Language`.
    pub accepted: Option<Lang>,
}

impl Ui {
    pub fn english() -> Ui {
        Ui {
            lang: Lang::En,
            return_to: None,
            chosen: None,
            accepted: None,
        }
    }

    /// Applies the order of preference: the switch in this browser (the latest explicit
    /// choice), the relying party's `ui_locales`, the user's saved language, then the
    /// browser's `Accept-Language`, then English.
    pub fn prefer(mut self, ui_locales: Option<&str>, saved: Option<&str>) -> Ui {
        self.lang = self
            .chosen
            .or_else(|| ui_locales.and_then(Lang::from_list))
            .or_else(|| saved.and_then(Lang::parse))
            .or(self.accepted)
            .unwrap_or(Lang::En);
        self
    }
}

#[derive(Serialize)]
struct LangLink {
    code: &'static str,
    name: &'static str,
    href: String,
}

pub struct Web {
    env: Environment<'static>,
    pub catalog: Arc<Catalog>,
    pub theme: Theme,
}

impl Web {
    /// The built-in pages, as in tests and a deployment without `ui.*`.
    pub fn load() -> Result<Web, String> {
        Web::load_with(&UiSettings::default())
    }

    /// The pages with the operator's look and overrides. Every error names the key (and the
    /// file) it came from: it stops start-up rather than a page later.
    pub fn load_with(ui: &UiSettings) -> Result<Web, String> {
        let extra = if ui.messages_dir.is_empty() {
            Vec::new()
        } else {
            overrides::messages(&ui.messages_dir).map_err(|e| format!("ui.messages_dir: {e}"))?
        };
        let catalog = Arc::new(
            Catalog::load_with(&extra, &ui.product_name)
                .map_err(|e| format!("ui.messages_dir: {e}"))?,
        );
        let mut env = Environment::new();
        for (name, src) in TEMPLATES {
            env.add_template(name, src)
                .map_err(|e| format!("template {name}: {e}"))?;
        }
        if !ui.templates_dir.is_empty() {
            let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
            for (name, src) in overrides::templates(&ui.templates_dir, &names)
                .map_err(|e| format!("ui.templates_dir: {e}"))?
            {
                // A message the template names but no language has would show as its name.
                for key in keys_in(&src) {
                    if !catalog.has(Lang::En, &key) {
                        return Err(format!(
                            "ui.templates_dir: {name} uses message `{key}`, which no message \
                             file defines"
                        ));
                    }
                }
                env.add_template_owned(name.clone(), src)
                    .map_err(|e| format!("ui.templates_dir: {name}: {e}"))?;
            }
        }
        let c = catalog.clone();
        env.add_function(
            "t",
            move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
                let lang = state
                    .lookup("lang")
                    .and_then(|v| v.as_str().and_then(Lang::parse))
                    .unwrap_or(Lang::En);
                let mut args: Vec<(&str, FluentValue)> = Vec::new();
                for name in kwargs.args() {
                    let v: Value = kwargs.get(name)?;
                    let fv = match v.as_i64() {
                        Some(n) => FluentValue::from(n),
                        None => FluentValue::from(v.to_string()),
                    };
                    args.push((name, fv));
                }
                Ok(c.t(lang, key, &args))
            },
        );
        let theme = Theme::load(ui)?;
        Ok(Web {
            env,
            catalog,
            theme,
        })
    }

    /// A message outside a template (emails, SMS, JSON messages for the page script).
    pub fn t(&self, lang: Lang, key: &str, args: &super::i18n::Args) -> String {
        self.catalog.t(lang, key, args)
    }

    /// Renders a page. A template error is a bug; it is logged and the person gets a short
    /// apology rather than half a page.
    pub fn page(&self, ui: &Ui, name: &str, ctx: Value) -> String {
        let languages: Vec<LangLink> = Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.native_name(),
                href: switch_href(l, ui.return_to.as_deref()),
            })
            .collect();
        let full = context! {
            lang => ui.lang.code(),
            languages => Value::from(minijinja::value::Serde(&languages)),
            theme => context! {
                // No colours set: no second stylesheet to fetch.
                stylesheet => (!self.theme.stylesheet.is_empty()).then_some(&self.theme.stylesheet_href),
                logo => self.theme.logo.as_ref().map(|l| l.path.as_str()),
                footer => Value::from(minijinja::value::Serde(self.theme.footer(ui.lang.code()))),
            },
            ..ctx
        };
        match self.env.get_template(name).and_then(|t| t.render(full)) {
            Ok(html) => html,
            Err(e) => {
                tracing::error!(template = name, error = %e, "page rendering failed");
                let msg = self.t(ui.lang, "err-internal", &[]);
                format!(
                    "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><title>Postern</title><p>{}</p></html>",
                    ui.lang.code(),
                    super::escape(&msg)
                )
            }
        }
    }

    /// Every `t("…")` key the templates use, for the test that they all exist.
    pub fn template_keys() -> Vec<(String, String)> {
        TEMPLATES
            .iter()
            .flat_map(|(name, src)| keys_in(src).map(|k| ((*name).to_owned(), k)))
            .collect()
    }
}

/// The literal keys of `t("…")` calls in a template; `t("scope-" ~ s)` builds its key at
/// run time and is not one.
fn keys_in(src: &str) -> impl Iterator<Item = String> + '_ {
    src.split("t(\"").skip(1).filter_map(|part| {
        let end = part.find('"')?;
        part[end + 1..]
            .starts_with([')', ','])
            .then(|| part[..end].to_owned())
    })
}

fn switch_href(lang: Lang, return_to: Option<&str>) -> String {
    match return_to {
        Some(r) => format!(
            "/language?set={}&return={}",
            lang.code(),
            super::pages::urlencode(r)
        ),
        None => format!("/language?set={}", lang.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compile_and_use_only_known_keys() {
        let web = Web::load().expect("templates compile");
        let english = Catalog::keys(Lang::En);
        for (template, key) in Web::template_keys() {
            assert!(english.contains(&key), "{template} uses unknown key {key}");
        }
        let html = web.page(
            &Ui::english().prefer(Some("de"), None),
            "logged_out.html",
            context! {},
        );
        assert!(html.contains("<html lang=\"de\""), "{html}");
        assert!(html.contains("hreflang=\"fi\""), "{html}");
    }

    /// The parts of each tag outside quoted attribute values: where a name or an unquoted
    /// value would show an attribute list that was escaped as text (`minlength=&quot;10`).
    fn unquoted_tag_parts(html: &str) -> Vec<String> {
        let mut parts = Vec::new();
        let mut chars = html.chars();
        while let Some(c) = chars.next() {
            if c != '<' {
                continue;
            }
            let (mut part, mut quote) = (String::new(), None);
            for c in chars.by_ref() {
                match (quote, c) {
                    (None, '>') => break,
                    (None, '"' | '\'') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    (None, c) => part.push(c),
                    (Some(_), _) => {}
                }
            }
            parts.push(part);
        }
        parts
    }

    /// Undefined values render as empty, so this finds what only a render can: unknown
    /// filters and functions, bad calls, missing blocks. Each page renders twice, with its
    /// optional parts on and off, and no attribute of it may be escaped as text.
    #[test]
    fn every_page_renders_with_whole_attributes() {
        let web = Web::load().unwrap();
        let on = context! {
            lang => "fi", csrf => "c\"<", tx => "t&x", key => "err-internal",
            errors => context! { email => "err-internal", password => "err-internal", code => "err-internal" },
            min_length => 10, email_field => "email", email => "a\"@b.test", code_needed => true,
            totp => true, phone => "+41791234567", sms_sent => true,
            passkeys => vec![context! { id => "p\"1", name => "Key \"1\"", created => "today" }],
            passkeys_available => true, recovery_codes => true, alert => "err-internal",
            theme => context! {
                stylesheet => "/assets/theme.css?v=1", logo => "/assets/logo-1.png",
                footer => vec![context! { label => "footer-help", href => "https://p.example/fi/help?a=1&b=\"" }],
            },
            service => context! { name => "S\"<", logo => "/assets/logos/a\"b" },
        };
        let off = context! {
            lang => "fi", csrf => "c", tx => "t", key => "err-internal", errors => context! {},
            theme => context! {},
        };
        for (name, _) in TEMPLATES {
            if ["layout.html", "macros.html", "console.html"].contains(name) {
                continue;
            }
            for ctx in [&on, &off] {
                let out = web.env.get_template(name).and_then(|t| t.render(ctx));
                let html = out.unwrap_or_else(|e| panic!("{name}: {e:?}"));
                for part in unquoted_tag_parts(&html) {
                    assert!(
                        !part.contains('&'),
                        "{name}: an attribute escaped as text: <{part}>"
                    );
                }
            }
        }
    }

    #[test]
    fn the_attribute_check_sees_escaped_attributes() {
        let parts =
            unquoted_tag_parts(r#"<input id="a>b" minlength=&quot;10&quot;><p class='x"'>"#);
        assert_eq!(
            parts,
            vec!["input id= minlength=&quot;10&quot;", "p class="]
        );
    }

    #[test]
    fn switch_links_return_to_the_page() {
        assert_eq!(
            switch_href(Lang::Sv, Some("/login?tx=a&b")),
            "/language?set=sv&return=%2Flogin%3Ftx%3Da%26b"
        );
    }
}
