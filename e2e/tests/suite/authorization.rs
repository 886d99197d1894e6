//! The authorization matrix: every staff route × every kind of caller
//! (anonymous, customer, admin, support, warehouse, finance), each cell
//! asserted. Allowed callers act on real records, from the shop's own
//! origin with JSON, so they get a 2xx; routes whose success changes what a
//! second call would see (a status change, a refund decision, a new account
//! or code) get a fresh record per cell. Before each allowed state change,
//! the same call from elsewhere (a sibling origin, `Sec-Fetch-Site`
//! cross-site or same-site, a `text/plain` or form body) is refused with its
//! typed error and leaves the database untouched.

use comptoir_e2e::{TestApp, spawn_quiet_app};
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

/// What a cell needs made just for it; `{fresh}` in the path or body names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fresh {
    Nothing,
    /// A paid guest order.
    PaidOrder,
    /// A customer's refund request on a shipped order.
    RefundRequest,
    /// An unused e-mail.
    Email,
    /// An unused promotion code.
    Code,
}

/// One row: the route, the body, who may call it (`a`dmin, `s`upport,
/// `w`arehouse, `f`inance), what they get, and what a (signed-in) customer gets.
struct Row {
    method: &'static str,
    path: String,
    body: Json,
    fresh: Fresh,
    allowed: &'static str,
    ok: u16,
    customer: u16,
}

fn row(method: &'static str, path: String, allowed: &'static str, ok: u16) -> Row {
    Row {
        method,
        path,
        body: Json::Null,
        fresh: Fresh::Nothing,
        allowed,
        ok,
        customer: 403,
    }
}

impl Row {
    fn body(mut self, body: Json) -> Self {
        self.body = body;
        self
    }
    fn fresh(mut self, fresh: Fresh) -> Self {
        self.fresh = fresh;
        self
    }
    fn customer(mut self, status: u16) -> Self {
        self.customer = status;
        self
    }
}

/// Status of `method path` sent by `cookie` (no JSON parsing: the CSV export
/// answers CSV).
async fn status(
    app: &TestApp,
    cookie: Option<&str>,
    method: &str,
    path: &str,
    body: &str,
) -> anyhow::Result<u16> {
    let mut request = app
        .http
        .request(method.parse()?, format!("{}{path}", app.base))
        .header("origin", &app.base)
        .header("content-type", "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if body != "null" {
        request = request.body(body.to_owned());
    }
    Ok(request.send().await?.status().as_u16())
}

fn id_of(answer: &Json) -> String {
    answer["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn every_staff_route_admits_exactly_its_roles() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let customer = app.customer().await?;
    let admin = app.staff("admin").await?;
    let support = app.staff("support").await?;
    let warehouse = app.staff("warehouse").await?;
    let finance = app.staff("finance").await?;

    // Records the allowed callers act on.
    app.send_as(
        &warehouse,
        "POST",
        &format!("/api/stock/{SKU}/receipts"),
        &json!({"quantity": 500}),
    )
    .await?
    .expect::<Json>(200)?;
    let order = app.paid_order_as(Some(&customer), SKU, 2).await?;
    let rated = app.paid_order_as(Some(&customer), SKU, 1).await?;
    app.deliver(&rated).await?;
    app.send_as(
        &customer,
        "POST",
        "/api/support/surveys",
        &json!({"order_id": rated, "csat": 5, "nps": 10}),
    )
    .await?
    .expect::<Json>(201)?;
    let thread = id_of(
        &app.send_as(
            &customer,
            "POST",
            "/api/support/threads",
            &json!({"order_id": order, "subject": "Question", "body": "Bonjour"}),
        )
        .await?
        .expect(201)?,
    );
    let refund = id_of(
        &app.send_as(
            &finance,
            "POST",
            "/api/refunds/direct",
            &json!({"order_id": order, "amount": {"amount": 100, "currency": "EUR"}, "reason": "geste"}),
        )
        .await?
        .expect(201)?,
    );
    let agent = id_of(
        &app.send_as(
            &admin,
            "POST",
            "/api/accounts/staff",
            &json!({"email": "agent@comptoir.test", "password": "un mot de passe solide", "role": "support"}),
        )
        .await?
        .expect(201)?,
    );
    let customer_id = id_of(
        &app.get_as(&customer, "/api/accounts/me")
            .await?
            .expect(200)?,
    );
    let product = "/api/catalog/admin/products/produit-matrice";
    app.send_as(
        &admin,
        "PUT",
        product,
        &json!({"name": "Produit", "category": "Tests", "image": "/img/x.svg"}),
    )
    .await?
    .expect::<Json>(201)?;
    let variant = json!({"size": "M", "price": {"amount": 1000, "currency": "EUR"}});
    app.send_as(
        &admin,
        "PUT",
        &format!("{product}/variants/MAT-1"),
        &variant,
    )
    .await?
    .expect::<Json>(201)?;
    let starts = comptoir_e2e::now_ms() - 1_000;
    let promotion = |code: &str| {
        json!({
            "code": code, "kind": {"type": "free_shipping"}, "min_subtotal": {"amount": 0, "currency": "EUR"},
            "starts_at_ms": starts, "ends_at_ms": null, "usage_limit": null, "per_customer_limit": null,
            "stackable": true, "active": true
        })
    };
    app.send_as(&admin, "POST", "/api/promotions", &promotion("MATRICE"))
        .await?
        .expect::<Json>(201)?;
    let costs = app
        .get_as(&admin, "/api/kpis/costs")
        .await?
        .expect::<Json>(200)?;

    let all = "aswf";
    let rows = vec![
        // Orders.
        row("GET", "/api/orders?status=paid".into(), all, 200),
        row("GET", "/api/orders/export.csv".into(), all, 200),
        row("GET", "/api/orders/stuck?hours=1".into(), all, 200),
        row("GET", "/api/orders/notifications".into(), "as", 200),
        row("GET", format!("/api/orders/{order}/staff"), all, 200),
        row("POST", format!("/api/orders/{order}/notes"), all, 201).body(json!({"body": "Note"})),
        row("POST", "/api/orders/{fresh}/status".into(), "aw", 200)
            .body(json!({"to": "picking"}))
            .fresh(Fresh::PaidOrder),
        row("POST", "/api/orders/{fresh}/status".into(), "as", 200)
            .body(json!({"to": "cancelled"}))
            .fresh(Fresh::PaidOrder),
        // Refunds.
        row("GET", "/api/refunds".into(), "asf", 200),
        row("POST", "/api/refunds/{fresh}/approve".into(), "af", 200)
            .body(json!({}))
            .fresh(Fresh::RefundRequest),
        row("POST", "/api/refunds/{fresh}/decline".into(), "af", 200)
            .body(json!({"note": "non"}))
            .fresh(Fresh::RefundRequest),
        row("POST", "/api/refunds/direct".into(), "af", 201).body(
            json!({"order_id": order, "amount": {"amount": 100, "currency": "EUR"}, "reason": "geste"}),
        ),
        row("POST", format!("/api/refunds/{refund}/execute"), "asf", 200),
        // Stock.
        row("GET", "/api/stock?low=1".into(), "aw", 200),
        row("GET", format!("/api/stock/{SKU}/movements"), "aw", 200),
        row("POST", format!("/api/stock/{SKU}/receipts"), "aw", 200).body(json!({"quantity": 1})),
        row("POST", format!("/api/stock/{SKU}/adjustments"), "aw", 200)
            .body(json!({"delta": 1, "reason": "recompte"})),
        // Staff, customers, audit.
        row("GET", "/api/accounts/staff".into(), "a", 200),
        row("POST", "/api/accounts/staff".into(), "a", 201)
            .body(json!({"email": "{fresh}", "password": "un mot de passe solide", "role": "finance"}))
            .fresh(Fresh::Email),
        row("POST", format!("/api/accounts/staff/{agent}"), "a", 200).body(json!({"role": "support"})),
        row("GET", "/api/accounts/customers?q=curie".into(), "as", 200),
        row("GET", format!("/api/accounts/customers/{customer_id}"), "as", 200),
        row("POST", format!("/api/accounts/customers/{customer_id}/notes"), "as", 201)
            .body(json!({"body": "Note"})),
        row("GET", "/api/audit?limit=5".into(), "a", 200),
        // Support (the customer here owns the thread and the survey).
        row("GET", "/api/support/threads?status=open".into(), "as", 200).customer(200),
        row("GET", format!("/api/support/threads/{thread}"), "as", 200).customer(200),
        row("POST", format!("/api/support/threads/{thread}/messages"), "as", 200)
            .body(json!({"body": "Réponse"}))
            .customer(200),
        row("POST", format!("/api/support/threads/{thread}/status"), "as", 200)
            .body(json!({"status": "closed"})),
        row("GET", format!("/api/support/surveys/{rated}"), all, 200).customer(200),
        // Catalog and promotions.
        row("GET", "/api/catalog/admin/products".into(), "a", 200),
        row("PUT", product.into(), "a", 200)
            .body(json!({"name": "Produit", "category": "Tests", "image": "/img/x.svg"})),
        row("POST", format!("{product}/published"), "a", 200).body(json!({"published": true})),
        row("PUT", format!("{product}/variants/MAT-1"), "a", 200).body(variant.clone()),
        row("GET", "/api/catalog/admin/categories".into(), "a", 200),
        row("PUT", "/api/catalog/admin/categories/Tests".into(), "a", 200)
            .body(json!({"translations": {"en": "Tests"}})),
        row("GET", "/api/promotions".into(), "a", 200),
        row("POST", "/api/promotions".into(), "a", 201)
            .body(promotion("{fresh}"))
            .fresh(Fresh::Code),
        row("PUT", "/api/promotions/MATRICE".into(), "a", 200).body(promotion("MATRICE")),
        row("POST", "/api/promotions/MATRICE/disable".into(), "a", 200),
        // KPIs.
        row("GET", "/api/kpis".into(), all, 200),
        row("GET", "/api/kpis/costs".into(), all, 200),
        row("PUT", "/api/kpis/costs".into(), "a", 200).body(costs),
        // Accounting.
        row("GET", "/api/finance/documents?kind=invoice".into(), "af", 200),
        row("GET", "/api/finance/journal?year=2026".into(), "af", 200),
        row("GET", "/api/finance/fec?year=2026".into(), "af", 200),
        row("GET", "/api/finance/vat-report?year=2026".into(), "af", 200),
        row("GET", "/api/finance/vat-report.csv?year=2026".into(), "af", 200),
        row("POST", "/api/finance/years/2001/close".into(), "af", 200).body(json!({})),
        row("GET", "/api/finance/billing-errors?open=true".into(), "af", 200),
        row("POST", "/api/payments/payouts/sandbox".into(), "af", 200).body(json!({})),
        row("GET", "/api/finance/chart".into(), "af", 200),
        row("PUT", "/api/finance/chart/suspense".into(), "a", 200)
            .body(json!({"number": "471100", "name": "Encaissements à régulariser"})),
    ];

    let actors: [(&str, Option<&str>); 6] = [
        ("anonymous", None),
        ("customer", Some(&customer)),
        ("admin", Some(&admin)),
        ("support", Some(&support)),
        ("warehouse", Some(&warehouse)),
        ("finance", Some(&finance)),
    ];
    let mut fresh_count = 0u32;
    let mut failures = Vec::new();
    let mut table = String::new();
    for r in &rows {
        let mut line = format!("{:<6} {:<58}", r.method, r.path);
        for (name, cookie) in actors {
            let expected = match name {
                "anonymous" => 401,
                "customer" => r.customer,
                role if r.allowed.contains(&role[..1]) => r.ok,
                _ => 403,
            };
            fresh_count += 1;
            let fresh = match r.fresh {
                Fresh::Nothing => String::new(),
                Fresh::PaidOrder => app.paid_order(SKU, 1).await?,
                Fresh::RefundRequest => {
                    let shipped = app.paid_order_as(Some(&customer), SKU, 1).await?;
                    app.ship(&shipped, "6A1").await?;
                    id_of(
                        &app.send_as(
                            &customer,
                            "POST",
                            "/api/refunds",
                            &json!({"order_id": shipped, "lines": [{"sku": SKU, "quantity": 1}], "reason": "x"}),
                        )
                        .await?
                        .expect(201)?,
                    )
                }
                Fresh::Email => format!("staff{fresh_count}@comptoir.test"),
                Fresh::Code => format!("CODE{fresh_count}"),
            };
            let path = r.path.replace("{fresh}", &fresh);
            let body = r.body.to_string().replace("{fresh}", &fresh);
            if r.method != "GET" && expected < 300 {
                // The same call from another origin or as another media type: refused, nothing written.
                failures.extend(
                    app.refusals_from_elsewhere(cookie, r.method, &path, &body)
                        .await?,
                );
            }
            let got = status(&app, cookie, r.method, &path, &body).await?;
            line.push_str(&format!(" {name}={got}"));
            if got != expected {
                failures.push(format!(
                    "{} {path} as {name}: expected {expected}, got {got}",
                    r.method
                ));
            }
        }
        table.push_str(&line);
        table.push('\n');
    }
    println!(
        "authorization matrix: {} routes x {} callers = {} cells\n{table}",
        rows.len(),
        actors.len(),
        rows.len() * actors.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}
