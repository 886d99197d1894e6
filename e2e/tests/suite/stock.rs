//! The warehouse's stock: levels with low-stock flags, receipts and
//! adjustments as ledger rows, and on hand never below what is reserved.

use comptoir_e2e::spawn_app;
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

#[tokio::test]
async fn receipts_and_adjustments_move_the_shelf_and_the_ledger_says_so() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let warehouse = app.staff("warehouse").await?;
    let sku: String = {
        let rows = app
            .scalar("SELECT COUNT(*) FROM stock WHERE on_hand = 0", &[])
            .await?;
        assert!(rows > 0);
        let levels: Json = app
            .get_as(&warehouse, "/api/stock?low=1")
            .await?
            .expect(200)?;
        let low = levels.as_array().cloned().unwrap_or_default();
        let expected = app
            .scalar(
                "SELECT COUNT(*) FROM stock WHERE on_hand - reserved <= low_threshold",
                &[],
            )
            .await?;
        assert_eq!(i64::try_from(low.len())?, expected);
        assert!(low.iter().all(|l| l["low"] == json!(true)));
        low[0]["sku"].as_str().unwrap_or_default().to_owned()
    };
    let all: Json = app.get_as(&warehouse, "/api/stock").await?.expect(200)?;
    assert_eq!(all.as_array().map(Vec::len), Some(292));

    let received: Json = app
        .send_as(
            &warehouse,
            "POST",
            &format!("/api/stock/{sku}/receipts"),
            &json!({"quantity": 10, "note": "livraison fournisseur"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        (received["kind"].as_str(), received["quantity"].as_i64()),
        (Some("receipt"), Some(10))
    );
    let before = app.available(&sku).await?;
    let adjusted: Json = app
        .send_as(
            &warehouse,
            "POST",
            &format!("/api/stock/{sku}/adjustments"),
            &json!({"delta": -3, "reason": "casse"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(adjusted["quantity"], -3);
    assert_eq!(app.available(&sku).await?, before - 3);

    // Reserve what is there, then try to remove reserved units.
    let available = app.available(&sku).await?;
    let cart = app.cart_with(&sku, u32::try_from(available)?).await?;
    app.checkout(&cart, None).await?.expect::<Json>(201)?;
    let uncover = app
        .send_as(
            &warehouse,
            "POST",
            &format!("/api/stock/{sku}/adjustments"),
            &json!({"delta": -1, "reason": "inventaire"}),
        )
        .await?;
    assert_eq!(
        (uncover.status, uncover.json["error"].as_str()),
        (409, Some("conflict"))
    );

    let ledger: Json = app
        .get_as(&warehouse, &format!("/api/stock/{sku}/movements"))
        .await?
        .expect(200)?;
    let kinds: Vec<&str> = ledger
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert_eq!(&kinds[..3], ["reservation", "adjustment", "receipt"]);
    assert!(
        ledger[2]["note"]
            .as_str()
            .is_some_and(|n| n.contains("warehouse@comptoir.test"))
    );
    let rows = app
        .scalar(
            "SELECT COUNT(*) FROM stock_movements WHERE sku = ?1 AND kind = 'adjustment'",
            &[Value::Text(sku.clone())],
        )
        .await?;
    assert_eq!(rows, 1, "the refused adjustment wrote nothing");

    let customer = app.customer().await?;
    assert_eq!(app.get_as(&customer, "/api/stock").await?.status, 403);
    assert_eq!(app.get("/api/stock").await?.status, 401);
    assert_eq!(
        app.get_as(&warehouse, "/api/stock/NOPE-1/movements")
            .await?
            .status,
        404
    );
    let zero = app
        .send_as(
            &warehouse,
            "POST",
            &format!("/api/stock/{sku}/adjustments"),
            &json!({"delta": 0, "reason": "x"}),
        )
        .await?;
    assert_eq!(
        (zero.status, zero.json["field"].as_str()),
        (422, Some("delta"))
    );
    Ok(())
}
