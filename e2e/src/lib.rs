//! Helpers for the black-box tests: start the real shop (the native host's
//! own start-up code, on a free 127.0.0.1 port, with a fresh database), talk
//! to it over HTTP, and read its database to check what changed.
//!
//! The store is SQLite unless `COMPTOIR_TEST_POSTGRES` names a Postgres
//! server (`postgres://user@127.0.0.1:PORT/postgres`): then every shop gets
//! a fresh database of its own there, and the same tests prove the same
//! things on Postgres.

pub mod browser;
pub mod fake_smtp;
pub mod fake_stripe;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::Context as _;
use comptoir_functions::config::Config;
use comptoir_functions::dialect::Dialect;
use comptoir_functions::port::{Database, Value};
use comptoir_host::store::{NativeStore, Store};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A running shop.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Its store.
    pub database: Store,
    /// An HTTP client.
    pub http: reqwest::Client,
    /// Statements the shop's store has run (see [`TestApp::statements_for`]).
    statements: std::sync::Arc<std::sync::atomic::AtomicU64>,
    db: NativeStore,
}

fn fresh_dir() -> anyhow::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "comptoir-e2e-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A fresh, empty store: a SQLite file in a new temporary folder, or a new
/// database on the Postgres server `COMPTOIR_TEST_POSTGRES` names.
pub async fn fresh_store() -> anyhow::Result<Store> {
    fresh_store_on(std::env::var("COMPTOIR_TEST_POSTGRES").ok().as_deref()).await
}

/// A fresh, empty store: a new database on the Postgres `server`
/// (`postgres://…/postgres`) when given, else a new SQLite file.
pub async fn fresh_store_on(server: Option<&str>) -> anyhow::Result<Store> {
    let dir = fresh_dir()?;
    let Some(server) = server.filter(|url| !url.is_empty()) else {
        return Ok(Store::Sqlite(dir.join("shop.db")));
    };
    use sqlx::Connection as _;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .context("temporary folder name")?
        .replace('-', "_");
    let mut admin = sqlx::PgConnection::connect(server)
        .await
        .with_context(|| format!("connecting to {server}"))?;
    // The name is ours (letters, digits, underscores), never input.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let (base, _) = server
        .rsplit_once('/')
        .context("COMPTOIR_TEST_POSTGRES must end with /DATABASE")?;
    Ok(Store::Postgres(format!("{base}/{name}")))
}

/// Starts the shop with default configuration.
pub async fn spawn_app() -> anyhow::Result<TestApp> {
    spawn_app_with(Config::from_lookup(|_| None)?).await
}

/// A free port on 127.0.0.1 (the OS picks it; it stays free in practice
/// until the shop binds it a moment later).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Starts the shop with `config`. Its own address is one of the shop's
/// origins, so a browser on it may change state.
pub async fn spawn_app_with(config: Config) -> anyhow::Result<TestApp> {
    spawn_on(fresh_store().await?, config, true).await
}

/// Starts the shop without its background duties (committed refunds sent
/// every few seconds), for tests that prove a request wrote nothing.
pub async fn spawn_quiet_app() -> anyhow::Result<TestApp> {
    spawn_on(fresh_store().await?, Config::from_lookup(|_| None)?, false).await
}

impl TestApp {
    /// Starts a second shop instance on this one's database, as a scaled-out
    /// deployment runs several: nothing but the database is shared.
    pub async fn another_instance(&self, config: Config) -> anyhow::Result<TestApp> {
        spawn_on(self.database.clone(), config, true).await
    }
}

/// Starts a shop on `database` (background duties on or off).
pub async fn spawn_on(
    database: Store,
    mut config: Config,
    back_office: bool,
) -> anyhow::Result<TestApp> {
    // Server-side errors show in a failing test's output.
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let root = workspace();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    config.origins.push(format!("http://{addr}"));
    let statements = std::sync::Arc::<std::sync::atomic::AtomicU64>::default();
    let (addr, _server) = comptoir_host::start(comptoir_host::Options {
        database: database.clone(),
        addr,
        manifest: root.join("spin.toml"),
        storefront: root.join("dist"),
        config,
        smtp: None,
        statements: std::sync::Arc::clone(&statements),
        back_office,
        until: Default::default(),
    })
    .await?;
    Ok(TestApp {
        statements,
        base: format!("http://{addr}"),
        db: NativeStore::open(&database).await?,
        database,
        http: reqwest::Client::new(),
    })
}

/// The hot routes' statement budgets: how many statements (transaction
/// control included; each one host call under Spin) one request may run,
/// pinned by `e2e/tests/suite/budgets.rs` and printed by the benchmark.
pub const STATEMENT_BUDGETS: &[(&str, u64)] = &[
    ("GET /api/catalog/products/{slug} (product page)", 2),
    // The page, then the category counts (whose sum is the total): the
    // store filters, orders and pages through its indexes instead of the
    // shop reading every product (issue 11).
    ("GET /api/catalog/products (catalog list)", 2),
    ("GET /api/carts/{id} (cart read)", 3),
    // Postgres' write lock is one statement more than SQLite's.
    ("POST /api/checkout (checkout)", 12),
];

/// An HTTP answer: status and JSON body.
#[derive(Debug)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// Parsed body (`null` when empty).
    pub json: serde_json::Value,
    /// The `name=value` part of a `Set-Cookie` header, if any.
    pub cookie: Option<String>,
    /// The whole `Set-Cookie` header, if any.
    pub set_cookie: Option<String>,
}

impl Answer {
    /// The body as a contract type, after checking the status.
    pub fn expect<T: DeserializeOwned>(self, status: u16) -> anyhow::Result<T> {
        anyhow::ensure!(
            self.status == status,
            "expected {status}, got {}: {}",
            self.status,
            self.json
        );
        serde_json::from_value(self.json).context("decoding the answer")
    }
}

impl TestApp {
    /// Sends `method path` with an optional raw body and headers.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Answer> {
        let mut request = self
            .http
            .request(method.parse()?, format!("{}{path}", self.base))
            .header("content-type", "application/json");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let set_cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let cookie = set_cookie
            .as_deref()
            .and_then(|c| c.split(';').next())
            .map(str::to_owned);
        let bytes = response.bytes().await?;
        let json = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes)?
        };
        Ok(Answer {
            status,
            json,
            cookie,
            set_cookie,
        })
    }

    /// Sends `method path` and counts the statements the shop ran for it
    /// (start the shop with [`spawn_quiet_app`] so no background duty adds
    /// its own, and send nothing else meanwhile).
    pub async fn statements_for(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> anyhow::Result<(Answer, u64)> {
        use std::sync::atomic::Ordering;
        let before = self.statements.load(Ordering::SeqCst);
        let answer = self.call(method, path, body, &[]).await?;
        Ok((answer, self.statements.load(Ordering::SeqCst) - before))
    }

    /// Each hot route once, on a quiet shop: (route, status, statements).
    pub async fn hot_route_statements(&self) -> anyhow::Result<Vec<(&'static str, u16, u64)>> {
        let cart = self.cart_with("TSL-BLEU-M", 1).await?;
        let mut counted = Vec::new();
        for (route, _) in STATEMENT_BUDGETS {
            let (method, path, body) = match *route {
                r if r.starts_with("GET /api/catalog/products/") => {
                    ("GET", "/api/catalog/products/mariniere".to_owned(), None)
                }
                r if r.starts_with("GET /api/catalog/products") => {
                    ("GET", "/api/catalog/products".to_owned(), None)
                }
                r if r.starts_with("GET /api/carts/") => {
                    ("GET", format!("/api/carts/{cart}"), None)
                }
                r if r.starts_with("POST /api/checkout") => (
                    "POST",
                    "/api/checkout".to_owned(),
                    Some(checkout_body(&cart).to_string()),
                ),
                other => anyhow::bail!("no request for {other}"),
            };
            let (answer, statements) = self.statements_for(method, &path, body).await?;
            counted.push((*route, answer.status, statements));
        }
        Ok(counted)
    }

    /// GET.
    pub async fn get(&self, path: &str) -> anyhow::Result<Answer> {
        self.call("GET", path, None, &[]).await
    }

    /// Sends JSON.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: &impl Serialize,
    ) -> anyhow::Result<Answer> {
        self.call(method, path, Some(serde_json::to_string(body)?), &[])
            .await
    }

    /// POSTs a provider event to the webhook, signed with `secret` as of
    /// `signed_at` (unix seconds), the way Stripe sends it.
    pub async fn webhook(
        &self,
        secret: &str,
        event: &str,
        signed_at: i64,
    ) -> anyhow::Result<Answer> {
        let signature =
            comptoir_functions::payments::signature::sign(secret, signed_at, event.as_bytes());
        self.call(
            "POST",
            "/api/payments/webhook",
            Some(event.to_owned()),
            &[("stripe-signature", &signature)],
        )
        .await
    }

    /// Sends JSON with a session cookie.
    pub async fn send_as(
        &self,
        cookie: &str,
        method: &str,
        path: &str,
        body: &impl Serialize,
    ) -> anyhow::Result<Answer> {
        self.call(
            method,
            path,
            Some(serde_json::to_string(body)?),
            &[("cookie", cookie)],
        )
        .await
    }

    /// GET with a session cookie.
    pub async fn get_as(&self, cookie: &str, path: &str) -> anyhow::Result<Answer> {
        self.call("GET", path, None, &[("cookie", cookie)]).await
    }

    /// Signs in and returns the session cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> anyhow::Result<String> {
        let answer = self
            .send(
                "POST",
                "/api/accounts/signin",
                &json!({"email": email, "password": password}),
            )
            .await?;
        anyhow::ensure!(
            answer.status == 200,
            "sign-in failed: {} {}",
            answer.status,
            answer.json
        );
        answer.cookie.context("no session cookie")
    }

    /// Creates a staff account with `role` (as an admin would) and signs it in.
    pub async fn staff(&self, role: &str) -> anyhow::Result<String> {
        let email = format!("{role}@comptoir.test");
        let password = "mot de passe du personnel";
        let hash = comptoir_functions::accounts::password::hash(
            &comptoir_functions::port::InPlace,
            password,
        )
        .await
        .map_err(|e| anyhow::anyhow!("hashing: {e:?}"))?;
        self.execute(
            "INSERT INTO accounts (id, email, password_hash, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0) \
             ON CONFLICT (email) DO NOTHING",
            &[
                Value::Text(comptoir_functions::port::new_id().to_string()),
                Value::Text(email.clone()),
                Value::Text(hash),
                Value::Text(role.to_owned()),
                Value::Text(role.to_owned()),
            ],
        )
        .await?;
        self.sign_in(&email, password).await
    }

    /// Signs up the customer who buys in [`checkout_body`] and returns the cookie.
    pub async fn customer(&self) -> anyhow::Result<String> {
        self.sign_up("marie.curie@exemple.fr").await
    }

    /// Signs up a customer account for `email` and returns the cookie.
    pub async fn sign_up(&self, email: &str) -> anyhow::Result<String> {
        let answer = self
            .send(
                "POST",
                "/api/accounts/signup",
                &json!({"email": email, "password": "radium et polonium"}),
            )
            .await?;
        anyhow::ensure!(answer.status == 201, "sign-up failed: {}", answer.json);
        answer.cookie.context("no session cookie")
    }

    /// A paid guest order of `quantity` × `sku` through the sandbox; returns its id.
    pub async fn paid_order(&self, sku: &str, quantity: u32) -> anyhow::Result<String> {
        self.paid_order_as(None, sku, quantity).await
    }

    /// A paid order placed by the signed-in `cookie` (or a guest).
    pub async fn paid_order_as(
        &self,
        cookie: Option<&str>,
        sku: &str,
        quantity: u32,
    ) -> anyhow::Result<String> {
        let order = self.placed_order(cookie, sku, quantity).await?;
        self.pay(&order, true).await?;
        Ok(order)
    }

    /// An order of `quantity` × `sku` placed (pending payment) by `cookie` or a guest.
    pub async fn placed_order(
        &self,
        cookie: Option<&str>,
        sku: &str,
        quantity: u32,
    ) -> anyhow::Result<String> {
        let cart = self.cart_with(sku, quantity).await?;
        let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
        let placed: serde_json::Value = self
            .call(
                "POST",
                "/api/checkout",
                Some(checkout_body(&cart).to_string()),
                &headers,
            )
            .await?
            .expect(201)?;
        Ok(placed["order_id"].as_str().context("order id")?.to_owned())
    }

    /// Opens (or reopens) the order's payment session with the configured provider.
    pub async fn open_session(&self, order: &str) -> anyhow::Result<serde_json::Value> {
        self.send(
            "POST",
            "/api/payments/sessions",
            &json!({"order_id": order}),
        )
        .await?
        .expect(200)
    }

    /// Warehouse picks and ships `order` with Colissimo under `tracking`.
    pub async fn ship(&self, order: &str, tracking: &str) -> anyhow::Result<()> {
        let warehouse = self.staff("warehouse").await?;
        self.move_order(&warehouse, order, json!({"to": "picking"}))
            .await?
            .expect::<serde_json::Value>(200)?;
        let shipment = json!({"to": "shipped", "shipment": {"carrier": "Colissimo", "tracking_number": tracking}});
        self.move_order(&warehouse, order, shipment)
            .await?
            .expect::<serde_json::Value>(200)?;
        Ok(())
    }

    /// Warehouse picks, ships and delivers `order`.
    pub async fn deliver(&self, order: &str) -> anyhow::Result<()> {
        self.ship(order, "6A1").await?;
        let warehouse = self.staff("warehouse").await?;
        self.move_order(&warehouse, order, json!({"to": "delivered"}))
            .await?
            .expect::<serde_json::Value>(200)?;
        Ok(())
    }

    /// Moves an order on as `cookie`; returns the raw answer.
    pub async fn move_order(
        &self,
        cookie: &str,
        order: &str,
        body: serde_json::Value,
    ) -> anyhow::Result<Answer> {
        self.send_as(
            cookie,
            "POST",
            &format!("/api/orders/{order}/status"),
            &body,
        )
        .await
    }

    /// An order's status.
    pub async fn order_status(&self, order: &str) -> anyhow::Result<String> {
        let summary: serde_json::Value = self
            .get(&format!("/api/orders/{order}"))
            .await?
            .expect(200)?;
        Ok(summary["status"].as_str().unwrap_or_default().to_owned())
    }

    /// A new cart holding `quantity` of `sku`; returns its id.
    pub async fn cart_with(&self, sku: &str, quantity: u32) -> anyhow::Result<String> {
        let cart: serde_json::Value = self
            .call("POST", "/api/carts", None, &[])
            .await?
            .expect(201)?;
        let id = cart["id"].as_str().context("cart id")?.to_owned();
        self.send(
            "PUT",
            &format!("/api/carts/{id}/items"),
            &json!({"sku": sku, "quantity": quantity}),
        )
        .await?
        .expect::<serde_json::Value>(200)?;
        Ok(id)
    }

    /// Checks a cart out as a guest; returns the raw answer.
    pub async fn checkout(&self, cart: &str, key: Option<&str>) -> anyhow::Result<Answer> {
        let headers: Vec<(&str, &str)> = key.map(|k| ("idempotency-key", k)).into_iter().collect();
        self.call(
            "POST",
            "/api/checkout",
            Some(checkout_body(cart).to_string()),
            &headers,
        )
        .await
    }

    /// Opens a sandbox payment session for `order` and approves or declines it.
    pub async fn pay(&self, order: &str, approve: bool) -> anyhow::Result<serde_json::Value> {
        let session = self.open_session(order).await?;
        let id = session["session_id"].as_str().context("session id")?;
        let decision = if approve { "approve" } else { "decline" };
        self.send(
            "POST",
            &format!("/api/payments/sandbox/{id}"),
            &json!({"decision": decision}),
        )
        .await?
        .expect(200)
    }

    /// `on_hand - reserved` for a SKU, read from the database.
    pub async fn available(&self, sku: &str) -> anyhow::Result<i64> {
        self.scalar(
            "SELECT on_hand - reserved FROM stock WHERE sku = ?1",
            &[Value::Text(sku.into())],
        )
        .await
    }

    /// One integer from the database.
    pub async fn scalar(&self, sql: &str, params: &[Value]) -> anyhow::Result<i64> {
        let rows = self.db.query(sql, params).await?;
        rows.first().context("no row")?.int(0)
    }

    /// One text value from the database.
    pub async fn text(&self, sql: &str, params: &[Value]) -> anyhow::Result<String> {
        let rows = self.db.query(sql, params).await?;
        Ok(rows.first().context("no row")?.text(0)?.to_owned())
    }

    /// Every row a query reads from the shop's database.
    pub async fn rows(
        &self,
        sql: &str,
        params: &[Value],
    ) -> anyhow::Result<Vec<comptoir_functions::port::Row>> {
        self.db.query(sql, params).await
    }

    /// `GET path` (as `cookie` when given): the status and the raw body
    /// (a PDF, a file).
    pub async fn get_bytes(
        &self,
        cookie: Option<&str>,
        path: &str,
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.bytes().await?.to_vec()))
    }

    /// Runs a statement on the shop's database (test set-up).
    pub async fn execute(&self, sql: &str, params: &[Value]) -> anyhow::Result<()> {
        let tx = self.db.begin().await?;
        let mut tx = tx;
        tx.query(sql, params).await?;
        tx.commit().await
    }

    /// Runs one outbox delivery pass as of `now_ms`; returns `(sent, failed)`.
    pub async fn deliver_outbox(
        &self,
        mailer: &dyn comptoir_functions::outbox::Mailer,
        now_ms: i64,
    ) -> anyhow::Result<(u32, u32)> {
        comptoir_functions::outbox::deliver_due(&self.db, mailer, now_ms, 50).await
    }

    /// Every row of every table, by table: equal before and after a request
    /// proves it wrote nothing at all.
    pub async fn fingerprint(&self) -> anyhow::Result<std::collections::BTreeMap<String, String>> {
        let tables = match self.db.dialect() {
            // The shop's tables but the search index (`product_search`: on
            // SQLite a virtual table and its shadow tables of binary pages),
            // which follows the catalog's tables, which are here.
            Dialect::Sqlite => {
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Dialect::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
                 AND table_name <> 'product_search' ORDER BY 1"
            }
        };
        let tables = self.db.query(tables, &[]).await?;
        let mut all = std::collections::BTreeMap::new();
        for table in tables {
            let name = table.text(0)?.to_owned();
            // Table names come from the schema itself, quoted.
            let rows = self
                .db
                .query(&format!("SELECT * FROM \"{name}\" ORDER BY 1"), &[])
                .await?;
            all.insert(name, format!("{rows:?}"));
        }
        Ok(all)
    }

    /// Sends `method path` with `body` as `cookie` the ways a page of another
    /// origin could — a `text/plain` body from the shop's own origin, JSON
    /// from a sibling origin of the same site, JSON announced by the browser
    /// as `Sec-Fetch-Site: cross-site` or `same-site` — and returns what went
    /// wrong: each must be refused with its typed error and write nothing.
    pub async fn refusals_from_elsewhere(
        &self,
        cookie: Option<&str>,
        method: &str,
        path: &str,
        body: &str,
    ) -> anyhow::Result<Vec<String>> {
        let sibling = "http://127.0.0.1:1";
        let json = ("content-type", "application/json");
        let (media, origin) = ((415, "unsupported_media_type"), (403, "cross_origin"));
        let variants = [
            (
                "text/plain body",
                [
                    ("origin", self.base.as_str()),
                    ("content-type", "text/plain"),
                ],
                media,
            ),
            (
                "form body",
                [
                    ("origin", self.base.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                ],
                media,
            ),
            ("sibling Origin", [("origin", sibling), json], origin),
            (
                "Sec-Fetch-Site: cross-site",
                [("sec-fetch-site", "cross-site"), json],
                origin,
            ),
            (
                "Sec-Fetch-Site: same-site",
                [("sec-fetch-site", "same-site"), json],
                origin,
            ),
        ];
        let before = self.fingerprint().await?;
        let mut failures = Vec::new();
        for (what, headers, (status, error)) in variants {
            let mut request = self
                .http
                .request(method.parse()?, format!("{}{path}", self.base));
            for (name, value) in headers {
                request = request.header(name, value);
            }
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            if body != "null" {
                request = request.body(body.to_owned());
            }
            let response = request.send().await?;
            let got = response.status().as_u16();
            let json: serde_json::Value = response.json().await.unwrap_or_default();
            if got != status || json["error"] != error {
                failures.push(format!(
                    "{method} {path} with {what}: expected {status} {error}, got {got} {json}"
                ));
            }
        }
        let after = self.fingerprint().await?;
        let changed: Vec<&String> = after
            .iter()
            .filter(|(table, rows)| before.get(*table) != Some(*rows))
            .map(|(table, _)| table)
            .collect();
        if !changed.is_empty() {
            failures.push(format!(
                "{method} {path}: a refused request changed {changed:?}"
            ));
        }
        Ok(failures)
    }

    /// Rows in `table`, to prove a refused request wrote nothing.
    pub async fn count(&self, table: &str) -> anyhow::Result<i64> {
        let sql = match table {
            "orders" => "SELECT COUNT(*) FROM orders",
            "cart_lines" => "SELECT COUNT(*) FROM cart_lines",
            "stock_movements" => "SELECT COUNT(*) FROM stock_movements",
            "payment_events" => "SELECT COUNT(*) FROM payment_events",
            "support_threads" => "SELECT COUNT(*) FROM support_threads",
            "support_messages" => "SELECT COUNT(*) FROM support_messages",
            "surveys" => "SELECT COUNT(*) FROM surveys",
            "audit_log" => "SELECT COUNT(*) FROM audit_log",
            "products" => "SELECT COUNT(*) FROM products",
            "variants" => "SELECT COUNT(*) FROM variants",
            "promotions" => "SELECT COUNT(*) FROM promotions",
            other => anyhow::bail!("no count for {other}"),
        };
        self.scalar(sql, &[]).await
    }
}

/// Σ debit − credit of the journal lines (as `GET /api/finance/journal`
/// lists them) on accounts whose number starts with `prefix`.
pub fn account_balance(lines: &[serde_json::Value], prefix: &str) -> i64 {
    lines
        .iter()
        .filter(|l| {
            l["account"]
                .as_str()
                .unwrap_or_default()
                .starts_with(prefix)
        })
        .map(|l| {
            l["debit"]["amount"].as_i64().unwrap_or_default()
                - l["credit"]["amount"].as_i64().unwrap_or_default()
        })
        .sum()
}

/// A valid guest checkout body for `cart`.
pub fn checkout_body(cart: &str) -> serde_json::Value {
    json!({
        "cart_id": cart,
        "email": "marie.curie@exemple.fr",
        "phone": "06 12 34 56 78",
        "shipping_address": {
            "name": "Marie Curie",
            "line1": "11 rue Pierre et Marie Curie",
            "postal_code": "75005",
            "city": "Paris",
            "country": "FR"
        }
    })
}

// Job runner tests (issue 10): the fake HTTP e-mail API, and instances
// without the native timer, so only `POST /api/jobs/run` does the duties.

pub mod fake_mail_api;

/// Starts the shop with `config` and without the native job timer.
pub async fn spawn_quiet_app_with(config: Config) -> anyhow::Result<TestApp> {
    spawn_on(fresh_store().await?, config, false).await
}

impl TestApp {
    /// Like [`TestApp::another_instance`], without the native job timer.
    pub async fn another_quiet_instance(&self, config: Config) -> anyhow::Result<TestApp> {
        spawn_on(self.database.clone(), config, false).await
    }
}

// Catalog at scale (issue 11): a shop holding a generated catalog.

/// Starts a shop whose catalog is the first `products` generated products
/// (`comptoir_host::seed`: ten variants each; no demo catalog) on a fresh
/// store; returns it and the products, which are also the expected answers.
/// 10 000 products take a few seconds to write.
pub async fn spawn_generated_catalog(
    products: usize,
) -> anyhow::Result<(TestApp, Vec<comptoir_host::seed::GeneratedProduct>)> {
    spawn_generated_catalog_on(fresh_store().await?, products).await
}

impl TestApp {
    /// Adds the first `products` generated products to this shop's catalog
    /// (`comptoir_host::seed::fill`), after its own.
    pub async fn fill_catalog(
        &self,
        products: usize,
    ) -> anyhow::Result<Vec<comptoir_host::seed::GeneratedProduct>> {
        comptoir_host::seed::fill(&self.db, products).await
    }
}

/// [`spawn_generated_catalog`] on `store`.
pub async fn spawn_generated_catalog_on(
    store: Store,
    products: usize,
) -> anyhow::Result<(TestApp, Vec<comptoir_host::seed::GeneratedProduct>)> {
    let mut config = Config::from_lookup(|_| None)?;
    config.demo_catalog = false;
    let app = spawn_on(store, config, true).await?;
    let generated = app.fill_catalog(products).await?;
    Ok((app, generated))
}

// Purchasing (issue 13): a SKU's sales history written into the ledger.

impl TestApp {
    /// `sku`'s history: `received` units arrived `since` days ago (nothing
    /// on the shelf before, so those days are out of stock), then
    /// `per_day` sold at noon (Paris) every day from `since - 1` to `until`
    /// days ago; the shelf now holds what is left, which is answered.
    pub async fn sales_history(
        &self,
        sku: &str,
        received: i64,
        per_day: i64,
        since: i64,
        until: i64,
    ) -> anyhow::Result<i64> {
        use comptoir_shared::calendar::{DAY_MS, day_of, paris_offset_ms};
        let now = now_ms();
        let today = day_of(now + paris_offset_ms(now));
        let noon = |days_ago: i64| (today - days_ago) * DAY_MS + 11 * 3_600_000;
        let text = |s: &str| Value::Text(s.to_owned());
        self.execute("DELETE FROM stock_movements WHERE sku = ?1", &[text(sku)])
            .await?;
        self.execute(
            "INSERT INTO stock_movements (id, sku, kind, quantity, note, at) VALUES (?1, ?2, 'receipt', ?3, 'history', ?4)",
            &[text(&format!("h-{sku}-in")), text(sku), Value::Integer(received), Value::Integer(noon(since) - 3_600_000)],
        )
        .await?;
        let mut left = received;
        for day in (until..since).rev() {
            self.execute(
                "INSERT INTO stock_movements (id, sku, kind, quantity, note, at) VALUES (?1, ?2, 'sale', ?3, 'history', ?4)",
                &[text(&format!("h-{sku}-{day}")), text(sku), Value::Integer(-per_day), Value::Integer(noon(day))],
            )
            .await?;
            left -= per_day;
        }
        self.execute(
            "UPDATE stock SET on_hand = ?2, reserved = 0 WHERE sku = ?1",
            &[text(sku), Value::Integer(left)],
        )
        .await?;
        Ok(left)
    }
}

impl TestApp {
    /// Runs the job runner once with the scheduler's `secret` and answers
    /// what `duty` did (`done`), after checking it ran.
    pub async fn run_duty(&self, secret: &str, duty: &str) -> anyhow::Result<u64> {
        let report: serde_json::Value = self
            .call(
                "POST",
                "/api/jobs/run",
                None,
                &[("authorization", &format!("Bearer {secret}"))],
            )
            .await?
            .expect(200)?;
        let ran = report["duties"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["duty"] == duty))
            .cloned()
            .unwrap_or_default();
        anyhow::ensure!(ran["outcome"] == "ran", "{duty} duty: {ran}");
        Ok(ran["done"].as_u64().unwrap_or(u64::MAX))
    }
}
