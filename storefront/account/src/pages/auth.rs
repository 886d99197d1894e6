//! Sign in and sign up. Both answer with the account and set the HttpOnly
//! session cookie; the page then goes where the shopper was heading
//! (`?retour=/compte/commande`), or to the portal.

use comptoir_shared::account::{Account, SignUp};
use comptoir_ui::api::{self, CallError};
use comptoir_ui::components::{ErrorNotice, SignInForm, credentials, with_return};
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

/// `page` (sign in or sign up), still heading where the shopper was: who
/// came to sign in from the verification link and signs up instead comes
/// back to it too.
fn onward(page: &'static str) -> String {
    match use_query_map().with_untracked(|q| q.get("retour")) {
        Some(next) => with_return(page, &destination(Some(next))),
        None => page.to_owned(),
    }
}

/// Remembers the account and goes where the shopper was heading.
fn arrive(session: Session) -> Callback<Account> {
    let query = use_query_map();
    let navigate = use_navigate();
    let next = destination(query.with_untracked(|q| q.get("retour")));
    Callback::new(move |account: Account| {
        session.account.set(Some(account));
        session.known.set(true);
        navigate(&next, Default::default());
    })
}

/// `/compte/connexion`
#[component]
pub fn SignInPage() -> impl IntoView {
    let done = arrive(expect_context::<Session>());
    view! {
        <section class="auth">
            <h1>{t("Connexion", "Sign in")}</h1>
            <SignInForm done/>
            <p>{t("Pas encore de compte ? ", "No account yet? ")}<a href=onward(paths::SIGN_UP) id="sign-up-link">{t("Créer un compte", "Create an account")}</a></p>
        </section>
    }
}

/// `/compte/inscription`
#[component]
pub fn SignUpPage() -> impl IntoView {
    let done = arrive(expect_context::<Session>());
    let (name, email, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<CallError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (email, password) = match credentials(&email.get_untracked(), &password.get_untracked())
        {
            Ok(p) => p,
            Err(e) => return error.set(Some(CallError::Api(e))),
        };
        let body = SignUp {
            email,
            password,
            name: name.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::sign_up(&body).await {
                Ok(account) => done.run(account),
                Err(e) => error.set(Some(e)),
            }
        });
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
            <p>{t("Déjà client ? ", "Already a customer? ")}<a href=onward(paths::SIGN_IN)>{t("Se connecter", "Sign in")}</a></p>
        </section>
    }
}
