//! Email over SMTP with lettre (pooled, async, rustls).

use async_trait::async_trait;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
    transport::smtp::authentication::Credentials,
};

use super::{Mailer, NotifyError};
use crate::config::Smtp;

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(cfg: &Smtp) -> Result<SmtpMailer, NotifyError> {
        let fail = |e: lettre::transport::smtp::Error| NotifyError::Failed(e.to_string());
        let builder = match cfg.tls.as_str() {
            // Implicit TLS (port 465).
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host).map_err(fail)?,
            "starttls" => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host).map_err(fail)?
            }
            // Plain SMTP: only for a relay on the same host or a test server.
            _ => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
        };
        let mut builder = builder.port(cfg.port);
        if !cfg.username.is_empty() {
            builder =
                builder.credentials(Credentials::new(cfg.username.clone(), cfg.password.clone()));
        }
        let from = cfg
            .from
            .parse()
            .map_err(|_| NotifyError::BadAddress(cfg.from.clone()))?;
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send_email(&self, to: &str, subject: &str, body: &str) -> Result<(), NotifyError> {
        let to: Mailbox = to.parse().map_err(|_| NotifyError::BadAddress(to.into()))?;
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| NotifyError::Failed(e.to_string()))?;
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| NotifyError::Failed(e.to_string()))
    }
}
