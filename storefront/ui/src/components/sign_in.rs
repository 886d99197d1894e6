//! The e-mail + password form both the customer portal and the staff area
//! sign in with, and the parsing both sign-up forms share.

use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Password, SignIn};
use comptoir_shared::ids::Email;
use leptos::prelude::*;

use crate::api::{self, CallError};
use crate::components::ErrorNotice;
use crate::i18n::t;

/// A new account's e-mail and password, or the first field at fault.
pub fn credentials(email: &str, password: &str) -> Result<(Email, Password), ApiError> {
    let email = Email::parse(email).map_err(|e| e.on("email"))?;
    let password = Password::parse(password).map_err(|e| e.on("password"))?;
    Ok((email, password))
}

/// Signs in; `done` gets the account once the session cookie is set.
#[component]
pub fn SignInForm(done: Callback<Account>) -> impl IntoView {
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
        leptos::task::spawn_local(async move {
            match api::sign_in(&body).await {
                Ok(account) => done.run(account),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form on:submit=submit novalidate>
            <div class="field">
                <label for="email">{t("Adresse e-mail", "E-mail address")}</label>
                <input id="email" type="email" autocomplete="username" required
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
    }
}
