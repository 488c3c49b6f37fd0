//! Prometheus metrics, kept in the app state (no global registry, so every test server has
//! its own counts).

use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{
        counter::Counter,
        family::Family,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct GrantLabels {
    pub grant: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WayLabels {
    pub way: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StoreLabels {
    pub store: &'static str,
}

pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub http_latency: Family<RouteLabels, Histogram>,
    pub sign_ins: Family<OutcomeLabels, Counter>,
    pub locks: Counter,
    pub tokens_issued: Family<GrantLabels, Counter>,
    pub store_errors: Family<StoreLabels, Counter>,
    pub logout_deliveries: Family<OutcomeLabels, Counter>,
    pub refresh_rotations: Family<WayLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("postern");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            http_requests.clone(),
        );
        // 0.25 ms to about 8 s.
        let http_latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.00025, 2.0, 16))
        });
        registry.register(
            "http_request_duration_seconds",
            "HTTP latency by route",
            http_latency.clone(),
        );
        let sign_ins = Family::<OutcomeLabels, Counter>::default();
        registry.register("sign_ins", "Sign-in attempts by outcome", sign_ins.clone());
        let locks = Counter::default();
        registry.register(
            "account_locks",
            "Accounts locked after failed sign-ins",
            locks.clone(),
        );
        let tokens_issued = Family::<GrantLabels, Counter>::default();
        registry.register(
            "tokens_issued",
            "Token responses by grant type",
            tokens_issued.clone(),
        );
        let store_errors = Family::<StoreLabels, Counter>::default();
        registry.register(
            "store_errors",
            "Failed calls to the database or the ephemeral store",
            store_errors.clone(),
        );
        let logout_deliveries = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "backchannel_logout_attempts",
            "Back-channel logout token deliveries by outcome (delivered, retry, failed)",
            logout_deliveries.clone(),
        );
        let refresh_rotations = Family::<WayLabels, Counter>::default();
        registry.register(
            "refresh_rotations",
            "Refresh tokens rotated, by way: prepared (the successor stored with the \
             consumption, one database round trip) or long (consumed, then checked)",
            refresh_rotations.clone(),
        );
        Metrics {
            registry,
            http_requests,
            http_latency,
            sign_ins,
            locks,
            tokens_issued,
            store_errors,
            logout_deliveries,
            refresh_rotations,
        }
    }

    pub fn logout_delivery(&self, outcome: &'static str) {
        self.logout_deliveries
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    pub fn sign_in(&self, outcome: &'static str) {
        self.sign_ins
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    /// A refresh token rotated, the way `way` ("prepared" or "long", see
    /// `protocol::token::refresh`). Renewals that succeed the long way are those of tokens
    /// of the form before (no grant named) and those whose preparation failed (a look-up
    /// that errored): a node whose renewals mostly go that way pays a second round trip
    /// for each.
    pub fn refresh_rotated(&self, way: &'static str) {
        self.refresh_rotations
            .get_or_create(&WayLabels { way })
            .inc();
    }

    pub fn token_issued(&self, grant: &'static str) {
        self.tokens_issued
            .get_or_create(&GrantLabels { grant })
            .inc();
    }

    /// The counter a store increments on each failed call.
    pub fn store_error_counter(&self, store: &'static str) -> Counter {
        self.store_errors
            .get_or_create(&StoreLabels { store })
            .clone()
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
