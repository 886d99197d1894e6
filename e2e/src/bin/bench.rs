//! `cargo run --release -p comptoir-e2e --bin bench [-- SECONDS]`
//!
//! Starts the native host on a fresh database (127.0.0.1, free port) and
//! measures, each for SECONDS (default 5) with 16 concurrent connections:
//! the catalog listing, a product page, and whole guest checkouts
//! (cart → add line → checkout → payment session → sandbox approval → paid).
//! Reports requests (or checkouts) per second and p50/p99 latencies. A
//! benchmark, not a test: it asserts nothing but that every call succeeded.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use comptoir_e2e::spawn_app;
use futures::future::join_all;
use serde_json::{Value as Json, json};

const CONNECTIONS: usize = 16;

struct Report {
    name: &'static str,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Report {
    fn print(mut self) {
        self.latencies.sort();
        let pct = |p: f64| {
            let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
            self.latencies
                .get(i)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        println!(
            "{:<28} {:>9.0} /s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} in {:.1} s)",
            self.name,
            self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
            self.latencies.len(),
            self.elapsed.as_secs_f64()
        );
    }
}

/// Runs `work` on CONNECTIONS workers until `duration` passes.
async fn load<F, Fut>(name: &'static str, duration: Duration, work: F) -> anyhow::Result<Report>
where
    F: Fn(usize) -> Fut + Clone,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let start = Instant::now();
    let workers = (0..CONNECTIONS).map(|worker| {
        let work = work.clone();
        async move {
            let mut latencies = Vec::new();
            while start.elapsed() < duration {
                let t = Instant::now();
                work(worker).await?;
                latencies.push(t.elapsed());
            }
            anyhow::Ok(latencies)
        }
    });
    let mut latencies = Vec::new();
    for result in join_all(workers).await {
        latencies.extend(result?);
    }
    Ok(Report {
        name,
        latencies,
        elapsed: start.elapsed(),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()
        .context("SECONDS")?
        .unwrap_or(5);
    let duration = Duration::from_secs(seconds.clamp(1, 60));
    let app = spawn_app().await?;
    // Enough stock that checkouts measure the path, not a sell-out.
    app.execute("UPDATE stock SET on_hand = 1000000, reserved = 0", &[])
        .await?;
    let skus: Vec<String> = {
        let product: Json = app
            .get("/api/catalog/products/t-shirt-lin")
            .await?
            .expect(200)?;
        product["variants"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["sku"].as_str().map(str::to_owned))
            .collect()
    };
    println!(
        "Comptoir bench: native host at {}, {CONNECTIONS} connections, {seconds} s per scenario",
        app.base
    );

    let app = &app;
    load("catalog list", duration, |_| async move {
        app.get("/api/catalog/products")
            .await?
            .expect::<Json>(200)
            .map(drop)
    })
    .await?
    .print();
    load("product page", duration, |_| async move {
        app.get("/api/catalog/products/t-shirt-lin")
            .await?
            .expect::<Json>(200)
            .map(drop)
    })
    .await?
    .print();
    let skus = &skus;
    load(
        "guest checkout, end to end",
        duration,
        |worker| async move {
            let sku = &skus[worker % skus.len()];
            let cart = app.cart_with(sku, 1).await?;
            let placed: Json = app.checkout(&cart, None).await?.expect(201)?;
            let order = placed["order_id"].as_str().context("order id")?;
            let session = app.pay(order, true).await?;
            anyhow::ensure!(session["state"] == json!("complete"), "not paid: {session}");
            Ok(())
        },
    )
    .await?
    .print();
    let paid = app
        .scalar("SELECT COUNT(*) FROM orders WHERE status = 'paid'", &[])
        .await?;
    println!("paid orders in the database: {paid}");
    Ok(())
}
