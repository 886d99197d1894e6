//! The staff bundle, under `/admin`: a separate download no shopper ever
//! gets (the shop bundle does not depend on this crate; CI checks it).
//!
//! Every section is shown only to the roles allowed to use it, but the
//! functions check the role on every call: hiding is a courtesy, not the
//! guard. Pages are in [`pages`], the staff calls in [`api`], the SVG
//! charts in [`chart`].

// Natively (tests, clippy) leptos is built with `ssr` for the functions,
// whose async rendering types nest deeper than the default limit allows.
#![recursion_limit = "256"]

pub mod api;
pub mod chart;
pub mod pages;

use std::future::Future;

use comptoir_shared::account::{Account, Role};
use comptoir_ui::api::CallResult;
use comptoir_ui::components::{ErrorNotice, Loading, NotFound, SignInForm};
use comptoir_ui::state::Session;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// A section of the staff area and who may open it.
struct Section {
    path: &'static str,
    label: &'static str,
    roles: &'static [Role],
}

const EVERYONE: &[Role] = &[Role::Admin, Role::Support, Role::Warehouse, Role::Finance];

const SECTIONS: [Section; 13] = [
    Section {
        path: "/admin",
        label: "Tableau de bord",
        roles: EVERYONE,
    },
    Section {
        path: "/admin/fidelisation",
        label: "Fidélisation",
        roles: EVERYONE,
    },
    Section {
        path: "/admin/commandes",
        label: "Commandes",
        roles: EVERYONE,
    },
    Section {
        path: "/admin/stock",
        label: "Stock",
        roles: &[Role::Admin, Role::Warehouse],
    },
    Section {
        path: "/admin/achats",
        label: "Achats",
        roles: &[Role::Admin, Role::Warehouse],
    },
    Section {
        path: "/admin/remboursements",
        label: "Remboursements",
        roles: &[Role::Admin, Role::Finance, Role::Support],
    },
    Section {
        path: "/admin/finance",
        label: "Finance",
        roles: &[Role::Admin, Role::Finance],
    },
    Section {
        path: "/admin/support",
        label: "Support",
        roles: &[Role::Admin, Role::Support],
    },
    Section {
        path: "/admin/clients",
        label: "Clients",
        roles: &[Role::Admin, Role::Support],
    },
    Section {
        path: "/admin/catalogue",
        label: "Catalogue",
        roles: &[Role::Admin],
    },
    Section {
        path: "/admin/journal",
        label: "Journal",
        roles: &[Role::Admin],
    },
    Section {
        path: "/admin/automatisations",
        label: "Automatisations",
        roles: EVERYONE,
    },
    Section {
        path: "/admin/equipe",
        label: "Équipe",
        roles: &[Role::Admin],
    },
];

/// The signed-in staff member's role (provided before any page renders).
pub fn role() -> Role {
    use_context::<Account>().map_or(Role::Customer, |a| a.role)
}

/// Whether the signed-in staff member may use something meant for `roles`
/// (admins may use everything).
pub fn may(roles: &[Role]) -> bool {
    let role = role();
    role == Role::Admin || roles.contains(&role)
}

/// Runs `fetch` now and whenever what it reads changes; keeps the answer to
/// the latest request.
pub fn load<T, F, Fut>(fetch: F) -> RwSignal<Option<CallResult<T>>>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = CallResult<T>> + 'static,
{
    let answer = RwSignal::new(None);
    // Only the latest request may answer: a slow earlier one is dropped.
    let latest = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    Effect::new(move || {
        let pending = fetch();
        let (latest, this) = (
            latest.clone(),
            latest.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
        );
        leptos::task::spawn_local(async move {
            let value = pending.await;
            if latest.load(std::sync::atomic::Ordering::Relaxed) == this {
                answer.set(Some(value));
            }
        });
    });
    answer
}

/// Loading, the error, or `show` of the answer.
pub fn shown<T, V>(
    answer: RwSignal<Option<CallResult<T>>>,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Send + Sync + 'static
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || match answer.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
        Some(Ok(value)) => show(value).into_any(),
    }
}

/// The staff area.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::load();
    provide_context(session);
    provide_context(comptoir_ui::Bundle::Admin);
    view! {
        <a class="skip-link" href="#contenu">"Aller au contenu"</a>
        {move || match (session.known.get(), session.account.get()) {
            (false, _) => view! { <main id="contenu"><Loading/></main> }.into_any(),
            (true, Some(account)) if account.role.is_staff() => {
                provide_context(account.clone());
                view! { <Staff me=account/> }.into_any()
            }
            (true, Some(_)) => view! {
                <main id="contenu"><p class="notice notice-error" role="alert">
                    "Ce compte n'a pas accès à l'espace du personnel. "<a href="/" rel="external">"Retour à la boutique"</a>
                </p></main>
            }.into_any(),
            (true, None) => view! { <main id="contenu"><StaffSignIn session/></main> }.into_any(),
        }}
    }
}

#[component]
fn Staff(me: Account) -> impl IntoView {
    let session = expect_context::<Session>();
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            if comptoir_ui::api::sign_out().await.is_ok() {
                session.account.set(None);
            }
        });
    };
    view! {
        <Router>
            <header class="site-header admin-header">
                <a href="/admin" class="brand">"Comptoir " <small>"personnel"</small></a>
                <nav aria-label="Sections">
                    {SECTIONS.iter().filter(|s| may(s.roles)).map(|s| view! {
                        <a href=s.path>{s.label}</a>
                    }).collect_view()}
                </nav>
                <p class="who">
                    <span id="staff-who">{me.email.to_string()}" · "{me.role.as_str()}</span>" "
                    <button type="button" class="button button-link" id="staff-sign-out" on:click=sign_out>"Se déconnecter"</button>
                </p>
            </header>
            <main id="contenu" tabindex="-1" class="admin">
                <Routes fallback=NotFound>
                    <Route path=path!("/admin") view=pages::dashboard::DashboardPage/>
                    <Route path=path!("/admin/fidelisation") view=pages::retention::RetentionPage/>
                    <Route path=path!("/admin/commandes") view=pages::orders::OrdersPage/>
                    <Route path=path!("/admin/commandes/:id") view=pages::order::OrderPage/>
                    <Route path=path!("/admin/stock") view=pages::stock::StockPage/>
                    <Route path=path!("/admin/achats") view=pages::purchasing::PurchasingPage/>
                    <Route path=path!("/admin/automatisations") view=pages::automation::AutomationPage/>
                    <Route path=path!("/admin/remboursements") view=pages::refunds::RefundsPage/>
                    <Route path=path!("/admin/finance") view=pages::finance::FinancePage/>
                    <Route path=path!("/admin/support") view=pages::support::InboxPage/>
                    <Route path=path!("/admin/support/:id") view=pages::support::ThreadPage/>
                    <Route path=path!("/admin/clients") view=pages::customers::CustomersPage/>
                    <Route path=path!("/admin/clients/:id") view=pages::customers::CustomerPage/>
                    <Route path=path!("/admin/catalogue") view=pages::catalog::CatalogPage/>
                    <Route path=path!("/admin/journal") view=pages::audit::AuditPage/>
                    <Route path=path!("/admin/equipe") view=pages::team::TeamPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn StaffSignIn(session: Session) -> impl IntoView {
    let done = Callback::new(move |account: Account| session.account.set(Some(account)));
    view! {
        <section class="auth">
            <h1>"Espace du personnel"</h1>
            <SignInForm done/>
        </section>
    }
}

/// Entry point called by the wasm-bindgen glue.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}
