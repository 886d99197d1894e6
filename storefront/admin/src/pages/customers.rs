//! Customers: a searchable list and the 360° page — profile, orders,
//! refunds, support threads, survey answers and staff notes.

use comptoir_shared::account::Customer360;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::note::NewNote;
use comptoir_shared::support::MessageBody;
use comptoir_ui::api::CallError;
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::value;
use crate::{api, load, shown};

/// `/admin/clients`
#[component]
pub fn CustomersPage() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let list = load(move || {
        let q = q.get();
        async move { api::customers(&q).await }
    });
    view! {
        <h1>"Clients"</h1>
        <form class="inline-form" role="search" on:submit=move |ev| { ev.prevent_default(); q.set(typed.get_untracked()) }>
            <label for="customer-q">"Rechercher (nom, e-mail)"</label>
            <input id="customer-q" type="search" on:input=move |ev| typed.set(value(&ev))/>
            <button type="submit" class="button">"Chercher"</button>
        </form>
        {shown(list, |rows| view! {
            <table class="cart-table" id="customers">
                <thead><tr><th scope="col">"Client"</th><th scope="col">"Inscrit le"</th><th scope="col">"Commandes"</th><th scope="col">"Payé"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|c| view! {
                        <tr>
                            <td><a href=format!("/admin/clients/{}", c.id)>{c.email.to_string()}</a>" "{c.name}</td>
                            <td>{text::date_time(c.created_at_ms)}</td><td>{c.order_count}</td><td>{text::money(c.total_paid)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

/// `/admin/clients/:id`
#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let version = RwSignal::new(0u32);
    let one = load(move || {
        version.track();
        let raw = params.with(|p| p.get("id").unwrap_or_default());
        async move {
            match OpaqueId::parse(&raw) {
                Ok(id) => api::customer(&id).await,
                Err(_) => Err(CallError::Api(comptoir_shared::ApiError::not_found(
                    "customer",
                ))),
            }
        }
    });
    view! { {shown(one, move |c| view! { <Customer c reload=move || version.update(|v| *v += 1)/> })} }
}

#[component]
fn Customer(c: Customer360, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let id = StoredValue::new(c.customer.id.clone());
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = match MessageBody::parse(&typed.get_untracked()) {
            Ok(b) => NewNote { body: b },
            Err(e) => return error.set(Some(CallError::Api(e.on("body")))),
        };
        leptos::task::spawn_local(async move {
            match api::customer_note(&id.get_value(), &note).await {
                Ok(()) => {
                    typed.set(String::new());
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let p = c.customer;
    view! {
        <h1>{p.email.to_string()}</h1>
        <p>{p.name}" — client depuis le "{text::date_time(p.created_at_ms)}" — "{p.order_count}" commande(s), "{text::money(p.total_paid)}" payés"</p>
        <div class="two-columns">
            <section>
                <h2>"Commandes"</h2>
                <ul class="plain">
                    {c.orders.into_iter().map(|o| view! {
                        <li><a href=format!("/admin/commandes/{}", o.id)>{text::date_time(o.created_at_ms)}</a>{format!(" — {} — {}", text::status(o.status), text::money(o.total))}</li>
                    }).collect_view()}
                </ul>
                <h2>"Remboursements"</h2>
                <ul class="plain">
                    {c.refunds.into_iter().map(|r| view! { <li>{format!("{} — {} — {}", text::refund_status(r.status), text::money(r.requested), r.reason)}</li> }).collect_view()}
                </ul>
                <h2>"Avis"</h2>
                <ul class="plain">
                    {c.surveys.into_iter().map(|s| view! { <li>{format!("CSAT {}/5 · NPS {}/10 — {}", s.csat, s.nps, s.comment)}</li> }).collect_view()}
                </ul>
            </section>
            <section>
                <h2>"Messages"</h2>
                <ul class="plain">
                    {c.threads.into_iter().map(|t| view! { <li><a href=format!("/admin/support/{}", t.id)>{t.subject}</a>{format!(" — {} message(s)", t.message_count)}</li> }).collect_view()}
                </ul>
                <h2>"Notes du personnel"</h2>
                <ul class="plain" id="customer-notes">
                    {c.notes.into_iter().map(|n| view! { <li><small>{format!("{} · {}", text::date_time(n.at_ms), n.author)}</small><br/>{n.body}</li> }).collect_view()}
                </ul>
                <form on:submit=add>
                    <label for="customer-note">"Ajouter une note"</label>
                    <textarea id="customer-note" rows="2" prop:value=move || typed.get() on:input=move |ev| typed.set(value(&ev))></textarea>
                    {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                    <button type="submit" class="button">"Ajouter"</button>
                </form>
            </section>
        </div>
    }
}
