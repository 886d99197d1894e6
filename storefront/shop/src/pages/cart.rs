//! The cart: lines with quantities bounded by availability, server totals.

use comptoir_shared::cart::{Cart, CartLine, SetCartLine};
use comptoir_shared::ids::OrderId;
use comptoir_shared::ids::{PromoCode, Quantity};
use comptoir_ui::api::{self, CallError, CallResult};
use comptoir_ui::components::{ErrorNotice, Loading, TotalsList, rel};
use comptoir_ui::i18n::{lang, t};
use comptoir_ui::state::CartState;
use comptoir_ui::{paths, text};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Why the shopper is back in the cart from the payment page.
#[derive(Clone, Copy, PartialEq)]
enum Unpaid {
    /// The provider declined; the order was cancelled by its event.
    Declined,
    /// The shopper left the provider's page; the order is cancelled here.
    Abandoned,
}

/// `/panier`; `?paiement=refuse` after a declined payment,
/// `?paiement=annule&commande=…` after an abandoned one.
#[component]
pub fn CartPage() -> impl IntoView {
    let state = expect_context::<CartState>();
    let query = use_query_map();
    let unpaid = move || {
        query.with(|q| match q.get("paiement").as_deref() {
            Some("refuse") => Some(Unpaid::Declined),
            Some("annule") => Some(Unpaid::Abandoned),
            _ => None,
        })
    };
    // Walking away from the payment page gives the stock back now rather
    // than when the reservation lapses; the cart is read once that is done,
    // so its availability already counts the released units.
    let abandoning = query.with_untracked(|q| {
        (q.get("paiement").as_deref() == Some("annule"))
            .then(|| q.get("commande").and_then(|raw| OrderId::parse(&raw).ok()))
            .flatten()
    });
    let ready = RwSignal::new(abandoning.is_none());
    if let Some(order) = abandoning {
        leptos::task::spawn_local(async move {
            let _ = api::abandon(&order).await;
            ready.set(true);
        });
    }
    let cart = RwSignal::new(None::<Result<Cart, CallError>>);
    let error = RwSignal::new(None::<CallError>);
    Effect::new(move || {
        if !ready.get() {
            return;
        }
        let id = state.id.get();
        leptos::task::spawn_local(async move {
            let loaded = match id {
                Some(id) => api::cart(&id).await,
                None => api::create_cart().await,
            };
            if let Ok(c) = &loaded {
                state.show(c);
            }
            cart.set(Some(loaded));
        });
    });
    let apply = move |result: CallResult<Cart>| match result {
        Ok(c) => {
            state.show(&c);
            error.set(None);
            cart.set(Some(Ok(c)));
        }
        Err(e) => {
            error.set(Some(e));
            // Redraw from the last cart the server confirmed, so a refused
            // quantity does not stay selected.
            cart.update(|_| {});
        }
    };
    view! {
        <h1>{t("Votre panier", "Your cart")}</h1>
        {move || unpaid().map(|why| view! {
            <p class="notice notice-error" role="alert" id="payment-declined">
                {move || match (why, lang()) {
                    (Unpaid::Declined, l) => l.pick(
                        "Le paiement a été refusé. Votre commande est annulée et les articles sont de nouveau disponibles ; vous pouvez réessayer.",
                        "The payment was declined. Your order is cancelled and the items are available again; you can try again.",
                    ),
                    (Unpaid::Abandoned, l) => l.pick(
                        "Le paiement n'a pas été effectué. Votre commande est annulée et les articles sont de nouveau disponibles ; vous pouvez réessayer.",
                        "The payment was not made. Your order is cancelled and the items are available again; you can try again.",
                    ),
                }}
            </p>
        })}
        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        {move || match cart.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
            Some(Ok(c)) if c.lines.is_empty() => view! {
                <p class="notice">{t("Votre panier est vide. ", "Your cart is empty. ")}<a href=paths::CATALOG>{t("Voir le catalogue", "Browse the catalogue")}</a></p>
            }.into_any(),
            Some(Ok(c)) => view! {
                <table class="cart-table">
                    <thead><tr>
                        <th scope="col">{t("Article", "Item")}</th><th scope="col">{t("Prix", "Price")}</th>
                        <th scope="col">{t("Quantité", "Quantity")}</th><th scope="col">"Total"</th>
                        <th scope="col"><span class="sr-only">{t("Retirer", "Remove")}</span></th>
                    </tr></thead>
                    <tbody>
                        {c.lines.iter().map(|line| line_row(&c, line, apply)).collect_view()}
                    </tbody>
                </table>
                <PromoCodes cart=c.clone() apply=apply/>
                <TotalsList totals=c.totals id="cart-total"/>
                <a href=paths::CHECKOUT rel=rel(paths::CHECKOUT) class="button button-primary" id="go-checkout">{t("Commander", "Check out")}</a>
            }.into_any(),
        }}
    }
}

fn line_row(
    cart: &Cart,
    line: &CartLine,
    apply: impl Fn(CallResult<Cart>) + Copy + 'static,
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
                apply(api::set_line(&id, &SetCartLine { sku, quantity }).await);
            });
        }
    };
    let remove = move |_| {
        let (id, sku) = (id.clone(), sku.clone());
        leptos::task::spawn_local(async move { apply(api::remove_line(&id, &sku).await) });
    };
    let label = format!(
        "{} {} {}",
        lang().pick("Quantité de", "Quantity of"),
        line.product_name,
        line.variant_label
    );
    let held = line.quantity.get();
    let (availability, unit_price, line_total) =
        (line.availability, line.unit_price, line.line_total);
    let (href, name) = (paths::product(&line.product_id), line.product_name.clone());
    let remove_name = format!("{} {}", line.product_name, line.variant_label);
    view! {
        <tr>
            <td>
                <a href=href>{name}</a>
                <br/><small>{line.variant_label.clone()}" — "{move || text::availability(availability)}</small>
            </td>
            <td data-label=t("Prix", "Price")>{move || text::money(unit_price)}</td>
            <td data-label=t("Quantité", "Quantity")>
                <select aria-label=label on:change=set>
                    {(1..=max.min(Quantity::MAX)).map(move |n| view! {
                        <option value=n.to_string() selected=n == held>{n}</option>
                    }).collect_view()}
                </select>
            </td>
            <td data-label="Total">{move || text::money(line_total)}</td>
            <td><button class="button button-link" on:click=remove
                aria-label=move || format!("{} {remove_name}", lang().pick("Retirer", "Remove"))>{t("Retirer", "Remove")}</button></td>
        </tr>
    }
    .into_any()
}

/// Applied codes (removable), codes that stopped applying with the reason,
/// and a field to add one.
#[component]
fn PromoCodes(
    cart: Cart,
    apply: impl Fn(CallResult<Cart>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<CallError>);
    let id = StoredValue::new(cart.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = match PromoCode::parse(&typed.get_untracked()) {
            Ok(code) => code,
            Err(e) => {
                refused.set(Some(CallError::Api(e.on("code"))));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            match api::add_promo(&id.get_value(), code).await {
                Ok(c) => {
                    refused.set(None);
                    typed.set(String::new());
                    apply(Ok(c));
                }
                Err(e) => refused.set(Some(e)),
            }
        });
    };
    view! {
        <section class="promo" aria-label=t("Codes promo", "Promo codes")>
            <ul class="promo-codes">
                {cart.promo_codes.iter().map(|code| {
                    let code = code.clone();
                    let label = code.to_string();
                    view! {
                        <li class="tag">{label}" "
                            <button class="button-link" aria-label=format!("{} {code}", lang().pick("Retirer le code", "Remove code"))
                                on:click=move |_| {
                                    let code = code.clone();
                                    leptos::task::spawn_local(async move { apply(api::remove_promo(&id.get_value(), &code).await) });
                                }>"×"</button>
                        </li>
                    }
                }).collect_view()}
                {cart.refused_codes.iter().map(|r| view! {
                    <li class="notice notice-error">{
                        let (code, refusal) = (r.code.clone(), r.refusal);
                        move || lang().pick(
                            format!("{code} ne s'applique plus : {}", text::refusal(refusal)),
                            format!("{code} no longer applies: {}", text::refusal(refusal)),
                        )
                    }</li>
                }).collect_view()}
            </ul>
            <form class="promo-form" on:submit=submit>
                <label for="promo-code">{t("Code promo", "Promo code")}</label>
                <input id="promo-code" name="promo-code" autocomplete="off"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit" class="button" id="apply-promo">{t("Appliquer", "Apply")}</button>
            </form>
            {move || refused.get().map(|e| view! { <p class="notice notice-error" role="alert" id="promo-refused">{move || text::error(&e)}</p> })}
        </section>
    }
}
