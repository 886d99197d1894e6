//! Purchasing: the forecast per SKU from the stock ledger (stockouts as
//! missing demand), suppliers, purchase orders drafted from its
//! suggestions (by hand or by the low-stock rule, once), sent, received
//! line by line — stock, ledger and books moved exactly once per unit —
//! and closed.

use comptoir_e2e::{TestApp, spawn_quiet_app_with};
use comptoir_functions::config::Config;
use comptoir_functions::port::Value;
use comptoir_shared::calendar::DAY_MS;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";
const SECRET: &str = "le secret du planificateur";

async fn app() -> anyhow::Result<TestApp> {
    let config = Config::from_lookup(|name| (name == "jobs_secret").then(|| SECRET.into()))?;
    spawn_quiet_app_with(config).await
}

/// A supplier (10 days' lead time) supplying `SKU` at 12,00 €, 7 days of
/// safety stock, reordered every 14 days.
async fn supplied(app: &TestApp, staff: &str) -> anyhow::Result<Json> {
    let supplier: Json = app
        .send_as(staff, "POST", "/api/stock/suppliers", &json!({"name": "Filature du Nord", "email": "commandes@filature.test", "lead_time_days": 10}))
        .await?
        .expect(201)?;
    let supply = json!({"supplier_id": supplier["id"], "unit_cost": {"amount": 1200, "currency": "EUR"}, "safety_days": 7, "review_days": 14});
    app.send_as(staff, "PUT", &format!("/api/stock/{SKU}/supply"), &supply)
        .await?
        .expect::<Json>(200)?;
    Ok(supplier)
}

fn of<'a>(list: &'a Json, sku: &str) -> &'a Json {
    list.as_array()
        .and_then(|l| l.iter().find(|f| f["sku"] == sku))
        .unwrap_or(&Json::Null)
}

async fn shelf(app: &TestApp) -> anyhow::Result<i64> {
    app.scalar(
        "SELECT on_hand FROM stock WHERE sku = ?1",
        &[Value::Text(SKU.into())],
    )
    .await
}

async fn booked(app: &TestApp, account: &str) -> anyhow::Result<(i64, i64)> {
    let debit = app
        .scalar(
            "SELECT COALESCE(SUM(debit_cents), 0) FROM journal_lines WHERE account = ?1",
            &[Value::Text(account.into())],
        )
        .await?;
    let credit = app
        .scalar(
            "SELECT COALESCE(SUM(credit_cents), 0) FROM journal_lines WHERE account = ?1",
            &[Value::Text(account.into())],
        )
        .await?;
    Ok((debit, credit))
}

#[tokio::test]
async fn a_purchase_order_is_drafted_from_the_forecast_sent_and_received_once_per_line()
-> anyhow::Result<()> {
    let app = app().await?;
    let warehouse = app.staff("warehouse").await?;
    // 3 a day for 60 days, 4 left; before the delivery 61 days ago the
    // shelf was empty (missing demand, not zero).
    assert_eq!(app.sales_history(SKU, 184, 3, 61, 1).await?, 4);
    let supplier = supplied(&app, &warehouse).await?;

    let forecasts: Json = app
        .get_as(&warehouse, "/api/stock/forecast")
        .await?
        .expect(200)?;
    let f = of(&forecasts, SKU);
    assert_eq!(f["velocity_per_day_milli"], 3000, "{f}");
    assert_eq!(
        (f["available"].as_i64(), f["days_of_cover"].as_i64()),
        (Some(4), Some(1))
    );
    // Lead-time demand 30 + safety 21; order up to 24 days' demand + safety.
    assert_eq!(f["reorder_point"], 51);
    assert_eq!(f["suggested_quantity"], 72 + 21 - 4);
    assert_eq!(forecasts[0]["sku"], SKU, "the soonest stockout first");
    let other = forecasts
        .as_array()
        .and_then(|l| l.iter().find(|f| f["sku"] != SKU))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            other["reorder_point"].clone(),
            other["suggested_quantity"].clone()
        ),
        (Json::Null, json!(0)),
        "no supplier, no suggestion"
    );

    let detail: Json = app
        .get_as(&warehouse, &format!("/api/stock/{SKU}/forecast"))
        .await?
        .expect(200)?;
    let days = detail["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 91);
    assert!(
        days[..30]
            .iter()
            .all(|d| d["in_stock"] == false && d["sold"] == 0),
        "before the delivery"
    );
    assert!(
        days[31..]
            .iter()
            .all(|d| d["in_stock"] == true && d["sold"] == 3)
    );
    assert_eq!(detail["forecast_milli"].as_array().map(Vec::len), Some(28));
    assert!(
        detail["forecast_milli"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|v| v == 3000)
    );

    let drafted: Json = app
        .send_as(
            &warehouse,
            "POST",
            "/api/stock/purchase-orders/drafts",
            &json!({}),
        )
        .await?
        .expect(200)?;
    assert_eq!(drafted.as_array().map(Vec::len), Some(1));
    let po = &drafted[0];
    assert_eq!(
        (po["status"].as_str(), po["supplier"]["id"].clone()),
        (Some("draft"), supplier["id"].clone())
    );
    assert_eq!(
        po["lines"],
        json!([{"sku": SKU, "description": po["lines"][0]["description"], "ordered": 89, "received": 0, "unit_cost": {"amount": 1200, "currency": "EUR"}}])
    );
    assert_eq!(po["total"]["amount"], 89 * 1200);
    let again: Json = app
        .send_as(
            &warehouse,
            "POST",
            "/api/stock/purchase-orders/drafts",
            &json!({}),
        )
        .await?
        .expect(200)?;
    assert_eq!(again, json!([]), "a SKU on a draft is not drafted twice");

    let id = po["id"].as_str().unwrap_or_default().to_owned();
    let path = |what: &str| format!("/api/stock/purchase-orders/{id}{what}");
    let early = app
        .send_as(
            &warehouse,
            "POST",
            &path("/receipts"),
            &json!({"key": "bl-1", "lines": [{"sku": SKU, "quantity": 1}]}),
        )
        .await?;
    assert_eq!(
        (early.status, early.json["error"].as_str()),
        (409, Some("conflict")),
        "a draft receives nothing"
    );
    let sent: Json = app
        .send_as(&warehouse, "POST", &path("/status"), &json!({"to": "sent"}))
        .await?
        .expect(200)?;
    assert_eq!(sent["status"], "sent");
    assert!(
        sent["expected_at_ms"].as_i64() >= sent["sent_at_ms"].as_i64().map(|s| s + 10 * DAY_MS)
    );
    let forecasts: Json = app
        .get_as(&warehouse, "/api/stock/forecast")
        .await?
        .expect(200)?;
    assert_eq!(
        (
            of(&forecasts, SKU)["on_order"].as_i64(),
            of(&forecasts, SKU)["suggested_quantity"].as_i64()
        ),
        (Some(89), Some(0))
    );

    // 50 arrive: on the shelf once, in the ledger once, booked once.
    let part: Json = app
        .send_as(
            &warehouse,
            "POST",
            &path("/receipts"),
            &json!({"key": "bl-2", "lines": [{"sku": SKU, "quantity": 50}], "note": "BL 1182"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        (
            part["status"].as_str(),
            part["lines"][0]["received"].as_i64()
        ),
        (Some("sent"), Some(50))
    );
    assert_eq!(shelf(&app).await?, 54);
    assert_eq!(booked(&app, "607000").await?, (50 * 1200, 0));
    assert_eq!(booked(&app, "408100").await?, (0, 50 * 1200));
    // The same delivery again (a double click, a retry): nothing more.
    let again: Json = app
        .send_as(
            &warehouse,
            "POST",
            &path("/receipts"),
            &json!({"key": "bl-2", "lines": [{"sku": SKU, "quantity": 50}], "note": "BL 1182"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(again["lines"][0]["received"], 50);
    assert_eq!(shelf(&app).await?, 54);
    assert_eq!(booked(&app, "607000").await?, (50 * 1200, 0));
    // More than expected: refused whole, nothing moves.
    let over = app
        .send_as(
            &warehouse,
            "POST",
            &path("/receipts"),
            &json!({"key": "bl-3", "lines": [{"sku": SKU, "quantity": 40}]}),
        )
        .await?;
    assert_eq!(
        (over.status, over.json["error"].as_str()),
        (409, Some("conflict")),
        "{}",
        over.json
    );
    for (bad, field) in [
        (json!({"key": "bl-4", "lines": []}), "lines"),
        (
            json!({"key": "bl-5", "lines": [{"sku": SKU, "quantity": 0}]}),
            "quantity",
        ),
        (
            json!({"key": "bl-6", "lines": [{"sku": SKU, "quantity": 1}, {"sku": SKU, "quantity": 1}]}),
            "sku",
        ),
        (
            json!({"key": "bl-7", "lines": [{"sku": "TSL-BLEU-L", "quantity": 1}]}),
            "sku",
        ),
    ] {
        let refused = app
            .send_as(&warehouse, "POST", &path("/receipts"), &bad)
            .await?;
        assert_eq!(
            (refused.status, refused.json["field"].as_str()),
            (422, Some(field)),
            "{bad}: {}",
            refused.json
        );
    }
    assert_eq!(shelf(&app).await?, 54);
    let rest: Json = app
        .send_as(
            &warehouse,
            "POST",
            &path("/receipts"),
            &json!({"key": "bl-8", "lines": [{"sku": SKU, "quantity": 39}]}),
        )
        .await?
        .expect(200)?;
    assert_eq!(rest["status"], "received");
    let after = app
        .send_as(
            &warehouse,
            "POST",
            &path("/receipts"),
            &json!({"key": "bl-9", "lines": [{"sku": SKU, "quantity": 1}]}),
        )
        .await?;
    assert_eq!(after.status, 409);
    assert_eq!(shelf(&app).await?, 4 + 89);
    assert_eq!(booked(&app, "607000").await?, (89 * 1200, 0));
    let receipts = app
        .scalar("SELECT COUNT(*) FROM stock_movements WHERE sku = ?1 AND kind = 'receipt' AND note LIKE 'BC %'", &[Value::Text(SKU.into())])
        .await?;
    assert_eq!(receipts, 2, "one ledger row per receipt");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM journal_entries WHERE journal = 'AC'",
            &[]
        )
        .await?,
        2
    );

    let cancel = app
        .send_as(
            &warehouse,
            "POST",
            &path("/status"),
            &json!({"to": "cancelled"}),
        )
        .await?;
    assert_eq!(cancel.status, 409, "received goods cannot be cancelled");
    let closed: Json = app
        .send_as(
            &warehouse,
            "POST",
            &path("/status"),
            &json!({"to": "closed"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(closed["status"], "closed");

    let admin = app.staff("admin").await?;
    let audit: Json = app
        .get_as(&admin, "/api/audit?staff=warehouse@comptoir.test")
        .await?
        .expect(200)?;
    let actions: Vec<&str> = audit
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["action"].as_str())
        .collect();
    for (action, n) in [
        ("supplier_create", 1),
        ("supply_set", 1),
        ("purchase_order_draft", 1),
        ("purchase_order_status", 2),
        ("stock_receipt", 2),
    ] {
        assert_eq!(
            actions.iter().filter(|a| **a == action).count(),
            n,
            "{action}: {actions:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_low_stock_rule_drafts_once_and_stockouts_do_not_slow_the_forecast()
-> anyhow::Result<()> {
    let app = app().await?;
    let warehouse = app.staff("warehouse").await?;
    let admin = app.staff("admin").await?;
    // 5 a day for 30 days, then 14 days with an empty shelf.
    assert_eq!(app.sales_history(SKU, 150, 5, 45, 15).await?, 0);
    let forecasts: Json = app
        .get_as(&warehouse, "/api/stock/forecast")
        .await?
        .expect(200)?;
    let f = of(&forecasts, SKU);
    assert_eq!(
        f["velocity_per_day_milli"], 5000,
        "the empty days are missing demand: {f}"
    );
    assert_eq!(f["days_of_cover"], 0);
    supplied(&app, &warehouse).await?;

    let run = || app.run_duty(SECRET, "automation");
    assert_eq!(run().await?, 1, "one line drafted");
    let drafts: Json = app
        .get_as(&warehouse, "/api/stock/purchase-orders?status=draft")
        .await?
        .expect(200)?;
    assert_eq!(drafts.as_array().map(Vec::len), Some(1));
    assert_eq!(drafts[0]["drafted_by"], "automation");
    // 5 × 24 + 35 of safety, nothing on the shelf.
    assert_eq!(drafts[0]["lines"][0]["ordered"], 155);
    // The next hourly pass (forced here) finds it on a draft: nothing more.
    app.execute(
        "UPDATE automation_settings SET low_stock_checked_at = 0",
        &[],
    )
    .await?;
    assert_eq!(run().await?, 0);
    let audit: Json = app
        .get_as(&admin, "/api/audit?action=purchase_order_draft")
        .await?
        .expect(200)?;
    assert_eq!(audit.as_array().map(Vec::len), Some(1));
    assert_eq!(audit[0]["actor_email"], "automation");

    // Cancelled, the SKU may be drafted again, but not with the rule off.
    let id = drafts[0]["id"].as_str().unwrap_or_default();
    app.send_as(
        &warehouse,
        "POST",
        &format!("/api/stock/purchase-orders/{id}/status"),
        &json!({"to": "cancelled"}),
    )
    .await?
    .expect::<Json>(200)?;
    let off = json!({"detractors": true, "unpicked_orders": true, "unpicked_after_hours": 24, "low_stock": false, "late_orders": true, "small_returns": false, "small_return_max": {"amount": 3000, "currency": "EUR"}, "small_returns_per_customer": 2});
    app.send_as(&admin, "PUT", "/api/jobs/automation", &off)
        .await?
        .expect::<Json>(200)?;
    app.execute(
        "UPDATE automation_settings SET low_stock_checked_at = 0",
        &[],
    )
    .await?;
    assert_eq!(run().await?, 0);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM purchase_orders WHERE status = 'draft'",
            &[]
        )
        .await?,
        0
    );
    Ok(())
}

#[tokio::test]
async fn purchasing_is_the_warehouses_and_refuses_bad_input() -> anyhow::Result<()> {
    let app = app().await?;
    let warehouse = app.staff("warehouse").await?;
    let support = app.staff("support").await?;
    for path in [
        "/api/stock/forecast",
        "/api/stock/suppliers",
        "/api/stock/purchase-orders",
    ] {
        assert_eq!(app.get_as(&support, path).await?.status, 403, "{path}");
        assert_eq!(app.get(path).await?.status, 401, "{path}");
    }
    let supplier = json!({"name": "Filature du Nord", "email": "commandes@filature.test", "lead_time_days": 10});
    for (bad, field) in [
        (
            json!({"name": "", "email": "a@b.test", "lead_time_days": 10}),
            "name",
        ),
        (
            json!({"name": "X", "email": "a@b.test", "lead_time_days": 0}),
            "lead_time_days",
        ),
        (
            json!({"name": "X", "email": "a@b.test", "lead_time_days": 181}),
            "lead_time_days",
        ),
    ] {
        let refused = app
            .send_as(&warehouse, "POST", "/api/stock/suppliers", &bad)
            .await?;
        assert_eq!(
            (refused.status, refused.json["field"].as_str()),
            (422, Some(field)),
            "{}",
            refused.json
        );
    }
    let created: Json = app
        .send_as(&warehouse, "POST", "/api/stock/suppliers", &supplier)
        .await?
        .expect(201)?;
    assert_eq!(
        app.send_as(&warehouse, "POST", "/api/stock/suppliers", &supplier)
            .await?
            .status,
        409
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM suppliers", &[]).await?, 1);
    let supply = |id: &Json| json!({"supplier_id": id, "unit_cost": {"amount": 1200, "currency": "EUR"}, "safety_days": 7, "review_days": 14});
    assert_eq!(
        app.send_as(
            &warehouse,
            "PUT",
            "/api/stock/NOPE-1/supply",
            &supply(&created["id"])
        )
        .await?
        .status,
        404
    );
    let unknown = app
        .send_as(
            &warehouse,
            "PUT",
            &format!("/api/stock/{SKU}/supply"),
            &supply(&json!("0".repeat(32))),
        )
        .await?;
    assert_eq!(
        (unknown.status, unknown.json["error"].as_str()),
        (404, Some("not_found"))
    );
    let mut bad = supply(&created["id"]);
    bad["review_days"] = json!(0);
    assert_eq!(
        app.send_as(&warehouse, "PUT", &format!("/api/stock/{SKU}/supply"), &bad)
            .await?
            .status,
        422
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM sku_supply", &[]).await?,
        0,
        "nothing stored by refusals"
    );
    assert_eq!(
        app.get_as(&warehouse, "/api/stock/NOPE-1/forecast")
            .await?
            .status,
        404
    );
    assert_eq!(
        app.get_as(
            &warehouse,
            &format!("/api/stock/purchase-orders/{}", "0".repeat(32))
        )
        .await?
        .status,
        404
    );
    assert_eq!(
        app.get_as(&warehouse, "/api/stock/purchase-orders?status=lost")
            .await?
            .status,
        422
    );
    Ok(())
}

#[tokio::test]
async fn a_receipt_is_all_or_nothing_across_its_lines() -> anyhow::Result<()> {
    let app = app().await?;
    let warehouse = app.staff("warehouse").await?;
    const OTHER: &str = "TSL-BLEU-L";
    app.sales_history(SKU, 184, 3, 61, 1).await?;
    app.sales_history(OTHER, 124, 2, 61, 1).await?;
    let supplier = supplied(&app, &warehouse).await?;
    let supply = json!({"supplier_id": supplier["id"], "unit_cost": {"amount": 800, "currency": "EUR"}, "safety_days": 7, "review_days": 14});
    app.send_as(
        &warehouse,
        "PUT",
        &format!("/api/stock/{OTHER}/supply"),
        &supply,
    )
    .await?
    .expect::<Json>(200)?;
    let drafted: Json = app
        .send_as(
            &warehouse,
            "POST",
            "/api/stock/purchase-orders/drafts",
            &json!({}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        drafted[0]["lines"].as_array().map(Vec::len),
        Some(2),
        "{drafted}"
    );
    let id = drafted[0]["id"].as_str().unwrap_or_default().to_owned();
    app.send_as(
        &warehouse,
        "POST",
        &format!("/api/stock/purchase-orders/{id}/status"),
        &json!({"to": "sent"}),
    )
    .await?
    .expect::<Json>(200)?;
    let before = app.fingerprint().await?;
    // The first line fits, the second asks for more than ordered: neither moves.
    let refused = app
        .send_as(
            &warehouse,
            "POST",
            &format!("/api/stock/purchase-orders/{id}/receipts"),
            &json!({"key": "bl-1", "lines": [{"sku": SKU, "quantity": 10}, {"sku": OTHER, "quantity": 1000}]}),
        )
        .await?;
    assert_eq!(refused.status, 409, "{}", refused.json);
    assert_eq!(
        app.fingerprint().await?,
        before,
        "nothing moved: shelf, ledger, books, order"
    );
    // The same key, now right, is received: the refusal kept nothing.
    let received: Json = app
        .send_as(
            &warehouse,
            "POST",
            &format!("/api/stock/purchase-orders/{id}/receipts"),
            &json!({"key": "bl-1", "lines": [{"sku": SKU, "quantity": 10}, {"sku": OTHER, "quantity": 5}]}),
        )
        .await?
        .expect(200)?;
    let got: Vec<i64> = received["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["received"].as_i64())
        .collect();
    assert_eq!(got, vec![5, 10], "lines by SKU: L, then M");
    assert_eq!(booked(&app, "607000").await?, (10 * 1200 + 5 * 800, 0));
    Ok(())
}

#[tokio::test]
async fn a_purchase_order_is_drafted_by_hand() -> anyhow::Result<()> {
    let app = app().await?;
    let warehouse = app.staff("warehouse").await?;
    let supplier = supplied(&app, &warehouse).await?;
    let line = |sku: &str, quantity: u32| json!({"sku": sku, "quantity": quantity, "unit_cost": {"amount": 950, "currency": "EUR"}});
    let body =
        json!({"supplier_id": supplier["id"], "lines": [line(SKU, 12), line("TSL-BLEU-L", 6)]});
    let po: Json = app
        .send_as(&warehouse, "POST", "/api/stock/purchase-orders", &body)
        .await?
        .expect(201)?;
    assert_eq!(
        (po["status"].as_str(), po["drafted_by"].as_str()),
        (Some("draft"), Some("warehouse@comptoir.test"))
    );
    assert_eq!(po["total"]["amount"], 18 * 950);
    for (bad, status) in [
        (
            json!({"supplier_id": "0".repeat(32), "lines": [line(SKU, 1)]}),
            404,
        ),
        (
            json!({"supplier_id": supplier["id"], "lines": [line("NOPE-1", 1)]}),
            404,
        ),
        (
            json!({"supplier_id": supplier["id"], "lines": [line(SKU, 0)]}),
            422,
        ),
        (
            json!({"supplier_id": supplier["id"], "lines": [line(SKU, 1), line(SKU, 2)]}),
            422,
        ),
        (json!({"supplier_id": supplier["id"], "lines": []}), 422),
    ] {
        let refused = app
            .send_as(&warehouse, "POST", "/api/stock/purchase-orders", &bad)
            .await?;
        assert_eq!(refused.status, status, "{bad}: {}", refused.json);
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM purchase_orders", &[])
            .await?,
        1,
        "refusals store nothing"
    );
    // With an Idempotency-Key, the same request again (a double click, a
    // retried timeout) answers the first draft; another request with that
    // key is refused; each changes nothing.
    let keyed = |body: &Json| {
        let body = body.to_string();
        let warehouse = warehouse.clone();
        let app = &app;
        async move {
            app.call(
                "POST",
                "/api/stock/purchase-orders",
                Some(body),
                &[
                    ("cookie", &warehouse),
                    ("idempotency-key", "po-2026-12-07-1"),
                ],
            )
            .await
        }
    };
    let first: Json = keyed(&body).await?.expect(201)?;
    let again: Json = keyed(&body).await?.expect(201)?;
    assert_eq!(first["id"], again["id"]);
    assert_ne!(first["id"], po["id"]);
    let other = json!({"supplier_id": supplier["id"], "lines": [line(SKU, 1)]});
    let refused = keyed(&other).await?;
    assert_eq!(
        (refused.status, refused.json["error"].as_str()),
        (409, Some("conflict")),
        "{}",
        refused.json
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM purchase_orders", &[])
            .await?,
        2,
        "one draft per key"
    );
    let support = app.staff("support").await?;
    assert_eq!(
        app.send_as(&support, "POST", "/api/stock/purchase-orders", &body)
            .await?
            .status,
        403
    );
    Ok(())
}
