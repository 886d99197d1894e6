//! The shared dashboard: front-office figures (conversion, average order,
//! CSAT, NPS, repeat customers) beside back-office ones (processing time,
//! on-time shipping, cost per order, stock rotation, billing errors,
//! refunds), over a chosen period, with the same numbers as JSON.

use comptoir_shared::Money;
use comptoir_shared::account::Role;
use comptoir_shared::calendar::DAY_MS;
use comptoir_shared::kpi::{CostSettings, KpiReport};
use comptoir_ui::api::CallError;
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{day_start_ms, hours, milli, percent, value};
use crate::chart::{Bar, BarChart};
use crate::{api, load, may, shown};

/// `/admin`
#[component]
pub fn DashboardPage() -> impl IntoView {
    let now = js_sys::Date::now() as i64;
    // Whole UTC days, today included.
    let tomorrow = (now / DAY_MS + 1) * DAY_MS;
    let period = RwSignal::new((tomorrow - 30 * DAY_MS, tomorrow));
    let report = load(move || {
        let (from, to) = period.get();
        api::kpis(from, to)
    });
    let funnel = load(move || {
        let (from, to) = period.get();
        api::funnel(from, to)
    });
    let (from_input, to_input) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let custom = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(from), Some(to)) = (
            day_start_ms(&from_input.get_untracked()),
            day_start_ms(&to_input.get_untracked()),
        ) {
            period.set((from, to + DAY_MS));
        }
    };
    let json = move || {
        let (from, to) = period.get();
        format!("/api/kpis?from={from}&to={to}")
    };
    view! {
        <h1>"Tableau de bord"</h1>
        <super::automation::AlertsPanel/>
        <div class="period" role="group" aria-label="Période">
            {[(7, "7 jours"), (30, "30 jours"), (90, "90 jours")].into_iter().map(|(days, label)| view! {
                <button type="button" class="button" id=format!("period-{days}")
                    aria-pressed=move || (period.get().1 - period.get().0 == days * DAY_MS).to_string()
                    on:click=move |_| period.set((tomorrow - days * DAY_MS, tomorrow))>{label}</button>
            }).collect_view()}
            <form class="inline-form" on:submit=custom>
                <label for="from">"Du"</label>
                <input id="from" type="date" on:input=move |ev| from_input.set(value(&ev))/>
                <label for="to">"au"</label>
                <input id="to" type="date" on:input=move |ev| to_input.set(value(&ev))/>
                <button type="submit" class="button">"Afficher"</button>
            </form>
            <a href=json id="kpi-json">"Les mêmes chiffres en JSON"</a>
        </div>
        {shown(report, |r| view! { <Report r/> })}
        {shown(funnel, |f| view! { <super::funnel::FunnelSection f/> })}
        {may(&[Role::Admin]).then(|| view! { <Costs saved=move || period.update(|_| {})/> })}
    }
}

fn card(id: &'static str, label: &'static str, value: String, hint: &'static str) -> impl IntoView {
    view! {
        <div class="kpi">
            <dt>{label}</dt>
            <dd id=id>{value}</dd>
            {(!hint.is_empty()).then(|| view! { <small>{hint}</small> })}
        </div>
    }
}

#[component]
fn Report(r: KpiReport) -> impl IntoView {
    let money_or_dash = |m: Option<Money>| m.map_or_else(|| "—".to_owned(), text::money);
    let day = |d: &str| {
        let parts: Vec<&str> = d.split('-').collect();
        match parts.as_slice() {
            [_, m, d] => format!("{d}/{m}"),
            _ => d.to_owned(),
        }
    };
    let orders: Vec<Bar> = r
        .orders_per_day
        .iter()
        .map(|p| Bar {
            label: day(&p.day),
            value: p.orders,
            title: format!("{} : {} commande(s)", day(&p.day), p.orders),
        })
        .collect();
    let revenue: Vec<Bar> = r
        .orders_per_day
        .iter()
        .map(|p| Bar {
            label: day(&p.day),
            value: p.revenue.amount,
            title: format!("{} : {}", day(&p.day), text::money(p.revenue)),
        })
        .collect();
    let stuck = r.stuck_orders.clone();
    view! {
        <section aria-labelledby="front-title">
            <h2 id="front-title">"Front office"</h2>
            <dl class="kpis">
                {card("kpi-paid-orders", "Commandes payées", r.paid_orders.to_string(), "")}
                {card("kpi-conversion", "Conversion", percent(r.conversion_bps), "commandes créées → payées")}
                {card("kpi-revenue", "Chiffre d'affaires", text::money(r.revenue.gross), "TTC, brut")}
                {card("kpi-net", "Net des remboursements", text::money(r.revenue.net), "")}
                {card("kpi-aov", "Panier moyen", money_or_dash(r.revenue.average_order_value), "")}
                {card("kpi-csat", "CSAT", milli(r.satisfaction.csat_average_milli), "moyenne sur 5")}
                {card("kpi-csat-satisfied", "Clients satisfaits", percent(r.satisfaction.csat_satisfied_bps), "notes 4 et 5")}
                {card("kpi-nps", "NPS", r.satisfaction.nps.map_or_else(|| "—".to_owned(), |n| n.to_string()), "promoteurs − détracteurs")}
                {card("kpi-repeat", "Clients fidèles", percent(r.repeat_customer_bps), "2 commandes ou plus")}
            </dl>
        </section>
        <section aria-labelledby="back-title">
            <h2 id="back-title">"Back office"</h2>
            <dl class="kpis">
                {card("kpi-p50", "Payée → expédiée (médiane)", hours(r.shipping.paid_to_shipped_p50_ms), "")}
                {card("kpi-p90", "Payée → expédiée (p90)", hours(r.shipping.paid_to_shipped_p90_ms), "")}
                {card("kpi-on-time", "Expédiées à temps", percent(r.shipping.on_time_bps), "dans le délai promis")}
                {card("kpi-cost", "Coût par commande", money_or_dash(r.cost_per_order.map(|c| c.total)), "fixe + préparation + frais + transport")}
                {card("kpi-rotation", "Rotation du stock", turns(r.stock.rotation_bps), "unités vendues / stock moyen")}
                {card("kpi-stockouts", "Ruptures", r.stock.stockout_skus_now.to_string(), "références à zéro")}
                {card("kpi-billing", "Erreurs de facturation", (r.billing.payment_errors + r.billing.failed_refunds).to_string(), "paiements non conformes, remboursements échoués")}
                {card("kpi-refund-rate", "Taux de remboursement", percent(r.refunds.refund_rate_bps), "remboursé / CA")}
                {card("kpi-refund-turnaround", "Délai de remboursement", hours(r.refunds.turnaround_p50_ms), "médiane")}
            </dl>
        </section>
        <div class="charts">
            <BarChart id="chart-orders" caption="Commandes payées par jour".to_owned() bars=orders/>
            <BarChart id="chart-revenue" caption="Chiffre d'affaires par jour".to_owned() bars=revenue/>
        </div>
        <section aria-labelledby="stuck-title">
            <h2 id="stuck-title">"Alertes : commandes en souffrance"</h2>
            {if stuck.is_empty() {
                view! { <p class="muted" id="stuck-none">"Aucune commande payée n'attend au-delà du délai."</p> }.into_any()
            } else {
                view! {
                    <ul class="alerts" id="stuck-orders">
                        {stuck.into_iter().map(|s| view! {
                            <li class="notice notice-error">
                                <a href=format!("/admin/commandes/{}", s.id)>{s.id.to_string()}</a>
                                {format!(" — {} — {} — en attente depuis {} h", text::status(s.status), s.email, s.waiting_hours)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The cost inputs behind "cost per order" (admin).
/// `1,50 ×` from basis points (10 000 = one turn of the stock).
fn turns(bps: Option<i64>) -> String {
    bps.map_or_else(
        || "—".to_owned(),
        |b| format!("{},{:02} ×", b / 10_000, (b % 10_000) / 100),
    )
}

#[component]
fn Costs(saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let current = load(|| comptoir_ui::api::get::<CostSettings>("/api/kpis/costs"));
    let error = RwSignal::new(None::<CallError>);
    let done = RwSignal::new(false);
    view! {
        <section aria-labelledby="costs-title">
            <h2 id="costs-title">"Coûts"</h2>
            {shown(current, move |c: CostSettings| {
                let fields = RwSignal::new([
                    c.fixed_monthly.amount.to_string(),
                    c.per_order_handling.amount.to_string(),
                    c.payment_fee_bps.to_string(),
                    c.per_shipment_carrier.amount.to_string(),
                    c.shipping_sla_hours.to_string(),
                ]);
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let f = fields.get_untracked();
                    let int = |i: usize| f[i].trim().parse::<i64>().unwrap_or(-1);
                    let body = CostSettings {
                        fixed_monthly: Money::eur(int(0)),
                        per_order_handling: Money::eur(int(1)),
                        payment_fee_bps: u32::try_from(int(2)).unwrap_or(u32::MAX),
                        per_shipment_carrier: Money::eur(int(3)),
                        shipping_sla_hours: u32::try_from(int(4)).unwrap_or(0),
                    };
                    leptos::task::spawn_local(async move {
                        match api::set_costs(&body).await {
                            Ok(_) => { error.set(None); done.set(true); saved(); }
                            Err(e) => { done.set(false); error.set(Some(e)); }
                        }
                    });
                };
                let labels = [
                    ("cost-fixed", "Frais fixes par mois (centimes)"),
                    ("cost-handling", "Préparation par commande (centimes)"),
                    ("cost-fee", "Frais de paiement (points de base)"),
                    ("cost-carrier", "Transport par colis (centimes)"),
                    ("cost-sla", "Délai d'expédition promis (heures)"),
                ];
                view! {
                    <form class="grid-form" on:submit=submit>
                        {labels.into_iter().enumerate().map(|(i, (id, label))| view! {
                            <div class="field">
                                <label for=id>{label}</label>
                                <input id=id inputmode="numeric" prop:value=move || fields.with(|f| f[i].clone())
                                    on:input=move |ev| fields.update(|f| f[i] = value(&ev))/>
                            </div>
                        }).collect_view()}
                        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                        {move || done.get().then(|| view! { <p class="notice notice-ok" role="status">"Enregistré."</p> })}
                        <button type="submit" class="button">"Enregistrer"</button>
                    </form>
                }
            })}
        </section>
    }
}
