//! What changed since the last committed results: Postern's rate per load in the main
//! table of two `results.md` files, side by side, with the loads that lost more than
//! [`DROP`] marked. `bench/run` prints it and appends it to the new results, so a
//! regression shows in the run that made it.

use std::fmt::Write;

/// A fall in rate larger than this share is marked as a regression. Runs on this machine
/// vary by up to about a third (two runs of 2026-11-30 an hour apart: introspection 20,254/s
/// and 40,629/s), so smaller changes are not told apart from noise.
pub const DROP: f64 = 0.35;

/// Postern's rate per load (the first column after the unit) in the main table.
fn rates(markdown: &str) -> Vec<(String, String, f64)> {
    markdown
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let rate = cells.get(2)?.replace(',', "").parse::<f64>().ok()?;
            Some((cells[0].to_owned(), cells[1].to_owned(), rate))
        })
        .collect()
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
    fn without_previous_results_there_is_nothing_to_compare() {
        assert_eq!(render("", NOW), None);
        assert_eq!(render("# Benchmark results\n\nnothing yet\n", NOW), None);
    }
}
