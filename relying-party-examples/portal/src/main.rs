//! `cargo run -p portal`: the example portal on `PORTAL_LISTEN` (127.0.0.1:9090).

use std::net::SocketAddr;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let settings = portal::Settings::from_env();
    let listen: SocketAddr = portal::env("PORTAL_LISTEN", "127.0.0.1:9090").parse()?;
    tracing::info!(
        "portal on {}, signing in with {}",
        settings.base_url,
        settings.issuer
    );
    let app = portal::app(settings).await?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
