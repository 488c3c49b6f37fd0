//! The Markdown results: one table Postern against the reference, then the targets of
//! issues 8 and 21 with what this run measured.

use std::{collections::HashMap, fmt::Write, path::Path};

use crate::{http::Error, load::Measurement};

/// Rows of the main table, in order: (name, what it is).
const ROWS: [(&str, &str); 12] = [
    ("discovery", "discovery document"),
    ("jwks", "JWKS"),
    ("cc_jwt", "client_credentials, ES256 JWT access token"),
    ("cc_opaque", "client_credentials, opaque access token"),
    ("introspect", "introspection (opaque token)"),
    ("introspect_jwt", "introspection (JWT access token)"),
    ("userinfo", "userinfo (GET, Bearer)"),
    ("refresh", "refresh_token grant (rotating)"),
    (
        "revoke",
        "revocation of a refresh token (each another, seeded)",
    ),
    (
        "authcode",
        "signed-in authorization code + PKCE flow (authorize, token)",
    ),
    (
        "signin",
        "password sign-in (authorize, email, password, code)",
    ),
    (
        "argon2",
        "argon2id limit: hashes on one core, configured parameters",
    ),
];

/// The labels of the production backends' runs: one node, two nodes.
const PRODUCTION: [&str; 2] = ["pg1", "pg2"];
/// What the CPU shares of a production run are named, and who they are of.
const CPU: [(&str, &str); 3] = [
    ("cpu postern", "Postern (every node)"),
    ("cpu postgres", "PostgreSQL"),
    ("cpu redis", "Redis"),
];
const POSTERN: &str = "postern";
const REFERENCE: &str = "reference";

fn ms(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.2}"))
}

fn num(v: f64) -> String {
    let s = format!("{:.0}", v);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Rate, p50, p99 and errors: the four cells of one provider in a table of loads.
fn cells(m: Option<&Measurement>) -> String {
    match m {
        Some(m) => format!(
            "{} | {} | {} | {}",
            num(m.rate),
            ms(m.p50_ms),
            ms(m.p99_ms),
            m.errors
        ),
        None => "n/a | | | ".into(),
    }
}

pub fn render(input: &Path, machine: &str, command: &str) -> Result<String, Error> {
    let mut by: HashMap<(String, String), Measurement> = HashMap::new();
    let mut order = Vec::new();
    for line in std::fs::read_to_string(input)?.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let m: Measurement = serde_json::from_str(line)?;
        let key = (m.target.clone(), m.name.clone());
        if !order.contains(&key) {
            order.push(key.clone());
        }
        by.insert(key, m);
    }
    let get = |t: &str, n: &str| by.get(&(t.to_owned(), n.to_owned()));
    let mut o = String::new();
    writeln!(o, "# Benchmark results\n")?;
    writeln!(o, "Made by `{command}`. {machine}\n")?;
    writeln!(
        o,
        "Rates per second with the server on one core; p50 and p99 in milliseconds. \
         \"reference\" is panva's `oidc-provider` with the same clients and keys, loaded the same way in \
         the same run; the ratio is Postern's rate over the reference's.\n"
    )?;
    writeln!(
        o,
        "| load | unit | Postern | p50 | p99 | errors | reference | p50 | p99 | errors | ratio |"
    )?;
    writeln!(
        o,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    for (name, what) in ROWS {
        let p = get(POSTERN, name);
        let r = get(REFERENCE, name);
        if p.is_none() && r.is_none() {
            continue;
        }
        let unit = p.or(r).map(|m| m.unit.as_str()).unwrap_or("");
        let ratio = match (p, r) {
            (Some(p), Some(r)) if r.rate > 0.0 => format!("{:.1}×", p.rate / r.rate),
            _ => "".into(),
        };
        writeln!(
            o,
            "| {what} | {unit} | {} | {} | {ratio} |",
            cells(p),
            cells(r)
        )?;
    }
    production(&mut o, &get)?;
    let others: Vec<_> = order
        .iter()
        .filter(|(_, n)| !ROWS.iter().any(|(r, _)| r == n) && !CPU.iter().any(|(c, _)| c == n))
        .collect();
    if !others.is_empty() {
        writeln!(
            o,
            "\n| measurement | target | value | p50 | p99 | errors | note |"
        )?;
        writeln!(o, "| --- | --- | ---: | ---: | ---: | ---: | --- |")?;
        for key in others {
            let m = &by[key];
            writeln!(
                o,
                "| {} | {} | {} {} | {} | {} | {} | {} |",
                m.name,
                m.target,
                num(m.rate),
                m.unit,
                ms(m.p50_ms),
                ms(m.p99_ms),
                m.errors,
                m.note
            )?;
        }
    }
    writeln!(o, "\n## Targets\n")?;
    writeln!(o, "| target | goal | measured | met |")?;
    writeln!(o, "| --- | --- | --- | --- |")?;
    let mut target = |what: &str, goal: &str, measured: Option<(String, bool)>| {
        let (m, ok) = measured.unwrap_or(("not measured".into(), false));
        let _ = writeln!(
            o,
            "| {what} | {goal} | {m} | {} |",
            if ok { "yes" } else { "**no**" }
        );
    };
    let rate_target = |name: &str, min: f64, times: f64| {
        let p = get(POSTERN, name)?;
        let r = get(REFERENCE, name);
        let ratio = r.filter(|r| r.rate > 0.0).map(|r| p.rate / r.rate);
        let ok = p.rate >= min && p.errors == 0 && ratio.is_none_or(|x| x >= times);
        Some((
            format!(
                "{}/s{}",
                num(p.rate),
                ratio.map_or(String::new(), |x| format!(", {x:.1}× the reference"))
            ),
            ok,
        ))
    };
    for (what, goal, name, min, times) in [
        (
            "discovery",
            "≥ 50,000/s and ≥ 10× the reference",
            "discovery",
            50_000.0,
            10.0,
        ),
        (
            "client_credentials, ES256 JWT",
            "≥ 10,000/s and ≥ 5×",
            "cc_jwt",
            10_000.0,
            5.0,
        ),
        (
            "introspection",
            "≥ 20,000/s and ≥ 5×",
            "introspect",
            20_000.0,
            5.0,
        ),
        (
            "introspection, JWT",
            "≥ 20,000/s",
            "introspect_jwt",
            20_000.0,
            0.0,
        ),
        ("userinfo", "≥ 20,000/s and ≥ 5×", "userinfo", 20_000.0, 5.0),
        (
            "refresh_token grant",
            "≥ 5,000/s and ≥ 3×",
            "refresh",
            5_000.0,
            3.0,
        ),
        ("revocation", "≥ 10,000/s", "revoke", 10_000.0, 0.0),
        (
            "signed-in authorization code flow",
            "≥ 2,000 flows/s",
            "authcode",
            2_000.0,
            0.0,
        ),
    ] {
        target(what, goal, rate_target(name, min, times));
    }
    target(
        "password sign-ins",
        "≥ 90 % of the argon2 limit",
        get(POSTERN, "signin")
            .zip(get(POSTERN, "argon2"))
            .map(|(s, a)| {
                let share = s.rate / a.rate;
                (
                    format!(
                        "{:.1} sign-ins/s = {:.0} % of {:.1} hashes/s",
                        s.rate,
                        share * 100.0,
                        a.rate
                    ),
                    share >= 0.9 && s.errors == 0,
                )
            }),
    );
    target(
        "idle memory",
        "≤ 30 MB RSS after start",
        get(POSTERN, "idle_rss").map(|m| (format!("{:.1} MB", m.rate), m.rate <= 30.0)),
    );
    let halves: Vec<&Measurement> = order
        .iter()
        .filter(|(t, n)| t == POSTERN && n.starts_with("half-peak"))
        .map(|k| &by[k])
        .collect();
    target(
        "p99 at half the peak rate",
        "≤ 5 ms",
        (!halves.is_empty()).then(|| {
            let text = halves
                .iter()
                .map(|m| {
                    format!(
                        "{}: {} ms at {}/s",
                        &m.name[10..],
                        ms(m.p99_ms),
                        num(m.rate)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let ok = halves
                .iter()
                .all(|m| m.p99_ms.is_some_and(|p| p <= 5.0) && m.errors == 0);
            (text, ok)
        }),
    );
    for what in ["refresh", "userinfo"] {
        let big = get(POSTERN, &format!("scale-1m {what}"));
        let small = get(POSTERN, &format!("scale-empty {what}"));
        target(
            &format!("{what} p99 with 1M users and sessions"),
            "≤ 1.5× an empty store",
            big.zip(small).and_then(|(b, s)| {
                let (bp, sp) = (b.p99_ms?, s.p99_ms?);
                Some((
                    format!("{bp:.2} ms vs {sp:.2} ms ({:.2}×)", bp / sp),
                    bp <= 1.5 * sp && b.errors == 0,
                ))
            }),
        );
    }
    Ok(o)
}

/// The table of the production backends, PostgreSQL + Redis with one node and two, beside
/// the embedded default; then the CPU the parts took. Nothing when they were not measured.
fn production<'a>(
    o: &mut String,
    get: &impl Fn(&str, &str) -> Option<&'a Measurement>,
) -> Result<(), Error> {
    let measured = |name: &str| PRODUCTION.iter().any(|l| get(l, name).is_some());
    if !ROWS.iter().any(|(name, _)| measured(name)) {
        return Ok(());
    }
    writeln!(o, "\n## PostgreSQL + Redis\n")?;
    writeln!(
        o,
        "Postern on PostgreSQL and Redis of this machine: one node, then two nodes sharing the \
         address (`http.reuse_port`), every node on the server core; PostgreSQL and Redis run \
         on either core. \"embedded\" is the first table's figure. Their other measurements are \
         labelled pg1 (one node) and pg2 (two nodes) below.\n"
    )?;
    writeln!(
        o,
        "| load | unit | one node | p50 | p99 | errors | two nodes | p50 | p99 | errors | embedded |"
    )?;
    writeln!(
        o,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    for (name, what) in ROWS.into_iter().filter(|(n, _)| measured(n)) {
        let unit = PRODUCTION
            .iter()
            .find_map(|l| get(l, name))
            .map_or("", |m| m.unit.as_str());
        writeln!(
            o,
            "| {what} | {unit} | {} | {} | {} |",
            cells(get(PRODUCTION[0], name)),
            cells(get(PRODUCTION[1], name)),
            get(POSTERN, name).map_or("".into(), |m| num(m.rate))
        )?;
    }
    writeln!(
        o,
        "\n| CPU over these loads, share of one core | one node | two nodes |\n| --- | ---: | ---: |"
    )?;
    for (name, who) in CPU {
        let share = |l: &str| get(l, name).map_or("–".into(), |m| format!("{:.0} %", m.rate));
        writeln!(
            o,
            "| {who} | {} | {} |",
            share(PRODUCTION[0]),
            share(PRODUCTION[1])
        )?;
    }
    Ok(())
}
