//! The outbox's mailer under Spin (components cannot speak SMTP): an HTTP
//! e-mail API in Resend's shape, reached through the host port's
//! [`HttpClient`](crate::port::HttpClient) — `POST {mail_api_base}/emails`
//! with `Authorization: Bearer {mail_api_key}`, a JSON body
//! `{"from", "to": [recipient], "subject", "text"}` and an `Idempotency-Key`
//! (the outbox message's id, so a retried delivery is not a second e-mail).
//! A 2xx answer means sent; anything else is "try again later".

use anyhow::bail;
use async_trait::async_trait;
use comptoir_shared::notification::Notification;

use crate::outbox::Mailer;
use crate::port::{Host, OutboundRequest};

/// Sends through the configured e-mail API.
pub struct MailApi {
    host: Host,
}

impl MailApi {
    /// The mailer `host`'s configuration names (`mail_api_base`), if any.
    pub fn configured(host: &Host) -> Option<Self> {
        host.config
            .mail_api_base
            .as_ref()
            .map(|_| Self { host: host.clone() })
    }
}

/// The request that sends `message` from `from` through the API at `base`.
pub fn request(base: &str, key: &str, from: &str, message: &Notification) -> OutboundRequest {
    let body = serde_json::json!({
        "from": from,
        "to": [message.recipient],
        "subject": message.subject,
        "text": message.body,
    });
    OutboundRequest {
        method: "POST",
        url: format!("{base}/emails"),
        headers: vec![
            ("authorization", format!("Bearer {key}")),
            ("content-type", "application/json".to_owned()),
            ("idempotency-key", message.id.to_string()),
        ],
        body: body.to_string().into_bytes(),
    }
}

#[async_trait]
impl Mailer for MailApi {
    async fn send(&self, message: &Notification) -> anyhow::Result<()> {
        let config = &self.host.config;
        let Some(base) = config.mail_api_base.as_deref() else {
            bail!("no mail API configured");
        };
        let answer = self
            .host
            .http
            .send(request(
                base,
                &config.mail_api_key,
                &config.mail_from,
                message,
            ))
            .await?;
        if !(200..300).contains(&answer.status) {
            bail!(
                "the mail API answered {}: {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            );
        }
        Ok(())
    }
}
