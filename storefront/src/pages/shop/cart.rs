//! The cart: lines with quantities bounded by availability, server totals.

use comptoir_shared::cart::{Cart, CartLine, SetCartLine};
use comptoir_shared::ids::Quantity;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::CallError;
use crate::components::ErrorNotice;
use crate::state::CartState;
use crate::text;

/// `/panier` (`?paiement=refuse` after a declined payment).
#[component]
pub fn CartPage() -> impl IntoView {
    let state = expect_context::<CartState>();
    let query = use_query_map();
    let declined = move || query.with(|q| q.get("paiement").as_deref() == Some("refuse"));
    let cart = RwSignal::new(None::<Result<Cart, CallError>>);
    let error = RwSignal::new(None::<CallError>);
    Effect::new(move || {
        let id = state.id.get();
        leptos::task::spawn_local(async move {
            let loaded = match id {
                Some(id) => crate::api::cart(&id).await,
                None => crate::api::create_cart().await,
            };
            if let Ok(c) = &loaded {
                state.show(c);
            }
            cart.set(Some(loaded));
        });
    });
    let apply = move |result: crate::api::CallResult<Cart>| match result {
        Ok(c) => {
            state.show(&c);
            error.set(None);
            cart.set(Some(Ok(c)));
        }
        Err(e) => error.set(Some(e)),
    };
    view! {
        <h1>"Votre panier"</h1>
        {move || declined().then(|| view! {
            <p class="notice notice-error" role="alert" id="payment-declined">
                "Le paiement a été refusé. Votre commande est annulée et les articles sont de nouveau disponibles ; vous pouvez réessayer."
            </p>
        })}
        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        {move || match cart.get() {
            None => view! { <p>{text::LOADING}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(c)) if c.lines.is_empty() => view! {
                <p class="notice">"Votre panier est vide. "<A href="/">"Voir le catalogue"</A></p>
            }.into_any(),
            Some(Ok(c)) => view! {
                <table class="cart-table">
                    <thead><tr><th scope="col">"Article"</th><th scope="col">"Prix"</th><th scope="col">"Quantité"</th><th scope="col">"Total"</th><th scope="col"><span class="sr-only">"Retirer"</span></th></tr></thead>
                    <tbody>
                        {c.lines.iter().map(|line| line_row(&c, line, apply)).collect_view()}
                    </tbody>
                </table>
                <dl class="totals">
                    <dt>"Sous-total"</dt><dd>{text::money(c.totals.subtotal)}</dd>
                    <dt>"Livraison"</dt><dd>{text::money(c.totals.shipping)}</dd>
                    <dt class="grand">"Total TTC"</dt><dd class="grand" id="cart-total">{text::money(c.totals.total)}</dd>
                    <dt class="muted">"dont TVA"</dt><dd class="muted">{text::money(c.totals.vat)}</dd>
                </dl>
                <A href="/commande" attr:class="button button-primary" attr:id="go-checkout">"Commander"</A>
            }.into_any(),
        }}
    }
}

fn line_row(
    cart: &Cart,
    line: &CartLine,
    apply: impl Fn(crate::api::CallResult<Cart>) + Copy + 'static,
) -> AnyView {
    let id = cart.id.clone();
    let sku = line.sku.clone();
    let max = match line.availability {
        comptoir_shared::catalog::Availability::InStock => Quantity::MAX,
        comptoir_shared::catalog::Availability::Low { remaining } => {
            remaining.max(line.quantity.get())
        }
        comptoir_shared::catalog::Availability::OutOfStock => line.quantity.get(),
    };
    let set = {
        let (id, sku) = (id.clone(), sku.clone());
        move |ev: leptos::ev::Event| {
            let Ok(Ok(quantity)) = event_target_value(&ev).parse::<i64>().map(Quantity::parse)
            else {
                return;
            };
            let (id, sku) = (id.clone(), sku.clone());
            leptos::task::spawn_local(async move {
                apply(crate::api::set_line(&id, &SetCartLine { sku, quantity }).await);
            });
        }
    };
    let remove = move |_| {
        let (id, sku) = (id.clone(), sku.clone());
        leptos::task::spawn_local(async move { apply(crate::api::remove_line(&id, &sku).await) });
    };
    let label = format!("Quantité de {} {}", line.product_name, line.variant_label);
    let held = line.quantity.get();
    let (href, name) = (
        format!("/produits/{}", line.product_id),
        line.product_name.clone(),
    );
    view! {
        <tr>
            <td>
                <A href=href>{name}</A>
                <br/><small>{line.variant_label.clone()}" — "{text::availability(line.availability)}</small>
            </td>
            <td>{text::money(line.unit_price)}</td>
            <td>
                <select aria-label=label on:change=set>
                    {(1..=max.min(Quantity::MAX)).map(move |n| view! {
                        <option value=n.to_string() selected=n == held>{n}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>{text::money(line.line_total)}</td>
            <td><button class="button button-link" on:click=remove>"Retirer"</button></td>
        </tr>
    }
    .into_any()
}
