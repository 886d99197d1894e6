//! `seed-catalog --products N [--database STORE]`: adds N generated products
//! (ten variants each, deterministic French names, categories, prices and
//! stock; `comptoir_host::seed`) to a shop's store, migrating it first (a
//! fresh store gets the demo catalog too, unless `COMPTOIR_DEMO_CATALOG=false`).
//! STORE is a SQLite file or a `postgres://` URL; by default the one the
//! native host uses (`COMPTOIR_DATABASE_URL`, else `COMPTOIR_DATABASE`, else
//! `.data/comptoir.db`). Stop the shop first, or restart it after.
//!
//! ```text
//! cargo run --release -p comptoir-host --bin seed-catalog -- --products 10000
//! bash infra/run.sh
//! ```

use std::process::ExitCode;
use std::time::Instant;

use comptoir_functions::port::Database as _;
use comptoir_host::copy::parse_store;
use comptoir_host::store::NativeStore;

const USAGE: &str = "usage: seed-catalog --products N [--database <sqlite file | postgres:// URL>]";

fn options() -> Result<(usize, String), String> {
    let mut products = None;
    let mut database = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--products" => products = args.next().and_then(|n| n.parse().ok()),
            "--database" => database = args.next(),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unexpected argument {other}\n{USAGE}")),
        }
    }
    let database = database
        .or_else(|| std::env::var("COMPTOIR_DATABASE_URL").ok())
        .filter(|d| !d.is_empty())
        .or_else(|| std::env::var("COMPTOIR_DATABASE").ok())
        .unwrap_or_else(|| ".data/comptoir.db".to_owned());
    match products {
        Some(n) if n > 0 && n <= 1_000_000 => Ok((n, database)),
        _ => Err(USAGE.to_owned()),
    }
}

async fn run(products: usize, database: &str) -> anyhow::Result<()> {
    let config = comptoir_host::config_from_env()?;
    let store = parse_store(database);
    if let comptoir_host::store::Store::Sqlite(path) = &store
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)?;
    }
    let db = NativeStore::open(&store).await?;
    comptoir_functions::migrate::ensure(&db, &config, now_ms()).await?;
    let started = Instant::now();
    let generated = comptoir_host::seed::fill(&db, products).await?;
    let variants: usize = generated.iter().map(|p| p.variants.len()).sum();
    println!(
        "{} products, {variants} variants added to {database} in {:.1} s ({:?} store)",
        generated.len(),
        started.elapsed().as_secs_f64(),
        db.dialect()
    );
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (products, database) = match options() {
        Ok(o) => o,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match run(products, &database).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("seed-catalog: {e:#}");
            ExitCode::FAILURE
        }
    }
}
