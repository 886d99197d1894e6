//! The order page, for a guest holding its link or the customer in their
//! portal: status, lines, totals, addresses, parcel tracking and the same
//! timeline staff see (without their internal notes), and once paid its
//! invoice and any credit notes as PDFs. Follows a new order until its
//! payment settles, then forgets the cart that became it. Signed
//! in, the owner also finds returns per line, the support thread about the
//! order and, once delivered, the short survey.

use comptoir_shared::ids::{OrderId, Quantity};
use comptoir_shared::order::{OrderStatus, OrderSummary};
use comptoir_shared::refund::{Refund, RefundLineRequest, RefundRequest, RefundStatus};
use comptoir_shared::support::{
    Csat, MessageAuthor, MessageBody, NewMessage, NewThread, Nps, Subject, SupportThread,
    SurveyAnswer, SurveyComment,
};
use comptoir_shared::{ApiError, Money};
use comptoir_ui::api::{self, CallError, CallResult};
use comptoir_ui::components::{Documents, ErrorNotice, Loading, TotalsList};
use comptoir_ui::i18n::{lang, t};
use comptoir_ui::state::{CartState, Session};
use comptoir_ui::text;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/compte/commandes/:id`
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let state = expect_context::<CartState>();
    let order = RwSignal::new(None::<CallResult<OrderSummary>>);
    Effect::new(move || {
        let raw = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move {
            let Ok(id) = OrderId::parse(&raw) else {
                order.set(Some(Err(CallError::Api(ApiError::not_found("order")))));
                return;
            };
            // Follow a pending order while its payment settles (a Stripe
            // webhook can take a while), for as long as this page shows it.
            let here = || {
                params
                    .try_with_untracked(|p| p.get("id"))
                    .flatten()
                    .as_deref()
                    == Some(raw.as_str())
            };
            let mut followed = false;
            for attempt in 0u32..300 {
                let loaded = api::order(&id).await;
                if !here() {
                    return;
                }
                let status = loaded.as_ref().ok().map(|o| o.status);
                if status == Some(OrderStatus::Paid) {
                    state.paid(&id);
                }
                // A payment this page was waiting for failed (the provider
                // declined, or its session expired): back to the cart, which
                // says so; the order's stock is already released.
                if followed && status == Some(OrderStatus::Cancelled) {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(comptoir_ui::paths::CART_DECLINED);
                    }
                    return;
                }
                followed |= status == Some(OrderStatus::PendingPayment);
                order.set(Some(loaded));
                if status != Some(OrderStatus::PendingPayment) {
                    break;
                }
                comptoir_ui::sleep(if attempt < 30 { 1000 } else { 5000 }).await;
            }
        });
    });
    move || match order.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
        Some(Ok(o)) => view! { <OrderView order=o/> }.into_any(),
    }
}

#[component]
fn OrderView(order: OrderSummary) -> impl IntoView {
    let session = expect_context::<Session>();
    let a = order.shipping_address.fields().clone();
    let billing = order.billing_address.as_ref().map(|b| b.fields().clone());
    let status = order.status;
    let after_shipping = matches!(
        status,
        OrderStatus::Shipped
            | OrderStatus::Delivered
            | OrderStatus::PartiallyRefunded
            | OrderStatus::Refunded
    );
    let delivered = order
        .timeline
        .iter()
        .any(|e| e.status == OrderStatus::Delivered);
    // Whether the signed-in customer owns this order is the server's call:
    // their refunds of it answer only to its owner.
    let refunds = RwSignal::new(None::<Vec<Refund>>);
    {
        let id = order.id.clone();
        Effect::new(move || {
            if session.account.get().is_none() {
                refunds.set(None);
                return;
            }
            let id = id.clone();
            leptos::task::spawn_local(async move { refunds.set(api::my_refunds(&id).await.ok()) });
        });
    }
    let owner = move || refunds.with(Option::is_some);
    let stored = StoredValue::new(order.clone());
    view! {
        <h1>{move || if status == OrderStatus::Paid {
            lang().pick("Merci pour votre commande !", "Thank you for your order!")
        } else {
            lang().pick("Votre commande", "Your order")
        }}</h1>
        <p class="order-status">{t("Statut : ", "Status: ")}<strong id="order-status">{move || text::status(status)}</strong></p>
        {(status == OrderStatus::PendingPayment).then(|| view! {
            <p class="muted" aria-live="polite">{t("Nous attendons la confirmation du paiement ; cette page se met à jour seule.", "Waiting for the payment to be confirmed; this page updates itself.")}</p>
        })}
        <p class="muted">
            {t("Commande n° ", "Order no. ")}<code>{order.id.to_string()}</code>
            {move || lang().pick(" du ", " of ")}{move || text::date_time(order.created_at_ms)}
            {t(" — confirmation envoyée à ", " — confirmation sent to ")}{order.email.to_string()}
        </p>
        <table class="cart-table">
            <thead><tr>
                <th scope="col">{t("Article", "Item")}</th><th scope="col">{t("Quantité", "Quantity")}</th><th scope="col">"Total"</th>
            </tr></thead>
            <tbody>
                {order.lines.iter().map(|l| {
                    let total = l.line_total;
                    view! { <tr><td>{l.description.clone()}</td><td>{l.quantity.get()}</td><td>{move || text::money(total)}</td></tr> }
                }).collect_view()}
            </tbody>
        </table>
        <TotalsList totals=order.totals id="order-total"/>
        <Documents order=order.id.clone() unpaid={status == OrderStatus::PendingPayment}/>
        <div class="addresses">
            <section>
                <h2>{t("Livraison", "Delivery")}</h2>
                <AddressBlock a phone=order.phone.as_ref().map(|p| p.display())/>
            </section>
            {billing.map(|b| view! {
                <section>
                    <h2>{t("Facturation", "Billing")}</h2>
                    <AddressBlock a=b phone=None/>
                </section>
            })}
        </div>
        {order.shipment.clone().map(|s| view! {
            <p class="notice" id="tracking">
                {t("Colis confié à ", "Parcel handed to ")}<strong>{s.carrier}</strong>
                {t(", numéro de suivi ", ", tracking number ")}<code>{s.tracking_number}</code>
            </p>
        })}
        <h2>{t("Suivi", "Tracking")}</h2>
        <ol class="timeline" id="timeline">
            {order.timeline.iter().map(|e| {
                let (at, status, note) = (e.at_ms, e.status, e.note.clone());
                view! {
                    <li>
                        <time>{move || text::date_time(at)}</time>" — "
                        <strong>{move || text::status(status)}</strong>
                        {move || text::timeline_note(&note).map(|n| format!(" — {n}"))}
                    </li>
                }
            }).collect_view()}
        </ol>
        {move || (owner() && after_shipping).then(|| view! { <Returns order=stored.get_value() refunds/> })}
        {move || owner().then(|| view! { <Support order=stored.get_value().id/> })}
        {move || (owner() && delivered).then(|| view! { <SurveyForm order=stored.get_value().id/> })}
    }
}

#[component]
fn AddressBlock(a: comptoir_shared::checkout::RawAddress, phone: Option<String>) -> impl IntoView {
    view! {
        <address>
            {a.name}<br/>{a.line1}<br/>
            {(!a.line2.is_empty()).then(|| view! { {a.line2.clone()}<br/> })}
            {a.postal_code}" "{a.city}<br/>
            {move || comptoir_shared::checkout::country_name(&a.country, comptoir_ui::i18n::lang()).to_owned()}
            {phone.map(|p| view! { <br/>{p} })}
        </address>
    }
}

/// What is left to ask back per line, and the form to ask for it.
#[component]
fn Returns(order: OrderSummary, refunds: RwSignal<Option<Vec<Refund>>>) -> impl IntoView {
    let id = order.id.clone();
    let lines = StoredValue::new(order.lines.clone());
    // Units still returnable per line: bought minus what is asked or refunded.
    let left = move |i: usize| {
        lines.with_value(|ls| {
            let Some(line) = ls.get(i) else { return 0 };
            let asked: u32 = refunds.with(|rs| {
                rs.iter()
                    .flatten()
                    .filter(|r| !matches!(r.status, RefundStatus::Declined | RefundStatus::Failed))
                    .flat_map(|r| r.lines.iter())
                    .filter(|l| l.sku == line.sku)
                    .map(|l| l.quantity.get())
                    .sum()
            });
            line.quantity.get().saturating_sub(asked)
        })
    };
    let chosen = RwSignal::new(vec![0u32; order.lines.len()]);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted: Vec<RefundLineRequest> = lines.with_value(|ls| {
            ls.iter()
                .zip(chosen.get_untracked())
                .filter_map(|(l, n)| {
                    Quantity::parse(i64::from(n))
                        .ok()
                        .map(|quantity| RefundLineRequest {
                            sku: l.sku.clone(),
                            quantity,
                        })
                })
                .collect()
        });
        let body = RefundRequest {
            order_id: id.clone(),
            lines: wanted,
            reason: reason.get_untracked(),
        };
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match api::request_refund(&body).await {
                Ok(_) => {
                    error.set(None);
                    done.set(true);
                    reason.set(String::new());
                    chosen.update(|c| c.iter_mut().for_each(|n| *n = 0));
                    if let Ok(list) = api::my_refunds(&id).await {
                        refunds.set(Some(list));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="returns" aria-labelledby="returns-title">
            <h2 id="returns-title">{t("Retours et remboursements", "Returns and refunds")}</h2>
            {move || match refunds.get() {
                Some(list) if !list.is_empty() => view! {
                    <ul class="refund-list" id="refunds">
                        {list.into_iter().map(refund_item).collect_view()}
                    </ul>
                }.into_any(),
                _ => view! { <p class="muted">{t("Aucune demande pour l'instant.", "No request yet.")}</p> }.into_any(),
            }}
            <form class="return-form" on:submit=submit>
                <fieldset>
                    <legend>{t("Articles à retourner", "Items to return")}</legend>
                    {order.lines.iter().enumerate().map(|(i, l)| {
                        let field = format!("return-qty-{i}");
                        view! {
                            <div class="field field-inline">
                                <label for=field.clone()>{l.description.clone()}</label>
                                <select id=field
                                    prop:value=move || chosen.with(|c| c.get(i).copied().unwrap_or(0).to_string())
                                    on:change=move |ev| {
                                        let n = event_target_value(&ev).parse().unwrap_or(0);
                                        chosen.update(|c| if let Some(slot) = c.get_mut(i) { *slot = n; });
                                    }>
                                    {move || (0..=left(i)).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                                </select>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="return-reason">{t("Motif", "Reason")}</label>
                    <textarea id="return-reason" rows="3" maxlength="1000" required
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                {move || done.get().then(|| view! {
                    <p class="notice notice-ok" role="status">{t("Demande envoyée : nous revenons vers vous rapidement.", "Request sent: we will get back to you shortly.")}</p>
                })}
                <button type="submit" class="button" id="request-return">{t("Demander le retour", "Request a return")}</button>
            </form>
        </section>
    }
}

fn refund_item(r: Refund) -> impl IntoView {
    let (status, requested, amount, created) = (r.status, r.requested, r.amount, r.created_at_ms);
    let note = r.decision_note;
    view! {
        <li>
            <strong class="refund-status">{move || text::refund_status(status)}</strong>
            " — "{move || text::date_time(created)}" — "
            {move || money_pair(requested, amount)}
            {(!note.is_empty()).then(|| view! { <br/><small>{note.clone()}</small> })}
        </li>
    }
}

fn money_pair(requested: Money, amount: Money) -> String {
    if amount.amount > 0 && amount != requested {
        lang().pick(
            format!(
                "{} demandés, {} accordés",
                text::money(requested),
                text::money(amount)
            ),
            format!(
                "{} asked, {} granted",
                text::money(requested),
                text::money(amount)
            ),
        )
    } else {
        text::money(requested)
    }
}

/// The conversation with the shop about this order.
#[component]
fn Support(order: OrderId) -> impl IntoView {
    let thread = RwSignal::new(None::<CallResult<Option<SupportThread>>>);
    {
        let order = order.clone();
        leptos::task::spawn_local(async move {
            let found = match api::threads_about(&order).await {
                Ok(list) => match list.first() {
                    Some(summary) => api::thread(&summary.id).await.map(Some),
                    None => Ok(None),
                },
                Err(e) => Err(e),
            };
            thread.set(Some(found));
        });
    }
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let order = StoredValue::new(order);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = match MessageBody::parse(&typed.get_untracked()) {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(CallError::Api(e.on("body"))));
                return;
            }
        };
        let existing = thread.with_untracked(|t| match t {
            Some(Ok(Some(th))) => Some(th.id.clone()),
            _ => None,
        });
        let order = order.get_value();
        leptos::task::spawn_local(async move {
            let answer = match existing {
                Some(id) => api::reply(&id, &NewMessage { body }).await,
                None => match Subject::parse(&format!("Commande {order}")) {
                    Ok(subject) => {
                        api::open_thread(&NewThread {
                            order_id: Some(order),
                            subject,
                            body,
                        })
                        .await
                    }
                    Err(e) => Err(CallError::Api(e.on("subject"))),
                },
            };
            match answer {
                Ok(th) => {
                    typed.set(String::new());
                    error.set(None);
                    thread.set(Some(Ok(Some(th))));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="support" aria-labelledby="support-title">
            <h2 id="support-title">{t("Une question sur cette commande ?", "A question about this order?")}</h2>
            {move || match thread.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(None)) => view! {
                    <p class="muted">{t("Écrivez-nous, le service client vous répond ici.", "Write to us; customer service answers here.")}</p>
                }.into_any(),
                Some(Ok(Some(th))) => view! {
                    <ol class="messages" id="messages">
                        {th.messages.into_iter().map(|m| {
                            let mine = m.author == MessageAuthor::Customer;
                            let at = m.at_ms;
                            view! {
                                <li class:mine=mine class:theirs=!mine>
                                    <p class="muted"><strong>{move || if mine { lang().pick("Vous", "You") } else { "Comptoir" }}</strong>
                                        " — "{move || text::date_time(at)}</p>
                                    <p class="message-body">{m.body}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            <form class="message-form" on:submit=send>
                <label for="message">{t("Votre message", "Your message")}</label>
                <textarea id="message" rows="3" maxlength="4000" required
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="button" id="send-message">{t("Envoyer", "Send")}</button>
            </form>
        </section>
    }
}

/// CSAT 1–5, NPS 0–10 and a comment, once per delivered order.
#[component]
fn SurveyForm(order: OrderId) -> impl IntoView {
    let answered = RwSignal::new(None::<bool>);
    {
        let order = order.clone();
        leptos::task::spawn_local(async move {
            answered.set(Some(api::survey(&order).await.is_ok()));
        });
    }
    let csat = RwSignal::new(None::<i64>);
    let nps = RwSignal::new(None::<i64>);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let order = StoredValue::new(order);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = (|| {
            let csat = Csat::parse(csat.get_untracked().unwrap_or(0)).map_err(|e| e.on("csat"))?;
            let nps = Nps::parse(nps.get_untracked().unwrap_or(-1)).map_err(|e| e.on("nps"))?;
            let comment =
                SurveyComment::parse(&comment.get_untracked()).map_err(|e| e.on("comment"))?;
            Ok::<_, ApiError>(SurveyAnswer {
                order_id: order.get_value(),
                csat,
                nps,
                comment,
            })
        })();
        let body = match parsed {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(CallError::Api(e)));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            match api::answer_survey(&body).await {
                Ok(_) => answered.set(Some(true)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="survey" aria-labelledby="survey-title">
            <h2 id="survey-title">{t("Votre avis", "Your opinion")}</h2>
            {move || match answered.get() {
                None => view! { <Loading/> }.into_any(),
                Some(true) => view! {
                    <p class="notice notice-ok" id="survey-thanks">{t("Merci pour votre avis !", "Thank you for your feedback!")}</p>
                }.into_any(),
                Some(false) => view! {
                    <form class="survey-form" on:submit=submit>
                        <fieldset class="scale">
                            <legend>{t("Êtes-vous satisfait de cette commande ? (1 à 5)", "How satisfied are you with this order? (1 to 5)")}</legend>
                            {(1..=5).map(|n| view! {
                                <label class="scale-point">
                                    <input type="radio" name="csat" value=n.to_string() id=format!("csat-{n}")
                                        on:change=move |_| csat.set(Some(n))/>{n}
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <fieldset class="scale">
                            <legend>{t("Recommanderiez-vous Comptoir à un proche ? (0 à 10)", "Would you recommend Comptoir to a friend? (0 to 10)")}</legend>
                            {(0..=10).map(|n| view! {
                                <label class="scale-point">
                                    <input type="radio" name="nps" value=n.to_string() id=format!("nps-{n}")
                                        on:change=move |_| nps.set(Some(n))/>{n}
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <div class="field">
                            <label for="survey-comment">{t("Un commentaire ? (facultatif)", "Any comment? (optional)")}</label>
                            <textarea id="survey-comment" rows="2" maxlength="2000"
                                on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                        </div>
                        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                        <button type="submit" class="button" id="send-survey">{t("Envoyer mon avis", "Send my feedback")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
