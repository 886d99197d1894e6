//! A small SMTP client for the outbox: plain SMTP to a relay (a local MTA or
//! the provider's submission relay on a private network), one connection per
//! message. Spin has no raw TCP, so only the native host delivers by SMTP.

use std::time::Duration;

use anyhow::{Context as _, bail};
use async_trait::async_trait;
use base64::Engine as _;
use comptoir_functions::outbox::Mailer;
use comptoir_shared::notification::Notification;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpMailer {
    /// `host:port` of the relay.
    pub addr: String,
    /// The envelope and `From:` address.
    pub from: String,
}

/// Reads one (possibly multi-line) reply and checks its code.
async fn expect(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    codes: &[u16],
) -> anyhow::Result<()> {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            bail!("the SMTP server closed the connection");
        }
        let code: u16 = line
            .get(..3)
            .and_then(|c| c.parse().ok())
            .with_context(|| format!("bad SMTP reply {line:?}"))?;
        if line.as_bytes().get(3) == Some(&b'-') {
            continue;
        }
        if !codes.contains(&code) {
            bail!("SMTP server answered {}", line.trim_end());
        }
        return Ok(());
    }
}

fn encoded_subject(subject: &str) -> String {
    format!(
        "=?UTF-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(subject)
    )
}

/// The message with headers, CRLF line ends and dot-stuffing, ending in `.`.
fn data(from: &str, message: &Notification) -> String {
    let mut out = format!(
        "From: Comptoir <{from}>\r\nTo: <{}>\r\nSubject: {}\r\nMessage-ID: <{}@comptoir>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        message.recipient,
        encoded_subject(&message.subject),
        message.id
    );
    for line in message.body.lines() {
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
    out
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: &Notification) -> anyhow::Result<()> {
        let dialog = async {
            let stream = TcpStream::connect(&self.addr)
                .await
                .with_context(|| format!("connecting to {}", self.addr))?;
            let (read, mut write) = stream.into_split();
            let mut read = BufReader::new(read);
            expect(&mut read, &[220]).await?;
            for (command, codes) in [
                ("EHLO comptoir\r\n".to_owned(), &[250][..]),
                (format!("MAIL FROM:<{}>\r\n", self.from), &[250]),
                (format!("RCPT TO:<{}>\r\n", message.recipient), &[250, 251]),
                ("DATA\r\n".to_owned(), &[354]),
                (data(&self.from, message), &[250]),
                ("QUIT\r\n".to_owned(), &[221]),
            ] {
                write.write_all(command.as_bytes()).await?;
                expect(&mut read, codes).await?;
            }
            anyhow::Ok(())
        };
        tokio::time::timeout(Duration::from_secs(20), dialog)
            .await
            .context("SMTP timed out")?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_dot_stuffed_and_the_subject_encoded() {
        let message = Notification {
            id: comptoir_shared::ids::OpaqueId::from_u128(1),
            kind: "order_shipped".into(),
            order_id: Some(comptoir_shared::ids::OpaqueId::from_u128(2)),
            recipient: "marie@exemple.fr".into(),
            subject: "Commande expédiée".into(),
            body: "Bonjour\n.point\nfin".into(),
            created_at_ms: 0,
            attempts: 0,
            sent_at_ms: None,
            last_error: None,
        };
        let d = data("boutique@comptoir.test", &message);
        assert!(d.contains("\r\n..point\r\n"));
        assert!(d.ends_with("fin\r\n.\r\n"));
        assert!(d.contains("Subject: =?UTF-8?B?"));
    }
}
