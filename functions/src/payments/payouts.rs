//! Payouts and reconciliation: what the provider says it settled (balance
//! transactions) matched to what the shop recorded (captures, refunds), the
//! fees and the payout booked, and every mismatch a billing error with its
//! evidence.
//!
//! Stripe announces a payout with `payout.paid`; its balance transactions
//! are then read from Stripe ([`super::provider`]). The sandbox settles on
//! demand (`POST /api/payments/payouts/sandbox`, [`sandbox`]): everything
//! captured and refunded since its last payout, at the configured fee, so a
//! local shop has books too.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::ledger::{Journal, payout_entry};
use comptoir_shared::payment::{PayoutReport, PayoutTransactionKind};

use crate::accounting::ledger::{Entry, post};
use crate::accounting::{Suspense, book_suspense};
use crate::config::PaymentProvider;
use crate::error::AppResult;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor, Host, new_id};

/// One balance transaction, as the provider reports it.
#[derive(Debug, Clone)]
pub struct ProviderTransaction {
    /// The provider's id.
    pub id: String,
    /// Payment, refund, or anything else.
    pub kind: PayoutTransactionKind,
    /// The payment's reference (as captures keep it) or the provider's
    /// refund id.
    pub reference: String,
    /// Signed as the provider reports it (a refund is negative).
    pub amount: i64,
    /// The provider's fee on it.
    pub fee: i64,
    /// `amount - fee`.
    pub net: i64,
    /// Unix ms.
    pub created_at_ms: i64,
}

/// A payout with what it settles.
#[derive(Debug, Clone)]
pub struct ProviderPayout {
    /// The provider's id.
    pub id: String,
    /// Sent to the bank.
    pub amount: i64,
    /// When it reaches the bank (unix ms).
    pub arrival_at_ms: i64,
    /// ISO 4217, lower case as Stripe writes it.
    pub currency: String,
    /// What it settles; `None` when the provider cannot say (a manual
    /// payout, or a refusal to list it): booked, and a billing error.
    pub transactions: Option<Vec<ProviderTransaction>>,
}

/// The fee the provider is expected to take on a payment of `amount`.
pub fn expected_fee(host: &Host, amount: i64) -> i64 {
    let c = &host.config;
    comptoir_shared::pricing::round_div(i128::from(amount) * i128::from(c.payment_fee_bps), 10_000)
        + c.payment_fee_fixed_cents
}

/// Writes a billing error: what does not match, with its evidence.
pub async fn billing_error(
    tx: &mut dyn Executor,
    order: Option<&str>,
    evidence: &str,
    kind: &str,
    detail: &str,
    now: i64,
) -> anyhow::Result<()> {
    tracing::warn!(evidence, kind, detail, "billing error");
    tx.query(
        "INSERT INTO billing_errors (id, order_id, event_id, kind, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new_id().as_str(), order, evidence, kind, detail, now],
    )
    .await?;
    Ok(())
}

/// Books money the shop did not expect (or a difference) on the suspense
/// account, in or out.
async fn book_unexpected(
    tx: &mut dyn Executor,
    event: &str,
    source: &str,
    amount: i64,
    now: i64,
) -> anyhow::Result<()> {
    let label = format!("Écart prestataire {source}");
    let entry = Suspense {
        event,
        source,
        piece: source,
        label,
        amount,
    };
    book_suspense(tx, entry, now).await
}

/// Records a payout once (a second call changes nothing and answers
/// `None`), checks each transaction against the shop's records, and books
/// the fees and the payout. The caller's transaction holds it all.
pub async fn record(
    host: &Host,
    tx: &mut dyn Executor,
    payout: &ProviderPayout,
    now: i64,
) -> anyhow::Result<Option<PayoutReport>> {
    let fresh = tx
        .optional(
            "INSERT INTO payouts (id, amount_cents, currency, arrival_at, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            params![&payout.id, payout.amount, payout.currency.to_ascii_uppercase(), payout.arrival_at_ms, now],
        )
        .await?;
    if fresh.is_none() {
        return Ok(None);
    }
    let mut errors = 0u32;
    let report = |fees: i64, errors: u32| PayoutReport {
        id: payout.id.clone(),
        amount: comptoir_shared::Money::eur(payout.amount),
        fees: comptoir_shared::Money::eur(fees),
        transactions: payout
            .transactions
            .as_ref()
            .map_or(0, |t| u32::try_from(t.len()).unwrap_or(u32::MAX)),
        billing_errors: errors,
    };
    if !payout.currency.eq_ignore_ascii_case("eur") {
        // The books are in euros: nothing is booked from another currency.
        let detail = format!(
            "payout {} of {} {} (minor units): not in euros, not booked",
            payout.id, payout.amount, payout.currency
        );
        billing_error(tx, None, &payout.id, "payout_currency", &detail, now).await?;
        return Ok(Some(report(0, 1)));
    }
    let Some(transactions) = &payout.transactions else {
        let detail = format!(
            "payout {} of {} cents: the provider does not list what it settles; booked to the bank, to reconcile by hand",
            payout.id, payout.amount
        );
        billing_error(tx, None, &payout.id, "payout_unreconciled", &detail, now).await?;
        book_payout(tx, payout, 0, now).await?;
        return Ok(Some(report(0, 1)));
    };
    let (mut fees, mut net) = (0i64, 0i64);
    for t in transactions {
        tx.query(
            "INSERT INTO balance_transactions (id, payout_id, kind, reference, amount_cents, fee_cents, net_cents, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
            params![&t.id, &payout.id, t.kind.as_str(), &t.reference, t.amount, t.fee, t.net, t.created_at_ms],
        )
        .await?;
        fees += t.fee;
        net += t.net;
        let mut flag = |kind: &'static str, order: Option<String>, detail: String| {
            errors += 1;
            (kind, order, detail)
        };
        let found = match t.kind {
            PayoutTransactionKind::Payment => {
                let capture = tx
                    .optional(
                        "SELECT order_id, amount_cents FROM payment_captures WHERE reference = ?1",
                        params![&t.reference],
                    )
                    .await?;
                match capture {
                    None => {
                        book_unexpected(tx, "unmatched_payment", &t.id, t.amount, now).await?;
                        Some(flag(
                            "unknown_payment",
                            None,
                            format!(
                                "payment {} of {} cents in payout {}: no such payment",
                                t.reference, t.amount, payout.id
                            ),
                        ))
                    }
                    Some(row) => {
                        let (order, recorded) = (row.text(0)?.to_owned(), row.int(1)?);
                        let expected = expected_fee(host, t.amount);
                        if recorded != t.amount {
                            book_unexpected(
                                tx,
                                "payment_difference",
                                &t.id,
                                t.amount - recorded,
                                now,
                            )
                            .await?;
                            Some(flag(
                                "amount_mismatch",
                                Some(order),
                                format!(
                                    "payment {}: the provider settled {} cents, the shop recorded {}",
                                    t.reference, t.amount, recorded
                                ),
                            ))
                        } else if t.fee > expected {
                            Some(flag(
                                "fee_above_rate",
                                Some(order),
                                format!(
                                    "payment {}: fee {} cents, {} expected at the configured rate",
                                    t.reference, t.fee, expected
                                ),
                            ))
                        } else {
                            None
                        }
                    }
                }
            }
            PayoutTransactionKind::Refund => {
                let refund = tx
                    .optional(
                        "SELECT order_id, amount_cents, status FROM refunds WHERE provider_refund_id = ?1",
                        params![&t.reference],
                    )
                    .await?;
                match refund {
                    None => {
                        book_unexpected(tx, "unmatched_refund", &t.id, t.amount, now).await?;
                        Some(flag(
                            "unknown_refund",
                            None,
                            format!(
                                "refund {} of {} cents in payout {}: the shop has no such refund",
                                t.reference, -t.amount, payout.id
                            ),
                        ))
                    }
                    // Paid out before the shop learnt it succeeded: its
                    // credit note books it when it does.
                    Some(row) if row.text(2)? != "succeeded" => Some(flag(
                        "refund_not_settled",
                        Some(row.text(0)?.to_owned()),
                        format!(
                            "refund {} is {} at the shop, settled by the provider",
                            t.reference,
                            row.text(2)?
                        ),
                    )),
                    Some(row) if row.int(1)? != -t.amount => {
                        let recorded = row.int(1)?;
                        book_unexpected(tx, "refund_difference", &t.id, t.amount + recorded, now)
                            .await?;
                        Some(flag(
                            "amount_mismatch",
                            Some(row.text(0)?.to_owned()),
                            format!(
                                "refund {}: the provider settled {} cents, the shop recorded {}",
                                t.reference, -t.amount, recorded
                            ),
                        ))
                    }
                    Some(_) => None,
                }
            }
            PayoutTransactionKind::Other => {
                book_unexpected(tx, "unexpected_transaction", &t.id, t.amount, now).await?;
                Some(flag(
                    "unexpected_transaction",
                    None,
                    format!(
                        "{} of {} cents in payout {} ({})",
                        t.id, t.amount, payout.id, t.reference
                    ),
                ))
            }
        };
        if let Some((kind, order, detail)) = found {
            billing_error(tx, order.as_deref(), &t.id, kind, &detail, now).await?;
        }
    }
    if net != payout.amount {
        errors += 1;
        let detail = format!(
            "payout {} of {} cents settles transactions netting {} cents",
            payout.id, payout.amount, net
        );
        billing_error(tx, None, &payout.id, "payout_mismatch", &detail, now).await?;
    }
    book_payout(tx, payout, fees, now).await?;
    Ok(Some(report(fees, errors)))
}

/// Books a payout and the fees on what it settles, unless both are zero.
async fn book_payout(
    tx: &mut dyn Executor,
    payout: &ProviderPayout,
    fees: i64,
    now: i64,
) -> anyhow::Result<()> {
    let lines = payout_entry(fees, payout.amount);
    if lines.is_empty() {
        return Ok(());
    }
    post(
        tx,
        &Entry {
            journal: Journal::Bank,
            event: "payout",
            source: &payout.id,
            piece: &payout.id,
            piece_date_ms: payout.arrival_at_ms,
            label: format!("Virement du prestataire {} et ses frais", payout.id),
            customer: None,
            lines,
        },
        now,
    )
    .await
}

/// Pays out what the sandbox took.
#[utoipa::path(
    post,
    path = "/api/payments/payouts/sandbox",
    operation_id = "sandbox_payout",

    summary = "Settle the sandbox provider (a payout)",
    tag = "accounting",
    description = "Roles: finance, admin. With the offline (sandbox) provider only: a payout of \
        every payment captured and refund made since its last payout, each payment charged the \
        configured fee (`payment_fee_bps`, `payment_fee_fixed_cents`), recorded, reconciled and \
        booked like a Stripe payout. Nothing to settle answers `null`.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The payout, or null.", body = Option<PayoutReport>),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
        (status = 409, description = "`conflict`: the shop takes payments through Stripe, which pays out on its own.", body = ApiError),
    )
)]
pub async fn sandbox(
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Option<PayoutReport>>> {
    viewer.require(&[Role::Finance])?;
    if host.config.payment_provider != PaymentProvider::Sandbox {
        return Err(ApiError::Conflict {
            message: "Stripe pays out on its own schedule".into(),
        }
        .into());
    }
    Ok(Json(sandbox_payout(&host, i64::MAX).await?))
}

/// A day, in ms: how often the job runner pays the sandbox out.
const DAY_MS: i64 = 86_400_000;

/// The job runner's duty: once a day at most, a sandbox payout of what was
/// taken and given back more than a day ago (as a provider makes funds
/// available); whether it paid out.
pub async fn daily_sandbox_payout(host: &Host) -> anyhow::Result<bool> {
    let last = host
        .db
        .auto()
        .one("SELECT COALESCE(MAX(recorded_at), 0) FROM payouts", &[])
        .await?
        .int(0)?;
    let now = host.clock.now_ms();
    if now - last < DAY_MS {
        return Ok(false);
    }
    Ok(sandbox_payout(host, now - DAY_MS).await?.is_some())
}

/// Pays out, as the sandbox provider, every payment captured and refund
/// made since its last payout and by `until` (unix ms), at the configured
/// fee; `None` when nothing is left.
pub async fn sandbox_payout(host: &Host, until: i64) -> anyhow::Result<Option<PayoutReport>> {
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let mut transactions = Vec::new();
    for r in tx
        .query(
            "SELECT c.reference, c.amount_cents, c.at FROM payment_captures c \
             WHERE c.at <= ?1 AND NOT EXISTS (SELECT 1 FROM balance_transactions b WHERE b.reference = c.reference) \
             ORDER BY c.at, c.reference",
            params![until],
        )
        .await?
    {
        let amount = r.int(1)?;
        let fee = expected_fee(host, amount).min(amount);
        transactions.push(ProviderTransaction {
            id: format!("txn_sandbox_{}", new_id()),
            kind: PayoutTransactionKind::Payment,
            reference: r.text(0)?.to_owned(),
            amount,
            fee,
            net: amount - fee,
            created_at_ms: r.int(2)?,
        });
    }
    for r in tx
        .query(
            "SELECT f.provider_refund_id, f.amount_cents, COALESCE(f.settled_at, f.created_at) FROM refunds f \
             WHERE f.status = 'succeeded' AND f.provider_refund_id IS NOT NULL \
               AND COALESCE(f.settled_at, f.created_at) <= ?1 \
               AND NOT EXISTS (SELECT 1 FROM balance_transactions b WHERE b.reference = f.provider_refund_id) \
             ORDER BY 3, 1",
            params![until],
        )
        .await?
    {
        let amount = -r.int(1)?;
        transactions.push(ProviderTransaction {
            id: format!("txn_sandbox_{}", new_id()),
            kind: PayoutTransactionKind::Refund,
            reference: r.text(0)?.to_owned(),
            amount,
            fee: 0,
            net: amount,
            created_at_ms: r.int(2)?,
        });
    }
    if transactions.is_empty() {
        return Ok(None);
    }
    let payout = ProviderPayout {
        id: format!("po_sandbox_{}", new_id()),
        amount: transactions.iter().map(|t| t.net).sum(),
        arrival_at_ms: now,
        currency: "eur".into(),
        transactions: Some(transactions),
    };
    let report = record(host, tx.as_mut(), &payout, now).await?;
    tx.commit().await?;
    Ok(report)
}
