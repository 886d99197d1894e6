//! `/admin/fidelisation`: retention and feedback for every staff member —
//! customer cohorts by first-order month as a heatmap (with the same numbers
//! as a table), repeat-purchase rate, median time between orders, revenue
//! per customer over 12 months; then CSAT and NPS per month as lines, and
//! the latest survey comments with their orders.

use comptoir_shared::calendar::{DAY_MS, iso_date};
use comptoir_shared::feedback::FeedbackTrends;
use comptoir_shared::retention::{MONTHS, RetentionReport};
use comptoir_ui::text;
use leptos::prelude::*;

use super::{milli, percent};
use crate::chart::{HeatRow, Heatmap, LineChart, Point};
use crate::{api, load, shown};

/// `/admin/fidelisation`
#[component]
pub fn RetentionPage() -> impl IntoView {
    let now = js_sys::Date::now() as i64;
    let tomorrow = (now / DAY_MS + 1) * DAY_MS;
    let days = RwSignal::new(365);
    let retention = load(move || api::retention(tomorrow - days.get() * DAY_MS, tomorrow));
    let feedback = load(move || api::feedback(tomorrow - days.get() * DAY_MS, tomorrow));
    view! {
        <h1>"Fidélisation et avis"</h1>
        <div class="period" role="group" aria-label="Période">
            {[(183, "6 mois"), (365, "12 mois"), (730, "24 mois")].into_iter().map(|(d, label)| view! {
                <button type="button" class="button" id=format!("retention-{d}")
                    aria-pressed=move || (days.get() == d).to_string()
                    on:click=move |_| days.set(d)>{label}</button>
            }).collect_view()}
        </div>
        {shown(retention, |r| view! { <Cohorts r/> })}
        {shown(feedback, |f| view! { <Feedback f/> })}
    }
}

/// `41,5 j` from milliseconds.
fn days_text(ms: Option<i64>) -> String {
    ms.map_or_else(
        || "—".to_owned(),
        |ms| {
            let tenths = ms / (DAY_MS / 10);
            format!("{},{} j", tenths / 10, tenths % 10)
        },
    )
}

/// `33 %` from basis points, rounded to the unit.
fn whole_percent(bps: i64) -> String {
    format!("{} %", (bps + 50) / 100)
}

#[component]
fn Cohorts(r: RetentionReport) -> impl IntoView {
    let columns: Vec<String> = (0..MONTHS).map(|m| format!("M{m}")).collect();
    let rows: Vec<HeatRow> = r
        .cohorts
        .iter()
        .map(|c| HeatRow {
            label: format!("{} ({})", c.month, c.customers),
            cells: c
                .active_bps
                .iter()
                .map(|bps| bps.map(|b| (b, whole_percent(b))))
                .collect(),
        })
        .collect();
    let caption = format!(
        "Rétention par cohorte : part des clients de chaque mois de première commande qui ont \
         commandé 0 à 11 mois plus tard ({} cohortes, {} clients)",
        r.cohorts.len(),
        r.customers
    );
    let cohorts = r.cohorts.clone();
    view! {
        <section aria-labelledby="retention-title">
            <h2 id="retention-title">"Rétention"</h2>
            <dl class="kpis">
                <div class="kpi"><dt>"Clients"</dt><dd id="retention-customers">{r.customers.to_string()}</dd>
                    <small>"première commande dans la période"</small></div>
                <div class="kpi"><dt>"Réachat"</dt><dd id="retention-repeat">{percent(r.repeat_purchase_bps)}</dd>
                    <small>{format!("avec 2 commandes ou plus : {}", r.repeat_customers)}</small></div>
                <div class="kpi"><dt>"Entre deux commandes"</dt><dd id="retention-gap">{days_text(r.median_ms_between_orders)}</dd>
                    <small>"médiane"</small></div>
                <div class="kpi"><dt>"Revenu par client sur 12 mois"</dt>
                    <dd id="retention-revenue">{r.revenue_per_customer_12m.map_or_else(|| "—".to_owned(), text::money)}</dd>
                    <small>{format!("clients avec 12 mois de recul : {}", r.customers_with_12_months)}</small></div>
            </dl>
            {if rows.is_empty() {
                view! { <p class="muted" id="retention-none">"Aucune première commande payée dans la période."</p> }.into_any()
            } else {
                view! {
                    <Heatmap id="chart-cohorts" caption=caption columns=columns rows=rows/>
                    <table id="cohorts-table">
                        <caption>"Clients de chaque cohorte ayant commandé le mois M (part de la cohorte) ; vide : mois à venir"</caption>
                        <thead><tr>
                            <th scope="col">"Cohorte"</th><th scope="col">"Clients"</th>
                            {(0..MONTHS).map(|m| view! { <th scope="col">{format!("M{m}")}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {cohorts.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row">{c.month.clone()}</th>
                                    <td>{c.customers.to_string()}</td>
                                    {c.active.iter().zip(&c.active_bps).map(|(n, bps)| view! {
                                        <td>{match (n, bps) {
                                            (Some(n), Some(b)) => format!("{n} ({})", whole_percent(*b)),
                                            _ => String::new(),
                                        }}</td>
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Feedback(f: FeedbackTrends) -> impl IntoView {
    let csat: Vec<Point> = f
        .months
        .iter()
        .map(|m| Point {
            label: m.month.clone(),
            value: m.csat_average_milli,
            text: milli(m.csat_average_milli),
        })
        .collect();
    let nps: Vec<Point> = f
        .months
        .iter()
        .map(|m| Point {
            label: m.month.clone(),
            value: m.nps,
            text: m.nps.map_or_else(String::new, |n| format!("{n:+}")),
        })
        .collect();
    let months = f.months.clone();
    let comments = f.comments.clone();
    view! {
        <section aria-labelledby="feedback-title">
            <h2 id="feedback-title">"Avis clients"</h2>
            <div class="charts">
                <LineChart id="chart-csat" caption="CSAT moyen par mois (sur 5)".to_owned() points=csat min=1000 max=5000/>
                <LineChart id="chart-nps" caption="NPS par mois (de −100 à +100)".to_owned() points=nps min=-100 max=100/>
            </div>
            <table id="feedback-table">
                <caption>"Réponses, CSAT moyen et NPS par mois"</caption>
                <thead><tr><th scope="col">"Mois"</th><th scope="col">"Réponses"</th><th scope="col">"CSAT"</th><th scope="col">"NPS"</th></tr></thead>
                <tbody>
                    {months.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row">{m.month}</th>
                            <td>{m.responses.to_string()}</td>
                            <td>{milli(m.csat_average_milli)}</td>
                            <td>{m.nps.map_or_else(|| "—".to_owned(), |n| n.to_string())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>"Derniers commentaires"</h3>
            {if comments.is_empty() {
                view! { <p class="muted" id="comments-none">"Aucun commentaire dans la période."</p> }.into_any()
            } else {
                view! {
                    <ul id="feedback-comments">
                        {comments.into_iter().map(|c| view! {
                            <li>
                                <q>{c.comment}</q>
                                {format!(" — CSAT {}/5, NPS {}/10, le {} — ", c.csat, c.nps, iso_date(c.at_ms))}
                                <a href=format!("/admin/commandes/{}", c.order_id)>
                                    {format!("commande {}", c.order_id.short())}
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
