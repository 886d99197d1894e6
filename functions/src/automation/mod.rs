//! Automation rules: repetitive back-office work the job runner does on its
//! own ([`run`], its `automation` duty), as admins set it. Each rule claims
//! its subject in `automation_actions` in the transaction of its action, so
//! it acts at most once per order however many runners run and however
//! often; each action is audited with the actor `automation`.
//!
//! - a detractor's survey answer (NPS ≤ 6 or CSAT ≤ 2, answered in the last
//!   7 days) opens a support thread on that order, in the customer's name
//!   with their answer, so it waits in the inbox as `open` ([`detractors`]);
//! - a paid order still not picked N hours after payment is escalated: an
//!   alert on the dashboard until it is picked, and a message to every
//!   admin and warehouse account ([`unpicked_orders`]);
//! - a SKU at its reorder point is put on a purchase-order draft for its
//!   supplier ([`crate::purchasing::draft_suggestions`]); a SKU already on
//!   a draft or sent order is left alone, so it is drafted once;
//! - an order still not shipped by the date promised at checkout gets a
//!   message in the customer's portal thread on it, or an e-mail for a
//!   guest ([`late_orders`]) (once shipped, the shop has no carrier
//!   tracking to tell a late parcel from one nobody marked delivered);
//! - a return request of at most N € is approved and sent to the payment
//!   provider, at most M per customer over 365 days, without restocking;
//!   the others wait for finance ([`small_returns`]). Off until an admin
//!   switches it on.
//!
//! - `GET /api/jobs/automation` — the settings and open alerts ([`settings`])
//! - `PUT /api/jobs/automation` — admins change the settings ([`settings`])

pub mod settings;

use comptoir_shared::account::{Account, Role};
use comptoir_shared::audit::AuditAction;
use comptoir_shared::automation::{Alert, AutomationSettings, Rule};
use comptoir_shared::ids::{Email, OpaqueId, OrderId};
use comptoir_shared::support::{MessageAuthor, Survey, ThreadStatus};

use crate::params;
use crate::port::{Executor, Host};

/// Survey answers older than this are not acted on (a rule switched on
/// later does not call back months-old answers).
const DETRACTOR_WINDOW_MS: i64 = 7 * 24 * 3_600_000;

/// Subjects one pass handles per rule; the rest wait for the next pass.
const BATCH: i64 = 50;

/// Applies every rule that is on; answers how many actions were taken and
/// how many rules failed (each logged; the next pass tries again).
pub async fn run(host: &Host) -> anyhow::Result<(u32, u32)> {
    let settings = load(&mut host.db.auto()).await?;
    let now = host.clock.now_ms();
    let (mut done, mut failed) = (0, 0);
    // Each rule on its own: one that fails does not stop the others.
    let mut tally = |rule: &str, outcome: anyhow::Result<u32>| match outcome {
        Ok(n) => done += n,
        Err(e) => {
            failed += 1;
            tracing::error!(rule, error = format!("{e:#}"), "automation rule failed");
        }
    };
    if settings.detractors {
        tally("detractors", detractors(host, now).await);
    }
    if settings.unpicked_orders {
        tally(
            "unpicked_orders",
            unpicked_orders(host, &settings, now).await,
        );
    }
    if settings.late_orders {
        tally("late_orders", late_orders(host, now).await);
    }
    if settings.small_returns {
        tally("small_returns", small_returns(host, now).await);
    }
    if settings.low_stock {
        let drafted = async {
            if low_stock_due(host, now).await? {
                Ok(crate::purchasing::draft_suggestions(host, None)
                    .await?
                    .lines)
            } else {
                Ok(0)
            }
        };
        tally("low_stock", drafted.await);
    }
    Ok((done, failed))
}

/// How often the low-stock rule reads every SKU's forecast.
const LOW_STOCK_EVERY_MS: i64 = 3_600_000;

/// Whether this pass runs the low-stock rule: the one that moves its
/// last-checked instant, at most once an hour.
async fn low_stock_due(host: &Host, now: i64) -> anyhow::Result<bool> {
    Ok(host
        .db
        .auto()
        .optional(
            "UPDATE automation_settings SET low_stock_checked_at = ?1 WHERE id = 1 AND low_stock_checked_at <= ?2 RETURNING id",
            params![now, now - LOW_STOCK_EVERY_MS],
        )
        .await?
        .is_some())
}

/// Takes `(rule, subject)` for this transaction; `false` when it was taken
/// already (the rule acted on it before, or another runner is doing it).
async fn claim(
    tx: &mut dyn Executor,
    rule: Rule,
    subject: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    claim_as(tx, rule, subject, "done", now_ms).await
}

/// [`claim`], recording that the rule looked and chose not to act
/// (`outcome` `skipped`), or did (`done`).
async fn claim_as(
    tx: &mut dyn Executor,
    rule: Rule,
    subject: &str,
    outcome: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    Ok(tx
        .optional(
            "INSERT INTO automation_actions (rule, subject, at_ms, outcome) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (rule, subject) DO NOTHING RETURNING subject",
            params![rule.as_str(), subject, now_ms, outcome],
        )
        .await?
        .is_some())
}

/// Whether `order` is still in one of `statuses`, read in the rule's
/// transaction (staff may have moved it since the rule listed it).
async fn still(tx: &mut dyn Executor, order: &OrderId, statuses: &[&str]) -> anyhow::Result<bool> {
    let status = tx
        .optional(
            "SELECT status FROM orders WHERE id = ?1",
            params![order.as_str()],
        )
        .await?;
    Ok(match status {
        Some(r) => statuses.contains(&r.text(0)?),
        None => false,
    })
}

/// The account the rules write as in a support thread: shown as the
/// shop's support desk.
fn desk() -> anyhow::Result<Account> {
    Ok(Account {
        id: OpaqueId::parse(crate::audit::AUTOMATION_ID)?,
        email: Email::parse("automation@comptoir.invalid")?,
        name: String::new(),
        role: Role::Support,
    })
}

/// Tells the customer of each order past its promised date, once.
async fn late_orders(host: &Host, now: i64) -> anyhow::Result<u32> {
    let rows = host
        .db
        .query(
            "SELECT o.id, o.promised_by_ms, a.id, a.email, a.name FROM orders o LEFT JOIN accounts a ON a.id = o.customer_id \
             WHERE o.status IN ('paid', 'picking') AND o.promised_by_ms < ?1 \
               AND NOT EXISTS (SELECT 1 FROM automation_actions x WHERE x.rule = ?2 AND x.subject = o.id) \
             ORDER BY o.promised_by_ms LIMIT ?3",
            params![now, Rule::LateOrder.as_str(), BATCH],
        )
        .await?;
    let mut done = 0;
    for r in &rows {
        let order = r.parse(0, OrderId::parse)?;
        // The promise is the end of a Paris day: name that day.
        let (y, m, d) = comptoir_shared::calendar::paris_date(r.int(1)? - 1);
        let promised = format!("{d:02}/{m:02}/{y}");
        let customer = match r.opt_text(2)? {
            Some(_) => Some(Account {
                id: r.parse(2, OpaqueId::parse)?,
                email: r.parse(3, Email::parse)?,
                name: r.text(4)?.to_owned(),
                role: Role::Customer,
            }),
            None => None,
        };
        let mut tx = host.db.begin().await?;
        if !still(tx.as_mut(), &order, &["paid", "picking"]).await?
            || !claim(tx.as_mut(), Rule::LateOrder, order.as_str(), now).await?
        {
            continue;
        }
        let short = order.short();
        let how = match &customer {
            Some(customer) => {
                let existing = tx
                    .optional(
                        "SELECT id, status FROM support_threads WHERE order_id = ?1 AND customer_id = ?2 \
                         ORDER BY created_at, id LIMIT 1",
                        params![order.as_str(), customer.id.as_str()],
                    )
                    .await?;
                let (thread, waiting) = match existing {
                    Some(t) => (
                        t.parse(0, OpaqueId::parse)?,
                        t.text(1)? == ThreadStatus::Open.as_str(),
                    ),
                    None => {
                        let subject = format!("Commande {short} : retard de livraison");
                        let thread = crate::support::db::insert_thread(
                            tx.as_mut(),
                            customer,
                            Some(&order),
                            &subject,
                            now,
                        )
                        .await?;
                        (thread, false)
                    }
                };
                let body = crate::outbox::late_delivery_body(short, &promised);
                crate::support::db::add_message(
                    tx.as_mut(),
                    &thread,
                    &desk()?,
                    MessageAuthor::Staff,
                    &body,
                    now,
                )
                .await?;
                // A question the customer asked still waits for a person.
                if waiting {
                    crate::support::db::set_status(tx.as_mut(), &thread, ThreadStatus::Open)
                        .await?;
                }
                format!("thread {thread}")
            }
            None => {
                crate::outbox::enqueue(
                    tx.as_mut(),
                    crate::outbox::Kind::OrderLate,
                    &order,
                    "",
                    &promised,
                    now,
                )
                .await?;
                "e-mail".to_owned()
            }
        };
        let detail = format!("promised by {promised}, told by {how}");
        crate::audit::record_automation(
            tx.as_mut(),
            AuditAction::OrderLateNotice,
            order.as_str(),
            &detail,
            now,
        )
        .await?;
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// Approves each small return request within the customer's yearly limit,
/// once; the others are left to finance. Approved, the money goes back
/// without the units being restocked: below the threshold the goods are not
/// asked back (a return would cost more than it is worth).
async fn small_returns(host: &Host, now: i64) -> anyhow::Result<u32> {
    let settings = load(&mut host.db.auto()).await?;
    let rows = host
        .db
        .query(
            "SELECT r.id, o.customer_id FROM refunds r JOIN orders o ON o.id = r.order_id \
             WHERE r.status = 'requested' AND r.requested_cents <= ?1 AND o.customer_id IS NOT NULL \
               AND NOT EXISTS (SELECT 1 FROM automation_actions x WHERE x.rule = ?2 AND x.subject = r.id) \
             ORDER BY r.created_at LIMIT ?3",
            params![settings.small_return_max.amount, Rule::SmallReturn.as_str(), BATCH],
        )
        .await?;
    let mut approved = Vec::new();
    for r in &rows {
        let id = r.parse(0, OpaqueId::parse)?;
        let customer = r.text(1)?;
        let mut tx = host.db.begin().await?;
        // Read again under the write lock: an admin who just switched the
        // rule off, or lowered its limits, is obeyed from this refund on.
        let settings = load(tx.as_mut()).await?;
        let Some(refund) = crate::refunds::db::load(tx.as_mut(), &id).await? else {
            continue;
        };
        if !settings.small_returns || refund.requested.amount > settings.small_return_max.amount {
            break;
        }
        let this_year = tx
            .one(
                "SELECT COUNT(*) FROM automation_actions x JOIN refunds r ON r.id = x.subject JOIN orders o ON o.id = r.order_id \
                 WHERE x.rule = ?1 AND x.outcome = 'done' AND x.at_ms >= ?2 AND o.customer_id = ?3",
                params![Rule::SmallReturn.as_str(), now - 365 * comptoir_shared::calendar::DAY_MS, customer],
            )
            .await?
            .int(0)?;
        let within = this_year < i64::from(settings.small_returns_per_customer);
        let outcome = if within { "done" } else { "skipped" };
        if refund.status != comptoir_shared::refund::RefundStatus::Requested
            || !claim_as(tx.as_mut(), Rule::SmallReturn, id.as_str(), outcome, now).await?
        {
            continue;
        }
        if within {
            let amount = refund.requested.amount;
            match crate::refunds::db::commit_amount(
                tx.as_mut(),
                &id,
                &refund.order_id,
                amount,
                "automation",
                now,
            )
            .await
            {
                Ok(()) => {}
                // More than the order can still give back: finance decides.
                Err(crate::error::AppError::Api(_)) => {
                    tx.query(
                        "UPDATE automation_actions SET outcome = 'skipped' WHERE rule = ?1 AND subject = ?2",
                        params![Rule::SmallReturn.as_str(), id.as_str()],
                    )
                    .await?;
                    tx.commit().await?;
                    continue;
                }
                Err(crate::error::AppError::Internal(e)) => return Err(e),
            }
            let detail = format!(
                "{amount} of order {} (small return, automation)",
                refund.order_id
            );
            crate::audit::record_automation(
                tx.as_mut(),
                AuditAction::RefundApprove,
                id.as_str(),
                &detail,
                now,
            )
            .await?;
            approved.push(id);
        }
        tx.commit().await?;
    }
    // Sent at once; one the provider does not take now stays committed, and
    // the refunds duty sends it later.
    for id in &approved {
        if let Err(e) = crate::payments::refund::execute(host, id).await {
            tracing::warn!(refund = %id, error = ?e, "an approved small return waits for the refunds duty");
        }
    }
    Ok(u32::try_from(approved.len()).unwrap_or(u32::MAX))
}

/// Opens a support thread for each recent detractor answer not acted on.
async fn detractors(host: &Host, now: i64) -> anyhow::Result<u32> {
    let rows = host
        .db
        .query(
            "SELECT s.order_id, s.csat, s.nps, s.comment, s.at, a.id, a.email, a.name FROM surveys s \
             JOIN accounts a ON a.id = s.customer_id \
             WHERE (s.nps <= ?1 OR s.csat <= ?2) AND s.at >= ?3 AND NOT EXISTS (SELECT 1 FROM automation_actions x \
                   WHERE x.rule = ?4 AND x.subject = s.order_id) \
             ORDER BY s.at LIMIT ?5",
            params![
                i64::from(Survey::DETRACTOR_NPS),
                i64::from(Survey::DETRACTOR_CSAT),
                now - DETRACTOR_WINDOW_MS,
                Rule::Detractor.as_str(),
                BATCH
            ],
        )
        .await?;
    let mut done = 0;
    for r in &rows {
        let survey = Survey {
            order_id: r.parse(0, OrderId::parse)?,
            csat: u8::try_from(r.int(1)?)?,
            nps: u8::try_from(r.int(2)?)?,
            comment: r.text(3)?.to_owned(),
            at_ms: r.int(4)?,
        };
        let customer = Account {
            id: r.parse(5, OpaqueId::parse)?,
            email: r.parse(6, Email::parse)?,
            name: r.text(7)?.to_owned(),
            role: Role::Customer,
        };
        let order = &survey.order_id;
        let mut tx = host.db.begin().await?;
        if !survey.is_detractor()
            || !claim(tx.as_mut(), Rule::Detractor, order.as_str(), now).await?
        {
            continue;
        }
        let short = order.short();
        let subject = format!("Votre avis sur la commande {short} : nous vous rappelons");
        let comment = match survey.comment.trim() {
            "" => "(sans commentaire)",
            text => text,
        };
        let body = format!(
            "Réponse à l'enquête de satisfaction : satisfaction {}/5, recommandation {}/10.\n\n{comment}",
            survey.csat, survey.nps
        );
        let thread =
            crate::support::db::insert_thread(tx.as_mut(), &customer, Some(order), &subject, now)
                .await?;
        crate::support::db::add_message(
            tx.as_mut(),
            &thread,
            &customer,
            MessageAuthor::Customer,
            &body,
            now,
        )
        .await?;
        let detail = format!("order {short}: NPS {}, CSAT {}", survey.nps, survey.csat);
        crate::audit::record_automation(
            tx.as_mut(),
            AuditAction::SupportOpen,
            thread.as_str(),
            &detail,
            now,
        )
        .await?;
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// Escalates each paid order not picked within the delay, once.
async fn unpicked_orders(
    host: &Host,
    settings: &AutomationSettings,
    now: i64,
) -> anyhow::Result<u32> {
    let hours = settings.unpicked_after_hours;
    let rows = host
        .db
        .query(
            "SELECT o.id FROM orders o WHERE o.status = 'paid' AND o.paid_at <= ?1 \
             AND NOT EXISTS (SELECT 1 FROM automation_actions x WHERE x.rule = ?2 AND x.subject = o.id) \
             ORDER BY o.paid_at LIMIT ?3",
            params![
                now - i64::from(hours) * 3_600_000,
                Rule::UnpickedOrder.as_str(),
                BATCH
            ],
        )
        .await?;
    let mut done = 0;
    for r in &rows {
        let order = r.parse(0, OrderId::parse)?;
        let mut tx = host.db.begin().await?;
        if !still(tx.as_mut(), &order, &["paid"]).await?
            || !claim(tx.as_mut(), Rule::UnpickedOrder, order.as_str(), now).await?
        {
            continue;
        }
        let short = order.short();
        let subject = format!("Comptoir — commande {short} payée, pas préparée depuis {hours} h");
        let body = format!(
            "La commande {short} a été payée il y a plus de {hours} heures et n'est toujours pas en préparation.\n\
             Elle reste signalée sur le tableau de bord jusqu'à sa prise en charge.\n\nComptoir (automatisation)"
        );
        crate::outbox::enqueue_staff(
            tx.as_mut(),
            crate::outbox::Kind::OrderEscalated,
            &order,
            &subject,
            &body,
            now,
        )
        .await?;
        let detail = format!("paid over {hours} h ago, not picked");
        crate::audit::record_automation(
            tx.as_mut(),
            AuditAction::OrderEscalate,
            order.as_str(),
            &detail,
            now,
        )
        .await?;
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// The rules' settings (the defaults until an admin saves some).
pub async fn load(db: &mut dyn Executor) -> anyhow::Result<AutomationSettings> {
    let Some(r) = db
        .optional(
            "SELECT detractors, unpicked_orders, unpicked_after_hours, low_stock, late_orders, small_returns, \
                small_return_max_cents, small_returns_per_customer FROM automation_settings WHERE id = 1",
            &[],
        )
        .await?
    else {
        return Ok(AutomationSettings::default());
    };
    Ok(AutomationSettings {
        detractors: r.int(0)? != 0,
        unpicked_orders: r.int(1)? != 0,
        unpicked_after_hours: u32::try_from(r.int(2)?)?,
        low_stock: r.int(3)? != 0,
        late_orders: r.int(4)? != 0,
        small_returns: r.int(5)? != 0,
        small_return_max: comptoir_shared::Money::eur(r.int(6)?),
        small_returns_per_customer: u32::try_from(r.int(7)?)?,
    })
}

/// Escalated orders still waiting to be picked, oldest payment first.
pub async fn alerts(db: &mut dyn Executor) -> anyhow::Result<Vec<Alert>> {
    db.query(
        "SELECT o.id, o.paid_at, x.at_ms FROM automation_actions x JOIN orders o ON o.id = x.subject \
         WHERE x.rule = ?1 AND o.status = 'paid' ORDER BY o.paid_at, o.id LIMIT 200",
        params![Rule::UnpickedOrder.as_str()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Alert {
            rule: Rule::UnpickedOrder,
            order_id: r.parse(0, OrderId::parse)?,
            paid_at_ms: r.int(1)?,
            raised_at_ms: r.int(2)?,
        })
    })
    .collect()
}
