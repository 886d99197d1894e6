//! The offline sandbox payment page: approve or decline, as a card would.

use comptoir_shared::payment::SandboxDecision;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::CallError;
use crate::components::ErrorNotice;
use crate::text;

/// `/pay/:session`
#[component]
pub fn PayPage() -> impl IntoView {
    let params = use_params_map();
    let session_id = move || params.with(|p| p.get("session").unwrap_or_default());
    let session = LocalResource::new(move || {
        let id = session_id();
        async move { crate::api::sandbox_session(&id).await }
    });
    let error = RwSignal::new(None::<CallError>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let decide = move |decision: SandboxDecision| {
        let id = session_id();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match crate::api::sandbox_decide(&id, decision).await {
                Ok(s) if decision == SandboxDecision::Approve => {
                    navigate(&format!("/commandes/{}", s.order_id), Default::default());
                }
                Ok(_) => navigate("/panier?paiement=refuse", Default::default()),
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
            <h1>"Paiement de test"</h1>
            <p class="muted">"Prestataire hors ligne : aucune carte n'est débitée."</p>
            <Suspense fallback=|| view! { <p>{text::LOADING}</p> }>
                {move || Suspend::new(async move {
                    match session.await {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(s) => view! {
                            <dl class="totals">
                                <dt>"Montant"</dt><dd class="grand" id="pay-amount">{text::money(s.amount)}</dd>
                                <dt>"E-mail"</dt><dd>{s.email.to_string()}</dd>
                            </dl>
                        }.into_any(),
                    }
                })}
            </Suspense>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div class="actions">
                <button class="button button-primary" id="approve" on:click=approve disabled=move || busy.get()>
                    "Approuver le paiement"
                </button>
                <button class="button" id="decline" on:click=decline disabled=move || busy.get()>
                    "Refuser le paiement"
                </button>
            </div>
        </section>
    }
}
