//! The HTTP API, black-box, against the native host on a free port with a
//! fresh database. Each test asserts exact figures.

use comptoir_e2e::{checkout_body, spawn_app};
use comptoir_functions::port::Value;
use futures::future::join_all;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

#[tokio::test]
async fn the_demo_catalog_is_seeded_with_stock_of_every_kind() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let page: Json = app
        .get("/api/catalog/products?per_page=48")
        .await?
        .expect(200)?;
    assert_eq!(page["total"], 30);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(30));
    let shirt: Json = app
        .get("/api/catalog/products/t-shirt-lin")
        .await?
        .expect(200)?;
    assert_eq!(shirt["name"], "T-shirt en lin");
    assert_eq!(shirt["variants"].as_array().map(Vec::len), Some(15));
    let out = app
        .scalar("SELECT COUNT(*) FROM stock WHERE on_hand = 0", &[])
        .await?;
    let low = app
        .scalar(
            "SELECT COUNT(*) FROM stock WHERE on_hand BETWEEN 1 AND low_threshold",
            &[],
        )
        .await?;
    assert!(out > 0 && low > 0, "{out} out of stock, {low} low");
    let missing = app.get("/api/catalog/products/nope").await?;
    assert_eq!(
        (missing.status, missing.json),
        (404, json!({"error": "not_found", "resource": "product"}))
    );
    Ok(())
}

#[tokio::test]
async fn a_paid_order_lowers_available_stock_by_the_quantity_bought() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let before = app.available(SKU).await?;
    let cart = app.cart_with(SKU, 2).await?;
    let placed: Json = app.checkout(&cart, None).await?.expect(201)?;
    assert_eq!(placed["status"], "pending_payment");
    assert_eq!(
        placed["totals"]["total"],
        json!({"amount": 7000, "currency": "EUR"})
    );
    assert_eq!(
        app.available(SKU).await?,
        before - 2,
        "reserved at checkout"
    );
    let order = placed["order_id"].as_str().unwrap_or_default();
    let session = app.pay(order, true).await?;
    assert_eq!(session["state"], "complete");
    let summary: Json = app
        .get(&format!("/api/orders/{order}"))
        .await?
        .expect(200)?;
    assert_eq!(summary["status"], "paid");
    let timeline = summary["timeline"].as_array().cloned().unwrap_or_default();
    let statuses: Vec<&str> = timeline
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert_eq!(statuses, ["pending_payment", "paid"]);
    assert_eq!(app.available(SKU).await?, before - 2, "sold");
    let on_hand = app
        .scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    let reserved = app
        .scalar(
            "SELECT reserved FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;
    assert_eq!((on_hand, reserved), (before - 2, 0));
    let ledger = app
        .scalar("SELECT COUNT(*) FROM stock_movements WHERE order_id = ?1 AND kind IN ('reservation', 'sale')", &[Value::Text(order.into())])
        .await?;
    assert_eq!(ledger, 2);
    Ok(())
}

#[tokio::test]
async fn a_declined_payment_cancels_the_order_and_gives_the_stock_back() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let before = app.available(SKU).await?;
    let cart = app.cart_with(SKU, 3).await?;
    let placed: Json = app.checkout(&cart, None).await?.expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default();
    assert_eq!(app.available(SKU).await?, before - 3);
    app.pay(order, false).await?;
    let summary: Json = app
        .get(&format!("/api/orders/{order}"))
        .await?
        .expect(200)?;
    assert_eq!(summary["status"], "cancelled");
    assert_eq!(app.available(SKU).await?, before);
    // Paying it afterwards is refused, and changes nothing.
    let again = app
        .send(
            "POST",
            "/api/payments/sessions",
            &json!({"order_id": order}),
        )
        .await?;
    assert_eq!(again.status, 409);
    assert_eq!(app.available(SKU).await?, before);
    Ok(())
}

#[tokio::test]
async fn bad_input_gets_a_typed_error_and_writes_nothing() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let cart = app.cart_with(SKU, 1).await?;
    let items = format!("/api/carts/{cart}/items");
    let (lines, orders, movements) = (
        app.count("cart_lines").await?,
        app.count("orders").await?,
        app.count("stock_movements").await?,
    );

    let malformed = app
        .call("PUT", &items, Some("{\"sku\": ".into()), &[])
        .await?;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.json["error"], "malformed_request");

    let unknown = app
        .send("PUT", &items, &json!({"sku": "NOPE-1", "quantity": 1}))
        .await?;
    assert_eq!(
        (unknown.status, unknown.json),
        (422, json!({"error": "unknown_sku", "sku": "NOPE-1"}))
    );

    for quantity in [
        json!(0),
        json!(-1),
        json!(100),
        json!(1_000_000_000_000_i64),
        json!("2"),
    ] {
        let refused = app
            .send("PUT", &items, &json!({"sku": SKU, "quantity": quantity}))
            .await?;
        assert_eq!(refused.status, 422, "{quantity}");
        assert_eq!(
            (
                refused.json["error"].as_str(),
                refused.json["field"].as_str()
            ),
            (Some("validation"), Some("quantity"))
        );
    }

    let mut no_email = checkout_body(&cart);
    no_email.as_object_mut().map(|o| o.remove("email"));
    let refused = app.send("POST", "/api/checkout", &no_email).await?;
    assert_eq!(refused.status, 422);
    assert_eq!(
        (
            refused.json["error"].as_str(),
            refused.json["field"].as_str()
        ),
        (Some("validation"), Some("email"))
    );

    let mut bad_postcode = checkout_body(&cart);
    bad_postcode["shipping_address"]["postal_code"] = json!("7500");
    assert_eq!(
        app.send("POST", "/api/checkout", &bad_postcode)
            .await?
            .status,
        422
    );

    let too_many = app
        .send("PUT", &items, &json!({"sku": SKU, "quantity": 99}))
        .await?;
    assert_eq!(
        (too_many.status, too_many.json["error"].as_str()),
        (409, Some("insufficient_stock"))
    );

    let no_cart = app
        .send(
            "POST",
            "/api/checkout",
            &checkout_body("0123456789abcdef0123456789abcdef"),
        )
        .await?;
    assert_eq!(
        (no_cart.status, no_cart.json),
        (404, json!({"error": "not_found", "resource": "cart"}))
    );

    let unrouted = app.get("/api/nope").await?;
    assert_eq!(
        (unrouted.status, unrouted.json),
        (404, json!({"error": "not_found", "resource": "route"}))
    );
    let nowhere = app.get("/api/carts/x/y/z").await?;
    assert_eq!(
        (nowhere.status, nowhere.json),
        (404, json!({"error": "not_found", "resource": "route"}))
    );
    let wrong = app.call("DELETE", "/api/checkout", None, &[]).await?;
    assert_eq!(
        (wrong.status, wrong.json),
        (405, json!({"error": "method_not_allowed"}))
    );

    let forged = app
        .call(
            "POST",
            "/api/payments/webhook",
            Some("{}".into()),
            &[("stripe-signature", "t=1,v1=00")],
        )
        .await?;
    assert_eq!(
        (forged.status, forged.json),
        (400, json!({"error": "invalid_signature"}))
    );

    assert_eq!(app.count("cart_lines").await?, lines);
    assert_eq!(app.count("orders").await?, orders);
    assert_eq!(app.count("stock_movements").await?, movements);
    assert_eq!(app.count("payment_events").await?, 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_idempotency_key_places_one_order() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let before = app.available(SKU).await?;
    let cart = app.cart_with(SKU, 1).await?;
    let calls = (0..8).map(|_| app.checkout(&cart, Some("checkout-attempt-1")));
    let answers = join_all(calls).await;
    let mut ids = Vec::new();
    for answer in answers {
        let placed: Json = answer?.expect(201)?;
        ids.push(placed["order_id"].as_str().unwrap_or_default().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.count("orders").await?, 1);
    assert_eq!(app.available(SKU).await?, before - 1);
    // The same key with another request is a conflict, not a second order.
    let other = app.cart_with("TSC-NOIR-M", 1).await?;
    assert_eq!(
        app.checkout(&other, Some("checkout-attempt-1"))
            .await?
            .status,
        409
    );
    assert_eq!(app.count("orders").await?, 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_shoppers_racing_for_ten_units_make_exactly_ten_paid_orders() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    app.execute(
        "UPDATE stock SET on_hand = 10, reserved = 0 WHERE sku = ?1",
        &[Value::Text(SKU.into())],
    )
    .await?;
    let mut carts = Vec::new();
    for _ in 0..50 {
        carts.push(app.cart_with(SKU, 1).await?);
    }
    let answers = join_all(carts.iter().map(|cart| app.checkout(cart, None))).await;
    let (mut placed, mut refused) = (Vec::new(), 0);
    for answer in answers {
        let answer = answer?;
        match answer.status {
            201 => placed.push(
                answer.json["order_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            409 => refused += 1,
            other => anyhow::bail!("unexpected status {other}"),
        }
    }
    assert_eq!((placed.len(), refused), (10, 40));
    for paid in join_all(placed.iter().map(|order| app.pay(order, true))).await {
        assert_eq!(paid?["state"], "complete");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM orders WHERE status = 'paid'", &[])
            .await?,
        10
    );
    let (on_hand, reserved) = (
        app.scalar(
            "SELECT on_hand FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?,
        app.scalar(
            "SELECT reserved FROM stock WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?,
    );
    assert_eq!((on_hand, reserved), (0, 0));
    assert_eq!(app.available(SKU).await?, 0);
    Ok(())
}

#[tokio::test]
async fn the_native_host_answers_what_the_router_answers_in_process() -> anyhow::Result<()> {
    use tower::ServiceExt as _;
    let app = spawn_app().await?;
    let config = comptoir_functions::config::Config::from_lookup(|_| None)?;
    let host = comptoir_host::host(&app.database, config).await?;
    for (function, path) in [
        ("catalog", "/api/catalog/products"),
        ("catalog", "/api/catalog/products/mariniere"),
    ] {
        let router = comptoir_functions::router_for(function, host.clone())
            .ok_or_else(|| anyhow::anyhow!("no {function}"))?;
        let request = http::Request::get(path).body(axum::body::Body::empty())?;
        let response = router.oneshot(request).await?;
        let in_process = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let over_http = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await?
            .bytes()
            .await?;
        assert_eq!(in_process, over_http, "{path}");
    }
    Ok(())
}

#[tokio::test]
async fn checkout_keeps_the_phone_and_billing_address_and_refuses_a_bad_phone() -> anyhow::Result<()>
{
    let app = spawn_app().await?;
    let cart = app.cart_with(SKU, 1).await?;
    let mut body = checkout_body(&cart);
    body["phone"] = json!("06 12");
    let refused = app.send("POST", "/api/checkout", &body).await?;
    assert_eq!(
        (
            refused.status,
            refused.json["error"].clone(),
            refused.json["field"].clone()
        ),
        (422, json!("validation"), json!("phone"))
    );
    assert_eq!(app.count("orders").await?, 0, "nothing written");

    body["phone"] = json!("+33 6 12 34 56 78");
    body["billing_address"] = json!({
        "name": "Pierre Curie", "line1": "12 rue Cuvier", "postal_code": "75005",
        "city": "Paris", "country": "FR"
    });
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    let order: Json = app
        .get(&format!(
            "/api/orders/{}",
            placed["order_id"].as_str().unwrap_or_default()
        ))
        .await?
        .expect(200)?;
    assert_eq!(order["phone"], "+33612345678");
    assert_eq!(order["billing_address"]["name"], "Pierre Curie");
    assert_eq!(order["shipping_address"]["name"], "Marie Curie");
    Ok(())
}
