//! What a browser test signs in to: Postern, the example portal registered as four kinds of
//! client (first-party, third-party, two-factor, business), a bare client that takes
//! `form_post` responses, and a fixture endpoint through which the Node side makes users
//! and imported legacy accounts, and moves the server's clock. Everything listens on
//! loopback ports of its own.

use std::{path::Path, sync::Arc};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{RawQuery, State},
    response::Html,
    routing::{get, post},
};
use postern_tests::*;
use serde::Deserialize;
use serde_json::{Value, json};

pub struct World {
    server: Arc<TestServer>,
    relying_parties: Value,
    fixture_url: String,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for World {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn listen() -> (tokio::net::TcpListener, String) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", l.local_addr().expect("local addr"));
    (l, url)
}

fn serve(listener: tokio::net::TcpListener, app: Router) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    })
}

/// The portal as client `id`, on a port of its own.
async fn portal(
    s: &TestServer,
    id: &str,
    adjust: impl FnOnce(&mut ClientSpec),
) -> (String, tokio::task::JoinHandle<()>) {
    let (listener, base) = listen().await;
    let mut spec = ClientSpec::confidential(id);
    spec.redirect_uris = vec![format!("{base}/callback")];
    spec.post_logout_redirect_uris = vec![format!("{base}/")];
    spec.launch_url = Some(format!("{base}/"));
    adjust(&mut spec);
    let secret = spec.secret.clone().expect("a confidential client");
    // A business service asks whom the user acts for.
    let mut scopes: Vec<String> = portal::DEFAULT_SCOPES
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if spec.org_mode == idp::storage::OrgMode::Business {
        scopes.push("org".into());
    }
    s.client(spec).await;
    let app = portal::app(portal::Settings {
        issuer: s.url.clone(),
        client_id: id.into(),
        client_secret: secret,
        base_url: base.clone(),
        scopes,
    })
    .await
    .expect("the portal discovers the server");
    (base, serve(listener, app))
}

/// A client that shows what reached its redirect URI, by GET or by POST (`form_post`).
async fn echo(s: &TestServer) -> (Value, tokio::task::JoinHandle<()>) {
    let (listener, base) = listen().await;
    let mut spec = ClientSpec::confidential("echo");
    spec.redirect_uris = vec![format!("{base}/callback")];
    let secret = spec.secret.clone();
    s.client(spec).await;
    fn page(params: Vec<(String, String)>) -> Html<String> {
        let items: String = params
            .iter()
            .map(|(k, v)| format!("<dt>{k}</dt><dd id=\"{k}\">{v}</dd>"))
            .collect();
        Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Echo</title></head>\
             <body><main><h1>Received</h1><dl>{items}</dl></main></body></html>"
        ))
    }
    let app = Router::new().route(
        "/callback",
        get(|RawQuery(q): RawQuery| async move {
            page(serde_urlencoded::from_str(&q.unwrap_or_default()).unwrap_or_default())
        })
        .post(|body: Bytes| async move {
            page(serde_urlencoded::from_bytes(&body).unwrap_or_default())
        }),
    );
    let info = json!({
        "client_id": "echo",
        "client_secret": secret,
        "redirect_uri": format!("{base}/callback"),
    });
    (info, serve(listener, app))
}

#[derive(Deserialize)]
struct NewUserRequest {
    email: String,
    #[serde(default)]
    phone: Option<String>,
}

/// `POST /users {email, phone?}`: an account with [`PASSWORD`] and, unless `phone` is
/// null, a verified mobile number.
async fn make_user(State(s): State<Arc<TestServer>>, Json(r): Json<NewUserRequest>) -> Json<Value> {
    let phone = r.phone.unwrap_or_else(|| "+41791234567".into());
    let user = idp::accounts::create_user(
        &s.state,
        idp::accounts::NewUser {
            email: r.email.clone(),
            password: idp::crypto::Secret::new(PASSWORD),
            given_name: Some("Anna".into()),
            family_name: Some("Muster".into()),
            phone: (!phone.is_empty()).then_some(phone.clone()),
        },
    )
    .await
    .expect("create user");
    Json(json!({"id": user.id, "email": user.email, "password": PASSWORD, "phone": phone}))
}

#[derive(Deserialize)]
struct LegacyRequest {
    username: String,
    #[serde(default)]
    email: Option<String>,
}

/// `POST /legacy {username, email?}`: imports an account of the old `parcels` service
/// whose address (if any) the old service never confirmed, with the fixture's bcrypt hash
/// (made by Python's bcrypt); returns its password.
async fn make_legacy(
    State(s): State<Arc<TestServer>>,
    Json(r): Json<LegacyRequest>,
) -> Json<Value> {
    let fixture: Value =
        serde_json::from_str(include_str!("../fixtures/legacy_hashes.json")).expect("fixture");
    let line = json!({
        "service": "parcels", "username": r.username, "email": r.email,
        "email_verified": false, "password_hash": fixture["hashes"][0]["hash"],
    });
    let summary = idp::legacy::import::run(
        &s.state,
        format!("{line}\n").as_bytes(),
        |n, why| panic!("line {n}: {why}"),
        |_| {},
    )
    .await
    .expect("import");
    assert_eq!(summary.rejected, 0);
    Json(json!({"username": r.username, "password": fixture["password"]}))
}

#[derive(Deserialize)]
struct ClockRequest {
    #[serde(default)]
    advance: i64,
}

/// `POST /clock {advance}`: moves the server's clock on by `advance` seconds; returns now.
async fn clock(State(s): State<Arc<TestServer>>, Json(r): Json<ClockRequest>) -> Json<Value> {
    s.clock.advance(r.advance);
    Json(json!({"now": s.state.now()}))
}

impl World {
    pub async fn start() -> World {
        World::start_with(|_| {}).await
    }

    /// The world with a demo operator's look (`tests/fixtures/theme/theme.toml`, the file
    /// the README shows): name, logo, colours, footer links and a message override.
    pub async fn themed() -> World {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let file = root.join("tests/fixtures/theme/theme.toml");
        use figment::providers::{Format, Toml};
        let mut ui: idp::config::UiSettings = figment::Figment::from(Toml::file(&file))
            .extract_inner("ui")
            .expect("the demo theme parses");
        // Its paths are relative to the repository root, where the README runs it.
        for path in [&mut ui.logo, &mut ui.messages_dir] {
            *path = root.join(&*path).display().to_string();
        }
        World::start_with(move |c| c.ui = ui).await
    }

    async fn start_with(adjust: impl FnOnce(&mut idp::Config)) -> World {
        let server = Arc::new(
            spawn_localhost_with(|c| {
                adjust(c);
                // One browser signs in many times a minute from 127.0.0.1.
                c.rate_limit.sign_in_per_ip = 10_000;
                c.rate_limit.code_per_ip = 10_000;
                c.rate_limit.registration_per_ip = 10_000;
                c.rate_limit.recovery_per_ip = 10_000;
                c.rate_limit.password_check_per_ip = 10_000;
                c.rate_limit.device_code_per_ip = 10_000;
                // A device (played by Node) polls every second rather than every five.
                c.device.interval = std::time::Duration::from_secs(1);
                // The services' logo servers run on this machine, as in development.
                c.clients.logo_uri_loopback = true;
                // Mid-migration: the identifier page also takes old usernames.
                let parcels = idp::config::LegacyService {
                    name: "Parcel tracking".into(),
                    client_id: String::new(),
                };
                c.migration.services.insert("parcels".into(), parcels);
            })
            .await,
        );
        let s = &server;
        let mut tasks = Vec::new();
        let mut rps = serde_json::Map::new();
        for (name, adjust) in [
            ("portal", (|_: &mut ClientSpec| {}) as fn(&mut ClientSpec)),
            ("partner", |c| c.first_party = false),
            ("secure", |c| {
                c.min_acr = Some(idp::model::Acr::TwoFactor.as_str().into())
            }),
            ("biz", |c| c.org_mode = idp::storage::OrgMode::Business),
            ("verified", |c| c.require_verified = true),
        ] {
            let (url, task) = portal(s, name, adjust).await;
            rps.insert(name.into(), json!(url));
            tasks.push(task);
        }
        let (echo_info, task) = echo(s).await;
        tasks.push(task);
        let mut ops = ClientSpec::confidential("ops");
        ops.grant_types = vec!["client_credentials".into()];
        ops.redirect_uris = vec![];
        ops.scopes = vec!["admin".into()];
        let ops_secret = ops.secret.clone();
        s.client(ops).await;
        // A device: public, the device grant only (RFC 8628).
        let mut tv = ClientSpec::confidential("tv");
        tv.public = true;
        tv.secret = None;
        tv.redirect_uris = vec![];
        tv.grant_types = vec![idp::model::oauth::GRANT_DEVICE_CODE.into()];
        s.client(tv).await;
        let (listener, fixture_url) = listen().await;
        tasks.push(serve(
            listener,
            Router::new()
                .route("/users", post(make_user))
                .route("/clock", post(clock))
                .route("/legacy", post(make_legacy))
                .with_state(server.clone()),
        ));
        rps.insert("echo".into(), echo_info);
        rps.insert(
            "ops".into(),
            json!({"client_id": "ops", "client_secret": ops_secret}),
        );
        rps.insert("tv".into(), json!({"client_id": "tv"}));
        World {
            server,
            relying_parties: Value::Object(rps),
            fixture_url,
            tasks,
        }
    }

    /// What the Node side is told (`POSTERN_BROWSER_FIXTURE`).
    pub fn fixture(&self, lang: &str, chromium: &str, screenshots: &Path) -> Value {
        json!({
            "issuer": self.server.url,
            "lang": lang,
            "chromium": chromium,
            "screenshots": screenshots,
            "outbox": self.server.dir.path().join("outbox").join("outbox.jsonl"),
            "fixture": self.fixture_url,
            "clients": self.relying_parties,
            "password": PASSWORD,
        })
    }
}
