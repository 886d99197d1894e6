//! Automation rules (`GET`/`PUT /api/jobs/automation`, applied by the job
//! runner): a detractor's answer opens exactly one support thread, a paid
//! order not picked in time is escalated exactly once, each action audited
//! with the actor `automation`; a rule switched off does nothing.

use comptoir_e2e::{TestApp, spawn_quiet_app_with};
use comptoir_functions::config::Config;
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";
const SECRET: &str = "le secret du planificateur";

async fn app() -> anyhow::Result<TestApp> {
    let config = Config::from_lookup(|name| (name == "jobs_secret").then(|| SECRET.into()))?;
    spawn_quiet_app_with(config).await
}

/// Runs the job runner once; answers what the automation duty did.
async fn run_automation(app: &TestApp) -> anyhow::Result<u64> {
    app.run_duty(SECRET, "automation").await
}

/// The default settings with `changes` applied.
fn rules(changes: Json) -> Json {
    let mut all = json!({
        "detractors": true, "unpicked_orders": true, "unpicked_after_hours": 24, "low_stock": true,
        "late_orders": true, "small_returns": false,
        "small_return_max": {"amount": 3000, "currency": "EUR"}, "small_returns_per_customer": 2
    });
    if let (Some(all), Some(changes)) = (all.as_object_mut(), changes.as_object()) {
        all.extend(changes.clone());
    }
    all
}

async fn set_rules(app: &TestApp, admin: &str, settings: Json) -> anyhow::Result<Json> {
    app.send_as(admin, "PUT", "/api/jobs/automation", &settings)
        .await?
        .expect(200)
}

/// Audit rows of `action`, newest first.
async fn audited(app: &TestApp, admin: &str, action: &str) -> anyhow::Result<Vec<Json>> {
    let rows: Json = app
        .get_as(admin, &format!("/api/audit?action={action}"))
        .await?
        .expect(200)?;
    Ok(rows.as_array().cloned().unwrap_or_default())
}

/// A delivered order of `email`'s, rated `csat`/`nps` with `comment`.
async fn rated_order(
    app: &TestApp,
    email: &str,
    csat: u8,
    nps: u8,
    comment: &str,
) -> anyhow::Result<String> {
    let customer = app.sign_up(email).await?;
    let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    app.deliver(&order).await?;
    let answer = json!({"order_id": order, "csat": csat, "nps": nps, "comment": comment});
    app.send_as(&customer, "POST", "/api/support/surveys", &answer)
        .await?
        .expect::<Json>(201)?;
    Ok(order)
}

#[tokio::test]
async fn a_detractor_answer_opens_exactly_one_support_thread() -> anyhow::Result<()> {
    let app = app().await?;
    let admin = app.staff("admin").await?;
    let support = app.staff("support").await?;
    let defaults: Json = app
        .get_as(&support, "/api/jobs/automation")
        .await?
        .expect(200)?;
    assert_eq!(
        defaults["settings"],
        rules(json!({"detractors": true, "unpicked_orders": true, "unpicked_after_hours": 24}))
    );

    let unhappy = rated_order(&app, "jeanne@exemple.fr", 4, 3, "Colis abîmé à l'arrivée").await?;
    rated_order(&app, "paul@exemple.fr", 5, 9, "Parfait").await?;
    let lukewarm = rated_order(&app, "louise@exemple.fr", 2, 8, "").await?;
    assert_eq!(
        run_automation(&app).await?,
        2,
        "two detractors: NPS 3, CSAT 2"
    );
    assert_eq!(run_automation(&app).await?, 0, "and never twice");
    assert_eq!(app.count("support_threads").await?, 2);

    let threads: Json = app
        .get_as(&support, "/api/support/threads")
        .await?
        .expect(200)?;
    let on = |order: &str| {
        threads
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["order_id"] == order)
            .cloned()
            .collect::<Vec<_>>()
    };
    let thread = on(&unhappy);
    assert_eq!(thread.len(), 1, "{threads}");
    assert_eq!(
        thread[0]["status"], "open",
        "it waits for someone to call back"
    );
    assert_eq!(thread[0]["customer_email"], "jeanne@exemple.fr");
    assert_eq!(on(&lukewarm).len(), 1);
    let id = thread[0]["id"].as_str().unwrap_or_default();
    let customer = app
        .sign_in("jeanne@exemple.fr", "radium et polonium")
        .await?;
    let mine: Json = app
        .get_as(&customer, &format!("/api/support/threads/{id}"))
        .await?
        .expect(200)?;
    let body = mine["messages"][0]["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("satisfaction 4/5, recommandation 3/10") && body.contains("Colis abîmé"),
        "{body}"
    );

    let audit = audited(&app, &admin, "support_open").await?;
    assert_eq!(audit.len(), 2);
    assert!(
        audit.iter().all(|a| a["actor_email"] == "automation"),
        "{audit:?}"
    );
    assert!(audit.iter().any(|a| a["target"] == id));

    // Switched off, a new detractor is left alone; switched on again, it is
    // called back (the answer is recent).
    let off =
        rules(json!({"detractors": false, "unpicked_orders": true, "unpicked_after_hours": 24}));
    assert_eq!(
        set_rules(&app, &admin, off).await?["settings"]["detractors"],
        false
    );
    let late = rated_order(
        &app,
        "victor@exemple.fr",
        1,
        0,
        "Jamais reçu la bonne taille",
    )
    .await?;
    assert_eq!(run_automation(&app).await?, 0);
    assert!(on_count(&app, &late).await? == 0);
    let on_again =
        rules(json!({"detractors": true, "unpicked_orders": true, "unpicked_after_hours": 24}));
    set_rules(&app, &admin, on_again).await?;
    assert_eq!(run_automation(&app).await?, 1);
    assert_eq!(on_count(&app, &late).await?, 1);
    assert_eq!(audited(&app, &admin, "automation_settings").await?.len(), 2);
    Ok(())
}

async fn on_count(app: &TestApp, order: &str) -> anyhow::Result<i64> {
    app.scalar(
        "SELECT COUNT(*) FROM support_threads WHERE order_id = ?1",
        &[Value::Text(order.to_owned())],
    )
    .await
}

#[tokio::test]
async fn a_paid_order_not_picked_in_time_is_escalated_once() -> anyhow::Result<()> {
    let app = app().await?;
    let admin = app.staff("admin").await?;
    let warehouse = app.staff("warehouse").await?;
    app.staff("support").await?;
    let settings =
        rules(json!({"detractors": true, "unpicked_orders": true, "unpicked_after_hours": 2}));
    set_rules(&app, &admin, settings).await?;

    let waiting = app.paid_order(SKU, 1).await?;
    let recent = app.paid_order(SKU, 1).await?;
    let picked = app.paid_order(SKU, 1).await?;
    app.move_order(&warehouse, &picked, json!({"to": "picking"}))
        .await?
        .expect::<Json>(200)?;
    let three_hours_ago = comptoir_e2e::now_ms() - 3 * 3_600_000;
    for order in [&waiting, &picked] {
        app.execute(
            "UPDATE orders SET paid_at = ?1 WHERE id = ?2",
            &[Value::Integer(three_hours_ago), Value::Text(order.clone())],
        )
        .await?;
    }
    assert_eq!(
        run_automation(&app).await?,
        1,
        "only the paid order past 2 h"
    );
    assert_eq!(run_automation(&app).await?, 0, "and never twice");

    let view: Json = app
        .get_as(&warehouse, "/api/jobs/automation")
        .await?
        .expect(200)?;
    let alerts = view["alerts"].as_array().cloned().unwrap_or_default();
    assert_eq!(alerts.len(), 1, "{view}");
    assert_eq!(
        (
            alerts[0]["order_id"].as_str(),
            alerts[0]["rule"].as_str(),
            alerts[0]["paid_at_ms"].as_i64()
        ),
        (
            Some(waiting.as_str()),
            Some("unpicked_order"),
            Some(three_hours_ago)
        )
    );
    // One message to each admin and warehouse account, none to support or
    // the customer.
    let recipients = app
        .rows(
            "SELECT recipient FROM outbox WHERE kind = 'order_escalated' AND order_id = ?1 ORDER BY recipient",
            &[Value::Text(waiting.clone())],
        )
        .await?;
    let recipients: Vec<Vec<Value>> = recipients.into_iter().map(|r| r.0).collect();
    assert_eq!(
        recipients,
        vec![
            vec![Value::Text("admin@comptoir.test".into())],
            vec![Value::Text("warehouse@comptoir.test".into())]
        ]
    );
    let audit = audited(&app, &admin, "order_escalate").await?;
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (
            audit[0]["actor_email"].as_str(),
            audit[0]["target"].as_str()
        ),
        (Some("automation"), Some(waiting.as_str()))
    );

    // Picked: the alert goes; it is not raised again.
    app.move_order(&warehouse, &waiting, json!({"to": "picking"}))
        .await?
        .expect::<Json>(200)?;
    let view: Json = app
        .get_as(&warehouse, "/api/jobs/automation")
        .await?
        .expect(200)?;
    assert_eq!(view["alerts"], json!([]));
    assert_eq!(run_automation(&app).await?, 0);

    // Switched off: an order past the delay is left alone.
    let off =
        rules(json!({"detractors": true, "unpicked_orders": false, "unpicked_after_hours": 2}));
    set_rules(&app, &admin, off).await?;
    app.execute(
        "UPDATE orders SET paid_at = ?1 WHERE id = ?2",
        &[Value::Integer(three_hours_ago), Value::Text(recent.clone())],
    )
    .await?;
    assert_eq!(run_automation(&app).await?, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM automation_actions", &[])
            .await?,
        1
    );
    Ok(())
}

#[tokio::test]
async fn only_admins_change_the_rules_and_nobody_signs_in_as_automation() -> anyhow::Result<()> {
    let app = app().await?;
    let admin = app.staff("admin").await?;
    let support = app.staff("support").await?;
    let settings =
        rules(json!({"detractors": false, "unpicked_orders": false, "unpicked_after_hours": 12}));
    let refused = app
        .send_as(&support, "PUT", "/api/jobs/automation", &settings)
        .await?;
    assert_eq!(
        (refused.status, refused.json["error"].as_str()),
        (403, Some("forbidden"))
    );
    let customer = app.customer().await?;
    assert_eq!(
        app.get_as(&customer, "/api/jobs/automation").await?.status,
        403
    );
    assert_eq!(app.get("/api/jobs/automation").await?.status, 401);
    for (bad, field) in [
        (
            rules(json!({"detractors": true, "unpicked_orders": true, "unpicked_after_hours": 0})),
            "unpicked_after_hours",
        ),
        (
            rules(
                json!({"detractors": true, "unpicked_orders": true, "unpicked_after_hours": 721}),
            ),
            "unpicked_after_hours",
        ),
    ] {
        let answer = app
            .send_as(&admin, "PUT", "/api/jobs/automation", &bad)
            .await?;
        assert_eq!(
            (answer.status, answer.json["field"].as_str()),
            (422, Some(field)),
            "{}",
            answer.json
        );
    }
    let unknown = rules(
        json!({"detractors": true, "unpicked_orders": true, "unpicked_after_hours": 3, "returns": true}),
    );
    assert_eq!(
        app.send_as(&admin, "PUT", "/api/jobs/automation", &unknown)
            .await?
            .status,
        422
    );
    let view: Json = app
        .get_as(&admin, "/api/jobs/automation")
        .await?
        .expect(200)?;
    assert_eq!(
        view["settings"]["unpicked_after_hours"], 24,
        "nothing stored by refusals"
    );
    set_rules(&app, &admin, settings.clone()).await?;
    let view: Json = app
        .get_as(&support, "/api/jobs/automation")
        .await?
        .expect(200)?;
    assert_eq!(view["settings"], settings);

    assert!(
        app.sign_in("automation@comptoir.invalid", "!")
            .await
            .is_err()
    );
    let staff: Json = app
        .get_as(&admin, "/api/accounts/staff")
        .await?
        .expect(200)?;
    assert!(
        staff
            .as_array()
            .into_iter()
            .flatten()
            .all(|s| s["email"] != "automation@comptoir.invalid"),
        "{staff}"
    );
    Ok(())
}

#[tokio::test]
async fn an_order_past_its_promised_date_is_announced_once_in_the_portal_or_by_mail()
-> anyhow::Result<()> {
    let app = app().await?;
    let admin = app.staff("admin").await?;
    let customer = app.sign_up("jeanne@exemple.fr").await?;
    let mine = app.paid_order_as(Some(&customer), SKU, 1).await?;
    let guest = app.paid_order(SKU, 1).await?;
    let arrived = app.paid_order_as(Some(&customer), SKU, 1).await?;
    app.deliver(&arrived).await?;
    // Checkout promised Colissimo's slowest transit after a day's preparation.
    let (created, promised) = {
        let row = app
            .rows(
                "SELECT created_at, promised_by_ms FROM orders WHERE id = ?1",
                &[Value::Text(mine.clone())],
            )
            .await?;
        let row = row.first().map(|r| r.0.clone()).unwrap_or_default();
        match (row.first(), row.get(1)) {
            (Some(Value::Integer(c)), Some(Value::Integer(p))) => (*c, *p),
            other => anyhow::bail!("no promise stored: {other:?}"),
        }
    };
    let day = 86_400_000;
    assert!(
        (created + 4 * day..=created + 9 * day).contains(&promised),
        "{created} → {promised}"
    );
    // The customer already asked about it.
    let asked: Json = app
        .send_as(
            &customer,
            "POST",
            "/api/support/threads",
            &json!({"order_id": mine, "subject": "Mon colis", "body": "Où en est-il ?"}),
        )
        .await?
        .expect(201)?;
    let yesterday = comptoir_e2e::now_ms() - day;
    for order in [&mine, &guest, &arrived] {
        app.execute(
            "UPDATE orders SET promised_by_ms = ?1 WHERE id = ?2",
            &[Value::Integer(yesterday), Value::Text(order.clone())],
        )
        .await?;
    }
    assert_eq!(
        run_automation(&app).await?,
        2,
        "the delivered order is not late"
    );
    assert_eq!(run_automation(&app).await?, 0, "and never twice");

    let thread: Json = app
        .get_as(
            &customer,
            &format!(
                "/api/support/threads/{}",
                asked["id"].as_str().unwrap_or_default()
            ),
        )
        .await?
        .expect(200)?;
    let messages = thread["messages"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        messages.len(),
        2,
        "written in the thread the customer opened: {thread}"
    );
    assert_eq!(messages[1]["author"], "staff");
    assert_eq!(messages[1]["author_name"], "Service client");
    assert_eq!(
        thread["status"], "open",
        "the customer's question still waits for a person"
    );
    assert!(
        messages[1]["body"]
            .as_str()
            .unwrap_or_default()
            .contains("pas encore quitté notre entrepôt")
    );
    assert_eq!(app.count("support_threads").await?, 1);
    let mails = app
        .rows(
            "SELECT recipient, body FROM outbox WHERE kind = 'order_late' AND order_id = ?1",
            &[Value::Text(guest.clone())],
        )
        .await?;
    assert_eq!(mails.len(), 1, "the guest is told by e-mail");
    assert!(matches!(&mails[0].0[1], Value::Text(body) if body.contains("au plus tard le")));
    let audit = audited(&app, &admin, "order_late_notice").await?;
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().all(|a| a["actor_email"] == "automation"));
    Ok(())
}

#[tokio::test]
async fn small_returns_are_approved_within_the_limit_and_the_kill_switch() -> anyhow::Result<()> {
    let app = app().await?;
    let admin = app.staff("admin").await?;
    let customer = app.sign_up("jeanne@exemple.fr").await?;
    let order = app.paid_order_as(Some(&customer), SKU, 3).await?;
    app.deliver(&order).await?;
    let ask = |units: u32| {
        let body = json!({"order_id": order, "lines": [{"sku": SKU, "quantity": units}], "reason": "Trop grand"});
        let customer = customer.clone();
        let app = &app;
        async move {
            let refund: Json = app
                .send_as(&customer, "POST", "/api/refunds", &body)
                .await?
                .expect(201)?;
            anyhow::Ok(refund["id"].as_str().unwrap_or_default().to_owned())
        }
    };
    let status = |id: String| {
        let app = &app;
        async move {
            app.text(
                "SELECT status FROM refunds WHERE id = ?1",
                &[Value::Text(id)],
            )
            .await
        }
    };

    // Off by default: a small request waits for finance.
    let first = ask(1).await?;
    assert_eq!(run_automation(&app).await?, 0);
    assert_eq!(status(first.clone()).await?, "requested");

    let on = rules(
        json!({"small_returns": true, "small_return_max": {"amount": 4000, "currency": "EUR"}, "small_returns_per_customer": 1}),
    );
    set_rules(&app, &admin, on).await?;
    assert_eq!(run_automation(&app).await?, 1);
    assert_eq!(
        status(first.clone()).await?,
        "succeeded",
        "approved and paid back in the sandbox"
    );
    // A second one: past this customer's one a year, left to finance, once.
    let second = ask(1).await?;
    assert_eq!(run_automation(&app).await?, 0);
    assert_eq!(run_automation(&app).await?, 0);
    assert_eq!(status(second.clone()).await?, "requested");
    let audit = audited(&app, &admin, "refund_approve").await?;
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (
            audit[0]["actor_email"].as_str(),
            audit[0]["target"].as_str()
        ),
        (Some("automation"), Some(first.as_str()))
    );

    // Over the amount: finance's, whatever the limit.
    let other = app.sign_up("paul@exemple.fr").await?;
    let big = app.paid_order_as(Some(&other), SKU, 2).await?;
    app.deliver(&big).await?;
    let body = json!({"order_id": big, "lines": [{"sku": SKU, "quantity": 2}], "reason": "Abîmé"});
    let large: Json = app
        .send_as(&other, "POST", "/api/refunds", &body)
        .await?
        .expect(201)?;
    assert_eq!(run_automation(&app).await?, 0);
    assert_eq!(
        status(large["id"].as_str().unwrap_or_default().to_owned()).await?,
        "requested"
    );
    Ok(())
}
