//! Typed calls to the functions. Paths are the ones `spin.toml` routes.

use comptoir_shared::ApiError;
use comptoir_shared::account::{
    Account, ChangePassword, EmailVerified, SignIn, SignUp, VerificationSent, VerifyEmail,
};
use comptoir_shared::cart::{ApplyPromoCode, Cart, SetCartLine};
use comptoir_shared::checkout::{CheckoutRequest, CheckoutResult};
use comptoir_shared::ids::{CartId, OpaqueId, OrderId, PromoCode, Sku};
use comptoir_shared::invoice::IssuedDocument;
use comptoir_shared::lang::Lang;
use comptoir_shared::order::OrderSummary;
use comptoir_shared::payment::{
    PaymentSession, PaymentSessionRequest, SandboxDecision, SandboxSession,
};
use comptoir_shared::pricing::ShippingMethodCode;
use comptoir_shared::refund::{Refund, RefundRequest};
use comptoir_shared::support::{
    NewMessage, NewThread, SupportThread, Survey, SurveyAnswer, ThreadSummary,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What a call can fail with: the server's refusal, or no usable answer.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// The functions refused, with a typed reason.
    Api(ApiError),
    /// Network down or an answer that is not a contract type.
    Network(String),
}

/// Result of a call.
pub type CallResult<T> = Result<T, CallError>;

pub async fn answer<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> CallResult<T> {
    let response = response.map_err(|e| CallError::Network(e.to_string()))?;
    if response.ok() {
        response
            .json::<T>()
            .await
            .map_err(|e| CallError::Network(e.to_string()))
    } else {
        match response.json::<ApiError>().await {
            Ok(api) => Err(CallError::Api(api)),
            Err(_) => Err(CallError::Network(format!("HTTP {}", response.status()))),
        }
    }
}

/// Success or the typed refusal; the body of a success is not read (so the
/// bundle need not carry code to parse it).
pub async fn status_only(response: Result<Response, gloo_net::Error>) -> CallResult<()> {
    match response {
        Ok(r) if r.ok() => Ok(()),
        other => answer::<serde::de::IgnoredAny>(other).await.map(drop),
    }
}

pub async fn get<T: DeserializeOwned>(url: &str) -> CallResult<T> {
    answer(Request::get(url).send().await).await
}

pub async fn send<T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &impl Serialize,
) -> CallResult<T> {
    match builder.json(body) {
        Ok(request) => answer(request.send().await).await,
        Err(e) => Err(CallError::Network(e.to_string())),
    }
}

/// What the mini-cart and "add to cart" read of a cart: any cart answer
/// reads as one (the other fields are skipped), and a bundle that needs no
/// more carries no code to parse more.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct HeldCart {
    /// The cart.
    pub id: CartId,
    /// Units in it.
    pub item_count: u32,
    /// What it holds of each SKU.
    pub lines: Vec<HeldLine>,
}

/// A line of a [`HeldCart`].
#[derive(Debug, Clone, serde::Deserialize)]
pub struct HeldLine {
    /// The SKU.
    pub sku: Sku,
    /// Units of it.
    pub quantity: comptoir_shared::ids::Quantity,
}

/// Reports `kind` (`add_to_cart`) on the current page to the audience
/// beacon (`POST /api/events`; page views are reported by the boot
/// scripts), unless this browser is not to be measured
/// ([`crate::state::audience_measured`]: DNT, GPC, the privacy page's
/// opt-out). Counting is not the shopper's business: a failure is ignored.
pub async fn beacon(kind: &'static str) {
    if !crate::state::audience_measured() {
        return;
    }
    #[derive(Serialize)]
    struct Event<'a> {
        kind: &'a str,
        path: &'a str,
    }
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    if let Ok(request) = Request::post("/api/events").json(&Event { kind, path: &path }) {
        let _ = request.send().await;
    }
}

/// A new empty cart (a [`Cart`], or any view of it such as [`HeldCart`]).
pub async fn create_cart<T: DeserializeOwned>() -> CallResult<T> {
    answer(Request::post("/api/carts").send().await).await
}

/// A cart, priced now, its products named in `lang` (a [`Cart`] or a
/// [`HeldCart`]). Every cart call below names them in a language too.
pub async fn cart<T: DeserializeOwned>(id: &CartId, lang: Lang) -> CallResult<T> {
    get(&format!("/api/carts/{id}?lang={}", lang.code())).await
}

/// A cart priced with a shipping method.
pub async fn cart_shipped(
    id: &CartId,
    method: ShippingMethodCode,
    country: &str,
    vat_number: Option<&str>,
    lang: Lang,
) -> CallResult<Cart> {
    let vat = vat_number
        .map(|v| format!("&vat_number={}", js_sys::encode_uri_component(v)))
        .unwrap_or_default();
    get(&format!(
        "/api/carts/{id}?shipping={}&country={country}{vat}&lang={}",
        method.as_str(),
        lang.code()
    ))
    .await
}

/// Adds a promotion code, or says why it does not apply.
pub async fn add_promo(id: &CartId, code: PromoCode, lang: Lang) -> CallResult<Cart> {
    send(
        Request::put(&format!("/api/carts/{id}/promotions?lang={}", lang.code())),
        &ApplyPromoCode { code },
    )
    .await
}

/// Drops a promotion code.
pub async fn remove_promo(id: &CartId, code: &PromoCode, lang: Lang) -> CallResult<Cart> {
    answer(
        Request::delete(&format!(
            "/api/carts/{id}/promotions/{code}?lang={}",
            lang.code()
        ))
        .send()
        .await,
    )
    .await
}

/// Sets a SKU's quantity in the cart (answered as a [`Cart`] or a [`HeldCart`]).
pub async fn set_line<T: DeserializeOwned>(
    id: &CartId,
    line: &SetCartLine,
    lang: Lang,
) -> CallResult<T> {
    send(
        Request::put(&format!("/api/carts/{id}/items?lang={}", lang.code())),
        line,
    )
    .await
}

/// Removes a SKU from the cart.
pub async fn remove_line(id: &CartId, sku: &Sku, lang: Lang) -> CallResult<Cart> {
    answer(
        Request::delete(&format!("/api/carts/{id}/items/{sku}?lang={}", lang.code()))
            .send()
            .await,
    )
    .await
}

/// Places the order; `key` makes a double submit place it once.
pub async fn checkout(request: &CheckoutRequest, key: &str) -> CallResult<CheckoutResult> {
    send(
        Request::post("/api/checkout").header("Idempotency-Key", key),
        request,
    )
    .await
}

/// Opens the payment session for an order.
pub async fn payment_session(order_id: &OrderId) -> CallResult<PaymentSession> {
    let body = PaymentSessionRequest {
        order_id: order_id.clone(),
    };
    send(Request::post("/api/payments/sessions"), &body).await
}

/// The sandbox provider's session.
pub async fn sandbox_session(id: &str) -> CallResult<SandboxSession> {
    get(&format!("/api/payments/sandbox/{id}")).await
}

/// Approves or declines in the sandbox.
pub async fn sandbox_decide(id: &str, decision: SandboxDecision) -> CallResult<SandboxSession> {
    send(
        Request::post(&format!("/api/payments/sandbox/{id}")),
        &decision,
    )
    .await
}

/// An order with its timeline.
pub async fn order(id: &OrderId) -> CallResult<OrderSummary> {
    get(&format!("/api/orders/{id}")).await
}

/// An order's invoices and credit notes, oldest first (none until it is
/// paid); each names the link to its PDF.
pub async fn order_documents(id: &OrderId) -> CallResult<Vec<IssuedDocument>> {
    get(&format!("/api/orders/{id}/documents")).await
}

/// Cancels an order whose payment the shopper walked away from; its stock
/// is released at once.
pub async fn abandon(id: &OrderId) -> CallResult<()> {
    status_only(
        Request::post(&format!("/api/orders/{id}/abandon"))
            .send()
            .await,
    )
    .await
}

/// The account behind the session cookie.
pub async fn me() -> CallResult<Account> {
    get("/api/accounts/me").await
}

/// Opens a session (the cookie is set by the answer).
pub async fn sign_in(body: &SignIn) -> CallResult<Account> {
    send(Request::post("/api/accounts/signin"), body).await
}

/// Creates a customer account and signs it in.
pub async fn sign_up(body: &SignUp) -> CallResult<Account> {
    send(Request::post("/api/accounts/signup"), body).await
}

/// Verifies the e-mail named by a verification link's token.
pub async fn verify_email(body: &VerifyEmail) -> CallResult<EmailVerified> {
    send(Request::post("/api/accounts/verify"), body).await
}

/// Asks for a new verification link for the signed-in customer's e-mail.
pub async fn request_verification() -> CallResult<VerificationSent> {
    send(Request::post("/api/accounts/verification"), &()).await
}

/// Ends the session.
pub async fn sign_out() -> CallResult<()> {
    status_only(Request::post("/api/accounts/signout").send().await).await
}

/// Changes the password (every other session is closed).
pub async fn change_password(body: &ChangePassword) -> CallResult<()> {
    match Request::post("/api/accounts/password").json(body) {
        Ok(request) => status_only(request.send().await).await,
        Err(e) => Err(CallError::Network(e.to_string())),
    }
}

/// The orders placed while signed in, newest first.
pub async fn my_orders() -> CallResult<Vec<OrderSummary>> {
    get("/api/accounts/me/orders").await
}

/// The refunds asked for on one of my orders, newest first.
pub async fn my_refunds(order: &OrderId) -> CallResult<Vec<Refund>> {
    get(&format!("/api/refunds/mine?order={order}")).await
}

/// Asks for lines of an order to be refunded.
pub async fn request_refund(body: &RefundRequest) -> CallResult<Refund> {
    send(Request::post("/api/refunds"), body).await
}

/// My support threads about one order.
pub async fn threads_about(order: &OrderId) -> CallResult<Vec<ThreadSummary>> {
    get(&format!("/api/support/threads?order={order}")).await
}

/// A support thread with its messages.
pub async fn thread(id: &OpaqueId) -> CallResult<SupportThread> {
    get(&format!("/api/support/threads/{id}")).await
}

/// Starts a support thread.
pub async fn open_thread(body: &NewThread) -> CallResult<SupportThread> {
    send(Request::post("/api/support/threads"), body).await
}

/// Writes in a support thread.
pub async fn reply(id: &OpaqueId, body: &NewMessage) -> CallResult<SupportThread> {
    send(
        Request::post(&format!("/api/support/threads/{id}/messages")),
        body,
    )
    .await
}

/// The survey answered for an order (404 when not yet).
pub async fn survey(order: &OrderId) -> CallResult<Survey> {
    get(&format!("/api/support/surveys/{order}")).await
}

/// Answers the post-delivery survey.
pub async fn answer_survey(body: &SurveyAnswer) -> CallResult<Survey> {
    send(Request::post("/api/support/surveys"), body).await
}
