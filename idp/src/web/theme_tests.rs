//! The operator's look and overrides, as start-up loads them and a page shows them.

use minijinja::context;

use super::{
    i18n::Lang,
    render::{Ui, Web},
};
use crate::config::UiSettings;

fn write(dir: &std::path::Path, path: &str, text: &str) {
    let file = dir.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

fn with_messages(files: &[(&str, &str)]) -> Result<Web, String> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    Web::load_with(&UiSettings {
        messages_dir: dir.path().to_string_lossy().into_owned(),
        ..UiSettings::default()
    })
}

/// The page as a browser reads its attributes (minijinja escapes `/` in values).
fn page(web: &Web, lang: Lang, template: &str) -> String {
    let ui = Ui::english().prefer(Some(lang.code()), None);
    web.page(
        &ui,
        template,
        context! { csrf => "c", tx => "t", errors => context! {} },
    )
    .replace("&#x2f;", "/")
}

#[test]
fn a_message_override_replaces_the_built_in_one_in_its_language() {
    let web = with_messages(&[(
        "fr/operator.ftl",
        "signin-title = Se connecter à La Poste\n",
    )])
    .unwrap();
    assert!(page(&web, Lang::Fr, "login_email.html").contains("Se connecter à La Poste"));
    assert!(page(&web, Lang::En, "login_email.html").contains("<h1>Sign in</h1>"));
}

#[test]
fn an_override_that_misses_a_message_stops_start_up_naming_it() {
    let err = with_messages(&[
        ("en/operator.ftl", "operator-hotline = Call 0800 000 000\n"),
        (
            "fr/operator.ftl",
            "operator-hotline = Appelez le 0800 000 000\n",
        ),
    ])
    .err()
    .expect("de, it, sv and fi lack the new message");
    assert!(err.starts_with("ui.messages_dir: "), "{err}");
    assert!(err.contains("`operator-hotline`"), "{err}");
    assert!(err.contains("missing in de"), "{err}");
}

#[test]
fn an_override_that_does_not_parse_names_its_file_and_line() {
    let err = with_messages(&[("sv/extra.ftl", "signin-title = Logga in\n\n= broken\n")])
        .err()
        .unwrap();
    assert!(err.contains("sv/extra.ftl, line 3"), "{err}");
}

#[test]
fn an_override_directory_with_a_stray_entry_is_refused() {
    let err = with_messages(&[("xx/extra.ftl", "a = b\n")]).err().unwrap();
    assert!(
        err.contains("xx: expected a directory named after a language"),
        "{err}"
    );
    let err = with_messages(&[("en/notes.txt", "a = b\n")]).err().unwrap();
    assert!(err.contains("en/notes.txt"), "{err}");
    let err = Web::load_with(&UiSettings {
        messages_dir: "/no/such/dir".into(),
        ..UiSettings::default()
    })
    .err()
    .unwrap();
    assert!(err.starts_with("ui.messages_dir: /no/such/dir"), "{err}");
}

fn with_template(name: &str, src: &str) -> Result<Web, String> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, src);
    Web::load_with(&UiSettings {
        templates_dir: dir.path().to_string_lossy().into_owned(),
        ..UiSettings::default()
    })
}

#[test]
fn a_template_override_replaces_the_page() {
    let src = "{% extends \"layout.html\" %}{% block title %}{{ t(\"signin-title\") }}{% endblock %}\
               {% block content %}<p id=\"operator\">Operator's own sign-in page</p>{% endblock %}";
    let web = with_template("login_email.html", src).unwrap();
    let html = page(&web, Lang::It, "login_email.html");
    assert!(html.contains("Operator&#x27;s own sign-in page") || html.contains("Operator's own"));
    assert!(
        html.contains("<html lang=\"it\""),
        "the layout still wraps it: {html}"
    );
}

#[test]
fn a_broken_or_unknown_template_override_stops_start_up() {
    let err = with_template("login_email.html", "{% block content %}{% if %}")
        .err()
        .unwrap();
    assert!(
        err.starts_with("ui.templates_dir: login_email.html: "),
        "{err}"
    );
    let err = with_template("login.html", "<p>hi</p>").err().unwrap();
    assert!(
        err.contains("login.html: not the name of a template"),
        "{err}"
    );
    let err = with_template("login_email.html", "{{ t(\"operator-nowhere\") }}")
        .err()
        .unwrap();
    assert!(err.contains("uses message `operator-nowhere`"), "{err}");
}

#[test]
fn the_product_name_logo_colours_and_links_reach_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.svg");
    std::fs::write(
        &logo,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>",
    )
    .unwrap();
    let mut ui = UiSettings {
        product_name: "Posti \"Demo\" {x}".into(),
        logo: logo.to_string_lossy().into_owned(),
        ..UiSettings::default()
    };
    ui.colors.accent = "#0055aa".into();
    ui.links.privacy = "https://post.example/{lang}/privacy".into();
    let web = Web::load_with(&ui).unwrap();
    let html = page(&web, Lang::De, "login_email.html");
    // The name is a plain string in every language, whatever Fluent would make of it.
    assert!(
        html.contains("· Posti &quot;Demo&quot; {x}</title>"),
        "{html}"
    );
    let logo = web.theme.logo.as_ref().unwrap();
    assert!(
        html.contains(&format!("<img class=\"logo\" src=\"{}\"", logo.path)),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"{}\"", web.theme.stylesheet_href)),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://post.example/de/privacy\">Datenschutz</a>"),
        "{html}"
    );
    assert_eq!(
        web.t(Lang::Fi, "app-name", &[]),
        "Posti \"Demo\" {x}",
        "emails say the same name"
    );
    // Without a theme: the product name as text, no footer.
    let plain = page(&Web::load().unwrap(), Lang::En, "login_email.html");
    assert!(
        plain.contains("<span class=\"product\">Postal services</span>"),
        "{plain}"
    );
    assert!(!plain.contains("<footer>"), "{plain}");
}
