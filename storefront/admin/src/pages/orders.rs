//! The orders board: filter by status, dates, customer and text; page
//! through; export what is shown as CSV.

use comptoir_shared::calendar::DAY_MS;
use comptoir_shared::order::OrderStatus;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{day_start_ms, value};
use crate::{api, load, shown};

#[derive(Clone, Default, PartialEq)]
struct Filters {
    status: String,
    from: String,
    to: String,
    customer: String,
    q: String,
    page: u32,
}

impl Filters {
    fn query(&self) -> String {
        let ms = |d: &str, plus: i64| {
            day_start_ms(d)
                .map(|m| (m + plus).to_string())
                .unwrap_or_default()
        };
        api::query(&[
            ("status", self.status.clone()),
            ("from", ms(&self.from, 0)),
            ("to", ms(&self.to, DAY_MS)),
            ("customer", self.customer.trim().to_owned()),
            ("q", self.q.trim().to_owned()),
            (
                "page",
                if self.page > 1 {
                    self.page.to_string()
                } else {
                    String::new()
                },
            ),
        ])
    }
}

/// `/admin/commandes`
#[component]
pub fn OrdersPage() -> impl IntoView {
    let typed = RwSignal::new(Filters::default());
    let applied = RwSignal::new(Filters::default());
    let rows = load(move || {
        let q = applied.get().query();
        async move { api::orders(&q).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(Filters {
            page: 1,
            ..typed.get_untracked()
        });
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      get: fn(&mut Filters) -> &mut String| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind on:input=move |ev| typed.update(|f| *get(f) = value(&ev))/>
            </div>
        }
    };
    view! {
        <h1>"Commandes"</h1>
        <form class="filters-row" on:submit=submit id="order-filters">
            <div class="field">
                <label for="status">"Statut"</label>
                <select id="status" on:change=move |ev| typed.update(|f| f.status = value(&ev))>
                    <option value="">"Tous"</option>
                    {OrderStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{text::status(s)}</option> }).collect_view()}
                </select>
            </div>
            {field("from", "Du", "date", |f| &mut f.from)}
            {field("to", "Au", "date", |f| &mut f.to)}
            {field("customer", "Client (e-mail)", "email", |f| &mut f.customer)}
            {field("q", "Recherche", "search", |f| &mut f.q)}
            <button type="submit" class="button button-primary" id="apply-order-filters">"Filtrer"</button>
            <a class="button" id="export-csv" href=move || format!("/api/orders/export.csv?{}", applied.get().query()) download="commandes.csv">"Exporter en CSV"</a>
        </form>
        {shown(rows, move |list| {
            let page = applied.get_untracked().page.max(1);
            let full = list.len() >= 50;
            view! {
                <table class="cart-table" id="orders-board">
                    <thead><tr><th scope="col">"Commande"</th><th scope="col">"Passée le"</th><th scope="col">"Client"</th>
                        <th scope="col">"Articles"</th><th scope="col">"Total"</th><th scope="col">"Statut"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|o| view! {
                            <tr>
                                <td><a href=format!("/admin/commandes/{}", o.id)>{o.id.short().to_owned()}</a></td>
                                <td>{text::date_time(o.created_at_ms)}</td>
                                <td>{o.email.to_string()}</td>
                                <td>{o.item_count}</td>
                                <td>{text::money(o.total)}</td>
                                <td><span class=format!("status status-{}", o.status.as_str())>{text::status(o.status)}</span></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <nav class="pager" aria-label="Pages">
                    {(page > 1).then(|| view! { <button type="button" class="button" on:click=move |_| applied.update(|f| f.page = page - 1)>"← Précédente"</button> })}
                    <span>{format!("Page {page}")}</span>
                    {full.then(|| view! { <button type="button" class="button" on:click=move |_| applied.update(|f| f.page = page + 1)>"Suivante →"</button> })}
                </nav>
            }
        })}
    }
}
