//! The page shell and widgets shared by several pages.

pub mod documents;
pub mod header;
pub mod sign_in;

pub use documents::Documents;
pub use sign_in::{SignInForm, credentials};

use comptoir_shared::pricing::Totals;
use leptos::prelude::*;

use crate::Bundle;
use crate::api::CallError;
use crate::i18n::t;
use crate::state::{CartState, Session};
use crate::text;

/// Header, main landmark, footer; provides the cart to every page. (The
/// account bundle also provides a [`crate::state::Session`]; the shop bundle
/// does not need to know who is signed in.)
#[component]
pub fn Shell(here: Bundle, children: Children) -> impl IntoView {
    provide_context(here);
    provide_context(CartState::load());
    // After a client-side page change, focus goes to the new page's content
    // (as a full page load would), so keyboard and screen-reader users start
    // from the top of it.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path)
            && let Some(main) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("contenu"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = main.focus();
        }
        path
    });
    view! {
        <header::Header/>
        <main id="contenu" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            {t(
                "Comptoir — boutique de démonstration. Prix TTC, livraison en France et dans sept pays de l'UE.",
                "Comptoir — demo shop. Prices include VAT; delivery in France and seven EU countries.",
            )}
        </footer>
    }
}

/// `rel="external"` when `to` is served by another bundle, so the router
/// lets the browser load it instead of showing "not found".
pub fn rel(to: &str) -> Option<&'static str> {
    let here = use_context::<Bundle>()?;
    (Bundle::of(to.split('?').next().unwrap_or(to)) != here).then_some("external")
}

/// Shown while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted" aria-live="polite">{t("Chargement…", "Loading…")}</p> }
}

/// An unknown path.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <p class="notice">{t("Cette page n'existe pas.", "This page does not exist.")}</p> }
}

/// A failed call, said in words.
#[component]
pub fn ErrorNotice(error: CallError) -> impl IntoView {
    view! { <p class="notice notice-error" role="alert">{move || text::error(&error)}</p> }
}

/// The totals block used by cart, checkout and order pages; `id` names the
/// total's element (`cart-total`, `review-total`, `order-total`).
#[component]
pub fn TotalsList(totals: Totals, id: &'static str) -> impl IntoView {
    view! {
        <dl class="totals">
            <dt>{t("Sous-total", "Subtotal")}</dt><dd>{move || text::money(totals.subtotal)}</dd>
            {(totals.discount.amount > 0).then(|| view! {
                <dt>{t("Remise", "Discount")}</dt>
                <dd id="discount">{move || format!("−{}", text::money(totals.discount))}</dd>
            })}
            <dt>{t("Livraison", "Delivery")}</dt><dd>{move || text::money(totals.shipping)}</dd>
            {(totals.reverse_charged.amount > 0).then(|| view! {
                <dt>{t("TVA non facturée (livraison intracommunautaire)", "VAT not charged (intra-EU supply)")}</dt>
                <dd id="reverse-charged">{move || format!("−{}", text::money(totals.reverse_charged))}</dd>
            })}
            <dt class="grand">{t("Total TTC", "Total incl. VAT")}</dt>
            <dd class="grand" id=id>{move || text::money(totals.total)}</dd>
            <dt class="muted">{t("dont TVA", "of which VAT")}</dt>
            <dd class="muted">{move || text::money(totals.vat)}</dd>
        </dl>
    }
}

/// The sign-in page, coming back to the current page afterwards, its query
/// included (the verification page's `?token=` survives signing in).
pub fn sign_in_here() -> String {
    let here = web_sys::window()
        .map(|w| w.location())
        .and_then(|l| {
            Some(format!(
                "{}{}",
                l.pathname().ok()?,
                l.search().unwrap_or_default()
            ))
        })
        .unwrap_or_default();
    with_return(crate::paths::SIGN_IN, &here)
}

/// `page` (signing in or up) that comes back to `next` afterwards.
pub fn with_return(page: &str, next: &str) -> String {
    format!("{page}?retour={}", js_sys::encode_uri_component(next))
}

/// The signed-in account, or a prompt to sign in that comes back here.
#[component]
pub fn SignedIn<F, V>(children: F) -> impl IntoView
where
    F: Fn(comptoir_shared::account::Account) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = expect_context::<Session>();
    move || match (session.known.get(), session.account.get()) {
        (false, _) => view! { <Loading/> }.into_any(),
        (true, Some(account)) => children(account).into_any(),
        (true, None) => view! {
            <p class="notice">
                {t("Connectez-vous pour voir cette page. ", "Sign in to see this page. ")}
                <a href=sign_in_here()>{t("Se connecter", "Sign in")}</a>
            </p>
        }
        .into_any(),
    }
}
