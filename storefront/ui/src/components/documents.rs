//! An order's invoices and credit notes, each with the link to its PDF: on
//! the customer's order page (and so the confirmation a guest sees after
//! paying) and on the staff order page.

use comptoir_shared::ids::OrderId;
use comptoir_shared::invoice::IssuedDocument;
use leptos::prelude::*;

use super::ErrorNotice;
use crate::api::{self, CallResult};
use crate::i18n::t;
use crate::text;

/// The section; asks for the documents only once the order may have some
/// (`unpaid`: still awaiting its payment, so none yet). Shows nothing when
/// a settled order has none (one never paid).
#[component]
pub fn Documents(order: OrderId, #[prop(optional)] unpaid: bool) -> impl IntoView {
    let listed = RwSignal::new(None::<CallResult<Vec<IssuedDocument>>>);
    if !unpaid {
        leptos::task::spawn_local(async move {
            listed.set(Some(api::order_documents(&order).await));
        });
    }
    let section = |body: AnyView| {
        view! {
            <section class="documents" aria-labelledby="documents-title">
                <h2 id="documents-title">{t("Factures et avoirs", "Invoices and credit notes")}</h2>
                {body}
            </section>
        }
        .into_any()
    };
    move || {
        if unpaid {
            return Some(section(
                view! {
                    <p class="muted">{t("La facture sera disponible après le paiement.", "The invoice will be available once paid.")}</p>
                }
                .into_any(),
            ));
        }
        match listed.get()? {
            Err(e) => Some(section(view! { <ErrorNotice error=e/> }.into_any())),
            Ok(list) if list.is_empty() => None,
            Ok(list) => Some(section(
                view! {
                    <table class="cart-table" id="documents">
                        <thead><tr>
                            <th scope="col">"Document"</th><th scope="col">"Date"</th>
                            <th scope="col">"Total"</th><th scope="col">"PDF"</th>
                        </tr></thead>
                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                    </table>
                }
                .into_any(),
            )),
        }
    }
}

fn row(d: IssuedDocument) -> impl IntoView {
    let (kind, at, total) = (d.kind, d.issued_at_ms, d.total);
    let corrects = d.corrects.map(|n| {
        view! { " "<small>{t("(sur la facture ", "(on invoice ")}{n}")"</small> }
    });
    view! {
        <tr class="document">
            <td>{move || text::document_kind(kind)}" "<code>{d.number.clone()}</code>{corrects}</td>
            <td>{move || text::date(at)}</td>
            <td>{move || text::money(total)}</td>
            <td><a href=d.url download=format!("{}.pdf", d.number)>{t("Télécharger (PDF)", "Download (PDF)")}</a></td>
        </tr>
    }
}
