//! Three instances of the shop on one store, requests spread across them as
//! a load balancer would: nothing but the store is shared, so every
//! invariant must hold through the store alone. Run on Postgres by the test
//! command (`COMPTOIR_TEST_POSTGRES`), and on one SQLite file otherwise.

use comptoir_e2e::{TestApp, now_ms, spawn_app};
use comptoir_functions::config::{Config, SANDBOX_WEBHOOK_SECRET};
use comptoir_functions::port::Value;
use futures::future::join_all;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

async fn three_instances() -> anyhow::Result<[TestApp; 3]> {
    let first = spawn_app().await?;
    let second = first
        .another_instance(Config::from_lookup(|_| None)?)
        .await?;
    let third = first
        .another_instance(Config::from_lookup(|_| None)?)
        .await?;
    Ok([first, second, third])
}

/// The instance the `i`-th request goes to.
fn pick(shops: &[TestApp; 3], i: usize) -> &TestApp {
    &shops[i % shops.len()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_on_one_store_oversell_nothing_and_do_everything_once() -> anyhow::Result<()>
{
    let shops = three_instances().await?;
    let [first, second, third] = &shops;
    first
        .execute(
            "UPDATE stock SET on_hand = 10, reserved = 0 WHERE sku = ?1",
            &[Value::Text(SKU.into())],
        )
        .await?;

    // 45 shoppers race for 10 units through three instances.
    let mut carts = Vec::new();
    for i in 0..45 {
        carts.push(pick(&shops, i).cart_with(SKU, 1).await?);
    }
    let answers = join_all(
        carts
            .iter()
            .enumerate()
            .map(|(i, cart)| pick(&shops, i + 1).checkout(cart, None)),
    )
    .await;
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
            other => anyhow::bail!("unexpected {other}: {}", answer.json),
        }
    }
    assert_eq!(
        (placed.len(), refused),
        (10, 35),
        "exactly the shelf is sold"
    );
    for (i, paid) in join_all(
        placed
            .iter()
            .enumerate()
            .map(|(i, order)| pick(&shops, i).pay(order, true)),
    )
    .await
    .into_iter()
    .enumerate()
    {
        assert_eq!(paid?["state"], "complete", "payment {i}");
    }
    let sku = [Value::Text(SKU.into())];
    assert_eq!(
        (
            second
                .scalar("SELECT on_hand FROM stock WHERE sku = ?1", &sku)
                .await?,
            third
                .scalar("SELECT reserved FROM stock WHERE sku = ?1", &sku)
                .await?,
        ),
        (0, 0),
        "0 units oversold, nothing left reserved"
    );

    // One order per Idempotency-Key, whichever instance each retry reaches.
    first
        .execute(
            "UPDATE stock SET on_hand = 50, reserved = 0 WHERE sku = ?1",
            &sku,
        )
        .await?;
    let cart = second.cart_with(SKU, 2).await?;
    let key = format!("scale-out-{}", now_ms());
    let retries = join_all((0..15).map(|i| pick(&shops, i).checkout(&cart, Some(&key)))).await;
    let mut orders = Vec::new();
    for answer in retries {
        let answer = answer?;
        anyhow::ensure!(
            answer.status == 201 || answer.status == 200,
            "retry answered {}: {}",
            answer.status,
            answer.json
        );
        orders.push(
            answer.json["order_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    orders.dedup();
    assert_eq!(orders.len(), 1, "every retry answers the one order");
    assert_eq!(
        first
            .scalar(
                "SELECT COUNT(*) FROM orders WHERE cart_id = ?1",
                &[Value::Text(cart.clone())]
            )
            .await?,
        1
    );

    // One capture per provider event, delivered five times to each instance.
    let order = orders.remove(0);
    let session = third.open_session(&order).await?;
    let session = session["session_id"].as_str().unwrap_or_default();
    let event = json!({
        "id": "evt_scale_out", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "object": "checkout.session", "amount_total": 7000,
                 "currency": "eur", "payment_status": "paid", "metadata": {"order_id": order}}}
    })
    .to_string();
    let signed_at = now_ms() / 1000;
    let deliveries = join_all(
        (0..15).map(|i| pick(&shops, i).webhook(SANDBOX_WEBHOOK_SECRET, &event, signed_at)),
    )
    .await;
    let mut outcomes = Vec::new();
    for answer in deliveries {
        let ack: Json = answer?.expect(200)?;
        outcomes.push(ack["outcome"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(
        outcomes.iter().filter(|o| *o == "paid").count(),
        1,
        "{outcomes:?}"
    );
    let order_param = [Value::Text(order.clone())];
    assert_eq!(
        second
            .scalar(
                "SELECT COUNT(*) FROM payment_captures WHERE order_id = ?1",
                &order_param
            )
            .await?,
        1
    );

    // A session signed in on one instance is valid on the others, and ends
    // on all of them when it ends on one.
    let finance = first.staff("finance").await?;
    for shop in &shops {
        let me = shop.get_as(&finance, "/api/accounts/me").await?;
        assert_eq!(me.status, 200, "{}", shop.base);
    }

    // Twenty-one concurrent 10 € refunds of the 70 € order, spread across the
    // instances: exactly seven fit, one refund row each, sent once each.
    let body = json!({"order_id": order, "amount": {"amount": 1000, "currency": "EUR"}, "reason": "geste commercial"});
    let answers = join_all(
        (0..21).map(|i| pick(&shops, i).send_as(&finance, "POST", "/api/refunds/direct", &body)),
    )
    .await;
    let (mut ok, mut over) = (0, 0);
    for answer in answers {
        match answer?.status {
            201 => ok += 1,
            409 => over += 1,
            other => anyhow::bail!("unexpected refund answer {other}"),
        }
    }
    assert_eq!((ok, over), (7, 14));
    assert_eq!(
        third
            .scalar(
                "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE order_id = ?1 AND status = 'succeeded'",
                &order_param
            )
            .await?,
        7000
    );
    assert_eq!(third.order_status(&order).await?, "refunded");

    let out = second
        .call(
            "POST",
            "/api/accounts/signout",
            None,
            &[("cookie", finance.as_str())],
        )
        .await?;
    assert!(out.status < 300, "signed out: {}", out.status);
    for shop in &shops {
        let me = shop.get_as(&finance, "/api/accounts/me").await?;
        assert_eq!(me.status, 401, "signed out everywhere: {}", shop.base);
    }
    Ok(())
}
