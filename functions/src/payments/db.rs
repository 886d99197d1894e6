//! Payment SQL: sessions (at most one open per order, held by the unique
//! index `payment_sessions_one_open_per_order`) and captures (each provider
//! payment once, by its reference; at most one kept per order, held by
//! `payment_captures_one_kept_per_order`).

use comptoir_shared::ids::{OpaqueId, OrderId};
use comptoir_shared::order::CaptureInfo;
use comptoir_shared::payment::PaymentSession;
use comptoir_shared::{Currency, Money};

use crate::params;
use crate::port::{Executor, new_id};

use super::provider::OpenedSession;

/// One session of an order, as the opening of a new one needs it.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The provider's session id.
    pub id: String,
    /// Where it sends the shopper.
    pub redirect_url: String,
    /// `open`, `complete` or `expired`.
    pub state: String,
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// Whether a payment through it is recorded.
    pub captured: bool,
}

impl SessionRow {
    /// Completed without its payment being known yet (a delayed payment
    /// method: the provider announces success or failure later). No other
    /// session of the order may open meanwhile: the shopper would pay twice.
    pub fn payment_in_flight(&self) -> bool {
        self.state == "complete" && !self.captured
    }

    /// The session as the storefront receives it.
    pub fn answer(&self) -> PaymentSession {
        PaymentSession {
            session_id: self.id.clone(),
            redirect_url: self.redirect_url.clone(),
        }
    }
}

/// Every session of `order`, oldest first.
pub async fn sessions_of(
    db: &mut dyn Executor,
    order: &OrderId,
) -> anyhow::Result<Vec<SessionRow>> {
    db.query(
        "SELECT s.id, s.redirect_url, s.state, s.provider, \
             EXISTS (SELECT 1 FROM payment_captures c WHERE c.session_id = s.id) \
         FROM payment_sessions s WHERE s.order_id = ?1 ORDER BY s.created_at, s.id",
        params![order.as_str()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(SessionRow {
            id: r.text(0)?.to_owned(),
            redirect_url: r.text(1)?.to_owned(),
            state: r.text(2)?.to_owned(),
            provider: r.text(3)?.to_owned(),
            captured: r.int(4)? == 1,
        })
    })
    .collect()
}

/// Records `opened` as the order's open session, if the order still awaits
/// payment and no other session of it is open; `false` otherwise (the
/// unique index, not a prior read, decides between concurrent openings).
pub async fn insert_open(
    db: &mut dyn Executor,
    opened: &OpenedSession,
    order: &OrderId,
    provider: &str,
    amount: Money,
    now_ms: i64,
) -> anyhow::Result<bool> {
    // `WHERE` on the `SELECT` also keeps SQLite's upsert grammar unambiguous.
    let inserted = db
        .optional(
            "INSERT INTO payment_sessions (id, order_id, provider, amount_cents, currency, state, created_at, redirect_url) \
             SELECT ?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7 \
             WHERE EXISTS (SELECT 1 FROM orders WHERE id = ?2 AND status = 'pending_payment') \
             ON CONFLICT DO NOTHING RETURNING id",
            params![
                &opened.id,
                order.as_str(),
                provider,
                amount.amount,
                amount.currency.code(),
                now_ms,
                &opened.redirect_url
            ],
        )
        .await?;
    Ok(inserted.is_some())
}

/// Records a session the provider opened but the shop does not use (it lost
/// the race to be the open one) as closed and owed an expiry at the provider,
/// so the back office retries the expiry the opening could not do.
pub async fn insert_surplus(
    db: &mut dyn Executor,
    opened: &OpenedSession,
    order: &OrderId,
    provider: &str,
    amount: Money,
    now_ms: i64,
) -> anyhow::Result<()> {
    db.query(
        "INSERT INTO payment_sessions (id, order_id, provider, amount_cents, currency, state, created_at, redirect_url, provider_expiry_due) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'expired', ?6, ?7, 1) ON CONFLICT DO NOTHING",
        params![
            &opened.id,
            order.as_str(),
            provider,
            amount.amount,
            amount.currency.code(),
            now_ms,
            &opened.redirect_url
        ],
    )
    .await?;
    Ok(())
}

/// Whether the shop knows session `id`.
pub async fn session_exists(db: &mut dyn Executor, id: &str) -> anyhow::Result<bool> {
    Ok(db
        .optional("SELECT 1 FROM payment_sessions WHERE id = ?1", params![id])
        .await?
        .is_some())
}

/// The state of session `id` of `order`, if the shop knows it.
pub async fn session_state(
    db: &mut dyn Executor,
    id: &str,
    order: &OrderId,
) -> anyhow::Result<Option<String>> {
    db.optional(
        "SELECT state FROM payment_sessions WHERE id = ?1 AND order_id = ?2",
        params![id, order.as_str()],
    )
    .await?
    .map(|r| Ok(r.text(0)?.to_owned()))
    .transpose()
}

/// The order's open session, if any.
pub async fn open_session(
    db: &mut dyn Executor,
    order: &OrderId,
) -> anyhow::Result<Option<SessionRow>> {
    Ok(sessions_of(db, order)
        .await?
        .into_iter()
        .find(|s| s.state == "open"))
}

/// Closes one session (`complete` or `expired`) if it is open; the provider
/// closed it itself, so no expiry is owed there.
pub async fn close(tx: &mut dyn Executor, session: &str, state: &str) -> anyhow::Result<()> {
    tx.query(
        "UPDATE payment_sessions SET state = ?2 WHERE id = ?1 AND state = 'open'",
        params![session, state],
    )
    .await?;
    Ok(())
}

/// Sessions of `provider` owed an expiry at the provider, oldest first.
pub async fn expiries_due(
    db: &mut dyn Executor,
    provider: &str,
    limit: i64,
) -> anyhow::Result<Vec<String>> {
    db.query(
        "SELECT id FROM payment_sessions WHERE provider_expiry_due = 1 AND provider = ?1 ORDER BY created_at LIMIT ?2",
        params![provider, limit],
    )
    .await?
    .iter()
    .map(|r| Ok(r.text(0)?.to_owned()))
    .collect()
}

/// The provider expired session `id` (or had nothing left to expire).
pub async fn expiry_done(db: &mut dyn Executor, id: &str) -> anyhow::Result<()> {
    db.query(
        "UPDATE payment_sessions SET provider_expiry_due = 0 WHERE id = ?1",
        params![id],
    )
    .await?;
    Ok(())
}

/// One payment to record.
pub struct NewCapture<'a> {
    /// The order it was made for.
    pub order: &'a OrderId,
    /// The session it came through.
    pub session_id: &'a str,
    /// The provider's payment reference (payment intent).
    pub reference: &'a str,
    /// What it took.
    pub amount: Money,
    /// The event that announced it.
    pub event_id: &'a str,
}

/// Records a capture, not kept yet; `None` when its reference is already
/// known (the same payment announced again: nothing to add).
pub async fn record_capture(
    tx: &mut dyn Executor,
    capture: &NewCapture<'_>,
    now_ms: i64,
) -> anyhow::Result<Option<OpaqueId>> {
    let id = new_id();
    let fresh = tx
        .optional(
            "INSERT INTO payment_captures (id, order_id, session_id, reference, amount_cents, currency, kept, event_id, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8) ON CONFLICT (reference) DO NOTHING RETURNING id",
            params![
                id.as_str(),
                capture.order.as_str(),
                capture.session_id,
                capture.reference,
                capture.amount.amount,
                capture.amount.currency.code(),
                capture.event_id,
                now_ms
            ],
        )
        .await?;
    Ok(fresh.map(|_| id))
}

/// Makes `capture` the order's payment (at most one per order: the unique
/// index refuses a second, and the transaction with it).
pub async fn keep_capture(tx: &mut dyn Executor, capture: &OpaqueId) -> anyhow::Result<()> {
    tx.query(
        "UPDATE payment_captures SET kept = 1 WHERE id = ?1",
        params![capture.as_str()],
    )
    .await?;
    Ok(())
}

/// The order a known capture belongs to, and whether it is the kept one.
pub async fn capture_by_reference(
    db: &mut dyn Executor,
    reference: &str,
) -> anyhow::Result<Option<(OrderId, bool)>> {
    db.optional(
        "SELECT order_id, kept FROM payment_captures WHERE reference = ?1",
        params![reference],
    )
    .await?
    .map(|r| Ok((r.parse(0, OrderId::parse)?, r.int(1)? == 1)))
    .transpose()
}

/// Every capture of `order`, oldest first.
pub async fn captures_of(
    db: &mut dyn Executor,
    order: &OrderId,
) -> anyhow::Result<Vec<CaptureInfo>> {
    db.query(
        "SELECT reference, session_id, amount_cents, currency, kept, at FROM payment_captures \
         WHERE order_id = ?1 ORDER BY at, id",
        params![order.as_str()],
    )
    .await?
    .iter()
    .map(|r| {
        let currency = r.text(3)?;
        Ok(CaptureInfo {
            reference: r.text(0)?.to_owned(),
            session_id: r.text(1)?.to_owned(),
            amount: Money {
                amount: r.int(2)?,
                currency: Currency::parse(currency)
                    .ok_or_else(|| anyhow::anyhow!("stored currency {currency:?}"))?,
            },
            kept: r.int(4)? == 1,
            at_ms: r.int(5)?,
        })
    })
    .collect()
}
