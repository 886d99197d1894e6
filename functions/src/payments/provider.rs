//! The payment provider port and its two providers: the offline sandbox and
//! Stripe Checkout (over Stripe's REST API, through the host's outbound HTTP).

use anyhow::Context as _;
use async_trait::async_trait;
use comptoir_shared::ApiError;
use comptoir_shared::order::OrderSummary;
use comptoir_shared::refund::{Refund, RefundStatus};
use serde::Deserialize;

use crate::config::PaymentProvider;
use crate::error::{AppError, AppResult};
use crate::port::{Host, OutboundRequest, OutboundResponse, new_id};

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

    /// Opens a payment page for `order`. `attempt` counts the sessions the
    /// order has had, this one included: the same order and attempt is the
    /// same request (a retry or a race gets the same session), a new attempt
    /// a new session.
    async fn open_session(
        &self,
        host: &Host,
        order: &OrderSummary,
        attempt: usize,
    ) -> AppResult<OpenedSession>;

    /// Expires session `id` at the provider, so nobody can pay through it;
    /// `Ok` too when the provider has nothing left to expire (the session
    /// completed or expired already). Safe to retry.
    async fn expire_session(&self, host: &Host, id: &str) -> AppResult<()>;

    /// Pays back a committed refund; safe to retry for the same refund.
    /// `payment_reference` is the provider's id of the payment it gives back
    /// (the order's kept payment, or the stray capture the refund names).
    async fn refund(
        &self,
        host: &Host,
        refund: &Refund,
        payment_reference: Option<&str>,
    ) -> AppResult<RefundVerdict>;
}

/// The provider's answer to a refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundVerdict {
    /// The provider's refund id.
    pub id: String,
    /// `pending` (an event will follow), `succeeded` or `failed`.
    pub status: RefundStatus,
}

/// Stripe's refund statuses in ours.
pub fn refund_status(stripe: &str) -> RefundStatus {
    match stripe {
        "succeeded" => RefundStatus::Succeeded,
        "failed" | "canceled" => RefundStatus::Failed,
        _ => RefundStatus::Pending,
    }
}

/// The provider the configuration chooses.
pub fn configured(host: &Host) -> Box<dyn Provider> {
    match host.config.payment_provider {
        PaymentProvider::Sandbox => Box::new(Sandbox),
        PaymentProvider::Stripe => Box::new(Stripe),
    }
}

/// The offline provider: its page is the storefront's `/compte/paiement/{id}`.
pub struct Sandbox;

#[async_trait]
impl Provider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn open_session(&self, _: &Host, _: &OrderSummary, _: usize) -> AppResult<OpenedSession> {
        let id = new_id().to_string();
        Ok(OpenedSession {
            redirect_url: format!("/compte/paiement/{id}"),
            id,
        })
    }

    /// The sandbox's only state is the shop's row: closing it is expiring it.
    async fn expire_session(&self, _: &Host, _: &str) -> AppResult<()> {
        Ok(())
    }

    /// The sandbox refunds at once, announcing it with a signed
    /// `refund.updated` event through the webhook path, as Stripe would.
    async fn refund(
        &self,
        host: &Host,
        refund: &Refund,
        _: Option<&str>,
    ) -> AppResult<RefundVerdict> {
        let provider_id = format!("re_sandbox_{}", refund.id);
        let event = serde_json::json!({
            "id": format!("evt_sandbox_{}", new_id()),
            "object": "event",
            "type": "refund.updated",
            "data": { "object": {
                "id": provider_id,
                "object": "refund",
                "amount": refund.amount.amount,
                "currency": refund.amount.currency.code().to_ascii_lowercase(),
                "status": "succeeded",
                "metadata": { "refund_id": refund.id.as_str(), "order_id": refund.order_id.as_str() },
            }},
        });
        super::webhook::deliver_signed(host, &event).await?;
        Ok(RefundVerdict {
            id: provider_id,
            status: RefundStatus::Succeeded,
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

#[derive(Deserialize)]
struct StripeRefund {
    id: String,
    status: String,
}

impl Stripe {
    /// POSTs a form to Stripe with the secret key and an idempotency key and
    /// returns whatever Stripe answered; unreachable is
    /// `payment_provider_unavailable` (logged).
    async fn send(
        &self,
        host: &Host,
        path: &str,
        form: &[(String, String)],
        idempotency_key: String,
    ) -> AppResult<OutboundResponse> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        host.http
            .send(OutboundRequest {
                method: "POST",
                url: format!("{}{path}", host.config.stripe_api_base),
                headers: vec![
                    (
                        "authorization",
                        format!("Bearer {}", host.config.stripe_secret_key),
                    ),
                    ("content-type", "application/x-www-form-urlencoded".into()),
                    ("idempotency-key", idempotency_key),
                ],
                body: body.into_bytes(),
            })
            .await
            .map_err(|e| {
                tracing::error!(error = format!("{e:#}"), path, "Stripe unreachable");
                ApiError::PaymentProviderUnavailable.into()
            })
    }

    /// [`Self::send`], where anything but a 2xx is
    /// `payment_provider_unavailable` (logged).
    async fn post(
        &self,
        host: &Host,
        path: &str,
        form: &[(String, String)],
        idempotency_key: String,
    ) -> AppResult<Vec<u8>> {
        let r = self.send(host, path, form, idempotency_key).await?;
        if (200..300).contains(&r.status) {
            return Ok(r.body);
        }
        tracing::error!(status = r.status, path, body = %String::from_utf8_lossy(&r.body), "Stripe refused");
        Err(ApiError::PaymentProviderUnavailable.into())
    }
}

/// A page of `GET /v1/balance_transactions`.
#[derive(Deserialize)]
struct BalanceTransactions {
    data: Vec<StripeBalanceTransaction>,
    has_more: bool,
}

/// A Stripe balance transaction, its `source` expanded (a charge names its
/// payment intent; a refund is its own id).
#[derive(Deserialize)]
struct StripeBalanceTransaction {
    id: String,
    amount: i64,
    fee: i64,
    net: i64,
    created: i64,
    #[serde(rename = "type")]
    kind: String,
    source: Option<serde_json::Value>,
}

impl StripeBalanceTransaction {
    /// As the shop reconciles it; `None` for the payout's own transaction.
    fn into_provider(self) -> Option<super::payouts::ProviderTransaction> {
        use comptoir_shared::payment::PayoutTransactionKind as Kind;
        let source_id = match &self.source {
            Some(serde_json::Value::String(id)) => id.clone(),
            Some(object) => object["id"].as_str().unwrap_or_default().to_owned(),
            None => String::new(),
        };
        let (kind, reference) = match self.kind.as_str() {
            "payout" => return None,
            "charge" | "payment" => (
                Kind::Payment,
                self.source
                    .as_ref()
                    .and_then(|s| s["payment_intent"].as_str())
                    .map_or(source_id, str::to_owned),
            ),
            "refund" | "payment_refund" => (Kind::Refund, source_id),
            other => (Kind::Other, format!("{other} {source_id}")),
        };
        Some(super::payouts::ProviderTransaction {
            id: self.id,
            kind,
            reference,
            amount: self.amount,
            fee: self.fee,
            net: self.net,
            created_at_ms: self.created.saturating_mul(1000),
        })
    }
}

impl Stripe {
    /// Every balance transaction a payout settles, page by page; `None`
    /// when Stripe refuses to list them (a 4xx: logged, the payout is then
    /// reconciled by hand). Unreachable or a 5xx is
    /// `payment_provider_unavailable`, so the event is retried.
    pub async fn payout_transactions(
        host: &Host,
        payout: &str,
    ) -> AppResult<Option<Vec<super::payouts::ProviderTransaction>>> {
        if !is_stripe_id(payout) {
            return Err(ApiError::validation("data.object.id", "not a Stripe payout id").into());
        }
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut url = format!(
                "{}/v1/balance_transactions?payout={payout}&limit=100&expand[]=data.source",
                host.config.stripe_api_base
            );
            if let Some(last) = &after {
                url.push_str(&format!("&starting_after={last}"));
            }
            let answer = host
                .http
                .send(OutboundRequest {
                    method: "GET",
                    url,
                    headers: vec![(
                        "authorization",
                        format!("Bearer {}", host.config.stripe_secret_key),
                    )],
                    body: Vec::new(),
                })
                .await
                .map_err(|e| {
                    tracing::error!(error = format!("{e:#}"), "Stripe unreachable");
                    AppError::from(ApiError::PaymentProviderUnavailable)
                })?;
            if (400..500).contains(&answer.status) {
                tracing::error!(status = answer.status, body = %String::from_utf8_lossy(&answer.body), payout, "Stripe refused to list the payout");
                return Ok(None);
            }
            if !(200..300).contains(&answer.status) {
                tracing::error!(status = answer.status, body = %String::from_utf8_lossy(&answer.body), "Stripe refused");
                return Err(ApiError::PaymentProviderUnavailable.into());
            }
            let page: BalanceTransactions =
                serde_json::from_slice(&answer.body).context("Stripe's balance transactions")?;
            after = page.data.last().map(|t| t.id.clone());
            out.extend(
                page.data
                    .into_iter()
                    .filter_map(StripeBalanceTransaction::into_provider),
            );
            if !page.has_more || after.is_none() {
                return Ok(Some(out));
            }
        }
    }
}

/// Whether `id` can go into a Stripe URL path as is (Stripe ids are
/// `cs_…` letters, digits and underscores); anything else is not Stripe's.
fn is_stripe_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The idempotency key of the `attempt`-th Checkout Session of `order`.
pub fn checkout_session_key(order: &comptoir_shared::ids::OrderId, attempt: usize) -> String {
    format!("comptoir-checkout-session-{order}-{attempt}")
}

/// The form fields of a Checkout Session for `order` (Stripe's bracket syntax).
pub fn checkout_session_form(order: &OrderSummary, public_base_url: &str) -> Vec<(String, String)> {
    let id = order.id.as_str();
    let mut form: Vec<(String, String)> = vec![
        ("mode".into(), "payment".into()),
        (
            "success_url".into(),
            format!("{public_base_url}/compte/commandes/{id}"),
        ),
        (
            "cancel_url".into(),
            format!("{public_base_url}/panier?paiement=annule&commande={id}"),
        ),
        ("customer_email".into(), order.email.to_string()),
        ("client_reference_id".into(), id.into()),
        ("metadata[order_id]".into(), id.into()),
        ("payment_intent_data[metadata][order_id]".into(), id.into()),
    ];
    let currency = order.totals.total.currency.code().to_ascii_lowercase();
    let mut items: Vec<(String, i64, u32)> = order
        .lines
        .iter()
        .map(|l| (l.description.clone(), l.unit_price.amount, l.quantity.get()))
        .collect();
    if order.totals.shipping.amount > 0 {
        items.push(("Livraison".into(), order.totals.shipping.amount, 1));
    }
    let itemized = items.iter().try_fold(0i64, |sum, (_, unit, quantity)| {
        unit.checked_mul(i64::from(*quantity))
            .and_then(|line| sum.checked_add(line))
    });
    if itemized != Some(order.totals.total.amount) {
        // Line items cannot be negative nor say a price before VAT: an order
        // whose lines do not add up to its total (a discount, a business
        // reverse charged) is charged as one line of its total.
        items = vec![(format!("Commande {id}"), order.totals.total.amount, 1)];
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

    async fn open_session(
        &self,
        host: &Host,
        order: &OrderSummary,
        attempt: usize,
    ) -> AppResult<OpenedSession> {
        let form = checkout_session_form(order, &host.config.public_base_url);
        // Same order and attempt, same key: a retry or a race returns the
        // same session; a session after an expired one is a new one, not the
        // old one replayed.
        let body = self
            .post(
                host,
                "/v1/checkout/sessions",
                &form,
                checkout_session_key(&order.id, attempt),
            )
            .await?;
        let session: StripeSession = serde_json::from_slice(&body)
            .context("reading Stripe's Checkout Session")
            .map_err(AppError::from)?;
        Ok(OpenedSession {
            id: session.id,
            redirect_url: session.url,
        })
    }

    async fn expire_session(&self, host: &Host, id: &str) -> AppResult<()> {
        if !is_stripe_id(id) {
            tracing::warn!(id, "not a Stripe session id: nothing to expire");
            return Ok(());
        }
        let r = self
            .send(
                host,
                &format!("/v1/checkout/sessions/{id}/expire"),
                &[],
                format!("comptoir-expire-{id}"),
            )
            .await?;
        match r.status {
            200..=299 => Ok(()),
            // Stripe refuses to expire a session that is no longer open
            // (completed: the webhook refunds a payment the shop did not
            // keep) or that it does not know: nothing left to do.
            400 | 404 => {
                tracing::info!(id, status = r.status, body = %String::from_utf8_lossy(&r.body), "Stripe session not expirable");
                Ok(())
            }
            status => {
                tracing::error!(id, status, body = %String::from_utf8_lossy(&r.body), "Stripe refused the expiry");
                Err(ApiError::PaymentProviderUnavailable.into())
            }
        }
    }

    async fn refund(
        &self,
        host: &Host,
        refund: &Refund,
        payment_reference: Option<&str>,
    ) -> AppResult<RefundVerdict> {
        let payment_intent = payment_reference.ok_or_else(|| {
            anyhow::anyhow!("order {} has no Stripe payment_intent", refund.order_id)
        })?;
        let form: Vec<(String, String)> = vec![
            ("payment_intent".into(), payment_intent.into()),
            ("amount".into(), refund.amount.amount.to_string()),
            ("metadata[refund_id]".into(), refund.id.to_string()),
            ("metadata[order_id]".into(), refund.order_id.to_string()),
        ];
        let body = self
            .post(
                host,
                "/v1/refunds",
                &form,
                format!("comptoir-refund-{}", refund.id),
            )
            .await?;
        let answer: StripeRefund = serde_json::from_slice(&body)
            .context("reading Stripe's Refund")
            .map_err(AppError::from)?;
        Ok(RefundVerdict {
            status: refund_status(&answer.status),
            id: answer.id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attempt_of_an_order_has_its_own_checkout_session_key() {
        let order =
            comptoir_shared::ids::OrderId::parse("0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(
            checkout_session_key(&order, 1),
            "comptoir-checkout-session-0123456789abcdef0123456789abcdef-1"
        );
        assert_ne!(
            checkout_session_key(&order, 1),
            checkout_session_key(&order, 2)
        );
    }

    #[test]
    fn only_stripe_shaped_ids_go_into_an_expiry_path() {
        assert!(is_stripe_id("cs_test_a1B2"));
        for bad in ["", "cs/../v1/refunds", "cs_1?x=1", "cs 1", "cs_é"] {
            assert!(!is_stripe_id(bad), "{bad:?}");
        }
    }
}
