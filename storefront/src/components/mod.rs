//! Widgets shared by several pages.

pub mod header;

use leptos::prelude::*;

use comptoir_shared::pricing::Totals;

use crate::api::CallError;
use crate::text;

/// A failed call, said in words.
#[component]
pub fn ErrorNotice(error: CallError) -> impl IntoView {
    view! { <p class="notice notice-error" role="alert">{crate::text::error(&error)}</p> }
}

/// The totals block used by cart, checkout and order pages; `id` names the
/// total's element (`cart-total`, `review-total`, `order-total`).
#[component]
pub fn TotalsList(totals: Totals, id: &'static str) -> impl IntoView {
    view! {
        <dl class="totals">
            <dt>"Sous-total"</dt><dd>{text::money(totals.subtotal)}</dd>
            {(totals.discount.amount > 0).then(|| view! {
                <dt>"Remise"</dt><dd id="discount">{format!("−{}", text::money(totals.discount))}</dd>
            })}
            <dt>"Livraison"</dt><dd>{text::money(totals.shipping)}</dd>
            <dt class="grand">"Total TTC"</dt><dd class="grand" id=id>{text::money(totals.total)}</dd>
            <dt class="muted">"dont TVA"</dt><dd class="muted">{text::money(totals.vat)}</dd>
        </dl>
    }
}
