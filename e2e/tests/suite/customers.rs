//! Customers seen whole by support: the list with search, and one customer's
//! orders, refunds, threads, surveys and staff notes.

use comptoir_e2e::spawn_app;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

#[tokio::test]
async fn support_sees_a_customer_whole_and_notes_about_them() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let other = app.sign_up("pierre.curie@exemple.fr").await?;
    let order = app.paid_order_as(Some(&customer), SKU, 2).await?;
    app.deliver(&order).await?;
    let pending = app.placed_order(Some(&customer), SKU, 1).await?;
    app.placed_order(Some(&other), SKU, 1).await?;
    app.send_as(
        &customer,
        "POST",
        "/api/refunds",
        &json!({"order_id": order, "lines": [{"sku": SKU, "quantity": 1}], "reason": "trop grand"}),
    )
    .await?
    .expect::<Json>(201)?;
    app.send_as(
        &customer,
        "POST",
        "/api/support/threads",
        &json!({"order_id": order, "subject": "Échange", "body": "Une taille au-dessus ?"}),
    )
    .await?
    .expect::<Json>(201)?;
    app.send_as(
        &customer,
        "POST",
        "/api/support/surveys",
        &json!({"order_id": order, "csat": 4, "nps": 8}),
    )
    .await?
    .expect::<Json>(201)?;
    let me: Json = app
        .get_as(&customer, "/api/accounts/me")
        .await?
        .expect(200)?;
    let id = me["id"].as_str().unwrap_or_default().to_owned();
    let support = app.staff("support").await?;
    let warehouse = app.staff("warehouse").await?;

    assert_eq!(app.get("/api/accounts/customers").await?.status, 401);
    assert_eq!(
        app.get_as(&customer, "/api/accounts/customers")
            .await?
            .status,
        403
    );
    assert_eq!(
        app.get_as(&warehouse, "/api/accounts/customers")
            .await?
            .status,
        403
    );
    let all: Json = app
        .get_as(&support, "/api/accounts/customers")
        .await?
        .expect(200)?;
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(2),
        "staff are not customers"
    );
    let found: Json = app
        .get_as(&support, "/api/accounts/customers?q=MARIE")
        .await?
        .expect(200)?;
    assert_eq!(
        (
            found.as_array().map(Vec::len),
            found[0]["id"].as_str(),
            found[0]["order_count"].as_i64(),
            found[0]["total_paid"]["amount"].as_i64()
        ),
        (Some(1), Some(id.as_str()), Some(2), Some(7000))
    );

    let notes = format!("/api/accounts/customers/{id}/notes");
    let empty = app
        .send_as(&support, "POST", &notes, &json!({"body": ""}))
        .await?;
    assert_eq!(
        (empty.status, empty.json["field"].as_str()),
        (422, Some("body"))
    );
    assert_eq!(
        app.send_as(&warehouse, "POST", &notes, &json!({"body": "x"}))
            .await?
            .status,
        403
    );
    let staff_id = app.get_as(&support, "/api/accounts/me").await?.json["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for unknown in [format!("{:032x}", 9), staff_id] {
        assert_eq!(
            app.send_as(
                &support,
                "POST",
                &format!("/api/accounts/customers/{unknown}/notes"),
                &json!({"body": "x"})
            )
            .await?
            .status,
            404
        );
        assert_eq!(
            app.get_as(&support, &format!("/api/accounts/customers/{unknown}"))
                .await?
                .status,
            404
        );
    }
    app.send_as(
        &support,
        "POST",
        &notes,
        &json!({"body": "Cliente fidèle, geste possible."}),
    )
    .await?
    .expect::<Json>(201)?;

    let whole: Json = app
        .get_as(&support, &format!("/api/accounts/customers/{id}"))
        .await?
        .expect(200)?;
    let orders: Vec<&str> = whole["orders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(orders, [pending.as_str(), order.as_str()]);
    assert_eq!(
        (
            whole["customer"]["email"].as_str(),
            whole["refunds"][0]["status"].as_str(),
            whole["threads"][0]["subject"].as_str(),
            whole["surveys"][0]["csat"].as_i64(),
            whole["notes"][0]["body"].as_str(),
            whole["notes"][0]["author"].as_str(),
        ),
        (
            Some("marie.curie@exemple.fr"),
            Some("requested"),
            Some("Échange"),
            Some(4),
            Some("Cliente fidèle, geste possible."),
            Some("support@comptoir.test")
        )
    );
    let admin = app.staff("admin").await?;
    let log: Json = app
        .get_as(&admin, "/api/audit?action=customer_note")
        .await?
        .expect(200)?;
    assert_eq!(log[0]["target"], id.as_str());
    Ok(())
}
