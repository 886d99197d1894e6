//! Catalog search, filters, sort and pages over the demo catalog, through
//! the native host.

use comptoir_e2e::spawn_app;
use serde_json::{Value as Json, json};

fn names(page: &Json) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn search_forgives_case_accents_and_spellings() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    for q in ["tee%20shirt", "TEE-SHIRT", "t%20shirts"] {
        let page: Json = app
            .get(&format!("/api/catalog/products?q={q}"))
            .await?
            .expect(200)?;
        assert_eq!(
            names(&page),
            ["T-shirt en lin", "T-shirt coton bio"],
            "query {q}"
        );
    }
    let summer: Json = app
        .get("/api/catalog/products?q=et%C3%A9")
        .await?
        .expect(200)?;
    assert_eq!(names(&summer), ["Chemise en lin", "Robe d'été"]);
    let nothing: Json = app
        .get("/api/catalog/products?q=parapluie")
        .await?
        .expect(200)?;
    assert_eq!(
        (nothing["total"].clone(), names(&nothing).len()),
        (json!(0), 0)
    );
    Ok(())
}

#[tokio::test]
async fn filters_sort_and_pages_agree_with_each_other() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let all: Json = app
        .get("/api/catalog/products?per_page=48&sort=price_asc")
        .await?
        .expect(200)?;
    let prices: Vec<i64> = all["items"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|p| p["price_from"]["amount"].as_i64())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(prices.len(), 30);
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");

    // Price window, in minor units, on the lowest variant price.
    let window: Json = app
        .get("/api/catalog/products?min_price=3000&max_price=6000&per_page=48")
        .await?
        .expect(200)?;
    let expected = prices.iter().filter(|p| (3000..=6000).contains(*p)).count();
    assert_eq!(window["total"], json!(expected));

    // Category facet counts the other filters, the category filter narrows.
    let tops: Json = app
        .get("/api/catalog/products?category=Hauts&per_page=48")
        .await?
        .expect(200)?;
    let hauts = all["categories"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == "Hauts"))
        .map(|c| c["count"].clone());
    assert_eq!(Some(tops["total"].clone()), hauts);
    assert!(tops["categories"].as_array().map(Vec::len).unwrap_or(0) > 1);

    // Pages: 30 products by 12 → 12, 12, 6, and no product twice.
    let mut seen = Vec::new();
    for (page, size) in [(1, 12), (2, 12), (3, 6)] {
        let p: Json = app
            .get(&format!("/api/catalog/products?page={page}"))
            .await?
            .expect(200)?;
        assert_eq!((p["page"].clone(), names(&p).len()), (json!(page), size));
        seen.extend(names(&p));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 30);
    Ok(())
}

#[tokio::test]
async fn in_stock_hides_products_that_cannot_be_bought() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    app.execute(
        "UPDATE stock SET on_hand = reserved WHERE sku IN \
         (SELECT sku FROM variants WHERE product_id = 't-shirt-lin')",
        &[],
    )
    .await?;
    let all: Json = app.get("/api/catalog/products?q=lin").await?.expect(200)?;
    let buyable: Json = app
        .get("/api/catalog/products?q=lin&in_stock=true")
        .await?
        .expect(200)?;
    assert!(names(&all).contains(&"T-shirt en lin".to_owned()));
    assert!(!names(&buyable).contains(&"T-shirt en lin".to_owned()));
    Ok(())
}

#[tokio::test]
async fn a_bad_filter_is_a_typed_422_not_ignored() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    for (query, field) in [
        ("min_price=abc", "min_price"),
        ("sort=cheapest", "sort"),
        ("in_stock=maybe", "in_stock"),
        ("min_price=5000&max_price=1000", "min_price"),
        ("colour=red", ""),
    ] {
        let answer = app.get(&format!("/api/catalog/products?{query}")).await?;
        assert_eq!(answer.status, 422, "{query}");
        assert_eq!(answer.json["error"], "validation", "{query}");
        if !field.is_empty() {
            assert_eq!(answer.json["field"], field, "{query}");
        }
    }
    Ok(())
}

#[tokio::test]
async fn an_abandoned_payment_cancels_the_order_and_releases_its_stock_once() -> anyhow::Result<()>
{
    let app = spawn_app().await?;
    let sku = "TSL-BLEU-M";
    let before = app.available(sku).await?;
    let order = app.placed_order(None, sku, 2).await?;
    assert_eq!(app.available(sku).await?, before - 2);
    let cancelled: Json = app
        .call("POST", &format!("/api/orders/{order}/abandon"), None, &[])
        .await?
        .expect(200)?;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(app.available(sku).await?, before);
    let again = app
        .call("POST", &format!("/api/orders/{order}/abandon"), None, &[])
        .await?;
    assert_eq!(
        (again.status, again.json["error"].clone()),
        (409, json!("invalid_transition"))
    );
    assert_eq!(app.available(sku).await?, before, "released once");
    Ok(())
}
