//! Stripe over its real HTTP API shape, against a local fake that checks what
//! it receives: the Checkout Session request, then Stripe's signed webhook.

use comptoir_e2e::fake_stripe::{FakeStripe, SECRET_KEY};
use comptoir_e2e::{now_ms, spawn_app_with};
use comptoir_functions::config::Config;
use serde_json::{Value as Json, json};

const WEBHOOK_SECRET: &str = "whsec_test_comptoir";

#[tokio::test]
async fn checkout_opens_a_stripe_session_with_the_right_fields_and_the_webhook_settles_it()
-> anyhow::Result<()> {
    let stripe = FakeStripe::start().await?;
    let config = Config::from_lookup(|name| match name {
        "payment_provider" => Some("stripe".into()),
        "stripe_secret_key" => Some(SECRET_KEY.into()),
        "stripe_api_base" => Some(stripe.base.clone()),
        "webhook_secret" => Some(WEBHOOK_SECRET.into()),
        "public_base_url" => Some("https://boutique.example".into()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    let order = app.placed_order(None, "TSL-BLEU-M", 1).await?; // 35,00 € + 4,90 € shipping
    let session = app.open_session(&order).await?;
    assert_eq!(
        session["redirect_url"],
        "https://checkout.stripe.com/c/pay/cs_test_1"
    );
    // Asked again: the open session is offered as is, Stripe is not called twice.
    let again = app.open_session(&order).await?;
    assert_eq!(again, session);

    let received = stripe.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(
        r.authorization.as_deref(),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    assert_eq!(
        r.idempotency_key.as_deref(),
        Some(format!("comptoir-checkout-session-{order}-1").as_str())
    );
    let expected = [
        ("mode", "payment"),
        ("customer_email", "marie.curie@exemple.fr"),
        ("client_reference_id", order.as_str()),
        ("metadata[order_id]", order.as_str()),
        ("payment_intent_data[metadata][order_id]", order.as_str()),
        ("line_items[0][price_data][currency]", "eur"),
        (
            "line_items[0][price_data][product_data][name]",
            "T-shirt en lin — Bleu · M",
        ),
        ("line_items[0][price_data][unit_amount]", "3500"),
        ("line_items[0][quantity]", "1"),
        ("line_items[1][price_data][product_data][name]", "Livraison"),
        ("line_items[1][price_data][unit_amount]", "490"),
        ("line_items[1][quantity]", "1"),
    ];
    for (field, value) in expected {
        assert_eq!(r.field(field), Some(value), "{field}");
    }
    assert_eq!(
        r.field("success_url"),
        Some(format!("https://boutique.example/compte/commandes/{order}").as_str())
    );
    assert_eq!(
        r.field("cancel_url"),
        Some(format!("https://boutique.example/panier?paiement=annule&commande={order}").as_str())
    );

    // Stripe then calls the webhook, signed with the endpoint secret.
    let event = json!({
        "id": "evt_1", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_test_1", "object": "checkout.session", "amount_total": 3990,
                 "currency": "eur", "payment_status": "paid", "metadata": {"order_id": order}}}
    })
    .to_string();
    let ack: Json = app
        .webhook(WEBHOOK_SECRET, &event, now_ms() / 1000)
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "paid");
    let summary: Json = app
        .get(&format!("/api/orders/{order}"))
        .await?
        .expect(200)?;
    assert_eq!(summary["status"], "paid");
    // The sandbox page does not exist when Stripe takes the money.
    assert_eq!(
        app.get("/api/payments/sandbox/cs_test_1").await?.status,
        404
    );
    Ok(())
}

#[tokio::test]
async fn a_business_reverse_charged_is_asked_by_stripe_for_the_price_before_vat()
-> anyhow::Result<()> {
    let stripe = FakeStripe::start().await?;
    let config = Config::from_lookup(|name| match name {
        "payment_provider" => Some("stripe".into()),
        "stripe_secret_key" => Some(SECRET_KEY.into()),
        "stripe_api_base" => Some(stripe.base.clone()),
        "webhook_secret" => Some(WEBHOOK_SECRET.into()),
        "intra_eu_exemption" => Some("true".into()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    // 35 € + 12,90 € to Belgium, before Belgian VAT: 39,59 €.
    let cart = app.cart_with("TSL-BLEU-M", 1).await?;
    let mut body = comptoir_e2e::checkout_body(&cart);
    body["phone"] = json!("+32 2 509 60 11");
    body["shipping_address"] = json!({"name": "Atelier Solvay", "line1": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles", "country": "BE"});
    body["company"] = json!({"name": "Atelier Solvay SRL", "vat_number": "BE0403170701"});
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(placed["totals"]["total"]["amount"], 3_959);
    app.open_session(&order).await?;
    // The lines at their prices would ask for 47,90 €: one line of the total.
    let r = &stripe.received()[0];
    assert_eq!(
        r.field("line_items[0][price_data][unit_amount]"),
        Some("3959")
    );
    assert_eq!(r.field("line_items[0][quantity]"), Some("1"));
    assert_eq!(r.field("line_items[1][price_data][unit_amount]"), None);
    // What Stripe then takes pays the order.
    let event = json!({
        "id": "evt_rc", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_test_1", "object": "checkout.session", "amount_total": 3959,
                 "currency": "eur", "payment_status": "paid", "metadata": {"order_id": order}}}
    })
    .to_string();
    let ack: Json = app
        .webhook(WEBHOOK_SECRET, &event, now_ms() / 1000)
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "paid");
    Ok(())
}

#[tokio::test]
async fn a_stripe_outage_is_a_502_and_leaves_the_order_payable() -> anyhow::Result<()> {
    let config = Config::from_lookup(|name| match name {
        "payment_provider" => Some("stripe".into()),
        "stripe_secret_key" => Some("sk_test_wrong".into()),
        "stripe_api_base" => Some("http://127.0.0.1:9".into()),
        "webhook_secret" => Some(WEBHOOK_SECRET.into()),
        _ => None,
    })?;
    let app = spawn_app_with(config).await?;
    let cart = app.cart_with("TSL-BLEU-M", 1).await?;
    let placed: Json = app.checkout(&cart, None).await?.expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default();
    let failed = app
        .send(
            "POST",
            "/api/payments/sessions",
            &json!({"order_id": order}),
        )
        .await?;
    assert_eq!(
        (failed.status, failed.json),
        (502, json!({"error": "payment_provider_unavailable"}))
    );
    let summary: Json = app
        .get(&format!("/api/orders/{order}"))
        .await?
        .expect(200)?;
    assert_eq!(summary["status"], "pending_payment");
    Ok(())
}
