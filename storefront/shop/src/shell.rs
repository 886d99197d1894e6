//! Header (brand, navigation, mini-cart, the other language), main landmark,
//! footer. Rendered on the server; only the mini-cart's count is an island.

use comptoir_ui::i18n::Lang;
use comptoir_ui::paths;
use leptos::prelude::*;

use crate::Page;
use crate::islands::CartBadge;

/// Every shop page's frame around its `children`.
#[component]
pub fn Shell(lang: Lang, page: Page, children: Children) -> impl IntoView {
    let l = lang;
    let other = l.other();
    // The same page in the other language; the other language's home when
    // this page has no address of its own.
    let switch = other.path(&page.path().unwrap_or_else(|| paths::CATALOG.to_owned()));
    view! {
        <a class="skip-link" href="#contenu">{l.pick("Aller au contenu", "Skip to content")}</a>
        <header class="site-header">
            <a href=l.path(paths::CATALOG) class="brand">"Comptoir"</a>
            <nav aria-label=l.pick("Navigation principale", "Main navigation")>
                <a href=paths::ACCOUNT id="account-link">{l.pick("Mon compte", "My account")}</a>
                <CartBadge lang/>
                <a href=switch class="lang-switch" id="lang-switch" hreflang=other.code() lang=other.code()>
                    <span aria-hidden="true">{other.pick("FR", "EN")}</span>
                    <span class="sr-only">{other.pick("Version française", "English version")}</span>
                </a>
            </nav>
        </header>
        <main id="contenu" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            {l.pick(
                "Comptoir — boutique de démonstration. Prix TTC, livraison en France et dans sept pays de l'UE.",
                "Comptoir — demo shop. Prices include VAT; delivery in France and seven EU countries.",
            )}
            " "
            <a href=l.path(paths::PRIVACY) id="privacy-link">{l.pick("Confidentialité", "Privacy")}</a>
        </footer>
    }
}
