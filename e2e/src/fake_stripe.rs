//! A local fake of Stripe's REST API on 127.0.0.1: it checks what it
//! receives the way Stripe does (secret key, idempotency key, form fields),
//! replays idempotent requests, keeps each Checkout Session's status (open
//! until expired), and records every request for assertions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;

/// The secret key the fake accepts.
pub const SECRET_KEY: &str = "sk_test_comptoir_fake";

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Path, e.g. `/v1/checkout/sessions`.
    pub path: String,
    /// `authorization` header.
    pub authorization: Option<String>,
    /// `idempotency-key` header.
    pub idempotency_key: Option<String>,
    /// `content-type` header.
    pub content_type: Option<String>,
    /// Decoded form fields, in order.
    pub form: Vec<(String, String)>,
}

impl Received {
    /// The value of form field `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    replies: HashMap<String, serde_json::Value>,
    /// Checkout Session id → `open` or `expired`, in creation order.
    sessions: Vec<(String, String)>,
    /// Payout id → the balance transactions it settles.
    payouts: HashMap<String, Vec<serde_json::Value>>,
}

/// Lets a test hold Checkout Session requests at the door, to interleave
/// something with a provider call in flight.
struct Gate {
    held: tokio::sync::watch::Sender<bool>,
    arrived: tokio::sync::Notify,
}

/// What the handlers share.
#[derive(Clone)]
struct Shared {
    inner: Arc<Mutex<Inner>>,
    gate: Arc<Gate>,
}

/// A running fake.
#[derive(Clone)]
pub struct FakeStripe {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    gate: Arc<Gate>,
}

impl FakeStripe {
    /// Starts the fake on a free port.
    pub async fn start() -> anyhow::Result<Self> {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let gate = Arc::new(Gate {
            held: tokio::sync::watch::Sender::new(false),
            arrived: tokio::sync::Notify::new(),
        });
        let shared = Shared {
            inner: Arc::clone(&inner),
            gate: Arc::clone(&gate),
        };
        let app = Router::new()
            .route("/v1/checkout/sessions", post(checkout_session))
            .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
            .route("/v1/refunds", post(refund))
            .route(
                "/v1/balance_transactions",
                axum::routing::get(balance_transactions),
            )
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Self { base, inner, gate })
    }

    /// From now on, Checkout Session requests wait until [`Self::release_sessions`].
    pub fn hold_sessions(&self) {
        self.gate.held.send_replace(true);
    }

    /// Lets held Checkout Session requests (and later ones) through.
    pub fn release_sessions(&self) {
        self.gate.held.send_replace(false);
    }

    /// Waits until a Checkout Session request has reached the fake.
    pub async fn session_request_arrived(&self) {
        self.gate.arrived.notified().await;
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner
            .lock()
            .map(|i| i.received.clone())
            .unwrap_or_default()
    }

    /// Makes payout `id` settle `transactions` (balance transactions as
    /// Stripe lists them, `source` expanded).
    pub fn set_payout(&self, id: &str, transactions: Vec<serde_json::Value>) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.payouts.insert(id.to_owned(), transactions);
        }
    }

    /// Every Checkout Session created, oldest first, with its status
    /// (`open` or `expired`).
    pub fn sessions(&self) -> Vec<(String, String)> {
        self.inner
            .lock()
            .map(|i| i.sessions.clone())
            .unwrap_or_default()
    }
}

fn stripe_error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": {"type": kind, "message": message}})),
    )
        .into_response()
}

fn receive(path: &str, headers: &HeaderMap, body: &[u8]) -> Received {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Received {
        path: path.into(),
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        content_type: header("content-type"),
        form: form_urlencoded::parse(body).into_owned().collect(),
    }
}

/// What every endpoint does first, as Stripe does: record the request, check
/// the secret key, the form body and the required fields, and replay the
/// first answer to a reused idempotency key; otherwise answer `reply(state,
/// request, request number)` — a body, or a refusal's status and message —
/// and remember a success under the key.
fn serve(
    inner: &Mutex<Inner>,
    received: Received,
    required: &[&str],
    reply: impl FnOnce(&mut Inner, &Received, usize) -> Result<serde_json::Value, (StatusCode, String)>,
) -> Response {
    let Ok(mut inner) = inner.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    inner.received.push(received.clone());
    if received.authorization.as_deref() != Some(&format!("Bearer {SECRET_KEY}")) {
        return stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided",
        );
    }
    if received.content_type.as_deref() != Some("application/x-www-form-urlencoded") {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "form body expected",
        );
    }
    if let Some(missing) = required.iter().find(|f| received.field(f).is_none()) {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            &format!("Missing required param: {missing}."),
        );
    }
    if let Some(first) = received
        .idempotency_key
        .as_ref()
        .and_then(|k| inner.replies.get(k))
    {
        return axum::Json(first.clone()).into_response();
    }
    let n = inner.received.len();
    let answer = match reply(&mut inner, &received, n) {
        Ok(answer) => answer,
        Err((status, message)) => {
            return stripe_error(status, "invalid_request_error", &message);
        }
    };
    if let Some(key) = received.idempotency_key {
        inner.replies.insert(key, answer.clone());
    }
    axum::Json(answer).into_response()
}

/// `GET /v1/balance_transactions?payout=…&limit=…&starting_after=…`: a
/// payout's transactions, two a page (so paging is exercised), refused
/// without the secret key or without `expand[]=data.source`.
async fn balance_transactions(
    State(fake): State<Shared>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let mut received = receive("/v1/balance_transactions", &headers, query.as_bytes());
    received.content_type = None;
    let Ok(mut inner) = fake.inner.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    inner.received.push(received.clone());
    if received.authorization.as_deref() != Some(&format!("Bearer {SECRET_KEY}")) {
        return stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided",
        );
    }
    if received.field("expand[]") != Some("data.source") {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "expand data.source",
        );
    }
    let Some(all) = received.field("payout").and_then(|p| inner.payouts.get(p)) else {
        return stripe_error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "No such payout",
        );
    };
    let start = match received.field("starting_after") {
        Some(after) => all
            .iter()
            .position(|t| t["id"] == after)
            .map_or(all.len(), |i| i + 1),
        None => 0,
    };
    let page: Vec<serde_json::Value> = all.iter().skip(start).take(2).cloned().collect();
    let has_more = start + page.len() < all.len();
    axum::Json(json!({"object": "list", "data": page, "has_more": has_more, "url": "/v1/balance_transactions"}))
        .into_response()
}

/// `POST /v1/refunds`: answers `pending`, as Stripe often does for cards.
async fn refund(State(fake): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let received = receive("/v1/refunds", &headers, &body);
    serve(
        &fake.inner,
        received,
        &["payment_intent", "amount"],
        |_, r, n| {
            Ok(json!({
                "id": format!("re_test_{n}"), "object": "refund", "status": "pending",
                "amount": r.field("amount").and_then(|a| a.parse::<i64>().ok()), "currency": "eur",
                "payment_intent": r.field("payment_intent"),
                "metadata": {"refund_id": r.field("metadata[refund_id]"), "order_id": r.field("metadata[order_id]")},
            }))
        },
    )
}

/// `POST /v1/checkout/sessions/{id}/expire`: an open session becomes
/// `expired`; Stripe refuses (400) one that is not open, and (404) one it
/// does not know.
async fn expire_session(
    State(fake): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received = receive(
        &format!("/v1/checkout/sessions/{id}/expire"),
        &headers,
        &body,
    );
    serve(&fake.inner, received, &[], |inner, _, _| {
        let Some((_, status)) = inner.sessions.iter_mut().find(|(s, _)| *s == id) else {
            return Err((
                StatusCode::NOT_FOUND,
                format!("No such checkout.session: '{id}'"),
            ));
        };
        if status != "open" {
            return Err((
                StatusCode::BAD_REQUEST,
                "Only Checkout Sessions with a status in [\"open\"] can be expired.".into(),
            ));
        }
        "expired".clone_into(status);
        Ok(json!({"id": id, "object": "checkout.session", "status": "expired"}))
    })
}

/// `POST /v1/checkout/sessions`: a session whose `amount_total` is the sum of
/// the line items, with a hosted-page URL.
async fn checkout_session(State(fake): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let received = receive("/v1/checkout/sessions", &headers, &body);
    fake.gate.arrived.notify_one();
    let mut held = fake.gate.held.subscribe();
    if held.wait_for(|held| !held).await.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let required = [
        "mode",
        "success_url",
        "line_items[0][price_data][currency]",
        "line_items[0][quantity]",
    ];
    serve(&fake.inner, received, &required, |inner, r, n| {
        let mut amount_total = 0i64;
        for i in 0.. {
            let (Some(unit), Some(qty)) = (
                r.field(&format!("line_items[{i}][price_data][unit_amount]")),
                r.field(&format!("line_items[{i}][quantity]")),
            ) else {
                break;
            };
            amount_total += unit.parse::<i64>().unwrap_or(0) * qty.parse::<i64>().unwrap_or(0);
        }
        let id = format!("cs_test_{n}");
        inner.sessions.push((id.clone(), "open".into()));
        Ok(json!({
            "id": id, "object": "checkout.session", "mode": "payment", "amount_total": amount_total,
            "currency": r.field("line_items[0][price_data][currency]"),
            "url": format!("https://checkout.stripe.com/c/pay/{id}"),
            "metadata": {"order_id": r.field("metadata[order_id]")},
            "status": "open",
        }))
    })
}
