//! One order as staff see it: lines, addresses, payment, refunds, billing
//! errors, its invoices and credit notes, the timeline with internal notes,
//! and the actions the viewer's role allows.

use comptoir_shared::Money;
use comptoir_shared::account::Role;
use comptoir_shared::ids::OrderId;
use comptoir_shared::note::NewNote;
use comptoir_shared::order::{OrderStatus, Shipment, StaffOrderView, StatusChange};
use comptoir_shared::refund::{RefundStatus, StaffRefund};
use comptoir_shared::support::MessageBody;
use comptoir_ui::api::CallError;
use comptoir_ui::components::{Documents, ErrorNotice, TotalsList};
use comptoir_ui::text;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{parse_euros, value};
use crate::{api, load, may, shown};

/// `/admin/commandes/:id`
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let version = RwSignal::new(0u32);
    let view_of = load(move || {
        version.track();
        let raw = params.with(|p| p.get("id").unwrap_or_default());
        async move {
            match OrderId::parse(&raw) {
                Ok(id) => api::order(&id).await,
                Err(_) => Err(CallError::Api(comptoir_shared::ApiError::not_found(
                    "order",
                ))),
            }
        }
    });
    let reload = move || version.update(|v| *v += 1);
    view! { {shown(view_of, move |v| view! { <StaffOrder v reload/> })} }
}

#[component]
fn StaffOrder(
    v: StaffOrderView,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let o = v.order.clone();
    let a = o.shipping_address.fields().clone();
    let id = StoredValue::new(o.id.clone());
    let status = o.status;
    view! {
        <h1>"Commande "<code>{o.id.to_string()}</code></h1>
        <p>"Statut : "<strong id="staff-order-status">{text::status(status)}</strong>
            " — passée le "{text::date_time(o.created_at_ms)}" par "
            {match v.customer_id.clone().filter(|_| may(&[Role::Support])) {
                Some(c) => view! { <a href=format!("/admin/clients/{c}")>{o.email.to_string()}</a> }.into_any(),
                None => view! {
                    <span>{o.email.to_string()}{v.customer_id.is_none().then_some(" (invité)")}</span>
                }.into_any(),
            }}
            {o.phone.as_ref().map(|p| format!(" — {}", p.display()))}
        </p>
        <Actions id=id.get_value() status reload/>
        <div class="two-columns">
            <section>
                <h2>"Articles"</h2>
                <table class="cart-table">
                    <tbody>
                        {o.lines.iter().map(|l| view! {
                            <tr><td><code>{l.sku.to_string()}</code></td><td>{l.description.clone()}</td><td>{l.quantity.get()}</td><td>{text::money(l.line_total)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <TotalsList totals=o.totals id="staff-order-total"/>
                <h2>"Livraison"</h2>
                <address id="staff-address">{a.name}<br/>{a.line1}<br/>{a.line2}" "{a.postal_code}" "{a.city}<br/>
                    {comptoir_shared::checkout::country_name(&a.country, comptoir_shared::lang::Lang::Fr).to_owned()}</address>
                {o.shipment.clone().map(|s| view! { <p id="staff-tracking">{s.carrier}" — "<code>{s.tracking_number}</code></p> })}
            </section>
            <section>
                <h2>"Paiement"</h2>
                <dl class="facts">
                    <dt>"Encaissé"</dt><dd id="captured">{text::money(v.payment.captured)}</dd>
                    <dt>"Remboursé"</dt><dd id="refunded">{text::money(v.payment.refunded)}</dd>
                    <dt>"Référence"</dt><dd>{v.payment.reference.clone().unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <ul class="plain">
                    {v.payment.sessions.iter().map(|s| view! {
                        <li>{format!("{} · {} · {} · {}", s.provider, s.state, text::money(s.amount), text::date_time(s.created_at_ms))}</li>
                    }).collect_view()}
                </ul>
                // Every payment taken: the kept one, and any other (given back in full).
                {(v.payment.captures.len() > 1 || v.payment.captures.iter().any(|c| !c.kept)).then(|| view! {
                    <h3>"Paiements reçus"</h3>
                    <ul class="plain" id="staff-captures">
                        {v.payment.captures.iter().map(|c| view! {
                            <li>{format!("{} · {} · {} · {}", c.reference, text::money(c.amount), if c.kept { "retenu" } else { "à rembourser" }, text::date_time(c.at_ms))}</li>
                        }).collect_view()}
                    </ul>
                })}
                {(!v.billing_errors.is_empty()).then(|| view! {
                    <h3>"Erreurs de facturation"</h3>
                    <ul class="plain">
                        {v.billing_errors.iter().map(|b| view! { <li class="notice notice-error">{format!("{} — {} ({})", b.kind, b.detail, text::date_time(b.at_ms))}</li> }).collect_view()}
                    </ul>
                })}
                <h2>"Remboursements"</h2>
                {(may(&[Role::Finance]) && v.payment.captured.amount > v.payment.refunded.amount).then(|| view! {
                    <DirectRefund id=id.get_value() left=v.payment.captured.amount - v.payment.refunded.amount reload/>
                })}
                {if v.refunds.is_empty() {
                    view! { <p class="muted">"Aucun."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain" id="staff-refunds">
                            {v.refunds.iter().map(|r| {
                                // A committed refund the provider never got (an interrupted
                                // send) can be sent again; the idempotency key keeps it single.
                                let resend = (r.status == RefundStatus::Pending && may(&[Role::Finance, Role::Support])).then(|| {
                                    let rid = r.id.clone();
                                    view! {
                                        " "<button type="button" class="button button-link" on:click=move |_| {
                                            let rid = rid.clone();
                                            leptos::task::spawn_local(async move {
                                                let _ = api::execute_refund(&rid).await;
                                                reload();
                                            });
                                        }>"Envoyer au prestataire"</button>
                                    }
                                });
                                // A refund of a payment the order did not keep names it.
                                let of = r.capture_reference.as_ref().map(|c| format!(" — paiement {c}")).unwrap_or_default();
                                view! {
                                    <li>{format!("{} — {} demandés, {} accordés — {}{of}", text::refund_status(r.status), text::money(r.requested), text::money(r.amount), r.reason)}{resend}</li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <Documents order=id.get_value() unpaid={status == OrderStatus::PendingPayment}/>
            </section>
        </div>
        <section>
            <h2>"Historique"</h2>
            <ol class="timeline" id="staff-timeline">
                {o.timeline.iter().map(|e| view! {
                    <li><time>{text::date_time(e.at_ms)}</time>" — "<strong>{text::status(e.status)}</strong>" — "{e.note.clone()}" · "<small>{e.actor.clone()}</small></li>
                }).collect_view()}
            </ol>
            <h3>"Notes internes"</h3>
            <ul class="plain" id="internal-notes">
                {v.notes.iter().map(|n| view! { <li><small>{format!("{} · {}", text::date_time(n.at_ms), n.author)}</small><br/>{n.body.clone()}</li> }).collect_view()}
            </ul>
            <NoteForm id=id.get_value() reload/>
        </section>
    }
}

/// The moves the viewer's role allows from this status.
#[component]
fn Actions(
    id: OrderId,
    status: OrderStatus,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error = RwSignal::new(None::<CallError>);
    let carrier = RwSignal::new("Colissimo".to_owned());
    let tracking = RwSignal::new(String::new());
    let id = StoredValue::new(id);
    let go = move |to: OrderStatus| {
        let shipment = (to == OrderStatus::Shipped).then(|| Shipment {
            carrier: carrier.get_untracked(),
            tracking_number: tracking.get_untracked(),
        });
        let body = StatusChange {
            to,
            shipment,
            note: String::new(),
        };
        // Read before any await: the page may be gone when the answer comes.
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            match api::change_status(&id, &body).await {
                Ok(_) => {
                    // A cancelled paid order's refund is committed with the
                    // cancellation; send it now (Spin has no background loop).
                    if to == OrderStatus::Cancelled
                        && let Ok(view) = api::order(&id).await
                    {
                        for r in view
                            .refunds
                            .iter()
                            .filter(|r| r.status == RefundStatus::Pending)
                        {
                            let _ = api::execute_refund(&r.id).await;
                        }
                    }
                    error.set(None);
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let warehouse = may(&[Role::Warehouse]);
    let support = may(&[Role::Support]);
    view! {
        <div class="actions" id="order-actions">
            {(warehouse && status == OrderStatus::Paid).then(|| view! {
                <button type="button" class="button button-primary" id="start-picking" on:click=move |_| go(OrderStatus::Picking)>"Commencer la préparation"</button>
            })}
            {(warehouse && status == OrderStatus::Picking).then(|| view! {
                <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); go(OrderStatus::Shipped) }>
                    <label for="carrier">"Transporteur"</label>
                    <input id="carrier" prop:value=move || carrier.get() on:input=move |ev| carrier.set(value(&ev))/>
                    <label for="tracking">"N° de suivi"</label>
                    <input id="tracking" required on:input=move |ev| tracking.set(value(&ev))/>
                    <button type="submit" class="button button-primary" id="ship">"Expédier"</button>
                </form>
            })}
            {(warehouse && status == OrderStatus::Shipped).then(|| view! {
                <button type="button" class="button button-primary" id="mark-delivered" on:click=move |_| go(OrderStatus::Delivered)>"Marquer livrée"</button>
            })}
            {(support && matches!(status, OrderStatus::PendingPayment | OrderStatus::Paid | OrderStatus::Picking)).then(|| view! {
                <button type="button" class="button" id="cancel-order" on:click=move |_| go(OrderStatus::Cancelled)>"Annuler la commande"</button>
            })}
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </div>
    }
}

#[component]
fn NoteForm(id: OrderId, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let id = StoredValue::new(id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = match MessageBody::parse(&body.get_untracked()) {
            Ok(b) => NewNote { body: b },
            Err(e) => return error.set(Some(CallError::Api(e.on("body")))),
        };
        leptos::task::spawn_local(async move {
            match api::order_note(&id.get_value(), &note).await {
                Ok(()) => {
                    body.set(String::new());
                    error.set(None);
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form on:submit=submit class="narrow">
            <label for="note">"Ajouter une note interne (jamais montrée au client)"</label>
            <textarea id="note" rows="2" prop:value=move || body.get() on:input=move |ev| body.set(value(&ev))></textarea>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <button type="submit" class="button" id="add-note">"Ajouter"</button>
        </form>
    }
}

/// Finance gives money back without a customer request (a gesture, a
/// shipping fee), never more than what is left of the capture.
#[component]
fn DirectRefund(
    id: OrderId,
    left: i64,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let id = StoredValue::new(id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(cents) = parse_euros(&amount.get_untracked()) else {
            return error.set(Some(CallError::Api(comptoir_shared::ApiError::validation(
                "amount",
                "an amount in euros",
            ))));
        };
        let body = StaffRefund {
            order_id: id.get_value(),
            amount: Money::eur(cents),
            reason: reason.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::direct_refund(&body).await {
                Ok(_) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="inline-form" on:submit=submit>
            <label for="direct-amount">{format!("Rembourser (jusqu'à {})", text::money(Money::eur(left)))}</label>
            <input id="direct-amount" inputmode="decimal" on:input=move |ev| amount.set(value(&ev))/>
            <label for="direct-reason">"Motif"</label>
            <input id="direct-reason" required on:input=move |ev| reason.set(value(&ev))/>
            <button type="submit" class="button" id="direct-refund">"Rembourser"</button>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </form>
    }
}
