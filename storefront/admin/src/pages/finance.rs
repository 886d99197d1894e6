//! Finance's page: a fiscal year's books (the journal, the FEC to download,
//! the VAT collected per month and rate, closing an ended year), the
//! reconciliation (billing errors to resolve, the sandbox provider's payout),
//! then the register of invoices and credit notes: search by number or
//! buyer, filter by kind and issue dates, page through, open each PDF; last,
//! the chart of accounts the books are written with (an admin renumbers it).

use comptoir_shared::account::Role;
use comptoir_shared::calendar::DAY_MS;
use comptoir_shared::invoice::{DocumentKind, rate_fr};
use comptoir_shared::ledger::{
    ChartAccount, ChartAccountInput, ClosedYear, LedgerLine, Role as AccountRole, VatReportLine,
};
use comptoir_shared::payment::{BillingErrorRow, PayoutReport, ResolveBillingError};
use comptoir_shared::{ApiError, Money};
use comptoir_ui::api::{CallError, CallResult};
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;

use super::{day_start_ms, value};
use crate::{api, load, may, shown};

/// Journal lines drawn at most; the FEC has them all.
const SHOWN: usize = 200;

/// `/admin/finance`
#[component]
pub fn FinancePage() -> impl IntoView {
    let year = RwSignal::new(js_sys::Date::new_0().get_full_year() as i32);
    // Bumped by a payout: what it booked is read again.
    let books = RwSignal::new(0u32);
    let pick = move |ev: leptos::ev::Event| {
        if let Some(y) = value(&ev)
            .trim()
            .parse()
            .ok()
            .filter(|y| (2000..=9999).contains(y))
        {
            year.set(y);
        }
    };
    view! {
        <h1>"Finance"</h1>
        <form class="filters-row" id="fiscal-year-form" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="fiscal-year">"Exercice"</label>
                <input id="fiscal-year" type="number" min="2000" max="9999" prop:value=move || year.get().to_string() on:input=pick/>
            </div>
        </form>
        // Drawn afresh for each year: nothing of the previous one lingers.
        {move || {
            let year = year.get();
            view! {
                <Journal year books/>
                <Vat year/>
                {may(&[Role::Finance]).then(|| view! { <Close year/> })}
            }
        }}
        {may(&[Role::Finance]).then(|| view! { <Reconciliation books/> })}
        <Register/>
        <Chart/>
    }
}

/// Σ of one side of some lines, in euros.
fn sum<T>(items: &[T], side: impl Fn(&T) -> Money) -> Money {
    Money::eur(
        items
            .iter()
            .fold(0i64, |a, t| a.saturating_add(side(t).amount)),
    )
}

#[component]
fn Journal(year: i32, books: RwSignal<u32>) -> impl IntoView {
    let lines = load(move || {
        books.track();
        api::journal(year)
    });
    // The cell of a side the line does not move stays empty.
    let side = |m: Money| (m.amount != 0).then(|| text::money(m));
    view! {
        <section id="journal">
            <h2>{format!("Journal {year}")}</h2>
            <p><a class="button" id="fec-download" href=format!("/api/finance/fec?year={year}") download="">"Télécharger le FEC"</a></p>
            {shown(lines, move |lines: Vec<LedgerLine>| {
                if lines.is_empty() {
                    return view! { <p class="muted" id="journal-empty">{format!("Aucune écriture en {year}.")}</p> }.into_any();
                }
                let (debit, credit, count) = (sum(&lines, |l| l.debit), sum(&lines, |l| l.credit), lines.len());
                view! {
                    {(count > SHOWN).then(|| view! {
                        <p class="muted" id="journal-truncated">{format!("Les {SHOWN} premières lignes sur {count} ; le FEC les contient toutes.")}</p>
                    })}
                    <table class="cart-table" id="journal-lines">
                        <thead><tr><th scope="col">"Journal"</th><th scope="col">"N°"</th><th scope="col">"Date"</th><th scope="col">"Compte"</th>
                            <th scope="col">"Auxiliaire"</th><th scope="col">"Pièce"</th><th scope="col">"Libellé"</th><th scope="col">"Débit"</th><th scope="col">"Crédit"</th></tr></thead>
                        <tbody>
                            {lines.into_iter().take(SHOWN).map(|l| view! {
                                <tr>
                                    <td><abbr title=l.journal_name>{l.journal}</abbr></td>
                                    <td>{l.number}</td>
                                    <td>{text::date(l.date_ms)}</td>
                                    <td><code>{l.account}</code>" "{l.account_name}</td>
                                    <td>{(!l.aux.is_empty()).then(|| view! { <code>{l.aux}</code>" "{l.aux_name} })}</td>
                                    <td>{l.piece}</td>
                                    <td>{l.label}</td>
                                    <td>{side(l.debit)}</td>
                                    <td>{side(l.credit)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr><th scope="row" colspan="7">"Totaux"</th><td id="journal-debit">{text::money(debit)}</td><td id="journal-credit">{text::money(credit)}</td></tr></tfoot>
                    </table>
                    {(debit != credit).then(|| view! {
                        <p class="notice notice-error" role="alert" id="journal-unbalanced">
                            {format!("Journal déséquilibré : les débits et les crédits diffèrent de {}.", text::money(Money::eur(debit.amount.saturating_sub(credit.amount))))}
                        </p>
                    })}
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn Vat(year: i32) -> impl IntoView {
    let report = load(move || api::vat_report(year));
    view! {
        <section id="vat">
            <h2>{format!("TVA collectée {year}")}</h2>
            <p><a class="button" id="vat-csv" href=format!("/api/finance/vat-report.csv?year={year}") download="">"Exporter en CSV"</a></p>
            {shown(report, move |lines: Vec<VatReportLine>| {
                if lines.is_empty() {
                    return view! { <p class="muted" id="vat-empty">{format!("Aucune vente en {year}.")}</p> }.into_any();
                }
                let (base, vat) = (sum(&lines, |l| l.base), sum(&lines, |l| l.vat));
                view! {
                    <table class="cart-table" id="vat-report">
                        <thead><tr><th scope="col">"Mois"</th><th scope="col">"Pays"</th><th scope="col">"Taux"</th><th scope="col">"Déclaration"</th>
                            <th scope="col">"Base HT"</th><th scope="col">"TVA"</th></tr></thead>
                        <tbody>
                            {lines.chunk_by(|a, b| a.month == b.month).map(|month| view! {
                                {month.iter().map(|l| view! {
                                    <tr>
                                        <td>{l.month.clone()}</td>
                                        <td>{l.country.clone()}</td>
                                        <td>{rate_fr(l.rate_bps)}</td>
                                        <td>{l.ca3_line.clone()}</td>
                                        <td>{text::money(l.base)}</td>
                                        <td>{text::money(l.vat)}</td>
                                    </tr>
                                }).collect_view()}
                                <tr class="subtotal">
                                    <th scope="row" colspan="4">{format!("Total {}", month[0].month)}</th>
                                    <th>{text::money(sum(month, |l| l.base))}</th>
                                    <th>{text::money(sum(month, |l| l.vat))}</th>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr><th scope="row" colspan="4">{format!("Total {year}")}</th>
                            <th id="vat-base">{text::money(base)}</th><th id="vat-total">{text::money(vat)}</th></tr></tfoot>
                    </table>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn Close(year: i32) -> impl IntoView {
    // Closing is for a year that has ended: the one before the year shown.
    let ended = year - 1;
    let error = RwSignal::new(None::<CallError>);
    let closed = RwSignal::new(None::<ClosedYear>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match api::close_year(ended).await {
                Ok(c) => {
                    error.set(None);
                    closed.set(Some(c));
                }
                Err(e) => {
                    closed.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section id="close-year">
            <h2>"Clôture"</h2>
            <form class="inline-form" on:submit=submit>
                <label class="check"><input type="checkbox" id="close-confirm" required/>
                    {format!("Les écritures de {ended} seront verrouillées : aucune ne pourra plus y être passée.")}</label>
                <button type="submit" class="button button-primary" id="close-year-button">{format!("Clôturer l'exercice {ended}")}</button>
            </form>
            {move || closed.get().map(|c| view! {
                <p class="notice notice-ok" role="status" id="year-closed">{format!("Exercice {} clôturé le {}.", c.year, text::date_time(c.closed_at_ms))}</p>
            })}
            {move || error.get().map(refusal)}
        </section>
    }
}

/// A failed call in words; for a conflict (a year not ended yet, an error
/// resolved already, a shop on Stripe) the server's own reason.
fn refusal(e: CallError) -> AnyView {
    match e {
        CallError::Api(ApiError::Conflict { message }) => {
            view! { <p class="notice notice-error" role="alert">{message}</p> }.into_any()
        }
        e => view! { <ErrorNotice error=e/> }.into_any(),
    }
}

/// A billing error's kind in words; an unknown kind as it is.
fn kind_label(kind: &str) -> &str {
    match kind {
        "unknown_payment" => "Paiement sans commande",
        "amount_mismatch" => "Montant différent",
        "fee_above_rate" => "Frais au-dessus du taux",
        "unknown_refund" => "Remboursement inconnu",
        "payout_mismatch" => "Virement incohérent",
        "unexpected_transaction" => "Opération inattendue",
        "double_payment" => "Paiement en double",
        "paid_after_cancel" => "Payé après annulation",
        "unknown_order" => "Commande inconnue",
        "refund_failed" => "Remboursement échoué",
        other => other,
    }
}

#[component]
fn Reconciliation(books: RwSignal<u32>) -> impl IntoView {
    let all = RwSignal::new(false);
    let errors = load(move || {
        books.track();
        api::billing_errors(!all.get())
    });
    view! {
        <section id="reconciliation">
            <h2>"Rapprochement"</h2>
            <Payout books/>
            <label class="check"><input type="checkbox" id="billing-errors-all" prop:checked=move || all.get()
                on:change=move |ev| all.set(event_target_checked(&ev))/>"Afficher aussi les résolues"</label>
            {shown(errors, move |rows: Vec<BillingErrorRow>| if rows.is_empty() {
                let none = if all.get_untracked() { "Aucun écart de facturation." } else { "Aucun écart à résoudre." };
                view! { <p class="muted" id="billing-errors-empty">{none}</p> }.into_any()
            } else {
                view! {
                    <table class="cart-table" id="billing-errors">
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Écart"</th><th scope="col">"Commande"</th>
                            <th scope="col">"Détail"</th><th scope="col">"Preuve"</th><th scope="col">"Résolution"</th></tr></thead>
                        <tbody>{rows.into_iter().map(|row| view! { <BillingError row/> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn BillingError(row: BillingErrorRow) -> impl IntoView {
    let id = StoredValue::new(row.id.clone());
    // Resolving answers the row anew: its last cell follows.
    let now = RwSignal::new(row.clone());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ResolveBillingError {
            note: note.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::resolve_billing_error(&id.get_value(), &body).await {
                Ok(r) => {
                    error.set(None);
                    now.set(r);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <tr class="billing-error">
            <td>{text::date_time(row.at_ms)}</td>
            <td title=row.kind.clone()>{kind_label(&row.kind).to_owned()}</td>
            <td>{row.order_id.map(|o| view! { <a href=format!("/admin/commandes/{o}")>{o.short().to_owned()}</a> })}</td>
            <td>{row.detail}</td>
            <td><code>{row.evidence}</code></td>
            <td>
                {move || now.with(|r| match r.resolved_at_ms {
                    Some(at) => view! {
                        <span class="resolved">{format!("Résolu le {} par {} : {}", text::date_time(at),
                            r.resolved_by.as_deref().unwrap_or("—"), r.resolution.as_deref().unwrap_or(""))}</span>
                    }.into_any(),
                    None => view! {
                        <form class="inline-form resolve-form" on:submit=submit>
                            <label for=format!("resolve-{}", r.id)>"Note"</label>
                            <input id=format!("resolve-{}", r.id) class="resolve-note" maxlength="1000" on:input=move |ev| note.set(value(&ev))/>
                            <button type="submit" class="button button-primary resolve">"Résoudre"</button>
                        </form>
                    }.into_any(),
                })}
                {move || error.get().map(|e| match e {
                    CallError::Api(ApiError::Validation { .. }) => view! {
                        <p class="notice notice-error" role="alert">"Indiquez ce qui a été fait (une ligne, 1000 caractères au plus)."</p>
                    }.into_any(),
                    e => refusal(e),
                })}
            </td>
        </tr>
    }
}

#[component]
fn Payout(books: RwSignal<u32>) -> impl IntoView {
    let answer = RwSignal::new(None::<CallResult<Option<PayoutReport>>>);
    let pay = move |_| {
        leptos::task::spawn_local(async move {
            let paid = api::sandbox_payout().await;
            if matches!(paid, Ok(Some(_))) {
                books.update(|v| *v += 1);
            }
            answer.set(Some(paid));
        });
    };
    view! {
        <p><button type="button" class="button" id="sandbox-payout" on:click=pay>"Virement du prestataire (sandbox)"</button></p>
        {move || answer.get().map(|paid| match paid {
            Ok(Some(p)) => view! {
                <p class="notice notice-ok" role="status" id="payout-done">{format!("Virement {} : {}, frais {}, {} opérations, {} écart(s)",
                    p.id, text::money(p.amount), text::money(p.fees), p.transactions, p.billing_errors)}</p>
            }.into_any(),
            Ok(None) => view! { <p class="notice" role="status" id="payout-none">"Rien à verser."</p> }.into_any(),
            Err(e) => refusal(e),
        })}
    }
}

#[derive(Clone, Default, PartialEq)]
struct Filters {
    q: String,
    kind: String,
    from: String,
    to: String,
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
            ("q", self.q.trim().to_owned()),
            ("kind", self.kind.clone()),
            ("from", ms(&self.from, 0)),
            // The last day included: up to the next midnight.
            ("to", ms(&self.to, DAY_MS)),
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

#[component]
fn Register() -> impl IntoView {
    let typed = RwSignal::new(Filters::default());
    let applied = RwSignal::new(Filters::default());
    let rows = load(move || {
        let q = applied.get().query();
        async move { api::documents(&q).await }
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
        <section id="documents">
        <h2>"Factures et avoirs"</h2>
        <form class="filters-row" on:submit=submit id="document-filters">
            {field("document-q", "Numéro, client ou e-mail", "search", |f| &mut f.q)}
            <div class="field">
                <label for="document-kind">"Type"</label>
                <select id="document-kind" on:change=move |ev| typed.update(|f| f.kind = value(&ev))>
                    <option value="">"Tous"</option>
                    <option value=DocumentKind::Invoice.as_str()>"Factures"</option>
                    <option value=DocumentKind::CreditNote.as_str()>"Avoirs"</option>
                </select>
            </div>
            {field("document-from", "Du", "date", |f| &mut f.from)}
            {field("document-to", "Au", "date", |f| &mut f.to)}
            <button type="submit" class="button button-primary" id="apply-document-filters">"Filtrer"</button>
        </form>
        {shown(rows, move |list| {
            let page = applied.get_untracked().page.max(1);
            let full = list.len() >= 50;
            let table = if list.is_empty() {
                view! { <p class="muted" id="documents-empty">"Aucun document."</p> }.into_any()
            } else {
                view! {
                    <table class="cart-table" id="documents-register">
                        <thead><tr><th scope="col">"Numéro"</th><th scope="col">"Type"</th><th scope="col">"Émis le"</th>
                            <th scope="col">"Client"</th><th scope="col">"Total TTC"</th><th scope="col">"TVA"</th>
                            <th scope="col">"Factur-X"</th><th scope="col">"Corrige"</th><th scope="col">"PDF"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|d| view! {
                                <tr>
                                    <td><a href=format!("/admin/commandes/{}", d.order_id)><code>{d.number.clone()}</code></a></td>
                                    <td>{d.kind.title()}</td>
                                    <td>{text::date(d.issued_at_ms)}</td>
                                    <td>{d.buyer}</td>
                                    <td>{text::money(d.total)}</td>
                                    <td>{text::money(d.vat)}</td>
                                    <td>{if d.business { "oui" } else { "non" }}</td>
                                    <td>{d.corrects.map(|n| view! { <code>{n}</code> })}</td>
                                    <td><a href=d.url download=format!("{}.pdf", d.number)>"PDF"</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            };
            view! {
                {table}
                <nav class="pager" aria-label="Pages">
                    {(page > 1).then(|| view! { <button type="button" class="button" on:click=move |_| applied.update(|f| f.page = page - 1)>"← Précédente"</button> })}
                    <span>{format!("Page {page}")}</span>
                    {full.then(|| view! { <button type="button" class="button" on:click=move |_| applied.update(|f| f.page = page + 1)>"Suivante →"</button> })}
                </nav>
            }
        })}
        </section>
    }
}

/// A chart role in words.
fn role_label(role: AccountRole) -> &'static str {
    match role {
        AccountRole::Customers => "Clients",
        AccountRole::Sales => "Ventes",
        AccountRole::Shipping => "Ports facturés",
        AccountRole::VatCollected => "TVA collectée",
        AccountRole::Clearing => "Prestataire de paiement (compte d'attente)",
        AccountRole::Bank => "Banque",
        AccountRole::Fees => "Frais bancaires",
        AccountRole::Suspense => "Encaissements à régulariser",
        AccountRole::Purchases => "Achats de marchandises",
        AccountRole::UninvoicedSuppliers => "Fournisseurs, factures non parvenues",
    }
}

#[component]
fn Chart() -> impl IntoView {
    let chart = load(api::chart);
    // Only an admin renumbers (as the server checks); finance reads.
    let edit = may(&[]);
    view! {
        <section id="chart-of-accounts" aria-labelledby="chart-title">
            <h2 id="chart-title">"Plan comptable"</h2>
            {shown(chart, move |accounts: Vec<ChartAccount>| view! {
                <table class="cart-table" id="chart-accounts">
                    <thead><tr><th scope="col">"Compte"</th><th scope="col">"Numéro"</th><th scope="col">"Nom"</th><th scope="col">"Origine"</th>
                        {edit.then(|| view! { <th scope="col">"Modifier"</th> })}</tr></thead>
                    <tbody>{accounts.into_iter().map(|account| view! { <ChartRow account edit/> }).collect_view()}</tbody>
                </table>
            })}
            <p class="muted">"Ventes, ports et TVA sont tenus par taux : le numéro est un préfixe complété par le taux (ex. 707 → 707200 pour 20 %)."</p>
        </section>
    }
}

#[component]
fn ChartRow(account: ChartAccount, edit: bool) -> impl IntoView {
    let role = account.role;
    let key = role.as_str();
    // Saving answers the chart: the row shows what the server kept.
    let now = RwSignal::new(account.clone());
    let number = RwSignal::new(account.number);
    let name = RwSignal::new(account.name);
    let error = RwSignal::new(None::<CallError>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ChartAccountInput {
            number: number.get_untracked(),
            name: name.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::set_chart_account(role, &body).await {
                Ok(chart) => {
                    if let Some(a) = chart.into_iter().find(|a| a.role == role) {
                        number.set(a.number.clone());
                        name.set(a.name.clone());
                        now.set(a);
                    }
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
    let typed = move |field: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            saved.set(false);
            field.set(value(&ev));
        }
    };
    let (number_id, name_id) = (format!("chart-number-{key}"), format!("chart-name-{key}"));
    view! {
        <tr id=format!("chart-{key}")>
            <th scope="row">{role_label(role)}</th>
            <td><code class="chart-number">{move || now.with(|a| a.number.clone())}</code></td>
            <td class="chart-name">{move || now.with(|a| a.name.clone())}</td>
            <td class="chart-origin">{move || if now.with(|a| a.custom) { "personnalisé" } else { "par défaut" }}</td>
            {edit.then(|| view! {
                <td>
                    <form class="inline-form chart-form" on:submit=save>
                        <label class="sr-only" for=number_id.clone()>{format!("Numéro du compte {}", role_label(role))}</label>
                        <input id=number_id class="chart-number-input" size="10" inputmode="numeric" required maxlength="10"
                            prop:value=move || number.get() on:input=typed(number)/>
                        <label class="sr-only" for=name_id.clone()>{format!("Nom du compte {}", role_label(role))}</label>
                        <input id=name_id class="chart-name-input" required maxlength="100"
                            prop:value=move || name.get() on:input=typed(name)/>
                        <button type="submit" class="button save-account">"Enregistrer"</button>
                        {move || saved.get().then(|| view! { <span class="notice-ok" role="status">"Enregistré."</span> })}
                    </form>
                    {move || error.get().map(|e| match e {
                        CallError::Api(ApiError::Validation { field, .. }) => {
                            let said = if field == "name" {
                                "Le nom : de 1 à 100 caractères, sur une ligne."
                            } else {
                                "Le numéro : de 3 à 10 chiffres."
                            };
                            view! { <p class="notice notice-error" role="alert">{said}</p> }.into_any()
                        }
                        e => refusal(e),
                    })}
                </td>
            })}
        </tr>
    }
}
