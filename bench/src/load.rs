//! Loads the standard generator cannot make: whole flows (closed loop, N browsers at once)
//! and a fixed request rate (open loop, latency counted from when a request was due, so a
//! slow answer is not hidden by the requests it delayed).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{Client, Method};
use serde::Serialize;

use crate::http::{self, Browser, Error, Target};

/// One row of the results: what was loaded and how it went.
#[derive(Debug, Serialize, serde::Deserialize, Clone)]
pub struct Measurement {
    pub target: String,
    pub name: String,
    /// `req/s`, `flows/s` or `hashes/s`.
    pub unit: String,
    pub rate: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub errors: u64,
    pub count: u64,
    #[serde(default)]
    pub note: String,
}

#[derive(Default)]
pub struct Recorder {
    latencies_us: Mutex<Vec<u32>>,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl Recorder {
    pub fn ok(&self, started: Instant) {
        let us = started.elapsed().as_micros().min(u32::MAX as u128) as u32;
        self.latencies_us.lock().unwrap().push(us);
    }

    pub fn err(&self, e: &Error) {
        if self.errors.fetch_add(1, Ordering::Relaxed) == 0 {
            *self.first_error.lock().unwrap() = Some(e.to_string());
        }
    }

    pub fn finish(&self, target: &str, name: &str, unit: &str, elapsed: Duration) -> Measurement {
        let mut l = std::mem::take(&mut *self.latencies_us.lock().unwrap());
        l.sort_unstable();
        let pct = |p: f64| {
            (!l.is_empty()).then(|| {
                let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
                l[i] as f64 / 1000.0
            })
        };
        let errors = self.errors.load(Ordering::Relaxed);
        if let Some(e) = self.first_error.lock().unwrap().take() {
            eprintln!("{target} {name}: {errors} errors, the first: {e}");
        }
        Measurement {
            target: target.into(),
            name: name.into(),
            unit: unit.into(),
            rate: l.len() as f64 / elapsed.as_secs_f64(),
            p50_ms: pct(0.50),
            p99_ms: pct(0.99),
            errors,
            count: l.len() as u64,
            note: String::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FlowKind {
    /// A signed-in browser: authorize → code → token, the sign-in done once beforehand.
    SignedIn,
    /// A whole password sign-in each time: authorize → email → password → code.
    SignIn,
    /// Refresh token rotation chains, one per connection.
    Refresh,
}

/// Runs `connections` browsers for `duration` and measures each flow.
pub async fn flows(
    target: Target,
    kind: FlowKind,
    connections: usize,
    duration: Duration,
) -> Result<(Recorder, Duration), Error> {
    let http = http::client(connections);
    let rec = Arc::new(Recorder::default());
    // A sign-in to a web service asks for who the user is; only refresh chains need
    // offline_access (and, with oidc-provider, prompt=consent to get it).
    let mut target = target;
    if kind != FlowKind::Refresh {
        target.scope = target
            .scope
            .split(' ')
            .filter(|s| *s != "offline_access")
            .collect::<Vec<_>>()
            .join(" ");
    }
    let target = Arc::new(target);
    // Set-up (not measured): each browser signs in once; refresh chains get their first token.
    let mut browsers = Vec::new();
    for n in 0..connections {
        let http = http.clone();
        let target = target.clone();
        browsers.push(tokio::spawn(async move {
            let mut b = Browser::numbered(&http, &target, n);
            let mut refresh = None;
            if kind != FlowKind::SignIn {
                let p = http::pkce();
                let prompt = (kind == FlowKind::Refresh).then_some("consent");
                let code = b.authorize(&p, prompt).await?;
                let t = b.exchange(&code, &p).await?;
                if kind == FlowKind::Refresh {
                    refresh = Some(t.refresh_token.ok_or("no refresh token was issued")?);
                }
            }
            Ok::<_, Error>((b.jar, refresh))
        }));
    }
    let mut states = Vec::new();
    for b in browsers {
        states.push(b.await??);
    }
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for (n, (jar, mut refresh)) in states.into_iter().enumerate() {
        let http = http.clone();
        let target = target.clone();
        let rec = rec.clone();
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let mut b = Browser::numbered(&http, &target, n);
                if kind != FlowKind::SignIn {
                    b.jar = jar.clone();
                }
                let outcome: Result<(), Error> = async {
                    match kind {
                        FlowKind::Refresh => {
                            let rt = refresh.as_deref().ok_or("the chain broke")?;
                            let t = b.refresh(rt).await?;
                            refresh = Some(t.refresh_token.ok_or("no new refresh token")?);
                        }
                        FlowKind::SignedIn => {
                            let p = http::pkce();
                            let code = b.authorize(&p, None).await?;
                            b.exchange(&code, &p).await?;
                        }
                        FlowKind::SignIn => {
                            let p = http::pkce();
                            b.authorize(&p, None).await?;
                        }
                    }
                    Ok(())
                }
                .await;
                match outcome {
                    Ok(()) => rec.ok(t0),
                    Err(e) => {
                        rec.err(&e);
                        if kind == FlowKind::Refresh {
                            // A broken chain cannot continue.
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = start.elapsed();
    let rec = Arc::try_unwrap(rec).map_err(|_| "recorder still shared")?;
    Ok((rec, elapsed))
}

/// A request sent again and again at a fixed rate.
#[derive(Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// Sends `make(i)` at `rate` per second for `duration` whatever the answers take (open loop).
pub async fn fixed_rate(
    make: impl Fn(u64) -> Request,
    rate: f64,
    duration: Duration,
) -> Result<(Recorder, Duration), Error> {
    let http: Client = http::client(512);
    let rec = Arc::new(Recorder::default());
    let interval = Duration::from_secs_f64(1.0 / rate);
    let total = (rate * duration.as_secs_f64()) as u64;
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(due.into()).await;
        let http = http.clone();
        let req = make(i);
        let rec = rec.clone();
        tasks.push(tokio::spawn(async move {
            // Timed from dispatch: the timer wakes the scheduler up to a millisecond late,
            // which is the loader's delay, not the server's.
            let sent = Instant::now();
            let mut r = http.request(req.method, &req.url);
            for (k, v) in &req.headers {
                r = r.header(k, v);
            }
            if let Some(b) = req.body {
                r = r.body(b);
            }
            match r.send().await {
                Ok(resp) if resp.status().is_success() => match resp.bytes().await {
                    Ok(_) => rec.ok(sent),
                    Err(e) => rec.err(&e.into()),
                },
                Ok(resp) => rec.err(&format!("status {}", resp.status()).into()),
                Err(e) => rec.err(&e.into()),
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = start.elapsed();
    let rec = Arc::try_unwrap(rec).map_err(|_| "recorder still shared")?;
    Ok((rec, elapsed))
}
