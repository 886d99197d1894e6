//! Stock per SKU: on hand, reserved, available, low ones highlighted (and
//! filterable); receive goods, adjust with a reason, read the ledger.

use comptoir_shared::ids::Sku;
use comptoir_shared::stock::{Adjustment, Receipt, StockLevel, StockMovement};
use comptoir_ui::api::CallError;
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;

use super::value;
use crate::{api, load, shown};

/// `/admin/stock`
#[component]
pub fn StockPage() -> impl IntoView {
    let low_only = RwSignal::new(false);
    let version = RwSignal::new(0u32);
    let levels = load(move || {
        version.track();
        api::stock(low_only.get())
    });
    let selected = RwSignal::new(None::<Sku>);
    view! {
        <h1>"Stock"</h1>
        <label class="check">
            <input type="checkbox" id="low-only" on:change=move |ev| low_only.set(event_target_checked(&ev))/>
            "Seulement les stocks bas"
        </label>
        <div class="two-columns">
            {shown(levels, move |list: Vec<StockLevel>| view! {
                <table class="cart-table" id="stock-levels">
                    <thead><tr><th scope="col">"Référence"</th><th scope="col">"Article"</th><th scope="col">"En stock"</th>
                        <th scope="col">"Réservé"</th><th scope="col">"Disponible"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|l| {
                            let sku = l.sku.clone();
                            view! {
                                <tr class:low=l.low>
                                    <td><button type="button" class="button-link" id=format!("sku-{}", l.sku) on:click=move |_| selected.set(Some(sku.clone()))>{l.sku.to_string()}</button></td>
                                    <td>{l.description}</td><td>{l.on_hand}</td><td>{l.reserved}</td>
                                    <td>{l.available}{l.low.then_some(" ⚠")}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {move || selected.get().map(|sku| view! { <SkuPanel sku reload=move || version.update(|v| *v += 1)/> })}
        </div>
    }
}

#[component]
fn SkuPanel(sku: Sku, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let ledger = {
        let sku = sku.clone();
        load(move || {
            version.track();
            let sku = sku.clone();
            async move { api::movements(&sku).await }
        })
    };
    let (quantity, note) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (delta, reason) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<CallError>);
    let sku = StoredValue::new(sku);
    let done = move |r: comptoir_ui::api::CallResult<StockMovement>| match r {
        Ok(_) => {
            error.set(None);
            version.update(|v| *v += 1);
            reload();
        }
        Err(e) => error.set(Some(e)),
    };
    let receive = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Receipt {
            quantity: quantity.get_untracked().trim().parse().unwrap_or(0),
            note: note.get_untracked(),
        };
        leptos::task::spawn_local(async move { done(api::receive(&sku.get_value(), &body).await) });
    };
    let adjust = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Adjustment {
            delta: delta.get_untracked().trim().parse().unwrap_or(0),
            reason: reason.get_untracked(),
        };
        leptos::task::spawn_local(async move { done(api::adjust(&sku.get_value(), &body).await) });
    };
    view! {
        <section class="panel" aria-labelledby="sku-title">
            <h2 id="sku-title">{sku.get_value().to_string()}</h2>
            <form class="inline-form" on:submit=receive>
                <label for="receive-qty">"Réception"</label>
                <input id="receive-qty" type="number" min="1" on:input=move |ev| quantity.set(value(&ev))/>
                <label for="receive-note">"Bon de livraison"</label>
                <input id="receive-note" on:input=move |ev| note.set(value(&ev))/>
                <button type="submit" class="button" id="receive">"Réceptionner"</button>
            </form>
            <form class="inline-form" on:submit=adjust>
                <label for="adjust-delta">"Ajustement (±)"</label>
                <input id="adjust-delta" type="number" on:input=move |ev| delta.set(value(&ev))/>
                <label for="adjust-reason">"Motif"</label>
                <input id="adjust-reason" required on:input=move |ev| reason.set(value(&ev))/>
                <button type="submit" class="button" id="adjust">"Ajuster"</button>
            </form>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <h3>"Mouvements"</h3>
            {shown(ledger, |moves| view! {
                <ol class="plain" id="movements">
                    {moves.into_iter().map(|m| view! {
                        <li>{format!("{} · {} · {:+} · {}", text::date_time(m.at_ms), m.kind, m.quantity, m.note)}</li>
                    }).collect_view()}
                </ol>
            })}
        </section>
    }
}
