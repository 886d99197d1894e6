//! The edge every function sits behind: state changes only from the shop's
//! own pages and only as JSON, every refusal typed JSON (413, 415, 405, 404,
//! bad query strings, bodies that are not objects, unknown fields), no
//! arithmetic that wraps, no text that shows nothing, and the security
//! headers on every answer. (Staff routes get the same origin checks in the
//! authorization matrix, `authorization.rs`.)

use comptoir_e2e::{Answer, TestApp, checkout_body, spawn_app_with, spawn_quiet_app};
use comptoir_functions::config::Config;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

/// Sends `method path body` from the shop's own origin, as JSON.
async fn from_the_shop(
    app: &TestApp,
    cookie: Option<&str>,
    method: &str,
    path: &str,
    body: &Json,
) -> anyhow::Result<Answer> {
    let mut headers = vec![("origin", app.base.as_str())];
    if let Some(cookie) = cookie {
        headers.push(("cookie", cookie));
    }
    let body = (!body.is_null()).then(|| body.to_string());
    app.call(method, path, body, &headers).await
}

#[tokio::test]
async fn every_shopper_state_change_takes_json_from_the_shops_own_pages_only() -> anyhow::Result<()>
{
    let app = spawn_quiet_app().await?;
    let customer = app.customer().await?;
    let cart = app.cart_with(SKU, 1).await?;
    let placed = app.placed_order(None, SKU, 1).await?;
    let abandoned = app.placed_order(None, SKU, 1).await?;
    let session = app.open_session(&placed).await?;
    let session = session["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let shipped = app.paid_order_as(Some(&customer), SKU, 1).await?;
    app.ship(&shipped, "6A2").await?;
    let delivered = app.paid_order_as(Some(&customer), SKU, 1).await?;
    app.deliver(&delivered).await?;
    let leaving = app.sign_up("partante@exemple.fr").await?;
    let checkout_cart = app.cart_with(SKU, 1).await?;

    let none = Json::Null;
    // (caller, method, path, body, success status), in an order where each
    // success leaves what the next row needs.
    let rows: Vec<(Option<&str>, &str, String, Json, u16)> = vec![
        (None, "POST", "/api/carts".into(), none.clone(), 201),
        (
            None,
            "PUT",
            format!("/api/carts/{cart}/items"),
            json!({"sku": SKU, "quantity": 2}),
            200,
        ),
        (
            None,
            "PUT",
            format!("/api/carts/{cart}/promotions"),
            json!({"code": "BIENVENUE10"}),
            200,
        ),
        (
            None,
            "DELETE",
            format!("/api/carts/{cart}/promotions/BIENVENUE10"),
            none.clone(),
            200,
        ),
        (
            None,
            "DELETE",
            format!("/api/carts/{cart}/items/{SKU}"),
            none.clone(),
            200,
        ),
        (
            None,
            "POST",
            "/api/checkout".into(),
            checkout_body(&checkout_cart),
            201,
        ),
        (
            None,
            "POST",
            "/api/payments/sessions".into(),
            json!({"order_id": placed}),
            200,
        ),
        (
            None,
            "POST",
            format!("/api/payments/sandbox/{session}"),
            json!({"decision": "approve"}),
            200,
        ),
        (
            None,
            "POST",
            format!("/api/orders/{abandoned}/abandon"),
            none.clone(),
            200,
        ),
        (
            None,
            "POST",
            "/api/accounts/signup".into(),
            json!({"email": "nouvelle@exemple.fr", "password": "un long mot de passe"}),
            201,
        ),
        (
            None,
            "POST",
            "/api/accounts/signin".into(),
            json!({"email": "marie.curie@exemple.fr", "password": "radium et polonium"}),
            200,
        ),
        (
            Some(&customer),
            "POST",
            "/api/refunds".into(),
            json!({"order_id": shipped, "lines": [{"sku": SKU, "quantity": 1}], "reason": "trop petit"}),
            201,
        ),
        (
            Some(&customer),
            "POST",
            "/api/support/threads".into(),
            json!({"order_id": shipped, "subject": "Taille", "body": "Bonjour"}),
            201,
        ),
        (
            Some(&customer),
            "POST",
            "/api/support/surveys".into(),
            json!({"order_id": delivered, "csat": 5, "nps": 9}),
            201,
        ),
        (
            Some(&leaving),
            "POST",
            "/api/accounts/password".into(),
            json!({"current": "radium et polonium", "new": "un autre long secret"}),
            204,
        ),
        (
            Some(&customer),
            "POST",
            "/api/accounts/signout".into(),
            none.clone(),
            204,
        ),
        (
            None,
            "POST",
            "/api/events".into(),
            json!({"kind": "view", "path": "/"}),
            204,
        ),
    ];
    let mut failures = Vec::new();
    for (cookie, method, path, body, ok) in &rows {
        failures.extend(
            app.refusals_from_elsewhere(*cookie, method, path, &body.to_string())
                .await?,
        );
        let control = from_the_shop(&app, *cookie, method, path, body).await?;
        if control.status != *ok {
            failures.push(format!(
                "{method} {path} from the shop: expected {ok}, got {} {}",
                control.status, control.json
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The signed webhook is the one exception: the provider's servers send it.
    let ignored = json!({"id": "evt_edge", "object": "event", "type": "customer.created", "data": {"object": {}}});
    let sent = app
        .webhook(
            comptoir_functions::config::SANDBOX_WEBHOOK_SECRET,
            &ignored.to_string(),
            comptoir_e2e::now_ms() / 1000,
        )
        .await?;
    assert_eq!(sent.status, 200, "{}", sent.json);
    Ok(())
}

/// A request (method, path, body, extra headers) and the typed refusal it earns.
type Case<'a> = (
    &'a str,
    String,
    Option<String>,
    Vec<(&'a str, &'a str)>,
    u16,
    &'a str,
);

#[tokio::test]
async fn every_refusal_is_typed_json() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let admin = app.staff("admin").await?;
    let cart = app.cart_with(SKU, 1).await?;
    let big = format!(
        "{{\"sku\": \"{}\", \"quantity\": 1}}",
        "A".repeat(70 * 1024)
    );
    let cases: Vec<Case> = vec![
        (
            "PUT",
            format!("/api/carts/{cart}/items"),
            Some(big.clone()),
            vec![],
            413,
            "payload_too_large",
        ),
        (
            "POST",
            "/api/payments/webhook".into(),
            Some(big),
            vec![("stripe-signature", "t=1,v1=00")],
            413,
            "payload_too_large",
        ),
        (
            "DELETE",
            "/api/checkout".into(),
            None,
            vec![],
            405,
            "method_not_allowed",
        ),
        ("GET", "/api/nowhere".into(), None, vec![], 404, "not_found"),
        (
            "GET",
            "/api/catalog/products?colour=red".into(),
            None,
            vec![],
            422,
            "validation",
        ),
        (
            "GET",
            "/api/catalog/products?sort=name&sort=price_asc".into(),
            None,
            vec![],
            422,
            "validation",
        ),
        (
            "GET",
            format!("/api/carts/{cart}?shipping=relay&shipping=express"),
            None,
            vec![],
            422,
            "validation",
        ),
        (
            "GET",
            "/api/orders?status=paid&status=shipped".into(),
            None,
            vec![("cookie", &admin)],
            422,
            "validation",
        ),
        (
            "GET",
            "/api/orders?statut=paid".into(),
            None,
            vec![("cookie", &admin)],
            422,
            "validation",
        ),
        (
            "PUT",
            format!("/api/carts/{cart}/items"),
            Some(r#"["TSL-BLEU-M", 2]"#.into()),
            vec![],
            422,
            "validation",
        ),
        (
            "PUT",
            format!("/api/carts/{cart}/items"),
            Some(r#"{"sku": "TSL-BLEU-M", "quantity": 2, "price": 1}"#.into()),
            vec![],
            422,
            "validation",
        ),
        (
            "PUT",
            format!("/api/carts/{cart}/items"),
            Some("{\"sku\": ".into()),
            vec![],
            400,
            "malformed_request",
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, mut headers, status, error) in cases {
        headers.push(("origin", app.base.as_str()));
        let answer = app.call(method, &path, body, &headers).await;
        match answer {
            Ok(a) if a.status == status && a.json["error"] == error => {}
            Ok(a) => failures.push(format!(
                "{method} {path}: expected {status} {error}, got {} {}",
                a.status, a.json
            )),
            Err(e) => failures.push(format!("{method} {path}: not JSON ({e:#})")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The refused bodies name the field at fault.
    let unknown = app
        .call(
            "PUT",
            &format!("/api/carts/{cart}/items"),
            Some(r#"{"sku": "TSL-BLEU-M", "quantity": 2, "price": 1}"#.into()),
            &[],
        )
        .await?;
    assert_eq!(unknown.json["field"], "price");
    let twice = app
        .get("/api/catalog/products?sort=name&sort=price_asc")
        .await?;
    assert_eq!(twice.json["field"], "sort");
    let stray = app.get("/api/catalog/products?colour=red").await?;
    assert_eq!(stray.json["field"], "colour");
    // A route that takes no query string refuses one rather than ignore it.
    let none = app.get_as(&admin, "/api/accounts/me?role=admin").await?;
    assert_eq!(
        (none.status, none.json["field"].as_str()),
        (422, Some("role"))
    );
    let cart_create = app.call("POST", "/api/carts?debug=1", None, &[]).await?;
    assert_eq!(cart_create.status, 422);
    let array = app
        .call(
            "PUT",
            &format!("/api/carts/{cart}/items"),
            Some(r#"["TSL-BLEU-M", 2]"#.into()),
            &[],
        )
        .await?;
    assert_eq!(array.json["field"], "body");
    let lines = app
        .get(&format!("/api/carts/{cart}"))
        .await?
        .expect::<Json>(200)?;
    assert_eq!(
        lines["lines"][0]["quantity"], 1,
        "refused bodies changed nothing"
    );
    Ok(())
}

#[tokio::test]
async fn an_array_never_stands_for_an_object_and_unknown_fields_are_named() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let customer = app.customer().await?;
    let finance = app.staff("finance").await?;
    let admin = app.staff("admin").await?;
    let order = app.paid_order_as(Some(&customer), SKU, 1).await?;
    app.ship(&order, "6A3").await?;
    let requested: Json = app
        .send_as(
            &customer,
            "POST",
            "/api/refunds",
            &json!({"order_id": order, "lines": [{"sku": SKU, "quantity": 1}], "reason": "x"}),
        )
        .await?
        .expect(201)?;
    let refund = requested["id"].as_str().unwrap_or_default();
    // `[]` once approved a refund in full.
    let approve = app
        .call(
            "POST",
            &format!("/api/refunds/{refund}/approve"),
            Some("[]".into()),
            &[("cookie", &finance)],
        )
        .await?;
    assert_eq!(
        (approve.status, approve.json["field"].as_str()),
        (422, Some("body"))
    );
    let status = app
        .scalar(
            "SELECT COUNT(*) FROM refunds WHERE id = ?1 AND status = 'requested'",
            &[comptoir_functions::port::Value::Text(refund.to_owned())],
        )
        .await?;
    assert_eq!(status, 1, "the refund is still only requested");

    let promotion = json!({
        "code": "ETE", "kind": {"type": "free_shipping"}, "min_subtotal": {"amount": 0, "currency": "EUR"},
        "starts_at_ms": comptoir_e2e::now_ms(), "ends_at_ms": null, "usage_limit": null,
        "per_customer_limit": null, "stackable": true, "active": true, "discount_everything": true
    });
    for (path, value) in [
        ("kind", json!({"type": "free_shipping", "evil": true})),
        (
            "min_subtotal",
            json!({"amount": 0, "currency": "EUR", "evil": 1}),
        ),
    ] {
        let mut nested = promotion.clone();
        nested[path] = value;
        nested
            .as_object_mut()
            .map(|o| o.remove("discount_everything"));
        let answer = app
            .send_as(&admin, "POST", "/api/promotions", &nested)
            .await?;
        assert_eq!(answer.status, 422, "{path}: {}", answer.json);
    }
    let extra = app
        .send_as(&admin, "POST", "/api/promotions", &promotion)
        .await?;
    assert_eq!(
        (extra.status, extra.json["field"].as_str()),
        (422, Some("discount_everything"))
    );

    let placed = app.placed_order(None, SKU, 1).await?;
    let session = app.open_session(&placed).await?;
    let id = session["session_id"].as_str().unwrap_or_default();
    let decision = app
        .send(
            "POST",
            &format!("/api/payments/sandbox/{id}"),
            &json!({"decision": "approve", "amount": 1}),
        )
        .await?;
    assert_eq!(decision.status, 422, "{}", decision.json);
    assert_eq!(app.order_status(&placed).await?, "pending_payment");
    Ok(())
}

#[tokio::test]
async fn request_numbers_never_wrap_and_promotions_stay_in_bounds() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let warehouse = app.staff("warehouse").await?;
    let admin = app.staff("admin").await?;
    let movements = app.count("stock_movements").await?;
    for delta in [i64::MIN, i64::MAX, -100_001, 100_001, 0] {
        let answer = app
            .send_as(
                &warehouse,
                "POST",
                &format!("/api/stock/{SKU}/adjustments"),
                &json!({"delta": delta, "reason": "inventaire"}),
            )
            .await?;
        assert_eq!(
            (answer.status, answer.json["field"].as_str()),
            (422, Some("delta")),
            "{delta}"
        );
    }
    assert_eq!(app.count("stock_movements").await?, movements);

    let now = comptoir_e2e::now_ms();
    let year = 366 * 24 * 3_600_000_i64;
    let base = |code: &str| {
        json!({
            "code": code, "kind": {"type": "free_shipping"}, "min_subtotal": {"amount": 0, "currency": "EUR"},
            "starts_at_ms": now, "ends_at_ms": null, "usage_limit": null, "per_customer_limit": null,
            "stackable": true, "active": true
        })
    };
    let mut far = base("LOIN");
    far["ends_at_ms"] = json!(now + 11 * year);
    let mut ancient = base("VIEUX");
    ancient["starts_at_ms"] = json!(i64::MIN);
    let mut rich = base("RICHE");
    rich["kind"] =
        json!({"type": "fixed_amount", "amount": {"amount": 100_000_001, "currency": "EUR"}});
    let mut floor = base("PLANCHER");
    floor["min_subtotal"] = json!({"amount": i64::MAX, "currency": "EUR"});
    for (body, field) in [
        (far, "ends_at_ms"),
        (ancient, "starts_at_ms"),
        (rich, "kind.amount"),
        (floor, "min_subtotal"),
    ] {
        let answer = app
            .send_as(&admin, "POST", "/api/promotions", &body)
            .await?;
        assert_eq!(
            (answer.status, answer.json["field"].as_str()),
            (422, Some(field))
        );
    }
    assert_eq!(app.count("promotions").await?, 4, "only the demo codes");
    Ok(())
}

#[tokio::test]
async fn text_that_shows_nothing_or_turns_around_is_refused() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let admin = app.staff("admin").await?;
    let cart = app.cart_with(SKU, 1).await?;
    let orders = app.count("orders").await?;
    for (name, why) in [
        ("\u{200B}\u{200B}\u{200B}", "zero-width spaces"),
        ("\u{202E}eiraM", "a right-to-left override"),
        ("Marie\u{2028}Curie", "a line separator"),
        ("\u{2066}Marie\u{2069}", "an isolate"),
    ] {
        let mut body = checkout_body(&cart);
        body["shipping_address"]["name"] = json!(name);
        let answer = app.send("POST", "/api/checkout", &body).await?;
        assert_eq!(answer.status, 422, "{why}: {}", answer.json);
        assert_eq!(answer.json["field"], "shipping_address", "{why}");
        assert!(
            answer.json["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("name:")),
            "{why}: {}",
            answer.json
        );
    }
    assert_eq!(app.count("orders").await?, orders);
    let signup = app
        .send(
            "POST",
            "/api/accounts/signup",
            &json!({"email": "vide@exemple.fr", "password": "un long mot de passe", "name": "\u{200D}\u{FEFF}"}),
        )
        .await?;
    assert_eq!(
        (signup.status, signup.json["field"].as_str()),
        (422, Some("name"))
    );
    let image = app
        .send_as(
            &admin,
            "PUT",
            "/api/catalog/admin/products/ailleurs",
            &json!({"name": "Ailleurs", "category": "Tests", "image": "//evil.example/x.png"}),
        )
        .await?;
    assert_eq!(
        (image.status, image.json["field"].as_str()),
        (422, Some("image"))
    );
    Ok(())
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() -> anyhow::Result<()> {
    let app = spawn_quiet_app().await?;
    let customer = app.customer().await?;
    let get = |path: &str, cookie: Option<&str>| {
        let mut request = app.http.get(format!("{}{path}", app.base));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    for (path, cookie) in [
        ("/api/catalog/products", None),
        ("/api/accounts/me", Some(customer.as_str())),
        ("/api/nowhere", None),
        ("/", None),
        ("/produits/t-shirt-lin", None),
        ("/img/products/t-shirt-lin.svg", None),
    ] {
        let r = get(path, cookie).await?;
        assert_eq!(header(&r, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&r, "x-frame-options"), "DENY", "{path}");
        assert!(!header(&r, "referrer-policy").is_empty(), "{path}");
        let csp = header(&r, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            header(&r, "strict-transport-security").is_empty(),
            "plain http: no HSTS"
        );
        if !path.starts_with("/api") {
            assert!(
                csp.contains("script-src 'self' 'wasm-unsafe-eval'")
                    && !csp.contains("unsafe-inline"),
                "{path}: {csp}"
            );
        }
    }
    let me = get("/api/accounts/me", Some(&customer)).await?;
    assert_eq!(header(&me, "cache-control"), "no-store");
    let https = spawn_app_with(Config::from_lookup(|name| {
        (name == "public_base_url").then(|| "https://boutique.example".to_owned())
    })?)
    .await?;
    let r = https
        .http
        .get(format!("{}/api/catalog/products", https.base))
        .send()
        .await?;
    assert!(header(&r, "strict-transport-security").contains("max-age="));
    Ok(())
}
