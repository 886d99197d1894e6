//! The outbox: notifications (order confirmed, shipped, refund settled; an
//! account's verification link, about no order) are
//! written by [`enqueue`] inside the transaction that makes the change, so a
//! change is never announced without happening nor happens unannounced.
//! [`deliver_due`] (the job runner's outbox duty, `crate::jobs`) sends them
//! later through a [`Mailer`], claiming each row first so two deliverers
//! never send the same message, and backing off on failure. Without a mailer they are kept, and staff read them
//! (`GET /api/orders/notifications`, [`list`]) with every link that carries
//! a token masked ([`redact_links`]): a verification link is the
//! recipient's alone.

use async_trait::async_trait;
use comptoir_shared::ids::{OpaqueId, OrderId};
use comptoir_shared::notification::Notification;

use crate::params;
use crate::port::{Database, Executor, Row, new_id};

/// Sends one message: SMTP in the native host when a relay is configured,
/// else the HTTP e-mail API ([`crate::jobs::MailApi`]) when one is.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers `message`; an error means "try again later".
    async fn send(&self, message: &Notification) -> anyhow::Result<()>;
}

/// What to announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The order is paid.
    OrderConfirmation,
    /// The parcel left.
    OrderShipped,
    /// Money went back.
    RefundSettled,
    /// A paid order waits to be picked past its delay (to staff).
    OrderEscalated,
    /// The order missed the delivery date promised (`detail`: that date).
    OrderLate,
    /// A link that verifies an account's e-mail (about no order).
    EmailVerification,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::OrderConfirmation => "order_confirmation",
            Self::OrderShipped => "order_shipped",
            Self::RefundSettled => "refund_settled",
            Self::OrderEscalated => "order_escalated",
            Self::OrderLate => "order_late",
            Self::EmailVerification => "email_verification",
        }
    }
}

/// Writes a notification about `order` in the caller's transaction. `reference`
/// distinguishes several of one kind (a refund id); the same
/// `(kind, order, reference)` is written once however often this runs.
pub async fn enqueue(
    tx: &mut dyn Executor,
    kind: Kind,
    order: &OrderId,
    reference: &str,
    detail: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    let Some(head) = tx
        .optional(
            "SELECT email, total_cents, carrier, tracking_number FROM orders WHERE id = ?1",
            params![order.as_str()],
        )
        .await?
    else {
        return Ok(());
    };
    let short = order.short();
    let (subject, body) = match kind {
        Kind::OrderConfirmation => (
            format!("Comptoir — commande {short} confirmée"),
            format!(
                "Bonjour,\n\nNous avons bien reçu le paiement de votre commande {short} ({}).\nNous vous écrirons dès son expédition.\n\nMerci,\nComptoir",
                comptoir_shared::Money::eur(head.int(1)?).format_fr()
            ),
        ),
        Kind::OrderShipped => (
            format!("Comptoir — commande {short} expédiée"),
            format!(
                "Bonjour,\n\nVotre commande {short} est partie avec {} (suivi : {}).\n\nMerci,\nComptoir",
                head.opt_text(2)?.unwrap_or("notre transporteur"),
                head.opt_text(3)?.unwrap_or("—")
            ),
        ),
        Kind::RefundSettled => (
            format!("Comptoir — remboursement de la commande {short}"),
            format!(
                "Bonjour,\n\nNous vous avons remboursé {detail} sur la commande {short}.\n\nComptoir"
            ),
        ),
        Kind::OrderLate => (
            format!("Comptoir — commande {short} : retard de livraison"),
            late_delivery_body(short, detail),
        ),
        Kind::OrderEscalated => anyhow::bail!("an escalation is written to staff (enqueue_staff)"),
        Kind::EmailVerification => {
            anyhow::bail!("a verification link is about an account (enqueue_account)")
        }
    };
    let message = Outgoing {
        dedupe: &format!("{}:{}:{reference}", kind.as_str(), order),
        kind,
        order: Some(order),
        recipient: head.text(0)?,
        subject: &subject,
        body: &body,
    };
    insert(tx, &message, now_ms).await
}

/// What a customer is told when their order missed the delivery date
/// promised (`promised`: `11/12/2026`), by e-mail or in their portal.
pub fn late_delivery_body(short: &str, promised: &str) -> String {
    format!(
        "Bonjour,\n\nVotre commande {short} devait vous parvenir au plus tard le {promised}. Elle n'a pas encore \
         quitté notre entrepôt, et nous en sommes désolés.\nNous vous écrirons dès son expédition ; \
         vous pouvez nous répondre à tout moment.\n\nLe service client de Comptoir"
    )
}

/// Writes `subject` and `body` about `order` to every enabled admin and
/// warehouse account, in the caller's transaction; the same `(kind, order)`
/// reaches each of them once however often this runs.
pub async fn enqueue_staff(
    tx: &mut dyn Executor,
    kind: Kind,
    order: &OrderId,
    subject: &str,
    body: &str,
    now_ms: i64,
) -> anyhow::Result<u32> {
    let staff = tx
        .query(
            "SELECT email FROM accounts WHERE role IN ('admin', 'warehouse') AND disabled_at IS NULL ORDER BY email",
            &[],
        )
        .await?;
    let mut written = 0;
    for row in &staff {
        let recipient = row.text(0)?;
        let message = Outgoing {
            dedupe: &format!("{}:{}:{recipient}", kind.as_str(), order),
            kind,
            order: Some(order),
            recipient,
            subject,
            body,
        };
        insert(tx, &message, now_ms).await?;
        written += 1;
    }
    Ok(written)
}

/// Writes `subject` and `body` about no order to `recipient`, in the
/// caller's transaction; `reference` is the message's dedupe key within its
/// kind: the same `(kind, reference)` is written once however often this runs.
pub async fn enqueue_account(
    tx: &mut dyn Executor,
    kind: Kind,
    reference: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    let message = Outgoing {
        dedupe: &format!("{}:{reference}", kind.as_str()),
        kind,
        order: None,
        recipient,
        subject,
        body,
    };
    insert(tx, &message, now_ms).await
}

/// One outbox row to write; `dedupe` makes writing it twice a no-op.
struct Outgoing<'a> {
    dedupe: &'a str,
    kind: Kind,
    order: Option<&'a OrderId>,
    recipient: &'a str,
    subject: &'a str,
    body: &'a str,
}

async fn insert(tx: &mut dyn Executor, m: &Outgoing<'_>, now_ms: i64) -> anyhow::Result<()> {
    tx.query(
        "INSERT INTO outbox (id, dedupe_key, kind, order_id, recipient, subject, body, created_at, next_attempt_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) ON CONFLICT (dedupe_key) DO NOTHING",
        params![
            new_id().as_str(),
            m.dedupe,
            m.kind.as_str(),
            m.order.map(OrderId::as_str),
            m.recipient,
            m.subject,
            m.body,
            now_ms
        ],
    )
    .await?;
    Ok(())
}

fn notification(r: &Row) -> anyhow::Result<Notification> {
    Ok(Notification {
        id: r.parse(0, OpaqueId::parse)?,
        kind: r.text(1)?.to_owned(),
        order_id: match r.opt_text(2)? {
            Some(_) => Some(r.parse(2, OrderId::parse)?),
            None => None,
        },
        recipient: r.text(3)?.to_owned(),
        subject: r.text(4)?.to_owned(),
        body: r.text(5)?.to_owned(),
        created_at_ms: r.int(6)?,
        attempts: u32::try_from(r.int(7)?)?,
        sent_at_ms: r.opt_int(8)?,
        last_error: r.opt_text(9)?.map(str::to_owned),
    })
}

const COLUMNS: &str =
    "id, kind, order_id, recipient, subject, body, created_at, attempts, sent_at, last_error";

/// What a masked link reads as in [`list`].
pub const MASKED_LINK: &str = "[lien masqué]";

/// `body` with every word that carries a token (`…?token=…`) replaced by
/// [`MASKED_LINK`]: staff see that a link was sent, never the link itself
/// (whoever holds a verification link could use it).
pub fn redact_links(body: &str) -> String {
    body.split('\n')
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    if word.contains("token=") {
                        MASKED_LINK
                    } else {
                        word
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The newest notifications, unsent first, for staff to read: their links
/// masked ([`redact_links`]).
pub async fn list(db: &mut dyn Executor, unsent_only: bool) -> anyhow::Result<Vec<Notification>> {
    db.query(
        &format!(
            "SELECT {COLUMNS} FROM outbox WHERE (?1 = 0 OR sent_at IS NULL) \
             ORDER BY sent_at IS NOT NULL, created_at DESC LIMIT 200"
        ),
        params![unsent_only],
    )
    .await?
    .iter()
    .map(|row| {
        let mut message = notification(row)?;
        message.body = redact_links(&message.body);
        Ok(message)
    })
    .collect()
}

/// How long a deliverer owns a claimed message before another may retry it.
const CLAIM_MS: i64 = 60_000;

/// Sends what is due; returns `(sent, failed)`.
pub async fn deliver_due(
    db: &dyn Database,
    mailer: &dyn Mailer,
    now_ms: i64,
    limit: u32,
) -> anyhow::Result<(u32, u32)> {
    let due = db
        .query(
            &format!(
                "SELECT {COLUMNS} FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ?1 \
                 AND (claimed_until IS NULL OR claimed_until < ?1) ORDER BY next_attempt_at LIMIT ?2"
            ),
            params![now_ms, limit],
        )
        .await?;
    let (mut sent, mut failed) = (0, 0);
    for row in due {
        let message = notification(&row)?;
        let claimed = db
            .query(
                "UPDATE outbox SET claimed_until = ?2 WHERE id = ?1 AND sent_at IS NULL \
                 AND (claimed_until IS NULL OR claimed_until < ?3) RETURNING id",
                params![message.id.as_str(), now_ms + CLAIM_MS, now_ms],
            )
            .await?;
        if claimed.is_empty() {
            continue; // another deliverer has it
        }
        match mailer.send(&message).await {
            Ok(()) => {
                db.query(
                    "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = ?1",
                    params![message.id.as_str(), now_ms],
                )
                .await?;
                sent += 1;
            }
            Err(e) => {
                // Back off 30 s, 1 min, 2 min, … up to an hour.
                let backoff = (30_000i64 << message.attempts.min(7)).min(3_600_000);
                db.query(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, claimed_until = NULL, last_error = ?3 WHERE id = ?1",
                    params![message.id.as_str(), now_ms + backoff, format!("{e:#}")],
                )
                .await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_with_a_token_are_masked_and_the_rest_is_kept() {
        let body = "Bonjour,\n\nOuvrez ce lien :\nhttps://boutique.example/compte/verifier?token=abc.1.ff\n\n\
                    Voir https://boutique.example/produits/lin (sans jeton).\nComptoir";
        assert_eq!(
            redact_links(body),
            "Bonjour,\n\nOuvrez ce lien :\n[lien masqué]\n\n\
             Voir https://boutique.example/produits/lin (sans jeton).\nComptoir"
        );
        assert_eq!(redact_links("lien: x?token=1 y"), "lien: [lien masqué] y");
    }
}
