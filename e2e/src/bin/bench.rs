//! `cargo run --release -p comptoir-e2e --bin bench [-- SECONDS]`
//!
//! Starts the native host on a fresh database (127.0.0.1, free port) and
//! measures, each for SECONDS (default 5) with 16 concurrent connections:
//! the catalog listing, a product page, and whole guest checkouts
//! (cart → add line → checkout → payment session → sandbox approval → paid).
//! Reports requests (or checkouts) per second and p50/p99 latencies. Then,
//! on a second shop, a product page's latency idle and while waves of 100
//! concurrent wrong sign-ins on 100 accounts (from 100 client addresses, so
//! no throttle cuts the hashing short) run: password hashing must not stall
//! the shop. A benchmark, not a test: it asserts nothing but that every call
//! succeeded.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use comptoir_e2e::{TestApp, spawn_app, spawn_app_with};
use comptoir_functions::config::Config;
use comptoir_functions::port::Value;
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
    signin_storm().await
}

/// Product-page latencies of `count` requests, one after the other.
async fn product_pages(app: &TestApp, count: usize) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let t = Instant::now();
        app.get("/api/catalog/products/t-shirt-lin")
            .await?
            .expect::<Json>(200)?;
        latencies.push(t.elapsed());
    }
    Ok(latencies)
}

fn percentiles(mut latencies: Vec<Duration>) -> (f64, f64, f64) {
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    (pct(0.50), pct(0.99), pct(1.0))
}

/// Waves of 100 concurrent wrong sign-ins while a shopper loads product pages.
async fn signin_storm() -> anyhow::Result<()> {
    const ACCOUNTS: usize = 100;
    const WAVES: usize = 3;
    let app = spawn_app_with(Config::from_lookup(|name| {
        (name == "trusted_proxies").then(|| "127.0.0.1".to_owned())
    })?)
    .await?;
    let hash = comptoir_functions::accounts::password::hash(
        &comptoir_functions::port::InPlace,
        "le bon mot de passe",
    )
    .await
    .map_err(|e| anyhow::anyhow!("hashing: {e:?}"))?;
    for i in 0..ACCOUNTS {
        app.execute(
            "INSERT INTO accounts (id, email, password_hash, name, role, created_at) VALUES (?1, ?2, ?3, '', 'customer', 0)",
            &[
                Value::Text(comptoir_functions::port::new_id().to_string()),
                Value::Text(format!("client{i}@exemple.fr")),
                Value::Text(hash.clone()),
            ],
        )
        .await?;
    }
    product_pages(&app, 50).await?; // warm up
    let (idle_p50, idle_p99, idle_max) = percentiles(product_pages(&app, 300).await?);
    println!(
        "product page, idle             p50 {idle_p50:>7.2} ms   p99 {idle_p99:>7.2} ms   max {idle_max:>7.2} ms"
    );
    let app = &app;
    let started = Instant::now();
    let storm = async {
        let mut refused = 0;
        for wave in 0..WAVES {
            let attempts = (0..ACCOUNTS).map(|i| async move {
                let body =
                    json!({"email": format!("client{i}@exemple.fr"), "password": "devinette"});
                let client = format!("10.{wave}.{}.{}", i / 250, i % 250 + 1);
                app.call(
                    "POST",
                    "/api/accounts/signin",
                    Some(body.to_string()),
                    &[("x-forwarded-for", client.as_str())],
                )
                .await
                .map(|a| a.status)
            });
            for status in join_all(attempts).await {
                anyhow::ensure!(status? == 401, "a wrong password is refused");
                refused += 1;
            }
        }
        anyhow::Ok((refused, started.elapsed()))
    };
    let shopper = async {
        let mut latencies = Vec::new();
        // Load pages for as long as the storm lasts (bounded).
        while started.elapsed() < Duration::from_secs(120) {
            latencies.extend(product_pages(app, 10).await?);
            if latencies.len() >= 10_000 {
                break;
            }
            tokio::task::yield_now().await;
            if STORM_DONE.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
        }
        anyhow::Ok(latencies)
    };
    let storm = async {
        let result = storm.await;
        STORM_DONE.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    };
    let (storm, shopper) = tokio::join!(storm, shopper);
    let (refused, took) = storm?;
    let (p50, p99, max) = percentiles(shopper?);
    println!(
        "product page, {refused} wrong sign-ins   p50 {p50:>7.2} ms   p99 {p99:>7.2} ms   max {max:>7.2} ms   \
         ({:.1}x idle p50, {:.1}x idle p99; the {refused} sign-ins took {:.1} s)",
        p50 / idle_p50.max(f64::MIN_POSITIVE),
        p99 / idle_p99.max(f64::MIN_POSITIVE),
        took.as_secs_f64()
    );
    Ok(())
}

static STORM_DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
