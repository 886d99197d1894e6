//! Moving a shop between stores (`copy-store`): a shop with real data on
//! SQLite is copied into a fresh store (Postgres when
//! `COMPTOIR_TEST_POSTGRES` is set, SQLite otherwise), every table found equal
//! row for row, and a shop started on the copy serves the same orders to
//! their owner. The copy refuses a target that is not empty and a source
//! whose schema is not current, writing nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;

use comptoir_e2e::{TestApp, fresh_store, spawn_on};
use comptoir_functions::config::Config;
use comptoir_functions::dialect::Dialect;
use comptoir_functions::migrate::{MIGRATIONS, statements_for};
use comptoir_functions::port::{Database, Value};
use comptoir_host::copy::{CopyOptions, PAGE_ROWS, compare, copy};
use comptoir_host::store::{NativeStore, Store};
use serde_json::{Value as Json, json};

const SKU: &str = "TSL-BLEU-M"; // 35,00 €
const OTHER: &str = "BAS-NOIR-38";

fn temp_dir() -> anyhow::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("comptoir-copy-test-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn config() -> anyhow::Result<Config> {
    Config::from_lookup(|_| None)
}

/// Every table but `schema_migrations` (each store records when it was
/// migrated), each row as `SELECT *` reads it, rows sorted: read here on
/// its own, not by the code under test.
async fn tables(store: &Store) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let db = NativeStore::open(store).await?;
    let list = match db.dialect() {
        // Not the search index, rebuilt by the copy (on SQLite an FTS5
        // virtual table and its shadow tables).
        Dialect::Sqlite => {
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Dialect::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_name <> 'product_search'"
        }
    };
    let mut all = BTreeMap::new();
    for table in db.query(list, &[]).await? {
        let name = table.text(0)?.to_owned();
        if name == "schema_migrations" {
            continue;
        }
        let mut rows: Vec<String> = db
            .query(&format!("SELECT * FROM \"{name}\""), &[])
            .await?
            .iter()
            .map(|row| format!("{:?}", row.0))
            .collect();
        rows.sort();
        all.insert(name, rows);
    }
    Ok(all)
}

/// A shop with customers, paid and delivered orders, a refund asked for
/// and a support thread, on a SQLite file; returns it, its customer's
/// cookie and the customer's order.
async fn shop(dir: &std::path::Path) -> anyhow::Result<(TestApp, String, String)> {
    // No background duties: once the requests below are answered, nothing
    // writes to the shop's store (as when it is stopped).
    let app = spawn_on(Store::Sqlite(dir.join("shop.db")), config()?, false).await?;
    let customer = app.customer().await?;
    let order = app.paid_order_as(Some(&customer), SKU, 2).await?;
    app.deliver(&order).await?;
    app.paid_order(OTHER, 3).await?;
    app.placed_order(None, OTHER, 1).await?;
    app.sign_up("irene.joliot-curie@exemple.fr").await?;
    app.send_as(
        &customer,
        "POST",
        "/api/refunds",
        &json!({"order_id": order, "lines": [{"sku": SKU, "quantity": 1}], "reason": "trop petit"}),
    )
    .await?
    .expect::<Json>(201)?;
    app.send_as(
        &customer,
        "POST",
        "/api/support/threads",
        &json!({"order_id": order, "subject": "Échange", "body": "Une taille au-dessus ?"}),
    )
    .await?
    .expect::<Json>(201)?;
    // The books of this year closed (as a year is, once it has ended): the
    // copy must still carry its entries.
    app.execute(
        "INSERT INTO closed_years (year, closed_at, closed_by) VALUES (?1, 0, 'test')",
        &[comptoir_functions::port::Value::Integer(
            comptoir_shared::calendar::paris_date(comptoir_e2e::now_ms()).0,
        )],
    )
    .await?;
    Ok((app, customer, order))
}

#[tokio::test]
async fn a_shop_copied_into_another_store_is_the_same_shop_row_for_row() -> anyhow::Result<()> {
    let dir = temp_dir()?;
    let (app, customer, order) = shop(&dir).await?;
    let source = app.database.clone();
    let before = tables(&source).await?;
    for (table, at_least) in [
        ("orders", 3),
        ("order_lines", 3),
        ("accounts", 3),
        ("sessions", 2),
        ("refunds", 1),
        ("support_messages", 1),
        ("stock_movements", 5),
        ("cost_settings", 1),
        ("outbox", 2),
    ] {
        let rows = before.get(table).map_or(0, Vec::len);
        assert!(rows >= at_least, "{table}: {rows} rows");
    }

    let target = fresh_store().await?;
    let report = copy(&CopyOptions {
        from: source.clone(),
        to: target.clone(),
        migrate_source: false,
        // Pages of two rows: every table of more than two rows, composite
        // keys included, is read in many pages.
        page_rows: 2,
    })
    .await?;
    println!("{}", report.render());
    assert_eq!(report.mismatches, Vec::<String>::new());
    assert_eq!(report.tables.len(), before.len());
    for t in &report.tables {
        let rows = before.get(&t.table).map_or(0, Vec::len) as u64;
        assert_eq!((t.rows, t.verified), (rows, rows), "{}", t.table);
    }
    // Parents before children.
    let position = |name: &str| report.tables.iter().position(|t| t.table == name);
    assert!(position("accounts") < position("orders"));
    assert!(position("orders") < position("order_lines"));
    assert!(position("refunds") < position("refund_lines"));

    assert_eq!(tables(&target).await?, before);
    let verified = compare(&source, &target, 2).await?;
    assert!(verified.mismatches.is_empty(), "{:?}", verified.mismatches);
    assert_eq!(verified.rows(), report.rows());
    // The source was only read.
    assert_eq!(tables(&source).await?, before);

    // A shop started on the copy serves the customer the same orders: with
    // the session they already had, and after signing in again.
    let moved = spawn_on(target.clone(), config()?, false).await?;
    let mine = "/api/accounts/me/orders";
    let was: Json = app.get_as(&customer, mine).await?.expect(200)?;
    assert_eq!(was.as_array().map(Vec::len), Some(1), "{was}");
    let is: Json = moved.get_as(&customer, mine).await?.expect(200)?;
    assert_eq!(is, was);
    let again = moved
        .sign_in("marie.curie@exemple.fr", "radium et polonium")
        .await?;
    let is: Json = moved.get_as(&again, mine).await?.expect(200)?;
    assert_eq!(is, was);
    let path = format!("/api/orders/{order}");
    let was: Json = app.get(&path).await?.expect(200)?;
    assert_eq!(moved.get(&path).await?.expect::<Json>(200)?, was);

    // The verification sees the rows changed since: the new session, an
    // order line changed, the throttle's rows gone.
    moved
        .execute(
            "UPDATE order_lines SET quantity = quantity + 1 WHERE order_id = ?1",
            &[Value::Text(order.clone())],
        )
        .await?;
    moved.execute("DELETE FROM signin_throttle", &[]).await?;
    let mismatches = compare(&source, &target, 2).await?.mismatches;
    let sessions = before.get("sessions").map_or(0, Vec::len);
    for expected in [
        "order_lines: source row ".to_owned(),
        format!(
            "sessions: {sessions} row(s) in the source, {} in the target",
            sessions + 1
        ),
        "signin_throttle: ".to_owned(),
    ] {
        assert!(
            mismatches.iter().any(|m| m.starts_with(&expected)),
            "{expected} not in {mismatches:?}"
        );
    }
    assert!(
        !mismatches.iter().any(|m| m.starts_with("orders:")),
        "{mismatches:?}"
    );

    // And back again, from whatever store the copy is on into SQLite.
    let back = Store::Sqlite(dir.join("back.db"));
    let snapshot = tables(&target).await?;
    let report = copy(&CopyOptions {
        from: target,
        to: back.clone(),
        migrate_source: false,
        page_rows: PAGE_ROWS,
    })
    .await?;
    assert_eq!(report.mismatches, Vec::<String>::new());
    assert_eq!(tables(&back).await?, snapshot);
    Ok(())
}

#[tokio::test]
async fn the_copy_refuses_a_target_holding_data() -> anyhow::Result<()> {
    let dir = temp_dir()?;
    let app = spawn_on(Store::Sqlite(dir.join("shop.db")), config()?, false).await?;
    app.paid_order(SKU, 1).await?;
    let options = |to: &Store| CopyOptions {
        from: app.database.clone(),
        to: to.clone(),
        migrate_source: false,
        page_rows: PAGE_ROWS,
    };

    // A shop was already started on the target: its demo catalog is data.
    let started = fresh_store().await?;
    spawn_on(started.clone(), config()?, false).await?;
    let held = tables(&started).await?;
    let refused = copy(&options(&started)).await;
    let message = format!("{:#}", refused.err().unwrap_or_else(|| anyhow::anyhow!("")));
    assert!(message.contains("not empty"), "{message}");
    assert_eq!(tables(&started).await?, held);

    // A store copied into once holds the shop: a second copy is refused.
    let target = fresh_store().await?;
    let first = copy(&options(&target)).await?;
    assert!(first.mismatches.is_empty(), "{:?}", first.mismatches);
    let held = tables(&target).await?;
    let refused = copy(&options(&target)).await;
    let message = format!("{:#}", refused.err().unwrap_or_else(|| anyhow::anyhow!("")));
    assert!(message.contains("not empty"), "{message}");
    assert_eq!(tables(&target).await?, held);

    // Copying a store into itself is refused outright.
    assert!(copy(&options(&app.database)).await.is_err());
    Ok(())
}

#[tokio::test]
async fn the_copy_refuses_a_source_whose_schema_is_not_current_unless_told_to_migrate_it()
-> anyhow::Result<()> {
    let dir = temp_dir()?;
    // A store left one migration behind, holding an account.
    let source = Store::Sqlite(dir.join("old.db"));
    let old = NativeStore::open(&source).await?;
    old.query(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        &[],
    )
    .await?;
    let (last, behind) = MIGRATIONS.split_last().ok_or(anyhow::anyhow!("none"))?;
    // Each in a transaction, as the shop migrates: a table rebuilt
    // (dropped, renamed) must not be seen half-done by another pooled
    // connection still reading the old schema.
    for migration in behind {
        let mut tx = old.begin().await?;
        for statement in statements_for(migration.sql, Dialect::Sqlite) {
            tx.query(statement, &[]).await?;
        }
        tx.query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, 0)",
            &[
                Value::Integer(migration.version),
                Value::Text(migration.name.to_owned()),
            ],
        )
        .await?;
        tx.commit().await?;
    }
    old.query(
        "INSERT INTO accounts (id, email, password_hash, role, created_at) VALUES ('a1', 'ada@exemple.fr', 'x', 'customer', 1)",
        &[],
    )
    .await?;
    let target = fresh_store().await?;
    let options = |migrate_source| CopyOptions {
        from: source.clone(),
        to: target.clone(),
        migrate_source,
        page_rows: PAGE_ROWS,
    };

    let refused = copy(&options(false)).await;
    let message = format!("{:#}", refused.err().unwrap_or_else(|| anyhow::anyhow!("")));
    assert!(
        message.contains(&format!("not the current {}", last.version)),
        "{message}"
    );
    // Nothing was written on either side: the source is still behind, the
    // target still has no tables.
    let version = |db: NativeStore| async move {
        anyhow::Ok(
            db.query("SELECT MAX(version) FROM schema_migrations", &[])
                .await?
                .first()
                .map(|r| r.int(0))
                .transpose()?,
        )
    };
    assert_eq!(
        version(NativeStore::open(&source).await?).await?,
        behind.last().map(|m| m.version)
    );
    assert!(tables(&target).await?.is_empty());

    // Told to, it migrates the source first, then copies.
    let report = copy(&options(true)).await?;
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    assert_eq!(
        version(NativeStore::open(&source).await?).await?,
        Some(last.version)
    );
    let copied = tables(&target).await?;
    // Ada, and the account the automation rules act as.
    let accounts = copied.get("accounts").cloned().unwrap_or_default();
    assert_eq!(accounts.len(), 2, "{accounts:?}");
    assert!(accounts.iter().any(|a| a.contains("ada@exemple.fr")));
    assert_eq!(copied, tables(&source).await?);
    Ok(())
}
