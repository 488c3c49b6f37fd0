//! `cargo run -p cli`: sign in from the terminal, then `userinfo`, `refresh`, `logout`.

use clap::Parser;
use postern_cli::{App, DEFAULT_SCOPES, Settings};
use tokio::io::{AsyncBufReadExt, BufReader};

/// Signs in with Postern through the browser and a loopback redirect (RFC 8252).
#[derive(Parser)]
struct Args {
    /// The provider.
    #[arg(long, env = "POSTERN_ISSUER", default_value = "http://127.0.0.1:8080")]
    issuer: String,
    /// The app's client id (a public client registered with `http://127.0.0.1/callback`).
    #[arg(long, env = "POSTERN_CLIENT_ID", default_value = "demo-cli")]
    client_id: String,
    /// Scopes besides `openid`, space-separated.
    #[arg(long, default_value = DEFAULT_SCOPES)]
    scopes: String,
    /// Open the authorization URL in the system's browser instead of only printing it.
    #[arg(long)]
    open: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args = Args::parse();
    let mut app = App::discover(Settings {
        issuer: args.issuer,
        client_id: args.client_id,
        scopes: args.scopes.split_whitespace().map(str::to_owned).collect(),
    })
    .await?;
    let sign_in = app.begin_sign_in().await?;
    println!(
        "Open this address in your browser to sign in:\n\n  {}\n",
        sign_in.url
    );
    if args.open {
        open_browser(sign_in.url.as_str());
    }
    let tokens = app.finish_sign_in(sign_in).await?;
    println!("Signed in. ID token claims:\n{}", pretty(&tokens.claims));
    println!("\nCommands: userinfo, refresh, logout (also on end of input).");
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        match line.trim() {
            "userinfo" => match app.userinfo().await {
                Ok(info) => println!("{}", pretty(&info)),
                Err(e) => eprintln!("{e}"),
            },
            "refresh" => match app.refresh().await {
                Ok(t) => println!("Refreshed; the ID token now says:\n{}", pretty(&t.claims)),
                Err(e) => eprintln!("{e}"),
            },
            "logout" | "quit" | "exit" => break,
            "" => {}
            other => eprintln!("unknown command {other:?}: userinfo, refresh or logout"),
        }
    }
    app.log_out().await?;
    println!("Logged out: the refresh token is revoked and every token forgotten.");
    Ok(())
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Best effort: the URL is printed anyway.
fn open_browser(url: &str) {
    let status = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).status()
    } else if cfg!(windows) {
        // Not `cmd /C start`: cmd would read the `&` between query parameters as its own.
        std::process::Command::new("rundll32")
            .args(["url.dll,FileProtocolHandler", url])
            .status()
    } else {
        std::process::Command::new("xdg-open").arg(url).status()
    };
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("(could not open a browser; open the address above yourself)");
    }
}
