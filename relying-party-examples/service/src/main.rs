//! `cargo run -p service`: generates the service's key pair, serves its public half on
//! `SERVICE_JWKS_LISTEN`, starts the API on `SERVICE_API_LISTEN`, gets a token by client
//! credentials and calls the API with it; then keeps both listening until Ctrl-C, so the
//! API can be called by hand (`curl -H "Authorization: Bearer …" …/shipments`).

use std::{net::SocketAddr, sync::Arc};

use service::{Provider, Service, ServiceKey, api, http_client};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), service::Error> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let issuer = env("SERVICE_ISSUER", "http://127.0.0.1:8080");
    let client_id = env("SERVICE_CLIENT_ID", "demo-service");
    let jwks_listen: SocketAddr = env("SERVICE_JWKS_LISTEN", "127.0.0.1:9191").parse()?;
    let api_listen: SocketAddr = env("SERVICE_API_LISTEN", "127.0.0.1:9192").parse()?;

    let key = Arc::new(ServiceKey::generate()?);
    let jwks = tokio::net::TcpListener::bind(jwks_listen).await?;
    let keys_app = key.router();
    tokio::spawn(async move { axum::serve(jwks, keys_app).await });
    tracing::info!("public key set on http://{jwks_listen}/jwks");

    let http = http_client()?;
    let provider = Provider::discover(&http, &issuer).await?;
    let api = Arc::new(api::Api::new(
        provider.clone(),
        client_id.clone(),
        client_id.clone(),
        key.clone(),
        http.clone(),
    ));
    let api_socket = tokio::net::TcpListener::bind(api_listen).await?;
    tokio::spawn(async move { axum::serve(api_socket, api::router(api)).await });

    let service = Service {
        client_id,
        key,
        provider,
        http: http.clone(),
    };
    let token = service.token(None).await?;
    println!(
        "access token ({} s): {}",
        token.expires_in.unwrap_or(0),
        token.access_token
    );
    let answer: serde_json::Value = http
        .get(format!("http://{api_listen}/shipments"))
        .bearer_auth(&token.access_token)
        .send()
        .await?
        .json()
        .await?;
    println!(
        "GET /shipments:\n{}",
        serde_json::to_string_pretty(&answer)?
    );
    println!("\nThe API stays up on http://{api_listen}/shipments; Ctrl-C stops it.");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
