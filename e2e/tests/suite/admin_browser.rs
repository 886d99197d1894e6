//! The staff area in headless Chromium, one flow per role: warehouse ships
//! an order, finance approves a refund, support answers a customer, admin
//! watches the dashboard move after a new paid order, then reads the books
//! and renumbers an account. Screenshots go to `e2e/screenshots/<test>/`.

use comptoir_e2e::browser::Browser;
use comptoir_e2e::{TestApp, spawn_app};
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

async fn app() -> anyhow::Result<TestApp> {
    anyhow::ensure!(
        comptoir_e2e::workspace()
            .join("dist/admin/index.html")
            .exists(),
        "build the storefront first: infra/build-storefront.sh"
    );
    spawn_app().await
}

/// Signs the `role` account (created by `TestApp::staff`) in on `/admin`.
async fn sign_in(b: &Browser, app: &TestApp, role: &str) -> anyhow::Result<()> {
    app.staff(role).await?;
    b.open(&app.base, "/admin").await?;
    b.fill("#email", &format!("{role}@comptoir.test")).await?;
    b.fill("#password", "mot de passe du personnel").await?;
    b.click("#sign-in").await?;
    b.wait_contains("#staff-who", role).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warehouse_picks_and_ships_an_order_from_the_board() -> anyhow::Result<()> {
    let app = app().await?;
    let order = app.paid_order(SKU, 1).await?;
    let b = Browser::start("admin_warehouse_ships").await?;
    let journey = async {
        sign_in(&b, &app, "warehouse").await?;
        let nav = b.find("nav[aria-label='Sections']").await?.text().await?;
        anyhow::ensure!(
            nav.contains("Stock") && !nav.contains("Remboursements") && !nav.contains("Catalogue"),
            "warehouse sees its sections only: {nav}"
        );
        b.click("nav a[href='/admin/commandes']").await?;
        b.wait_contains("#orders-board", "Payée").await?;
        b.shot("1-board").await?;
        b.click(&format!("a[href='/admin/commandes/{order}']"))
            .await?;
        b.click("#start-picking").await?;
        b.wait_text("#staff-order-status", "En préparation").await?;
        b.fill("#tracking", "6A99887766").await?;
        b.click("#ship").await?;
        b.wait_text("#staff-order-status", "Expédiée").await?;
        b.wait_contains("#staff-tracking", "6A99887766").await?;
        b.shot("2-shipped").await?;
        b.click("nav a[href='/admin/stock']").await?;
        b.click(&format!("#sku-{SKU}")).await?;
        b.fill("#receive-qty", "5").await?;
        b.fill("#receive-note", "BL-42").await?;
        b.click("#receive").await?;
        b.wait_contains("#movements", "BL-42").await?;
        b.shot("3-received").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM stock_movements WHERE sku = ?1 AND kind = 'receipt' AND quantity = 5 AND note = 'BL-42 (warehouse@comptoir.test)'",
            &[Value::Text(SKU.into())],
        )
        .await?,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM orders WHERE id = ?1 AND status = 'shipped' AND tracking_number = '6A99887766'",
            &[Value::Text(order)],
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finance_approves_a_return_from_the_queue() -> anyhow::Result<()> {
    let app = app().await?;
    let customer = app.sign_up("marie.curie@exemple.fr").await?;
    let order = app.paid_order_as(Some(&customer), SKU, 2).await?;
    app.deliver(&order).await?;
    app.send_as(
        &customer,
        "POST",
        "/api/refunds",
        &json!({"order_id": order, "lines": [{"sku": SKU, "quantity": 1}], "reason": "Trop petit"}),
    )
    .await?
    .expect::<Json>(201)?;
    let b = Browser::start("admin_finance_refund").await?;
    let journey = async {
        sign_in(&b, &app, "finance").await?;
        b.click("nav a[href='/admin/remboursements']").await?;
        b.wait_contains("#refund-queue .requested", "35,00\u{a0}€")
            .await?;
        b.wait_contains("#refund-queue .captured", "70,00\u{a0}€")
            .await?;
        b.shot("1-queue").await?;
        b.click("#refund-queue .approve").await?;
        b.find("#refund-queue-empty").await?;
        b.shot("2-approved").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1 AND status IN ('pending', 'succeeded') AND amount_cents = 3500",
            &[Value::Text(order)],
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_answers_a_customer_who_reads_it_in_their_portal() -> anyhow::Result<()> {
    let app = app().await?;
    let customer = app.sign_up("marie.curie@exemple.fr").await?;
    let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    let thread: Json = app
        .send_as(
            &customer,
            "POST",
            "/api/support/threads",
            &json!({"order_id": order, "subject": "Livraison", "body": "Quand arrive mon colis ?"}),
        )
        .await?
        .expect(201)?;
    let id = thread["id"].as_str().unwrap_or_default().to_owned();
    let b = Browser::start("admin_support_reply").await?;
    let journey = async {
        sign_in(&b, &app, "support").await?;
        b.click("nav a[href='/admin/support']").await?;
        b.wait_contains("#inbox", "Livraison").await?;
        b.shot("1-inbox").await?;
        b.click(&format!("a[href='/admin/support/{id}']")).await?;
        b.wait_contains("#thread-messages", "Quand arrive mon colis ?")
            .await?;
        b.fill("#reply", "Il part demain matin en Colissimo.")
            .await?;
        b.click("#send-reply").await?;
        b.wait_contains("#thread-messages", "Il part demain matin")
            .await?;
        b.wait_text("#thread-status-now", "En attente du client")
            .await?;
        b.shot("2-replied").await
    }
    .await;
    b.finish(journey).await?;
    let seen: Json = app
        .get_as(&customer, &format!("/api/support/threads/{id}"))
        .await?
        .expect(200)?;
    assert_eq!(seen["messages"][1]["author"], "staff");
    assert_eq!(
        seen["messages"][1]["body"],
        "Il part demain matin en Colissimo."
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sees_the_dashboard_move_after_a_new_paid_order() -> anyhow::Result<()> {
    let app = app().await?;
    let b = Browser::start("admin_dashboard").await?;
    let journey = async {
        sign_in(&b, &app, "admin").await?;
        b.wait_text("#kpi-paid-orders", "0").await?;
        b.wait_text("#kpi-revenue", "0,00\u{a0}€").await?;
        b.shot("1-before").await?;
        app.paid_order(SKU, 2).await?;
        b.client.refresh().await?;
        b.wait_text("#kpi-paid-orders", "1").await?;
        b.wait_text("#kpi-revenue", "70,00\u{a0}€").await?;
        b.wait_text("#kpi-aov", "70,00\u{a0}€").await?;
        b.wait_text("#kpi-conversion", "100,0 %").await?;
        let total = b
            .find("#chart-orders")
            .await?
            .attr("data-total")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(total == "1", "orders chart total {total}");
        // The visitor funnel, its numbers in the chart's text alternative.
        let funnel = b
            .find("#chart-funnel")
            .await?
            .attr("aria-label")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(
            funnel.contains("Visites : 0") && funnel.contains("Commandes payées : 1"),
            "funnel chart: {funnel}"
        );
        b.shot("2-after").await?;
        b.client
            .execute(
                "document.getElementById('funnel-title').scrollIntoView()",
                vec![],
            )
            .await?;
        b.shot("3-funnel").await
    }
    .await;
    b.finish(journey).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_reads_the_books_pays_out_and_renumbers_an_account() -> anyhow::Result<()> {
    let app = app().await?;
    let order = app.paid_order(SKU, 2).await?;
    let b = Browser::start("admin_finance_books").await?;
    let journey = async {
        sign_in(&b, &app, "admin").await?;
        // The order's invoice, with its PDF, on the staff order page.
        b.open(&app.base, &format!("/admin/commandes/{order}"))
            .await?;
        b.find("#documents a[href^='/api/finance/documents/']")
            .await?;
        b.open(&app.base, "/admin/finance").await?;
        b.wait_contains("#journal-lines tbody", "VE").await?;
        b.wait_contains("#vat-report", "20 %").await?;
        b.wait_contains("#documents-register tbody td:first-child", "F20")
            .await?;
        b.wait_contains("#chart-customers", "411000").await?;
        b.wait_contains("#chart-customers .chart-origin", "par défaut")
            .await?;
        b.shot("1-books").await?;
        b.click("#sandbox-payout").await?;
        b.wait_contains("#payout-done", "Virement po_sandbox_")
            .await?;
        // The payout reaches the bank (512): the journal is read again.
        b.wait_contains("#journal-lines tbody", "512000").await?;
        b.fill("#chart-number-customers", "41").await?;
        b.click("#chart-customers .save-account").await?;
        b.wait_contains("#chart-customers [role=alert]", "3 à 10 chiffres")
            .await?;
        b.fill("#chart-number-customers", "411100").await?;
        b.fill("#chart-name-customers", "Clients boutique").await?;
        b.click("#chart-customers .save-account").await?;
        b.wait_text("#chart-customers [role=status]", "Enregistré.")
            .await?;
        b.wait_text("#chart-customers .chart-number", "411100")
            .await?;
        b.wait_text("#chart-customers .chart-origin", "personnalisé")
            .await?;
        b.shot("2-paid-out-and-renumbered").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM chart_of_accounts WHERE role = 'customers' AND number = '411100' AND name = 'Clients boutique'",
            &[],
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_translates_a_product_and_a_category_for_the_english_shop() -> anyhow::Result<()> {
    let app = app().await?;
    let b = Browser::start("admin_translations").await?;
    let journey = async {
        sign_in(&b, &app, "admin").await?;
        b.open(&app.base, "/admin/catalogue").await?;
        // The shop's first product (the linen T-shirt) and first category.
        b.click("#admin-products tbody tr:first-child .button-link")
            .await?;
        b.wait_text("#edit-title", "T-shirt en lin").await?;
        b.fill("#product-name-en", "Linen tee").await?;
        b.click("#save-product").await?;
        b.wait_text(".panel .notice-ok", "Enregistré.").await?;
        let row = "#admin-categories tbody tr:first-child";
        b.wait_contains(row, "Hauts").await?;
        b.fill("#category-en-0", "Tops and shirts").await?;
        b.click(&format!("{row} button[type=submit]")).await?;
        b.wait_text(&format!("{row} [role=status]"), "Enregistré.")
            .await?;
        b.shot("1-translated").await?;
        b.open(&app.base, "/en/?category=Hauts").await?;
        b.wait_text("h1", "Tops and shirts").await?;
        b.wait_contains(".product-card", "Linen tee").await?;
        b.open(&app.base, "/?category=Hauts").await?;
        b.wait_text("h1", "Hauts").await?;
        b.wait_contains(".product-card", "T-shirt en lin").await?;
        b.shot("2-both-shops").await
    }
    .await;
    b.finish(journey).await
}

/// A page of another origin of the same site (`127.0.0.1`, another port):
/// the browser sends the admin's cookies along (same site, even with
/// `SameSite=Strict`), so only the shop's origin check stands in the way.
fn attacker_page(shop: &str) -> String {
    let target = format!("{shop}/api/accounts/staff");
    let json =
        r#"{"email":"pirate@evil.test","password":"un mot de passe pirate","role":"admin","x":""#;
    format!(
        r#"<!doctype html><html><head><title>attaque</title></head><body>
<iframe name="f1"></iframe><iframe name="f2"></iframe>
<form id="plain" method="post" action="{target}" enctype="text/plain" target="f1">
  <input type="hidden" name='{json}' value='"}}'>
</form>
<form id="multipart" method="post" action="{target}" enctype="multipart/form-data" target="f2">
  <input type="hidden" name="email" value="pirate2@evil.test">
  <input type="hidden" name="password" value="un mot de passe pirate">
  <input type="hidden" name="role" value="admin">
</form>
<script>
  document.getElementById("plain").submit();
  document.getElementById("multipart").submit();
  fetch("{target}", {{
    method: "POST", mode: "no-cors", credentials: "include",
    headers: {{"Content-Type": "application/json"}},
    body: JSON.stringify({{email: "pirate3@evil.test", password: "un mot de passe pirate", role: "admin"}})
  }}).finally(() => setTimeout(() => {{ document.title = "fini"; }}, 1500));
</script></body></html>"#
    )
}

/// A page that breaks the shop's own Content-Security-Policy (an inline
/// script), to prove the browser journeys' CSP check can fail.
const CSP_BREAKER: &str = "<!doctype html><html><head><title>csp</title></head><body><script>document.title = 'inline';</script></body></html>";

async fn serve_attacker(shop: String) -> anyhow::Result<String> {
    let page = attacker_page(&shop);
    let router = axum::Router::new()
        .route(
            "/attaque",
            axum::routing::get(move || {
                let page = page.clone();
                async move { axum::response::Html(page) }
            }),
        )
        .route(
            "/csp",
            axum::routing::get(|| async {
                (
                    [("content-security-policy", comptoir_shared::site::PAGE_CSP)],
                    axum::response::Html(CSP_BREAKER),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_a_sibling_origin_cannot_make_a_signed_in_admin_create_staff()
-> anyhow::Result<()> {
    let app = app().await?;
    let attacker = serve_attacker(app.base.clone()).await?;
    let accounts = app.scalar("SELECT COUNT(*) FROM accounts", &[]).await?;
    let b = Browser::start("admin_cross_origin").await?;
    let journey = async {
        sign_in(&b, &app, "admin").await?;
        b.open(&attacker, "/attaque").await?;
        for _ in 0..100 {
            if b.client.title().await? == "fini" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        anyhow::ensure!(
            b.client.title().await? == "fini",
            "the attack page ran to its end"
        );
        b.shot("1-attack-page").await?;
        // The admin is still signed in on the shop: the refusal was the origin check.
        b.open(&app.base, "/admin").await?;
        b.wait_contains("#staff-who", "admin").await?;
        // And the journeys' CSP check does catch a violation when there is one.
        b.csp_violations().await?;
        b.open(&attacker, "/csp").await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let violations = b.csp_violations().await?;
        anyhow::ensure!(
            violations.iter().any(|v| v.contains("inline")),
            "an inline script under the shop's CSP is reported: {violations:?}"
        );
        Ok(())
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM accounts", &[]).await?,
        accounts + 1,
        "only the admin the test signed in was added"
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM accounts WHERE email LIKE '%evil.test'",
            &[]
        )
        .await?,
        0
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warehouse_sees_an_escalation_reads_a_forecast_and_receives_a_purchase_order()
-> anyhow::Result<()> {
    let app = app().await?;
    // 3 sold a day for 60 days, 4 left; a paid order waiting for 30 hours
    // (the native timer's automation pass escalates it).
    app.sales_history(SKU, 184, 3, 61, 1).await?;
    let waiting = app.paid_order("TSL-BLEU-L", 1).await?;
    app.execute(
        "UPDATE orders SET paid_at = ?1 WHERE id = ?2",
        &[
            Value::Integer(comptoir_e2e::now_ms() - 30 * 3_600_000),
            Value::Text(waiting.clone()),
        ],
    )
    .await?;
    let b = Browser::start("admin_purchasing").await?;
    let journey = async {
        sign_in(&b, &app, "warehouse").await?;
        b.wait_contains("#alerts", &waiting[..8]).await?;
        b.shot("1-escalated").await?;

        b.open(&app.base, "/admin/achats").await?;
        b.fill("#supplier-name", "Filature du Nord").await?;
        b.fill("#supplier-email", "commandes@filature.test").await?;
        b.click("#create-supplier").await?;
        b.wait_contains("#suppliers", "Filature du Nord").await?;
        b.click(&format!("#forecast-{SKU}")).await?;
        b.wait_contains("#sku-forecast-chart", "").await?;
        let supplier = b.find("#supply-supplier option:nth-child(2)").await?;
        supplier.click().await?;
        b.fill("#supply-cost", "12,00").await?;
        b.click("#save-supply").await?;
        // The first row (soonest stockout), column "À commander".
        b.wait_text("#forecasts tbody tr:first-child td:nth-child(9)", "89")
            .await?;
        b.click(&format!("#forecast-{SKU}")).await?;
        let described = b
            .find("#sku-forecast-chart")
            .await?
            .attr("aria-label")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(described.contains("31 jours en rupture"), "{described}");
        let stock = b
            .find("#sku-stock-chart")
            .await?
            .attr("aria-label")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(stock.contains("point de commande (51)"), "{stock}");
        b.client
            .execute(
                "document.getElementById('sku-forecast-chart').scrollIntoView()",
                vec![],
            )
            .await?;
        b.shot("2-forecast").await?;

        b.click("#draft-orders").await?;
        b.wait_contains(".purchase-order", "Brouillon").await?;
        b.click(".purchase-order .actions button").await?;
        b.wait_contains(".purchase-order", "Envoyé").await?;
        b.fill(".purchase-order input[type=number]", "89").await?;
        b.click(".purchase-order button[type=submit]").await?;
        b.wait_contains(".purchase-order", "Reçu").await?;
        b.shot("3-received").await?;
        let shelf = app
            .scalar(
                "SELECT on_hand FROM stock WHERE sku = ?1",
                &[Value::Text(SKU.into())],
            )
            .await?;
        anyhow::ensure!(shelf == 4 + 89, "on hand {shelf}");
        Ok(())
    }
    .await;
    b.finish(journey).await
}
