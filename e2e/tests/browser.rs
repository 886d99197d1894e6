//! The shopper's journey in headless Chromium: catalog → product → cart →
//! guest checkout → sandbox payment → confirmation, then the stock it moved.

use comptoir_e2e::browser::Browser;
use comptoir_e2e::spawn_app;

const SKU: &str = "TSL-BLEU-M";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_buys_a_t_shirt_and_sees_it_paid() -> anyhow::Result<()> {
    anyhow::ensure!(
        comptoir_e2e::workspace().join("dist/index.html").exists(),
        "build the storefront first: infra/build-storefront.sh"
    );
    let app = spawn_app().await?;
    let before = app.available(SKU).await?;
    let browser = Browser::start("guest_journey").await?;
    let journey = async {
        let b = &browser;
        b.client.goto(&app.base).await?;
        b.find("a[href='/produits/t-shirt-lin']")
            .await?
            .click()
            .await?;
        b.shot("1-product").await?;
        b.find(&format!("input[value='{SKU}']"))
            .await?
            .click()
            .await?;
        b.wait_text("#availability", "En stock").await?;
        let quantity = b.find("#quantity").await?;
        quantity.clear().await?;
        quantity.send_keys("2").await?;
        b.find("#add-to-cart").await?.click().await?;
        b.find(".notice-ok").await?;
        b.wait_text("#mini-cart .badge", "2").await?;
        b.find("#mini-cart").await?.click().await?;
        b.wait_text("#cart-total", "70,00\u{a0}€").await?;
        b.shot("2-cart").await?;
        b.find("#go-checkout").await?.click().await?;
        for (field, value) in [
            ("#email", "marie.curie@exemple.fr"),
            ("#name", "Marie Curie"),
            ("#line1", "11 rue Pierre et Marie Curie"),
            ("#postal_code", "75005"),
            ("#city", "Paris"),
        ] {
            b.find(field).await?.send_keys(value).await?;
        }
        b.wait_text("#review-total", "70,00\u{a0}€").await?;
        b.shot("3-checkout").await?;
        b.find("#place-order").await?.click().await?;
        b.wait_text("#pay-amount", "70,00\u{a0}€").await?;
        b.shot("4-sandbox-payment").await?;
        b.find("#approve").await?.click().await?;
        b.wait_text("#order-status", "Payée").await?;
        b.wait_text("#mini-cart .badge", "0").await?;
        b.shot("5-confirmation").await?;
        anyhow::Ok(())
    }
    .await;
    if journey.is_err() {
        let _ = browser.shot("failure").await;
    }
    browser.close().await?;
    journey?;
    assert_eq!(app.available(SKU).await?, before - 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM orders WHERE status = 'paid'", &[])
            .await?,
        1
    );
    Ok(())
}
