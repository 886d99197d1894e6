//! The order page: status, lines, totals and timeline. Follows the order
//! until its payment settles, then forgets the cart that became it.

use comptoir_shared::ids::OrderId;
use comptoir_shared::order::{OrderStatus, OrderSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::CallError;
use crate::components::{ErrorNotice, TotalsList};
use crate::state::CartState;
use crate::text;

/// `/commandes/:id`
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let state = expect_context::<CartState>();
    let order = RwSignal::new(None::<Result<OrderSummary, CallError>>);
    Effect::new(move || {
        let raw = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move {
            let Ok(id) = OrderId::parse(&raw) else {
                order.set(Some(Err(CallError::Api(
                    comptoir_shared::ApiError::not_found("order"),
                ))));
                return;
            };
            // Follow a pending order for up to a minute while its payment settles.
            for _ in 0..60 {
                let loaded = crate::api::order(&id).await;
                let pending = matches!(&loaded, Ok(o) if o.status == OrderStatus::PendingPayment);
                if matches!(&loaded, Ok(o) if o.status == OrderStatus::Paid) {
                    state.forget();
                }
                order.set(Some(loaded));
                if !pending {
                    break;
                }
                gloo_timers_sleep(1000).await;
            }
        });
    });
    view! {
        {move || match order.get() {
            None => view! { <p>{text::LOADING}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(o)) => view! { <OrderView order=o/> }.into_any(),
        }}
    }
}

async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[component]
fn OrderView(order: OrderSummary) -> impl IntoView {
    let a = order.shipping_address.fields().clone();
    view! {
        <h1>{if order.status == OrderStatus::Paid { "Merci pour votre commande !" } else { "Votre commande" }}</h1>
        <p class="order-status">"Statut : "<strong id="order-status">{text::status(order.status)}</strong></p>
        <p class="muted">"Commande n° "<code>{order.id.to_string()}</code>" — confirmation envoyée à "{order.email.to_string()}</p>
        <table class="cart-table">
            <thead><tr><th scope="col">"Article"</th><th scope="col">"Quantité"</th><th scope="col">"Total"</th></tr></thead>
            <tbody>
                {order.lines.iter().map(|l| view! {
                    <tr><td>{l.description.clone()}</td><td>{l.quantity.get()}</td><td>{text::money(l.line_total)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <TotalsList totals=order.totals id="order-total"/>
        <h2>"Livraison"</h2>
        <address>{a.name}<br/>{a.line1}<br/>{(!a.line2.is_empty()).then(|| view! { {a.line2.clone()}<br/> })}{a.postal_code}" "{a.city}</address>
        <h2>"Suivi"</h2>
        <ol class="timeline">
            {order.timeline.iter().map(|e| view! {
                <li><strong>{text::status(e.status)}</strong>" — "{e.note.clone()}</li>
            }).collect_view()}
        </ol>
    }
}
