//! The cart: lines with quantities bounded by availability, server totals.

use comptoir_shared::cart::{Cart, CartLine, SetCartLine};
use comptoir_shared::ids::{PromoCode, Quantity};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::CallError;
use crate::components::{ErrorNotice, TotalsList};
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
                <PromoCodes cart=c.clone() apply=apply/>
                <TotalsList totals=c.totals id="cart-total"/>
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

/// Applied codes (removable), codes that stopped applying with the reason,
/// and a field to add one.
#[component]
fn PromoCodes(
    cart: Cart,
    apply: impl Fn(crate::api::CallResult<Cart>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<String>);
    let id = StoredValue::new(cart.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = match PromoCode::parse(&typed.get_untracked()) {
            Ok(code) => code,
            Err(e) => {
                refused.set(Some(e.0));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            match crate::api::add_promo(&id.get_value(), code).await {
                Ok(c) => {
                    refused.set(None);
                    typed.set(String::new());
                    apply(Ok(c));
                }
                Err(e) => refused.set(Some(text::error(&e))),
            }
        });
    };
    view! {
        <section class="promo" aria-label="Codes promo">
            <ul class="promo-codes">
                {cart.promo_codes.iter().map(|code| {
                    let code = code.clone();
                    let label = code.to_string();
                    view! {
                        <li class="tag">{label}" "
                            <button class="button-link" aria-label=format!("Retirer le code {code}")
                                on:click=move |_| {
                                    let code = code.clone();
                                    leptos::task::spawn_local(async move { apply(crate::api::remove_promo(&id.get_value(), &code).await) });
                                }>"×"</button>
                        </li>
                    }
                }).collect_view()}
                {cart.refused_codes.iter().map(|r| view! {
                    <li class="notice notice-error">{format!("{} ne s'applique plus : {}", r.code, text::refusal(r.refusal))}</li>
                }).collect_view()}
            </ul>
            <form class="promo-form" on:submit=submit>
                <label for="promo-code">"Code promo"</label>
                <input id="promo-code" name="promo-code" autocomplete="off"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit" class="button" id="apply-promo">"Appliquer"</button>
            </form>
            {move || refused.get().map(|m| view! { <p class="notice notice-error" role="alert" id="promo-refused">{m}</p> })}
        </section>
    }
}
