//! The configuration's layers, validation and value forms.

// figment::Jail fixes the closure type; its error type is not ours to shrink.
#![allow(clippy::result_large_err)]

use super::*;

/// A figment jail (a temporary working directory, environment restored afterwards) with
/// the environment emptied first: the layers are tested as the test sets them, not as the
/// developer's shell has them (an `IDP_ISSUER` exported after running the server would
/// otherwise win over every file here).
fn jailed(f: impl FnOnce(&mut figment::Jail) -> figment::error::Result<()>) {
    figment::Jail::expect_with(|jail| clean(jail, f));
}

fn clean(
    jail: &mut figment::Jail,
    f: impl FnOnce(&mut figment::Jail) -> figment::error::Result<()>,
) -> figment::error::Result<()> {
    jail.clear_env();
    f(jail)
}

fn layers(jail: &mut figment::Jail) -> figment::error::Result<()> {
    jail.create_dir("config")?;
    jail.create_file(
        "config/default.toml",
        "issuer = \"https://from-default.example\"\n[tokens]\ncode_ttl = \"30s\"\n",
    )?;
    jail.create_file("extra.toml", "issuer = \"https://from-extra.example\"\n")?;
    jail.set_env("IDP_SIGNING__ACCESS_TOKEN_ALG", "RS256");
    jail.set_env("IDP_SESSION__TTL", "20m");
    let c = Config::load(Some(std::path::Path::new("extra.toml"))).expect("valid");
    assert_eq!(c.issuer, "https://from-extra.example");
    assert_eq!(c.tokens.code_ttl, Duration::from_secs(30));
    assert_eq!(c.signing.access_token_alg, SigningAlg::RS256);
    assert_eq!(c.session.ttl, Duration::from_secs(1200));
    jail.set_env("IDP_ISSUER", "https://from-env.example");
    assert_eq!(
        Config::load(None).unwrap().issuer,
        "https://from-env.example"
    );
    Ok(())
}

#[test]
fn layers_apply_in_order_and_env_wins() {
    jailed(layers);
}

/// The shell of someone who ran the server with `IDP_ISSUER` exported: the test above
/// failed there before the jail emptied the environment.
#[test]
fn the_developers_shell_does_not_reach_the_tests() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("IDP_ISSUER", "https://from-the-shell.example");
        jail.set_env("IDP_TOKENS__CODE_TTL", "5m");
        clean(jail, layers)
    });
}

#[test]
fn bad_values_name_the_key() {
    let cases = [
        ("IDP_SIGNING__ACCESS_TOKEN_ALG", "HS256", "access_token_alg"),
        ("IDP_TOKENS__CODE_TTL", "soon", "code_ttl"),
        ("IDP_LISTEN", "nowhere", "listen"),
        ("IDP_ISSUER", "https://idp.example/", "issuer"),
        ("IDP_DATABASE_URL", "mysql://x", "database_url"),
        ("IDP_TOKENS__CODE_TTL", "1h", "code_ttl"),
        ("IDP_LOG__FORMAT", "xml", "log.format"),
        ("IDP_DEVICE__TTL", "0s", "device.ttl"),
        ("IDP_DEVICE__INTERVAL", "0s", "device.interval"),
        (
            "IDP_RATE_LIMIT__DEVICE_CODE_GLOBAL",
            "0",
            "rate_limit.device_code_global",
        ),
    ];
    for (var, value, key) in cases {
        jailed(|jail| {
            jail.set_env(var, value);
            let err = Config::load(None).expect_err(var).to_string();
            assert!(err.contains(key), "{var}={value}: {err}");
            Ok(())
        });
    }
}

#[test]
fn only_loopback_issuers_count_as_loopback() {
    for (issuer, loopback) in [
        ("http://127.0.0.1:8080", true),
        ("http://127.9.9.9", true),
        ("http://[::1]:8080", true),
        ("http://localhost:8080", true),
        ("https://idp.example", false),
        ("http://10.0.0.1:8080", false),
        ("http://localhost.evil.example", false),
        ("http://[::2]", false),
    ] {
        let c = Config {
            issuer: issuer.into(),
            ..Config::default()
        };
        assert_eq!(c.issuer_is_loopback(), loopback, "{issuer}");
    }
}

#[test]
fn trusted_proxies_take_addresses_and_ranges() {
    jailed(|jail| {
        jail.create_file(
            "extra.toml",
            "[http]\ntrusted_proxies = [\"10.0.0.2\", \"172.16.0.0/12\", \"fd00::/8\"]\n",
        )?;
        let c = Config::load(Some(std::path::Path::new("extra.toml"))).expect("valid");
        let shown: Vec<String> = c
            .http
            .trusted_proxies
            .iter()
            .map(|r| r.to_string())
            .collect();
        assert_eq!(shown, ["10.0.0.2/32", "172.16.0.0/12", "fd00::/8"]);
        jail.create_file("bad.toml", "[http]\ntrusted_proxies = [\"10.0.0.1/8\"]\n")?;
        let err = Config::load(Some(std::path::Path::new("bad.toml"))).unwrap_err();
        assert!(err.to_string().contains("trusted_proxies"), "{err}");
        // The form the compose example uses.
        jail.set_env(
            "IDP_HTTP__TRUSTED_PROXIES",
            "[\"172.30.0.10\", \"fd00::/8\"]",
        );
        let c = Config::load(None).expect("valid");
        assert_eq!(c.http.trusted_proxies.len(), 2);
        Ok(())
    });
}

#[test]
fn missing_config_file_is_an_error() {
    jailed(|_| {
        let err = Config::load(Some(std::path::Path::new("nope.toml"))).unwrap_err();
        assert!(err.to_string().contains("nope.toml"));
        Ok(())
    });
}
