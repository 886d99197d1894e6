//! A product page: variant picker with live availability, add to cart.

use comptoir_shared::cart::SetCartLine;
use comptoir_shared::catalog::{Product, Variant};
use comptoir_shared::ids::{ProductId, Quantity, Sku};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use comptoir_ui::api::{self, CallError, CallResult};
use comptoir_ui::components::{ErrorNotice, Loading};
use comptoir_ui::i18n::{lang, t};
use comptoir_ui::state::CartState;
use comptoir_ui::{paths, text};

/// `/produits/:id`
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let product = RwSignal::new(None::<CallResult<Product>>);
    Effect::new(move || {
        let raw = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move {
            let answer = match ProductId::parse(&raw) {
                Ok(id) => api::product(&id).await,
                Err(_) => Err(CallError::Api(comptoir_shared::ApiError::not_found(
                    "product",
                ))),
            };
            // Only if the shopper is still on this product.
            if params.try_with_untracked(|p| p.get("id")).flatten() == Some(raw) {
                product.set(Some(answer));
            }
        });
    });
    move || match product.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
        Some(Ok(p)) => view! { <ProductView product=p/> }.into_any(),
    }
}

#[component]
fn ProductView(product: Product) -> impl IntoView {
    let cart = expect_context::<CartState>();
    let first = product
        .variants
        .iter()
        .find(|v| v.availability.can_buy())
        .or(product.variants.first())
        .map(|v| v.sku.clone());
    let selected = RwSignal::new(first);
    let quantity = RwSignal::new(1u32);
    let message = RwSignal::new(None::<Result<Variant, CallError>>);
    let variants = StoredValue::new(product.variants.clone());
    let current = move || {
        let sku = selected.get();
        variants.with_value(|vs| vs.iter().find(|v| Some(&v.sku) == sku.as_ref()).cloned())
    };
    let add = move |_| {
        let Some(variant) = current() else { return };
        let wanted = quantity.get_untracked();
        leptos::task::spawn_local(async move {
            message.set(Some(
                add_to_cart(cart, &variant.sku, wanted)
                    .await
                    .map(|()| variant),
            ));
        });
    };
    view! {
        <article class="product-page">
            <img class="product-image" src=product.image.clone() alt=product.name.clone() width="400" height="500"/>
            <div class="product-info">
                <p class="category">{product.category.clone()}</p>
                <h1>{product.name.clone()}</h1>
                <p class="price price-large">{move || current().map(|v| text::money(v.price))}" "
                    <small class="muted">{t("TTC", "incl. VAT")}</small></p>
                <p>{product.description.clone()}</p>
                <fieldset class="variant-picker">
                    <legend>{t("Modèle", "Option")}</legend>
                    {product.variants.iter().map(|v| variant_option(v, selected)).collect_view()}
                </fieldset>
                <p class="availability" id="availability" aria-live="polite">
                    {move || current().map(|v| text::availability(v.availability))}
                </p>
                <label class="field field-inline">
                    {t("Quantité", "Quantity")}
                    <input type="number" id="quantity" min="1" max=Quantity::MAX.to_string()
                        prop:value=move || quantity.get().to_string()
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                                quantity.set(n.clamp(1, Quantity::MAX));
                            }
                        }/>
                </label>
                <button class="button button-primary" id="add-to-cart" on:click=add
                    disabled=move || !current().is_some_and(|v| v.availability.can_buy())>
                    {t("Ajouter au panier", "Add to cart")}
                </button>
                {move || message.get().map(|m| match m {
                    Ok(done) => view! {
                        <p class="notice notice-ok" role="status">
                            {move || lang().pick("Ajouté au panier : ", "Added to cart: ")}{done.label()}" — "
                            <a href=paths::CART>{t("Voir le panier", "View cart")}</a>
                        </p>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                })}
            </div>
        </article>
    }
}

fn variant_option(v: &Variant, selected: RwSignal<Option<Sku>>) -> AnyView {
    let sku = v.sku.clone();
    let checked = {
        let sku = sku.clone();
        move || selected.get().as_ref() == Some(&sku)
    };
    let out = !v.availability.can_buy();
    let availability = v.availability;
    view! {
        <label class="variant" class:variant-out=out>
            <input type="radio" name="variant" value=sku.to_string() prop:checked=checked
                on:change=move |_| selected.set(Some(sku.clone()))/>
            <span>{v.label()}</span>
            <small>{move || text::availability(availability)}</small>
        </label>
    }
    .into_any()
}

/// Adds `wanted` units to what the cart already holds for `sku`.
async fn add_to_cart(cart: CartState, sku: &Sku, wanted: u32) -> CallResult<()> {
    let id = cart.ensure().await?;
    let current = api::cart(&id).await?;
    let held = current
        .lines
        .iter()
        .find(|l| &l.sku == sku)
        .map_or(0, |l| l.quantity.get());
    let quantity =
        Quantity::parse(i64::from(held + wanted)).map_err(|e| CallError::Api(e.on("quantity")))?;
    let updated = api::set_line(
        &id,
        &SetCartLine {
            sku: sku.clone(),
            quantity,
        },
    )
    .await?;
    cart.show(&updated);
    Ok(())
}
