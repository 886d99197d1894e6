//! One order is paid once (issue 9): at most one open payment session per
//! order, however many ask at once; every payment the provider takes is
//! recorded once, one per order is kept, and any other — a second session
//! paid, a payment after cancellation — is refunded in full at once, never
//! counted as a sale, and shown to staff with what it refunds.

use std::collections::BTreeSet;

use comptoir_e2e::fake_stripe::{FakeStripe, SECRET_KEY};
use comptoir_e2e::{TestApp, now_ms, spawn_app, spawn_app_with};
use comptoir_functions::config::{Config, SANDBOX_WEBHOOK_SECRET};
use comptoir_functions::migrate::{MIGRATIONS, statements};
use comptoir_functions::port::{Database as _, Value};
use futures::future::join_all;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M"; // 35,00 €: two make 70,00 € (shipping free), one 39,90 €
const STRIPE_WEBHOOK: &str = "whsec_captures";
const DAY: i64 = 86_400_000;

fn stripe_config(stripe: &FakeStripe) -> anyhow::Result<Config> {
    Config::from_lookup(|name| match name {
        "payment_provider" => Some("stripe".into()),
        "stripe_secret_key" => Some(SECRET_KEY.into()),
        "stripe_api_base" => Some(stripe.base.clone()),
        "webhook_secret" => Some(STRIPE_WEBHOOK.into()),
        _ => None,
    })
}

/// A signed-ready `checkout.session.completed` event, paid.
fn completed(event: &str, session: &str, intent: &str, order: &str, amount: i64) -> String {
    json!({
        "id": event, "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "object": "checkout.session", "amount_total": amount,
                 "currency": "eur", "payment_status": "paid", "payment_intent": intent,
                 "metadata": {"order_id": order}}}
    })
    .to_string()
}

async fn outcome(app: &TestApp, secret: &str, event: &str) -> anyhow::Result<String> {
    let ack: Json = app
        .webhook(secret, event, now_ms() / 1000)
        .await?
        .expect(200)?;
    Ok(ack["outcome"].as_str().unwrap_or_default().to_owned())
}

async fn count(app: &TestApp, sql: &str, order: &str) -> anyhow::Result<i64> {
    app.scalar(sql, &[Value::Text(order.into())]).await
}

async fn session_request(app: &TestApp, order: &str) -> anyhow::Result<comptoir_e2e::Answer> {
    app.send(
        "POST",
        "/api/payments/sessions",
        &json!({"order_id": order}),
    )
    .await
}

/// The KPI report over the day around now, as staff read it.
async fn kpis(app: &TestApp) -> anyhow::Result<Json> {
    let staff = app.staff("admin").await?;
    let now = now_ms();
    app.get_as(
        &staff,
        &format!("/api/kpis?from={}&to={}", now - DAY, now + DAY),
    )
    .await?
    .expect(200)
}

/// The figures a payment that is not kept must not move.
const SALES_FIGURES: [&str; 7] = [
    "/paid_orders",
    "/conversion_bps",
    "/revenue/gross/amount",
    "/revenue/refunded/amount",
    "/revenue/net/amount",
    "/revenue/average_order_value",
    "/refunds/orders_with_refund_bps",
];

fn assert_sales_unchanged(before: &Json, after: &Json) {
    for pointer in SALES_FIGURES {
        assert_eq!(before.pointer(pointer), after.pointer(pointer), "{pointer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_concurrent_session_requests_for_one_order_open_one_session_and_all_get_it()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let order = app.placed_order(None, SKU, 2).await?;
    let answers = join_all((0..40).map(|_| session_request(&app, &order))).await;
    let mut named = BTreeSet::new();
    for answer in answers {
        let session: Json = answer?.expect(200)?;
        named.insert(
            session["session_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(named.len(), 1, "every answer names the same session");
    let open = app
        .scalar(
            "SELECT COUNT(*) FROM payment_sessions WHERE order_id = ?1 AND state = 'open' AND id = ?2",
            &[
                Value::Text(order.clone()),
                Value::Text(named.first().cloned().unwrap_or_default()),
            ],
        )
        .await?;
    assert_eq!(open, 1, "the session answered is the one open");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM payment_sessions WHERE order_id = ?1",
            &order
        )
        .await?,
        1,
        "no other session was recorded"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_concurrent_session_requests_under_stripe_open_one_session_and_expire_any_surplus()
-> anyhow::Result<()> {
    let stripe = FakeStripe::start().await?;
    let app = spawn_app_with(stripe_config(&stripe)?).await?;
    let order = app.placed_order(None, SKU, 2).await?;
    let answers = join_all((0..40).map(|_| session_request(&app, &order))).await;
    let mut named = BTreeSet::new();
    for answer in answers {
        let session: Json = answer?.expect(200)?;
        named.insert(
            session["session_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(named.len(), 1, "every answer names the same session");
    let winner = named.first().cloned().unwrap_or_default();
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM payment_sessions WHERE order_id = ?1 AND state = 'open'",
            &order
        )
        .await?,
        1
    );
    for (id, status) in stripe.sessions() {
        let expected = if id == winner { "open" } else { "expired" };
        assert_eq!(status, expected, "{id} at Stripe");
    }
    for request in stripe
        .received()
        .iter()
        .filter(|r| r.path == "/v1/checkout/sessions")
    {
        let key = request.idempotency_key.as_deref().unwrap_or_default();
        assert!(
            key.starts_with(&format!("comptoir-checkout-session-{order}-")),
            "{key}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_stripe_session_that_loses_the_race_is_expired_at_stripe_and_the_winner_answered()
-> anyhow::Result<()> {
    let stripe = FakeStripe::start().await?;
    let app = spawn_app_with(stripe_config(&stripe)?).await?;
    let order = app.placed_order(None, SKU, 2).await?;
    // Our request reaches Stripe; meanwhile another instance records its
    // session for the order.
    stripe.hold_sessions();
    let meanwhile = async {
        stripe.session_request_arrived().await;
        let winner = app
            .execute(
                "INSERT INTO payment_sessions (id, order_id, provider, amount_cents, currency, state, created_at, redirect_url) \
                 VALUES ('cs_winner', ?1, 'stripe', 7000, 'EUR', 'open', ?2, 'https://checkout.stripe.com/c/pay/cs_winner')",
                &[Value::Text(order.clone()), Value::Integer(now_ms())],
            )
            .await;
        stripe.release_sessions();
        winner
    };
    let (answer, winner) = tokio::join!(session_request(&app, &order), meanwhile);
    winner?;
    let session: Json = answer?.expect(200)?;
    assert_eq!(session["session_id"], "cs_winner");
    assert_eq!(
        stripe.sessions(),
        [("cs_test_1".to_owned(), "expired".to_owned())],
        "the surplus session is expired at Stripe"
    );
    let expiry = stripe
        .received()
        .into_iter()
        .find(|r| r.path == "/v1/checkout/sessions/cs_test_1/expire")
        .ok_or_else(|| anyhow::anyhow!("no expiry sent"))?;
    assert_eq!(
        expiry.authorization.as_deref(),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    assert_eq!(
        expiry.idempotency_key.as_deref(),
        Some("comptoir-expire-cs_test_1")
    );
    // Stripe then announces the expiry: it is not the order's session, so
    // the order stays payable.
    let expired = json!({
        "id": "evt_surplus_expired", "type": "checkout.session.expired",
        "data": {"object": {"id": "cs_test_1", "object": "checkout.session", "amount_total": 7000,
                 "currency": "eur", "payment_status": "unpaid", "metadata": {"order_id": order}}}
    })
    .to_string();
    assert_eq!(outcome(&app, STRIPE_WEBHOOK, &expired).await?, "ignored");
    assert_eq!(app.order_status(&order).await?, "pending_payment");
    Ok(())
}

#[tokio::test]
async fn a_cancelled_orders_stripe_session_is_expired_at_stripe_and_its_late_payment_refunded()
-> anyhow::Result<()> {
    let stripe = FakeStripe::start().await?;
    let app = spawn_app_with(stripe_config(&stripe)?).await?;
    let order = app.placed_order(None, SKU, 2).await?;
    let session: Json = session_request(&app, &order).await?.expect(200)?;
    assert_eq!(session["session_id"], "cs_test_1");
    app.send("POST", &format!("/api/orders/{order}/abandon"), &json!({}))
        .await?
        .expect::<Json>(200)?;
    // The orders function may not reach Stripe: the payments function does,
    // when it next runs (here, for another order), or the back office.
    let other = app.placed_order(None, SKU, 1).await?;
    session_request(&app, &other).await?.expect::<Json>(200)?;
    assert_eq!(
        stripe.sessions().first(),
        Some(&("cs_test_1".to_owned(), "expired".to_owned()))
    );
    let rows = count(
        &app,
        "SELECT COUNT(*) FROM payment_sessions WHERE order_id = ?1 AND state = 'expired' AND provider_expiry_due = 0",
        &order,
    )
    .await?;
    assert_eq!(rows, 1, "closed, and nothing more owed at Stripe");
    // A payment that still lands through it goes back in full, through its own intent.
    let late = completed("evt_late", "cs_test_1", "pi_late", &order, 7000);
    assert_eq!(outcome(&app, STRIPE_WEBHOOK, &late).await?, "billing_error");
    let refund = stripe
        .received()
        .into_iter()
        .find(|r| r.path == "/v1/refunds")
        .ok_or_else(|| anyhow::anyhow!("no refund sent"))?;
    assert_eq!(
        (refund.field("payment_intent"), refund.field("amount")),
        (Some("pi_late"), Some("7000"))
    );
    assert_eq!(app.order_status(&order).await?, "cancelled");
    Ok(())
}

#[tokio::test]
async fn a_second_session_paid_for_a_paid_order_is_refunded_in_full_and_the_order_paid_once()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let order = app.placed_order(None, SKU, 2).await?;
    let first = app.pay(&order, true).await?;
    let kept = format!(
        "pi_sandbox_{}",
        first["session_id"].as_str().unwrap_or_default()
    );
    let paid_at = count(&app, "SELECT paid_at FROM orders WHERE id = ?1", &order).await?;
    let before = kpis(&app).await?;

    // Another session of the same order completes: a second payment.
    let second = completed("evt_second", "cs_second", "pi_second", &order, 7000);
    assert_eq!(
        outcome(&app, SANDBOX_WEBHOOK_SECRET, &second).await?,
        "billing_error"
    );
    // The same event again, and another event about the same payment, add nothing.
    assert_eq!(
        outcome(&app, SANDBOX_WEBHOOK_SECRET, &second).await?,
        "duplicate"
    );
    let again = completed("evt_second_again", "cs_second", "pi_second", &order, 7000);
    assert_eq!(
        outcome(&app, SANDBOX_WEBHOOK_SECRET, &again).await?,
        "ignored"
    );

    assert_eq!(app.order_status(&order).await?, "paid");
    assert_eq!(
        count(&app, "SELECT paid_at FROM orders WHERE id = ?1", &order).await?,
        paid_at,
        "paid once"
    );
    let reference = app
        .scalar(
            "SELECT COUNT(*) FROM orders WHERE id = ?1 AND payment_reference = ?2",
            &[Value::Text(order.clone()), Value::Text(kept.clone())],
        )
        .await?;
    assert_eq!(reference, 1, "the order's payment is still the first");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM payment_captures WHERE order_id = ?1",
            &order
        )
        .await?,
        2
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM payment_captures WHERE order_id = ?1 AND kept = 1 AND reference = ?2",
            &[Value::Text(order.clone()), Value::Text(kept.clone())],
        )
        .await?,
        1,
        "one kept capture: the first"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1 AND capture_reference = 'pi_second' \
             AND amount_cents = 7000 AND status = 'succeeded'",
            &order
        )
        .await?,
        1,
        "the second payment is given back in full"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1",
            &order
        )
        .await?,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM billing_errors WHERE order_id = ?1 AND kind = 'double_payment'",
            &order
        )
        .await?,
        1
    );

    // Staff see both payments and what the refund gives back.
    let support = app.staff("support").await?;
    let view: Json = app
        .get_as(&support, &format!("/api/orders/{order}/staff"))
        .await?
        .expect(200)?;
    assert_eq!(view["payment"]["captured"]["amount"], 7000);
    assert_eq!(
        view["payment"]["refunded"]["amount"], 0,
        "the kept payment is whole"
    );
    let captures: Vec<(String, bool)> = view["payment"]["captures"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["reference"].as_str().unwrap_or_default().to_owned(),
                c["kept"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(captures, [(kept, true), ("pi_second".to_owned(), false)]);
    assert_eq!(view["refunds"][0]["capture_reference"], "pi_second");
    assert_eq!(view["refunds"][0]["amount"]["amount"], 7000);
    assert_eq!(view["billing_errors"][0]["kind"], "double_payment");

    // Not a sale, not a refund of one: only a billing error more.
    let after = kpis(&app).await?;
    assert_sales_unchanged(&before, &after);
    assert_eq!(after["paid_orders"], 1);
    assert_eq!(after["revenue"]["gross"]["amount"], 7000);
    assert_eq!(
        after["billing"]["payment_errors"].as_i64(),
        before["billing"]["payment_errors"].as_i64().map(|n| n + 1)
    );
    // The kept payment can still be refunded in full.
    let finance = app.staff("finance").await?;
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": order, "amount": {"amount": 7000, "currency": "EUR"}, "reason": "retour"}),
    )
    .await?
    .expect::<Json>(201)?;
    assert_eq!(app.order_status(&order).await?, "refunded");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sandbox_session_approved_concurrently_and_again_captures_once() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let on_hand = app
        .scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    let order = app.placed_order(None, SKU, 2).await?;
    let session: Json = app.open_session(&order).await?;
    let id = session["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let path = format!("/api/payments/sandbox/{id}");
    let approve = json!({"decision": "approve"});
    let answers = join_all((0..8).map(|_| app.send("POST", &path, &approve))).await;
    let mut statuses = Vec::new();
    for answer in answers {
        statuses.push(answer?.status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409, 409, 409, 409, 409]);
    let later = app.send("POST", &path, &approve).await?;
    assert_eq!(
        (later.status, later.json["error"].as_str()),
        (409, Some("conflict"))
    );
    let declined = app
        .send("POST", &path, &json!({"decision": "decline"}))
        .await?;
    assert_eq!(
        declined.status, 409,
        "a completed session decides nothing more"
    );

    assert_eq!(app.order_status(&order).await?, "paid");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM payment_captures WHERE order_id = ?1",
            &order
        )
        .await?,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1",
            &order
        )
        .await?,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM billing_errors WHERE order_id = ?1",
            &order
        )
        .await?,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM payment_sessions WHERE order_id = ?1 AND state = 'complete'",
            &order
        )
        .await?,
        1
    );
    let sold = app
        .scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    assert_eq!(sold, on_hand - 2, "sold once");
    Ok(())
}

#[tokio::test]
async fn two_late_payments_on_a_cancelled_order_are_both_refunded_and_it_stays_cancelled()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let available = app.available(SKU).await?;
    let order = app.placed_order(None, SKU, 2).await?;
    let session: Json = app.open_session(&order).await?;
    let id = session["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.send("POST", &format!("/api/orders/{order}/abandon"), &json!({}))
        .await?
        .expect::<Json>(200)?;
    let before = kpis(&app).await?;
    // The session ended with its order.
    let approve = app
        .send(
            "POST",
            &format!("/api/payments/sandbox/{id}"),
            &json!({"decision": "approve"}),
        )
        .await?;
    assert_eq!(approve.status, 409);

    for (event, session, intent) in [
        ("evt_late_1", id.as_str(), "pi_late_1"),
        ("evt_late_2", "cs_elsewhere", "pi_late_2"),
    ] {
        let late = completed(event, session, intent, &order, 7000);
        assert_eq!(
            outcome(&app, SANDBOX_WEBHOOK_SECRET, &late).await?,
            "billing_error",
            "{event}"
        );
    }
    // Announced again, under the same id or another: nothing more.
    let replay = completed("evt_late_2", "cs_elsewhere", "pi_late_2", &order, 7000);
    assert_eq!(
        outcome(&app, SANDBOX_WEBHOOK_SECRET, &replay).await?,
        "duplicate"
    );
    let again = completed("evt_late_1_again", &id, "pi_late_1", &order, 7000);
    assert_eq!(
        outcome(&app, SANDBOX_WEBHOOK_SECRET, &again).await?,
        "ignored"
    );

    assert_eq!(app.order_status(&order).await?, "cancelled");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM orders WHERE id = ?1 AND paid_at IS NULL AND payment_reference IS NULL",
            &order
        )
        .await?,
        1,
        "never paid"
    );
    for intent in ["pi_late_1", "pi_late_2"] {
        let refunded = app
            .scalar(
                "SELECT COUNT(*) FROM refunds WHERE order_id = ?1 AND capture_reference = ?2 \
                 AND amount_cents = 7000 AND status = 'succeeded'",
                &[Value::Text(order.clone()), Value::Text(intent.into())],
            )
            .await?;
        assert_eq!(refunded, 1, "{intent} given back in full");
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1",
            &order
        )
        .await?,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM payment_captures WHERE order_id = ?1 AND kept = 0",
            &order
        )
        .await?,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM billing_errors WHERE order_id = ?1 AND kind = 'paid_after_cancel'",
            &order
        )
        .await?,
        2
    );
    assert_eq!(app.available(SKU).await?, available, "nothing sold");

    let after = kpis(&app).await?;
    assert_sales_unchanged(&before, &after);
    for (pointer, expected) in [
        ("/checkouts_started", json!(1)),
        ("/paid_orders", json!(0)),
        ("/conversion_bps", json!(0)),
        ("/revenue/gross/amount", json!(0)),
        ("/revenue/refunded/amount", json!(0)),
        ("/revenue/average_order_value", Json::Null),
        ("/billing/payment_errors", json!(2)),
        ("/billing/failed_refunds", json!(0)),
    ] {
        assert_eq!(after.pointer(pointer), Some(&expected), "{pointer}");
    }
    Ok(())
}

#[tokio::test]
async fn stripe_refunds_a_second_payment_through_its_own_payment_intent() -> anyhow::Result<()> {
    let stripe = FakeStripe::start().await?;
    let app = spawn_app_with(stripe_config(&stripe)?).await?;
    let order = app.placed_order(None, SKU, 1).await?; // 39,90 €
    let session: Json = session_request(&app, &order).await?.expect(200)?;
    let first = session["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let paid = completed("evt_paid", &first, "pi_kept", &order, 3990);
    assert_eq!(outcome(&app, STRIPE_WEBHOOK, &paid).await?, "paid");
    let second = completed("evt_twice", "cs_other", "pi_stray", &order, 3990);
    assert_eq!(
        outcome(&app, STRIPE_WEBHOOK, &second).await?,
        "billing_error"
    );

    let refund_id = app
        .text(
            "SELECT id FROM refunds WHERE order_id = ?1 AND capture_reference = 'pi_stray'",
            &[Value::Text(order.clone())],
        )
        .await?;
    let sent: Vec<_> = stripe
        .received()
        .into_iter()
        .filter(|r| r.path == "/v1/refunds")
        .collect();
    assert_eq!(sent.len(), 1);
    let sent = &sent[0];
    assert_eq!(
        sent.authorization.as_deref(),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    assert_eq!(
        sent.idempotency_key.as_deref(),
        Some(format!("comptoir-refund-{refund_id}").as_str())
    );
    for (field, value) in [
        ("payment_intent", "pi_stray"),
        ("amount", "3990"),
        ("metadata[refund_id]", refund_id.as_str()),
        ("metadata[order_id]", order.as_str()),
    ] {
        assert_eq!(sent.field(field), Some(value), "{field}");
    }
    // Stripe answered `pending`; its event settles the refund, and giving
    // back a payment the order did not keep leaves the order as it was.
    let provider_id = app
        .text(
            "SELECT provider_refund_id FROM refunds WHERE order_id = ?1 AND capture_reference = 'pi_stray'",
            &[Value::Text(order.clone())],
        )
        .await?;
    let settled = json!({
        "id": "evt_stray_refunded", "type": "refund.updated",
        "data": {"object": {"id": provider_id, "object": "refund", "amount": 3990, "status": "succeeded",
                 "payment_intent": "pi_stray", "metadata": {"refund_id": refund_id, "order_id": order}}}
    })
    .to_string();
    assert_eq!(outcome(&app, STRIPE_WEBHOOK, &settled).await?, "refund");
    assert_eq!(app.order_status(&order).await?, "paid");

    // The kept payment's own refunds are limited by it alone.
    let finance = app.staff("finance").await?;
    let queue: Json = app
        .get_as(
            &finance,
            &format!("/api/refunds?status=succeeded&order={order}"),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        (
            queue[0]["refund"]["capture_reference"].as_str(),
            queue[0]["captured"]["amount"].as_i64(),
            queue[0]["refunded"]["amount"].as_i64()
        ),
        (Some("pi_stray"), Some(3990), Some(3990))
    );
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": order, "amount": {"amount": 3990, "currency": "EUR"}, "reason": "retour"}),
    )
    .await?
    .expect::<Json>(201)?;
    let kept_refund = stripe
        .received()
        .into_iter()
        .filter(|r| r.path == "/v1/refunds")
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("no second refund"))?;
    assert_eq!(kept_refund.field("payment_intent"), Some("pi_kept"));
    Ok(())
}

#[tokio::test]
async fn the_migration_keeps_one_open_session_per_order_and_unpays_late_paid_cancelled_orders()
-> anyhow::Result<()> {
    let db = comptoir_host::store::NativeStore::open(&comptoir_e2e::fresh_store().await?).await?;
    let dialect = db.dialect();
    let (before, added): (Vec<_>, Vec<_>) =
        MIGRATIONS.iter().partition(|m| m.version < 20261129110000);
    assert_eq!(
        added.first().map(|m| m.version),
        Some(20261129110000),
        "this test sets up the data the migration before it left"
    );
    let mut tx = db.begin().await?;
    tx.query(
        &dialect.migration(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        ),
        &[],
    )
    .await?;
    for migration in before {
        for statement in statements(migration.sql) {
            tx.query(&dialect.migration(statement), &[]).await?;
        }
        tx.query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, 0)",
            &[
                Value::Integer(migration.version),
                Value::Text(migration.name.into()),
            ],
        )
        .await?;
    }
    // What the race left: two open sessions for one pending order; a
    // cancelled order a late payment wrote on; a paid order.
    for (id, status, paid_at, reference) in [
        ("o_pending", "pending_payment", None, None),
        ("o_late", "cancelled", Some(5), Some("pi_late")),
        ("o_paid", "paid", Some(7), Some("pi_paid")),
    ] {
        tx.query(
            "INSERT INTO orders (id, status, email, ship_name, ship_line1, ship_line2, ship_postal_code, ship_city, ship_country, \
                subtotal_cents, shipping_cents, total_cents, vat_cents, currency, cart_id, created_at, reservation_expires_at, \
                paid_at, payment_reference) \
             VALUES (?1, ?2, 'a@exemple.fr', 'A', '1 rue', '', '75001', 'Paris', 'FR', 7000, 0, 7000, 1167, 'EUR', 'c', 1, 2, ?3, ?4)",
            &[
                Value::Text(id.into()),
                Value::Text(status.into()),
                paid_at.map_or(Value::Null, Value::Integer),
                reference.map_or(Value::Null, |r: &str| Value::Text(r.into())),
            ],
        )
        .await?;
    }
    tx.query(
        "INSERT INTO order_events (id, order_id, seq, at, status, actor, note) VALUES ('e1', 'o_paid', 1, 7, 'paid', 'payment', 'x')",
        &[],
    )
    .await?;
    for (id, order, state, at) in [
        ("s_first", "o_pending", "open", 1),
        ("s_second", "o_pending", "open", 2),
        ("s_late", "o_late", "open", 1),
        ("s_paid", "o_paid", "complete", 1),
    ] {
        tx.query(
            "INSERT INTO payment_sessions (id, order_id, provider, amount_cents, currency, state, created_at) \
             VALUES (?1, ?2, 'stripe', 7000, 'EUR', ?3, ?4)",
            &[
                Value::Text(id.into()),
                Value::Text(order.into()),
                Value::Text(state.into()),
                Value::Integer(at),
            ],
        )
        .await?;
    }
    tx.query(
        "INSERT INTO refunds (id, order_id, status, requested_cents, amount_cents, reason, requested_by, created_at) \
         VALUES ('r_late', 'o_late', 'succeeded', 7000, 7000, 'paid after the order was cancelled', 'system', 6)",
        &[],
    )
    .await?;
    tx.commit().await?;

    comptoir_functions::migrate::ensure(&db, &Config::from_lookup(|_| None)?, now_ms()).await?;

    let rows = |sql: &'static str| {
        let db = &db;
        async move {
            let rows = db.query(sql, &[]).await?;
            anyhow::Ok(
                rows.iter()
                    .map(|r| {
                        r.0.iter()
                            .map(|v| match v {
                                Value::Text(t) => t.clone(),
                                Value::Integer(i) => i.to_string(),
                                Value::Null => "NULL".into(),
                                Value::Real(f) => f.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(
        rows("SELECT id, state, provider_expiry_due FROM payment_sessions ORDER BY id").await?,
        [
            "s_first open 0",
            "s_late expired 1",
            "s_paid complete 0",
            "s_second expired 1"
        ]
    );
    assert_eq!(
        rows("SELECT order_id, reference, kept FROM payment_captures ORDER BY order_id").await?,
        ["o_late pi_late 0", "o_paid pi_paid 1"]
    );
    assert_eq!(
        rows("SELECT id, paid_at, payment_reference FROM orders ORDER BY id").await?,
        [
            "o_late NULL NULL",
            "o_paid 7 pi_paid",
            "o_pending NULL NULL"
        ]
    );
    assert_eq!(
        rows("SELECT id, capture_reference FROM refunds").await?,
        ["r_late pi_late"]
    );
    // From now on the database refuses a second open session.
    let second = db
        .query(
            "UPDATE payment_sessions SET state = 'open' WHERE id = 's_second'",
            &[],
        )
        .await;
    assert!(second.is_err(), "a second open session is refused");
    Ok(())
}

/// A session announced complete before its (delayed) payment is known.
fn completed_unpaid(event: &str, session: &str, order: &str) -> String {
    json!({
        "id": event, "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "object": "checkout.session", "amount_total": 7000,
                 "currency": "eur", "payment_status": "unpaid", "metadata": {"order_id": order}}}
    })
    .to_string()
}

fn async_failed(event: &str, session: &str, order: &str) -> String {
    json!({
        "id": event, "object": "event", "type": "checkout.session.async_payment_failed",
        "data": {"object": {"id": session, "object": "checkout.session", "amount_total": 7000,
                 "currency": "eur", "payment_status": "unpaid", "metadata": {"order_id": order}}}
    })
    .to_string()
}

#[tokio::test]
async fn no_second_session_opens_while_a_delayed_payment_is_processed() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let order = app.placed_order(None, SKU, 2).await?;
    let session = app.open_session(&order).await?;
    let session = session["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let secret = SANDBOX_WEBHOOK_SECRET;
    outcome(
        &app,
        secret,
        &completed_unpaid("evt_slow", &session, &order),
    )
    .await?;
    let again = session_request(&app, &order).await?;
    assert_eq!(
        (again.status, again.json["error"].as_str()),
        (409, Some("conflict")),
        "the shopper would pay twice"
    );
    // The delayed payment fails: the order is given up and its stock released.
    assert_eq!(
        outcome(
            &app,
            secret,
            &async_failed("evt_slow_failed", &session, &order)
        )
        .await?,
        "cancelled"
    );
    assert_eq!(app.order_status(&order).await?, "cancelled");
    Ok(())
}

#[tokio::test]
async fn a_late_failure_of_another_session_leaves_a_paid_order_and_the_shelf_alone()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let order = app.placed_order(None, SKU, 2).await?;
    // A session that completed unpaid while another one paid (their
    // openings crossed): its delayed payment then fails.
    app.pay(&order, true).await?;
    app.execute(
        "INSERT INTO payment_sessions (id, order_id, provider, amount_cents, currency, state, created_at, redirect_url) \
         VALUES ('crossed', ?1, 'sandbox', 7000, 'EUR', 'complete', 0, '/x')",
        &[Value::Text(order.clone())],
    )
    .await?;
    let other = app.placed_order(None, SKU, 2).await?;
    let reserved = "SELECT reserved FROM stock WHERE sku = 'TSL-BLEU-M'";
    let before = app.scalar(reserved, &[]).await?;
    assert_eq!(
        outcome(
            &app,
            SANDBOX_WEBHOOK_SECRET,
            &async_failed("evt_crossed", "crossed", &order)
        )
        .await?,
        "ignored"
    );
    assert_eq!(app.order_status(&order).await?, "paid");
    assert_eq!(app.order_status(&other).await?, "pending_payment");
    assert_eq!(
        app.scalar(reserved, &[]).await?,
        before,
        "the other shopper's units stay held"
    );
    Ok(())
}
