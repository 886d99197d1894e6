//! Payouts reconciled (issue 12): a Stripe payout's balance transactions,
//! read from (a fake of) Stripe, matched to the shop's payments and refunds;
//! each kind of mismatch a billing error the dashboard counts and finance
//! resolves; fees and payouts booked. The sandbox pays out the same way.

use comptoir_e2e::fake_stripe::{FakeStripe, SECRET_KEY};
use comptoir_e2e::{TestApp, account_balance, now_ms, spawn_app, spawn_app_with};
use comptoir_functions::config::Config;
use serde_json::{Value as Json, json};

const WEBHOOK: &str = "whsec_reconciliation";
const DAY: i64 = 86_400_000;

/// An order of one shirt (39,90 € with shipping) paid through Stripe with
/// payment intent `intent`; its id.
async fn paid_by_stripe(app: &TestApp, intent: &str, n: u32) -> anyhow::Result<String> {
    let order = app.placed_order(None, "TSL-BLEU-M", 1).await?;
    let session = app.open_session(&order).await?;
    let event = json!({
        "id": format!("evt_paid_{n}"), "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session["session_id"], "object": "checkout.session",
                 "amount_total": 3990, "currency": "eur", "payment_status": "paid",
                 "payment_intent": intent, "metadata": {"order_id": order}}}
    });
    let ack: Json = app
        .webhook(WEBHOOK, &event.to_string(), now_ms() / 1000)
        .await?
        .expect(200)?;
    anyhow::ensure!(ack["outcome"] == "paid", "{ack}");
    Ok(order)
}

fn charge(id: &str, intent: &str, amount: i64, fee: i64) -> Json {
    json!({"id": id, "object": "balance_transaction", "type": "charge", "amount": amount,
           "fee": fee, "net": amount - fee, "currency": "eur", "created": now_ms() / 1000,
           "source": {"id": format!("ch_{id}"), "object": "charge", "payment_intent": intent}})
}

fn refund(id: &str, refund: &str, amount: i64) -> Json {
    json!({"id": id, "object": "balance_transaction", "type": "refund", "amount": -amount,
           "fee": 0, "net": -amount, "currency": "eur", "created": now_ms() / 1000,
           "source": {"id": refund, "object": "refund"}})
}

async fn payout_paid(
    app: &TestApp,
    event: &str,
    payout: &str,
    amount: i64,
) -> anyhow::Result<Json> {
    payout_event(
        app,
        event,
        "payout.reconciliation_completed",
        payout,
        amount,
        json!({}),
    )
    .await
}

/// A payout event; `extra` overrides fields of the payout.
async fn payout_event(
    app: &TestApp,
    event: &str,
    kind: &str,
    payout: &str,
    amount: i64,
    extra: Json,
) -> anyhow::Result<Json> {
    let mut object = json!({"id": payout, "object": "payout", "amount": amount, "automatic": true,
                            "arrival_date": now_ms() / 1000, "currency": "eur", "status": "paid",
                            "reconciliation_status": "completed"});
    for (key, value) in extra.as_object().into_iter().flatten() {
        object[key] = value.clone();
    }
    let event = json!({"id": event, "object": "event", "type": kind, "data": {"object": object}});
    app.webhook(WEBHOOK, &event.to_string(), now_ms() / 1000)
        .await?
        .expect(200)
}

async fn payment_errors(app: &TestApp, admin: &str) -> anyhow::Result<i64> {
    let now = now_ms();
    let report: Json = app
        .get_as(
            admin,
            &format!("/api/kpis?from={}&to={}", now - DAY, now + DAY),
        )
        .await?
        .expect(200)?;
    Ok(report["billing"]["payment_errors"].as_i64().unwrap_or(-1))
}

#[tokio::test]
async fn each_kind_of_mismatch_in_a_stripe_payout_is_a_billing_error_finance_resolves()
-> anyhow::Result<()> {
    let stripe = FakeStripe::start().await?;
    let config = Config::from_lookup(|name| match name {
        "payment_provider" => Some("stripe".into()),
        "stripe_secret_key" => Some(SECRET_KEY.into()),
        "stripe_api_base" => Some(stripe.base.clone()),
        "webhook_secret" => Some(WEBHOOK.into()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    let admin = app.staff("admin").await?;
    let finance = app.staff("finance").await?;
    let a = paid_by_stripe(&app, "pi_a", 1).await?;
    let b = paid_by_stripe(&app, "pi_b", 2).await?;
    let c = paid_by_stripe(&app, "pi_c", 3).await?;
    let before = payment_errors(&app, &admin).await?;

    // A clean payment (1,5 % + 0,25 € = 0,85 €), a fee above that rate, a
    // payment the shop never took, a refund it never made.
    stripe.set_payout(
        "po_1",
        vec![
            charge("txn_a", "pi_a", 3990, 85),
            charge("txn_b", "pi_b", 3990, 120),
            charge("txn_x", "pi_unknown", 1000, 40),
            refund("txn_r", "re_unknown", 500),
        ],
    );
    let ack = payout_paid(&app, "evt_po_1", "po_1", 3905 + 3870 + 960 - 500).await?;
    assert_eq!(ack["outcome"], "payout");
    // A payment off by a cent, in a payout that does not add up.
    stripe.set_payout("po_2", vec![charge("txn_c", "pi_c", 3991, 85)]);
    payout_paid(&app, "evt_po_2", "po_2", 4000).await?;
    // The same payout announced again: nothing more.
    let again = payout_paid(&app, "evt_po_1_again", "po_1", 8235).await?;
    assert_eq!(again["outcome"], "duplicate");
    // Paid but not reconciled by Stripe yet: nothing until it is.
    let early = payout_event(
        &app,
        "evt_po_3_paid",
        "payout.paid",
        "po_3",
        100,
        json!({"reconciliation_status": "in_progress"}),
    )
    .await?;
    assert_eq!(early["outcome"], "ignored");
    // A manual payout Stripe cannot list, and one in another currency.
    let manual = payout_event(
        &app,
        "evt_po_4",
        "payout.paid",
        "po_4",
        700,
        json!({"automatic": false, "reconciliation_status": "not_applicable"}),
    )
    .await?;
    assert_eq!(manual["outcome"], "payout");
    payout_event(
        &app,
        "evt_po_5",
        "payout.reconciliation_completed",
        "po_5",
        900,
        json!({"currency": "usd"}),
    )
    .await?;

    // Stripe was asked with the key, the payout, the sources expanded, and
    // page after page (two a page).
    let asked: Vec<_> = stripe
        .received()
        .into_iter()
        .filter(|r| r.path == "/v1/balance_transactions")
        .collect();
    assert!(
        asked
            .iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {SECRET_KEY}")))
    );
    assert_eq!(
        asked
            .iter()
            .filter(|r| r.field("payout") == Some("po_1"))
            .count(),
        4,
        "two pages, twice"
    );
    assert!(
        asked
            .iter()
            .any(|r| r.field("starting_after") == Some("txn_b"))
    );

    let errors: Vec<Json> = app
        .get_as(&finance, "/api/finance/billing-errors?open=true")
        .await?
        .expect(200)?;
    let mut kinds: Vec<(String, Option<String>)> = errors
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["order_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    kinds.sort();
    let mut expected = vec![
        ("amount_mismatch".to_owned(), Some(c.clone())),
        ("fee_above_rate".to_owned(), Some(b.clone())),
        ("payout_currency".to_owned(), None),
        ("payout_mismatch".to_owned(), None),
        ("payout_unreconciled".to_owned(), None),
        ("unknown_payment".to_owned(), None),
        ("unknown_refund".to_owned(), None),
    ];
    expected.sort();
    assert_eq!(kinds, expected, "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|e| !e["detail"].as_str().unwrap_or_default().is_empty())
    );
    assert!(
        !kinds.iter().any(|(_, o)| o.as_deref() == Some(a.as_str())),
        "a clean payment"
    );
    // The dashboard's "erreurs de facturation" moved with them.
    assert_eq!(payment_errors(&app, &admin).await?, before + 7);

    // The books: fees 627, payouts 512, the strays on 471; every entry balances.
    let year = comptoir_shared::calendar::paris_date(now_ms()).0;
    let lines: Vec<Json> = app
        .get_as(&finance, &format!("/api/finance/journal?year={year}"))
        .await?
        .expect(200)?;
    assert_eq!(account_balance(&lines, "627"), 85 + 120 + 40 + 85);
    assert_eq!(
        account_balance(&lines, "512"),
        8235 + 4000 + 700,
        "not the dollars"
    );
    assert_eq!(
        account_balance(&lines, "471"),
        -(1000 - 500) - 1,
        "the unknown money and the cent"
    );

    // Finance resolves one with a note (audited); twice is a conflict.
    let id = errors[0]["id"].as_str().unwrap_or_default();
    let resolved: Json = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/finance/billing-errors/{id}/resolve"),
            &json!({"note": "Écart vu avec Stripe"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(resolved["resolution"], "Écart vu avec Stripe");
    let twice = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/finance/billing-errors/{id}/resolve"),
            &json!({"note": "encore"}),
        )
        .await?;
    assert_eq!(twice.status, 409);
    let open: Vec<Json> = app
        .get_as(&finance, "/api/finance/billing-errors?open=true")
        .await?
        .expect(200)?;
    assert_eq!(open.len(), 6);
    let audit: Json = app
        .get_as(&admin, "/api/audit?limit=5")
        .await?
        .expect(200)?;
    assert!(audit.to_string().contains("billing_error_resolve"));
    let warehouse = app.staff("warehouse").await?;
    assert_eq!(
        app.get_as(&warehouse, "/api/finance/billing-errors")
            .await?
            .status,
        403
    );
    Ok(())
}

#[tokio::test]
async fn the_sandbox_pays_out_what_it_took_and_the_books_balance_to_zero() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let finance = app.staff("finance").await?;
    let first = app.paid_order("TSL-BLEU-M", 1).await?;
    app.paid_order("TSL-BLEU-M", 2).await?;
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": first, "amount": {"amount": 1000, "currency": "EUR"}, "reason": "geste"}),
    )
    .await?
    .expect::<Json>(201)?;
    let report: Json = app
        .send_as(
            &finance,
            "POST",
            "/api/payments/payouts/sandbox",
            &json!({}),
        )
        .await?
        .expect(200)?;
    // 39,90 € and 70,00 € at 1,5 % + 0,25 €: 0,85 € and 1,30 €.
    assert_eq!(report["transactions"], 3);
    assert_eq!(report["billing_errors"], 0);
    assert_eq!(report["fees"]["amount"], 85 + 130);
    assert_eq!(report["amount"]["amount"], 3990 + 7000 - 1000 - 215);
    let again: Json = app
        .send_as(
            &finance,
            "POST",
            "/api/payments/payouts/sandbox",
            &json!({}),
        )
        .await?
        .expect(200)?;
    assert!(again.is_null(), "nothing left to pay out");
    let year = comptoir_shared::calendar::paris_date(now_ms()).0;
    let lines: Vec<Json> = app
        .get_as(&finance, &format!("/api/finance/journal?year={year}"))
        .await?
        .expect(200)?;
    assert_eq!(
        account_balance(&lines, "511"),
        0,
        "the provider holds nothing more"
    );
    assert_eq!(account_balance(&lines, "627"), 215);
    assert_eq!(account_balance(&lines, "512"), 3990 + 7000 - 1000 - 215);
    let open: Vec<Json> = app
        .get_as(&finance, "/api/finance/billing-errors?open=true")
        .await?
        .expect(200)?;
    assert!(open.is_empty());
    Ok(())
}
