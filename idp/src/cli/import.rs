//! `idp import legacy FILE|-`: the old per-service accounts, through the import use case
//! (`idp::legacy::import`). The counts go to standard output, each refused line to standard
//! error as `line N: reason`, so a script can keep one and read the other.

use std::{
    io::{BufRead, BufReader, IsTerminal, Write},
    path::PathBuf,
    time::{Duration, Instant},
};

use clap::Subcommand;
use idp::{
    AppState,
    legacy::import::{self, Summary},
};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Old per-service accounts, one JSON object a line (see the README, "Legacy
    /// migration: importing"). Running it again with the same file changes nothing, so an
    /// interrupted import is resumed by running it again.
    Legacy {
        /// The file, or `-` for standard input.
        file: PathBuf,
        /// Fail (exit 1) when any line was rejected; the other lines are imported all the
        /// same.
        #[arg(long)]
        strict: bool,
    },
}

/// The configuration an import runs with. On PostgreSQL its statements are planned for the
/// values at hand every time: sqlx keeps statements prepared, and after five runs
/// PostgreSQL reuses a generic plan, made while the tables were still nearly empty, that
/// scans a whole table per batch (an import fell from thousands of lines a second to about
/// 500; see `bench/results.md`). Only the import's own connections get this.
pub fn tuned(mut config: idp::Config) -> idp::Config {
    let url = &mut config.database_url;
    if url.starts_with("postgres") && !url.contains("plan_cache_mode") {
        let sep = if url.contains('?') { '&' } else { '?' };
        url.push(sep);
        url.push_str("options=-c%20plan_cache_mode%3Dforce_custom_plan");
    }
    config
}

/// Read buffer: large enough that reading is never what an import waits for.
const READ_BUFFER: usize = 1 << 20;

pub async fn run(command: ImportCommand, st: &AppState) -> Result<(), String> {
    let ImportCommand::Legacy { file, strict } = command;
    let summary = if file.as_os_str() == "-" {
        legacy(st, std::io::stdin().lock()).await
    } else {
        let f = std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        legacy(st, BufReader::with_capacity(READ_BUFFER, f)).await
    }?;
    // The import is done by now: a closed output is no reason to fail it (see `say!`).
    say!(
        "read      {}\ncreated   {} ({} pending)\nmerged    {}\nskipped   {}\nrejected  {}",
        summary.read,
        summary.created,
        summary.pending,
        summary.merged,
        summary.skipped,
        summary.rejected
    );
    if strict && summary.rejected > 0 {
        return Err(format!(
            "{} line(s) rejected (--strict); the others were imported",
            summary.rejected
        ));
    }
    Ok(())
}

async fn legacy(st: &AppState, input: impl BufRead) -> Result<Summary, String> {
    let progress = Progress::new();
    let stderr = std::io::stderr();
    let result = import::run(
        st,
        input,
        |n, reason| {
            let mut e = stderr.lock();
            progress.clear(&mut e);
            let _ = writeln!(e, "line {n}: {reason}");
        },
        |s| progress.show(s),
    )
    .await;
    progress.clear(&mut stderr.lock());
    result.map_err(|e| e.to_string())
}

/// The running count on a terminal, rewritten in place about once a second; nothing when
/// standard error is a file or a pipe, where it would only be noise.
struct Progress {
    on: bool,
    started: Instant,
    last: std::cell::Cell<Option<Instant>>,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            on: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: std::cell::Cell::new(None),
        }
    }

    fn show(&self, s: &Summary) {
        let now = Instant::now();
        let due = self
            .last
            .get()
            .is_none_or(|t| now - t >= Duration::from_secs(1));
        if !self.on || !due {
            return;
        }
        self.last.set(Some(now));
        let secs = (now - self.started).as_secs_f64().max(0.001);
        let mut e = std::io::stderr().lock();
        let _ = write!(
            e,
            "\r\x1b[2K{} lines read, {:.0}/s, {} rejected",
            s.read,
            s.read as f64 / secs,
            s.rejected
        );
        let _ = e.flush();
    }

    /// Clears the progress line, so what comes next starts on a clean line.
    fn clear(&self, e: &mut impl Write) {
        if self.on && self.last.get().is_some() {
            let _ = write!(e, "\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tuned;

    #[test]
    fn only_postgresql_imports_plan_each_statement_for_its_values() {
        let with = |url: &str| {
            let config = idp::Config {
                database_url: url.into(),
                ..idp::Config::default()
            };
            tuned(config).database_url
        };
        let custom = "options=-c%20plan_cache_mode%3Dforce_custom_plan";
        assert_eq!(
            with("postgres://db/idp"),
            format!("postgres://db/idp?{custom}")
        );
        assert_eq!(
            with("postgresql://db/idp?sslmode=require"),
            format!("postgresql://db/idp?sslmode=require&{custom}")
        );
        let sqlite = "sqlite://postern.db?mode=rwc";
        assert_eq!(with(sqlite), sqlite);
        let own = "postgres://db/idp?options=-c%20plan_cache_mode%3Dauto";
        assert_eq!(with(own), own, "a setting of the operator's own is kept");
    }
}
