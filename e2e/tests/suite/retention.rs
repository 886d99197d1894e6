//! Retention and feedback (issue 13): cohorts by first-order month on orders
//! paid at chosen instants equal a table worked out by hand; CSAT/NPS per
//! month and the latest comments; e-mail verification by a signed link —
//! the outbox holds the link, the link verifies from its own account's
//! session only (never the owner's click on a squatter's account), a
//! tampered or expired token changes nothing, and guest orders placed before
//! the verification join the account then (later ones stay guest orders).

use comptoir_e2e::{TestApp, spawn_quiet_app};
use comptoir_functions::accounts::verification;
use comptoir_functions::config::DEV_VERIFICATION_SECRET;
use comptoir_functions::port::Value;
use comptoir_shared::calendar::{DAY_MS, days_from_civil};
use comptoir_shared::ids::OpaqueId;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";
const HOUR: i64 = 3_600_000;

/// Noon UTC on a date (13:00 or 14:00 in Paris: the same day).
fn noon(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * DAY_MS + 12 * HOUR
}

/// Midnight in Paris (winter time) on the first of a month.
fn paris_month_start(y: i64, m: u32) -> i64 {
    days_from_civil(y, m, 1) * DAY_MS - HOUR
}

/// A paid order (guest, or as `cookie`) moved to `email`, paid at `at`
/// for `cents`.
async fn order_at(
    app: &TestApp,
    cookie: Option<&str>,
    email: &str,
    at: i64,
    cents: i64,
) -> anyhow::Result<String> {
    let order = app.paid_order_as(cookie, SKU, 1).await?;
    app.execute(
        "UPDATE orders SET email = ?2, created_at = ?3, paid_at = ?3, total_cents = ?4 WHERE id = ?1",
        &[
            Value::Text(order.clone()),
            Value::Text(email.to_owned()),
            Value::Integer(at),
            Value::Integer(cents),
        ],
    )
    .await?;
    Ok(order)
}

#[tokio::test]
async fn cohorts_on_generated_orders_equal_the_hand_computed_table() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let staff = app.staff("warehouse").await?;
    let carol = app.sign_up("carol@exemple.fr").await?;

    // a (guest; one order typed in capitals): 10 Jan 2025 50 €, 20 Feb 30 €, 5 Apr 20 €.
    order_at(&app, None, "alice@exemple.fr", noon(2025, 1, 10), 5000).await?;
    order_at(&app, None, "Alice@Exemple.FR", noon(2025, 2, 20), 3000).await?;
    order_at(&app, None, "alice@exemple.fr", noon(2025, 4, 5), 2000).await?;
    // b (guest): 15 Jan 2025 100 €, refunded later — still a purchase.
    let b = order_at(&app, None, "bob@exemple.fr", noon(2025, 1, 15), 10_000).await?;
    app.execute(
        "UPDATE orders SET status = 'refunded' WHERE id = ?1",
        &[Value::Text(b)],
    )
    .await?;
    // c (an account): 25 Jan 2025 40 €, 25 Jan 2026 10 € (offset 12, day 365).
    order_at(
        &app,
        Some(carol.as_str()),
        "carol@exemple.fr",
        noon(2025, 1, 25),
        4000,
    )
    .await?;
    order_at(
        &app,
        Some(carol.as_str()),
        "carol@exemple.fr",
        noon(2026, 1, 25),
        1000,
    )
    .await?;
    // d (guest): 3 Feb, 13 Feb, 3 Mar 2025, 60 € each.
    for day in [(2, 3), (2, 13), (3, 3)] {
        order_at(&app, None, "dan@exemple.fr", noon(2025, day.0, day.1), 6000).await?;
    }
    // e first paid in December 2024: not a customer of the period.
    order_at(&app, None, "eve@exemple.fr", noon(2024, 12, 1), 1000).await?;
    order_at(&app, None, "eve@exemple.fr", noon(2025, 1, 10), 1000).await?;
    // f never paid: not a customer.
    let unpaid = app.placed_order(None, SKU, 1).await?;
    app.execute(
        "UPDATE orders SET email = 'fay@exemple.fr', created_at = ?2 WHERE id = ?1",
        &[Value::Text(unpaid), Value::Integer(noon(2025, 1, 20))],
    )
    .await?;

    let (from, to) = (paris_month_start(2025, 1), paris_month_start(2025, 3));
    let r: Json = app
        .get_as(&staff, &format!("/api/kpis/retention?from={from}&to={to}"))
        .await?
        .expect(200)?;
    // By hand: cohort 2025-01 = a, b, c; a comes back in February (offset 1)
    // and April (offset 3); c's January 2026 is offset 12, outside. Cohort
    // 2025-02 = d, back in March.
    assert_eq!(r["cohorts"][0]["month"], "2025-01");
    assert_eq!(r["cohorts"][0]["customers"], 3);
    assert_eq!(
        r["cohorts"][0]["active"],
        json!([3, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        r["cohorts"][0]["active_bps"],
        json!([10000, 3333, 0, 3333, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(r["cohorts"][1]["month"], "2025-02");
    assert_eq!(
        r["cohorts"][1]["active"],
        json!([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(r["cohorts"].as_array().map(Vec::len), Some(2));
    // a, c and d ordered twice or more: 3 of 4.
    assert_eq!(
        (&r["customers"], &r["repeat_customers"]),
        (&json!(4), &json!(3))
    );
    assert_eq!(r["repeat_purchase_bps"], 7500);
    // Gaps: a 41 and 44 days, c 365, d 10 and 18: the median is 41 days.
    assert_eq!(r["median_ms_between_orders"], 41 * DAY_MS);
    // 365 days from each first order: a 100 €, b 100 €, c 40 €, d 180 € → 105 €.
    assert_eq!(r["revenue_per_customer_12m"]["amount"], 10_500);
    assert_eq!(r["customers_with_12_months"], 4);

    // Customers only; the period is checked.
    let customer = app.get_as(&carol, "/api/kpis/retention").await?;
    assert_eq!(customer.status, 403);
    let backwards = app
        .get_as(&staff, &format!("/api/kpis/retention?from={to}&to={from}"))
        .await?;
    assert_eq!(backwards.status, 422);
    Ok(())
}

#[tokio::test]
async fn feedback_trends_give_csat_and_nps_per_month_and_the_latest_comments() -> anyhow::Result<()>
{
    let app = spawn_quiet_app().await?;
    let staff = app.staff("support").await?;
    let customer = app.customer().await?;
    let account = app
        .text(
            "SELECT id FROM accounts WHERE email = 'marie.curie@exemple.fr'",
            &[],
        )
        .await?;
    let answers = [
        (noon(2026, 9, 3), 5, 10, "Parfait"),
        (noon(2026, 9, 20), 4, 9, ""),
        (noon(2026, 9, 28), 1, 3, "Colis abîmé"),
        (noon(2026, 11, 2), 2, 7, "Livraison lente"),
    ];
    let mut orders = Vec::new();
    for (at, csat, nps, comment) in answers {
        let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
        app.execute(
            "INSERT INTO surveys (order_id, customer_id, csat, nps, comment, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                Value::Text(order.clone()),
                Value::Text(account.clone()),
                Value::Integer(csat),
                Value::Integer(nps),
                Value::Text(comment.to_owned()),
                Value::Integer(at),
            ],
        )
        .await?;
        orders.push(order);
    }
    let (from, to) = (paris_month_start(2026, 9), paris_month_start(2026, 12));
    let t: Json = app
        .get_as(&staff, &format!("/api/kpis/feedback?from={from}&to={to}"))
        .await?
        .expect(200)?;
    // September: CSAT (5 + 4 + 1) / 3 = 3.333, NPS 2 promoters − 1
    // detractor of 3 = 33; October: nothing; November: CSAT 2, NPS 0.
    assert_eq!(
        t["months"],
        json!([
            {"month": "2026-09", "responses": 3, "csat_average_milli": 3333, "nps": 33},
            {"month": "2026-10", "responses": 0, "csat_average_milli": null, "nps": null},
            {"month": "2026-11", "responses": 1, "csat_average_milli": 2000, "nps": 0},
        ])
    );
    // Comments newest first, the empty one left out, each with its order.
    let comments: Vec<(&str, &str, i64)> = t["comments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["comment"].as_str().unwrap_or_default(),
                c["order_id"].as_str().unwrap_or_default(),
                c["nps"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        comments,
        vec![
            ("Livraison lente", orders[3].as_str(), 7),
            ("Colis abîmé", orders[2].as_str(), 3),
            ("Parfait", orders[0].as_str(), 10),
        ]
    );
    Ok(())
}

/// The token of the newest verification link sent to `email`.
async fn link_token(app: &TestApp, email: &str) -> anyhow::Result<String> {
    let rows = app
        .rows(
            "SELECT body, order_id FROM outbox WHERE kind = 'email_verification' AND recipient = ?1 \
             ORDER BY created_at DESC",
            &[Value::Text(email.to_owned())],
        )
        .await?;
    let row = rows.first().ok_or_else(|| anyhow::anyhow!("no link"))?;
    assert_eq!(row.opt_text(1)?, None, "a verification is about no order");
    let body = row.text(0)?;
    let prefix = "/compte/verifier?token=";
    let start = body
        .find(prefix)
        .ok_or_else(|| anyhow::anyhow!("no link in {body}"))?;
    Ok(body[start + prefix.len()..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned())
}

async fn my_orders(app: &TestApp, cookie: &str) -> anyhow::Result<Vec<String>> {
    let orders: Json = app
        .get_as(cookie, "/api/accounts/me/orders")
        .await?
        .expect(200)?;
    Ok(orders
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["id"].as_str().map(str::to_owned))
        .collect())
}

#[tokio::test]
async fn a_signed_link_verifies_the_email_and_only_then_attaches_guest_orders() -> anyhow::Result<()>
{
    let app = spawn_quiet_app().await?;
    let email = "marie.curie@exemple.fr";
    let guest_order = app.paid_order(SKU, 1).await?;
    let customer = app.customer().await?;
    let account = app
        .text(
            "SELECT id FROM accounts WHERE email = ?1",
            &[Value::Text(email.into())],
        )
        .await?;

    // Before verification the portal does not show the guest order.
    assert!(my_orders(&app, &customer).await?.is_empty());
    let token = link_token(&app, email).await?;
    assert!(token.starts_with(&format!("{account}.")), "{token}");

    // A tampered token, a token for another account, an expired one and
    // garbage are refused with their typed error, and nothing changes.
    let before = app.fingerprint().await?;
    let last = token.chars().last().unwrap_or('0');
    let tampered = format!(
        "{}{}",
        &token[..token.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    let expired = verification::token(
        DEV_VERIFICATION_SECRET,
        &OpaqueId::parse(&account)?,
        email,
        comptoir_e2e::now_ms() - 1,
    );
    let forged_key = verification::token(
        "not the shop's key",
        &OpaqueId::parse(&account)?,
        email,
        comptoir_e2e::now_ms() + DAY_MS,
    );
    for (token, status, error) in [
        (tampered.as_str(), 400, "invalid_signature"),
        (forged_key.as_str(), 400, "invalid_signature"),
        (expired.as_str(), 422, "validation"),
        ("not-a-token", 422, "validation"),
    ] {
        let answer = app
            .send_as(
                &customer,
                "POST",
                "/api/accounts/verify",
                &json!({ "token": token }),
            )
            .await?;
        assert_eq!(
            (answer.status, answer.json["error"].as_str()),
            (status, Some(error)),
            "{token}"
        );
    }
    assert_eq!(
        app.fingerprint().await?,
        before,
        "a refused token wrote something"
    );
    assert!(my_orders(&app, &customer).await?.is_empty());

    // The link verifies, signed in to its account, and attaches.
    let verified: Json = app
        .send_as(
            &customer,
            "POST",
            "/api/accounts/verify",
            &json!({ "token": token }),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        (&verified["email"], &verified["attached_orders"]),
        (&json!(email), &json!(1))
    );
    assert_eq!(my_orders(&app, &customer).await?, vec![guest_order.clone()]);
    // Idempotent: the same answer, nothing more attached — not even a
    // guest order placed under the address since: it stays a guest order
    // (an order joins the account when placed signed in).
    let later_guest_order = app.paid_order(SKU, 1).await?;
    let again: Json = app
        .send_as(
            &customer,
            "POST",
            "/api/accounts/verify",
            &json!({ "token": token }),
        )
        .await?
        .expect(200)?;
    assert_eq!(again["verified_at_ms"], verified["verified_at_ms"]);
    assert_eq!(again["attached_orders"], 0);
    assert_eq!(my_orders(&app, &customer).await?, vec![guest_order.clone()]);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM orders WHERE id = ?1 AND customer_id IS NULL",
            &[Value::Text(later_guest_order)],
        )
        .await?,
        1
    );
    let signed_in_order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    assert!(my_orders(&app, &customer).await?.contains(&signed_in_order));
    let asked = app
        .send_as(&customer, "POST", "/api/accounts/verification", &json!({}))
        .await?;
    assert_eq!(
        (asked.status, asked.json["error"].as_str()),
        (409, Some("conflict"))
    );

    // Another customer asks for a new link: written once within the hour.
    let other = app.sign_up("pierre@exemple.fr").await?;
    let sent: Json = app
        .send_as(&other, "POST", "/api/accounts/verification", &json!({}))
        .await?
        .expect(202)?;
    assert_eq!(sent["email"], "pierre@exemple.fr");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'email_verification' AND recipient = 'pierre@exemple.fr'",
            &[],
        )
        .await?,
        1
    );
    // A changed e-mail breaks the old link.
    let pierre_token = link_token(&app, "pierre@exemple.fr").await?;
    app.execute(
        "UPDATE accounts SET email = 'pierre.curie@exemple.fr' WHERE email = 'pierre@exemple.fr'",
        &[],
    )
    .await?;
    let stale = app
        .send_as(
            &other,
            "POST",
            "/api/accounts/verify",
            &json!({ "token": pierre_token }),
        )
        .await?;
    assert_eq!(stale.status, 400);
    Ok(())
}

#[tokio::test]
async fn a_link_verifies_only_from_a_session_of_its_own_account_so_a_squatter_gains_nothing()
-> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    // Marie bought as a guest; a squatter then signs up with her address.
    let email = "marie.curie@exemple.fr";
    let guest_order = app.paid_order(SKU, 1).await?;
    let squatter = app.sign_up(email).await?;
    // The link reaches Marie's mailbox; she has no account on the shop, or
    // one under another address, or it is a staff member who opens it.
    let token = link_token(&app, email).await?;
    let marie_elsewhere = app.sign_up("marie@autre-exemple.fr").await?;
    let support = app.staff("support").await?;
    let before = app.fingerprint().await?;
    let body = json!({ "token": token });
    let anonymous = app.send("POST", "/api/accounts/verify", &body).await?;
    assert_eq!(
        (anonymous.status, anonymous.json["error"].as_str()),
        (401, Some("unauthorized"))
    );
    for cookie in [&marie_elsewhere, &support] {
        let other = app
            .send_as(cookie, "POST", "/api/accounts/verify", &body)
            .await?;
        assert_eq!(
            (other.status, other.json["error"].as_str()),
            (403, Some("forbidden"))
        );
    }
    assert_eq!(
        app.fingerprint().await?,
        before,
        "a refused verification wrote something"
    );
    // The squatter's account stays unverified and sees no guest order.
    assert!(my_orders(&app, &squatter).await?.is_empty());
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM accounts WHERE email = ?1 AND email_verified_at IS NULL",
            &[Value::Text(email.into())],
        )
        .await?,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM orders WHERE id = ?1 AND customer_id IS NULL",
            &[Value::Text(guest_order)],
        )
        .await?,
        1
    );
    Ok(())
}

/// The staff page and the link's page in headless Chromium (skipped with
/// the other browser modules: `-- --skip browser::`). Screenshots go to
/// `e2e/screenshots/<test>/`.
mod browser {
    use comptoir_e2e::browser::Browser;
    use comptoir_e2e::{now_ms, spawn_app};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn staff_read_the_cohort_heatmap_and_a_customer_verifies_by_the_link()
    -> anyhow::Result<()> {
        anyhow::ensure!(
            comptoir_e2e::workspace()
                .join("dist/admin/index.html")
                .exists(),
            "build the storefront first: infra/build-storefront.sh"
        );
        let app = spawn_app().await?;
        // Three cohorts within the last year: alice 150 days ago (back 40
        // days later, a later month), bob 90 days ago (60 days on: another
        // month), and carol, who rates her order, now.
        let now = now_ms();
        for (email, days) in [
            ("alice@exemple.fr", 150),
            ("alice@exemple.fr", 110),
            ("bob@exemple.fr", 90),
        ] {
            order_at(&app, None, email, now - days * DAY_MS, 4200).await?;
        }
        app.staff("support").await?;
        let customer = app.sign_up("carol@exemple.fr").await?;
        let rated = app.paid_order_as(Some(&customer), SKU, 1).await?;
        let account = app
            .text(
                "SELECT id FROM accounts WHERE email = 'carol@exemple.fr'",
                &[],
            )
            .await?;
        app.execute(
            "INSERT INTO surveys (order_id, customer_id, csat, nps, comment, at) VALUES (?1, ?2, 2, 4, 'Colis abîmé', ?3)",
            &[Value::Text(rated), Value::Text(account), Value::Integer(now - DAY_MS)],
        )
        .await?;
        let token = link_token(&app, "carol@exemple.fr").await?;

        let b = Browser::start("retention_heatmap_and_verification").await?;
        let journey = async {
            b.open(&app.base, "/admin").await?;
            b.fill("#email", "support@comptoir.test").await?;
            b.fill("#password", "mot de passe du personnel").await?;
            b.click("#sign-in").await?;
            b.wait_contains("#staff-who", "support").await?;
            b.click("nav a[href='/admin/fidelisation']").await?;
            b.wait_contains("#cohorts-table", "1 (100 %)").await?;
            let label = b
                .find("#chart-cohorts")
                .await?
                .attr("aria-label")
                .await?
                .unwrap_or_default();
            anyhow::ensure!(label.contains("3 cohortes, 3 clients"), "{label}");
            b.wait_contains("#retention-repeat", "33,3 %").await?;
            b.shot("1-cohorts").await?;
            b.wait_contains("#feedback-comments", "Colis abîmé").await?;
            for chart in ["#chart-csat", "#chart-nps"] {
                let label = b.find(chart).await?.attr("aria-label").await?;
                anyhow::ensure!(label.is_some_and(|l| l.contains("par mois")), "{chart}");
            }
            b.click("#retention-730").await?;
            b.wait_contains("#cohorts-table", "1 (100 %)").await?;
            b.shot("2-two-years").await?;

            // Signed in as support, the link is another account's: refused.
            b.open(&app.base, &format!("/compte/verifier?token={token}"))
                .await?;
            b.wait_contains("#verify-other-account", "autre compte")
                .await?;
            // Signed out, the page asks to sign in and comes back, token kept.
            b.client.delete_all_cookies().await?;
            b.open(&app.base, &format!("/compte/verifier?token={token}x"))
                .await?;
            b.wait_contains("#verify-sign-in", "connectez-vous").await?;
            b.shot("3-sign-in-first").await?;
            b.click("#verify-sign-in-link").await?;
            // Signing up instead would come back to the link too.
            b.wait_contains("#sign-up-link", "Créer un compte").await?;
            let sign_up = b.find("#sign-up-link").await?.attr("href").await?;
            anyhow::ensure!(
                sign_up.as_deref().is_some_and(|href| href
                    .contains("/compte/inscription?retour=%2Fcompte%2Fverifier%3Ftoken%3D")),
                "{sign_up:?}"
            );
            b.fill("#email", "carol@exemple.fr").await?;
            b.fill("#password", "radium et polonium").await?;
            b.click("#sign-in").await?;
            b.wait_contains("#verify-expired", "expiré").await?;
            b.open(&app.base, &format!("/compte/verifier?token={token}"))
                .await?;
            b.wait_contains("#verify-done", "carol@exemple.fr").await?;
            b.shot("4-verified").await
        }
        .await;
        b.finish(journey).await
    }
}
