//! A local fake of an HTTP e-mail API in Resend's shape on 127.0.0.1
//! (`POST /emails`): it checks what it receives the way the real one does —
//! the bearer key, a JSON body with `from`, `to` (a list of one address
//! here), `subject` and `text`, an `Idempotency-Key` — answers a replayed
//! key with the first answer without sending again, and records every
//! request and every message it "sent".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;

/// The API key the fake accepts.
pub const API_KEY: &str = "re_test_comptoir_fake";

/// One message the fake accepted and "sent".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    /// The `Idempotency-Key` it came with.
    pub idempotency_key: String,
    /// `from`.
    pub from: String,
    /// `to` (its single address).
    pub to: String,
    /// `subject`.
    pub subject: String,
    /// `text`.
    pub text: String,
}

#[derive(Default)]
struct Inner {
    /// Every request, accepted or not (its idempotency key, if any).
    requests: Vec<Option<String>>,
    sent: Vec<SentMail>,
    replies: HashMap<String, serde_json::Value>,
    /// Requests still to refuse with a 500.
    refuse: u32,
}

/// A running fake.
#[derive(Clone)]
pub struct FakeMailApi {
    /// `http://127.0.0.1:PORT`, what `mail_api_base` is set to.
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeMailApi {
    /// Starts the fake on a free port; it answers 500 to the first `refuse` requests.
    pub async fn start(refuse: u32) -> anyhow::Result<Self> {
        let inner = Arc::new(Mutex::new(Inner {
            refuse,
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/emails", post(emails))
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Self { base, inner })
    }

    /// Every message sent, in order (a replayed idempotency key sends nothing).
    pub fn sent(&self) -> Vec<SentMail> {
        self.inner
            .lock()
            .map(|i| i.sent.clone())
            .unwrap_or_default()
    }

    /// How many requests arrived, accepted or not, replays included.
    pub fn requests(&self) -> usize {
        self.inner.lock().map(|i| i.requests.len()).unwrap_or(0)
    }
}

fn refusal(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(
            json!({"statusCode": status.as_u16(), "name": "validation_error", "message": message}),
        ),
    )
        .into_response()
}

async fn emails(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let Ok(mut inner) = inner.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let key = header("idempotency-key");
    inner.requests.push(key.clone());
    if header("authorization").as_deref() != Some(&format!("Bearer {API_KEY}")) {
        return refusal(StatusCode::UNAUTHORIZED, "API key is invalid");
    }
    if !header("content-type").is_some_and(|t| t.starts_with("application/json")) {
        return refusal(StatusCode::BAD_REQUEST, "a JSON body is expected");
    }
    let Some(key) = key.filter(|k| !k.is_empty() && k.len() <= 256) else {
        return refusal(StatusCode::BAD_REQUEST, "an Idempotency-Key is expected");
    };
    let Ok(mail) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return refusal(StatusCode::BAD_REQUEST, "the body is not JSON");
    };
    let text = |field: &str| mail[field].as_str().filter(|v| !v.is_empty());
    let to = match mail["to"].as_array().map(Vec::as_slice) {
        Some([one]) => one.as_str().map(str::to_owned),
        _ => None,
    };
    let (Some(from), Some(to), Some(subject), Some(body)) =
        (text("from"), to, text("subject"), text("text"))
    else {
        return refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "from, to (one address), subject and text are required",
        );
    };
    if !to.contains('@') || !from.contains('@') {
        return refusal(StatusCode::UNPROCESSABLE_ENTITY, "invalid address");
    }
    if let Some(first) = inner.replies.get(&key) {
        return axum::Json(first.clone()).into_response();
    }
    if inner.refuse > 0 {
        inner.refuse -= 1;
        return refusal(StatusCode::INTERNAL_SERVER_ERROR, "try again later");
    }
    inner.sent.push(SentMail {
        idempotency_key: key.clone(),
        from: from.to_owned(),
        to,
        subject: subject.to_owned(),
        text: body.to_owned(),
    });
    let answer = json!({"id": format!("mail_{}", inner.sent.len())});
    inner.replies.insert(key, answer.clone());
    axum::Json(answer).into_response()
}
