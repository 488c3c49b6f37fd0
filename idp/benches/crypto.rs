//! Microbenchmarks of the per-request cryptography: signing a token with each algorithm
//! (with the live key set, as the token endpoint does), verifying one, and hashing a
//! password with the configured argon2id parameters. `cargo bench -p idp`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use idp::{
    config::Config,
    crypto::{
        Secret,
        keys::{KeyManager, Retention},
        password::PasswordHasher,
    },
    protocol::types::SigningAlg,
};
use serde_json::{Map, Value, json};

fn claims() -> Map<String, Value> {
    let v = json!({
        "iss": "https://id.example.test",
        "sub": "3f2a6c1e-5b7d-4c8e-9a0b-1c2d3e4f5a6b",
        "aud": "bench-client",
        "client_id": "bench-client",
        "iat": 1_800_000_000,
        "exp": 1_800_000_300,
        "jti": "q3LwT0m2dVYQfQ8n1kW1mF3xR7uJp9sZbC4eA6hD2gI",
        "scope": "openid profile email",
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

fn signing(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let retention = Retention {
        tokens: 3600,
        hints: 3600,
    };
    let keys = KeyManager::load_or_generate(dir.path(), 1_800_000_000, retention).expect("keys");
    let set = keys.current();
    let mut g = c.benchmark_group("sign");
    for alg in SigningAlg::ALL {
        g.bench_function(alg.as_str(), |b| {
            b.iter(|| {
                set.sign(alg, "at+jwt", black_box(claims()))
                    .expect("signed")
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("verify");
    for alg in SigningAlg::ALL {
        let token = set.sign(alg, "at+jwt", claims()).expect("signed");
        g.bench_function(alg.as_str(), |b| {
            b.iter(|| set.verify(black_box(&token)).expect("valid"))
        });
    }
    g.finish();
}

fn password(c: &mut Criterion) {
    let cfg = Config::default().password;
    let hasher = PasswordHasher::new(&cfg).expect("argon2 parameters");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let secret = Secret::new("lantern-harbour-parcel");
    let stored = rt.block_on(hasher.hash(&secret)).expect("hashed");
    let mut g = c.benchmark_group("password");
    g.sample_size(20);
    g.bench_function(
        format!(
            "argon2id verify m={} t={} p={}",
            cfg.memory_kib, cfg.iterations, cfg.parallelism
        ),
        |b| {
            b.iter(|| {
                rt.block_on(hasher.verify(&secret, Some(&stored)))
                    .expect("verified")
            })
        },
    );
    g.finish();
}

criterion_group!(benches, signing, password);
criterion_main!(benches);
