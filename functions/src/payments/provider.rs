//! The payment provider port and its two providers: the offline sandbox and
//! Stripe Checkout (over Stripe's REST API, through the host's outbound HTTP).

use anyhow::Context as _;
use async_trait::async_trait;
use comptoir_shared::ApiError;
use comptoir_shared::order::OrderSummary;
use serde::Deserialize;

use crate::config::PaymentProvider;
use crate::error::{AppError, AppResult};
use crate::port::{Host, OutboundRequest, new_id};

/// A hosted payment page opened for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedSession {
    /// The provider's session id.
    pub id: String,
    /// Where to send the shopper.
    pub redirect_url: String,
}

/// What a payment provider does for the shop.
#[async_trait]
pub trait Provider: Send + Sync {
    /// The name stored with each session (`sandbox`, `stripe`).
    fn name(&self) -> &'static str;

    /// Opens a payment page for `order`; safe to retry for the same order.
    async fn open_session(&self, host: &Host, order: &OrderSummary) -> AppResult<OpenedSession>;
}

/// The provider the configuration chooses.
pub fn configured(host: &Host) -> Box<dyn Provider> {
    match host.config.payment_provider {
        PaymentProvider::Sandbox => Box::new(Sandbox),
        PaymentProvider::Stripe => Box::new(Stripe),
    }
}

/// The offline provider: its page is the storefront's `/pay/{id}`.
pub struct Sandbox;

#[async_trait]
impl Provider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn open_session(&self, _: &Host, _: &OrderSummary) -> AppResult<OpenedSession> {
        let id = new_id().to_string();
        Ok(OpenedSession {
            redirect_url: format!("/pay/{id}"),
            id,
        })
    }
}

/// Stripe Checkout.
pub struct Stripe;

#[derive(Deserialize)]
struct StripeSession {
    id: String,
    url: String,
}

/// The form fields of a Checkout Session for `order` (Stripe's bracket syntax).
pub fn checkout_session_form(order: &OrderSummary, public_base_url: &str) -> Vec<(String, String)> {
    let id = order.id.as_str();
    let mut form: Vec<(String, String)> = vec![
        ("mode".into(), "payment".into()),
        (
            "success_url".into(),
            format!("{public_base_url}/commandes/{id}"),
        ),
        (
            "cancel_url".into(),
            format!("{public_base_url}/panier?paiement=annule"),
        ),
        ("customer_email".into(), order.email.to_string()),
        ("client_reference_id".into(), id.into()),
        ("metadata[order_id]".into(), id.into()),
        ("payment_intent_data[metadata][order_id]".into(), id.into()),
    ];
    let currency = order.totals.total.currency.code().to_ascii_lowercase();
    let mut items: Vec<(String, i64, u32)> = if order.totals.discount.amount > 0 {
        // Stripe line items cannot be negative: charge a discounted order as one line.
        vec![(
            format!("Commande {id}"),
            order.totals.total.amount - order.totals.shipping.amount,
            1,
        )]
    } else {
        order
            .lines
            .iter()
            .map(|l| (l.description.clone(), l.unit_price.amount, l.quantity.get()))
            .collect()
    };
    if order.totals.shipping.amount > 0 {
        items.push(("Livraison".into(), order.totals.shipping.amount, 1));
    }
    for (i, (name, unit_amount, quantity)) in items.into_iter().enumerate() {
        let key = |field: &str| format!("line_items[{i}]{field}");
        form.push((key("[price_data][currency]"), currency.clone()));
        form.push((key("[price_data][product_data][name]"), name));
        form.push((key("[price_data][unit_amount]"), unit_amount.to_string()));
        form.push((key("[quantity]"), quantity.to_string()));
    }
    form
}

#[async_trait]
impl Provider for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    async fn open_session(&self, host: &Host, order: &OrderSummary) -> AppResult<OpenedSession> {
        let form = checkout_session_form(order, &host.config.public_base_url);
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&form)
            .finish();
        let response = host
            .http
            .send(OutboundRequest {
                method: "POST",
                url: format!("{}/v1/checkout/sessions", host.config.stripe_api_base),
                headers: vec![
                    (
                        "authorization",
                        format!("Bearer {}", host.config.stripe_secret_key),
                    ),
                    ("content-type", "application/x-www-form-urlencoded".into()),
                    // Same order, same key: a retry or a race returns the same session.
                    (
                        "idempotency-key",
                        format!("comptoir-checkout-session-{}", order.id),
                    ),
                ],
                body: body.into_bytes(),
            })
            .await;
        let response = match response {
            Ok(r) if (200..300).contains(&r.status) => r,
            Ok(r) => {
                tracing::error!(status = r.status, body = %String::from_utf8_lossy(&r.body), "Stripe refused a Checkout Session");
                return Err(ApiError::PaymentProviderUnavailable.into());
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "Stripe unreachable");
                return Err(ApiError::PaymentProviderUnavailable.into());
            }
        };
        let session: StripeSession = serde_json::from_slice(&response.body)
            .context("reading Stripe's Checkout Session")
            .map_err(AppError::from)?;
        Ok(OpenedSession {
            id: session.id,
            redirect_url: session.url,
        })
    }
}
