//! The offline sandbox payment page: approve or decline, as a card would.

use comptoir_shared::payment::SandboxDecision;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use comptoir_ui::api::{self, CallError};
use comptoir_ui::components::{ErrorNotice, Loading};
use comptoir_ui::i18n::t;
use comptoir_ui::{paths, text};

/// `/compte/paiement/:session`
#[component]
pub fn PayPage() -> impl IntoView {
    let params = use_params_map();
    let session_id = move || params.with(|p| p.get("session").unwrap_or_default());
    let session = LocalResource::new(move || {
        let id = session_id();
        async move { api::sandbox_session(&id).await }
    });
    let error = RwSignal::new(None::<CallError>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let decide = move |decision: SandboxDecision| {
        let id = session_id();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::sandbox_decide(&id, decision).await {
                Ok(s) if decision == SandboxDecision::Approve => {
                    navigate(&paths::order(&s.order_id), Default::default());
                }
                // The cart lives in the shop bundle: a full page load.
                Ok(_) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(paths::CART_DECLINED);
                    }
                }
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let approve = {
        let decide = decide.clone();
        move |_| decide(SandboxDecision::Approve)
    };
    let decline = move |_| decide(SandboxDecision::Decline);
    view! {
        <section class="sandbox-pay">
            <h1>{t("Paiement de test", "Test payment")}</h1>
            <p class="muted">{t("Prestataire hors ligne : aucune carte n'est débitée.", "Offline provider: no card is charged.")}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match session.await {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(s) => view! {
                            <dl class="totals">
                                <dt>{t("Montant", "Amount")}</dt><dd class="grand" id="pay-amount">{move || text::money(s.amount)}</dd>
                                <dt>"E-mail"</dt><dd>{s.email.to_string()}</dd>
                            </dl>
                        }.into_any(),
                    }
                })}
            </Suspense>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div class="actions">
                <button class="button button-primary" id="approve" on:click=approve disabled=move || busy.get()>
                    {t("Approuver le paiement", "Approve the payment")}
                </button>
                <button class="button" id="decline" on:click=decline disabled=move || busy.get()>
                    {t("Refuser le paiement", "Decline the payment")}
                </button>
            </div>
        </section>
    }
}
