//! The audit log: every staff action, filterable by staff member, action
//! and dates.

use comptoir_shared::audit::AuditAction;
use comptoir_shared::calendar::DAY_MS;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{day_start_ms, value};
use crate::{api, load, shown};

/// `/admin/journal`
#[component]
pub fn AuditPage() -> impl IntoView {
    let typed = RwSignal::new([String::new(), String::new(), String::new(), String::new()]);
    let applied = RwSignal::new("limit=500".to_owned());
    let entries = load(move || {
        let q = applied.get();
        async move { api::audit(&q).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [staff, action, from, to] = typed.get_untracked();
        let ms = |d: &str, plus: i64| {
            day_start_ms(d)
                .map(|m| (m + plus).to_string())
                .unwrap_or_default()
        };
        applied.set(api::query(&[
            ("staff", staff.trim().to_owned()),
            ("action", action),
            ("from", ms(&from, 0)),
            ("to", ms(&to, DAY_MS)),
            ("limit", "500".to_owned()),
        ]));
    };
    let set = move |i: usize| move |ev: leptos::ev::Event| typed.update(|t| t[i] = value(&ev));
    view! {
        <h1>"Journal des actions"</h1>
        <form class="filters-row" on:submit=submit>
            <div class="field"><label for="audit-staff">"Membre (e-mail)"</label><input id="audit-staff" on:input=set(0)/></div>
            <div class="field"><label for="audit-action">"Action"</label>
                <select id="audit-action" on:change=set(1)>
                    <option value="">"Toutes"</option>
                    {AuditAction::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{a.as_str()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field"><label for="audit-from">"Du"</label><input id="audit-from" type="date" on:input=set(2)/></div>
            <div class="field"><label for="audit-to">"Au"</label><input id="audit-to" type="date" on:input=set(3)/></div>
            <button type="submit" class="button button-primary">"Filtrer"</button>
        </form>
        {shown(entries, |list| view! {
            <table class="cart-table" id="audit-log">
                <thead><tr><th scope="col">"Quand"</th><th scope="col">"Qui"</th><th scope="col">"Action"</th><th scope="col">"Sur"</th><th scope="col">"Détail"</th></tr></thead>
                <tbody>
                    {list.into_iter().map(|e| view! {
                        <tr><td>{text::date_time(e.at_ms)}</td><td>{e.actor_email}</td><td><code>{e.action.as_str()}</code></td><td><code>{e.target}</code></td><td>{e.detail}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
