//! The staff order board: filters and paging, the CSV export (RFC 4180,
//! decimal euros, formula-safe), the staff view of one order, internal notes.

use comptoir_e2e::{TestApp, now_ms, spawn_app};
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

/// Inserts a bare paid order straight into the database (volume for paging).
async fn seeded_order(app: &TestApp, id: &str, email: &str, created_at: i64) -> anyhow::Result<()> {
    app.execute(
        "INSERT INTO orders (id, status, email, ship_name, ship_line1, ship_line2, ship_postal_code, ship_city, \
             ship_country, subtotal_cents, shipping_cents, total_cents, vat_cents, currency, cart_id, created_at, \
             reservation_expires_at, paid_at) \
         VALUES (?1, 'paid', ?2, 'Nom', 'Rue', '', '75001', 'Paris', 'FR', 1000, 0, 1000, 167, 'EUR', 'c', ?3, ?3, ?3)",
        &[
            Value::Text(id.into()),
            Value::Text(email.into()),
            Value::Integer(created_at),
        ],
    )
    .await
}

async fn csv(app: &TestApp, cookie: &str, query: &str) -> anyhow::Result<(u16, String, String)> {
    let response = app
        .http
        .get(format!("{}/api/orders/export.csv{query}", app.base))
        .header("cookie", cookie)
        .send()
        .await?;
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Ok((status, kind, response.text().await?))
}

fn ids(rows: &Json) -> Vec<&str> {
    rows.as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect()
}

#[tokio::test]
async fn the_board_filters_pages_and_exports() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let mine = app.paid_order_as(Some(&customer), SKU, 2).await?;
    let guest = app.paid_order(SKU, 1).await?;
    let pending = app.placed_order(None, SKU, 1).await?;
    let warehouse = app.staff("warehouse").await?;

    assert_eq!(app.get("/api/orders").await?.status, 401);
    assert_eq!(app.get_as(&customer, "/api/orders").await?.status, 403);
    let all: Json = app.get_as(&warehouse, "/api/orders").await?.expect(200)?;
    assert_eq!(ids(&all), [pending.as_str(), guest.as_str(), mine.as_str()]);
    assert_eq!(
        (
            all[2]["item_count"].as_i64(),
            all[2]["total"]["amount"].as_i64(),
            all[0]["paid_at_ms"].is_null()
        ),
        (Some(2), Some(7000), true)
    );
    let me: Json = app
        .get_as(&customer, "/api/accounts/me")
        .await?
        .expect(200)?;
    let customer_id = me["id"].as_str().unwrap_or_default();
    for (query, expected) in [
        (
            "status=paid".to_owned(),
            vec![guest.as_str(), mine.as_str()],
        ),
        (format!("customer={customer_id}"), vec![mine.as_str()]),
        (
            "customer=Marie.Curie@exemple.fr".to_owned(),
            vec![pending.as_str(), guest.as_str(), mine.as_str()],
        ),
        (format!("q={}", &guest[..10]), vec![guest.as_str()]),
        (
            "q=CURIE".to_owned(),
            vec![pending.as_str(), guest.as_str(), mine.as_str()],
        ),
        (format!("from={}", now_ms() + 60_000), vec![]),
        ("to=1".to_owned(), vec![]),
    ] {
        let rows: Json = app
            .get_as(&warehouse, &format!("/api/orders?{query}"))
            .await?
            .expect(200)?;
        assert_eq!(ids(&rows), expected, "{query}");
    }
    for bad in ["status=lost", "page=0", "from=yesterday", "customer=nobody"] {
        let refused = app
            .get_as(&warehouse, &format!("/api/orders?{bad}"))
            .await?;
        assert_eq!(refused.status, 422, "{bad}");
    }

    // Volume: 52 more, two pages and a bit.
    for i in 0..52u32 {
        seeded_order(
            &app,
            &format!("{:032x}", 0xbeef_0000 + i),
            "lot@exemple.fr",
            1_000 + i64::from(i),
        )
        .await?;
    }
    let mut seen = Vec::new();
    for page in 1..=3 {
        let rows: Json = app
            .get_as(&warehouse, &format!("/api/orders?page={page}"))
            .await?
            .expect(200)?;
        seen.extend(ids(&rows).into_iter().map(str::to_owned));
    }
    assert_eq!(seen.len(), 55);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 55, "pages do not overlap");

    // The export: same filters, every row, safe for spreadsheets.
    seeded_order(
        &app,
        &format!("{:032x}", 0xf00d),
        "=HYPERLINK(\"x\",1)@exemple.fr",
        900,
    )
    .await?;
    let (status, kind, body) = csv(&app, &warehouse, "?customer=marie.curie@exemple.fr").await?;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,status,email,total_eur,created_at,paid_at,items"
    );
    assert_eq!(lines.len(), 5, "header, three orders, final CRLF: {body}");
    assert!(
        lines[3].starts_with(&format!("{mine},paid,marie.curie@exemple.fr,70.00,20")),
        "{}",
        lines[3]
    );
    assert!(lines[1].contains(",pending_payment,") && lines[1].ends_with(",,1"));
    let (_, _, all) = csv(&app, &warehouse, "").await?;
    assert_eq!(all.split("\r\n").count(), 58);
    assert!(
        all.contains(",\"'=hyperlink(\"\"x\"\",1)@exemple.fr\",10.00,1970-01-01T00:00:00Z,"),
        "{all}"
    );
    assert_eq!(csv(&app, &customer, "").await?.0, 403);
    Ok(())
}

#[tokio::test]
async fn staff_see_payment_refunds_notes_and_billing_errors_buyers_do_not() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let order = app.paid_order_as(Some(&customer), SKU, 2).await?;
    let finance = app.staff("finance").await?;
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": order, "amount": {"amount": 1000, "currency": "EUR"}, "reason": "geste"}),
    )
    .await?
    .expect::<Json>(201)?;
    app.execute(
        "INSERT INTO billing_errors (id, order_id, event_id, kind, detail, at) VALUES ('b1', ?1, 'evt_x', 'amount_mismatch', 'paid 1 of 7000', 5)",
        &[Value::Text(order.clone())],
    )
    .await?;
    let notes = format!("/api/orders/{order}/notes");
    let warehouse = app.staff("warehouse").await?;
    assert_eq!(
        app.send("POST", &notes, &json!({"body": "x"}))
            .await?
            .status,
        401
    );
    assert_eq!(
        app.send_as(&customer, "POST", &notes, &json!({"body": "x"}))
            .await?
            .status,
        403
    );
    let empty = app
        .send_as(&warehouse, "POST", &notes, &json!({"body": "  "}))
        .await?;
    assert_eq!(
        (empty.status, empty.json["field"].as_str()),
        (422, Some("body"))
    );
    assert_eq!(
        app.send_as(
            &warehouse,
            "POST",
            &format!("/api/orders/{:032x}/notes", 7),
            &json!({"body": "x"})
        )
        .await?
        .status,
        404
    );
    let note: Json = app
        .send_as(
            &warehouse,
            "POST",
            &notes,
            &json!({"body": "Carton abîmé, refait."}),
        )
        .await?
        .expect(201)?;
    assert_eq!(note["author"], "warehouse@comptoir.test");

    let view_path = format!("/api/orders/{order}/staff");
    assert_eq!(app.get_as(&customer, &view_path).await?.status, 403);
    assert_eq!(app.get(&view_path).await?.status, 401);
    let view: Json = app.get_as(&warehouse, &view_path).await?.expect(200)?;
    assert_eq!(
        view["customer_id"],
        app.get_as(&customer, "/api/accounts/me").await?.json["id"]
    );
    assert_eq!(
        (
            view["payment"]["captured"]["amount"].as_i64(),
            view["payment"]["refunded"]["amount"].as_i64(),
            view["payment"]["sessions"][0]["state"].as_str(),
            view["payment"]["sessions"][0]["provider"].as_str(),
            view["refunds"].as_array().map(Vec::len),
            view["notes"][0]["body"].as_str(),
            view["billing_errors"][0]["kind"].as_str(),
        ),
        (
            Some(7000),
            Some(1000),
            Some("complete"),
            Some("sandbox"),
            Some(1),
            Some("Carton abîmé, refait."),
            Some("amount_mismatch")
        )
    );
    let buyer: Json = app
        .get(&format!("/api/orders/{order}"))
        .await?
        .expect(200)?;
    assert!(!buyer.to_string().contains("Carton"), "{buyer}");
    assert_eq!(
        app.get_as(&warehouse, &format!("/api/orders/{:032x}/staff", 7))
            .await?
            .status,
        404
    );
    Ok(())
}
