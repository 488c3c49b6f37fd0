//! `pbench`: the parts of `bench/run` that wrk cannot do. Each measuring command appends one
//! JSON line to `--out`; `report` turns those lines into the results table.
#![forbid(unsafe_code)]

use std::{path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand};
use reqwest::Method;
use url::Url;

mod compare;
mod http;
mod load;
mod report;
mod seed;

use http::{Error, Target};
use load::{FlowKind, Measurement, Request};

#[derive(Parser)]
#[command(name = "pbench", about = "Postern's benchmark driver")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct TargetArgs {
    /// Base URL of the provider (its issuer).
    #[arg(long)]
    base: Url,
    #[arg(long, default_value = "/authorize")]
    authorize_path: String,
    #[arg(long, default_value = "/token")]
    token_path: String,
    #[arg(long)]
    client_id: String,
    #[arg(long)]
    client_secret: String,
    #[arg(long)]
    redirect_uri: String,
    #[arg(long, default_value = "")]
    email: String,
    #[arg(long, default_value = "")]
    password: String,
    #[arg(long, default_value = "openid profile email offline_access")]
    scope: String,
}

impl TargetArgs {
    fn target(&self) -> Target {
        Target {
            base: self.base.clone(),
            authorize_path: self.authorize_path.clone(),
            token_path: self.token_path.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            redirect_uri: self.redirect_uri.clone(),
            email: self.email.clone(),
            password: self.password.clone(),
            scope: self.scope.clone(),
        }
    }
}

#[derive(Args)]
struct Output {
    /// Which provider this is, for the table (`postern`, `reference`).
    #[arg(long)]
    label: String,
    /// The row's name.
    #[arg(long)]
    name: String,
    /// JSON lines file to append the measurement to.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Whole flows from many browsers at once (closed loop).
    Flow {
        #[command(flatten)]
        target: TargetArgs,
        #[command(flatten)]
        output: Output,
        #[arg(long, value_enum)]
        kind: FlowKind,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Prints an access token from a signed-in authorization code flow (for userinfo loads).
    Token {
        #[command(flatten)]
        target: TargetArgs,
    },
    /// One request at a fixed rate (open loop): latency at a given load.
    Rate {
        #[command(flatten)]
        output: Output,
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "GET")]
        method: Method,
        /// `Name: value`, repeatable.
        #[arg(long = "header")]
        headers: Vec<String>,
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        rate: f64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// argon2id hashes per second on one thread with the given parameters.
    Argon2 {
        #[command(flatten)]
        output: Output,
        #[arg(long, default_value_t = 19456)]
        memory_kib: u32,
        #[arg(long, default_value_t = 2)]
        iterations: u32,
        #[arg(long, default_value_t = 1)]
        parallelism: u32,
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Writes `--users` users, each with an active grant and a refresh token, into the
    /// SQLite file (schema made by `idp migrate`).
    Seed {
        #[arg(long)]
        db: String,
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        users: u64,
        #[arg(long)]
        salt: String,
    },
    /// Token (refresh) and userinfo latency at a fixed rate over seeded data.
    Scale {
        #[command(flatten)]
        target: TargetArgs,
        #[command(flatten)]
        output: Output,
        /// Seeded users (refresh tokens are picked among them at random).
        #[arg(long)]
        users: u64,
        #[arg(long)]
        salt: String,
        #[arg(long)]
        rate: f64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Adds a measurement given on the command line (idle memory, wrk results).
    Record {
        #[command(flatten)]
        output: Output,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        rate: f64,
        #[arg(long)]
        p50_ms: Option<f64>,
        #[arg(long)]
        p99_ms: Option<f64>,
        #[arg(long, default_value_t = 0)]
        errors: u64,
        #[arg(long, default_value_t = 0)]
        count: u64,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// What changed against earlier results (`bench/results.md` as last committed):
    /// prints nothing when the earlier file has no table.
    Compare {
        #[arg(long)]
        previous: PathBuf,
        #[arg(long)]
        current: PathBuf,
    },
    /// Turns the JSON lines into the Markdown results.
    Report {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        machine: String,
        #[arg(long)]
        command: String,
    },
}

fn append(out: &PathBuf, m: &Measurement) -> Result<(), Error> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out)?;
    writeln!(f, "{}", serde_json::to_string(m)?)?;
    let fmt = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.2} ms"));
    eprintln!(
        "{:<10} {:<28} {:>10.0} {:<9} p50 {:>9} p99 {:>9} errors {}",
        m.target,
        m.name,
        m.rate,
        m.unit,
        fmt(m.p50_ms),
        fmt(m.p99_ms),
        m.errors
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    match Cli::parse().command {
        Command::Flow {
            target,
            output,
            kind,
            connections,
            seconds,
        } => {
            let (rec, elapsed) = load::flows(
                target.target(),
                kind,
                connections,
                Duration::from_secs(seconds),
            )
            .await?;
            let m = rec.finish(&output.label, &output.name, "flows/s", elapsed);
            append(&output.out, &m)?;
        }
        Command::Token { target } => {
            let t = target.target();
            let http = http::client(1);
            let mut b = http::Browser::new(&http, &t);
            let p = http::pkce();
            let code = b.authorize(&p, None).await?;
            println!("{}", b.exchange(&code, &p).await?.access_token);
        }
        Command::Rate {
            output,
            url,
            method,
            headers,
            body,
            rate,
            seconds,
            note,
        } => {
            let headers = headers
                .iter()
                .map(|h| {
                    let (k, v) = h.split_once(':').ok_or("a header is Name: value")?;
                    Ok((k.trim().to_owned(), v.trim().to_owned()))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            let req = Request {
                method,
                url,
                headers,
                body,
            };
            let (rec, elapsed) =
                load::fixed_rate(move |_| req.clone(), rate, Duration::from_secs(seconds)).await?;
            let mut m = rec.finish(&output.label, &output.name, "req/s", elapsed);
            m.note = note;
            append(&output.out, &m)?;
        }
        Command::Argon2 {
            output,
            memory_kib,
            iterations,
            parallelism,
            seconds,
        } => {
            let m = argon2_rate(memory_kib, iterations, parallelism, seconds)?;
            let m = Measurement {
                target: output.label,
                name: output.name,
                ..m
            };
            append(&output.out, &m)?;
        }
        Command::Seed {
            db,
            client_id,
            users,
            salt,
        } => seed::seed(&db, &client_id, users, &salt).await?,
        Command::Scale {
            target,
            output,
            users,
            salt,
            rate,
            seconds,
        } => scale(target.target(), output, users, &salt, rate, seconds).await?,
        Command::Record {
            output,
            unit,
            rate,
            p50_ms,
            p99_ms,
            errors,
            count,
            note,
        } => append(
            &output.out,
            &Measurement {
                target: output.label,
                name: output.name,
                unit,
                rate,
                p50_ms,
                p99_ms,
                errors,
                count,
                note,
            },
        )?,
        Command::Report {
            input,
            machine,
            command,
        } => print!("{}", report::render(&input, &machine, &command)?),
        Command::Compare { previous, current } => {
            // No earlier results (a first run, a new checkout): nothing to compare.
            let previous = std::fs::read_to_string(previous).unwrap_or_default();
            let current = std::fs::read_to_string(current)?;
            if let Some(changes) = compare::render(&previous, &current) {
                print!("{changes}");
            }
        }
    }
    Ok(())
}

fn argon2_rate(
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    seconds: u64,
) -> Result<Measurement, Error> {
    use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
    let params =
        Params::new(memory_kib, iterations, parallelism, None).map_err(|e| e.to_string())?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let rec = load::Recorder::default();
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(seconds) {
        let t0 = std::time::Instant::now();
        argon
            .hash_password(b"lantern-harbour-parcel")
            .map_err(|e| e.to_string())?;
        rec.ok(t0);
    }
    Ok(rec.finish("", "", "hashes/s", start.elapsed()))
}

/// Refresh at a fixed rate, each request with another seeded token picked at random, then
/// userinfo at the same rate with access tokens of random users.
async fn scale(
    target: Target,
    output: Output,
    users: u64,
    salt: &str,
    rate: f64,
    seconds: u64,
) -> Result<(), Error> {
    use base64::{Engine, engine::general_purpose::STANDARD};
    use rand::seq::SliceRandom;
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", target.client_id, target.client_secret))
    );
    let token_url = target.base.join(&target.token_path)?.to_string();
    let total = (rate * seconds as f64) as u64;
    // Distinct rows: a refresh token is single-use.
    let mut rows: Vec<u64> = {
        let mut rng = rand::thread_rng();
        let want = (total + 2_000).min(users) as usize;
        rand::seq::index::sample(&mut rng, users as usize, want)
            .into_iter()
            .map(|i| i as u64)
            .collect()
    };
    rows.shuffle(&mut rand::thread_rng());
    // Access tokens of 2,000 random users for the userinfo load.
    let http = http::client(64);
    let browser = http::Browser::new(&http, &target);
    let mut access = Vec::new();
    for &row in rows.iter().take(2_000.min(rows.len() / 2)) {
        access.push(
            browser
                .refresh(&seed::refresh_token(salt, row))
                .await?
                .access_token,
        );
    }
    let rows = std::sync::Arc::new(rows[access.len()..].to_vec());
    let salt = salt.to_owned();
    let refresh = move |i: u64| Request {
        method: Method::POST,
        url: token_url.clone(),
        headers: vec![
            ("authorization".into(), basic.clone()),
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
        ],
        body: Some(format!(
            "grant_type=refresh_token&refresh_token={}",
            seed::refresh_token(&salt, rows[i as usize % rows.len()])
        )),
    };
    let userinfo_url = target.base.join("/userinfo")?.to_string();
    let access = std::sync::Arc::new(access);
    let userinfo = move |i: u64| Request {
        method: Method::GET,
        url: userinfo_url.clone(),
        headers: vec![(
            "authorization".into(),
            format!("Bearer {}", access[i as usize % access.len()]),
        )],
        body: None,
    };
    let duration = Duration::from_secs(seconds);
    for (what, (rec, elapsed)) in [
        ("refresh", load::fixed_rate(refresh, rate, duration).await?),
        (
            "userinfo",
            load::fixed_rate(userinfo, rate, duration).await?,
        ),
    ] {
        let name = format!("{} {what}", output.name);
        append(
            &output.out,
            &rec.finish(&output.label, &name, "req/s", elapsed),
        )?;
    }
    Ok(())
}
