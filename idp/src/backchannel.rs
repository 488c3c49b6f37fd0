//! The back-channel logout sender of a serving node (Back-Channel Logout 1.0 §2.5). Ended
//! sessions queue their logout tokens in the database (`authn::session`); every node runs
//! this loop, which claims due deliveries under a lease (so one node sends each one), POSTs
//! the token, and records the outcome: delivered, retried later with growing pauses while
//! the receiver fails or is slow, or given up once `backchannel_logout.retry_for` has passed
//! or the receiver refused the token. A node that stops mid-way leaves its claims to expire,
//! and another node (or itself, restarted) sends them.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::Semaphore;

use crate::{
    audit::{self, Entry, Outcome},
    protocol::logout_token,
    state::AppState,
    storage::{ClaimedDelivery, DeliveryOutcome, StorageResult},
};

/// Deliveries in flight at once on a node, and for one client. Each is sent on a task of
/// its own, and one client's receiver never has more than a few of the slots: a receiver
/// that hangs holds up only its own deliveries, each for at most the timeout. The rest wait
/// in the queue (with no lease) for a free slot.
const IN_FLIGHT: usize = 64;
const PER_CLIENT: usize = 8;

/// Added to the timeout for a lease: enough for the outcome to be written after the answer.
const LEASE_MARGIN: i64 = 30;

/// The first pause after a failed attempt; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: i64 = 5;
const MAX_PAUSE: i64 = 300;

/// How long finished deliveries are kept (to answer "did the logout reach X?").
const KEEP_FINISHED: i64 = 7 * 24 * 3600;
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Starts the sender: it runs when woken (by a logout on this node, or by a finished
/// delivery while every slot was taken) and every `backchannel_logout.poll_interval`. Each
/// round also ends the sessions that have expired, so their services are told too.
pub fn spawn_sender(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let http = match http_client(&state) {
            Ok(h) => h,
            Err(e) => {
                tracing::error!(error = %e, "no HTTP client for back-channel logout");
                return;
            }
        };
        let flight = InFlight::new();
        let mut purged: Option<Instant> = None;
        let mut swept: Option<Instant> = None;
        loop {
            let poll = state.config.backchannel_logout.poll_interval;
            // Once per poll interval, not on every wake: each finished delivery wakes the
            // loop, and the sweep is a query of its own.
            if swept.is_none_or(|at| at.elapsed() >= poll) {
                swept = Some(Instant::now());
                if let Err(e) = crate::authn::session::end_expired(&state).await {
                    tracing::warn!(error = %e, "ending expired sessions failed this round");
                }
            }
            if let Err(e) = send_due(&state, &http, &flight).await {
                tracing::warn!(error = %e, "back-channel logout deliveries failed this round");
            }
            if purged.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                purged = Some(Instant::now());
                let before = state.now() - KEEP_FINISHED;
                if let Err(e) = state.stores.logouts.purge_logouts(before).await {
                    tracing::warn!(error = %e, "purging finished logout deliveries failed");
                }
            }
            tokio::select! {
                () = state.logout_wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    })
}

/// Receivers get no redirects followed (a logout token goes to the registered URI only)
/// and at most the configured time to answer.
fn http_client(state: &AppState) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(state.config.backchannel_logout.timeout)
        .user_agent("Postern back-channel logout")
        .build()
}

/// What a node has in flight: the free slots, and how many deliveries each client has
/// (a client at [`PER_CLIENT`] gets no more until one finishes).
struct InFlight {
    slots: Arc<Semaphore>,
    per_client: Mutex<HashMap<String, usize>>,
}

impl InFlight {
    fn new() -> Arc<InFlight> {
        Arc::new(InFlight {
            slots: Arc::new(Semaphore::new(IN_FLIGHT)),
            per_client: Mutex::new(HashMap::new()),
        })
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.per_client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The clients that may not have more in flight now.
    fn full_clients(&self) -> Vec<String> {
        let counts = self.counts();
        counts
            .iter()
            .filter(|(_, n)| **n >= PER_CLIENT)
            .map(|(c, _)| c.clone())
            .collect()
    }

    fn started(&self, client_id: &str) {
        *self.counts().entry(client_id.to_owned()).or_default() += 1;
    }

    fn finished(&self, client_id: &str) {
        let mut counts = self.counts();
        if let Some(n) = counts.get_mut(client_id) {
            *n -= 1;
            if *n == 0 {
                counts.remove(client_id);
            }
        }
    }
}

/// Claims due deliveries while there are free slots, a few at a time so that no client
/// takes more than [`PER_CLIENT`] of them, and sends each on a task of its own; returns how
/// many were claimed.
async fn send_due(
    state: &AppState,
    http: &reqwest::Client,
    flight: &Arc<InFlight>,
) -> StorageResult<usize> {
    let lease = state.config.backchannel_logout.timeout.as_secs() as i64 + LEASE_MARGIN;
    let mut claimed = 0;
    loop {
        let want = flight.slots.available_permits().min(PER_CLIENT);
        if want == 0 {
            return Ok(claimed);
        }
        let now = state.now();
        let skip = flight.full_clients();
        let claims = state
            .stores
            .logouts
            .claim_logouts(now, now + lease, want as u64, &skip)
            .await?;
        claimed += claims.len();
        let more = claims.len() == want;
        for claim in claims {
            let Ok(slot) = Arc::clone(&flight.slots).acquire_owned().await else {
                return Ok(claimed);
            };
            flight.started(&claim.delivery.client_id);
            let (state, http, flight) = (state.clone(), http.clone(), Arc::clone(flight));
            tokio::spawn(async move {
                if let Err(e) = attempt(&state, &http, &claim).await {
                    tracing::warn!(error = %e, "recording a logout delivery failed");
                }
                flight.finished(&claim.delivery.client_id);
                drop(slot);
                // Something may be waiting for this slot or for this client's turn.
                state.logout_wake.notify_one();
            });
        }
        if !more {
            return Ok(claimed);
        }
    }
}

async fn attempt(
    state: &AppState,
    http: &reqwest::Client,
    claim: &ClaimedDelivery,
) -> StorageResult<()> {
    let d = &claim.delivery;
    let client = state.stores.clients.find_client(&d.client_id).await?;
    // Checked again at sending: a client deleted, disabled or deregistered since the
    // logout gets nothing, nor one registered anew under the id since (someone else's
    // service must not learn of the old one's sessions); the URI is the one registered now.
    let target = client
        .filter(|c| !c.disabled && c.created_at <= d.created_at)
        .and_then(|c| c.backchannel_logout.clone().map(|b| (c, b.uri)));
    let outcome = match target {
        None => DeliveryOutcome::Failed {
            error: "the client no longer receives logout tokens".into(),
        },
        Some((client, uri)) => match logout_token::issue(state, &client, d) {
            Err(e) => {
                tracing::error!(error = %e, "signing a logout token failed");
                retry_or_give_up(state, claim, format!("signing failed: {e}"))
            }
            Ok(token) => post(state, http, claim, &uri, &token).await,
        },
    };
    if !state
        .stores
        .logouts
        .finish_logout(claim, &outcome, state.now())
        .await?
    {
        // The lease ran out first and another node took the delivery over; it reports.
        return Ok(());
    }
    report(state, claim, &outcome).await;
    Ok(())
}

async fn post(
    state: &AppState,
    http: &reqwest::Client,
    claim: &ClaimedDelivery,
    uri: &str,
    token: &str,
) -> DeliveryOutcome {
    let sent = http.post(uri).form(&[("logout_token", token)]).send().await;
    match sent {
        Ok(r) if r.status().is_success() => DeliveryOutcome::Delivered,
        // Redirects are not followed: the registered URI is not where the receiver is, and
        // asking again will not change that.
        Ok(r) if r.status().is_redirection() => DeliveryOutcome::Failed {
            error: format!("the receiver redirects (HTTP {}); not followed", r.status()),
        },
        // The receiver read the token and refused it (§2.8: 400 when the logout failed):
        // sending the same token again cannot change its mind. 408 and 429 are about timing.
        Ok(r) if r.status().is_client_error() && !matches!(r.status().as_u16(), 408 | 429) => {
            DeliveryOutcome::Failed {
                error: format!("the receiver refused the token: HTTP {}", r.status()),
            }
        }
        Ok(r) => retry_or_give_up(state, claim, format!("HTTP {}", r.status())),
        Err(e) if e.is_timeout() => retry_or_give_up(state, claim, "no answer in time".into()),
        Err(e) if e.is_connect() => retry_or_give_up(state, claim, "unreachable".into()),
        Err(e) => retry_or_give_up(state, claim, format!("request failed: {e}")),
    }
}

/// The next attempt after `attempts` failed ones: 5 s, 10 s, 20 s … up to five minutes,
/// unless that falls after the delivery's time is up.
fn retry_or_give_up(state: &AppState, claim: &ClaimedDelivery, error: String) -> DeliveryOutcome {
    let d = &claim.delivery;
    let exponent = (d.attempts.max(1) - 1).min(16) as u32;
    let pause = FIRST_PAUSE.saturating_mul(1 << exponent).min(MAX_PAUSE);
    let at = state.now() + pause;
    let deadline = d.created_at + state.config.backchannel_logout.retry_for.as_secs() as i64;
    if at > deadline {
        DeliveryOutcome::Failed {
            error: format!("given up after {} attempts: {error}", d.attempts),
        }
    } else {
        DeliveryOutcome::Retry { at, error }
    }
}

/// Metrics for every attempt; the audit trail for the end of each delivery (a retry is not
/// an event anyone acts on; its count is in the metrics).
async fn report(state: &AppState, claim: &ClaimedDelivery, outcome: &DeliveryOutcome) {
    let d = &claim.delivery;
    let (metric, audited) = match outcome {
        DeliveryOutcome::Delivered => (
            "delivered",
            Some((
                Outcome::Success,
                format!("delivered at attempt {}", d.attempts),
            )),
        ),
        DeliveryOutcome::Retry { error, .. } => {
            tracing::info!(client_id = %d.client_id, attempt = d.attempts, %error, "back-channel logout will be retried");
            ("retry", None)
        }
        DeliveryOutcome::Failed { error } => {
            tracing::warn!(client_id = %d.client_id, attempt = d.attempts, %error, "back-channel logout given up");
            ("failed", Some((Outcome::Failure, error.clone())))
        }
    };
    state.metrics.logout_delivery(metric);
    if let Some((outcome, detail)) = audited {
        audit::record(
            state,
            Entry {
                kind: audit::BACKCHANNEL_LOGOUT,
                outcome,
                user_id: Some(&d.sub),
                client_id: Some(&d.client_id),
                detail: Some(format!("session {}: {detail}", d.sid)),
                ..Default::default()
            },
        )
        .await;
    }
}
