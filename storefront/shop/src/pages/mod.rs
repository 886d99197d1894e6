//! The shop's pages, rendered on the server: catalog → product; the cart
//! page is one island ([`crate::islands::CartView`]); the privacy page.

pub mod catalog;
pub mod privacy;
pub mod product;

use comptoir_ui::i18n::lang;
use comptoir_ui::paths;
use leptos::prelude::*;

/// An unknown product or page (answered with status 404): where to go instead.
#[component]
pub fn NotFound() -> impl IntoView {
    let l = lang();
    view! {
        <h1>{l.pick("Page introuvable", "Page not found")}</h1>
        <p>{l.pick(
            "Cette page n'existe pas ou plus : le produit a peut-être été retiré de la vente.",
            "This page does not exist, or no longer does: the product may have been withdrawn from sale.",
        )}</p>
        <form class="search-inline" role="search" method="get" action=l.path(paths::CATALOG)>
            <label for="search-404">{l.pick("Rechercher dans le catalogue", "Search the catalogue")}</label>
            <input id="search-404" type="search" name="q" maxlength="100"/>
            <button type="submit" class="button">{l.pick("Rechercher", "Search")}</button>
        </form>
        <p><a href=l.path(paths::CATALOG)>{l.pick("Retour au catalogue", "Back to the catalogue")}</a></p>
    }
}
