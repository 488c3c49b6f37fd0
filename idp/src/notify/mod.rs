//! Notifications: email over SMTP (lettre) and SMS over an HTTP gateway. When neither is
//! configured (development, tests) both go to a readable outbox file.
//!
//! Sending has a time limit so a slow gateway never holds a request for long; a failure is
//! returned to the caller (who tells the user) and logged, never dropped silently. Message
//! bodies carry codes and links, so they are never logged.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;

// The development outbox, as JSON lines.
pub mod jsonl;
pub mod sms;
pub mod smtp;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NotifyError {
    #[error("the message could not be sent: {0}")]
    Failed(String),
    #[error("sending the message took too long")]
    Timeout,
    #[error("{0:?} is not a valid address")]
    BadAddress(String),
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send_email(&self, to: &str, subject: &str, body: &str) -> Result<(), NotifyError>;
}

#[async_trait]
pub trait SmsGateway: Send + Sync {
    async fn send_sms(&self, to: &str, body: &str) -> Result<(), NotifyError>;
}

/// The senders of a node.
#[derive(Clone)]
pub struct Notifier {
    mailer: Arc<dyn Mailer>,
    sms: Arc<dyn SmsGateway>,
    timeout: Duration,
}

impl Notifier {
    pub fn new(mailer: Arc<dyn Mailer>, sms: Arc<dyn SmsGateway>, timeout: Duration) -> Notifier {
        Notifier {
            mailer,
            sms,
            timeout,
        }
    }

    /// Builds the senders the configuration asks for: SMTP when `smtp.host` is set, the HTTP
    /// gateway when `sms.url` is set, the outbox otherwise.
    pub fn from_config(config: &crate::config::Config) -> Result<Notifier, NotifyError> {
        let outbox = Arc::new(jsonl::Outbox::new(&config.outbox_dir));
        let mailer: Arc<dyn Mailer> = if config.smtp.host.is_empty() {
            outbox.clone()
        } else {
            Arc::new(smtp::SmtpMailer::new(&config.smtp)?)
        };
        let sms: Arc<dyn SmsGateway> = if config.sms.url.is_empty() {
            outbox
        } else {
            Arc::new(sms::HttpSmsGateway::new(&config.sms)?)
        };
        Ok(Notifier::new(mailer, sms, config.notify_timeout))
    }

    pub async fn email(&self, to: &str, subject: &str, body: &str) -> Result<(), NotifyError> {
        let r = tokio::time::timeout(self.timeout, self.mailer.send_email(to, subject, body))
            .await
            .unwrap_or(Err(NotifyError::Timeout));
        if let Err(e) = &r {
            tracing::error!(error = %e, subject, "email not sent");
        }
        r
    }

    pub async fn sms(&self, to: &str, body: &str) -> Result<(), NotifyError> {
        let r = tokio::time::timeout(self.timeout, self.sms.send_sms(to, body))
            .await
            .unwrap_or(Err(NotifyError::Timeout));
        if let Err(e) = &r {
            tracing::error!(error = %e, "SMS not sent");
        }
        r
    }
}
