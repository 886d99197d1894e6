//! The books (issue 12): every sale, payment, credit note and refund — and
//! money that was no sale — written as balanced double entries in the same
//! transaction, exported as a FEC that keeps every rule of article A47 A-1,
//! and a VAT report equal to the VAT accounts' movements.

use std::collections::BTreeMap;

use comptoir_e2e::{TestApp, account_balance, checkout_body, now_ms, spawn_app};
use comptoir_functions::config::SANDBOX_WEBHOOK_SECRET;
use comptoir_functions::port::Value;
use comptoir_shared::calendar::paris_date;
use comptoir_shared::ledger::FEC_COLUMNS;
use serde_json::{Value as Json, json};

const SHIRT: &str = "TSL-BLEU-M"; // 35,00 € at 20 %
const CAP: &str = "CAS-MARINE"; // 29,00 €, made reduced-rate below

/// A paid order of the given lines (with a promotion when asked); its id.
async fn sale(app: &TestApp, lines: &[(&str, u32)], promo: bool) -> anyhow::Result<String> {
    let cart: Json = app
        .send("POST", "/api/carts", &json!({}))
        .await?
        .expect(201)?;
    let cart = cart["id"].as_str().unwrap_or_default().to_owned();
    for (sku, quantity) in lines {
        app.send(
            "PUT",
            &format!("/api/carts/{cart}/items"),
            &json!({"sku": sku, "quantity": quantity}),
        )
        .await?
        .expect::<Json>(200)?;
    }
    if promo {
        app.send(
            "PUT",
            &format!("/api/carts/{cart}/promotions"),
            &json!({"code": "BIENVENUE10"}),
        )
        .await?
        .expect::<Json>(200)?;
    }
    let mut body = checkout_body(&cart);
    body["email"] = json!(format!("client{}@exemple.fr", now_ms() % 100_000));
    let placed: Json = app
        .send("POST", "/api/checkout", &body)
        .await?
        .expect(201)?;
    let order = placed["order_id"].as_str().unwrap_or_default().to_owned();
    app.pay(&order, true).await?;
    Ok(order)
}

async fn refund(app: &TestApp, finance: &str, order: &str, cents: i64) -> anyhow::Result<()> {
    app.send_as(
        finance,
        "POST",
        "/api/refunds/direct",
        &json!({"order_id": order, "amount": {"amount": cents, "currency": "EUR"}, "reason": "retour"}),
    )
    .await?
    .expect::<Json>(201)?;
    Ok(())
}

fn cents(raw: &str) -> i64 {
    let (units, decimals) = raw.split_once(',').unwrap_or((raw, "00"));
    units.parse::<i64>().unwrap_or(i64::MIN) * 100 + decimals.parse::<i64>().unwrap_or(0)
}

#[tokio::test]
async fn a_year_of_sales_refunds_and_a_double_payment_balances_and_exports_as_a_fec()
-> anyhow::Result<()> {
    let app = spawn_app().await?;
    app.execute(
        "UPDATE products SET tax_class = 'reduced' WHERE id = 'casquette'",
        &[],
    )
    .await?;
    app.execute("UPDATE stock SET on_hand = 200", &[]).await?;
    let finance = app.staff("finance").await?;
    let year = paris_date(now_ms()).0;

    let mut orders = Vec::new();
    for i in 0..6u32 {
        let lines: Vec<(&str, u32)> = match i % 3 {
            0 => vec![(SHIRT, 1)],
            1 => vec![(SHIRT, 2), (CAP, 1)],
            _ => vec![(CAP, 1)],
        };
        orders.push(sale(&app, &lines, i % 2 == 1).await?);
    }
    // A full refund, a partial one, and a second one on the same order.
    let total = |o: &str| {
        let o = o.to_owned();
        let app = &app;
        async move {
            let summary: Json = app.get(&format!("/api/orders/{o}")).await?.expect(200)?;
            anyhow::Ok(
                summary["totals"]["total"]["amount"]
                    .as_i64()
                    .unwrap_or_default(),
            )
        }
    };
    refund(&app, &finance, &orders[0], total(&orders[0]).await?).await?;
    refund(&app, &finance, &orders[1], 1_000).await?;
    refund(&app, &finance, &orders[1], 550).await?;
    // A second payment of a paid order: received, refunded, never a sale.
    let double = json!({
        "id": "evt_double", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_double", "object": "checkout.session",
                 "amount_total": total(&orders[2]).await?, "currency": "eur",
                 "payment_status": "paid", "payment_intent": "pi_double",
                 "metadata": {"order_id": orders[2]}}}
    });
    let ack: Json = app
        .webhook(SANDBOX_WEBHOOK_SECRET, &double.to_string(), now_ms() / 1000)
        .await?
        .expect(200)?;
    assert_eq!(ack["outcome"], "billing_error");

    // Six invoices, three credit notes; the double payment has neither.
    let count = "SELECT COUNT(*) FROM invoices WHERE kind = ?1";
    assert_eq!(
        app.scalar(count, &[Value::Text("invoice".into())]).await?,
        6
    );
    assert_eq!(
        app.scalar(count, &[Value::Text("credit_note".into())])
            .await?,
        3
    );

    // Every entry balances; each journal is numbered 1, 2, 3… without gap.
    let lines: Vec<Json> = app
        .get_as(&finance, &format!("/api/finance/journal?year={year}"))
        .await?
        .expect(200)?;
    let mut entries: BTreeMap<(String, i64), (i64, i64)> = BTreeMap::new();
    for l in &lines {
        let key = (
            l["journal"].as_str().unwrap_or_default().to_owned(),
            l["number"].as_i64().unwrap_or_default(),
        );
        let sum = entries.entry(key).or_default();
        sum.0 += l["debit"]["amount"].as_i64().unwrap_or_default();
        sum.1 += l["credit"]["amount"].as_i64().unwrap_or_default();
    }
    for ((journal, number), (debit, credit)) in &entries {
        assert_eq!(debit, credit, "entry {journal} {number} balances");
    }
    for journal in ["VE", "BQ"] {
        let numbers: Vec<i64> = entries
            .keys()
            .filter(|(j, _)| j == journal)
            .map(|&(_, n)| n)
            .collect();
        assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>());
    }
    // VE: 6 sales + 3 credit notes. BQ: 6 payments, 3 refunds, the stray
    // capture and its refund.
    assert_eq!(entries.keys().filter(|(j, _)| j == "VE").count(), 9);
    assert_eq!(entries.keys().filter(|(j, _)| j == "BQ").count(), 11);
    let balance = |prefix: &str| account_balance(&lines, prefix);
    assert_eq!(balance("471"), 0, "the money that was no sale went back");
    assert_eq!(
        balance("411"),
        0,
        "every sale paid, every credit note refunded"
    );
    let gross =
        documents_total(&app, "invoice").await? - documents_total(&app, "credit_note").await?;
    assert_eq!(
        balance("511"),
        gross,
        "the provider holds what was sold, less refunds"
    );

    // The VAT report equals the VAT accounts' movements, per rate.
    let report: Vec<Json> = app
        .get_as(&finance, &format!("/api/finance/vat-report?year={year}"))
        .await?
        .expect(200)?;
    let reported: i64 = report
        .iter()
        .map(|r| r["vat"]["amount"].as_i64().unwrap_or_default())
        .sum();
    assert_eq!(reported, -balance("44571"));
    let vat_on_documents = app
        .scalar(
            "SELECT COALESCE(SUM(CASE WHEN kind = 'invoice' THEN vat_cents ELSE -vat_cents END), 0) FROM invoices",
            &[],
        )
        .await?;
    assert_eq!(reported, vat_on_documents);
    assert!(report.iter().any(|r| r["ca3_line"] == "08"));
    assert!(report.iter().any(|r| r["ca3_line"] == "09"));
    let csv = app
        .get_bytes(
            Some(&finance),
            &format!("/api/finance/vat-report.csv?year={year}"),
        )
        .await?;
    assert_eq!(csv.0, 200);
    assert!(String::from_utf8(csv.1)?.starts_with("mois;pays;taux;declaration;base_ht;tva\r\n"));

    // The FEC: every rule of article A47 A-1 this shop's books touch.
    let (status, fec) = app
        .get_bytes(Some(&finance), &format!("/api/finance/fec?year={year}"))
        .await?;
    assert_eq!(status, 200);
    // ISO 8859-15: one byte per character, "é" as 0xE9.
    let text: String = fec.iter().map(|&b| char::from(b)).collect();
    assert!(fec.contains(&0xE9) && std::str::from_utf8(&fec).is_err());
    let rows: Vec<&str> = text
        .strip_suffix("\r\n")
        .unwrap_or(&text)
        .split("\r\n")
        .collect();
    assert_eq!(
        rows[0],
        FEC_COLUMNS.join("\t"),
        "the header names the 18 columns"
    );
    assert_eq!(rows.len() - 1, lines.len());
    let mut per_entry: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    let mut numbers: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for row in &rows[1..] {
        let f: Vec<&str> = row.split('\t').collect();
        assert_eq!(f.len(), 18, "{row}");
        for date in [f[3], f[9], f[15]] {
            assert!(
                date.len() == 8 && date.starts_with(&year.to_string()),
                "{row}"
            );
            assert!(date.bytes().all(|b| b.is_ascii_digit()), "{row}");
        }
        for amount in [f[11], f[12]] {
            let (units, decimals) = amount.split_once(',').unwrap_or_default();
            assert!(
                !units.is_empty() && units.bytes().all(|b| b.is_ascii_digit()),
                "{row}"
            );
            assert!(
                decimals.len() == 2 && decimals.bytes().all(|b| b.is_ascii_digit()),
                "{row}"
            );
        }
        assert!(!f[0].is_empty() && !f[1].is_empty() && !f[4].is_empty() && !f[5].is_empty());
        assert!(
            !f[8].is_empty() && !f[10].is_empty(),
            "PieceRef and EcritureLib: {row}"
        );
        assert_eq!(
            f[4].starts_with("411"),
            !f[6].is_empty(),
            "411 has its customer: {row}"
        );
        let sum = per_entry
            .entry((f[0].to_owned(), f[2].to_owned()))
            .or_default();
        sum.0 += cents(f[11]);
        sum.1 += cents(f[12]);
        let n: i64 = f[2].parse()?;
        let seen = numbers.entry(f[0].to_owned()).or_default();
        if seen.last() != Some(&n) {
            seen.push(n);
        }
    }
    assert!(
        per_entry.values().all(|(d, c)| d == c),
        "every EcritureNum balances"
    );
    for seen in numbers.values() {
        assert_eq!(
            *seen,
            (1..=seen.len() as i64).collect::<Vec<_>>(),
            "EcritureNum continuous"
        );
    }

    // The books never change, and a closed year takes nothing more.
    assert!(
        app.execute("UPDATE journal_lines SET debit_cents = 0", &[])
            .await
            .is_err()
    );
    assert!(
        app.execute("DELETE FROM journal_entries", &[])
            .await
            .is_err()
    );
    let this_year = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/finance/years/{year}/close"),
            &json!({}),
        )
        .await?;
    assert_eq!(this_year.status, 409, "a year closes once it has ended");
    let last: Json = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/finance/years/{}/close", year - 1),
            &json!({}),
        )
        .await?
        .expect(200)?;
    let again: Json = app
        .send_as(
            &finance,
            "POST",
            &format!("/api/finance/years/{}/close", year - 1),
            &json!({}),
        )
        .await?
        .expect(200)?;
    assert_eq!(last["closed_at_ms"], again["closed_at_ms"]);
    assert!(
        app.execute(
            "INSERT INTO journal_entries (id, journal, journal_name, fiscal_year, number, entry_date, piece, \
               piece_date, label, event, source, validated_at) \
             VALUES ('x', 'VE', 'Ventes', ?1, 999, 0, 'x', 0, 'x', 'late', 'x', 0)",
            &[Value::Integer(year - 1)],
        )
        .await
        .is_err(),
        "a closed year refuses entries"
    );
    let support = app.staff("support").await?;
    assert_eq!(
        app.get_as(&support, &format!("/api/finance/fec?year={year}"))
            .await?
            .status,
        403
    );
    let bad = app.get_as(&finance, "/api/finance/fec?year=20").await?;
    assert_eq!(
        (bad.status, bad.json["field"].as_str()),
        (422, Some("year"))
    );
    Ok(())
}

/// Σ totals of the documents of a kind.
async fn documents_total(app: &TestApp, kind: &str) -> anyhow::Result<i64> {
    app.scalar(
        "SELECT COALESCE(SUM(total_cents), 0) FROM invoices WHERE kind = ?1",
        &[Value::Text(kind.into())],
    )
    .await
}

#[tokio::test]
async fn the_shop_numbers_its_own_accounts_and_new_entries_use_them() -> anyhow::Result<()> {
    let app = spawn_app().await?;
    let admin = app.staff("admin").await?;
    let finance = app.staff("finance").await?;
    let chart: Vec<Json> = app
        .get_as(&finance, "/api/finance/chart")
        .await?
        .expect(200)?;
    assert_eq!(chart.len(), 10);
    assert!(
        chart
            .iter()
            .any(|a| a["role"] == "customers" && a["number"] == "411000")
    );
    let set = |role: &str, number: &str, name: &str| {
        let (role, body) = (role.to_owned(), json!({"number": number, "name": name}));
        let (app, admin) = (&app, &admin);
        async move {
            app.send_as(admin, "PUT", &format!("/api/finance/chart/{role}"), &body)
                .await
        }
    };
    assert_eq!(set("customers", "41A", "x").await?.status, 422);
    assert_eq!(set("treasury", "512", "x").await?.status, 404);
    // A bank numbered as customers, or as the bank already is: refused.
    assert_eq!(
        set("bank", "411200", "Banque").await?.json["field"],
        "number"
    );
    let taken = set("clearing", "512000", "Stripe").await?;
    assert_eq!(
        (taken.status, taken.json["field"].as_str()),
        (422, Some("number"))
    );
    assert_eq!(
        app.send_as(
            &finance,
            "PUT",
            "/api/finance/chart/customers",
            &json!({"number": "411100", "name": "x"})
        )
        .await?
        .status,
        403
    );
    set("customers", "411100", "Clients boutique")
        .await?
        .expect::<Json>(200)?;
    set("sales", "7071", "Ventes en ligne")
        .await?
        .expect::<Json>(200)?;
    sale(&app, &[(SHIRT, 1)], false).await?;
    let year = paris_date(now_ms()).0;
    let lines: Vec<Json> = app
        .get_as(&finance, &format!("/api/finance/journal?year={year}"))
        .await?
        .expect(200)?;
    let accounts: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["account"].as_str().unwrap_or_default(),
                l["account_name"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        accounts.contains(&("411100", "Clients boutique")),
        "{accounts:?}"
    );
    assert!(
        accounts.contains(&("7071200", "Ventes en ligne 20 %")),
        "{accounts:?}"
    );
    assert!(
        accounts.contains(&("44571200", "TVA collectée 20 %")),
        "{accounts:?}"
    );
    Ok(())
}
