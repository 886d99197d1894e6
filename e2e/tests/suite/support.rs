//! Customer support end to end: threads between a customer and the support
//! desk (status follows who wrote last, first-response time), who may see
//! what (401 / 403 / 404 without revealing someone else's thread), the
//! survey after delivery (once, scores validated), and the customer's own
//! refunds.

use comptoir_e2e::{TestApp, spawn_app};
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M"; // 35,00 €

async fn open_thread(app: &TestApp, customer: &str, body: &Json) -> anyhow::Result<Json> {
    app.send_as(customer, "POST", "/api/support/threads", body)
        .await?
        .expect(201)
}

#[tokio::test]
async fn a_thread_goes_open_pending_closed_and_both_sides_see_every_message() -> anyhow::Result<()>
{
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    let thread = open_thread(
        &app,
        &customer,
        &json!({"order_id": order, "subject": "  Où est mon colis ?  ", "body": "Bonjour,\nje l'attends."}),
    )
    .await?;
    assert_eq!(
        (
            thread["status"].as_str(),
            thread["subject"].as_str(),
            thread["order_id"].as_str(),
            thread["customer_email"].as_str(),
            thread["messages"][0]["author"].as_str(),
            &thread["first_response_ms"],
        ),
        (
            Some("open"),
            Some("Où est mon colis ?"),
            Some(order.as_str()),
            Some("marie.curie@exemple.fr"),
            Some("customer"),
            &Json::Null
        )
    );
    let id = thread["id"].as_str().unwrap_or_default().to_owned();
    // The customer wrote an hour ago: the first response is measured from then.
    app.execute(
        "UPDATE support_messages SET at = at - 3600000 WHERE thread_id = ?1",
        &[Value::Text(id.clone())],
    )
    .await?;

    let support = app.staff("support").await?;
    let inbox: Json = app
        .get_as(&support, "/api/support/threads?status=open")
        .await?
        .expect(200)?;
    assert_eq!(
        (inbox[0]["id"].as_str(), inbox[0]["message_count"].as_i64()),
        (Some(id.as_str()), Some(1))
    );
    for filter in [
        format!("order={order}"),
        "customer=Marie.Curie@exemple.fr".to_owned(),
        "q=COLIS".to_owned(),
        "q=attends".to_owned(),
    ] {
        let found: Json = app
            .get_as(&support, &format!("/api/support/threads?{filter}"))
            .await?
            .expect(200)?;
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{filter}");
    }
    for filter in [
        "status=closed",
        "q=remboursement",
        "q=%25",
        "customer=x@exemple.fr",
    ] {
        let none: Json = app
            .get_as(&support, &format!("/api/support/threads?{filter}"))
            .await?
            .expect(200)?;
        assert_eq!(none.as_array().map(Vec::len), Some(0), "{filter}");
    }
    let bad = app
        .get_as(&support, "/api/support/threads?status=lost")
        .await?;
    assert_eq!(
        (bad.status, bad.json["field"].as_str()),
        (422, Some("status"))
    );

    let replied: Json = app
        .send_as(
            &support,
            "POST",
            &format!("/api/support/threads/{id}/messages"),
            &json!({"body": "Il part demain."}),
        )
        .await?
        .expect(200)?;
    assert_eq!(replied["status"], "pending");
    let first_response = replied["first_response_ms"].as_i64().unwrap_or_default();
    assert!(
        (3_600_000..3_700_000).contains(&first_response),
        "{first_response}"
    );

    let seen: Json = app
        .get_as(&customer, &format!("/api/support/threads/{id}"))
        .await?
        .expect(200)?;
    let authors: Vec<(&str, &str)> = seen["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["author"].as_str().unwrap_or_default(),
                m["body"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        authors,
        [
            ("customer", "Bonjour,\nje l'attends."),
            ("staff", "Il part demain.")
        ]
    );
    assert_eq!(seen["messages"][1]["author_name"], "support");

    let again: Json = app
        .send_as(
            &customer,
            "POST",
            &format!("/api/support/threads/{id}/messages"),
            &json!({"body": "Merci !"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        (
            again["status"].as_str(),
            again["first_response_ms"].as_i64()
        ),
        (Some("open"), Some(first_response)),
        "the first response is measured once"
    );
    let closed: Json = app
        .send_as(
            &support,
            "POST",
            &format!("/api/support/threads/{id}/status"),
            &json!({"status": "closed"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(closed["status"], "closed");
    let mine: Json = app
        .get_as(&customer, &format!("/api/support/threads?order={order}"))
        .await?
        .expect(200)?;
    assert_eq!(
        (
            mine[0]["status"].as_str(),
            mine[0]["message_count"].as_i64()
        ),
        (Some("closed"), Some(3))
    );
    // A thread about nothing in particular.
    open_thread(
        &app,
        &customer,
        &json!({"subject": "Tailles", "body": "Taillez-vous grand ?"}),
    )
    .await?;
    let all: Json = app
        .get_as(&customer, "/api/support/threads")
        .await?
        .expect(200)?;
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    Ok(())
}

#[tokio::test]
async fn threads_are_hidden_from_other_customers_and_closed_to_other_roles() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    let thread = open_thread(
        &app,
        &customer,
        &json!({"order_id": order, "subject": "Retour", "body": "Comment renvoyer ?"}),
    )
    .await?;
    let id = thread["id"].as_str().unwrap_or_default().to_owned();
    let path = format!("/api/support/threads/{id}");
    let messages = format!("{path}/messages");
    let status = format!("{path}/status");
    let body = json!({"body": "bonjour"});

    let other = app.sign_up("pierre.curie@exemple.fr").await?;
    assert_eq!(app.get_as(&other, &path).await?.status, 404);
    let intrude = app.send_as(&other, "POST", &messages, &body).await?;
    assert_eq!(
        (intrude.status, intrude.json["resource"].as_str()),
        (404, Some("thread"))
    );
    let theirs: Json = app
        .get_as(&other, "/api/support/threads")
        .await?
        .expect(200)?;
    assert_eq!(theirs, json!([]));
    let threads = app.count("support_threads").await?;
    let on_my_order = app
        .send_as(
            &other,
            "POST",
            "/api/support/threads",
            &json!({"order_id": order, "subject": "x", "body": "y"}),
        )
        .await?;
    assert_eq!(
        (on_my_order.status, on_my_order.json["resource"].as_str()),
        (404, Some("order"))
    );
    let empty = app
        .send_as(
            &customer,
            "POST",
            "/api/support/threads",
            &json!({"subject": " ", "body": "y"}),
        )
        .await?;
    assert_eq!(
        (empty.status, empty.json["field"].as_str()),
        (422, Some("subject"))
    );
    let long = app
        .send_as(
            &customer,
            "POST",
            &messages,
            &json!({"body": "x".repeat(4001)}),
        )
        .await?;
    assert_eq!(
        (long.status, long.json["field"].as_str()),
        (422, Some("body"))
    );
    assert_eq!(app.count("support_threads").await?, threads);
    assert_eq!(app.count("support_messages").await?, 1);

    assert_eq!(app.get("/api/support/threads").await?.status, 401);
    assert_eq!(app.get(&path).await?.status, 401);
    assert_eq!(app.send("POST", &messages, &body).await?.status, 401);
    let warehouse = app.staff("warehouse").await?;
    let finance = app.staff("finance").await?;
    assert_eq!(
        app.get_as(&warehouse, "/api/support/threads").await?.status,
        403
    );
    assert_eq!(app.get_as(&warehouse, &path).await?.status, 403);
    assert_eq!(
        app.send_as(&finance, "POST", &messages, &body)
            .await?
            .status,
        403
    );
    let closing = json!({"status": "closed"});
    assert_eq!(
        app.send_as(&customer, "POST", &status, &closing)
            .await?
            .status,
        403
    );
    assert_eq!(
        app.send_as(&finance, "POST", &status, &closing)
            .await?
            .status,
        403
    );
    let support = app.staff("support").await?;
    assert_eq!(
        app.send_as(
            &support,
            "POST",
            "/api/support/threads",
            &json!({"subject": "x", "body": "y"})
        )
        .await?
        .status,
        403,
        "threads are opened by customers"
    );
    assert_eq!(app.count("support_messages").await?, 1);
    let admin = app.staff("admin").await?;
    assert_eq!(app.get_as(&admin, &path).await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn a_delivered_order_is_rated_once_and_only_by_its_customer() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    let answer = json!({"order_id": order, "csat": 5, "nps": 9, "comment": "Parfait"});
    app.ship(&order, "6A1").await?;
    let early = app
        .send_as(&customer, "POST", "/api/support/surveys", &answer)
        .await?;
    assert_eq!(
        (early.status, early.json["error"].as_str()),
        (409, Some("conflict"))
    );
    let warehouse = app.staff("warehouse").await?;
    app.move_order(&warehouse, &order, json!({"to": "delivered"}))
        .await?
        .expect::<Json>(200)?;

    for (bad, field) in [
        (json!({"order_id": order, "csat": 6, "nps": 9}), "csat"),
        (json!({"order_id": order, "csat": 0, "nps": 9}), "csat"),
        (json!({"order_id": order, "csat": 4, "nps": 11}), "nps"),
        (
            json!({"order_id": order, "csat": 4, "nps": 5, "comment": "x".repeat(2001)}),
            "comment",
        ),
    ] {
        let refused = app
            .send_as(&customer, "POST", "/api/support/surveys", &bad)
            .await?;
        assert_eq!(
            (refused.status, refused.json["field"].as_str()),
            (422, Some(field)),
            "{bad}"
        );
    }
    assert_eq!(app.count("surveys").await?, 0);
    let other = app.sign_up("pierre.curie@exemple.fr").await?;
    assert_eq!(
        app.send_as(&other, "POST", "/api/support/surveys", &answer)
            .await?
            .status,
        404
    );
    assert_eq!(
        app.send("POST", "/api/support/surveys", &answer)
            .await?
            .status,
        401
    );

    let survey: Json = app
        .send_as(&customer, "POST", "/api/support/surveys", &answer)
        .await?
        .expect(201)?;
    assert_eq!(
        (
            survey["csat"].as_i64(),
            survey["nps"].as_i64(),
            survey["comment"].as_str()
        ),
        (Some(5), Some(9), Some("Parfait"))
    );
    let twice = app
        .send_as(&customer, "POST", "/api/support/surveys", &answer)
        .await?;
    assert_eq!(
        (twice.status, twice.json["error"].as_str()),
        (409, Some("conflict"))
    );
    assert_eq!(app.count("surveys").await?, 1);

    let path = format!("/api/support/surveys/{order}");
    assert_eq!(
        app.get_as(&customer, &path).await?.expect::<Json>(200)?,
        survey
    );
    let finance = app.staff("finance").await?;
    assert_eq!(app.get_as(&finance, &path).await?.status, 200);
    assert_eq!(app.get_as(&other, &path).await?.status, 404);
    assert_eq!(app.get(&path).await?.status, 401);
    let unrated = app.paid_order_as(Some(&customer), SKU, 1).await?;
    assert_eq!(
        app.get_as(&customer, &format!("/api/support/surveys/{unrated}"))
            .await?
            .status,
        404
    );
    Ok(())
}

#[tokio::test]
async fn an_order_refunded_after_delivery_can_still_be_rated() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    app.deliver(&order).await?;
    let finance = app.staff("finance").await?;
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": order, "amount": {"amount": 3500, "currency": "EUR"}, "reason": "colis abîmé"}),
    )
    .await?
    .expect::<Json>(201)?;
    assert_eq!(app.order_status(&order).await?, "partially_refunded");
    app.send_as(
        &customer,
        "POST",
        "/api/support/surveys",
        &json!({"order_id": order, "csat": 2, "nps": 3}),
    )
    .await?
    .expect::<Json>(201)?;
    Ok(())
}

#[tokio::test]
async fn a_customer_sees_their_own_refunds_and_no_one_elses() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let customer = app.customer().await?;
    let first = app.paid_order_as(Some(&customer), SKU, 2).await?;
    let second = app.paid_order_as(Some(&customer), SKU, 1).await?;
    let guest = app.paid_order(SKU, 1).await?;
    for order in [&first, &second] {
        app.ship(order, "6A1").await?;
        app.send_as(
            &customer,
            "POST",
            "/api/refunds",
            &json!({"order_id": order, "lines": [{"sku": SKU, "quantity": 1}], "reason": "trop grand"}),
        )
        .await?
        .expect::<Json>(201)?;
    }
    let finance = app.staff("finance").await?;
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": guest, "amount": {"amount": 500, "currency": "EUR"}, "reason": "geste"}),
    )
    .await?
    .expect::<Json>(201)?;

    let all: Json = app
        .get_as(&customer, "/api/refunds/mine")
        .await?
        .expect(200)?;
    let orders: Vec<&str> = all
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["order_id"].as_str())
        .collect();
    assert_eq!(orders, [second.as_str(), first.as_str()], "newest first");
    let one: Json = app
        .get_as(&customer, &format!("/api/refunds/mine?order={first}"))
        .await?
        .expect(200)?;
    assert_eq!(
        (one.as_array().map(Vec::len), one[0]["status"].as_str()),
        (Some(1), Some("requested"))
    );
    let not_mine = app
        .get_as(&customer, &format!("/api/refunds/mine?order={guest}"))
        .await?;
    assert_eq!(
        (not_mine.status, not_mine.json["resource"].as_str()),
        (404, Some("order"))
    );
    let other = app.sign_up("pierre.curie@exemple.fr").await?;
    assert_eq!(
        app.get_as(&other, "/api/refunds/mine")
            .await?
            .expect::<Json>(200)?,
        json!([])
    );
    assert_eq!(
        app.get_as(&other, &format!("/api/refunds/mine?order={first}"))
            .await?
            .status,
        404
    );
    assert_eq!(app.get("/api/refunds/mine").await?.status, 401);
    Ok(())
}
