//! The storefront in headless Chromium, driven over WebDriver, against the
//! native host with a fresh database. Each test saves screenshots of its key
//! steps to `e2e/screenshots/<test>/` (git-ignored) for a person to look at.

use comptoir_e2e::browser::Browser;
use comptoir_e2e::{TestApp, spawn_app_with};
use comptoir_functions::config::Config;
use comptoir_functions::port::Value;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

async fn app() -> anyhow::Result<TestApp> {
    app_with(Config::from_lookup(|_| None)?).await
}

async fn app_with(config: Config) -> anyhow::Result<TestApp> {
    anyhow::ensure!(
        comptoir_e2e::workspace()
            .join("dist/compte/index.html")
            .exists(),
        "build the storefront first: infra/build-storefront.sh"
    );
    spawn_app_with(config).await
}

/// Product page → two blue M T-shirts in the cart.
async fn add_two_shirts(b: &Browser, base: &str) -> anyhow::Result<()> {
    b.open(base, "/produits/t-shirt-lin").await?;
    b.click(&format!("input[value='{SKU}']")).await?;
    b.wait_text("#availability", "En stock").await?;
    b.fill("#quantity", "2").await?;
    b.click("#add-to-cart").await?;
    b.find(".notice-ok").await?;
    b.wait_text("#mini-cart .badge", "2").await
}

/// From the cart through the checkout form to the sandbox payment page.
async fn check_out(b: &Browser, email: Option<&str>) -> anyhow::Result<()> {
    b.click("#mini-cart").await?;
    b.wait_text("#cart-total", "70,00\u{a0}€").await?;
    b.click("#go-checkout").await?;
    let mut fields = vec![
        ("#phone", "06 12 34 56 78"),
        ("#name", "Marie Curie"),
        ("#line1", "11 rue Pierre et Marie Curie"),
        ("#postal_code", "75005"),
        ("#city", "Paris"),
    ];
    if let Some(email) = email {
        fields.insert(0, ("#email", email));
    }
    for (field, value) in fields {
        b.fill(field, value).await?;
    }
    b.wait_text("#review-total", "70,00\u{a0}€").await?;
    b.shot("checkout").await?;
    b.click("#place-order").await?;
    b.wait_text("#pay-amount", "70,00\u{a0}€").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_finds_a_t_shirt_by_search_buys_it_and_sees_it_paid() -> anyhow::Result<()> {
    let app = app().await?;
    let before = app.available(SKU).await?;
    let b = Browser::start("guest_journey").await?;
    let journey = async {
        b.open(&app.base, "/").await?;
        b.wait_text("#results-count", "30 produits").await?;
        b.fill("#search", "tee shirt").await?;
        b.click("#apply-filters").await?;
        b.wait_text("#results-count", "2 produits").await?;
        b.shot("1-search").await?;
        b.click("a[href='/produits/t-shirt-lin']").await?;
        b.shot("2-product").await?;
        add_two_shirts(&b, &app.base).await?;
        check_out(&b, Some("marie.curie@exemple.fr")).await?;
        b.shot("3-sandbox-payment").await?;
        b.click("#approve").await?;
        b.wait_text("#order-status", "Payée").await?;
        b.wait_text("#mini-cart .badge", "0").await?;
        b.wait_contains("#timeline", "paiement reçu").await?;
        b.shot("4-confirmation").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(app.available(SKU).await?, before - 2);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM orders WHERE status = 'paid' AND phone = '+33612345678'",
            &[]
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_in_belgium_sees_the_price_before_vat_and_pays_it() -> anyhow::Result<()> {
    let exempting =
        Config::from_lookup(|name| (name == "intra_eu_exemption").then(|| "true".to_owned()))?;
    let app = app_with(exempting).await?;
    let b = Browser::start("belgian_business").await?;
    let journey = async {
        add_two_shirts(&b, &app.base).await?;
        b.click("#mini-cart").await?;
        b.click("#go-checkout").await?;
        for (field, value) in [
            ("#email", "achats@solvay.example"),
            ("#phone", "+32 2 509 60 11"),
            ("#name", "Atelier Solvay"),
            ("#line1", "Rue de la Loi 16"),
            ("#postal_code", "1000"),
            ("#city", "Bruxelles"),
        ] {
            b.fill(field, value).await?;
        }
        // Delivered in Belgium: Colissimo Europe, Belgian VAT in the price.
        b.click("#country option[value='BE']").await?;
        b.wait_text("#review-total", "82,90\u{a0}€").await?;
        // A business with a Belgian VAT number: the price before VAT.
        b.click("#business").await?;
        b.fill("#company_name", "Atelier Solvay SRL").await?;
        b.fill("#company_vat_number", "BE 0403 170 701").await?;
        b.wait_text("#review-total", "68,51\u{a0}€").await?;
        b.wait_text("#reverse-charged", "−14,39\u{a0}€").await?;
        b.shot("checkout-reverse-charge").await?;
        b.click("#place-order").await?;
        b.wait_text("#pay-amount", "68,51\u{a0}€").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM orders WHERE ship_country = 'BE' AND total_cents = 6851 AND vat_cents = 0",
            &[]
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_signs_up_orders_and_finds_the_order_in_their_history() -> anyhow::Result<()> {
    let app = app().await?;
    let b = Browser::start("signed_in_journey").await?;
    let journey = async {
        b.open(&app.base, "/compte/inscription").await?;
        b.fill("#name", "Irène Joliot-Curie").await?;
        b.fill("#email", "irene@exemple.fr").await?;
        b.fill("#password", "radioactivité artificielle").await?;
        b.click("#sign-up").await?;
        b.wait_contains("#signed-in-as", "irene@exemple.fr").await?;
        b.shot("1-portal-empty").await?;
        add_two_shirts(&b, &app.base).await?;
        check_out(&b, None).await?;
        b.click("#approve").await?;
        b.wait_text("#order-status", "Payée").await?;
        b.click("#account-link").await?;
        b.wait_contains("#order-history", "Payée").await?;
        b.wait_contains("#order-history", "70,00\u{a0}€").await?;
        b.shot("2-history").await?;
        b.click("#order-history a").await?;
        b.wait_text("#order-status", "Payée").await?;
        b.click("#account-link").await?;
        b.click("#sign-out").await?;
        b.wait_contains("main", "Connectez-vous pour voir cette page")
            .await
    }
    .await;
    b.finish(journey).await?;
    let owned = app
        .scalar(
            "SELECT COUNT(*) FROM orders o JOIN accounts a ON a.id = o.customer_id \
             WHERE a.email = 'irene@exemple.fr' AND o.email = 'irene@exemple.fr'",
            &[],
        )
        .await?;
    assert_eq!(
        owned, 1,
        "the order is the account's, with its e-mail prefilled"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_payment_leads_back_to_the_cart_with_the_stock_released() -> anyhow::Result<()> {
    let app = app().await?;
    let before = app.available(SKU).await?;
    let b = Browser::start("declined_payment").await?;
    let journey = async {
        add_two_shirts(&b, &app.base).await?;
        check_out(&b, Some("marie.curie@exemple.fr")).await?;
        b.click("#decline").await?;
        b.wait_contains("#payment-declined", "Le paiement a été refusé")
            .await?;
        b.wait_text("#cart-total", "70,00\u{a0}€").await?;
        b.shot("1-back-in-cart").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(app.available(SKU).await?, before, "reservation released");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM orders WHERE status = 'cancelled'",
            &[]
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_page_waiting_for_a_payment_that_fails_goes_back_to_the_cart() -> anyhow::Result<()>
{
    let app = app().await?;
    let before = app.available(SKU).await?;
    let b = Browser::start("payment_fails_while_waiting").await?;
    let journey = async {
        add_two_shirts(&b, &app.base).await?;
        check_out(&b, Some("marie.curie@exemple.fr")).await?;
        // The shopper is on the provider's page; find the order it pays.
        let url = b.client.current_url().await?;
        let session = url.path().rsplit('/').next().unwrap_or_default().to_owned();
        let pay: Json = app
            .get(&format!("/api/payments/sandbox/{session}"))
            .await?
            .expect(200)?;
        let order = pay["order_id"].as_str().unwrap_or_default().to_owned();
        b.open(&app.base, &format!("/compte/commandes/{order}"))
            .await?;
        b.wait_text("#order-status", "En attente de paiement")
            .await?;
        b.shot("1-waiting").await?;
        // The payment fails on the provider's side: the order is cancelled.
        app.call("POST", &format!("/api/orders/{order}/abandon"), None, &[])
            .await?
            .expect::<Json>(200)?;
        b.wait_contains("#payment-declined", "Votre commande est annulée")
            .await?;
        b.shot("2-back-in-cart").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(app.available(SKU).await?, before);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_out_of_stock_variant_cannot_be_added_and_a_low_one_is_bounded() -> anyhow::Result<()> {
    let app = app().await?;
    let b = Browser::start("out_of_stock").await?;
    let journey = async {
        b.open(&app.base, "/produits/t-shirt-lin").await?;
        b.click("input[value='TSL-BLEU-XL']").await?;
        b.wait_text("#availability", "Rupture de stock").await?;
        let add = b.find("#add-to-cart").await?;
        anyhow::ensure!(
            add.attr("disabled").await?.is_some(),
            "add to cart must be disabled for an out-of-stock variant"
        );
        b.shot("1-out-of-stock").await?;
        b.click("input[value='TSL-BLANC-XS']").await?;
        b.wait_text("#availability", "Plus que 2").await?;
        b.fill("#quantity", "3").await?;
        b.click("#add-to-cart").await?;
        b.wait_text(".notice-error", "Il n'en reste que 2 en stock.")
            .await?;
        b.shot("2-only-two-left").await
    }
    .await;
    b.finish(journey).await?;
    assert_eq!(app.count("cart_lines").await?, 0, "nothing was added");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_promo_code_is_refused_with_its_reason() -> anyhow::Result<()> {
    let app = app().await?;
    let b = Browser::start("promo_code").await?;
    let journey = async {
        add_two_shirts(&b, &app.base).await?;
        b.click("#mini-cart").await?;
        b.fill("#promo-code", "FAUXCODE").await?;
        b.click("#apply-promo").await?;
        b.wait_text(
            "#promo-refused",
            "Code FAUXCODE refusé : ce code n'existe pas.",
        )
        .await?;
        b.wait_text("#cart-total", "70,00\u{a0}€").await?;
        b.shot("1-refused").await
    }
    .await;
    b.finish(journey).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_asks_for_a_return_writes_to_support_and_answers_the_survey()
-> anyhow::Result<()> {
    let app = app().await?;
    let email = "marie.curie@exemple.fr";
    let cookie = app.sign_up(email).await?;
    let order = app.paid_order_as(Some(&cookie), SKU, 2).await?;
    app.ship(&order, "6A12345678901").await?;
    let warehouse = app.staff("warehouse").await?;
    app.move_order(&warehouse, &order, json!({"to": "delivered"}))
        .await?
        .expect::<Json>(200)?;

    let b = Browser::start("return_request").await?;
    let journey = async {
        b.open(
            &app.base,
            &format!("/compte/connexion?retour=/compte/commandes/{order}"),
        )
        .await?;
        b.fill("#email", email).await?;
        b.fill("#password", "radium et polonium").await?;
        b.click("#sign-in").await?;
        b.wait_text("#order-status", "Livrée").await?;
        b.wait_contains("#tracking", "6A12345678901").await?;
        b.shot("1-delivered-order").await?;
        b.find("#return-qty-0").await?.select_by_value("1").await?;
        b.fill("#return-reason", "Trop grand").await?;
        b.click("#request-return").await?;
        b.wait_contains("#refunds", "Demande reçue").await?;
        b.wait_contains("#refunds", "35,00\u{a0}€").await?;
        b.shot("2-return-requested").await?;
        b.fill("#message", "Puis-je l'échanger contre un S ?")
            .await?;
        b.click("#send-message").await?;
        b.wait_contains("#messages", "Puis-je l'échanger contre un S ?")
            .await?;
        b.click("#csat-5").await?;
        b.click("#nps-9").await?;
        b.click("#send-survey").await?;
        b.find("#survey-thanks").await?;
        b.shot("3-support-and-survey").await
    }
    .await;
    b.finish(journey).await?;
    let order_id = Value::Text(order.clone());
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM refunds WHERE order_id = ?1 AND status = 'requested' AND requested_cents = 3500",
            std::slice::from_ref(&order_id),
        )
        .await?,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM surveys WHERE order_id = ?1 AND csat = 5 AND nps = 9",
            std::slice::from_ref(&order_id),
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_turns_the_shop_english_and_stays_so() -> anyhow::Result<()> {
    let app = app().await?;
    let b = Browser::start("language_switch").await?;
    let journey = async {
        b.open(&app.base, "/").await?;
        b.wait_text("#results-count", "30 produits").await?;
        b.wait_contains(".product-card .price", "dès 35,00\u{a0}€")
            .await?;
        b.click("#lang-switch").await?;
        b.wait_text("#results-count", "30 products").await?;
        anyhow::ensure!(
            b.client.current_url().await?.path() == "/en/",
            "the English shop lives under /en/"
        );
        b.wait_contains(".product-card .price", "from €35.00")
            .await?;
        b.awake().await?;
        b.wait_contains("#mini-cart", "Cart").await?;
        b.shot("1-english").await?;
        b.client.refresh().await?;
        b.wait_text("#results-count", "30 products").await?;
        b.click("a[href='/en/produits/t-shirt-lin']").await?;
        b.awake().await?;
        b.wait_text("h1", "Linen T-shirt").await?;
        b.click(&format!("input[value='{SKU}']")).await?;
        b.wait_text("#availability", "In stock").await?;
        b.click("#add-to-cart").await?;
        b.wait_text("#mini-cart .badge", "1").await?;
        b.open(&app.base, "/en/panier").await?;
        b.wait_contains(".cart-table", "Linen T-shirt").await?;
        b.open(&app.base, "/compte/connexion").await?;
        b.wait_text("h1", "Sign in").await?;
        b.shot("2-english-account-bundle").await?;
        b.click("#lang-switch").await?;
        b.wait_text("h1", "Connexion").await
    }
    .await;
    b.finish(journey).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_shop_shows_products_prices_and_availability() -> anyhow::Result<()>
{
    let app = app().await?;
    let b = Browser::start_without_scripts("without_javascript").await?;
    let journey = async {
        b.client.goto(&format!("{}/", app.base)).await?;
        b.wait_text("#results-count", "30 produits").await?;
        b.wait_contains(".product-card .price", "dès 35,00\u{a0}€")
            .await?;
        b.shot("1-catalog").await?;
        // The search form is a plain GET form: it works without a script.
        b.fill("#search", "tee shirt").await?;
        b.click("#apply-filters").await?;
        b.wait_text("#results-count", "2 produits").await?;
        anyhow::ensure!(
            b.client
                .current_url()
                .await?
                .query()
                .is_some_and(|q| q.starts_with("q=tee+shirt")),
            "the search is in the URL"
        );
        b.client
            .goto(&format!("{}/produits/t-shirt-lin", app.base))
            .await?;
        b.wait_contains(".price-large", "35,00\u{a0}€").await?;
        b.wait_text("#availability", "En stock").await?;
        b.wait_contains("label.variant-out", "Rupture de stock")
            .await?;
        b.shot("2-product").await?;
        b.client.goto(&format!("{}/en/", app.base)).await?;
        b.wait_text("#results-count", "30 products").await?;
        b.wait_contains(".product-card .price", "from €35.00")
            .await?;
        b.shot("3-english").await
    }
    .await;
    b.finish(journey).await
}

/// The visitor funnel's counts, once the job runner (the host's timer,
/// every 2 s) has rolled them up to `expected` (waits up to 20 s).
async fn funnel_reaches(app: &TestApp, staff: &str, expected: &Json) -> anyhow::Result<Json> {
    let mut counts = Json::Null;
    for _ in 0..40 {
        let funnel: Json = app.get_as(staff, "/api/kpis/funnel").await?.expect(200)?;
        counts = funnel["counts"].clone();
        if &counts == expected {
            return Ok(funnel);
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    anyhow::bail!("the funnel counts {counts}, not {expected}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_funnel_counts_one_of_each_step_for_a_buyer_and_a_visit_and_a_view_for_a_passer_by()
-> anyhow::Result<()> {
    let app = app().await?;
    let staff = app.staff("admin").await?;
    // Visitor 1: home → product → add to cart → checkout → pays.
    let b = Browser::start_as(
        "funnel_buyer",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    )
    .await?;
    let journey = async {
        b.open(&app.base, "/").await?;
        b.awake().await?;
        b.click("a[href='/produits/t-shirt-lin']").await?;
        b.awake().await?;
        b.click(&format!("input[value='{SKU}']")).await?;
        b.fill("#quantity", "2").await?;
        b.click("#add-to-cart").await?;
        b.wait_text("#mini-cart .badge", "2").await?;
        check_out(&b, Some("visiteur@exemple.fr")).await?;
        b.click("#approve").await?;
        b.wait_text("#order-status", "Payée").await
    }
    .await;
    b.finish(journey).await?;
    let one_of_each = json!({"visits": 1, "page_views": 2, "product_views": 1, "add_to_cart": 1,
        "checkout_started": 1, "paid": 1});
    funnel_reaches(&app, &staff, &one_of_each).await?;

    // Visitor 2, on a phone: a product page, then gone.
    let b = Browser::start_as(
        "funnel_passer_by",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    )
    .await?;
    let journey = async {
        b.open(&app.base, "/produits/t-shirt-lin").await?;
        b.awake().await
    }
    .await;
    b.finish(journey).await?;
    let funnel = funnel_reaches(
        &app,
        &staff,
        &json!({"visits": 2, "page_views": 2, "product_views": 2, "add_to_cart": 1,
            "checkout_started": 1, "paid": 1}),
    )
    .await?;
    let mobile = funnel["by_device"]
        .as_array()
        .and_then(|d| d.iter().find(|s| s["key"] == "mobile"))
        .map(|s| s["counts"]["product_views"].clone());
    assert_eq!(mobile, Some(json!(1)), "{funnel}");
    Ok(())
}

/// The raw audience events stored so far, `kind path`, sorted.
async fn raw_events(app: &TestApp) -> anyhow::Result<Vec<String>> {
    Ok(app
        .rows(
            "SELECT kind, path FROM audience_events ORDER BY kind, path",
            &[],
        )
        .await?
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.text(0).unwrap_or_default(),
                r.text(1).unwrap_or_default()
            )
        })
        .collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_who_opts_out_on_the_privacy_page_sends_nothing_until_measured_again()
-> anyhow::Result<()> {
    let app = app().await?;
    let b = Browser::start_as(
        "privacy_opt_out",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    )
    .await?;
    let journey = async {
        // The footer leads to the privacy page (measured: nothing opted out yet).
        b.open(&app.base, "/").await?;
        b.awake().await?;
        b.click("#privacy-link").await?;
        b.wait_text("#audience-toggle", "Ne pas être mesuré")
            .await?;
        b.wait_contains("#audience-state", "est mesuré").await?;
        b.click("#audience-toggle").await?;
        b.wait_text("#audience-toggle", "Me mesurer à nouveau")
            .await?;
        b.wait_contains("#audience-state", "vous l'avez demandé")
            .await?;
        // One entry for the measurement, written on request only (the
        // shop's other entries, such as the language, are not about it).
        const AUDIENCE_KEYS: &str = "return JSON.stringify(Object.keys(localStorage)\
            .filter((k) => k.includes('audience')).map((k) => [k, localStorage.getItem(k)]))";
        let stored = b.client.execute(AUDIENCE_KEYS, vec![]).await?;
        anyhow::ensure!(
            stored.as_str() == Some("[[\"comptoir.audience-opt-out\",\"1\"]]"),
            "the opt-out alone: {stored}"
        );
        b.shot("1-opted-out").await?;
        // Opted out: a product page, an addition to the cart, nothing sent.
        b.open(&app.base, "/produits/t-shirt-lin").await?;
        b.awake().await?;
        b.click(&format!("input[value='{SKU}']")).await?;
        b.wait_text("#availability", "En stock").await?;
        b.click("#add-to-cart").await?;
        b.wait_text("#mini-cart .badge", "1").await?;
        // Measured again (from the English page, itself not counted: still
        // opted out when it loads): the next page is counted.
        b.open(&app.base, "/en/confidentialite").await?;
        b.wait_text("#audience-toggle", "Measure me again").await?;
        b.click("#audience-toggle").await?;
        b.wait_text("#audience-toggle", "Do not measure me").await?;
        let stored = b.client.execute(AUDIENCE_KEYS, vec![]).await?;
        anyhow::ensure!(stored.as_str() == Some("[]"), "cleared: {stored}");
        b.open(&app.base, "/?category=Hauts").await?;
        b.awake().await
    }
    .await;
    b.finish(journey).await?;
    // Events are written by the host's appender: wait for the last one.
    let mut events = Vec::new();
    for _ in 0..40 {
        events = raw_events(&app).await?;
        if events.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(events, raw_events(&app).await?, "late events");
    assert_eq!(
        events,
        ["view /", "view /", "view /confidentialite"],
        "nothing while opted out"
    );
    Ok(())
}
