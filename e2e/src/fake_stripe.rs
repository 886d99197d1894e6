//! A local fake of Stripe's REST API on 127.0.0.1: it checks what it
//! receives the way Stripe does (secret key, idempotency key, form fields),
//! replays idempotent requests, and records every request for assertions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
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
}

/// A running fake.
#[derive(Clone)]
pub struct FakeStripe {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeStripe {
    /// Starts the fake on a free port.
    pub async fn start() -> anyhow::Result<Self> {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/v1/checkout/sessions", post(checkout_session))
            .route("/v1/refunds", post(refund))
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Self { base, inner })
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner
            .lock()
            .map(|i| i.received.clone())
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

/// `POST /v1/refunds`: answers `pending`, as Stripe often does for cards.
async fn refund(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received = receive("/v1/refunds", &headers, &body);
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
    let (Some(intent), Some(amount)) = (received.field("payment_intent"), received.field("amount"))
    else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "payment_intent and amount are required",
        );
    };
    if let Some(reply) = received
        .idempotency_key
        .as_ref()
        .and_then(|k| inner.replies.get(k))
    {
        return axum::Json(reply.clone()).into_response();
    }
    let reply = json!({
        "id": format!("re_test_{}", inner.received.len()), "object": "refund", "status": "pending",
        "amount": amount.parse::<i64>().unwrap_or(0), "currency": "eur", "payment_intent": intent,
        "metadata": {"refund_id": received.field("metadata[refund_id]"), "order_id": received.field("metadata[order_id]")},
    });
    if let Some(key) = received.idempotency_key {
        inner.replies.insert(key, reply.clone());
    }
    axum::Json(reply).into_response()
}

async fn checkout_session(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received = receive("/v1/checkout/sessions", &headers, &body);
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
    for required in [
        "mode",
        "success_url",
        "line_items[0][price_data][currency]",
        "line_items[0][quantity]",
    ] {
        if received.field(required).is_none() {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                &format!("Missing required param: {required}."),
            );
        }
    }
    if let Some(reply) = received
        .idempotency_key
        .as_ref()
        .and_then(|k| inner.replies.get(k))
    {
        return axum::Json(reply.clone()).into_response();
    }
    let mut amount_total = 0i64;
    for i in 0.. {
        let (Some(unit), Some(qty)) = (
            received.field(&format!("line_items[{i}][price_data][unit_amount]")),
            received.field(&format!("line_items[{i}][quantity]")),
        ) else {
            break;
        };
        amount_total += unit.parse::<i64>().unwrap_or(0) * qty.parse::<i64>().unwrap_or(0);
    }
    let id = format!("cs_test_{}", inner.received.len());
    let reply = json!({
        "id": id, "object": "checkout.session", "mode": "payment", "amount_total": amount_total,
        "currency": received.field("line_items[0][price_data][currency]"),
        "url": format!("https://checkout.stripe.com/c/pay/{id}"),
        "metadata": {"order_id": received.field("metadata[order_id]")},
    });
    if let Some(key) = received.idempotency_key {
        inner.replies.insert(key, reply.clone());
    }
    axum::Json(reply).into_response()
}
