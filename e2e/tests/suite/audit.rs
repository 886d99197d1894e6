//! The audit log: every staff action leaves one row, written in the action's
//! own transaction (a refused action leaves none), readable by admins only
//! and filterable by staff member, action and time.

use comptoir_e2e::{now_ms, spawn_app};
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

#[tokio::test]
async fn staff_actions_are_logged_once_and_refusals_are_not() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let order = app.paid_order_as(Some(&customer), SKU, 2).await?;
    let started = now_ms();
    app.ship(&order, "6A1").await?; // picking + shipped: two status changes
    let warehouse = app.staff("warehouse").await?;
    let finance = app.staff("finance").await?;
    let support = app.staff("support").await?;
    let admin = app.staff("admin").await?;

    // Refused actions write nothing.
    let before = app.count("audit_log").await?;
    let refused = [
        app.move_order(&warehouse, &order, json!({"to": "picking"}))
            .await?
            .status,
        app.send_as(
            &warehouse,
            "POST",
            &format!("/api/stock/{SKU}/adjustments"),
            &json!({"delta": -100000, "reason": "inventaire"}),
        )
        .await?
        .status,
        app.send_as(
            &finance,
            "POST",
            "/api/refunds/direct",
            &json!({"order_id": order, "amount": {"amount": 999999, "currency": "EUR"}, "reason": "x"}),
        )
        .await?
        .status,
    ];
    assert_eq!(refused, [409, 409, 409]);
    assert_eq!(app.count("audit_log").await?, before);

    app.send_as(
        &warehouse,
        "POST",
        &format!("/api/stock/{SKU}/receipts"),
        &json!({"quantity": 12, "note": "BL 42"}),
    )
    .await?
    .expect::<Json>(200)?;
    let refund: Json = app
        .send_as(
            &finance,
            "POST",
            "/api/refunds/direct",
            &json!({"order_id": order, "amount": {"amount": 500, "currency": "EUR"}, "reason": "retard"}),
        )
        .await?
        .expect(201)?;
    let thread: Json = app
        .send_as(
            &customer,
            "POST",
            "/api/support/threads",
            &json!({"order_id": order, "subject": "Retard", "body": "Toujours rien"}),
        )
        .await?
        .expect(201)?;
    let thread_id = thread["id"].as_str().unwrap_or_default();
    app.send_as(
        &support,
        "POST",
        &format!("/api/support/threads/{thread_id}/messages"),
        &json!({"body": "Nous regardons."}),
    )
    .await?
    .expect::<Json>(200)?;

    for outsider in [&customer, &warehouse, &finance, &support] {
        assert_eq!(app.get_as(outsider, "/api/audit").await?.status, 403);
    }
    assert_eq!(app.get("/api/audit").await?.status, 401);

    let all: Json = app.get_as(&admin, "/api/audit").await?.expect(200)?;
    let entries = all.as_array().cloned().unwrap_or_default();
    let times: Vec<i64> = entries.iter().filter_map(|e| e["at_ms"].as_i64()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let mut actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "order_status",
            "order_status",
            "refund_direct",
            "stock_receipt",
            "support_reply"
        ]
    );
    let direct = entries
        .iter()
        .find(|e| e["action"] == "refund_direct")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            direct["actor_email"].as_str(),
            direct["target"].as_str(),
            direct["detail"].as_str()
        ),
        (
            Some("finance@comptoir.test"),
            refund["id"].as_str(),
            Some(format!("500 of order {order}: retard").as_str())
        )
    );
    assert!(direct["at_ms"].as_i64().unwrap_or_default() >= started);

    let by_warehouse: Json = app
        .get_as(
            &admin,
            "/api/audit?staff=warehouse@comptoir.test&action=order_status",
        )
        .await?
        .expect(200)?;
    let mut details: Vec<&str> = by_warehouse
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["detail"].as_str())
        .collect();
    details.sort_unstable();
    assert_eq!(
        details,
        [
            "paid → picking: preparing the parcel",
            "picking → shipped: handed to the carrier"
        ]
    );
    let limited: Json = app
        .get_as(&admin, "/api/audit?limit=1")
        .await?
        .expect(200)?;
    assert_eq!(limited.as_array().map(Vec::len), Some(1));
    let future: Json = app
        .get_as(&admin, &format!("/api/audit?from={}", now_ms() + 60_000))
        .await?
        .expect(200)?;
    assert_eq!(future, json!([]));
    let bad = app.get_as(&admin, "/api/audit?action=dance").await?;
    assert_eq!(
        (bad.status, bad.json["field"].as_str()),
        (422, Some("action"))
    );
    Ok(())
}
