//! Test support: a Postern server on port 0 with storage of its own, and a browser that
//! keeps cookies and fills in Postern's forms.
//!
//! The backend is chosen by the environment, so the same tests run on every store:
//! - default: a SQLite file in a temporary directory and the in-process ephemeral store;
//! - `POSTERN_TEST_BACKEND=postgres`: a fresh PostgreSQL database per server (created
//!   through [`pg_url`]) and Redis ([`redis_url`]) with a fresh key prefix per server.
//!
//! PostgreSQL and Redis are the configured or local servers, or throwaway ones this test
//! process starts when none answers ([`servers`]); what the tests make on a server that
//! outlives them is removed ([`leftovers`]).

use std::{collections::HashMap, sync::Arc, time::Duration};

use idp::{
    AppState, Config,
    accounts::{self, NewUser},
    admin::clients::{NewClient, create_client},
    config::Profile,
    crypto::Secret,
    protocol::types::{AccessTokenFormat, SigningAlg},
    state::OffsetClock,
    storage::User,
};
use tempfile::TempDir;

pub use reqwest;

pub mod backchannel;
mod browser;
pub mod leftovers;
mod lifetime;
pub mod servers;
pub use browser::*;
pub mod client_keys;
pub mod dpop;
pub mod logos;
pub mod redis_topologies;

pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub clock: Arc<OffsetClock>,
    pub dir: Arc<TempDir>,
    task: tokio::task::JoinHandle<()>,
    /// The back-channel logout sender, which every serving node runs.
    sender: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
        self.sender.abort();
    }
}

/// PostgreSQL for tests: `POSTERN_PG_URL`; by default the local server of the dev machines,
/// or a throwaway one when that does not answer.
pub fn pg_url() -> String {
    servers::postgres().url.clone()
}

/// Redis for tests: `POSTERN_REDIS_URL`; by default the local server, or a throwaway one
/// when that does not answer.
pub fn redis_url() -> String {
    let server = servers::redis();
    if !server.throwaway {
        leftovers::watch_redis(&server.url);
    }
    server.url.clone()
}

/// True when the suite runs on PostgreSQL and Redis.
pub fn on_postgres() -> bool {
    std::env::var("POSTERN_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// A new, empty PostgreSQL database; returns its URL. On a server that outlives the tests
/// it is dropped when this process exits.
pub async fn fresh_pg_database() -> String {
    pg_database_url(&create_pg_database(None).await)
}

/// A new PostgreSQL database with every migration applied; returns its URL. It is a copy
/// of a template this process migrates once: running all the migrations for each test
/// server cost about 0.6 s a test, half the end-to-end suite's time on PostgreSQL. (A
/// server still runs the migrations at start, and finds nothing to do.)
pub async fn migrated_pg_database() -> String {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let template = TEMPLATE
        .get_or_init(|| async {
            let name = create_pg_database(None).await;
            let store = idp::storage::sql::SqlStore::connect(&pg_database_url(&name))
                .await
                .expect("connect to the template database");
            store
                .migrate()
                .await
                .expect("migrate the template database");
            // CREATE DATABASE … TEMPLATE refuses a template anyone is connected to. Each test
            // has a runtime of its own, so the pool must not outlive this one either.
            let conn = store.connection().clone();
            drop(store);
            let _ = conn.close().await;
            name
        })
        .await;
    pg_database_url(&create_pg_database(Some(template)).await)
}

/// The URL of database `name` on the tests' PostgreSQL.
fn pg_database_url(name: &str) -> String {
    let mut url = url::Url::parse(&servers::postgres().url).expect("POSTERN_PG_URL is a URL");
    url.set_path(name);
    url.to_string()
}

/// Creates a database (a copy of `template` when given) and returns its name.
async fn create_pg_database(template: Option<&str>) -> String {
    let server = servers::postgres();
    let name = leftovers::fresh_name();
    let admin = sea_orm::Database::connect(server.url.as_str())
        .await
        .expect("connect to PostgreSQL (POSTERN_PG_URL)");
    if !server.throwaway {
        leftovers::watch_postgres(&admin, &server.url).await;
    }
    let create = match template {
        Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
        None => format!("CREATE DATABASE {name}"),
    };
    idp::storage::sql::execute_raw(&admin, &create)
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    name
}

/// A fresh key prefix, so tests sharing one Redis never see each other's keys.
pub fn fresh_redis_prefix() -> String {
    format!("{}:", leftovers::fresh_name())
}

/// A database URL of its own for one test server.
pub async fn fresh_database_url(dir: &TempDir) -> String {
    if on_postgres() {
        migrated_pg_database().await
    } else {
        format!("sqlite://{}/idp.db?mode=rwc", dir.path().display())
    }
}

/// Configuration for a test server: cheap argon2, storage of its own.
pub async fn test_config(dir: &TempDir) -> Config {
    let defaults = Config::default();
    Config {
        profile: Profile::Prod,
        database_url: fresh_database_url(dir).await,
        redis_url: if on_postgres() {
            redis_url()
        } else {
            String::new()
        },
        redis_prefix: fresh_redis_prefix(),
        keys_dir: dir.path().join("keys"),
        outbox_dir: dir.path().join("outbox"),
        // Tests measure behaviour, not hashing cost.
        password: idp::config::Password {
            memory_kib: 1024,
            iterations: 1,
            ..defaults.password.clone()
        },
        ..defaults
    }
}

pub async fn spawn() -> TestServer {
    spawn_with(|_| {}).await
}

/// Starts a server on a free port; `adjust` may change the configuration first.
pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let mut config = test_config(&dir).await;
    adjust(&mut config);
    spawn_config(config, dir).await
}

/// Starts a server with exactly this configuration (its issuer is set to the bound port).
pub async fn spawn_config(config: Config, dir: Arc<TempDir>) -> TestServer {
    spawn_node(config, dir, None).await
}

/// A server whose issuer is `http://localhost:<port>`: WebAuthn needs a domain name, which
/// an IP address is not.
pub async fn spawn_localhost() -> TestServer {
    spawn_localhost_with(|_| {}).await
}

/// [`spawn_localhost`] with the configuration adjusted first.
pub async fn spawn_localhost_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let mut config = test_config(&dir).await;
    adjust(&mut config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    drop(listener);
    // The port is free again; binding it now only races with other tests' port-0 binds, which
    // the kernel does not hand out while in use.
    config.listen = format!("127.0.0.1:{port}");
    spawn_bound(config, dir, format!("http://localhost:{port}")).await
}

async fn spawn_bound(mut config: Config, dir: Arc<TempDir>, issuer: String) -> TestServer {
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .expect("bind");
    config.issuer = issuer.clone();
    let clock = Arc::new(OffsetClock::default());
    let state = AppState::build(config, clock.clone())
        .await
        .expect("server state");
    let app = idp::app(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum_serve(listener, app).await;
    });
    TestServer {
        url: issuer,
        sender: idp::backchannel::spawn_sender(&state),
        state,
        clock,
        dir,
        task,
    }
}

impl TestServer {
    /// Stops this server and starts it again on the same address, database, keys and
    /// configuration: what a node restart looks like to its clients.
    pub async fn restart(self) -> TestServer {
        let config = (*self.state.config).clone();
        let issuer = self.url.clone();
        let dir = self.dir.clone();
        drop(self);
        // The aborted server lets go of its port when its task is dropped, soon after.
        for _ in 0..250 {
            if std::net::TcpListener::bind(&config.listen).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        spawn_bound(config, dir, issuer).await
    }
}

/// Starts one node. Nodes of one deployment share `issuer` (the load balancer's URL, here
/// the first node's) while each listens on its own port.
pub async fn spawn_node(mut config: Config, dir: Arc<TempDir>, issuer: Option<&str>) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    config.issuer = issuer.map_or_else(|| format!("http://{addr}"), str::to_owned);
    config.listen = addr.to_string();
    let clock = Arc::new(OffsetClock::default());
    let state = AppState::build(config, clock.clone())
        .await
        .expect("server state");
    let app = idp::app(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum_serve(listener, app).await;
    });
    TestServer {
        url: format!("http://{addr}"),
        sender: idp::backchannel::spawn_sender(&state),
        state,
        clock,
        dir,
        task,
    }
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    app: idp::http::Router,
) -> std::io::Result<()> {
    idp::http::serve(listener, app).await
}

/// What `TestServer::client` registers.
pub struct ClientSpec {
    pub client_id: String,
    pub secret: Option<String>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub public: bool,
    pub first_party: bool,
    pub grant_types: Vec<String>,
    pub id_token_alg: Option<SigningAlg>,
    pub opaque: bool,
    pub min_acr: Option<String>,
    pub org_mode: idp::storage::OrgMode,
    /// Scopes beyond the standard ones.
    pub scopes: Vec<String>,
    pub description: Option<String>,
    pub launch_url: Option<String>,
    pub require_verified: bool,
    /// A private_key_jwt client's keys (with `secret: None`).
    pub keys: Option<idp::storage::ClientKeys>,
    /// Where it receives logout tokens.
    pub backchannel_logout_uri: Option<String>,
    pub backchannel_logout_session_required: bool,
    /// Authorization requests only through `/par`.
    pub require_par: bool,
    /// Token requests must carry a DPoP proof.
    pub dpop_bound: bool,
    /// `fapi2` holds it to the FAPI 2.0 Security Profile.
    pub profile: idp::protocol::types::ClientProfile,
}

impl ClientSpec {
    /// A first-party confidential client with code + refresh and redirect `https://rp.test/cb`.
    pub fn confidential(id: &str) -> ClientSpec {
        ClientSpec {
            client_id: id.into(),
            secret: Some(format!("{id}-secret-0123456789abcdef")),
            redirect_uris: vec!["https://rp.test/cb".into()],
            post_logout_redirect_uris: vec!["https://rp.test/bye".into()],
            public: false,
            first_party: true,
            grant_types: vec![],
            id_token_alg: None,
            opaque: false,
            min_acr: None,
            org_mode: Default::default(),
            scopes: vec!["parcels:read".into(), "org".into()],
            description: None,
            launch_url: None,
            require_verified: false,
            keys: None,
            backchannel_logout_uri: None,
            backchannel_logout_session_required: false,
            require_par: false,
            dpop_bound: false,
            profile: Default::default(),
        }
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

impl TestServer {
    pub async fn client(&self, spec: ClientSpec) {
        create_client(
            &self.state,
            NewClient {
                client_id: spec.client_id,
                names: Default::default(),
                logo_uris: Default::default(),
                secret: spec.secret.map(Secret::new),
                redirect_uris: spec.redirect_uris,
                post_logout_redirect_uris: spec.post_logout_redirect_uris,
                public: spec.public,
                first_party: spec.first_party,
                grant_types: spec.grant_types,
                extra_scopes: spec.scopes,
                id_token_alg: spec.id_token_alg,
                min_acr: spec.min_acr,
                org_mode: spec.org_mode,
                description: spec.description,
                launch_url: spec.launch_url,
                require_verified: spec.require_verified,
                auth_method: None,
                keys: spec.keys,
                require_par: spec.require_par,
                request_object_alg: None,
                dpop_bound: spec.dpop_bound,
                profile: spec.profile,
                backchannel_logout: spec.backchannel_logout_uri.map(|uri| {
                    idp::storage::BackchannelLogout {
                        uri,
                        session_required: spec.backchannel_logout_session_required,
                    }
                }),
                access_token_format: if spec.opaque {
                    AccessTokenFormat::Opaque
                } else {
                    AccessTokenFormat::Jwt
                },
            },
            &idp::audit::Actor::CommandLine,
            None,
        )
        .await
        .expect("create client");
    }

    /// A user with password [`PASSWORD`].
    pub async fn user(&self, email: &str) -> User {
        accounts::create_user(
            &self.state,
            NewUser {
                email: email.into(),
                password: Secret::new(PASSWORD),
                given_name: Some("Anna".into()),
                family_name: Some("Muster".into()),
                phone: Some("+41791234567".into()),
            },
        )
        .await
        .expect("create user")
    }
}

/// The page behind a step-up: when `html` is the factor page asking for an SMS code, the
/// newest code sent to `phone` is entered and the page it leads to returned.
pub async fn pass_sms_step_up(s: &TestServer, b: &Browser, html: String, phone: &str) -> String {
    if !html.contains("action=\"/login/factor/verify\"") || !html.contains("value=\"sms\"") {
        return html;
    }
    let mut form = form_for(&html, "/login/factor/verify", Some("sms"));
    form.set("code", &last_sms_code(s, phone));
    match b.submit(&s.url, &form).await {
        Landing::Page(_, html) => html,
        other => panic!("the page behind the step-up, got {other:?}"),
    }
}

/// The query parameters of a redirect to a client.
pub fn query(url: &url::Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

/// Waits until `f` is true, for things that settle asynchronously.
pub async fn eventually(mut f: impl FnMut() -> bool) {
    for _ in 0..50 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("condition not reached");
}

/// The server's discovery document.
pub async fn discovery(s: &TestServer) -> serde_json::Value {
    reqwest::get(format!("{}/.well-known/openid-configuration", s.url))
        .await
        .expect("discovery answers")
        .json()
        .await
        .expect("discovery is JSON")
}

/// The management API's OpenAPI document.
pub async fn openapi_document(s: &TestServer) -> serde_json::Value {
    reqwest::get(format!("{}/admin/api/openapi.json", s.url))
        .await
        .expect("the document answers")
        .json()
        .await
        .expect("the document is JSON")
}

/// The claims of a JWT, unverified: for asserting what a token carries.
pub fn jwt_payload(jwt: &str) -> serde_json::Value {
    jwt_part(jwt, 1)
}

/// The header of a JWT (`kid`, `typ`, `alg`).
pub fn jwt_header(jwt: &str) -> serde_json::Value {
    jwt_part(jwt, 0)
}

fn jwt_part(jwt: &str, n: usize) -> serde_json::Value {
    use base64::Engine;
    let part = jwt.split('.').nth(n).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// The UserInfo answer for `access_token`, as JSON.
pub async fn userinfo(s: &TestServer, access_token: &str) -> serde_json::Value {
    reqwest::Client::new()
        .get(format!("{}/userinfo", s.url))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The Prometheus exposition of `s`, read as a scraper does from the metrics listener
/// (`metrics.listen`; `/metrics` is not public on the main one).
pub async fn scrape_metrics(s: &TestServer) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let app = idp::http::metrics_app(s.state.clone());
    let task = tokio::spawn(async move { idp::http::serve(listener, app).await });
    let text = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("scrape")
        .text()
        .await
        .expect("exposition");
    task.abort();
    text
}
