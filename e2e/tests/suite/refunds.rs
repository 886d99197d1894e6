//! Refunds end to end: the customer asks per line, finance decides, the
//! provider pays back; Σ refunded ≤ captured under concurrent approvals;
//! provider events in any order; Stripe's Refund request checked by a fake.

use comptoir_e2e::fake_stripe::{FakeStripe, SECRET_KEY};
use comptoir_e2e::{TestApp, now_ms, spawn_app, spawn_app_with};
use comptoir_functions::config::{Config, SANDBOX_WEBHOOK_SECRET};
use comptoir_functions::port::Value;
use futures::future::join_all;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M"; // 35,00 €

async fn shipped_order(app: &TestApp, customer: &str, quantity: u32) -> anyhow::Result<String> {
    let order = app.paid_order_as(Some(customer), SKU, quantity).await?;
    app.ship(&order, "6A1").await?;
    Ok(order)
}

#[tokio::test]
async fn a_customer_asks_finance_approves_part_and_restocks() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let order = shipped_order(&app, &customer, 2).await?;
    // A guest order under the same e-mail is not this account's.
    let guest = app.paid_order(SKU, 1).await?;
    let on_hand = app
        .scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    let not_mine = app
        .send_as(
            &customer,
            "POST",
            "/api/refunds",
            &json!({"order_id": guest, "lines": [{"sku": SKU, "quantity": 1}], "reason": "x"}),
        )
        .await?;
    assert_eq!(not_mine.status, 404);
    let ask =
        json!({"order_id": order, "lines": [{"sku": SKU, "quantity": 1}], "reason": "trop petit"});
    assert_eq!(app.send("POST", "/api/refunds", &ask).await?.status, 401);
    let requested: Json = app
        .send_as(&customer, "POST", "/api/refunds", &ask)
        .await?
        .expect(201)?;
    assert_eq!(
        (
            requested["status"].as_str(),
            requested["requested"]["amount"].as_i64()
        ),
        (Some("requested"), Some(3500))
    );
    let too_many = app
        .send_as(
            &customer,
            "POST",
            "/api/refunds",
            &json!({"order_id": order, "lines": [{"sku": SKU, "quantity": 2}], "reason": "x"}),
        )
        .await?;
    assert_eq!(
        (too_many.status, too_many.json["field"].as_str()),
        (422, Some("lines"))
    );

    let finance = app.staff("finance").await?;
    assert_eq!(app.get_as(&customer, "/api/refunds").await?.status, 403);
    let queue: Json = app.get_as(&finance, "/api/refunds").await?.expect(200)?;
    assert_eq!(
        (
            queue[0]["captured"]["amount"].as_i64(),
            queue[0]["refunded"]["amount"].as_i64()
        ),
        (Some(7000), Some(0))
    );
    let id = requested["id"].as_str().unwrap_or_default();
    let warehouse = app.staff("warehouse").await?;
    assert_eq!(
        app.send_as(
            &warehouse,
            "POST",
            &format!("/api/refunds/{id}/approve"),
            &json!({})
        )
        .await?
        .status,
        403
    );
    let over = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/refunds/{id}/approve"),
            &json!({"amount": {"amount": 3600, "currency": "EUR"}}),
        )
        .await?;
    assert_eq!(over.status, 422);
    let approved: Json = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/refunds/{id}/approve"),
            &json!({"amount": {"amount": 2000, "currency": "EUR"}, "restock": true}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        (
            approved["status"].as_str(),
            approved["amount"]["amount"].as_i64()
        ),
        (Some("succeeded"), Some(2000))
    );
    // A partial refund does not stop the parcel: it shows once delivered.
    assert_eq!(app.order_status(&order).await?, "shipped");
    let warehouse = app.staff("warehouse").await?;
    app.move_order(&warehouse, &order, json!({"to": "delivered"}))
        .await?
        .expect::<Json>(200)?;
    assert_eq!(app.order_status(&order).await?, "partially_refunded");
    let restocked = app
        .scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    assert_eq!(restocked, on_hand + 1);
    assert_eq!(
        app.send_as(
            &finance,
            "POST",
            &format!("/api/refunds/{id}/approve"),
            &json!({})
        )
        .await?
        .status,
        409
    );

    let second: Json = app
        .send_as(&customer, "POST", "/api/refunds", &ask)
        .await?
        .expect(201)?;
    let sid = second["id"].as_str().unwrap_or_default();
    let declined: Json = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/refunds/{sid}/decline"),
            &json!({"note": "article porté"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        (
            declined["status"].as_str(),
            declined["decision_note"].as_str()
        ),
        (Some("declined"), Some("article porté"))
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_refunds_only_those_within_the_capture_succeed() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let order = app.paid_order(SKU, 2).await?; // 70,00 € captured
    let finance = app.staff("finance").await?;
    let body = json!({"order_id": order, "amount": {"amount": 1000, "currency": "EUR"}, "reason": "geste commercial"});
    let answers =
        join_all((0..20).map(|_| app.send_as(&finance, "POST", "/api/refunds/direct", &body)))
            .await;
    let (mut ok, mut refused) = (0, 0);
    for answer in answers {
        match answer?.status {
            201 => ok += 1,
            409 => refused += 1,
            other => anyhow::bail!("unexpected {other}"),
        }
    }
    assert_eq!((ok, refused), (7, 13));
    let refunded = app
        .scalar(
            "SELECT SUM(amount_cents) FROM refunds WHERE order_id = ?1 AND status = 'succeeded'",
            &[Value::Text(order.clone())],
        )
        .await?;
    assert_eq!(refunded, 7000);
    assert_eq!(app.order_status(&order).await?, "refunded");
    Ok(())
}

#[tokio::test]
async fn an_absurd_refund_amount_is_refused_without_overflowing() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let order = app.paid_order(SKU, 2).await?;
    let finance = app.staff("finance").await?;
    let send = |amount: i64| {
        let body = json!({"order_id": order, "amount": {"amount": amount, "currency": "EUR"}, "reason": "test"});
        let finance = finance.clone();
        let app = &app;
        async move {
            app.send_as(&finance, "POST", "/api/refunds/direct", &body)
                .await
        }
    };
    assert_eq!(send(1000).await?.status, 201);
    for amount in [i64::MAX, i64::MAX - 500, 6001] {
        let answer = send(amount).await?;
        assert_eq!(
            (answer.status, answer.json["error"].clone()),
            (409, json!("conflict")),
            "{amount}"
        );
    }
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1",
            &[Value::Text(order.clone())],
        )
        .await?,
        1,
        "only the first refund was recorded"
    );
    Ok(())
}

#[tokio::test]
async fn a_refund_announced_before_the_payment_is_applied_once_the_payment_lands()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let cart = app.cart_with(SKU, 2).await?;
    let placed: Json = app.checkout(&cart, None).await?.expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default().to_owned();
    let refunded = json!({
        "id": "evt_refund_first", "type": "charge.refunded",
        "data": {"object": {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "metadata": {"order_id": order},
                 "refunds": {"data": [{"id": "re_ext_1", "amount": 2000, "status": "succeeded", "metadata": {}}]}}}
    })
    .to_string();
    let ack: Json = app
        .webhook(SANDBOX_WEBHOOK_SECRET, &refunded, now_ms() / 1000)
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "refund");
    assert_eq!(app.order_status(&order).await?, "pending_payment");
    let completed = json!({
        "id": "evt_paid_late", "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_1", "amount_total": 7000, "currency": "eur", "payment_status": "paid",
                 "payment_intent": "pi_1", "metadata": {"order_id": order}}}
    })
    .to_string();
    let ack: Json = app
        .webhook(SANDBOX_WEBHOOK_SECRET, &completed, now_ms() / 1000)
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "paid");
    assert_eq!(
        app.order_status(&order).await?,
        "paid",
        "still to be shipped"
    );
    let summary: Json = app
        .get(&format!("/api/orders/{order}"))
        .await?
        .expect(200)?;
    let notes: Vec<&str> = summary["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(notes.contains(&"€20.00 refunded"), "{notes:?}");
    // The same refund event again is a duplicate; a new event for the same refund changes nothing.
    let again: Json = app
        .webhook(SANDBOX_WEBHOOK_SECRET, &refunded, now_ms() / 1000)
        .await?
        .expect(200)?;
    assert_eq!(again["outcome"], "duplicate");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM refunds WHERE provider_refund_id = 're_ext_1'",
            &[]
        )
        .await?,
        1
    );
    // Without the refund list (recent API versions), the unknown part of
    // `amount_refunded` is recorded once.
    for event_id in ["evt_unlisted_1", "evt_unlisted_2"] {
        let unlisted = json!({
            "id": event_id, "type": "charge.refunded",
            "data": {"object": {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 3500, "metadata": {}}}
        })
        .to_string();
        app.webhook(SANDBOX_WEBHOOK_SECRET, &unlisted, now_ms() / 1000)
            .await?
            .expect::<Json>(200)?;
    }
    let refunded = app
        .scalar(
            "SELECT SUM(amount_cents) FROM refunds WHERE order_id = ?1 AND status = 'succeeded'",
            &[Value::Text(order.clone())],
        )
        .await?;
    assert_eq!(refunded, 3500);
    Ok(())
}

#[tokio::test]
async fn stripe_receives_a_refund_with_the_right_fields_and_its_event_settles_it()
-> anyhow::Result<()> {
    const WEBHOOK: &str = "whsec_refunds";
    let stripe = FakeStripe::start().await?;
    let config = Config::from_lookup(|name| match name {
        "payment_provider" => Some("stripe".into()),
        "stripe_secret_key" => Some(SECRET_KEY.into()),
        "stripe_api_base" => Some(stripe.base.clone()),
        "webhook_secret" => Some(WEBHOOK.into()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    let cart = app.cart_with(SKU, 2).await?;
    let placed: Json = app.checkout(&cart, None).await?.expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default().to_owned();
    let completed = json!({
        "id": "evt_paid", "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_1", "amount_total": 7000, "currency": "eur", "payment_status": "paid",
                 "payment_intent": "pi_stripe_1", "metadata": {"order_id": order}}}
    })
    .to_string();
    app.webhook(WEBHOOK, &completed, now_ms() / 1000)
        .await?
        .expect::<Json>(200)?;

    let finance = app.staff("finance").await?;
    let refund: Json = app
        .send_as(&finance, "POST", "/api/refunds/direct", &json!({"order_id": order, "amount": {"amount": 1500, "currency": "EUR"}, "reason": "colis abîmé"}))
        .await?
        .expect(201)?;
    assert_eq!(refund["status"], "pending", "Stripe answered pending");
    let id = refund["id"].as_str().unwrap_or_default().to_owned();
    let sent = stripe
        .received()
        .into_iter()
        .find(|r| r.path == "/v1/refunds")
        .ok_or_else(|| anyhow::anyhow!("no refund sent"))?;
    assert_eq!(
        sent.authorization.as_deref(),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    assert_eq!(
        sent.idempotency_key.as_deref(),
        Some(format!("comptoir-refund-{id}").as_str())
    );
    for (field, value) in [
        ("payment_intent", "pi_stripe_1"),
        ("amount", "1500"),
        ("metadata[refund_id]", id.as_str()),
        ("metadata[order_id]", order.as_str()),
    ] {
        assert_eq!(sent.field(field), Some(value), "{field}");
    }

    let updated = json!({
        "id": "evt_refund_done", "type": "refund.updated",
        "data": {"object": {"id": "re_test_2", "object": "refund", "amount": 1500, "status": "succeeded",
                 "metadata": {"refund_id": id, "order_id": order}}}
    })
    .to_string();
    let ack: Json = app
        .webhook(WEBHOOK, &updated, now_ms() / 1000)
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "refund");
    assert_eq!(
        app.order_status(&order).await?,
        "paid",
        "partial refund before shipping"
    );
    let status = app
        .scalar(
            "SELECT COUNT(*) FROM refunds WHERE id = ?1 AND status = 'succeeded'",
            &[Value::Text(id)],
        )
        .await?;
    assert_eq!(status, 1);
    Ok(())
}
