//! The development outbox: one JSON object per line in `<outbox_dir>/outbox.jsonl`, with
//! `channel`, `to`, `subject`, `body` and `created_at`. Tests read it to follow links and
//! codes; people read it with `tail -f`.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{Mailer, NotifyError, SmsGateway};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub channel: String,
    pub to: String,
    pub subject: Option<String>,
    pub body: String,
    pub created_at: String,
}

pub struct Outbox {
    path: PathBuf,
    /// Appends from concurrent requests must not interleave within a line.
    lock: std::sync::Mutex<()>,
}

impl Outbox {
    pub fn new(dir: &Path) -> Outbox {
        Outbox {
            path: dir.join("outbox.jsonl"),
            lock: std::sync::Mutex::new(()),
        }
    }

    fn append(&self, msg: &OutboxMessage) -> Result<(), NotifyError> {
        let fail =
            |e: std::io::Error| NotifyError::Failed(format!("outbox {}: {e}", self.path.display()));
        let mut line = serde_json::to_vec(msg).map_err(|e| NotifyError::Failed(e.to_string()))?;
        line.push(b'\n');
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(fail)?;
        f.write_all(&line).map_err(fail)?;
        tracing::info!(channel = %msg.channel, to = %msg.to, outbox = %self.path.display(), "message written to the outbox");
        Ok(())
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

#[async_trait]
impl Mailer for Outbox {
    async fn send_email(&self, to: &str, subject: &str, body: &str) -> Result<(), NotifyError> {
        self.append(&OutboxMessage {
            channel: "email".into(),
            to: to.into(),
            subject: Some(subject.into()),
            body: body.into(),
            created_at: now(),
        })
    }
}

#[async_trait]
impl SmsGateway for Outbox {
    async fn send_sms(&self, to: &str, body: &str) -> Result<(), NotifyError> {
        self.append(&OutboxMessage {
            channel: "sms".into(),
            to: to.into(),
            subject: None,
            body: body.into(),
            created_at: now(),
        })
    }
}

/// Every message in the outbox of `dir`, oldest first (for tests and tools).
pub fn read_all(dir: &Path) -> Vec<OutboxMessage> {
    std::fs::read_to_string(dir.join("outbox.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}
