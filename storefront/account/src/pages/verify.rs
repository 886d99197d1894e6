//! `/compte/verifier?token=…`: the page an e-mail verification link opens.
//! It posts the token (no session needed: the link may be opened in another
//! browser) and says what happened; a customer whose link expired asks for
//! a new one from here once signed in.

use comptoir_shared::ApiError;
use comptoir_shared::account::VerifyEmail;
use comptoir_ui::api::{self, CallError};
use comptoir_ui::components::{ErrorNotice, Loading};
use comptoir_ui::i18n::t;
use comptoir_ui::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/compte/verifier`
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let answer = LocalResource::new(move || {
        let body = VerifyEmail {
            token: token.clone(),
        };
        async move { api::verify_email(&body).await }
    });
    view! {
        <section aria-labelledby="verify-title">
            <h1 id="verify-title">{t("Vérification de votre adresse e-mail", "Verifying your e-mail address")}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match answer.await {
                        Ok(v) => view! {
                            <p class="notice" id="verify-done" role="status">
                                {t("Adresse vérifiée : ", "Address verified: ")}<strong>{v.email.to_string()}</strong>". "
                                {(v.attached_orders > 0).then(|| t(
                                    "Vos commandes passées sans compte avec cette adresse sont maintenant dans votre compte.",
                                    "Your orders placed as a guest with this address are now in your account.",
                                ))}
                            </p>
                            <p><a href=paths::ACCOUNT>{t("Aller à mon compte", "Go to my account")}</a></p>
                        }.into_any(),
                        Err(CallError::Api(ApiError::Validation { .. })) => view! {
                            <p class="notice notice-error" id="verify-expired" role="alert">
                                {t("Ce lien a expiré ou n'est pas complet. ", "This link has expired or is incomplete. ")}
                            </p>
                            <Resend/>
                        }.into_any(),
                        Err(CallError::Api(ApiError::InvalidSignature)) => view! {
                            <p class="notice notice-error" id="verify-refused" role="alert">
                                {t("Ce lien n'est pas valable (l'adresse du compte a peut-être changé depuis).",
                                   "This link is not valid (the account's address may have changed since).")}
                            </p>
                            <Resend/>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Sends a new link to the signed-in customer (also on the portal's home).
#[component]
pub fn Resend() -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<String, CallError>>);
    let resend = move |_| {
        leptos::task::spawn_local(async move {
            outcome.set(Some(
                api::request_verification()
                    .await
                    .map(|s| s.email.to_string()),
            ));
        });
    };
    view! {
        <p>
            <button type="button" class="button" id="verify-resend" on:click=resend>
                {t("Recevoir un nouveau lien", "Send me a new link")}
            </button>
        </p>
        {move || match outcome.get() {
            None => None,
            Some(Ok(email)) => Some(view! {
                <p class="notice" role="status">{t("Un nouveau lien est parti à ", "A new link was sent to ")}{email}</p>
            }.into_any()),
            Some(Err(CallError::Api(ApiError::Conflict { .. }))) => Some(view! {
                <p class="notice" role="status">{t("Votre adresse est déjà vérifiée.", "Your address is already verified.")}</p>
            }.into_any()),
            Some(Err(CallError::Api(ApiError::Unauthorized))) => Some(view! {
                <p class="notice" role="status">
                    {t("Connectez-vous d'abord : ", "Sign in first: ")}
                    <a href=paths::SIGN_IN>{t("connexion", "sign in")}</a>
                </p>
            }.into_any()),
            Some(Err(e)) => Some(view! { <ErrorNotice error=e/> }.into_any()),
        }}
    }
}
