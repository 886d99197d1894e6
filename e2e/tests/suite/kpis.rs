//! The KPI report on a known period: orders, payments, shipping, refunds,
//! surveys and stock placed at chosen instants, every figure checked exactly;
//! cost inputs set by admins; who may read and write.

use comptoir_e2e::{TestApp, spawn_app};
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

const D0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const HOUR: i64 = 3_600_000;

/// Places an order's life at chosen instants.
async fn at(
    app: &TestApp,
    order: &str,
    created: i64,
    paid: Option<i64>,
    shipped: Option<i64>,
) -> anyhow::Result<()> {
    app.execute(
        "UPDATE orders SET created_at = ?2, paid_at = ?3, shipped_at = ?4 WHERE id = ?1",
        &[
            Value::Text(order.into()),
            Value::Integer(created),
            paid.map_or(Value::Null, Value::Integer),
            shipped.map_or(Value::Null, Value::Integer),
        ],
    )
    .await?;
    app.execute(
        "UPDATE stock_movements SET at = ?2 WHERE order_id = ?1 AND kind = 'sale'",
        &[
            Value::Text(order.into()),
            Value::Integer(paid.unwrap_or(created)),
        ],
    )
    .await
}

#[tokio::test]
async fn the_report_adds_up_on_a_known_period() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let admin = app.staff("admin").await?;
    let warehouse = app.staff("warehouse").await?;
    let finance = app.staff("finance").await?;
    let period = format!("/api/kpis?from={D0}&to={}", D0 + 72 * HOUR);
    let before: Json = app.get_as(&warehouse, &period).await?.expect(200)?;

    // The last unit of TSL-BLEU-S goes to order D.
    let shelf = app
        .scalar("SELECT on_hand FROM stock WHERE sku = 'TSL-BLEU-S'", &[])
        .await?;
    app.send_as(
        &warehouse,
        "POST",
        "/api/stock/TSL-BLEU-S/adjustments",
        &json!({"delta": 1 - shelf, "reason": "inventaire"}),
    )
    .await?
    .expect::<Json>(200)?;
    app.execute(
        "UPDATE stock_movements SET at = ?1 WHERE kind = 'adjustment'",
        &[Value::Integer(D0 + 20 * HOUR)],
    )
    .await?;

    let a = app.paid_order_as(Some(&customer), "TSL-BLEU-M", 2).await?; // 70,00 €
    let b = app.paid_order_as(Some(&customer), "TSL-BLEU-M", 1).await?; // 39,90 €
    let c = app.placed_order(Some(&customer), "TSL-BLEU-M", 1).await?; // never paid
    let d = app.paid_order("TSL-BLEU-S", 1).await?; // 39,90 €, another buyer
    app.execute(
        "UPDATE orders SET email = 'autre@exemple.fr' WHERE id = ?1",
        &[Value::Text(d.clone())],
    )
    .await?;
    for order in [&a, &b] {
        app.deliver(order).await?;
    }
    at(&app, &a, D0 + HOUR, Some(D0 + HOUR), Some(D0 + 11 * HOUR)).await?;
    at(
        &app,
        &b,
        D0 + 2 * HOUR,
        Some(D0 + 2 * HOUR),
        Some(D0 + 62 * HOUR),
    )
    .await?;
    at(&app, &c, D0 + 30 * HOUR, None, None).await?;
    at(&app, &d, D0 + 25 * HOUR, Some(D0 + 25 * HOUR), None).await?;

    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": a, "amount": {"amount": 1000, "currency": "EUR"}, "reason": "geste"}),
    )
    .await?
    .expect::<Json>(201)?;
    app.execute(
        "UPDATE refunds SET created_at = ?2, settled_at = ?3 WHERE order_id = ?1",
        &[
            Value::Text(a.clone()),
            Value::Integer(D0 + 12 * HOUR),
            Value::Integer(D0 + 14 * HOUR),
        ],
    )
    .await?;
    app.execute(
        "INSERT INTO refunds (id, order_id, status, requested_cents, amount_cents, reason, requested_by, created_at, settled_at) \
         VALUES ('f1', ?1, 'failed', 500, 500, 'x', 'finance', ?2, ?2)",
        &[Value::Text(b.clone()), Value::Integer(D0 + 40 * HOUR)],
    )
    .await?;
    app.execute(
        "INSERT INTO billing_errors (id, order_id, event_id, kind, detail, at) VALUES ('e1', ?1, 'evt', 'amount_mismatch', 'x', ?2), \
                ('e2', ?1, 'evt', 'amount_mismatch', 'too late', ?3)",
        &[
            Value::Text(b.clone()),
            Value::Integer(D0 + 5 * HOUR),
            Value::Integer(D0 + 80 * HOUR),
        ],
    )
    .await?;
    for (order, csat, nps) in [(&a, 5, 10), (&b, 3, 8)] {
        app.send_as(
            &customer,
            "POST",
            "/api/support/surveys",
            &json!({"order_id": order, "csat": csat, "nps": nps}),
        )
        .await?
        .expect::<Json>(201)?;
    }
    app.execute(
        "UPDATE surveys SET at = ?1",
        &[Value::Integer(D0 + 50 * HOUR)],
    )
    .await?;

    let costs = json!({
        "fixed_monthly": {"amount": 300000, "currency": "EUR"},
        "per_order_handling": {"amount": 150, "currency": "EUR"},
        "payment_fee_bps": 140,
        "per_shipment_carrier": {"amount": 600, "currency": "EUR"},
        "shipping_sla_hours": 48
    });
    assert_eq!(
        app.send_as(&finance, "PUT", "/api/kpis/costs", &costs)
            .await?
            .status,
        403
    );
    let mut bad = costs.clone();
    bad["payment_fee_bps"] = json!(20000);
    let refused = app.send_as(&admin, "PUT", "/api/kpis/costs", &bad).await?;
    assert_eq!(
        (refused.status, refused.json["field"].as_str()),
        (422, Some("payment_fee_bps"))
    );
    app.send_as(&admin, "PUT", "/api/kpis/costs", &costs)
        .await?
        .expect::<Json>(200)?;
    assert_eq!(
        app.get_as(&warehouse, "/api/kpis/costs")
            .await?
            .expect::<Json>(200)?,
        costs
    );

    let on_hand_now = app.scalar("SELECT SUM(on_hand) FROM stock", &[]).await?;
    let report: Json = app.get_as(&warehouse, &period).await?.expect(200)?;
    let figures = |pointer: &str| report.pointer(pointer).cloned().unwrap_or(Json::Null);
    for (pointer, expected) in [
        ("/checkouts_started", json!(4)),
        ("/paid_orders", json!(3)),
        ("/conversion_bps", json!(7500)),
        ("/revenue/gross/amount", json!(14980)),
        ("/revenue/refunded/amount", json!(1000)),
        ("/revenue/net/amount", json!(13980)),
        ("/revenue/average_order_value/amount", json!(4993)),
        (
            "/orders_per_day/0",
            json!({"day": "2026-01-01", "orders": 2, "revenue": {"amount": 10990, "currency": "EUR"}}),
        ),
        ("/orders_per_day/1/orders", json!(1)),
        (
            "/orders_per_day/2",
            json!({"day": "2026-01-03", "orders": 0, "revenue": {"amount": 0, "currency": "EUR"}}),
        ),
        ("/shipping/shipped", json!(2)),
        ("/shipping/paid_to_shipped_p50_ms", json!(10 * HOUR)),
        ("/shipping/paid_to_shipped_p90_ms", json!(60 * HOUR)),
        ("/shipping/on_time_bps", json!(5000)),
        // 3 000 € a month over 3 days = 300 €, 14980 × 1.4 % = 2.10 €, 2 × 6 €: over 3 orders.
        ("/cost_per_order/fixed/amount", json!(10000)),
        ("/cost_per_order/handling/amount", json!(150)),
        ("/cost_per_order/payment_fees/amount", json!(70)),
        ("/cost_per_order/carrier/amount", json!(400)),
        ("/cost_per_order/total/amount", json!(10620)),
        ("/stock/units_sold", json!(4)),
        // On hand at `from`: today's + the 4 sold + the units the adjustment removed.
        (
            "/stock/average_on_hand_milli",
            json!((2 * on_hand_now + 4 + (shelf - 1)) * 500),
        ),
        ("/stock/sales_that_emptied_a_sku", json!(1)),
        ("/billing/payment_errors", json!(1)),
        ("/billing/failed_refunds", json!(1)),
        ("/refunds/refund_rate_bps", json!(668)),
        ("/refunds/orders_with_refund_bps", json!(3333)),
        ("/refunds/turnaround_p50_ms", json!(2 * HOUR)),
        ("/satisfaction/responses", json!(2)),
        ("/satisfaction/csat_average_milli", json!(4000)),
        ("/satisfaction/csat_satisfied_bps", json!(5000)),
        ("/satisfaction/nps", json!(50)),
        ("/repeat_customer_bps", json!(5000)),
        ("/stuck_orders/0/id", json!(d)),
    ] {
        assert_eq!(figures(pointer), expected, "{pointer}");
    }
    assert_eq!(report["orders_per_day"].as_array().map(Vec::len), Some(3));
    assert_eq!(report["stuck_orders"].as_array().map(Vec::len), Some(1));
    let average = report["stock"]["average_on_hand_milli"]
        .as_i64()
        .unwrap_or(1);
    assert_eq!(
        report["stock"]["rotation_bps"].as_i64(),
        Some((4 * 10_000 * 1000 + average / 2) / average)
    );
    assert_eq!(
        report["stock"]["stockout_skus_now"].as_i64(),
        before["stock"]["stockout_skus_now"].as_i64().map(|n| n + 1)
    );

    // A longer SLA makes both shipments on time.
    let mut relaxed = costs.clone();
    relaxed["shipping_sla_hours"] = json!(72);
    app.send_as(&admin, "PUT", "/api/kpis/costs", &relaxed)
        .await?
        .expect::<Json>(200)?;
    let again: Json = app.get_as(&warehouse, &period).await?.expect(200)?;
    assert_eq!(again["shipping"]["on_time_bps"], 10000);
    let log: Json = app
        .get_as(&admin, "/api/audit?action=cost_settings")
        .await?
        .expect(200)?;
    assert_eq!(log.as_array().map(Vec::len), Some(2));
    Ok(())
}

#[tokio::test]
async fn every_staff_member_reads_the_report_and_nobody_else() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    assert_eq!(app.get("/api/kpis").await?.status, 401);
    assert_eq!(app.get_as(&customer, "/api/kpis").await?.status, 403);
    assert_eq!(app.get_as(&customer, "/api/kpis/costs").await?.status, 403);
    for role in ["admin", "support", "warehouse", "finance"] {
        let staff = app.staff(role).await?;
        let empty: Json = app.get_as(&staff, "/api/kpis").await?.expect(200)?;
        assert_eq!(
            (
                empty["paid_orders"].as_i64(),
                empty["conversion_bps"].is_null(),
                empty["orders_per_day"].as_array().map(Vec::len)
            ),
            (Some(0), true, Some(31)),
            "{role}"
        );
    }
    let admin = app.staff("admin").await?;
    for bad in [
        "from=10&to=5",
        "from=x",
        &format!("from=0&to={}", 367 * 86_400_000_i64),
    ] {
        assert_eq!(
            app.get_as(&admin, &format!("/api/kpis?{bad}"))
                .await?
                .status,
            422,
            "{bad}"
        );
    }
    Ok(())
}
