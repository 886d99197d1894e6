//! Promotions, shipping methods and VAT through the API: the totals checkout
//! charges are the shared rules' totals, and refused codes say why.

use comptoir_e2e::{checkout_body, spawn_app};
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M"; // 35,00 €

#[tokio::test]
async fn a_code_discounts_the_order_and_refused_codes_say_why() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let cart = app.cart_with(SKU, 2).await?;
    let promos = format!("/api/carts/{cart}/promotions");

    let priced: Json = app
        .send("PUT", &promos, &json!({"code": " bienvenue10 "}))
        .await?
        .expect(200)?;
    assert_eq!(priced["promo_codes"], json!(["BIENVENUE10"]));
    let totals = &priced["totals"];
    assert_eq!(
        [
            &totals["subtotal"]["amount"],
            &totals["discount"]["amount"],
            &totals["shipping"]["amount"],
            &totals["total"]["amount"],
            &totals["vat"]["amount"]
        ],
        [
            &json!(7000),
            &json!(700),
            &json!(0),
            &json!(6300),
            &json!(1050)
        ]
    );

    for (code, reason) in [
        ("HIVER2025", "expired"),
        ("NOPE123", "unknown"),
        ("CINQ", "not_stackable"),
    ] {
        let refused = app.send("PUT", &promos, &json!({"code": code})).await?;
        assert_eq!(refused.status, 422, "{code}");
        assert_eq!(
            refused.json,
            json!({"error": "promotion_refused", "code": code, "refusal": {"reason": reason}})
        );
    }

    let mut body = checkout_body(&cart);
    body["shipping_method"] = json!("express");
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    assert_eq!(placed["totals"]["discount"]["amount"], 700);
    assert_eq!(placed["totals"]["shipping"]["amount"], 990);
    assert_eq!(placed["totals"]["total"]["amount"], 6300 + 990);

    // One use per customer: the same e-mail cannot use it on a second order.
    let again = app.cart_with(SKU, 1).await?;
    app.send(
        "PUT",
        &format!("/api/carts/{again}/promotions"),
        &json!({"code": "BIENVENUE10"}),
    )
    .await?
    .expect::<Json>(200)?;
    let refused = app
        .send("POST", "/api/checkout", &checkout_body(&again))
        .await?;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json["refusal"], json!({"reason": "already_used"}));
    assert_eq!(app.count("orders").await?, 1);
    Ok(())
}

#[tokio::test]
async fn a_minimum_subtotal_is_enforced_and_the_cart_says_when_a_code_stops_applying()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    let cart = app.cart_with(SKU, 2).await?; // 70,00 €
    app.send(
        "PUT",
        &format!("/api/carts/{cart}/promotions"),
        &json!({"code": "CINQ"}),
    )
    .await?
    .expect::<Json>(200)?;
    // Down to 35,00 €: under CINQ's 50,00 € minimum.
    let cart_now: Json = app
        .send(
            "PUT",
            &format!("/api/carts/{cart}/items"),
            &json!({"sku": SKU, "quantity": 1}),
        )
        .await?
        .expect(200)?;
    assert_eq!(cart_now["promo_codes"], json!([]));
    assert_eq!(
        cart_now["refused_codes"],
        json!([{"code": "CINQ", "refusal": {"reason": "below_minimum", "minimum": {"amount": 5000, "currency": "EUR"}}}])
    );
    assert_eq!(cart_now["totals"]["total"]["amount"], 3500 + 490);
    let refused = app
        .send("POST", "/api/checkout", &checkout_body(&cart))
        .await?;
    assert_eq!(
        (refused.status, refused.json["error"].as_str()),
        (422, Some("promotion_refused"))
    );
    let relay: Json = app
        .get(&format!("/api/carts/{cart}?shipping=relay"))
        .await?
        .expect(200)?;
    assert_eq!(relay["totals"]["shipping"]["amount"], 390);
    Ok(())
}
