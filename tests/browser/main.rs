//! Postern's pages in a real browser. Each test here starts a server (issuer
//! `http://localhost:<port>`, so passkeys work), the relying parties of `world`, and a
//! fixture endpoint, then runs one Node test file (`tests/browser/*.test.mjs`) that drives
//! headless Chromium through playwright-core, with the pages' Content-Security-Policy
//! enforced, as a person would: typing, tabbing and pressing keys.
//!
//! Needs Node.js, the system Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and the npm
//! packages of `tests/browser/package.json` (installed here with `npm ci` when missing).
//! `POSTERN_BROWSER_LANGS` (comma-separated) runs every file in those languages instead of
//! English; the `gallery` test runs each in one other language (all five with
//! `POSTERN_GALLERY=full`) and saves the screenshots under `target/screenshots/` with an
//! `index.html`.

mod world;

use std::path::{Path, PathBuf};

const LANGUAGES: [&str; 6] = ["en", "de", "fr", "it", "sv", "fi"];

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("screenshots")
}

fn chromium() -> String {
    let path = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&path).exists(),
        "the browser tests need Chromium at {path} (Debian: apt-get install chromium; or set CHROMIUM)"
    );
    path
}

/// `npm ci` once per checkout; tests running at the same time wait for the first.
fn node_modules() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let dir = browser_dir();
        if dir.join("node_modules/playwright-core").exists()
            && dir.join("node_modules/axe-core").exists()
        {
            return;
        }
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("npm (Node.js) is needed for the browser tests");
        assert!(status.success(), "npm ci in tests/browser failed");
    });
}

/// Runs `file` against a fresh world in each language of `langs`.
async fn run(file: &str, langs: &[&str]) {
    run_in(file, langs, false).await
}

/// `themed`: the world has the demo operator's look instead of the built-in one.
async fn run_in(file: &str, langs: &[&str], themed: bool) {
    let chromium = chromium();
    node_modules();
    for lang in langs {
        let world = if themed {
            world::World::themed().await
        } else {
            world::World::start().await
        };
        let fixture = world.fixture(lang, &chromium, &screenshots_dir());
        let status = tokio::process::Command::new("node")
            .arg("--test")
            .arg("--test-reporter=spec")
            .arg(browser_dir().join(file))
            .env("POSTERN_BROWSER_FIXTURE", fixture.to_string())
            .current_dir(browser_dir())
            .kill_on_drop(true)
            .status()
            .await
            .expect("node runs");
        assert!(status.success(), "{file} failed in Chromium ({lang})");
    }
}

fn langs_from_env() -> Vec<String> {
    std::env::var("POSTERN_BROWSER_LANGS")
        .unwrap_or_else(|_| "en".into())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

macro_rules! browser_tests {
    ($($name:ident => $file:literal),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let langs = langs_from_env();
                let langs: Vec<&str> = langs.iter().map(String::as_str).collect();
                run($file, &langs).await;
            }
        )*
        /// The pages in the other five languages (the tests above ran English), with a
        /// screenshot at a phone and a desktop width of each, then the gallery's index.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn gallery() {
            for (i, file) in [$($file),*].into_iter().enumerate() {
                run(file, &gallery_langs(i)).await;
            }
            write_index(&screenshots_dir());
        }
    };
}

/// The languages the gallery runs the `index`th file in. `POSTERN_GALLERY=full`: all five
/// others, every page in every language (70 runs: a quarter of an hour on two cores, most of
/// a CI run). By default one, turning through the five from file to file, so each language
/// meets the pages of about three files in every run; the catalogue tests (`cargo test -p idp
/// --lib`) already hold every message in every language.
fn gallery_langs(index: usize) -> Vec<&'static str> {
    let others = &LANGUAGES[1..];
    if std::env::var("POSTERN_GALLERY").is_ok_and(|v| v == "full") {
        others.to_vec()
    } else {
        vec![others[index % others.len()]]
    }
}

browser_tests! {
    sign_in => "signin.test.mjs",
    registration => "register.test.mjs",
    recovery => "recover.test.mjs",
    consent => "consent.test.mjs",
    organisations => "orgs.test.mjs",
    second_factor => "factor.test.mjs",
    account_console => "console.test.mjs",
    logout => "logout.test.mjs",
    languages => "languages.test.mjs",
    form_post => "formpost.test.mjs",
    passkeys => "passkeys.test.mjs",
    counter => "counter.test.mjs",
    legacy => "legacy.test.mjs",
    device => "device.test.mjs",
    service => "service.test.mjs",
}

/// The operator's look (`theme.test.mjs`) on a world configured with the demo theme.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_theme() {
    let langs = langs_from_env();
    let langs: Vec<&str> = langs.iter().map(String::as_str).collect();
    run_in("theme.test.mjs", &langs, true).await;
}

/// `index.html` beside the screenshots: one section per language, each page at both widths.
fn write_index(dir: &Path) {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Postern pages</title><style>body{font-family:sans-serif}\
         figure{display:inline-block;vertical-align:top;margin:8px}\
         img{border:1px solid #ccc;max-width:480px}</style></head><body>\
         <h1>Postern pages</h1>",
    );
    for lang in LANGUAGES {
        let Ok(entries) = std::fs::read_dir(dir.join(lang)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".png"))
            .collect();
        names.sort();
        html.push_str(&format!("<h2 id=\"{lang}\">{lang}</h2>"));
        for n in names {
            html.push_str(&format!(
                "<figure><img src=\"{lang}/{n}\" alt=\"{n}\" loading=\"lazy\"><figcaption>{n}</figcaption></figure>"
            ));
        }
    }
    html.push_str("</body></html>\n");
    std::fs::write(dir.join("index.html"), html).expect("write the gallery index");
}
