//! Catalog content in the shopper's language: product names, descriptions
//! and category names translated by admins, served in English where they
//! are and in French where they are not, in the JSON API, the
//! server-rendered pages and the cart; searched per language. Run on either
//! store (`COMPTOIR_TEST_POSTGRES`).

use comptoir_e2e::{TestApp, spawn_app};
use comptoir_shared::cart::Cart;
use comptoir_shared::catalog::{Product, ProductPage};
use serde_json::{Value as Json, json};

async fn html(app: &TestApp, path: &str) -> anyhow::Result<String> {
    let response = app.http.get(format!("{}{path}", app.base)).send().await?;
    anyhow::ensure!(response.status() == 200, "{path}: {}", response.status());
    Ok(response.text().await?)
}

async fn listing(app: &TestApp, query: &str) -> anyhow::Result<ProductPage> {
    app.get(&format!("/api/catalog/products?{query}"))
        .await?
        .expect(200)
}

fn ids(page: &ProductPage) -> Vec<&str> {
    page.items.iter().map(|p| p.id.as_str()).collect()
}

#[tokio::test]
async fn the_demo_catalog_speaks_english_where_it_is_translated() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let en: Product = app
        .get("/api/catalog/products/t-shirt-lin?lang=en")
        .await?
        .expect(200)?;
    let fr: Product = app
        .get("/api/catalog/products/t-shirt-lin")
        .await?
        .expect(200)?;
    assert_eq!(
        (
            en.name.as_str(),
            en.category.as_str(),
            en.category_label.as_str()
        ),
        ("Linen T-shirt", "Hauts", "Tops")
    );
    assert_eq!(
        en.description,
        "Washed linen, straight cut, made in Portugal."
    );
    assert_eq!(
        (fr.name.as_str(), fr.category_label.as_str()),
        ("T-shirt en lin", "Hauts")
    );
    // Everything but the words is the same product.
    assert_eq!(en.variants, fr.variants);

    // The listing names products and categories in the language asked for;
    // the category key stays the French name.
    let page = listing(&app, "lang=en&category=Hauts").await?;
    assert_eq!(page.items[0].name, "Linen T-shirt");
    assert_eq!(page.items[0].category_label, "Tops");
    assert_eq!(page.category_label("Hauts"), "Tops");
    let shoes = page.categories.iter().find(|c| c.name == "Chaussures");
    assert_eq!(shoes.map(|c| c.label.as_str()), Some("Shoes"));
    assert_eq!(
        listing(&app, "category=Hauts")
            .await?
            .category_label("Hauts"),
        "Hauts"
    );
    // A to Z follows the names of the language.
    let a_to_z = listing(&app, "lang=en&sort=name&per_page=3").await?;
    assert_eq!(
        a_to_z
            .items
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["Beanie", "Breton striped top", "Canvas trainers"]
    );

    // Searches read the shopper's language only: "lin" is not the prefix of
    // an English "lined" hood in the French shop, nor "linen" French.
    assert_eq!(
        ids(&listing(&app, "q=lin&per_page=48").await?),
        ["t-shirt-lin", "chemise-lin", "short-lin"]
    );
    assert!(listing(&app, "q=linen").await?.items.is_empty());
    assert_eq!(
        ids(&listing(&app, "lang=en&q=linen&per_page=48").await?),
        ["t-shirt-lin", "chemise-lin", "short-lin"]
    );
    assert_eq!(
        ids(&listing(&app, "lang=en&q=shirts&per_page=48").await?),
        [
            "chemise-oxford",
            "chemise-lin",
            "polo-pique",
            "robe-chemise"
        ]
    );
    assert_eq!(
        listing(&app, "lang=en&q=shoes&per_page=48").await?.total,
        3,
        "the category's English name is searched"
    );
    let unknown = app.get("/api/catalog/products?lang=de").await?;
    assert_eq!(
        (unknown.status, unknown.json["field"].as_str()),
        (422, Some("lang"))
    );

    // The pages: English in /en/, French at the root.
    let page = html(&app, "/en/produits/t-shirt-lin").await?;
    assert!(page.contains("<title>Linen T-shirt — Comptoir</title>"));
    assert!(page.contains(">Tops</a>"), "breadcrumb in English");
    assert!(
        html(&app, "/produits/t-shirt-lin")
            .await?
            .contains("<title>T-shirt en lin — Comptoir</title>")
    );
    let listing_page = html(&app, "/en/?category=Hauts").await?;
    assert!(listing_page.contains("<h1>Tops</h1>"));
    assert!(listing_page.contains("Linen T-shirt"));
    assert!(html(&app, "/en/?q=linen").await?.contains("Linen shirt"));
    // Filters that leave nothing in the category keep its English name,
    // and the category among the counts, at 0.
    let nothing = html(&app, "/en/?category=Hauts&prix_max=1").await?;
    assert!(nothing.contains("<h1>Tops</h1>"), "{nothing}");
    let empty = listing(&app, "lang=en&category=Hauts&max_price=100").await?;
    assert_eq!(empty.total, 0);
    assert_eq!(
        empty
            .categories
            .iter()
            .map(|c| (c.label.as_str(), c.count))
            .collect::<Vec<_>>(),
        [("Tops", 0)]
    );

    // The cart names its lines in the language asked for; an order keeps
    // the French names.
    let cart: Cart = app
        .send("POST", "/api/carts", &json!({}))
        .await?
        .expect(201)?;
    let line = json!({"sku": "TSL-BLEU-M", "quantity": 1});
    let en_cart: Cart = app
        .send(
            "PUT",
            &format!("/api/carts/{}/items?lang=en", cart.id),
            &line,
        )
        .await?
        .expect(200)?;
    assert_eq!(en_cart.lines[0].product_name, "Linen T-shirt");
    let fr_cart: Cart = app
        .get(&format!("/api/carts/{}", cart.id))
        .await?
        .expect(200)?;
    assert_eq!(fr_cart.lines[0].product_name, "T-shirt en lin");
    Ok(())
}

#[tokio::test]
async fn admins_translate_products_and_categories_and_french_fills_the_gaps() -> anyhow::Result<()>
{
    let app = spawn_app().await?;
    let admin = app.staff("admin").await?;
    let support = app.staff("support").await?;
    let product = "/api/catalog/admin/products/pull-alpaga";
    let french = json!({
        "name": "Pull en alpaga", "description": "Alpaga du Pérou, col roulé.",
        "category": "Grand froid", "image": "/img/products/pull-laine.svg", "published": false
    });
    app.send_as(&admin, "PUT", product, &french)
        .await?
        .expect::<Json>(201)?;
    app.send_as(
        &admin,
        "PUT",
        &format!("{product}/variants/ALP-M"),
        &json!({"size": "M", "price": {"amount": 12900, "currency": "EUR"}}),
    )
    .await?
    .expect::<Json>(201)?;
    app.send_as(
        &admin,
        "POST",
        &format!("{product}/published"),
        &json!({"published": true}),
    )
    .await?
    .expect::<Json>(200)?;
    // Not translated yet: English shoppers read French.
    let untranslated: Product = app
        .get("/api/catalog/products/pull-alpaga?lang=en")
        .await?
        .expect(200)?;
    assert_eq!(
        (
            untranslated.name.as_str(),
            untranslated.category_label.as_str()
        ),
        ("Pull en alpaga", "Grand froid")
    );
    assert_eq!(
        ids(&listing(&app, "lang=en&q=alpaga").await?),
        ["pull-alpaga"],
        "an untranslated product is found by its French words in English"
    );

    // Refused, changing nothing: French as a translation, an unknown
    // language, a translation without a name, a staff member who is not
    // an admin, a category no product names.
    let before = app.fingerprint().await?;
    for bad in [
        json!({"fr": {"name": "Pull"}}),
        json!({"de": {"name": "Pullover"}}),
        json!({"en": {"description": "Peruvian alpaca."}}),
        json!({"en": {"name": " "}}),
    ] {
        let mut body = french.clone();
        body["translations"] = bad.clone();
        let refused = app.send_as(&admin, "PUT", product, &body).await?;
        assert_eq!(refused.status, 422, "{bad}");
    }
    let category = "/api/catalog/admin/categories/Grand%20froid";
    let english = json!({"translations": {"en": "Deep cold"}});
    assert_eq!(app.send("PUT", category, &english).await?.status, 401);
    assert_eq!(
        app.send_as(&support, "PUT", category, &english)
            .await?
            .status,
        403
    );
    assert_eq!(
        app.get_as(&support, "/api/catalog/admin/categories")
            .await?
            .status,
        403
    );
    let nobody = app
        .send_as(
            &admin,
            "PUT",
            "/api/catalog/admin/categories/Parapluies",
            &english,
        )
        .await?;
    assert_eq!(nobody.status, 404);
    let french_name = app
        .send_as(
            &admin,
            "PUT",
            category,
            &json!({"translations": {"fr": "Froid"}}),
        )
        .await?;
    assert_eq!(
        (french_name.status, french_name.json["field"].as_str()),
        (422, Some("translations"))
    );
    assert_eq!(app.fingerprint().await?, before);

    // Translated: the product (an empty English description reads the
    // French one), then its category.
    let mut body = french.clone();
    body["published"] = json!(true);
    body["translations"] = json!({"en": {"name": "Alpaca jumper"}});
    let saved: Json = app
        .send_as(&admin, "PUT", product, &body)
        .await?
        .expect(200)?;
    assert_eq!(saved["translations"]["en"]["name"], "Alpaca jumper");
    let saved: Json = app
        .send_as(&admin, "PUT", category, &english)
        .await?
        .expect(200)?;
    assert_eq!(
        saved,
        json!({"name": "Grand froid", "products": 1, "translations": {"en": "Deep cold"}})
    );
    let categories: Vec<Json> = app
        .get_as(&admin, "/api/catalog/admin/categories")
        .await?
        .expect(200)?;
    assert!(
        categories
            .iter()
            .any(|c| c["name"] == "Hauts" && c["translations"]["en"] == "Tops")
    );
    let translated: Product = app
        .get("/api/catalog/products/pull-alpaga?lang=en")
        .await?
        .expect(200)?;
    assert_eq!(
        (
            translated.name.as_str(),
            translated.description.as_str(),
            translated.category_label.as_str()
        ),
        ("Alpaca jumper", "Alpaga du Pérou, col roulé.", "Deep cold")
    );
    // Searched by its new English words at once, by its French name in
    // the French shop only.
    assert_eq!(
        ids(&listing(&app, "lang=en&q=alpaca").await?),
        ["pull-alpaga"]
    );
    assert_eq!(
        ids(&listing(&app, "lang=en&q=deep%20cold").await?),
        ["pull-alpaga"]
    );
    // (The French description stands in for the English one, the French
    // name no more.)
    assert!(listing(&app, "lang=en&q=pull").await?.items.is_empty());
    assert_eq!(
        ids(&listing(&app, "lang=en&q=roule").await?),
        ["pull-alpaga"]
    );
    assert_eq!(ids(&listing(&app, "q=alpaga").await?), ["pull-alpaga"]);
    assert!(listing(&app, "q=alpaca").await?.items.is_empty());
    assert!(
        html(&app, "/en/produits/pull-alpaga")
            .await?
            .contains("Alpaca jumper")
    );

    // Translations removed: French again, and not searchable in English.
    let cleared: Json = app
        .send_as(&admin, "PUT", category, &json!({"translations": {}}))
        .await?
        .expect(200)?;
    assert_eq!(cleared["translations"], json!({}));
    assert!(listing(&app, "lang=en&q=deep").await?.items.is_empty());
    let audit: Vec<Json> = app
        .get_as(&admin, "/api/audit?action=category_update")
        .await?
        .expect(200)?;
    assert_eq!(audit.len(), 2);
    Ok(())
}
