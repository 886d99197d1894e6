//! Sign in and sign up. Both answer with the account and set the HttpOnly
//! session cookie; the page then goes where the shopper was heading
//! (`?retour=/compte/commande`), or to the portal.

use comptoir_shared::account::{Password, SignIn, SignUp};
use comptoir_shared::ids::Email;
use comptoir_ui::api::{self, CallError, CallResult};
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::i18n::t;
use comptoir_ui::paths;
use comptoir_ui::state::Session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Where to go once signed in: a local path only, never another site.
fn destination(raw: Option<String>) -> String {
    raw.filter(|p| p.starts_with("/compte") && !p.starts_with("//"))
        .unwrap_or_else(|| paths::ACCOUNT.to_owned())
}

/// Shared by both forms: send, remember the account, move on.
fn finish(
    session: Session,
    error: RwSignal<Option<CallError>>,
    call: impl std::future::Future<Output = CallResult<comptoir_shared::account::Account>> + 'static,
) {
    let query = use_query_map();
    let navigate = use_navigate();
    let next = destination(query.with_untracked(|q| q.get("retour")));
    leptos::task::spawn_local(async move {
        match call.await {
            Ok(account) => {
                session.account.set(Some(account));
                session.known.set(true);
                navigate(&next, Default::default());
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// `/compte/connexion`
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<CallError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email = match Email::parse(&email.get_untracked()) {
            Ok(e) => e,
            Err(e) => return error.set(Some(CallError::Api(e.on("email")))),
        };
        let body = SignIn {
            email,
            password: password.get_untracked(),
        };
        finish(session, error, async move { api::sign_in(&body).await });
    };
    view! {
        <section class="auth">
            <h1>{t("Connexion", "Sign in")}</h1>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="email">{t("Adresse e-mail", "E-mail address")}</label>
                    <input id="email" type="email" autocomplete="email" required
                        on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="password">{t("Mot de passe", "Password")}</label>
                    <input id="password" type="password" autocomplete="current-password" required
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="button button-primary" id="sign-in">{t("Se connecter", "Sign in")}</button>
            </form>
            <p>{t("Pas encore de compte ? ", "No account yet? ")}<a href=paths::SIGN_UP>{t("Créer un compte", "Create an account")}</a></p>
        </section>
    }
}

/// `/compte/inscription`
#[component]
pub fn SignUpPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let (name, email, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<CallError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = Email::parse(&email.get_untracked())
            .map_err(|e| e.on("email"))
            .and_then(|email| {
                Password::parse(&password.get_untracked())
                    .map(|password| (email, password))
                    .map_err(|e| e.on("password"))
            });
        let (email, password) = match parsed {
            Ok(p) => p,
            Err(e) => return error.set(Some(CallError::Api(e))),
        };
        let body = SignUp {
            email,
            password,
            name: name.get_untracked(),
        };
        finish(session, error, async move { api::sign_up(&body).await });
    };
    view! {
        <section class="auth">
            <h1>{t("Créer un compte", "Create an account")}</h1>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="name">{t("Nom", "Name")}</label>
                    <input id="name" autocomplete="name" on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="email">{t("Adresse e-mail", "E-mail address")}</label>
                    <input id="email" type="email" autocomplete="email" required
                        on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="password">{t("Mot de passe (10 caractères au moins)", "Password (10 characters or more)")}</label>
                    <input id="password" type="password" autocomplete="new-password" minlength="10" required
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="button button-primary" id="sign-up">{t("Créer mon compte", "Create my account")}</button>
            </form>
            <p>{t("Déjà client ? ", "Already a customer? ")}<a href=paths::SIGN_IN>{t("Se connecter", "Sign in")}</a></p>
        </section>
    }
}
