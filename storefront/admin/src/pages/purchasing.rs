//! Purchasing: per SKU what sells, when it runs out and what to reorder
//! (with its chart), suppliers and who supplies what, and purchase orders
//! drafted from the suggestions, sent, received line by line and closed.

use comptoir_shared::Money;
use comptoir_shared::ids::{Email, IdempotencyKey, OpaqueId, Sku};
use comptoir_shared::purchasing::{
    PoReceipt, PoStatus, PoStatusChange, PurchaseOrder, ReceiptLine, SkuForecast,
    SkuForecastDetail, Supplier, SupplierInput, SupplyInput,
};
use comptoir_ui::api::{CallError, CallResult};
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{parse_euros, value};
use crate::chart::{ForecastChart, SalesBar, StockChart};
use crate::{api, load, shown};

/// `1,5` units a day from thousandths.
fn per_day(milli: Option<u64>) -> String {
    milli.map_or_else(
        || "—".to_owned(),
        |m| format!("{},{}", m / 1000, (m % 1000) / 100),
    )
}

fn status_label(status: PoStatus) -> &'static str {
    match status {
        PoStatus::Draft => "Brouillon",
        PoStatus::Sent => "Envoyé",
        PoStatus::Received => "Reçu",
        PoStatus::Closed => "Clôturé",
        PoStatus::Cancelled => "Annulé",
    }
}

/// Shows `error` for a failed call, or runs `then` (a reload) on success.
fn settle<T>(answer: CallResult<T>, error: RwSignal<Option<CallError>>, then: impl Fn()) {
    match answer {
        Ok(_) => {
            error.set(None);
            then();
        }
        Err(e) => error.set(Some(e)),
    }
}

/// `/admin/achats`
#[component]
pub fn PurchasingPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let reload = move || version.update(|v| *v += 1);
    let forecasts = load(move || {
        version.track();
        api::forecasts()
    });
    let orders = load(move || {
        version.track();
        api::purchase_orders()
    });
    let suppliers = load(move || {
        version.track();
        api::suppliers()
    });
    let selected = RwSignal::new(None::<Sku>);
    let error = RwSignal::new(None::<CallError>);
    let draft = move |_| {
        leptos::task::spawn_local(async move {
            settle(api::draft_purchase_orders().await, error, reload);
        });
    };
    view! {
        <h1>"Achats"</h1>
        {move || selected.get().map(|sku| view! { <SkuPanel sku suppliers reload/> })}
        <section aria-labelledby="forecast-title">
            <h2 id="forecast-title">"Prévisions par référence"</h2>
            <p class="muted">"Ventes des 26 dernières semaines (lissage exponentiel avec saisonnalité par jour de la semaine ; \
                les jours en rupture sont de la demande manquante). Rupture la plus proche d'abord."</p>
            <p><button type="button" class="button" id="draft-orders" on:click=draft>"Préparer les commandes suggérées"</button></p>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            {shown(forecasts, move |list: Vec<SkuForecast>| view! {
                <table class="cart-table" id="forecasts">
                    <thead><tr><th scope="col">"Référence"</th><th scope="col">"Article"</th><th scope="col">"Disponible"</th>
                        <th scope="col">"En commande"</th><th scope="col">"Ventes / jour"</th><th scope="col">"Couverture"</th>
                        <th scope="col">"Rupture prévue"</th><th scope="col">"Point de commande"</th><th scope="col">"À commander"</th>
                        <th scope="col">"Fournisseur"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|f| {
                            let sku = f.sku.clone();
                            let reorder = f.suggested_quantity > 0;
                            view! {
                                <tr class:low=reorder>
                                    <td><button type="button" class="button-link" id=format!("forecast-{}", f.sku) on:click=move |_| selected.set(Some(sku.clone()))>{f.sku.to_string()}</button></td>
                                    <td>{f.description}</td><td>{f.available}</td><td>{f.on_order}</td>
                                    <td>{per_day(f.velocity_per_day_milli)}</td>
                                    <td>{f.days_of_cover.map_or_else(|| "—".to_owned(), |d| format!("{d} j"))}</td>
                                    <td>{f.stockout_date.unwrap_or_else(|| "—".to_owned())}</td>
                                    <td>{f.reorder_point.map_or_else(|| "—".to_owned(), |r| r.to_string())}</td>
                                    <td>{f.suggested_quantity}</td>
                                    <td>{f.supply.map_or_else(|| "—".to_owned(), |s| s.supplier.name)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
        <section aria-labelledby="po-title">
            <h2 id="po-title">"Bons de commande"</h2>
            {shown(orders, move |list: Vec<PurchaseOrder>| if list.is_empty() {
                view! { <p>"Aucun bon de commande."</p> }.into_any()
            } else {
                list.into_iter().map(|po| view! { <OrderCard po reload/> }).collect_view().into_any()
            })}
        </section>
        <Suppliers suppliers reload/>
    }
}

/// One SKU: its charts and who supplies it.
#[component]
fn SkuPanel(
    sku: Sku,
    suppliers: RwSignal<Option<CallResult<Vec<Supplier>>>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let detail = {
        let sku = sku.clone();
        load(move || {
            let sku = sku.clone();
            async move { api::forecast(&sku).await }
        })
    };
    let (supplier, cost) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (safety, review) = (
        RwSignal::new("7".to_owned()),
        RwSignal::new("14".to_owned()),
    );
    let error = RwSignal::new(None::<CallError>);
    let sku = StoredValue::new(sku);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(supplier_id) = OpaqueId::parse(&supplier.get_untracked()) else {
            return;
        };
        let body = SupplyInput {
            supplier_id,
            unit_cost: Money::eur(parse_euros(&cost.get_untracked()).unwrap_or(-1)),
            safety_days: safety.get_untracked().trim().parse().unwrap_or(u32::MAX),
            review_days: review.get_untracked().trim().parse().unwrap_or(0),
        };
        leptos::task::spawn_local(async move {
            settle(
                api::set_supply(&sku.get_value(), &body).await,
                error,
                reload,
            );
        });
    };
    view! {
        <section class="panel" aria-labelledby="sku-forecast-title">
            <h2 id="sku-forecast-title">{sku.get_value().to_string()}</h2>
            {shown(detail, |d: SkuForecastDetail| {
                let history: Vec<SalesBar> = d.history.into_iter()
                    .map(|h| SalesBar { date: h.date, sold: h.sold, in_stock: h.in_stock })
                    .collect();
                view! {
                    <div class="charts">
                        <ForecastChart id="sku-forecast-chart" history forecast_milli=d.forecast_milli.clone()/>
                        <StockChart id="sku-stock-chart" available=d.summary.available
                            forecast_milli=d.forecast_milli reorder_point=d.summary.reorder_point/>
                    </div>
                }
            })}
            <h3>"Approvisionnement"</h3>
            <form class="inline-form" on:submit=save>
                <label for="supply-supplier">"Fournisseur"</label>
                <select id="supply-supplier" prop:value=move || supplier.get() on:change=move |ev| supplier.set(value(&ev))>
                    <option value="">"—"</option>
                    {move || suppliers.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|s| view! {
                        <option value=s.id.to_string()>{s.name}</option>
                    }).collect_view()}
                </select>
                <label for="supply-cost">"Coût unitaire HT (€)"</label>
                <input id="supply-cost" inputmode="decimal" required on:input=move |ev| cost.set(value(&ev))/>
                <label for="supply-safety">"Stock de sécurité (jours)"</label>
                <input id="supply-safety" type="number" min="0" max="90" prop:value=move || safety.get() on:input=move |ev| safety.set(value(&ev))/>
                <label for="supply-review">"Jours couverts par une commande"</label>
                <input id="supply-review" type="number" min="1" max="90" prop:value=move || review.get() on:input=move |ev| review.set(value(&ev))/>
                <button type="submit" class="button" id="save-supply">"Enregistrer"</button>
            </form>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
}

/// A purchase order with what may be done to it now.
#[component]
fn OrderCard(po: PurchaseOrder, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let error = RwSignal::new(None::<CallError>);
    let id = StoredValue::new(po.id.clone());
    let status = po.status;
    let received_any = po.lines.iter().any(|l| l.received > 0);
    // What arrives, per line (typed by the warehouse).
    let arriving = RwSignal::new(vec![String::new(); po.lines.len()]);
    let skus = StoredValue::new(po.lines.iter().map(|l| l.sku.clone()).collect::<Vec<_>>());
    let move_to = move |to: PoStatus| {
        leptos::task::spawn_local(async move {
            let body = PoStatusChange { to };
            settle(
                api::set_purchase_order_status(&id.get_value(), &body).await,
                error,
                reload,
            );
        });
    };
    let receive = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lines: Vec<ReceiptLine> = skus
            .get_value()
            .into_iter()
            .zip(arriving.get_untracked())
            .filter_map(|(sku, q)| {
                q.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|q| *q > 0)
                    .map(|quantity| ReceiptLine { sku, quantity })
            })
            .collect();
        // One key per delivery typed in: a double click receives it once.
        let Ok(key) = IdempotencyKey::parse(&format!(
            "{}-{}",
            id.get_value(),
            js_sys::Math::random().to_bits()
        )) else {
            return;
        };
        let body = PoReceipt {
            key,
            lines,
            note: String::new(),
        };
        leptos::task::spawn_local(async move {
            settle(
                api::receive_purchase_order(&id.get_value(), &body).await,
                error,
                reload,
            );
        });
    };
    let short = po.id.short().to_owned();
    let can = move |to| status.can_become(to, received_any);
    view! {
        <article class="panel purchase-order" id=format!("po-{short}")>
            <h3>{format!("BC {short} · {} · {}", po.supplier.name, status_label(status))}</h3>
            <p class="muted">
                {format!("Préparé le {} par {} · total HT {}", text::date(po.created_at_ms), po.drafted_by, po.total.format_fr())}
                {po.expected_at_ms.map(|at| format!(" · attendu le {}", text::date(at)))}
            </p>
            <form on:submit=receive>
                <table class="cart-table">
                    <thead><tr><th scope="col">"Référence"</th><th scope="col">"Article"</th><th scope="col">"Commandé"</th>
                        <th scope="col">"Reçu"</th><th scope="col">"Coût HT"</th>
                        {(status == PoStatus::Sent).then(|| view! { <th scope="col">"Arrivé"</th> })}</tr></thead>
                    <tbody>
                        {po.lines.into_iter().enumerate().map(|(i, l)| view! {
                            <tr>
                                <td>{l.sku.to_string()}</td><td>{l.description}</td><td>{l.ordered}</td><td>{l.received}</td>
                                <td>{l.unit_cost.format_fr()}</td>
                                {(status == PoStatus::Sent).then(|| view! {
                                    <td><input type="number" min="0" max=l.ordered - l.received aria-label=format!("Arrivé : {}", l.sku)
                                        on:input=move |ev| arriving.update(|a| a[i] = value(&ev))/></td>
                                })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="actions">
                    {(status == PoStatus::Sent).then(|| view! { <button type="submit" class="button">"Réceptionner"</button> })}
                    {can(PoStatus::Sent).then(|| view! { <button type="button" class="button" on:click=move |_| move_to(PoStatus::Sent)>"Marquer envoyé"</button> })}
                    {can(PoStatus::Closed).then(|| view! { <button type="button" class="button" on:click=move |_| move_to(PoStatus::Closed)>"Clôturer"</button> })}
                    {can(PoStatus::Cancelled).then(|| view! { <button type="button" class="button button-link" on:click=move |_| move_to(PoStatus::Cancelled)>"Annuler"</button> })}
                </p>
            </form>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </article>
    }
}

/// The suppliers, and a form for a new one.
#[component]
fn Suppliers(
    suppliers: RwSignal<Option<CallResult<Vec<Supplier>>>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (name, email, lead) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new("10".to_owned()),
    );
    let error = RwSignal::new(None::<CallError>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(email) = Email::parse(&email.get_untracked()) else {
            return;
        };
        let body = SupplierInput {
            name: name.get_untracked(),
            email,
            lead_time_days: lead.get_untracked().trim().parse().unwrap_or(0),
        };
        leptos::task::spawn_local(async move {
            settle(api::create_supplier(&body).await, error, reload);
        });
    };
    view! {
        <section aria-labelledby="suppliers-title">
            <h2 id="suppliers-title">"Fournisseurs"</h2>
            {shown(suppliers, |list: Vec<Supplier>| view! {
                <ul class="plain" id="suppliers">
                    {list.into_iter().map(|s| view! {
                        <li>{format!("{} · {} · {} jours de délai", s.name, s.email, s.lead_time_days)}</li>
                    }).collect_view()}
                </ul>
            })}
            <form class="inline-form" on:submit=create>
                <label for="supplier-name">"Nom"</label>
                <input id="supplier-name" required on:input=move |ev| name.set(value(&ev))/>
                <label for="supplier-email">"E-mail des commandes"</label>
                <input id="supplier-email" type="email" required on:input=move |ev| email.set(value(&ev))/>
                <label for="supplier-lead">"Délai (jours)"</label>
                <input id="supplier-lead" type="number" min="1" max="180" prop:value=move || lead.get() on:input=move |ev| lead.set(value(&ev))/>
                <button type="submit" class="button" id="create-supplier">"Ajouter"</button>
            </form>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
}
