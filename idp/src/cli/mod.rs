//! The `idp` subcommands that administer a deployment from a shell on the server. They
//! call the same use cases (`idp::admin`) as the management API, acting as
//! [`idp::audit::Actor::CommandLine`].

pub mod assurance;
pub mod audit;
pub mod clients;
pub mod import;
pub mod keys;
pub mod users;

/// A fresh deployment on SQLite in `dir`, for the commands' tests.
#[cfg(test)]
async fn test_state(dir: &tempfile::TempDir) -> idp::AppState {
    test_state_with(dir, |_| {}).await
}

/// [`test_state`] with `adjust` applied to its configuration.
#[cfg(test)]
async fn test_state_with(
    dir: &tempfile::TempDir,
    adjust: impl FnOnce(&mut idp::Config),
) -> idp::AppState {
    let mut config = idp::Config {
        profile: idp::config::Profile::Prod,
        database_url: format!("sqlite://{}/idp.db?mode=rwc", dir.path().display()),
        keys_dir: dir.path().join("keys"),
        outbox_dir: dir.path().join("outbox"),
        ..idp::Config::default()
    };
    adjust(&mut config);
    idp::AppState::build(config, std::sync::Arc::new(idp::state::SystemClock))
        .await
        .unwrap()
}
