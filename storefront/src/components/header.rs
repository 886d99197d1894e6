//! The site header: brand, navigation and the mini-cart.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::state::CartState;

/// Header with a live item count.
#[component]
pub fn Header() -> impl IntoView {
    let cart = expect_context::<CartState>();
    view! {
        <a class="skip-link" href="#contenu">"Aller au contenu"</a>
        <header class="site-header">
            <A href="/" attr:class="brand">"Comptoir"</A>
            <nav aria-label="Navigation principale">
                <A href="/">"Catalogue"</A>
                <A href="/panier" attr:class="mini-cart" attr:id="mini-cart">
                    "Panier "
                    <span class="badge" aria-label="articles dans le panier">{move || cart.count.get()}</span>
                </A>
            </nav>
        </header>
    }
}
