//! What changed since the last committed results: Postern's rate per load in the tables
//! of two `results.md` files (each backend's), side by side, with the loads that lost more than
//! [`DROP`] marked. `bench/run` prints it and appends it to the new results, so a
//! regression shows in the run that made it.

use std::fmt::Write;

/// A fall in rate larger than this share is marked as a regression. Runs on this machine
/// vary by up to about a third (two runs of 2026-11-30 an hour apart: introspection 20,254/s
/// and 40,629/s), so smaller changes are not told apart from noise.
pub const DROP: f64 = 0.35;

/// The columns that hold Postern's rates: the main table's, and the production table's
/// two. Any other column (the reference's, latencies) is not compared.
const RATE_COLUMNS: [&str; 3] = ["Postern", "one node", "two nodes"];

/// Postern's rate per load, in every table of loads (a table whose header starts with
/// `| load |`): the load, named with its column unless it is the main one, the unit, the
/// rate.
fn rates(markdown: &str) -> Vec<(String, String, f64)> {
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect()
    };
    let mut columns: Vec<(usize, String)> = Vec::new();
    let mut out = Vec::new();
    for line in markdown.lines() {
        if !line.starts_with('|') {
            columns.clear();
            continue;
        }
        let row = cells(line);
        if row.first().is_some_and(|c| c == "load") {
            columns = row
                .iter()
                .enumerate()
                .filter(|(_, h)| RATE_COLUMNS.contains(&h.as_str()))
                .map(|(i, h)| (i, h.clone()))
                .collect();
            continue;
        }
        for (i, column) in &columns {
            let Some(rate) = row
                .get(*i)
                .and_then(|c| c.replace(',', "").parse::<f64>().ok())
            else {
                continue;
            };
            let load = match column.as_str() {
                "Postern" => row[0].clone(),
                other => format!("{} ({other})", row[0]),
            };
            out.push((load, row.get(1).cloned().unwrap_or_default(), rate));
        }
    }
    out
}

/// The comparison as Markdown; `None` when the previous results have no table to compare.
pub fn render(previous: &str, current: &str) -> Option<String> {
    let before = rates(previous);
    if before.is_empty() {
        return None;
    }
    let mut out = String::from(
        "## Changes since the last committed results\n\n\
         | load | unit | before | now | change |\n| --- | --- | ---: | ---: | ---: |\n",
    );
    for (load, unit, now) in rates(current) {
        let Some((_, _, was)) = before.iter().find(|(l, _, _)| *l == load) else {
            let _ = writeln!(out, "| {load} | {unit} | – | {now:.0} | new |");
            continue;
        };
        let change = now / was - 1.0;
        let mark = if change < -DROP {
            " **regression?**"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| {load} | {unit} | {was:.0} | {now:.0} | {:+.0} %{mark} |",
            change * 100.0
        );
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "intro\n\n| load | unit | Postern | p50 |\n| --- | --- | ---: | ---: |\n\
        | userinfo (GET, Bearer) | req/s | 4,733 | 13.39 |\n\
        | refresh_token grant (rotating) | flows/s | 1,831 | 32.76 |\n\n## Targets\n\
        | userinfo | ≥ 1 | 9 | yes |\n";
    const NOW: &str = "| load | unit | Postern | p50 |\n| --- | --- | ---: | ---: |\n\
        | userinfo (GET, Bearer) | req/s | 50,885 | 1.14 |\n\
        | refresh_token grant (rotating) | flows/s | 1,000 | 29.63 |\n\
        | revocation | req/s | 12,000 | 1.00 |\n";

    #[test]
    fn each_load_is_compared_and_a_large_fall_is_marked() {
        let table = render(BEFORE, NOW).unwrap();
        assert!(
            table.contains("| userinfo (GET, Bearer) | req/s | 4733 | 50885 | +975 % |"),
            "{table}"
        );
        assert!(
            table.contains(
                "| refresh_token grant (rotating) | flows/s | 1831 | 1000 | -45 % **regression?** |"
            ),
            "{table}"
        );
        assert!(
            table.contains("| revocation | req/s | – | 12000 | new |"),
            "{table}"
        );
        // The targets table below the main one is not read as loads.
        assert_eq!(table.matches("| userinfo").count(), 1, "{table}");
    }

    #[test]
    fn the_production_backends_are_compared_node_count_by_node_count() {
        let table = |one: &str, two: &str| {
            format!(
                "| load | unit | Postern | p50 |\n| --- | --- | ---: | ---: |\n\
                 | userinfo (GET, Bearer) | req/s | 50,000 | 1.0 |\n\n## PostgreSQL + Redis\n\n\
                 | load | unit | one node | p50 | p99 | errors | two nodes | p50 | p99 | errors | embedded |\n\
                 | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n\
                 | userinfo (GET, Bearer) | req/s | {one} | 1 | 2 | 0 | {two} | 1 | 2 | 0 | 50,000 |\n\n\
                 | CPU over these loads, share of one core | one node | two nodes |\n\
                 | --- | ---: | ---: |\n| PostgreSQL | 40 % | 50 % |\n"
            )
        };
        let changes = render(&table("10,000", "12,000"), &table("20,000", "6,000")).unwrap();
        assert!(
            changes.contains("| userinfo (GET, Bearer) | req/s | 50000 | 50000 | +0 % |"),
            "{changes}"
        );
        assert!(
            changes
                .contains("| userinfo (GET, Bearer) (one node) | req/s | 10000 | 20000 | +100 % |"),
            "{changes}"
        );
        assert!(
            changes.contains(
                "| userinfo (GET, Bearer) (two nodes) | req/s | 12000 | 6000 | -50 % **regression?** |"
            ),
            "{changes}"
        );
        assert!(!changes.contains("PostgreSQL"), "{changes}");
    }

    #[test]
    fn without_previous_results_there_is_nothing_to_compare() {
        assert_eq!(render("", NOW), None);
        assert_eq!(render("# Benchmark results\n\nnothing yet\n", NOW), None);
    }
}
