//! Order SQL: status changes, timeline, reads.

use anyhow::Context as _;
use comptoir_shared::checkout::{Address, Phone, RawAddress};
use comptoir_shared::company::{Company, Siren, VatNumber};
use comptoir_shared::ids::{Email, OpaqueId, OrderId, Quantity, Sku};
use comptoir_shared::order::{OrderLine, OrderStatus, OrderSummary, Shipment, TimelineEntry};
use comptoir_shared::pricing::{TaxClass, Totals};
use comptoir_shared::{ApiError, Currency, Money};

use crate::error::{AppError, AppResult};
use crate::params;
use crate::port::{Database, Executor, new_id};

/// The fields of an order that decisions are made on.
#[derive(Debug, Clone)]
pub struct OrderHead {
    /// Current status.
    pub status: OrderStatus,
    /// What must be paid.
    pub total: Money,
    /// Buyer.
    pub email: Email,
}

/// An order's status, total and e-mail, if it exists.
pub async fn head(db: &mut dyn Executor, id: &OrderId) -> anyhow::Result<Option<OrderHead>> {
    let Some(r) = db
        .optional(
            "SELECT status, total_cents, currency, email FROM orders WHERE id = ?1",
            params![id.as_str()],
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(OrderHead {
        status: status(r.text(0)?)?,
        total: money(r.int(1)?, r.text(2)?)?,
        email: r.parse(3, Email::parse)?,
    }))
}

/// Whether `account` placed `order` (signed in). Guest orders under the same
/// e-mail are not the account's: addresses are not verified.
pub async fn is_owner(
    db: &mut dyn Executor,
    order: &OrderId,
    account: &OpaqueId,
) -> anyhow::Result<bool> {
    Ok(db
        .optional(
            "SELECT 1 FROM orders WHERE id = ?1 AND customer_id = ?2",
            params![order.as_str(), account.as_str()],
        )
        .await?
        .is_some())
}

fn status(raw: &str) -> anyhow::Result<OrderStatus> {
    OrderStatus::parse(raw).with_context(|| format!("stored status {raw:?}"))
}

fn money(amount: i64, currency: &str) -> anyhow::Result<Money> {
    let currency =
        Currency::parse(currency).with_context(|| format!("stored currency {currency:?}"))?;
    Ok(Money { amount, currency })
}

/// Moves an order to `to` if the state machine allows it, recording who and why.
/// Answers `invalid_transition` (409) otherwise; writes nothing in that case.
pub async fn transition(
    tx: &mut dyn Executor,
    id: &OrderId,
    to: OrderStatus,
    actor: &str,
    note: &str,
    now_ms: i64,
) -> AppResult<()> {
    let Some(current) = head(tx, id).await? else {
        return Err(ApiError::not_found("order").into());
    };
    if !current.status.can_become(to) {
        return Err(ApiError::InvalidTransition {
            from: current.status,
            to,
        }
        .into());
    }
    tx.query(
        "UPDATE orders SET status = ?2 WHERE id = ?1",
        params![id.as_str(), to.as_str()],
    )
    .await?;
    if to == OrderStatus::Cancelled {
        close_payment_sessions(tx, id).await?;
    }
    insert_event(tx, id, to, actor, note, now_ms)
        .await
        .map_err(AppError::from)
}

/// A cancelled order can no longer be paid through its open sessions: they
/// close with it (the sandbox page refuses), and each is marked as owed an
/// expiry at the provider, which the payments function or the back office
/// performs (`payments::expire_due`): this function may not reach Stripe.
/// A payment that still lands is refunded in full by the webhook.
async fn close_payment_sessions(tx: &mut dyn Executor, id: &OrderId) -> anyhow::Result<()> {
    close_sessions(tx, id, &SessionsToClose::All).await
}

/// Which of an order's open payment sessions [`close_sessions`] closes.
#[derive(Debug, Clone, Copy)]
pub enum SessionsToClose<'a> {
    /// Every one.
    All,
    /// All but this one (the session that just paid the order).
    AllBut(&'a str),
    /// Those of other providers than this one (the shop switched providers).
    NotOf(&'a str),
}

/// Closes the order's open payment sessions, each owed an expiry at its
/// provider (the sandbox keeps no state of its own: nothing is owed there).
/// The one statement every closing goes through.
pub async fn close_sessions(
    tx: &mut dyn Executor,
    order: &OrderId,
    which: &SessionsToClose<'_>,
) -> anyhow::Result<()> {
    let (except_id, except_provider) = match which {
        SessionsToClose::All => (None, None),
        SessionsToClose::AllBut(id) => (Some(*id), None),
        SessionsToClose::NotOf(provider) => (None, Some(*provider)),
    };
    tx.query(
        "UPDATE payment_sessions SET state = 'expired', \
             provider_expiry_due = CASE WHEN provider = 'sandbox' THEN 0 ELSE 1 END \
         WHERE order_id = ?1 AND state = 'open' AND (CAST(?2 AS TEXT) IS NULL OR id <> ?2) AND (CAST(?3 AS TEXT) IS NULL OR provider <> ?3)",
        params![order.as_str(), except_id, except_provider],
    )
    .await?;
    Ok(())
}

/// Appends a timeline entry.
pub async fn insert_event(
    tx: &mut dyn Executor,
    id: &OrderId,
    status: OrderStatus,
    actor: &str,
    note: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    insert_entry(tx, id, status, actor, note, false, now_ms).await
}

/// Appends a staff-only note to the timeline, at the order's current status.
pub async fn insert_internal_note(
    tx: &mut dyn Executor,
    id: &OrderId,
    status: OrderStatus,
    actor: &str,
    note: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    insert_entry(tx, id, status, actor, note, true, now_ms).await
}

async fn insert_entry(
    tx: &mut dyn Executor,
    id: &OrderId,
    status: OrderStatus,
    actor: &str,
    note: &str,
    internal: bool,
    now_ms: i64,
) -> anyhow::Result<()> {
    tx.query(
        "INSERT INTO order_events (id, order_id, seq, at, status, actor, note, internal) \
         SELECT ?1, ?2, COALESCE(MAX(seq), 0) + 1, ?3, ?4, ?5, ?6, ?7 FROM order_events WHERE order_id = ?2",
        params![new_id().as_str(), id.as_str(), now_ms, status.as_str(), actor, note, internal],
    )
    .await?;
    Ok(())
}

/// An order's staff-only notes, oldest first.
pub async fn internal_notes(
    db: &mut dyn Executor,
    id: &OrderId,
) -> anyhow::Result<Vec<comptoir_shared::note::StaffNote>> {
    db.query(
        "SELECT at, actor, note FROM order_events WHERE order_id = ?1 AND internal = 1 ORDER BY seq",
        params![id.as_str()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(comptoir_shared::note::StaffNote {
            at_ms: r.int(0)?,
            author: r.text(1)?.to_owned(),
            body: r.text(2)?.to_owned(),
        })
    })
    .collect()
}

/// Cancels every unpaid order whose reservation has lapsed and gives its stock
/// back; answers how many. Called at the start of stock-taking transactions
/// (so what they take is as of now) and by the job runner (for everyone
/// else: reads take no write path). Each order is cancelled by a conditional
/// update, so two transactions that both saw it lapse release it once.
pub async fn expire_reservations(tx: &mut dyn Executor, now_ms: i64) -> anyhow::Result<u32> {
    let expired = tx
        .query(
            "SELECT id FROM orders WHERE status = 'pending_payment' AND reservation_expires_at <= ?1",
            params![now_ms],
        )
        .await?;
    let mut released = 0;
    for row in expired {
        let id = row.parse(0, OrderId::parse)?;
        let cancelled = tx
            .optional(
                "UPDATE orders SET status = 'cancelled' WHERE id = ?1 AND status = 'pending_payment' RETURNING id",
                params![id.as_str()],
            )
            .await?;
        if cancelled.is_none() {
            continue; // released by another transaction meanwhile
        }
        released += 1;
        insert_event(
            tx,
            &id,
            OrderStatus::Cancelled,
            "system",
            "reservation expired",
            now_ms,
        )
        .await?;
        close_payment_sessions(tx, &id).await?;
        crate::stock::release_order(tx, &id, now_ms).await?;
    }
    Ok(released)
}

/// Releases lapsed reservations if there are any (one indexed read when
/// there are none); answers how many orders it cancelled. The job runner's
/// duty, and a step of the few writes that need it as of now.
pub async fn settle_expired(db: &dyn Database, now_ms: i64) -> anyhow::Result<u32> {
    let lapsed = db
        .auto()
        .optional(
            "SELECT 1 FROM orders WHERE status = 'pending_payment' AND reservation_expires_at <= ?1 LIMIT 1",
            params![now_ms],
        )
        .await?;
    if lapsed.is_none() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let released = expire_reservations(tx.as_mut(), now_ms).await?;
    tx.commit().await?;
    Ok(released)
}

/// The order as its buyer sees it.
pub async fn summary(db: &mut dyn Executor, id: &OrderId) -> anyhow::Result<Option<OrderSummary>> {
    let Some(r) = db
        .optional(
            "SELECT status, email, ship_name, ship_line1, ship_line2, ship_postal_code, ship_city, ship_country, \
                    subtotal_cents, shipping_cents, total_cents, vat_cents, currency, created_at, discount_cents, \
                    carrier, tracking_number, phone, bill_name, bill_line1, bill_line2, bill_postal_code, \
                    bill_city, bill_country, company_name, company_siren, company_vat_number \
             FROM orders WHERE id = ?1",
            params![id.as_str()],
        )
        .await?
    else {
        return Ok(None);
    };
    let currency = r.text(12)?;
    let shipping_address = Address::parse(RawAddress {
        name: r.text(2)?.to_owned(),
        line1: r.text(3)?.to_owned(),
        line2: r.text(4)?.to_owned(),
        postal_code: r.text(5)?.to_owned(),
        city: r.text(6)?.to_owned(),
        country: r.text(7)?.to_owned(),
    })
    .map_err(|(field, e)| anyhow::anyhow!("stored address {field}: {e}"))?;
    let billing_address = match r.opt_text(18)? {
        None => None,
        Some(name) => Some(
            Address::parse(RawAddress {
                name: name.to_owned(),
                line1: r.text(19)?.to_owned(),
                line2: r.text(20)?.to_owned(),
                postal_code: r.text(21)?.to_owned(),
                city: r.text(22)?.to_owned(),
                country: r.text(23)?.to_owned(),
            })
            .map_err(|(field, e)| anyhow::anyhow!("stored billing address {field}: {e}"))?,
        ),
    };
    let phone = Phone::parse(r.text(17)?).ok();
    let company = match r.opt_text(24)? {
        None => None,
        Some(name) => {
            let siren = r.opt_text(25)?.map(Siren::parse).transpose();
            let vat_number = r.opt_text(26)?.map(VatNumber::parse).transpose();
            let (siren, vat_number) = siren
                .and_then(|s| Ok((s, vat_number?)))
                .map_err(|e| anyhow::anyhow!("stored company: {e}"))?;
            Some(
                Company::new(name, siren, vat_number)
                    .map_err(|(field, e)| anyhow::anyhow!("stored {field}: {e}"))?,
            )
        }
    };
    let lines = db
        .query(
            "SELECT sku, description, unit_price_cents, quantity, tax_class FROM order_lines WHERE order_id = ?1 ORDER BY position",
            params![id.as_str()],
        )
        .await?
        .iter()
        .map(|l| {
            let unit_price = money(l.int(2)?, currency)?;
            let quantity = Quantity::parse(l.int(3)?).context("stored quantity")?;
            Ok(OrderLine {
                sku: l.parse(0, Sku::parse)?,
                description: l.text(1)?.to_owned(),
                unit_price,
                quantity,
                line_total: unit_price.checked_mul(quantity.get()).context("line total")?,
                tax_class: TaxClass::parse(l.text(4)?).context("stored tax class")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let timeline = db
        .query(
            "SELECT at, status, actor, note FROM order_events WHERE order_id = ?1 AND internal = 0 ORDER BY seq",
            params![id.as_str()],
        )
        .await?
        .iter()
        .map(|e| {
            Ok(TimelineEntry {
                at_ms: e.int(0)?,
                status: status(e.text(1)?)?,
                actor: e.text(2)?.to_owned(),
                note: e.text(3)?.to_owned(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(OrderSummary {
        id: id.clone(),
        status: status(r.text(0)?)?,
        email: r.parse(1, Email::parse)?,
        shipping_address,
        billing_address,
        phone,
        company,
        lines,
        totals: Totals::stored(
            Currency::parse(currency).with_context(|| format!("stored currency {currency:?}"))?,
            r.int(8)?,
            r.int(14)?,
            r.int(9)?,
            r.int(10)?,
            r.int(11)?,
        ),
        created_at_ms: r.int(13)?,
        timeline,
        shipment: match (r.opt_text(15)?, r.opt_text(16)?) {
            (Some(carrier), Some(tracking)) => Some(Shipment {
                carrier: carrier.to_owned(),
                tracking_number: tracking.to_owned(),
            }),
            _ => None,
        },
    }))
}

/// How an order was settled, for its invoice.
pub struct Settlement {
    /// When the payment landed (unix ms).
    pub paid_at_ms: i64,
    /// The provider's reference of the payment.
    pub reference: String,
    /// How the goods travel.
    pub shipping_method: String,
}

/// How `id` was paid; `None` while it is not.
pub async fn settlement(db: &mut dyn Executor, id: &OrderId) -> anyhow::Result<Option<Settlement>> {
    let row = db
        .optional(
            "SELECT paid_at, payment_reference, shipping_method FROM orders WHERE id = ?1 AND paid_at IS NOT NULL",
            params![id.as_str()],
        )
        .await?;
    row.map(|r| {
        Ok(Settlement {
            paid_at_ms: r.int(0)?,
            reference: r.opt_text(1)?.unwrap_or_default().to_owned(),
            shipping_method: r.text(2)?.to_owned(),
        })
    })
    .transpose()
}
