//! The only parts of a shop page that ship to the browser. Each island gets
//! its language (and any data) as props, renders on the server exactly what
//! the browser's first render will show, and does everything personal
//! (reading the cart, adding to it) once awake: effects and events never run
//! on the server.

use comptoir_shared::cart::{Cart, CartLine, SetCartLine};
use comptoir_shared::catalog::{Availability, Variant};
use comptoir_shared::ids::{OrderId, PromoCode, Quantity, Sku};
use comptoir_ui::api::{self, CallError, CallResult};
use comptoir_ui::components::{ErrorNotice, Loading, TotalsList};
use comptoir_ui::i18n::Lang;
use comptoir_ui::state::CartState;
use comptoir_ui::{paths, text};
use leptos::prelude::*;

/// The header's cart link with the number of units in the cart. (On every
/// shop page: it also remembers the page's language for the account area.)
#[island]
pub fn CartBadge(lang: Lang) -> impl IntoView {
    provide_context(lang);
    let cart = CartState::shared();
    Effect::new(move || comptoir_ui::i18n::remember(lang));
    view! {
        <a href=lang.path(paths::CART) class="mini-cart" id="mini-cart">
            {lang.pick("Panier", "Cart")} " "
            <span class="badge">{move || cart.count.get()}</span>
            <span class="sr-only">{lang.pick(" articles", " items")}</span>
        </a>
    }
}

/// A product page's price, variant picker, availability, quantity and
/// "add to cart" button. The server's HTML already shows the first
/// buyable variant's price and every variant's availability.
#[island]
pub fn AddToCart(lang: Lang, variants: Vec<Variant>) -> impl IntoView {
    provide_context(lang);
    let cart = CartState::shared();
    let first = variants
        .iter()
        .find(|v| v.availability.can_buy())
        .or(variants.first())
        .map(|v| v.sku.clone());
    let selected = RwSignal::new(first.clone());
    let quantity = RwSignal::new(1u32);
    let message = RwSignal::new(None::<Result<Variant, CallError>>);
    let options = variants
        .iter()
        .map(|v| variant_option(v, selected, first.as_ref()))
        .collect_view();
    let variants = StoredValue::new(variants);
    let current = move || {
        let sku = selected.get();
        variants.with_value(|vs| vs.iter().find(|v| Some(&v.sku) == sku.as_ref()).cloned())
    };
    let add = move |_| {
        let Some(variant) = current() else { return };
        let wanted = quantity.get_untracked();
        leptos::task::spawn_local(async move {
            message.set(Some(
                add_to_cart(cart, &variant.sku, wanted, lang)
                    .await
                    .map(|()| variant),
            ));
        });
    };
    view! {
        <p class="price price-large">{move || current().map(|v| text::money(v.price))}" "
            <small class="muted">{lang.pick("TTC", "incl. VAT")}</small></p>
        <fieldset class="variant-picker">
            <legend>{lang.pick("Modèle", "Option")}</legend>
            {options}
        </fieldset>
        <p class="availability" id="availability" aria-live="polite">
            {move || current().map(|v| text::availability(v.availability))}
        </p>
        <label class="field field-inline">
            {lang.pick("Quantité", "Quantity")}
            <input type="number" id="quantity" min="1" max=Quantity::MAX.to_string() value="1"
                prop:value=move || quantity.get().to_string()
                on:input=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                        quantity.set(n.clamp(1, Quantity::MAX));
                    }
                }/>
        </label>
        <button class="button button-primary" id="add-to-cart" on:click=add
            disabled=move || !current().is_some_and(|v| v.availability.can_buy())>
            {lang.pick("Ajouter au panier", "Add to cart")}
        </button>
        {move || message.get().map(|m| match m {
            Ok(done) => view! {
                <p class="notice notice-ok" role="status">
                    {lang.pick("Ajouté au panier : ", "Added to cart: ")}{done.label()}" — "
                    <a href=lang.path(paths::CART)>{lang.pick("Voir le panier", "View cart")}</a>
                </p>
            }.into_any(),
            Err(e) => view! {
                <p class="notice notice-error" role="alert">{text::shelf_refusal(&e).unwrap_or_else(|| lang.pick(
                    "L'article n'a pas pu être ajouté au panier. Réessayez.",
                    "The item could not be added to the cart. Try again.",
                ).to_owned())}</p>
            }.into_any(),
        })}
    }
}

/// One variant's radio button; `initial` is checked in the server's HTML
/// too (a property alone would show only once the island is awake).
fn variant_option(v: &Variant, selected: RwSignal<Option<Sku>>, initial: Option<&Sku>) -> AnyView {
    let sku = v.sku.clone();
    let checked = {
        let sku = sku.clone();
        move || selected.get().as_ref() == Some(&sku)
    };
    let out = !v.availability.can_buy();
    let initially = initial == Some(&v.sku);
    view! {
        <label class="variant" class:variant-out=out>
            <input type="radio" name="variant" value=sku.to_string() checked=initially prop:checked=checked
                on:change=move |_| selected.set(Some(sku.clone()))/>
            <span>{v.label()}</span>
            <small>{text::availability(v.availability)}</small>
        </label>
    }
    .into_any()
}

/// Adds `wanted` units to what the cart already holds for `sku`.
async fn add_to_cart(cart: CartState, sku: &Sku, wanted: u32, lang: Lang) -> CallResult<()> {
    let id = cart.ensure().await?;
    let current: api::HeldCart = api::cart(&id, lang).await?;
    let held = current
        .lines
        .iter()
        .find(|l| &l.sku == sku)
        .map_or(0, |l| l.quantity.get());
    let quantity =
        Quantity::parse(i64::from(held + wanted)).map_err(|e| CallError::Api(e.on("quantity")))?;
    let updated: api::HeldCart = api::set_line(
        &id,
        &SetCartLine {
            sku: sku.clone(),
            quantity,
        },
        lang,
    )
    .await?;
    // Reported before the cart shows it, so a shopper who leaves at once
    // (gloo's requests have no `keepalive`) does not cancel the report.
    api::beacon("add_to_cart").await;
    cart.show(&updated.id, updated.item_count);
    Ok(())
}

/// Why the shopper is back in the cart from the payment page.
#[derive(Clone, Copy, PartialEq)]
enum Unpaid {
    /// The provider declined; the order was cancelled by its event.
    Declined,
    /// The shopper left the provider's page; the order is cancelled here.
    Abandoned,
}

/// The browser's query string parameter `key`.
fn query_param(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(key)
}

/// `/panier`: lines with quantities bounded by availability, promo codes,
/// server totals. `?paiement=refuse` after a declined payment,
/// `?paiement=annule&commande=…` after an abandoned one.
///
/// The biggest island, so it ships only to the cart page: the catalog's and
/// product pages' bundle is built without the `cart-island` feature (this
/// is then a server-only component nothing calls), the cart page's with it.
#[cfg_attr(feature = "cart-island", island)]
#[cfg_attr(not(feature = "cart-island"), component)]
pub fn CartView(lang: Lang) -> impl IntoView {
    provide_context(lang);
    let state = CartState::shared();
    let unpaid = RwSignal::new(None::<Unpaid>);
    let cart = RwSignal::new(None::<Result<Cart, CallError>>);
    let error = RwSignal::new(None::<CallError>);
    // Read once awake. Walking away from the payment page gives the stock
    // back now rather than when the reservation lapses; the cart is read
    // once that is done, so its availability already counts the released
    // units.
    Effect::new(move || {
        let why = match query_param("paiement").as_deref() {
            Some("refuse") => Some(Unpaid::Declined),
            Some("annule") => Some(Unpaid::Abandoned),
            _ => None,
        };
        unpaid.set(why);
        let abandoning = (why == Some(Unpaid::Abandoned))
            .then(|| query_param("commande").and_then(|raw| OrderId::parse(&raw).ok()))
            .flatten();
        let id = state.id.get_untracked();
        leptos::task::spawn_local(async move {
            if let Some(order) = abandoning {
                let _ = api::abandon(&order).await;
            }
            let loaded: CallResult<Cart> = match id {
                Some(id) => api::cart(&id, lang).await,
                None => api::create_cart().await,
            };
            if let Ok(c) = &loaded {
                state.show(&c.id, c.item_count);
            }
            cart.set(Some(loaded));
        });
    });
    let apply = move |result: CallResult<Cart>| match result {
        Ok(c) => {
            state.show(&c.id, c.item_count);
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
        <h1>{lang.pick("Votre panier", "Your cart")}</h1>
        {move || unpaid.get().map(|why| view! {
            <p class="notice notice-error" role="alert" id="payment-declined">
                {match why {
                    Unpaid::Declined => lang.pick(
                        "Le paiement a été refusé. Votre commande est annulée et les articles sont de nouveau disponibles ; vous pouvez réessayer.",
                        "The payment was declined. Your order is cancelled and the items are available again; you can try again.",
                    ),
                    Unpaid::Abandoned => lang.pick(
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
                <p class="notice">{lang.pick("Votre panier est vide. ", "Your cart is empty. ")}
                    <a href=lang.path(paths::CATALOG)>{lang.pick("Voir le catalogue", "Browse the catalogue")}</a></p>
            }.into_any(),
            Some(Ok(c)) => view! {
                <table class="cart-table">
                    <thead><tr>
                        <th scope="col">{lang.pick("Article", "Item")}</th><th scope="col">{lang.pick("Prix", "Price")}</th>
                        <th scope="col">{lang.pick("Quantité", "Quantity")}</th><th scope="col">"Total"</th>
                        <th scope="col"><span class="sr-only">{lang.pick("Retirer", "Remove")}</span></th>
                    </tr></thead>
                    <tbody>
                        {c.lines.iter().map(|line| line_row(&c, line, apply, lang)).collect_view()}
                    </tbody>
                </table>
                <PromoCodes cart=c.clone() apply=apply lang/>
                <TotalsList totals=c.totals id="cart-total"/>
                <a href=paths::CHECKOUT class="button button-primary" id="go-checkout">{lang.pick("Commander", "Check out")}</a>
            }.into_any(),
        }}
    }
}

fn line_row(
    cart: &Cart,
    line: &CartLine,
    apply: impl Fn(CallResult<Cart>) + Copy + 'static,
    lang: Lang,
) -> AnyView {
    let id = cart.id.clone();
    let sku = line.sku.clone();
    let max = match line.availability {
        Availability::InStock => Quantity::MAX,
        Availability::Low { remaining } => remaining.max(line.quantity.get()),
        Availability::OutOfStock => line.quantity.get(),
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
                apply(api::set_line(&id, &SetCartLine { sku, quantity }, lang).await);
            });
        }
    };
    let remove = move |_| {
        let (id, sku) = (id.clone(), sku.clone());
        leptos::task::spawn_local(async move { apply(api::remove_line(&id, &sku, lang).await) });
    };
    let label = format!(
        "{} {} {}",
        lang.pick("Quantité de", "Quantity of"),
        line.product_name,
        line.variant_label
    );
    let held = line.quantity.get();
    let href = lang.path(&paths::product(&line.product_id));
    let remove_label = format!(
        "{} {} {}",
        lang.pick("Retirer", "Remove"),
        line.product_name,
        line.variant_label
    );
    view! {
        <tr>
            <td class="cart-item">
                <img src=line.image.clone() alt="" width="64" height="80" loading="lazy"/>
                <span>
                    <a href=href>{line.product_name.clone()}</a>
                    <br/><small>{line.variant_label.clone()}" — "{text::availability(line.availability)}</small>
                </span>
            </td>
            <td data-label=lang.pick("Prix", "Price")>{text::money(line.unit_price)}</td>
            <td data-label=lang.pick("Quantité", "Quantity")>
                <select aria-label=label on:change=set>
                    {(1..=max.min(Quantity::MAX)).map(move |n| view! {
                        <option value=n.to_string() selected=n == held>{n}</option>
                    }).collect_view()}
                </select>
            </td>
            <td data-label="Total">{text::money(line.line_total)}</td>
            <td><button class="button button-link" on:click=remove aria-label=remove_label>
                {lang.pick("Retirer", "Remove")}</button></td>
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
    lang: Lang,
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
            match api::add_promo(&id.get_value(), code, lang).await {
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
        <section class="promo" aria-label=lang.pick("Codes promo", "Promo codes")>
            <ul class="promo-codes">
                {cart.promo_codes.iter().map(|code| {
                    let code = code.clone();
                    let label = code.to_string();
                    view! {
                        <li class="tag">{label}" "
                            <button class="button-link" aria-label=format!("{} {code}", lang.pick("Retirer le code", "Remove code"))
                                on:click=move |_| {
                                    let code = code.clone();
                                    leptos::task::spawn_local(async move { apply(api::remove_promo(&id.get_value(), &code, lang).await) });
                                }>"×"</button>
                        </li>
                    }
                }).collect_view()}
                {cart.refused_codes.iter().map(|r| {
                    let reason = text::refusal(r.refusal);
                    let said = lang.pick(
                        format!("{} ne s'applique plus : {reason}", r.code),
                        format!("{} no longer applies: {reason}", r.code),
                    );
                    view! { <li class="notice notice-error">{said}</li> }
                }).collect_view()}
            </ul>
            <form class="promo-form" on:submit=submit>
                <label for="promo-code">{lang.pick("Code promo", "Promo code")}</label>
                <input id="promo-code" name="promo-code" autocomplete="off"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit" class="button" id="apply-promo">{lang.pick("Appliquer", "Apply")}</button>
            </form>
            {move || refused.get().map(|e| view! { <p class="notice notice-error" role="alert" id="promo-refused">{move || text::error(&e)}</p> })}
        </section>
    }
}
