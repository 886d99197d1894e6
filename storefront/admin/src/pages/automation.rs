//! The automation rules the job runner applies (admins switch them and set
//! their limits; other staff read them), and the alerts they raise, shown
//! on the dashboard.

use comptoir_shared::Money;
use comptoir_shared::account::Role;
use comptoir_shared::automation::{Automation, AutomationSettings};
use comptoir_ui::api::CallError;
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{euros, parse_euros, value};
use crate::{api, load, may, shown};

/// The escalated orders still waiting to be picked, on the dashboard.
#[component]
pub fn AlertsPanel() -> impl IntoView {
    let answer = load(api::automation);
    view! {
        {shown(answer, |a: Automation| (!a.alerts.is_empty()).then(|| view! {
            <section class="notice notice-error" role="alert" id="alerts" aria-labelledby="alerts-title">
                <h2 id="alerts-title">{format!("{} commande(s) payée(s) non préparée(s) à temps", a.alerts.len())}</h2>
                <ul class="plain">
                    {a.alerts.into_iter().map(|alert| {
                        let short = alert.order_id.short().to_owned();
                        let id = alert.order_id.to_string();
                        view! {
                            <li><a href=format!("/admin/commandes/{id}")>{short}</a>
                                {format!(" · payée le {} · signalée le {}", text::date_time(alert.paid_at_ms), text::date_time(alert.raised_at_ms))}</li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }))}
    }
}

/// `/admin/automatisations`
#[component]
pub fn AutomationPage() -> impl IntoView {
    let answer = load(api::automation);
    view! {
        <h1>"Automatisations"</h1>
        <p class="muted">"Le planificateur applique ces règles à chaque passage ; chaque action est inscrite au journal \
            d'audit sous « automation » et n'a lieu qu'une fois (par commande, par demande de retour, par référence en commande)."</p>
        {shown(answer, |a: Automation| view! { <SettingsForm settings=a.settings/> })}
    }
}

#[component]
fn SettingsForm(settings: AutomationSettings) -> impl IntoView {
    let s = RwSignal::new(settings);
    let (hours, max, per) = (
        RwSignal::new(settings.unpicked_after_hours.to_string()),
        RwSignal::new(euros(settings.small_return_max.amount)),
        RwSignal::new(settings.small_returns_per_customer.to_string()),
    );
    let error = RwSignal::new(None::<CallError>);
    let saved = RwSignal::new(false);
    let admin = may(&[Role::Admin]);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = AutomationSettings {
            unpicked_after_hours: hours.get_untracked().trim().parse().unwrap_or(0),
            small_return_max: Money::eur(parse_euros(&max.get_untracked()).unwrap_or(-1)),
            small_returns_per_customer: per.get_untracked().trim().parse().unwrap_or(0),
            ..s.get_untracked()
        };
        leptos::task::spawn_local(async move {
            match api::set_automation(&body).await {
                Ok(a) => {
                    s.set(a.settings);
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => {
                    saved.set(false);
                    error.set(Some(e));
                }
            }
        });
    };
    let check = move |id: &'static str,
                      label: &'static str,
                      get: fn(&AutomationSettings) -> bool,
                      set: fn(&mut AutomationSettings, bool)| {
        view! {
            <label class="check">
                <input type="checkbox" id=id disabled=!admin prop:checked=move || s.with(get)
                    on:change=move |ev| s.update(|v| set(v, event_target_checked(&ev)))/>
                {label}
            </label>
        }
    };
    view! {
        <form class="stacked-form" on:submit=save id="automation-form">
            {check("rule-detractors", "Un avis détracteur (NPS ≤ 6 ou satisfaction ≤ 2) ouvre une conversation au service client",
                |v| v.detractors, |v, on| v.detractors = on)}
            {check("rule-unpicked", "Une commande payée non préparée à temps est signalée (tableau de bord, e-mail aux administrateurs et à l'entrepôt)",
                |v| v.unpicked_orders, |v, on| v.unpicked_orders = on)}
            <label for="rule-hours">"Délai avant signalement (heures)"</label>
            <input id="rule-hours" type="number" min="1" max="720" disabled=!admin prop:value=move || hours.get() on:input=move |ev| hours.set(value(&ev))/>
            {check("rule-low-stock", "Une référence au point de commande est ajoutée au bon de commande en préparation de son fournisseur",
                |v| v.low_stock, |v, on| v.low_stock = on)}
            {check("rule-late", "Une commande pas encore expédiée à la date de livraison promise est annoncée au client (conversation, ou e-mail pour un invité)",
                |v| v.late_orders, |v, on| v.late_orders = on)}
            {check("rule-returns", "Les petits retours sont approuvés et remboursés sans attendre la comptabilité (sans retour de la marchandise)",
                |v| v.small_returns, |v, on| v.small_returns = on)}
            <label for="rule-return-max">"Montant maximal d'un petit retour (€)"</label>
            <input id="rule-return-max" inputmode="decimal" disabled=!admin prop:value=move || max.get() on:input=move |ev| max.set(value(&ev))/>
            <label for="rule-return-per">"Petits retours par client sur 12 mois"</label>
            <input id="rule-return-per" type="number" min="1" max="20" disabled=!admin prop:value=move || per.get() on:input=move |ev| per.set(value(&ev))/>
            {admin.then(|| view! { <button type="submit" class="button" id="save-automation">"Enregistrer"</button> })}
            {move || saved.get().then(|| view! { <p class="notice" role="status">"Règles enregistrées."</p> })}
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </form>
    }
}
