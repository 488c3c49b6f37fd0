//! SMS over a generic HTTP JSON gateway: a POST of a configurable JSON body, with an
//! optional Authorization header. `{to}` and `{body}` in the template are replaced by the
//! JSON-escaped values.

use async_trait::async_trait;

use super::{NotifyError, SmsGateway};
use crate::config::Sms;

pub struct HttpSmsGateway {
    http: reqwest::Client,
    url: String,
    auth_header: String,
    template: String,
}

impl HttpSmsGateway {
    pub fn new(cfg: &Sms) -> Result<HttpSmsGateway, NotifyError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| NotifyError::Failed(e.to_string()))?;
        Ok(HttpSmsGateway {
            http,
            url: cfg.url.clone(),
            auth_header: cfg.auth_header.clone(),
            template: cfg.body_template.clone(),
        })
    }
}

/// A string as the inside of a JSON string literal.
fn json_inner(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len().saturating_sub(1)].to_owned()
}

pub fn render(template: &str, to: &str, body: &str) -> String {
    template
        .replace("{to}", &json_inner(to))
        .replace("{body}", &json_inner(body))
}

#[async_trait]
impl SmsGateway for HttpSmsGateway {
    async fn send_sms(&self, to: &str, body: &str) -> Result<(), NotifyError> {
        let mut req = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(render(&self.template, to, body));
        if !self.auth_header.is_empty() {
            req = req.header(reqwest::header::AUTHORIZATION, &self.auth_header);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| NotifyError::Failed(e.without_url().to_string()))?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(NotifyError::Failed(format!(
                "gateway answered {}",
                resp.status()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn template_values_are_json_escaped() {
        let out = super::render(
            r#"{"to":"{to}","text":"{body}"}"#,
            "+41791234567",
            "Code \"123\"\n",
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["text"], "Code \"123\"\n");
        assert_eq!(v["to"], "+41791234567");
    }
}
