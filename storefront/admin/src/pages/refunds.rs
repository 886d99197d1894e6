//! Finance's queue: each request with what the order captured and what is
//! already refunded; approve in full or in part (optionally restocking), or
//! decline with a reason the customer reads.

use comptoir_shared::Money;
use comptoir_shared::account::Role;
use comptoir_shared::refund::{ApproveRefund, DeclineRefund, RefundQueueItem};
use comptoir_ui::api::CallError;
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{euros, parse_euros, value};
use crate::{api, load, may, shown};

/// `/admin/remboursements`
#[component]
pub fn RefundsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let queue = load(move || {
        version.track();
        api::refunds("requested")
    });
    view! {
        <h1>"Remboursements à décider"</h1>
        {shown(queue, move |items: Vec<RefundQueueItem>| if items.is_empty() {
            view! { <p class="muted" id="refund-queue-empty">"Aucune demande en attente."</p> }.into_any()
        } else {
            view! {
                <ul class="plain" id="refund-queue">
                    {items.into_iter().map(|item| view! { <Request item reload=move || version.update(|v| *v += 1)/> }).collect_view()}
                </ul>
            }.into_any()
        })}
    }
}

#[component]
fn Request(
    item: RefundQueueItem,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let r = item.refund.clone();
    let id = StoredValue::new(r.id.clone());
    let amount = RwSignal::new(euros(r.requested.amount));
    let restock = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let done =
        move |answer: comptoir_ui::api::CallResult<comptoir_shared::refund::Refund>| match answer {
            Ok(_) => reload(),
            Err(e) => error.set(Some(e)),
        };
    let approve = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // An amount that cannot be read is an error, never "the full amount".
        let Some(cents) = parse_euros(&amount.get_untracked()) else {
            return error.set(Some(CallError::Api(comptoir_shared::ApiError::validation(
                "amount",
                "an amount in euros, like 12,50",
            ))));
        };
        let body = ApproveRefund {
            amount: Some(Money::eur(cents)),
            restock: restock.get_untracked(),
        };
        leptos::task::spawn_local(async move { done(api::approve(&id.get_value(), &body).await) });
    };
    let decline = move |_| {
        let body = DeclineRefund {
            note: note.get_untracked(),
        };
        leptos::task::spawn_local(async move { done(api::decline(&id.get_value(), &body).await) });
    };
    view! {
        <li class="panel refund-request">
            <p>
                <a href=format!("/admin/commandes/{}", r.order_id)>"Commande "{r.order_id.short().to_owned()}</a>
                " — demandé le "{text::date_time(r.created_at_ms)}" — motif : "<q>{r.reason.clone()}</q>
            </p>
            <ul class="plain">
                {r.lines.iter().map(|l| view! { <li>{format!("{} × {} = {}", l.quantity.get(), l.sku, text::money(l.amount))}</li> }).collect_view()}
            </ul>
            <dl class="facts">
                <dt>"Demandé"</dt><dd class="requested">{text::money(r.requested)}</dd>
                <dt>"Encaissé sur la commande"</dt><dd class="captured">{text::money(item.captured)}</dd>
                <dt>"Déjà remboursé ou en cours"</dt><dd class="already">{text::money(item.refunded)}</dd>
            </dl>
            // Finance decides; support sees the queue but the functions
            // would refuse its decisions, so the buttons are not offered.
            {may(&[Role::Finance]).then(|| view! {
            <form class="inline-form" on:submit=approve>
                <label for=format!("amount-{}", r.id)>"Montant (€)"</label>
                <input id=format!("amount-{}", r.id) class="refund-amount" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(value(&ev))/>
                <label class="check"><input type="checkbox" prop:checked=move || restock.get() on:change=move |ev| restock.set(event_target_checked(&ev))/>"Remettre en stock"</label>
                <button type="submit" class="button button-primary approve">"Approuver"</button>
            </form>
            <div class="inline-form">
                <label for=format!("decline-{}", r.id)>"Motif du refus"</label>
                <input id=format!("decline-{}", r.id) on:input=move |ev| note.set(value(&ev))/>
                <button type="button" class="button decline" on:click=decline>"Refuser"</button>
            </div>
            })}
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </li>
    }
}
