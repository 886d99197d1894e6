//! Schema migrations and the demo seed, applied by every host through the
//! same code ([`ensure`]): the native host once at start-up; under Spin
//! (no start-up hook) by the job runner's migrate step (`POST /api/jobs/run`),
//! by the health probe (`GET /api/health`) when it finds the schema behind,
//! and by a component that failed a request on a schema it did not expect —
//! never as a per-request check.

use anyhow::Context as _;

use crate::config::Config;
use crate::dialect::Dialect;
use crate::params;
use crate::port::{Database, Executor};

/// One forward-only migration from `infra/migrations`.
pub struct Migration {
    /// Its timestamp, from the file name.
    pub version: i64,
    /// The file name.
    pub name: &'static str,
    /// Its statements, each ended by `;` at the end of a line.
    pub sql: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 20261123090000,
        name: "20261123090000_create_shop.sql",
        sql: include_str!("../../infra/migrations/20261123090000_create_shop.sql"),
    },
    Migration {
        version: 20261123120000,
        name: "20261123120000_add_pricing_and_promotions.sql",
        sql: include_str!("../../infra/migrations/20261123120000_add_pricing_and_promotions.sql"),
    },
    Migration {
        version: 20261123140000,
        name: "20261123140000_add_payment_session_url.sql",
        sql: include_str!("../../infra/migrations/20261123140000_add_payment_session_url.sql"),
    },
    Migration {
        version: 20261123160000,
        name: "20261123160000_create_accounts.sql",
        sql: include_str!("../../infra/migrations/20261123160000_create_accounts.sql"),
    },
    Migration {
        version: 20261123180000,
        name: "20261123180000_create_fulfilment_and_refunds.sql",
        sql: include_str!(
            "../../infra/migrations/20261123180000_create_fulfilment_and_refunds.sql"
        ),
    },
    Migration {
        version: 20261123200000,
        name: "20261123200000_create_outbox.sql",
        sql: include_str!("../../infra/migrations/20261123200000_create_outbox.sql"),
    },
    Migration {
        version: 20261124090000,
        name: "20261124090000_create_support.sql",
        sql: include_str!("../../infra/migrations/20261124090000_create_support.sql"),
    },
    Migration {
        version: 20261124100000,
        name: "20261124100000_create_audit_log.sql",
        sql: include_str!("../../infra/migrations/20261124100000_create_audit_log.sql"),
    },
    Migration {
        version: 20261124110000,
        name: "20261124110000_add_account_disabled.sql",
        sql: include_str!("../../infra/migrations/20261124110000_add_account_disabled.sql"),
    },
    Migration {
        version: 20261124120000,
        name: "20261124120000_create_customer_notes.sql",
        sql: include_str!("../../infra/migrations/20261124120000_create_customer_notes.sql"),
    },
    Migration {
        version: 20261124130000,
        name: "20261124130000_create_cost_settings.sql",
        sql: include_str!("../../infra/migrations/20261124130000_create_cost_settings.sql"),
    },
    Migration {
        version: 20261125090000,
        name: "20261125090000_add_order_contact.sql",
        sql: include_str!("../../infra/migrations/20261125090000_add_order_contact.sql"),
    },
    Migration {
        version: 20261129100000,
        name: "20261129100000_create_signin_throttle.sql",
        sql: include_str!("../../infra/migrations/20261129100000_create_signin_throttle.sql"),
    },
    Migration {
        version: 20261129110000,
        name: "20261129110000_create_payment_captures.sql",
        sql: include_str!("../../infra/migrations/20261129110000_create_payment_captures.sql"),
    },
    Migration {
        version: 20261129130000,
        name: "20261129130000_create_job_leases.sql",
        sql: include_str!("../../infra/migrations/20261129130000_create_job_leases.sql"),
    },
    Migration {
        version: 20261201090000,
        name: "20261201090000_create_catalog_search.sql",
        sql: include_str!("../../infra/migrations/20261201090000_create_catalog_search.sql"),
    },
    Migration {
        version: UPDATED_AT,
        name: "20261202090000_add_product_updated_at.sql",
        sql: include_str!("../../infra/migrations/20261202090000_add_product_updated_at.sql"),
    },
    Migration {
        version: 20261203090000,
        name: "20261203090000_create_catalog_translations.sql",
        sql: include_str!("../../infra/migrations/20261203090000_create_catalog_translations.sql"),
    },
    Migration {
        version: 20261204090000,
        name: "20261204090000_add_product_availability.sql",
        sql: include_str!("../../infra/migrations/20261204090000_add_product_availability.sql"),
    },
    Migration {
        version: 20261206090000,
        name: "20261206090000_add_product_search_terms.sql",
        sql: include_str!("../../infra/migrations/20261206090000_add_product_search_terms.sql"),
    },
    Migration {
        version: SEARCH_INDEX,
        name: "20261207090000_add_product_search_keys.sql",
        sql: include_str!("../../infra/migrations/20261207090000_add_product_search_keys.sql"),
    },
    Migration {
        version: 20261208090000,
        name: "20261208090000_create_invoices.sql",
        sql: include_str!("../../infra/migrations/20261208090000_create_invoices.sql"),
    },
    Migration {
        version: 20261208100000,
        name: "20261208100000_create_journals.sql",
        sql: include_str!("../../infra/migrations/20261208100000_create_journals.sql"),
    },
    Migration {
        version: 20261208110000,
        name: "20261208110000_create_payouts.sql",
        sql: include_str!("../../infra/migrations/20261208110000_create_payouts.sql"),
    },
    Migration {
        version: 20261208120000,
        name: "20261208120000_create_chart_of_accounts.sql",
        sql: include_str!("../../infra/migrations/20261208120000_create_chart_of_accounts.sql"),
    },
    Migration {
        version: 20261209090000,
        name: "20261209090000_add_journal_vat_country.sql",
        sql: include_str!("../../infra/migrations/20261209090000_add_journal_vat_country.sql"),
    },
    Migration {
        version: 20261210090000,
        name: "20261210090000_create_automation.sql",
        sql: include_str!("../../infra/migrations/20261210090000_create_automation.sql"),
    },
    Migration {
        version: 20261211093000,
        name: "20261211093000_create_audience.sql",
        sql: include_str!("../../infra/migrations/20261211093000_create_audience.sql"),
    },
    Migration {
        version: 20261212090000,
        name: "20261212090000_add_email_verification.sql",
        sql: include_str!("../../infra/migrations/20261212090000_add_email_verification.sql"),
    },
    Migration {
        version: 20261213090000,
        name: "20261213090000_create_purchasing.sql",
        sql: include_str!("../../infra/migrations/20261213090000_create_purchasing.sql"),
    },
    Migration {
        version: 20261214090000,
        name: "20261214090000_add_audience_open_rolls.sql",
        sql: include_str!("../../infra/migrations/20261214090000_add_audience_open_rolls.sql"),
    },
    Migration {
        version: 20261215090000,
        name: "20261215090000_add_purchase_order_keys.sql",
        sql: include_str!("../../infra/migrations/20261215090000_add_purchase_order_keys.sql"),
    },
];

/// The latest migration that changed the catalog's search index (its rows
/// numbered by the products' search keys; the per-language index of the
/// catalog translations and the listing columns
/// before it): a store migrated from before it has every product
/// reindexed ([`crate::catalog::index::rebuild`]) in the same
/// transaction, as has a freshly seeded demo catalog.
const SEARCH_INDEX: i64 = 20261207090000;

/// The migration that added `products.updated_at`: the products already
/// there (or just seeded) are dated when it is applied.
const UPDATED_AT: i64 = 20261202090000;

const DEMO_CATALOG: &str = include_str!("../../infra/seed/demo_catalog.sql");

/// The version of the newest migration: what a current schema records.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The schema's version: the newest migration applied with every one
/// before it (0 for an empty database) — a store that lacks one merged from
/// a parallel branch is not current, whatever its newest. Versions this
/// build does not know are ignored. An error means the store is
/// unreachable or has no schema yet.
pub async fn version(db: &dyn Database) -> anyhow::Result<i64> {
    let applied = applied(&mut db.auto()).await?;
    Ok(MIGRATIONS
        .iter()
        .take_while(|m| applied.contains(&m.version))
        .last()
        .map_or(0, |m| m.version))
}

/// The versions in `schema_migrations`.
async fn applied(db: &mut dyn Executor) -> anyhow::Result<std::collections::BTreeSet<i64>> {
    db.query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect()
}

/// Brings the schema up to date (and seeds a fresh database when configured).
/// Cheap when nothing is to do: one read of the applied versions.
pub async fn ensure(db: &dyn Database, config: &Config, now_ms: i64) -> anyhow::Result<()> {
    // A missing table reads as an error here: fall through and migrate.
    if version(db).await.ok() == Some(latest()) {
        return Ok(());
    }
    let mut tx = db
        .begin()
        .await
        .context("starting the migration transaction")?;
    let dialect = db.dialect();
    tx.query(
        &dialect.migration(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        ),
        &[],
    )
    .await?;
    // Re-read under the write lock: another instance may have migrated meanwhile.
    let applied = applied(tx.as_mut()).await?;
    // Missing ones in order, wherever they fall: one merged from a parallel
    // branch runs on a schema that may already have later ones (such
    // branches touch tables of their own).
    for migration in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        for statement in statements_for(migration.sql, dialect) {
            tx.query(&dialect.migration(statement), &[])
                .await
                .with_context(|| format!("applying {}", migration.name))?;
        }
        tx.query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![migration.version, migration.name, now_ms],
        )
        .await?;
    }
    if applied.is_empty() && config.demo_catalog {
        for statement in statements(DEMO_CATALOG) {
            tx.query(statement, &[])
                .await
                .context("seeding the demo catalog")?;
        }
    }
    if !applied.contains(&SEARCH_INDEX) {
        // The tokens are computed in Rust (`comptoir_shared::search`), so
        // no SQL file can fill them: every product already there (or just
        // seeded) is indexed here, before the commit.
        crate::catalog::index::rebuild(tx.as_mut(), dialect)
            .await
            .context("indexing the catalog for search")?;
    }
    if !applied.contains(&UPDATED_AT) {
        tx.query(
            "UPDATE products SET updated_at = ?1 WHERE updated_at = 0",
            params![now_ms],
        )
        .await?;
    }
    tx.commit().await.context("committing migrations")?;
    if let Some(setting) = dialect.after_migrating() {
        // Outside any transaction, as SQLite requires. Only speed depends on
        // it: a store that cannot switch now (busy) still works.
        if let Err(e) = db.query(setting, &[]).await {
            tracing::warn!(error = format!("{e:#}"), "could not set {setting}");
        }
    }
    Ok(())
}

/// Splits a SQL file into statements at each `;` that ends a line; `--`
/// comment lines are dropped.
pub fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(";\n").map(|chunk| chunk.trim()).filter(|chunk| {
        chunk
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
    })
}

/// The statements of a migration that apply to `dialect`: a statement
/// whose comment lines include exactly `-- sqlite only` or `-- postgres only`
/// is kept for that store alone (DDL the two cannot share: SQLite's FTS5
/// virtual table, Postgres' GIN index, a column collation); every other
/// statement applies to both.
pub fn statements_for(sql: &str, dialect: Dialect) -> impl Iterator<Item = &str> {
    statements(sql).filter(move |statement| {
        let marked = |marker: &str| statement.lines().any(|l| l.trim() == marker);
        match dialect {
            Dialect::Sqlite => !marked("-- postgres only"),
            Dialect::Postgres => !marked("-- sqlite only"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_statements_apply_to_their_store_only() {
        let sql = "-- a file comment naming `-- sqlite only` in passing\n\
                   CREATE TABLE both_stores (x TEXT);\n\
                   -- why\n-- sqlite only\nCREATE VIRTUAL TABLE s USING fts5 (x);\n\
                   -- postgres only\nCREATE INDEX p ON both_stores USING GIN (x);\n\
                   ALTER TABLE both_stores ADD COLUMN y TEXT;\n";
        let on = |dialect| {
            statements_for(sql, dialect)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let (lite, pg) = (on(Dialect::Sqlite), on(Dialect::Postgres));
        assert_eq!(lite.len(), 3);
        assert_eq!(pg.len(), 3);
        assert!(lite[1].ends_with("CREATE VIRTUAL TABLE s USING fts5 (x)"));
        assert!(pg[1].ends_with("CREATE INDEX p ON both_stores USING GIN (x)"));
        for both in [&lite, &pg] {
            assert!(both[0].ends_with("CREATE TABLE both_stores (x TEXT)"));
            assert!(both[2].starts_with("ALTER TABLE"));
        }
    }

    #[test]
    fn the_search_migration_differs_by_store_only_where_marked() {
        let sql = MIGRATIONS
            .iter()
            .find(|m| m.version == 20261201090000)
            .map(|m| m.sql)
            .unwrap_or_default();
        let lite: Vec<&str> = statements_for(sql, Dialect::Sqlite).collect();
        let pg: Vec<&str> = statements_for(sql, Dialect::Postgres).collect();
        assert_eq!(lite.len(), pg.len());
        assert_eq!(lite.iter().filter(|s| s.contains("fts5")).count(), 1);
        assert!(!pg.iter().any(|s| s.contains("fts5")));
        assert_eq!(pg.iter().filter(|s| s.contains("GIN")).count(), 1);
        assert!(!lite.iter().any(|s| s.contains("GIN")));
        assert_eq!(
            lite.iter().filter(|s| s.contains("name_key TEXT")).count(),
            1
        );
        assert_eq!(pg.iter().filter(|s| s.contains("name_key TEXT")).count(), 1);
    }

    #[test]
    fn the_availability_triggers_are_whole_statements_on_each_store() {
        let sql = MIGRATIONS
            .iter()
            .find(|m| m.version == 20261204090000)
            .map(|m| m.sql)
            .unwrap_or_default();
        let lite: Vec<&str> = statements_for(sql, Dialect::Sqlite).collect();
        let pg: Vec<&str> = statements_for(sql, Dialect::Postgres).collect();
        let triggers = |all: &[&str]| -> Vec<String> {
            all.iter()
                .filter(|s| s.contains("CREATE TRIGGER"))
                .map(|s| s.trim_end().to_owned())
                .collect()
        };
        // The column, its first values and its index, then SQLite's two
        // triggers (bodies whole, up to `END`) or Postgres' function and
        // its two triggers.
        assert_eq!((lite.len(), pg.len()), (5, 6));
        assert_eq!(triggers(&lite).len(), 2);
        assert!(triggers(&lite).iter().all(|t| t.ends_with("END")));
        assert_eq!(triggers(&pg).len(), 2);
        assert!(
            pg.iter()
                .any(|s| s.contains("CREATE FUNCTION") && s.trim_end().ends_with("END $$"))
        );
    }

    #[test]
    fn the_search_key_triggers_are_whole_statements_on_each_store() {
        let sql = MIGRATIONS
            .iter()
            .find(|m| m.version == SEARCH_INDEX)
            .map(|m| m.sql)
            .unwrap_or_default();
        let lite: Vec<&str> = statements_for(sql, Dialect::Sqlite).collect();
        let pg: Vec<&str> = statements_for(sql, Dialect::Postgres).collect();
        // The column, its first values and its index on both; then SQLite's
        // trigger (body whole, up to `END`) and its new FTS5 table, or
        // Postgres' NOT NULL, function and trigger.
        assert_eq!((lite.len(), pg.len()), (6, 6));
        assert!(
            lite.iter()
                .any(|s| s.contains("CREATE TRIGGER") && s.trim_end().ends_with("END"))
        );
        assert!(lite.iter().any(|s| s.contains("USING fts5 (tokens")));
        assert!(
            pg.iter()
                .any(|s| s.contains("CREATE FUNCTION") && s.trim_end().ends_with("END $$"))
        );
        assert!(pg.iter().any(|s| s.contains("CREATE TRIGGER")));
    }

    #[test]
    fn splits_at_line_ending_semicolons_only() {
        let sql = "-- a comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nINSERT INTO a VALUES ('x;y');\n-- trailing\n";
        let got: Vec<&str> = statements(sql).collect();
        assert_eq!(got.len(), 2);
        assert!(got[1].starts_with("INSERT"));
    }

    #[test]
    fn every_migration_file_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
        assert_eq!(files, listed);
    }

    #[test]
    fn migrations_are_ordered_and_named_by_version() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version);
        }
        for m in MIGRATIONS {
            assert!(m.name.starts_with(&m.version.to_string()));
        }
    }
}
