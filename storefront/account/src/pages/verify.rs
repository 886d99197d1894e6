//! `/compte/verifier?token=…`: the page an e-mail verification link opens.
//! The token is accepted only from a session of the account it names (a
//! link proves the mailbox, not who created the account), so a visitor who
//! is not signed in is asked to sign in first and comes back here, token
//! and all (`?retour=`). Signed in, it posts the token and says what
//! happened; a customer whose link expired asks for a new one from here.

use comptoir_shared::ApiError;
use comptoir_shared::account::VerifyEmail;
use comptoir_ui::api::{self, CallError};
use comptoir_ui::components::{ErrorNotice, Loading, sign_in_here};
use comptoir_ui::i18n::t;
use comptoir_ui::paths;
use comptoir_ui::state::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/compte/verifier`
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let session = expect_context::<Session>();
    view! {
        <section aria-labelledby="verify-title">
            <h1 id="verify-title">{t("Vérification de votre adresse e-mail", "Verifying your e-mail address")}</h1>
            {move || match (session.known.get(), session.account.get().is_some()) {
                (false, _) => view! { <Loading/> }.into_any(),
                (true, true) => view! { <Verify token=token.clone()/> }.into_any(),
                (true, false) => view! { <SignInFirst/> }.into_any(),
            }}
        </section>
    }
}

/// Not signed in: the link works only from the account it was sent for.
#[component]
fn SignInFirst() -> impl IntoView {
    view! {
        <p class="notice" id="verify-sign-in" role="status">
            {t(
                "Pour confirmer cette adresse, connectez-vous au compte créé avec elle : vous reviendrez ensuite ici. ",
                "To confirm this address, sign in to the account created with it: you will then come back here. ",
            )}
            <a href=sign_in_here() id="verify-sign-in-link">{t("Se connecter", "Sign in")}</a>
        </p>
        <p class="muted">{t(
            "Si vous n'avez pas créé de compte avec cette adresse, ignorez ce lien : il ne fait rien sans connexion.",
            "If you did not create an account with this address, ignore this link: it does nothing without signing in.",
        )}</p>
    }
}

/// Signed in: posts the token and says what happened.
#[component]
fn Verify(token: String) -> impl IntoView {
    let answer = LocalResource::new(move || {
        let body = VerifyEmail {
            token: token.clone(),
        };
        async move { api::verify_email(&body).await }
    });
    view! {
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
                    Err(CallError::Api(ApiError::Forbidden)) => view! {
                        <p class="notice notice-error" id="verify-other-account" role="alert">
                            {t("Ce lien a été envoyé pour un autre compte que celui connecté : déconnectez-vous, \
                                puis connectez-vous au compte créé avec cette adresse.",
                               "This link was sent for another account than the one signed in: sign out, then \
                                sign in to the account created with this address.")}
                        </p>
                    }.into_any(),
                    Err(CallError::Api(ApiError::Unauthorized)) => view! { <SignInFirst/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
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
                    <a href=sign_in_here()>{t("connexion", "sign in")}</a>
                </p>
            }.into_any()),
            Some(Err(e)) => Some(view! { <ErrorNotice error=e/> }.into_any()),
        }}
    }
}
