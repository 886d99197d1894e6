//! The site header: brand, navigation, account, mini-cart, language switch.

use leptos::prelude::*;

use crate::components::rel;
use crate::i18n::{Lang, lang, set_lang, t};
use crate::paths;
use crate::state::{CartState, Session};

/// Header with a live item count.
#[component]
pub fn Header() -> impl IntoView {
    let cart = expect_context::<CartState>();
    let session = use_context::<Session>();
    let account_label = move || match session.map(|s| (s.known.get(), s.account.get().is_some())) {
        Some((true, false)) => lang().pick("Se connecter", "Sign in"),
        _ => lang().pick("Mon compte", "My account"),
    };
    let switch = move |_| set_lang(lang().pick(Lang::En, Lang::Fr));
    // The shop's pages carry their language in the URL: link to the one
    // this area speaks.
    let shop = move || lang().path(paths::CATALOG);
    let cart_page = move || lang().path(paths::CART);
    view! {
        <a class="skip-link" href="#contenu">{t("Aller au contenu", "Skip to content")}</a>
        <header class="site-header">
            <a href=shop rel=rel(paths::CATALOG) class="brand">"Comptoir"</a>
            <nav aria-label=t("Navigation principale", "Main navigation")>
                <a href=shop rel=rel(paths::CATALOG)>{t("Catalogue", "Catalogue")}</a>
                <a href=paths::ACCOUNT rel=rel(paths::ACCOUNT) id="account-link">{account_label}</a>
                <a href=cart_page rel=rel(paths::CART) class="mini-cart" id="mini-cart">
                    {t("Panier", "Cart")} " "
                    <span class="badge">{move || cart.count.get()}</span>
                    <span class="sr-only">{t(" articles", " items")}</span>
                </a>
                <button type="button" class="lang-switch" id="lang-switch" on:click=switch
                    lang=move || lang().pick("en", "fr")
                    aria-label=t("EN — switch to English", "FR — passer en français")>
                    {t("EN", "FR")}
                </button>
            </nav>
        </header>
    }
}
