//! A product page: image, name, description, and the island that picks a
//! variant and adds it to the cart (its price and availability are in the
//! server's HTML too).

use comptoir_shared::catalog::{Product, ProductQuery};
use comptoir_ui::i18n::lang;
use comptoir_ui::paths;
use leptos::prelude::*;

use crate::islands::AddToCart;

/// `/produits/{id}`, `/en/produits/{id}`
#[component]
pub fn ProductPage(product: Product) -> impl IntoView {
    let l = lang();
    let category = format!(
        "{}?{}",
        l.path(paths::CATALOG),
        ProductQuery {
            category: product.category.clone(),
            ..ProductQuery::default()
        }
        .to_query_string()
    );
    view! {
        <nav class="breadcrumb" aria-label=l.pick("Fil d'Ariane", "Breadcrumb")>
            <a href=l.path(paths::CATALOG)>{l.pick("Catalogue", "Catalogue")}</a>" › "
            <a href=category class="category">{product.category_label.clone()}</a>
        </nav>
        <article class="product-page">
            <img class="product-image" src=product.image.clone() alt=product.name.clone()
                width="400" height="500" fetchpriority="high"/>
            <div class="product-info">
                <h1>{product.name.clone()}</h1>
                <p>{product.description.clone()}</p>
                <AddToCart lang=l variants=product.variants/>
            </div>
        </article>
    }
}
