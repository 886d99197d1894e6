//! The shop's server-rendered pages, black-box over HTTP: complete HTML in
//! both languages, real 404s, structured data that agrees with the API,
//! validators and cache policy, the sitemap and robots.txt.

use comptoir_e2e::spawn_app;
use comptoir_functions::port::Value;
use serde_json::Value as Json;

/// Status, headers and body of a GET.
async fn page(
    app: &comptoir_e2e::TestApp,
    path: &str,
    if_none_match: Option<&str>,
) -> anyhow::Result<(u16, reqwest::header::HeaderMap, String)> {
    let mut request = app.http.get(format!("{}{path}", app.base));
    if let Some(etag) = if_none_match {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    Ok((status, headers, response.text().await?))
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Every JSON-LD block of a page.
fn structured_data(html: &str) -> anyhow::Result<Vec<Json>> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    html.split(OPEN)
        .skip(1)
        .map(|rest| {
            let block = rest.split("</script>").next().unwrap_or_default();
            Ok(serde_json::from_str(block)?)
        })
        .collect()
}

#[tokio::test]
async fn shop_pages_come_complete_from_the_server_in_both_languages() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let (status, headers, home) = page(&app, "/", None).await?;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert!(
        home.starts_with("<!DOCTYPE html><html lang=\"fr\">"),
        "{home:.80}"
    );
    assert!(home.contains("<p id=\"results-count\" class=\"muted\">30 produits</p>"));
    assert!(home.contains("T-shirt en lin") && home.contains("35,00\u{a0}€"));
    assert!(home.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"http://127.0.0.1"));
    assert!(home.contains("<link rel=\"canonical\" href=\""));
    assert!(!home.contains("noindex"), "the home page is indexable");

    let (_, headers, english) = page(&app, "/en/", None).await?;
    assert_eq!(header(&headers, "content-language"), "en");
    assert!(english.contains("<html lang=\"en\">") && english.contains(">30 products<"));
    assert!(english.contains("from <!-- -->€35.00") || english.contains("from <!>€35.00"));

    let (_, _, search) = page(&app, "/?q=tee+shirt", None).await?;
    assert!(
        search.contains(">2 produits<"),
        "tee shirt finds both T-shirts"
    );
    assert!(search.contains("<meta name=\"robots\" content=\"noindex, follow\">"));
    // The form's prices are whole euros; the page reads them.
    let (_, _, cheap) = page(&app, "/?prix_max=30&sort=price_asc", None).await?;
    assert!(
        cheap.contains("value=\"30\""),
        "the form shows what was asked"
    );

    let (status, _, product) = page(&app, "/produits/t-shirt-lin", None).await?;
    assert_eq!(status, 200);
    assert!(product.contains("<title>T-shirt en lin — Comptoir</title>"));
    assert!(product.contains("id=\"availability\""));
    assert!(product.contains("<leptos-island data-component=\"AddToCart_"));
    assert!(product.contains("property=\"og:type\" content=\"product\""));
    Ok(())
}

#[tokio::test]
async fn the_privacy_page_explains_the_measurement_and_every_page_links_to_it() -> anyhow::Result<()>
{
    let app = spawn_app().await?;
    let (status, _, fr) = page(&app, "/confidentialite", None).await?;
    assert_eq!(status, 200);
    for said in [
        "pseudonymisées",
        "environ deux heures après leur arrivée (7 jours au",
        "13 mois au plus",
        "Do Not Track",
        "Global Privacy Control",
        "id=\"audience-toggle\"",
        "data-on=\"Me mesurer à nouveau\"",
        ">Ne pas être mesuré</button>",
    ] {
        assert!(fr.contains(said), "{said}");
    }
    // The button works with scripts only (the boot script shows it).
    let button = fr
        .split("id=\"audience-toggle\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        button
            .split('>')
            .next()
            .unwrap_or_default()
            .contains("hidden")
    );
    let (status, _, en) = page(&app, "/en/confidentialite", None).await?;
    assert_eq!(status, 200);
    assert!(en.contains("pseudonymised") && en.contains(">Do not measure me</button>"));
    assert!(en.contains("<link rel=\"alternate\" hreflang=\"fr\" href=\"http://127.0.0.1"));
    for (path, link) in [
        ("/", "href=\"/confidentialite\""),
        ("/produits/t-shirt-lin", "href=\"/confidentialite\""),
        ("/en/panier", "href=\"/en/confidentialite\""),
    ] {
        let (_, _, html) = page(&app, path, None).await?;
        assert!(
            html.contains(link) && html.contains("id=\"privacy-link\""),
            "{path}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn unknown_pages_and_products_answer_a_real_404_page() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    for (path, words) in [
        ("/produits/nexiste-pas", "Page introuvable"),
        ("/produits/BAD%20ID", "Page introuvable"),
        ("/nulle-part", "Page introuvable"),
        ("/en/nowhere", "Page not found"),
    ] {
        let (status, headers, html) = page(&app, path, None).await?;
        assert_eq!(status, 404, "{path}");
        assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
        assert!(html.contains(words) && html.contains("noindex"), "{path}");
        assert!(
            html.contains("name=\"q\""),
            "{path}: a search to go on with"
        );
    }
    let (status, headers, body) = page(&app, "/api/nothing-here", None).await?;
    assert_eq!(status, 404);
    assert_eq!(header(&headers, "content-type"), "application/json");
    assert_eq!(body, r#"{"error":"not_found","resource":"route"}"#);
    Ok(())
}

#[tokio::test]
async fn the_product_json_ld_agrees_with_the_api_price_and_live_availability() -> anyhow::Result<()>
{
    let app = spawn_app().await?;
    // Sell out one variant: both the API and the page must say so.
    app.execute(
        "UPDATE stock SET on_hand = 0 WHERE sku = ?1",
        &[Value::Text("TSL-BLEU-M".into())],
    )
    .await?;
    let api: Json = app
        .get("/api/catalog/products/t-shirt-lin")
        .await?
        .expect(200)?;
    let (_, _, html) = page(&app, "/produits/t-shirt-lin", None).await?;
    let data = structured_data(&html)?;
    let product = data
        .iter()
        .flat_map(|d| d.as_array().cloned().unwrap_or_else(|| vec![d.clone()]))
        .find(|d| d["@type"] == "Product")
        .ok_or_else(|| anyhow::anyhow!("no Product in {data:?}"))?;
    assert_eq!(product["name"], api["name"]);
    let offers = product["offers"].as_array().cloned().unwrap_or_default();
    let variants = api["variants"].as_array().cloned().unwrap_or_default();
    assert_eq!(offers.len(), variants.len());
    for (offer, variant) in offers.iter().zip(&variants) {
        assert_eq!(offer["sku"], variant["sku"]);
        let cents = variant["price"]["amount"].as_i64().unwrap_or(-1);
        assert_eq!(
            offer["price"].as_str(),
            Some(format!("{}.{:02}", cents / 100, cents % 100).as_str())
        );
        assert_eq!(offer["priceCurrency"], "EUR");
        let expected = match variant["availability"]["state"].as_str() {
            Some("in_stock") => "https://schema.org/InStock",
            Some("low") => "https://schema.org/LimitedAvailability",
            _ => "https://schema.org/OutOfStock",
        };
        assert_eq!(offer["availability"], expected, "{}", variant["sku"]);
    }
    let sold_out = offers
        .iter()
        .find(|o| o["sku"] == "TSL-BLEU-M")
        .map(|o| o["availability"].clone());
    assert_eq!(sold_out, Some(Json::from("https://schema.org/OutOfStock")));
    let crumbs = data
        .iter()
        .flat_map(|d| d.as_array().cloned().unwrap_or_else(|| vec![d.clone()]))
        .find(|d| d["@type"] == "BreadcrumbList")
        .ok_or_else(|| anyhow::anyhow!("no BreadcrumbList"))?;
    assert_eq!(crumbs["itemListElement"][1]["name"], "Hauts");
    assert_eq!(crumbs["itemListElement"][2]["name"], "T-shirt en lin");
    Ok(())
}

#[tokio::test]
async fn pages_and_catalog_json_carry_validators_and_a_shared_cache_policy() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    for path in [
        "/",
        "/produits/t-shirt-lin",
        "/en/panier",
        "/api/catalog/products?q=lin",
        "/api/catalog/products/t-shirt-lin",
    ] {
        let (status, headers, _) = page(&app, path, None).await?;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            header(&headers, "cache-control"),
            "public, max-age=60, stale-while-revalidate=600"
        );
        assert!(
            header(&headers, "set-cookie").is_empty(),
            "{path}: no cookie"
        );
        let csp = header(&headers, "content-security-policy");
        if path.starts_with("/api/") {
            assert_eq!(csp, "default-src 'none'; frame-ancestors 'none'", "{path}");
        } else {
            assert!(csp.contains("script-src 'self'"), "{path}");
        }
        let etag = header(&headers, "etag").to_owned();
        assert!(
            etag.starts_with("W/\"") && etag.len() > 10,
            "{path}: {etag}"
        );
        let (again, headers, body) = page(&app, path, Some(&etag)).await?;
        assert_eq!((again, body.as_str()), (304, ""), "{path}");
        assert_eq!(header(&headers, "etag"), etag);
        let (changed, _, _) = page(&app, path, Some("\"something-else\"")).await?;
        assert_eq!(changed, 200, "{path}");
    }
    // A page changes when the catalog does: a new validator.
    let (_, headers, _) = page(&app, "/produits/t-shirt-lin", None).await?;
    let before = header(&headers, "etag").to_owned();
    app.execute(
        "UPDATE products SET description = 'Lin lavé, coupe ample.' WHERE id = 't-shirt-lin'",
        &[],
    )
    .await?;
    let (status, headers, _) = page(&app, "/produits/t-shirt-lin", Some(&before)).await?;
    assert_eq!(status, 200);
    assert_ne!(header(&headers, "etag"), before);
    Ok(())
}

#[tokio::test]
async fn the_sitemap_lists_every_published_product_and_category_and_robots_names_it()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    app.execute(
        "UPDATE products SET published = 0 WHERE id = 'mariniere'",
        &[],
    )
    .await?;
    let (status, headers, xml) = page(&app, "/sitemap.xml", None).await?;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        "application/xml; charset=utf-8"
    );
    let published = app
        .scalar("SELECT COUNT(*) FROM products WHERE published = 1", &[])
        .await?;
    let categories = app
        .scalar(
            "SELECT COUNT(DISTINCT category) FROM products WHERE published = 1",
            &[],
        )
        .await?;
    // Home, privacy page, categories and products, each in French and English.
    let urls = xml.matches("<url>").count() as i64;
    assert_eq!(urls, 2 * (2 + categories + published));
    assert!(xml.contains("/confidentialite</loc>"));
    assert!(xml.contains("/en/confidentialite</loc>"));
    assert!(xml.contains("/produits/t-shirt-lin</loc>"));
    assert!(xml.contains("/en/produits/t-shirt-lin</loc>"));
    assert!(xml.contains("/?category=Hauts</loc>"));
    assert!(
        !xml.contains("mariniere"),
        "unpublished products are not listed"
    );
    let (_, _, robots) = page(&app, "/robots.txt", None).await?;
    for line in [
        "Disallow: /admin",
        "Disallow: /compte",
        "Disallow: /api/",
        "Sitemap: http",
    ] {
        assert!(robots.contains(line), "{line} in {robots}");
    }
    Ok(())
}

/// gzip -9 size of some bytes (what the build's budget counts).
fn gzipped(bytes: &[u8]) -> anyhow::Result<usize> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("gzip")
        .arg("-9c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("gzip's stdin"))?
        .write_all(bytes)?;
    Ok(child.wait_with_output()?.stdout.len())
}

#[tokio::test]
async fn a_shop_page_first_load_stays_within_120_kb_gzip() -> anyhow::Result<()> {
    const BUDGET: usize = 120 * 1024;
    let dist = comptoir_e2e::workspace().join("dist");
    anyhow::ensure!(
        dist.join("assets.json").exists(),
        "build the storefront first: infra/build-storefront.sh"
    );
    let app = spawn_app().await?;
    let assets: Json = serde_json::from_slice(&std::fs::read(dist.join("assets.json"))?)?;
    let file = |url: &str| std::fs::read(dist.join(url.trim_start_matches('/')));
    let boot_url = assets["boot"].as_str().unwrap_or_default();
    let boot = file(boot_url)?;
    // The boot module names the bundle's glue and WebAssembly.
    let imported: Vec<String> = String::from_utf8_lossy(&boot)
        .split('"')
        .filter(|s| s.starts_with("/pkg/"))
        .map(str::to_owned)
        .collect();
    anyhow::ensure!(imported.len() == 2, "boot imports {imported:?}");
    let mut files = gzipped(&file(assets["css"].as_str().unwrap_or_default())?)?;
    files += gzipped(&boot)?;
    for url in &imported {
        files += gzipped(&file(url)?)?;
    }
    for path in [
        "/",
        "/?category=Hauts",
        "/produits/t-shirt-lin",
        "/en/",
        "/confidentialite",
    ] {
        let (status, _, html) = page(&app, path, None).await?;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(boot_url), "{path} boots the shop bundle");
        let total = gzipped(html.as_bytes())? + files;
        println!("{path}: first load {total} B gzip (html + css + js + wasm)");
        assert!(total <= BUDGET, "{path}: {total} B gzip, over {BUDGET} B");
    }
    Ok(())
}

#[tokio::test]
async fn hostile_urls_get_a_page_never_a_panic_or_an_escape() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    // Past the end, up to the integer's limit: an empty listing.
    for page_number in ["4294967295", "4294967296", "99999999999"] {
        let (status, _, html) = page(&app, &format!("/?page={page_number}"), None).await?;
        assert_eq!(status, 200, "page={page_number}");
        assert!(html.contains("</html>"), "page={page_number}");
    }
    // A category that would open an HTML comment and a script inside the
    // JSON-LD block: it stays data, and the page after it survives.
    let (status, _, html) =
        page(&app, "/?category=%3C!--%3Cscript%3E%3C%2Fscript%3E", None).await?;
    assert_eq!(status, 200);
    let data = structured_data(&html)?;
    assert_eq!(
        data.first()
            .map(|d| d["itemListElement"][1]["name"].clone()),
        Some(Json::from("<!--<script></script>"))
    );
    let block = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap_or_default();
    assert!(!block.contains('<') && !block.contains('>'), "{block}");
    assert!(html.contains("<footer"), "the body is still there");
    // A slug that is not text, and a method pages do not take: page headers.
    for (method, path, expected) in [
        ("GET", "/produits/%FF", 404),
        ("POST", "/", 405),
        ("GET", "/en/produits/%C3%28", 404),
    ] {
        let response = app
            .http
            .request(method.parse()?, format!("{}{path}", app.base))
            .send()
            .await?;
        assert_eq!(response.status().as_u16(), expected, "{method} {path}");
        let csp = header(response.headers(), "content-security-policy").to_owned();
        assert!(csp.contains("script-src 'self'"), "{method} {path}: {csp}");
        assert_eq!(header(response.headers(), "x-frame-options"), "DENY");
    }
    Ok(())
}
