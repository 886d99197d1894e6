//! The payment webhook under the faults real providers produce: forged or
//! stale signatures, the same event many times at once, wrong amounts, and
//! reservations that lapse before anyone pays.

use comptoir_e2e::{TestApp, now_ms, spawn_app, spawn_app_with};
use comptoir_functions::config::{Config, SANDBOX_WEBHOOK_SECRET};
use comptoir_functions::payments::signature::sign;
use comptoir_functions::port::Value;
use futures::future::join_all;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

fn now() -> i64 {
    now_ms() / 1000
}

/// A pending order for 2 × SKU (70,00 €) and its open sandbox session id.
async fn pending_order(app: &TestApp) -> anyhow::Result<(String, String)> {
    let order = app.placed_order(None, SKU, 2).await?;
    let session = app.open_session(&order).await?;
    Ok((
        order,
        session["session_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ))
}

fn completed(event: &str, session: &str, order: &str, amount: i64) -> String {
    json!({
        "id": event, "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "object": "checkout.session", "amount_total": amount,
                 "currency": "eur", "payment_status": "paid", "metadata": {"order_id": order}}}
    })
    .to_string()
}

async fn deliver(
    app: &TestApp,
    body: &str,
    signed_at: i64,
) -> anyhow::Result<comptoir_e2e::Answer> {
    app.webhook(SANDBOX_WEBHOOK_SECRET, body, signed_at).await
}

async fn status(app: &TestApp, order: &str) -> anyhow::Result<String> {
    let summary: Json = app
        .get(&format!("/api/orders/{order}"))
        .await?
        .expect(200)?;
    Ok(summary["status"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn forged_and_stale_signatures_are_refused_and_change_nothing() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let (order, session) = pending_order(&app).await?;
    let body = completed("evt_forged", &session, &order, 7000);
    let forged = sign("whsec_attacker", now(), body.as_bytes());
    let answer = app
        .call(
            "POST",
            "/api/payments/webhook",
            Some(body.clone()),
            &[("stripe-signature", &forged)],
        )
        .await?;
    assert_eq!(
        (answer.status, answer.json),
        (400, json!({"error": "invalid_signature"}))
    );
    let stale = deliver(&app, &body, now() - 301).await?;
    assert_eq!(stale.status, 400);
    let unsigned = app
        .call("POST", "/api/payments/webhook", Some(body), &[])
        .await?;
    assert_eq!(unsigned.status, 400);
    assert_eq!(status(&app, &order).await?, "pending_payment");
    assert_eq!(app.count("payment_events").await?, 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_event_delivered_five_times_at_once_is_applied_once() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let before = app.available(SKU).await?;
    let on_hand = app
        .scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    let (order, session) = pending_order(&app).await?;
    let body = completed("evt_once", &session, &order, 7000);
    let signed_at = now();
    let answers = join_all((0..5).map(|_| deliver(&app, &body, signed_at))).await;
    let mut outcomes = Vec::new();
    for answer in answers {
        let ack: Json = answer?.expect(200)?;
        outcomes.push(ack["outcome"].as_str().unwrap_or_default().to_owned());
    }
    outcomes.sort();
    assert_eq!(
        outcomes,
        ["duplicate", "duplicate", "duplicate", "duplicate", "paid"]
    );
    assert_eq!(status(&app, &order).await?, "paid");
    assert_eq!(app.available(SKU).await?, before - 2);
    let sold = app
        .scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    assert_eq!(sold, on_hand - 2, "sold once, not five times");
    Ok(())
}

#[tokio::test]
async fn a_payment_for_the_wrong_amount_is_refunded_in_full_and_the_order_stays_payable()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let (order, session) = pending_order(&app).await?;
    let ack: Json = deliver(&app, &completed("evt_short", &session, &order, 6999), now())
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "billing_error");
    assert_eq!(status(&app, &order).await?, "pending_payment");
    let errors = app
        .scalar(
            "SELECT COUNT(*) FROM billing_errors WHERE order_id = ?1 AND kind = 'amount_mismatch'",
            &[Value::Text(order.clone())],
        )
        .await?;
    assert_eq!(errors, 1);
    let refunded = app
        .scalar(
            "SELECT SUM(amount_cents) FROM refunds WHERE order_id = ?1 AND capture_reference = ?2",
            &[Value::Text(order.clone()), Value::Text(session.clone())],
        )
        .await?;
    assert_eq!(refunded, 6999, "the money taken goes back, all of it");
    // The same payment announced again with the right amount is the same
    // payment: it was refunded, it cannot pay the order now.
    let ack: Json = deliver(&app, &completed("evt_again", &session, &order, 7000), now())
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "ignored");
    // A new session paying the exact total does.
    app.pay(&order, true).await?;
    assert_eq!(status(&app, &order).await?, "paid");
    Ok(())
}

#[tokio::test]
async fn an_expired_reservation_gives_the_stock_back_when_the_job_runner_passes()
-> anyhow::Result<()> {
    let config = Config::from_lookup(|name| match name {
        "reservation_ttl_seconds" => Some("1".to_owned()),
        "jobs_secret" => Some("planificateur".to_owned()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    let before = app.available(SKU).await?;
    let (order, session) = pending_order(&app).await?;
    assert_eq!(app.available(SKU).await?, before - 2);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // The job runner (a scheduler's call here; the native host's timer
    // too) gives the stock back.
    app.call(
        "POST",
        "/api/jobs/run",
        None,
        &[("authorization", "Bearer planificateur")],
    )
    .await?
    .expect::<Json>(200)?;
    assert_eq!(app.available(SKU).await?, before);
    assert_eq!(status(&app, &order).await?, "cancelled");
    let released = app
        .scalar(
            "SELECT COUNT(*) FROM stock_movements WHERE order_id = ?1 AND kind = 'release'",
            &[Value::Text(order.clone())],
        )
        .await?;
    assert_eq!(released, 1);

    // The sandbox page no longer takes the payment…
    let late = app
        .send(
            "POST",
            &format!("/api/payments/sandbox/{session}"),
            &json!({"decision": "approve"}),
        )
        .await?;
    assert_eq!(late.status, 409);
    // …and money that still lands (a provider event) goes back in full.
    let ack: Json = deliver(&app, &completed("evt_late", &session, &order, 7000), now())
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "billing_error");
    assert_eq!(status(&app, &order).await?, "cancelled");
    let refunded = app
        .scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE order_id = ?1 AND status = 'succeeded'", &[Value::Text(order.clone())])
        .await?;
    assert_eq!(refunded, 7000);
    assert_eq!(app.available(SKU).await?, before, "nothing sold");
    Ok(())
}
