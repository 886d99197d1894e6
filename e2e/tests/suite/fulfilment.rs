//! The order workflow staff drive: roles enforced by the functions, the
//! shared state machine (409 otherwise), timeline entries, stuck orders, and
//! cancellation giving stock and money back.

use comptoir_e2e::spawn_app;
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

#[tokio::test]
async fn warehouse_picks_ships_and_delivers_and_nobody_else_may() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let order = app.paid_order(SKU, 1).await?;
    let customer = app.customer().await?;
    let warehouse = app.staff("warehouse").await?;
    let finance = app.staff("finance").await?;

    let picking = json!({"to": "picking"});
    assert_eq!(
        app.send("POST", &format!("/api/orders/{order}/status"), &picking)
            .await?
            .status,
        401
    );
    assert_eq!(
        app.move_order(&customer, &order, picking.clone())
            .await?
            .status,
        403
    );
    assert_eq!(
        app.move_order(&finance, &order, picking.clone())
            .await?
            .status,
        403
    );
    assert_eq!(
        app.move_order(&warehouse, &order, picking).await?.status,
        200
    );

    let no_tracking = app
        .move_order(&warehouse, &order, json!({"to": "shipped"}))
        .await?;
    assert_eq!(
        (no_tracking.status, no_tracking.json["field"].as_str()),
        (422, Some("shipment"))
    );
    let shipped: Json = app
        .move_order(&warehouse, &order, json!({"to": "shipped", "shipment": {"carrier": "Colissimo", "tracking_number": "6A12345678901"}}))
        .await?
        .expect(200)?;
    assert_eq!(
        shipped["shipment"],
        json!({"carrier": "Colissimo", "tracking_number": "6A12345678901"})
    );

    let skip = app
        .move_order(&warehouse, &order, json!({"to": "picking"}))
        .await?;
    assert_eq!(
        (skip.status, skip.json),
        (
            409,
            json!({"error": "invalid_transition", "from": "shipped", "to": "picking"})
        )
    );
    let support = app.staff("support").await?;
    assert_eq!(
        app.move_order(&support, &order, json!({"to": "cancelled"}))
            .await?
            .status,
        409
    );
    let paid_by_hand = app
        .move_order(&warehouse, &order, json!({"to": "paid"}))
        .await?;
    assert_eq!(
        (paid_by_hand.status, paid_by_hand.json["field"].as_str()),
        (422, Some("to"))
    );

    let delivered: Json = app
        .move_order(&warehouse, &order, json!({"to": "delivered"}))
        .await?
        .expect(200)?;
    let timeline = delivered["timeline"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let steps: Vec<(&str, &str)> = timeline
        .iter()
        .map(|e| {
            (
                e["status"].as_str().unwrap_or(""),
                e["actor"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("pending_payment", "customer"),
            ("paid", "payment"),
            ("picking", "warehouse@comptoir.test"),
            ("shipped", "warehouse@comptoir.test"),
            ("delivered", "warehouse@comptoir.test")
        ]
    );
    Ok(())
}

#[tokio::test]
async fn paid_orders_not_shipped_after_n_hours_are_listed_as_stuck() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let old = app.paid_order(SKU, 1).await?;
    let fresh = app.paid_order(SKU, 1).await?;
    app.execute(
        "UPDATE orders SET paid_at = paid_at - 50 * 3600000 WHERE id = ?1",
        &[Value::Text(old.clone())],
    )
    .await?;
    let support = app.staff("support").await?;
    let stuck: Json = app
        .get_as(&support, "/api/orders/stuck?hours=48")
        .await?
        .expect(200)?;
    let ids: Vec<&str> = stuck
        .as_array()
        .map(|a| a.iter().filter_map(|o| o["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [old.as_str()]);
    assert_eq!(stuck[0]["waiting_hours"], 50);
    assert!(!ids.contains(&fresh.as_str()));
    let customer = app.customer().await?;
    assert_eq!(
        app.get_as(&customer, "/api/orders/stuck").await?.status,
        403
    );
    assert_eq!(
        app.get_as(&support, "/api/orders/stuck?hours=0")
            .await?
            .status,
        422
    );
    Ok(())
}

#[tokio::test]
async fn cancelling_a_paid_order_returns_its_stock_and_refunds_it_in_full() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let before = app.available(SKU).await?;
    let order = app.paid_order(SKU, 2).await?;
    assert_eq!(app.available(SKU).await?, before - 2);
    let support = app.staff("support").await?;
    let cancelled: Json = app
        .move_order(
            &support,
            &order,
            json!({"to": "cancelled", "note": "client injoignable"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(app.available(SKU).await?, before, "back on the shelf");
    let pending: Json = app
        .get_as(
            &support,
            &format!("/api/refunds?status=pending&order={order}"),
        )
        .await?
        .expect(200)?;
    assert_eq!(pending.as_array().map(Vec::len), Some(1));
    assert_eq!(pending[0]["refund"]["amount"]["amount"], 7000);
    let id = pending[0]["refund"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // The native host's back office executes it within seconds, with no one asking.
    let mut status = String::new();
    for _ in 0..50 {
        let refund = app
            .scalar(
                "SELECT COUNT(*) FROM refunds WHERE id = ?1 AND status = 'succeeded'",
                &[Value::Text(id.clone())],
            )
            .await?;
        if refund == 1 {
            status = "succeeded".into();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(status, "succeeded");
    // Executing it again by hand changes nothing.
    let again: Json = app
        .send_as(
            &support,
            "POST",
            &format!("/api/refunds/{id}/execute"),
            &json!(null),
        )
        .await?
        .expect(200)?;
    assert_eq!(again["status"], "succeeded");
    assert_eq!(app.order_status(&order).await?, "cancelled");
    let refunded = app
        .scalar(
            "SELECT SUM(amount_cents) FROM refunds WHERE order_id = ?1 AND status = 'succeeded'",
            &[Value::Text(order.clone())],
        )
        .await?;
    assert_eq!(refunded, 7000);
    let returned = app
        .scalar(
            "SELECT SUM(quantity) FROM stock_movements WHERE order_id = ?1 AND kind = 'return'",
            &[Value::Text(order)],
        )
        .await?;
    assert_eq!(returned, 2);
    Ok(())
}
