//! Catalog search, filters, sort, pages and category counts done by the
//! store (FTS5 on SQLite, a GIN-indexed `tsvector` on Postgres), through the
//! native host: one table of searches with the products each must find, the
//! demo catalog's listings spelled out as the former in-Rust listing
//! answered them, and a generated catalog of 10 000 products checked against
//! that same former rule (`comptoir_shared::search::matches` over every
//! product). Run on either store (`COMPTOIR_TEST_POSTGRES`).

use comptoir_e2e::{TestApp, spawn_app, spawn_generated_catalog};
use comptoir_host::seed::GeneratedProduct;
use comptoir_shared::catalog::{ProductPage, ProductQuery, ProductSort};
use comptoir_shared::search;

async fn list(app: &TestApp, query: &str) -> anyhow::Result<ProductPage> {
    app.get(&format!("/api/catalog/products?{query}"))
        .await?
        .expect(200)
}

fn ids(page: &ProductPage) -> Vec<&str> {
    page.items.iter().map(|p| p.id.as_str()).collect()
}

fn counts(page: &ProductPage) -> Vec<(&str, u32)> {
    page.categories
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect()
}

/// Searches of the demo catalog and every product each finds, in the shop's
/// order (`q` as the browser encodes it).
const SEARCHES: &[(&str, &[&str])] = &[
    // Accents and case.
    ("ete", &["chemise-lin", "robe-ete"]),
    ("%C3%89t%C3%A9", &["chemise-lin", "robe-ete"]),
    ("MARINI%C3%88RE", &["mariniere"]),
    // Plurals.
    (
        "chemises",
        &["chemise-oxford", "chemise-lin", "robe-chemise"],
    ),
    ("bottine", &["bottines"]),
    // Hyphens and compounds.
    ("tee%20shirt", &["t-shirt-lin", "t-shirt-coton-bio"]),
    ("t-shirts", &["t-shirt-lin", "t-shirt-coton-bio"]),
    ("TEE-SHIRT", &["t-shirt-lin", "t-shirt-coton-bio"]),
    ("tshirt", &["t-shirt-lin", "t-shirt-coton-bio"]),
    // Prefixes.
    ("chemi", &["chemise-oxford", "chemise-lin", "robe-chemise"]),
    ("cui", &["ceinture-cuir", "bottines"]),
    // Several words: every one must match.
    ("lin%20%C3%A9t%C3%A9", &["chemise-lin"]),
    ("pull%20laine", &["pull-laine"]),
    ("sweat", &["sweat-col-rond", "hoodie"]),
    ("lin", &["t-shirt-lin", "chemise-lin", "short-lin"]),
    // In the category and the description too.
    (
        "chaussures%20semelle",
        &["espadrilles", "baskets-toile", "bottines"],
    ),
    // No match.
    ("parapluie", &[]),
    ("chemise%20laine", &[]),
    ("tee", &[]),
];

#[tokio::test]
async fn searches_find_the_same_products_whatever_the_spelling() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    for (q, expected) in SEARCHES {
        let page = list(&app, &format!("q={q}&per_page=48")).await?;
        assert_eq!(ids(&page), *expected, "q={q}");
        assert_eq!(page.total as usize, expected.len(), "q={q}");
    }
    // No words (only punctuation) is no search.
    for q in ["", "%20", "---", "%C2%AB%20%C2%BB"] {
        assert_eq!(list(&app, &format!("q={q}")).await?.total, 30, "q={q}");
    }
    // A product's new name is found at once, its old one no more.
    let admin = app.staff("admin").await?;
    let saved = app
        .send_as(
            &admin,
            "PUT",
            "/api/catalog/admin/products/tote-bag",
            &serde_json::json!({
                "name": "Cabas de plage", "description": "Toile épaisse, anses longues.",
                "category": "Accessoires", "image": "/img/products/tote-bag.svg",
                "tax_class": "standard", "published": true
            }),
        )
        .await?;
    assert_eq!(saved.status, 200, "{}", saved.json);
    assert_eq!(ids(&list(&app, "q=cabas").await?), ["tote-bag"]);
    assert!(ids(&list(&app, "q=tote").await?).is_empty());
    // Unpublished, it is not listed; published again, it is.
    let path = "/api/catalog/admin/products/tote-bag/published";
    let (hidden, shown) = (
        serde_json::json!({ "published": false }),
        serde_json::json!({ "published": true }),
    );
    let hide = |published: bool| {
        app.send_as(
            &admin,
            "POST",
            path,
            if published { &shown } else { &hidden },
        )
    };
    assert_eq!(hide(false).await?.status, 200);
    assert!(ids(&list(&app, "q=cabas").await?).is_empty());
    assert_eq!(list(&app, "").await?.total, 29);
    assert_eq!(hide(true).await?.status, 200);
    assert_eq!(ids(&list(&app, "q=cabas").await?), ["tote-bag"]);
    Ok(())
}

#[tokio::test]
async fn demo_listings_are_those_the_in_rust_listing_gave() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let all = [
        ("Hauts", 6),
        ("Maille", 4),
        ("Bas", 4),
        ("Robes", 3),
        ("Vestes", 4),
        ("Accessoires", 6),
        ("Chaussures", 3),
    ];
    let first = list(&app, "").await?;
    assert_eq!((first.total, first.page, first.per_page), (30, 1, 12));
    assert_eq!(counts(&first), all);
    assert_eq!(
        ids(&first),
        [
            "t-shirt-lin",
            "t-shirt-coton-bio",
            "mariniere",
            "chemise-oxford",
            "chemise-lin",
            "polo-pique",
            "sweat-col-rond",
            "hoodie",
            "pull-laine",
            "cardigan",
            "jean-droit",
            "chino"
        ]
    );
    let t_shirt = &first.items[0];
    assert_eq!(
        (t_shirt.name.as_str(), t_shirt.category.as_str()),
        ("T-shirt en lin", "Hauts")
    );
    assert_eq!(
        (
            t_shirt.price_from.amount,
            t_shirt.in_stock,
            t_shirt.image.as_str()
        ),
        (3500, true, "/img/products/t-shirt-lin.svg")
    );

    // Pages: 12, 12, 6, then nothing, the total still counted.
    let third = list(&app, "page=3").await?;
    assert_eq!(
        ids(&third),
        [
            "tote-bag",
            "ceinture-cuir",
            "chaussettes",
            "espadrilles",
            "baskets-toile",
            "bottines"
        ]
    );
    let beyond = list(&app, "page=4").await?;
    assert!(beyond.items.is_empty());
    assert_eq!((beyond.total, counts(&beyond)), (30, all.to_vec()));

    // Sorts, ties in the shop's order.
    assert_eq!(
        ids(&list(&app, "sort=price_asc&per_page=5").await?),
        [
            "chaussettes",
            "tote-bag",
            "t-shirt-coton-bio",
            "bonnet",
            "casquette"
        ]
    );
    assert_eq!(
        ids(&list(&app, "sort=price_desc&per_page=3").await?),
        ["trench", "bottines", "doudoune-legere"]
    );
    assert_eq!(
        ids(&list(&app, "sort=name&per_page=6").await?),
        [
            "baskets-toile",
            "bonnet",
            "bottines",
            "cardigan",
            "casquette",
            "ceinture-cuir"
        ]
    );
    // Accents fold before ordering: Écharpe among the e's, Ciré after Chemise.
    assert_eq!(
        ids(&list(&app, "sort=name&per_page=8&page=2").await?),
        [
            "chemise-oxford",
            "cire",
            "doudoune-legere",
            "echarpe",
            "espadrilles",
            "jean-droit",
            "jupe-plissee",
            "mariniere"
        ]
    );
    assert_eq!(
        ids(&list(&app, "sort=name&per_page=12&page=3").await?),
        [
            "sweat-col-rond",
            "t-shirt-coton-bio",
            "t-shirt-lin",
            "tote-bag",
            "trench",
            "veste-travail"
        ]
    );

    // Price window on the lowest variant price, both bounds included.
    let window = list(&app, "min_price=3500&max_price=4900&per_page=48").await?;
    assert_eq!(
        ids(&window),
        [
            "t-shirt-lin",
            "mariniere",
            "polo-pique",
            "short-lin",
            "echarpe",
            "ceinture-cuir",
            "espadrilles"
        ]
    );
    assert_eq!(
        counts(&window),
        [
            ("Hauts", 3),
            ("Bas", 1),
            ("Accessoires", 2),
            ("Chaussures", 1)
        ]
    );

    // The category filter narrows the items and the total, not the counts.
    let lin_bas = list(&app, "q=lin&category=Bas").await?;
    assert_eq!(ids(&lin_bas), ["short-lin"]);
    assert_eq!(lin_bas.total, 1);
    assert_eq!(counts(&lin_bas), [("Hauts", 2), ("Bas", 1)]);
    // A category the search leaves empty stays listed, at 0, in its place.
    let nowhere = list(&app, "q=lin&category=Robes").await?;
    assert_eq!((nowhere.total, nowhere.items.len()), (0, 0));
    assert_eq!(counts(&nowhere), [("Hauts", 2), ("Bas", 1), ("Robes", 0)]);

    // Everything combined, cheapest first.
    let combined = list(
        &app,
        "q=coton&category=Hauts&max_price=5000&sort=price_asc&in_stock=true",
    )
    .await?;
    assert_eq!(ids(&combined), ["t-shirt-coton-bio", "mariniere"]);
    assert_eq!(counts(&combined), [("Hauts", 2), ("Accessoires", 2)]);

    // Availability counts reservations: a product whose every unit is
    // reserved is not in stock, and in_stock hides it (and counts without it).
    app.execute(
        "UPDATE stock SET reserved = on_hand WHERE sku IN \
         (SELECT sku FROM variants WHERE product_id = 'mariniere')",
        &[],
    )
    .await?;
    let reserved = list(&app, "q=mariniere").await?;
    assert_eq!(
        reserved
            .items
            .iter()
            .map(|p| p.in_stock)
            .collect::<Vec<_>>(),
        [false]
    );
    let buyable = list(&app, "in_stock=true").await?;
    assert_eq!(buyable.total, 29);
    assert_eq!(counts(&buyable)[0], ("Hauts", 5));
    Ok(())
}

/// The former listing, in Rust over every product: what the store must answer.
fn expected(
    products: &[GeneratedProduct],
    query: &ProductQuery,
) -> (Vec<String>, u32, Vec<(String, u32)>) {
    let wanted = search::tokens(&query.q);
    let mut matching: Vec<&GeneratedProduct> = products
        .iter()
        .filter(|p| {
            search::matches(
                &wanted,
                &search::tokens(&format!("{} {} {}", p.name, p.category, p.description)),
            ) && query.min_price.is_none_or(|min| p.price_from() >= min)
                && query.max_price.is_none_or(|max| p.price_from() <= max)
                && (!query.in_stock || p.in_stock())
        })
        .collect();
    let mut categories: Vec<(String, u32)> = Vec::new();
    for p in &matching {
        match categories.iter_mut().find(|c| c.0 == p.category) {
            Some(c) => c.1 += 1,
            None => categories.push((p.category.to_owned(), 1)),
        }
    }
    if !query.category.is_empty() {
        matching.retain(|p| p.category == query.category);
    }
    match query.sort {
        ProductSort::Featured => {}
        ProductSort::PriceAsc => matching.sort_by_key(|p| p.price_from()),
        ProductSort::PriceDesc => matching.sort_by_key(|p| std::cmp::Reverse(p.price_from())),
        ProductSort::Name => matching.sort_by_key(|p| search::fold(&p.name)),
    }
    let total = u32::try_from(matching.len()).unwrap_or(u32::MAX);
    let skip = ((query.page() - 1) * query.per_page()) as usize;
    let items = matching
        .iter()
        .skip(skip)
        .take(query.per_page() as usize)
        .map(|p| p.id.clone())
        .collect();
    (items, total, categories)
}

#[tokio::test]
async fn a_catalog_of_ten_thousand_products_answers_as_the_rule_says() -> anyhow::Result<()> {
    let (app, products) = spawn_generated_catalog(10_000).await?;
    let queries = [
        "",
        "page=417&per_page=24",
        "q=chemise",
        "q=chemises%20lin&sort=price_asc&page=2",
        "q=%C3%A9t%C3%A9%20biarritz&sort=name",
        "q=sweat-shirts&category=Maille&per_page=48&page=3",
        "q=tee%20shirt%20rayure&sort=price_desc",
        "q=cach&min_price=9000&max_price=12000&in_stock=true&per_page=48",
        "q=coeur%20bretagne%20quimper&sort=name&page=2",
        "category=Chaussures&sort=price_desc&page=20",
        "in_stock=true&sort=name&page=100",
        "min_price=20000&sort=price_asc",
        "q=velours%20xyz",
        "q=n%C2%B0%209999",
    ];
    for raw in queries {
        let query: ProductQuery = serde_json::from_value(serde_json::Value::Object(
            form_urlencoded::parse(raw.as_bytes())
                .map(|(k, v)| {
                    let v = v.into_owned();
                    let value = match k.as_ref() {
                        "page" | "per_page" | "min_price" | "max_price" => {
                            serde_json::json!(v.parse::<i64>()?)
                        }
                        "in_stock" => serde_json::json!(v == "true"),
                        _ => serde_json::json!(v),
                    };
                    anyhow::Ok((k.into_owned(), value))
                })
                .collect::<anyhow::Result<_>>()?,
        ))?;
        let page = list(&app, raw).await?;
        let (items, total, categories) = expected(&products, &query);
        assert_eq!(
            ids(&page),
            items.iter().map(String::as_str).collect::<Vec<_>>(),
            "{raw}"
        );
        assert_eq!(page.total, total, "{raw}");
        assert_eq!(
            counts(&page),
            categories
                .iter()
                .map(|(c, n)| (c.as_str(), *n))
                .collect::<Vec<_>>(),
            "{raw}"
        );
        assert!(total > 0 || raw.contains("xyz"), "{raw} finds something");
    }
    // A generated product's page: its ten variants, live availability.
    let product: serde_json::Value = app
        .get("/api/catalog/products/gen-09999")
        .await?
        .expect(200)?;
    let model = &products[9999];
    assert_eq!(product["name"], model.name.as_str());
    assert_eq!(product["category"], model.category);
    assert_eq!(
        product["variants"].as_array().map(Vec::len),
        Some(model.variants.len())
    );
    assert_eq!(
        product["variants"][0]["sku"],
        model.variants[0].sku.as_str()
    );
    Ok(())
}
