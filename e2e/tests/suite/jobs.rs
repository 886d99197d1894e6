//! The job runner (`POST /api/jobs/run`) and the health probe: only the
//! configured secret runs it; one call releases lapsed reservations, sends
//! committed refunds, expires closed sessions at the provider and delivers
//! the outbox through the HTTP mail API; fifty calls racing over three
//! instances on one database send each message and each refund once.

use comptoir_e2e::fake_mail_api::{API_KEY, FakeMailApi};
use comptoir_e2e::fake_stripe::{FakeStripe, SECRET_KEY};
use comptoir_e2e::{Answer, TestApp, now_ms, spawn_app_with, spawn_quiet_app_with};
use comptoir_functions::config::Config;
use comptoir_functions::port::Value;
use futures::future::join_all;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M"; // 35,00 €: two make 70,00 €
const SECRET: &str = "le secret du planificateur";
const WEBHOOK: &str = "whsec_jobs";
const FROM: &str = "boutique@comptoir.test";

/// Stripe (the fake), the mail API (the fake), the job secret, and
/// reservations that lapse after a second.
fn config(stripe: &FakeStripe, mail: &FakeMailApi) -> anyhow::Result<Config> {
    config_with_ttl(stripe, mail, "1")
}

fn config_with_ttl(stripe: &FakeStripe, mail: &FakeMailApi, ttl: &str) -> anyhow::Result<Config> {
    Config::from_lookup(|name| match name {
        "payment_provider" => Some("stripe".into()),
        "stripe_secret_key" => Some(SECRET_KEY.into()),
        "stripe_api_base" => Some(stripe.base.clone()),
        "webhook_secret" => Some(WEBHOOK.into()),
        "jobs_secret" => Some(SECRET.into()),
        "mail_api_base" => Some(mail.base.clone()),
        "mail_api_key" => Some(API_KEY.into()),
        "mail_from" => Some(FROM.into()),
        "reservation_ttl_seconds" => Some(ttl.into()),
        _ => None,
    })
}

async fn run_jobs(app: &TestApp, authorization: Option<&str>) -> anyhow::Result<Answer> {
    let headers: Vec<(&str, &str)> = authorization
        .map(|a| ("authorization", a))
        .into_iter()
        .collect();
    app.call("POST", "/api/jobs/run", None, &headers).await
}

async fn run_with_secret(app: &TestApp) -> anyhow::Result<Json> {
    run_jobs(app, Some(&format!("Bearer {SECRET}")))
        .await?
        .expect(200)
}

/// `(outcome, done, failed)` of `duty` in a report.
fn duty(report: &Json, name: &str) -> (String, u64, u64) {
    report["duties"]
        .as_array()
        .and_then(|duties| duties.iter().find(|d| d["duty"] == name))
        .map(|d| {
            (
                d["outcome"].as_str().unwrap_or_default().to_owned(),
                d["done"].as_u64().unwrap_or(0),
                d["failed"].as_u64().unwrap_or(0),
            )
        })
        .unwrap_or_default()
}

fn text(v: &str) -> Value {
    Value::Text(v.to_owned())
}

/// An order of two units paid through (fake) Stripe: a session opened, its
/// completion event delivered.
async fn paid_stripe_order(app: &TestApp, n: usize) -> anyhow::Result<String> {
    let order = app.placed_order(None, SKU, 2).await?;
    let session = app.open_session(&order).await?;
    let session = session["session_id"].as_str().unwrap_or_default();
    let event = json!({
        "id": format!("evt_paid_{n}"), "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "object": "checkout.session", "amount_total": 7000,
                 "currency": "eur", "payment_status": "paid", "payment_intent": format!("pi_jobs_{n}"),
                 "metadata": {"order_id": order}}}
    })
    .to_string();
    let ack: Json = app
        .webhook(WEBHOOK, &event, now_ms() / 1000)
        .await?
        .expect(200)?;
    anyhow::ensure!(ack["outcome"] == "paid", "not paid: {ack}");
    Ok(order)
}

/// Support cancels a paid order: its full refund is committed, and waits
/// for a function that may reach Stripe (the job runner).
async fn cancel(app: &TestApp, support: &str, order: &str) -> anyhow::Result<()> {
    app.move_order(support, order, json!({"to": "cancelled"}))
        .await?
        .expect::<Json>(200)?;
    Ok(())
}

#[tokio::test]
async fn the_job_runner_refuses_a_missing_or_wrong_secret_and_does_nothing() -> anyhow::Result<()> {
    let (stripe, mail) = (FakeStripe::start().await?, FakeMailApi::start(0).await?);
    let app = spawn_quiet_app_with(config(&stripe, &mail)?).await?;
    let before = app.available(SKU).await?;
    let order = paid_stripe_order(&app, 1).await?;
    let lapsing = app.placed_order(None, SKU, 1).await?;
    let support = app.staff("support").await?;
    cancel(&app, &support, &order).await?;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let wrong_secret = format!("Bearer {SECRET}!");
    let basic = format!("Basic {SECRET}");
    for authorization in [
        None,
        Some("Bearer "),
        Some(wrong_secret.as_str()),
        Some(basic.as_str()),
        Some(SECRET),
    ] {
        let answer = run_jobs(&app, authorization).await?;
        assert_eq!(
            (answer.status, answer.json["error"].as_str()),
            (401, Some("unauthorized")),
            "{authorization:?}"
        );
    }
    // The right secret from a page of another site, or with a form body,
    // is refused at the edge like any state change (no scheduler sends those).
    let bearer = format!("Bearer {SECRET}");
    let url = format!("{}/api/jobs/run", app.base);
    let cross_site = app
        .http
        .post(&url)
        .header("authorization", &bearer)
        .header("origin", "https://ailleurs.example")
        .send()
        .await?;
    assert_eq!(cross_site.status().as_u16(), 403);
    let form = app
        .http
        .post(&url)
        .header("authorization", &bearer)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("run=1")
        .send()
        .await?;
    assert_eq!(form.status().as_u16(), 415);
    // A staff session is no key either.
    let refused = app
        .call(
            "POST",
            "/api/jobs/run",
            None,
            &[("cookie", support.as_str())],
        )
        .await?;
    assert_eq!(refused.status, 401);

    // Nothing moved: the lapsed order still holds its stock, the refund
    // and the message are unsent, no provider and no mail API was called.
    assert_eq!(app.order_status(&lapsing).await?, "pending_payment");
    assert_eq!(app.available(SKU).await?, before - 1);
    let unsent = app
        .scalar(
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1 AND status = 'pending' AND provider_refund_id IS NULL",
            &[text(&order)],
        )
        .await?;
    assert_eq!(unsent, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", &[])
            .await?,
        1
    );
    assert!(!stripe.received().iter().any(|r| r.path == "/v1/refunds"));
    assert_eq!(mail.requests(), 0);

    // A shop with no secret configured refuses every call the same way.
    let unconfigured = spawn_quiet_app_with(Config::from_lookup(|_| None)?).await?;
    for authorization in [None, Some("Bearer "), Some("Bearer undefined")] {
        let answer = run_jobs(&unconfigured, authorization).await?;
        assert_eq!(
            (answer.status, answer.json.clone()),
            (401, json!({"error": "unauthorized"})),
            "{authorization:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn one_run_releases_lapsed_stock_sends_committed_refunds_expires_sessions_and_delivers_mail()
-> anyhow::Result<()> {
    let (stripe, mail) = (FakeStripe::start().await?, FakeMailApi::start(0).await?);
    let app = spawn_quiet_app_with(config(&stripe, &mail)?).await?;
    let before = app.available(SKU).await?;
    // A paid order, then cancelled: a committed refund nobody sent.
    let paid = paid_stripe_order(&app, 1).await?;
    let support = app.staff("support").await?;
    cancel(&app, &support, &paid).await?;
    let refund = app
        .text("SELECT id FROM refunds WHERE order_id = ?1", &[text(&paid)])
        .await?;
    // An order whose session the shopper abandoned: owed an expiry at Stripe.
    let abandoned = app.placed_order(None, SKU, 1).await?;
    let session = app.open_session(&abandoned).await?;
    let session = session["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.send(
        "POST",
        &format!("/api/orders/{abandoned}/abandon"),
        &json!({}),
    )
    .await?
    .expect::<Json>(200)?;
    // A sign-in session long expired.
    app.execute(
        "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) \
         SELECT 'expired-session', id, 0, 1 FROM accounts WHERE email = 'support@comptoir.test'",
        &[],
    )
    .await?;
    // An order whose reservation lapses.
    let lapsing = app.placed_order(None, SKU, 1).await?;
    assert_eq!(app.available(SKU).await?, before - 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    // Reads take no write path: the product page and the catalog still
    // count the lapsed reservation.
    app.get("/api/catalog/products/t-shirt-lin")
        .await?
        .expect::<Json>(200)?;
    app.get("/api/catalog/products")
        .await?
        .expect::<Json>(200)?;
    assert_eq!(app.order_status(&lapsing).await?, "pending_payment");
    assert_eq!(app.available(SKU).await?, before - 1);

    let report = run_with_secret(&app).await?;
    assert_eq!(
        report["schema"].as_i64(),
        Some(comptoir_functions::migrate::latest())
    );
    assert_eq!(duty(&report, "reservations"), ("ran".into(), 1, 0));
    assert_eq!(duty(&report, "refunds"), ("ran".into(), 1, 0));
    assert_eq!(duty(&report, "payment_sessions"), ("ran".into(), 1, 0));
    assert_eq!(duty(&report, "outbox"), ("ran".into(), 1, 0));
    assert_eq!(duty(&report, "housekeeping"), ("ran".into(), 1, 0));
    assert_eq!(
        duty(&report, "payouts"),
        ("off".into(), 0, 0),
        "Stripe pays out itself"
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = 'expired-session'",
            &[]
        )
        .await?,
        0
    );

    // The lapsed reservation is released, once.
    assert_eq!(app.order_status(&lapsing).await?, "cancelled");
    assert_eq!(app.available(SKU).await?, before);
    let released = app
        .scalar(
            "SELECT COUNT(*) FROM stock_movements WHERE order_id = ?1 AND kind = 'release'",
            &[text(&lapsing)],
        )
        .await?;
    assert_eq!(released, 1);

    // The refund went to Stripe once, with its idempotency key.
    let refunds: Vec<_> = stripe
        .received()
        .into_iter()
        .filter(|r| r.path == "/v1/refunds")
        .collect();
    assert_eq!(refunds.len(), 1);
    assert_eq!(
        refunds[0].idempotency_key.as_deref(),
        Some(format!("comptoir-refund-{refund}").as_str())
    );
    assert_eq!(
        (
            refunds[0].field("payment_intent"),
            refunds[0].field("amount")
        ),
        (Some("pi_jobs_1"), Some("7000"))
    );
    let provider_id = app
        .scalar(
            "SELECT COUNT(*) FROM refunds WHERE id = ?1 AND provider_refund_id IS NOT NULL",
            &[text(&refund)],
        )
        .await?;
    assert_eq!(provider_id, 1);

    // The abandoned session is expired at Stripe.
    assert!(
        stripe
            .sessions()
            .iter()
            .any(|(id, status)| *id == session && status == "expired"),
        "{:?}",
        stripe.sessions()
    );

    // The order confirmation went through the mail API, in its shape.
    let sent = mail.sent();
    assert_eq!(sent.len(), 1);
    let message = app
        .text(
            "SELECT id FROM outbox WHERE order_id = ?1 AND kind = 'order_confirmation'",
            &[text(&paid)],
        )
        .await?;
    assert_eq!(sent[0].idempotency_key, message);
    assert_eq!(sent[0].from, FROM);
    assert_eq!(sent[0].to, "marie.curie@exemple.fr");
    assert!(sent[0].subject.contains(&paid[..8]), "{}", sent[0].subject);
    assert!(sent[0].text.contains("70,00"), "{}", sent[0].text);
    let marked = app
        .scalar(
            "SELECT COUNT(*) FROM outbox WHERE id = ?1 AND sent_at IS NOT NULL",
            &[text(&message)],
        )
        .await?;
    assert_eq!(marked, 1);

    // Nothing is left to do: a second run does nothing and calls no one.
    let (stripe_calls, mail_calls) = (stripe.received().len(), mail.requests());
    let again = run_with_secret(&app).await?;
    for name in ["reservations", "refunds", "payment_sessions", "outbox"] {
        assert_eq!(duty(&again, name), ("ran".into(), 0, 0), "{name}");
    }
    assert_eq!(
        (stripe.received().len(), mail.requests()),
        (stripe_calls, mail_calls)
    );
    Ok(())
}

#[tokio::test]
async fn a_refused_delivery_is_retried_later_and_sent_once() -> anyhow::Result<()> {
    let (stripe, mail) = (FakeStripe::start().await?, FakeMailApi::start(1).await?);
    let app = spawn_quiet_app_with(config(&stripe, &mail)?).await?;
    let order = paid_stripe_order(&app, 1).await?;
    let report = run_with_secret(&app).await?;
    assert_eq!(duty(&report, "outbox"), ("ran".into(), 0, 1));
    let error = app
        .text(
            "SELECT last_error FROM outbox WHERE order_id = ?1",
            &[text(&order)],
        )
        .await?;
    assert!(error.contains("500"), "{error}");
    // Backing off: the next run leaves it.
    let report = run_with_secret(&app).await?;
    assert_eq!(duty(&report, "outbox"), ("ran".into(), 0, 0));
    // Due again (as if 30 s had passed), it goes out once.
    app.execute(
        "UPDATE outbox SET next_attempt_at = ?1 WHERE order_id = ?2",
        &[Value::Integer(now_ms() - 1), text(&order)],
    )
    .await?;
    let report = run_with_secret(&app).await?;
    assert_eq!(duty(&report, "outbox"), ("ran".into(), 1, 0));
    assert_eq!(mail.sent().len(), 1);
    assert_eq!(mail.requests(), 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_runs_racing_over_three_instances_send_each_message_and_each_refund_once()
-> anyhow::Result<()> {
    const ORDERS: usize = 6;
    let (stripe, mail) = (FakeStripe::start().await?, FakeMailApi::start(0).await?);
    let first = spawn_quiet_app_with(config_with_ttl(&stripe, &mail, "900")?).await?;
    let instances = [
        &first,
        &first
            .another_quiet_instance(config_with_ttl(&stripe, &mail, "900")?)
            .await?,
        &first
            .another_quiet_instance(config_with_ttl(&stripe, &mail, "900")?)
            .await?,
    ];
    let support = first.staff("support").await?;
    let mut orders = Vec::new();
    for n in 0..ORDERS {
        // Spread over the instances too: they share only the database.
        let app = instances[n % 3];
        let order = paid_stripe_order(app, n).await?;
        cancel(app, &support, &order).await?;
        orders.push(order);
    }
    assert_eq!(
        first
            .scalar(
                "SELECT COUNT(*) FROM refunds WHERE status = 'pending' AND provider_refund_id IS NULL",
                &[]
            )
            .await?,
        ORDERS as i64
    );
    assert_eq!(
        first
            .scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", &[])
            .await?,
        ORDERS as i64
    );
    // Past the refunds' grace second, fifty runs at once, a third per instance.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let runs = join_all((0..50).map(|i| run_with_secret(instances[i % 3]))).await;
    let reports = runs.into_iter().collect::<anyhow::Result<Vec<Json>>>()?;
    let total = |name: &str| reports.iter().map(|r| duty(r, name).1).sum::<u64>();
    assert_eq!(
        total("refunds"),
        ORDERS as u64,
        "each refund sent by one run"
    );
    assert_eq!(
        total("outbox"),
        ORDERS as u64,
        "each message sent by one run"
    );
    let skipped = reports
        .iter()
        .filter(|r| duty(r, "outbox").0 == "skipped")
        .count();
    println!("{skipped} of 50 runs found the outbox lease held");

    // Counted at the fakes: one refund request per refund, one e-mail per message.
    let mut refunded: Vec<String> = stripe
        .received()
        .into_iter()
        .filter(|r| r.path == "/v1/refunds")
        .filter_map(|r| r.field("metadata[refund_id]").map(str::to_owned))
        .collect();
    assert_eq!(refunded.len(), ORDERS, "{refunded:?}");
    refunded.sort();
    refunded.dedup();
    assert_eq!(refunded.len(), ORDERS, "no refund sent twice");
    assert_eq!(mail.requests(), ORDERS, "no message sent twice");
    let mut keys: Vec<String> = mail.sent().into_iter().map(|m| m.idempotency_key).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), ORDERS);
    assert_eq!(
        first
            .scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL", &[])
            .await?,
        ORDERS as i64
    );
    assert_eq!(
        first
            .scalar(
                "SELECT COUNT(*) FROM refunds WHERE provider_refund_id IS NOT NULL",
                &[]
            )
            .await?,
        ORDERS as i64
    );
    // Every lease was given back.
    assert_eq!(
        first.scalar("SELECT COUNT(*) FROM job_leases", &[]).await?,
        0
    );
    Ok(())
}

#[tokio::test]
async fn the_native_timer_delivers_the_outbox_through_the_mail_api() -> anyhow::Result<()> {
    let (stripe, mail) = (FakeStripe::start().await?, FakeMailApi::start(0).await?);
    let app = spawn_app_with(config(&stripe, &mail)?).await?;
    let order = paid_stripe_order(&app, 1).await?;
    for _ in 0..50 {
        if !mail.sent().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sent = mail.sent();
    assert_eq!(sent.len(), 1, "delivered within 5 s by the timer");
    assert!(sent[0].subject.contains(&order[..8]));
    Ok(())
}

#[tokio::test]
async fn health_answers_ok_with_the_schema_version() -> anyhow::Result<()> {
    let app = spawn_quiet_app_with(Config::from_lookup(|_| None)?).await?;
    let health: Json = app.get("/api/health").await?.expect(200)?;
    assert_eq!(
        health,
        json!({"status": "ok", "schema": comptoir_functions::migrate::latest()})
    );
    let refused = app.get("/api/health?verbose=1").await?;
    assert_eq!(refused.status, 422);
    Ok(())
}
