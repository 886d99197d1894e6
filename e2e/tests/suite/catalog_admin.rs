//! Catalog and promotion administration: admins create products and
//! variants, publish them into the shop, and manage promotion codes with the
//! same shared terms checkout applies.

use comptoir_e2e::{now_ms, spawn_app};
use serde_json::{Value as Json, json};

#[tokio::test]
async fn an_admin_builds_a_product_and_publishes_it_into_the_shop() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let admin = app.staff("admin").await?;
    let support = app.staff("support").await?;
    let product = "/api/catalog/admin/products/pull-alpaga";
    let fields = json!({
        "name": "Pull en alpaga", "description": "Laine mérinos.\nTricoté en France.",
        "category": "Hauts", "image": "/img/products/pull-alpaga.svg", "tax_class": "standard"
    });

    assert_eq!(app.send("PUT", product, &fields).await?.status, 401);
    assert_eq!(
        app.send_as(&support, "PUT", product, &fields).await?.status,
        403
    );
    assert_eq!(
        app.get_as(&support, "/api/catalog/admin/products")
            .await?
            .status,
        403
    );
    let products = app.count("products").await?;
    for (bad, field) in [
        (
            json!({"name": "x", "category": "Hauts", "image": "javascript:alert(1)"}),
            "image",
        ),
        (
            json!({"name": " ", "category": "Hauts", "image": "/img/x.svg"}),
            "name",
        ),
    ] {
        let refused = app.send_as(&admin, "PUT", product, &bad).await?;
        assert_eq!(
            (refused.status, refused.json["field"].as_str()),
            (422, Some(field))
        );
    }
    let too_soon = app
        .send_as(
            &admin,
            "PUT",
            product,
            &json!({"published": true, "name": "Pull", "category": "Hauts", "image": "/img/x.svg"}),
        )
        .await?;
    assert_eq!(too_soon.status, 409, "no variant yet");
    assert_eq!(app.count("products").await?, products);

    let created: Json = app
        .send_as(&admin, "PUT", product, &fields)
        .await?
        .expect(201)?;
    assert_eq!(
        (
            created["published"].as_bool(),
            created["variants"].as_array().map(Vec::len)
        ),
        (Some(false), Some(0))
    );
    let variant = format!("{product}/variants/PAL-GRIS-M");
    let bad_price = app
        .send_as(
            &admin,
            "PUT",
            &variant,
            &json!({"size": "M", "price": {"amount": -5, "currency": "EUR"}}),
        )
        .await?;
    assert_eq!(
        (bad_price.status, bad_price.json["field"].as_str()),
        (422, Some("price"))
    );
    let with_variant: Json = app
        .send_as(
            &admin,
            "PUT",
            &variant,
            &json!({"size": "M", "colour": "Gris", "price": {"amount": 8900, "currency": "EUR"}}),
        )
        .await?
        .expect(201)?;
    assert_eq!(
        (
            with_variant["variants"][0]["sku"].as_str(),
            with_variant["variants"][0]["on_hand"].as_i64()
        ),
        (Some("PAL-GRIS-M"), Some(0))
    );
    let repriced: Json = app
        .send_as(
            &admin,
            "PUT",
            &variant,
            &json!({"size": "M", "colour": "Gris", "price": {"amount": 7900, "currency": "EUR"}}),
        )
        .await?
        .expect(200)?;
    assert_eq!(repriced["variants"][0]["price"]["amount"], 7900);
    let stolen = app
        .send_as(
            &admin,
            "PUT",
            "/api/catalog/admin/products/pull-alpaga/variants/TSL-BLEU-M",
            &json!({"price": {"amount": 1, "currency": "EUR"}}),
        )
        .await?;
    assert_eq!(stolen.status, 409, "the SKU belongs to another product");
    assert_eq!(
        app.send_as(
            &admin,
            "PUT",
            "/api/catalog/admin/products/nope/variants/NOPE-1",
            &json!({"price": {"amount": 1, "currency": "EUR"}})
        )
        .await?
        .status,
        404
    );

    assert_eq!(
        app.get("/api/catalog/products/pull-alpaga").await?.status,
        404
    );
    let published: Json = app
        .send_as(
            &admin,
            "POST",
            &format!("{product}/published"),
            &json!({"published": true}),
        )
        .await?
        .expect(200)?;
    assert_eq!(published["published"], true);
    let page: Json = app
        .get("/api/catalog/products/pull-alpaga")
        .await?
        .expect(200)?;
    assert_eq!(
        (
            page["name"].as_str(),
            page["variants"][0]["price"]["amount"].as_i64(),
            page["variants"][0]["availability"]["state"].as_str()
        ),
        (Some("Pull en alpaga"), Some(7900), Some("out_of_stock"))
    );
    let listing: Json = app
        .get("/api/catalog/products?q=alpaga")
        .await?
        .expect(200)?;
    assert_eq!(listing["items"][0]["id"], "pull-alpaga");

    let mut renamed = fields.clone();
    renamed["name"] = json!("Pull mérinos");
    renamed["published"] = json!(true);
    let updated: Json = app
        .send_as(&admin, "PUT", product, &renamed)
        .await?
        .expect(200)?;
    assert_eq!(
        (updated["name"].as_str(), updated["position"].as_i64()),
        (Some("Pull mérinos"), created["position"].as_i64())
    );
    app.send_as(
        &admin,
        "POST",
        &format!("{product}/published"),
        &json!({"published": false}),
    )
    .await?
    .expect::<Json>(200)?;
    assert_eq!(
        app.get("/api/catalog/products/pull-alpaga").await?.status,
        404
    );
    let all: Json = app
        .get_as(&admin, "/api/catalog/admin/products")
        .await?
        .expect(200)?;
    let hidden = all
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["id"] == "pull-alpaga")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        hidden["published"], false,
        "admins see unpublished products"
    );

    let log: Json = app.get_as(&admin, "/api/audit").await?.expect(200)?;
    let mut actions: Vec<&str> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "product_create",
            "product_update",
            "product_update",
            "product_update",
            "variant_save",
            "variant_save"
        ]
    );
    Ok(())
}

#[tokio::test]
async fn promotion_codes_made_by_admins_are_the_ones_checkout_applies() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let admin = app.staff("admin").await?;
    let finance = app.staff("finance").await?;
    let now = now_ms();
    let terms = json!({
        "code": "admin15", "kind": {"type": "percentage", "bps": 1500},
        "min_subtotal": {"amount": 0, "currency": "EUR"}, "starts_at_ms": now - 1000,
        "ends_at_ms": now + 3_600_000, "usage_limit": null, "per_customer_limit": 1,
        "stackable": false, "active": true
    });
    assert_eq!(
        app.send("POST", "/api/promotions", &terms).await?.status,
        401
    );
    assert_eq!(
        app.send_as(&finance, "POST", "/api/promotions", &terms)
            .await?
            .status,
        403
    );
    assert_eq!(app.get_as(&finance, "/api/promotions").await?.status, 403);
    let promotions = app.count("promotions").await?;
    for (change, field) in [
        (
            json!({"kind": {"type": "percentage", "bps": 0}}),
            "kind.bps",
        ),
        (
            json!({"kind": {"type": "fixed_amount", "amount": {"amount": 0, "currency": "EUR"}}}),
            "kind.amount",
        ),
        (json!({"ends_at_ms": now - 2000}), "ends_at_ms"),
        (json!({"usage_limit": 0}), "usage_limit"),
    ] {
        let mut bad = terms.clone();
        for (k, v) in change.as_object().into_iter().flatten() {
            bad[k] = v.clone();
        }
        let refused = app.send_as(&admin, "POST", "/api/promotions", &bad).await?;
        assert_eq!(
            (refused.status, refused.json["field"].as_str()),
            (422, Some(field)),
            "{change}"
        );
    }
    assert_eq!(app.count("promotions").await?, promotions);

    let created: Json = app
        .send_as(&admin, "POST", "/api/promotions", &terms)
        .await?
        .expect(201)?;
    assert_eq!(created["code"], "ADMIN15");
    assert_eq!(
        app.send_as(&admin, "POST", "/api/promotions", &terms)
            .await?
            .status,
        409
    );

    let cart = app.cart_with("TSL-BLEU-M", 2).await?; // 70,00 €
    let priced: Json = app
        .send(
            "PUT",
            &format!("/api/carts/{cart}/promotions"),
            &json!({"code": "ADMIN15"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(priced["totals"]["discount"]["amount"], 1050);

    let mut twenty = terms.clone();
    twenty["code"] = json!("ADMIN15");
    twenty["kind"] = json!({"type": "percentage", "bps": 2000});
    let mismatch = app
        .send_as(&admin, "PUT", "/api/promotions/OTHER1", &twenty)
        .await?;
    assert_eq!(mismatch.status, 422);
    assert_eq!(
        app.send_as(&admin, "PUT", "/api/promotions/NOSUCH", &{
            let mut t = twenty.clone();
            t["code"] = json!("NOSUCH");
            t
        })
        .await?
        .status,
        404
    );
    app.send_as(&admin, "PUT", "/api/promotions/admin15", &twenty)
        .await?
        .expect::<Json>(200)?;
    let repriced: Json = app.get(&format!("/api/carts/{cart}")).await?.expect(200)?;
    assert_eq!(repriced["totals"]["discount"]["amount"], 1400);

    let disabled: Json = app
        .send_as(
            &admin,
            "POST",
            "/api/promotions/ADMIN15/disable",
            &json!({}),
        )
        .await?
        .expect(200)?;
    assert_eq!(disabled["active"], false);
    let refused: Json = app.get(&format!("/api/carts/{cart}")).await?.expect(200)?;
    assert_eq!(refused["totals"]["discount"]["amount"], 0);
    assert_eq!(refused["refused_codes"][0]["refusal"]["reason"], "inactive");

    let listed: Json = app.get_as(&admin, "/api/promotions").await?.expect(200)?;
    let mine = listed
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["promotion"]["code"] == "ADMIN15")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (mine["promotion"]["active"].as_bool(), mine["uses"].as_u64()),
        (Some(false), Some(0))
    );
    assert!(
        listed.to_string().contains("BIENVENUE10"),
        "seeded codes are listed too"
    );
    Ok(())
}
