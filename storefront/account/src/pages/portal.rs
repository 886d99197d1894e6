//! The customer portal's home: who is signed in, their orders, a new
//! e-mail verification link on request, the password change and sign-out.

use comptoir_shared::account::{ChangePassword, Password};
use comptoir_ui::api::{self, CallError};
use comptoir_ui::components::{ErrorNotice, Loading, SignedIn};
use comptoir_ui::i18n::{lang, t};
use comptoir_ui::state::Session;
use comptoir_ui::{paths, text};
use leptos::prelude::*;

/// `/compte`
#[component]
pub fn PortalPage() -> impl IntoView {
    view! {
        <SignedIn children=|account| view! {
            <h1>{t("Mon compte", "My account")}</h1>
            <p id="signed-in-as">
                {move || lang().pick("Connecté en tant que ", "Signed in as ")}
                <strong>{account.email.to_string()}</strong>
            </p>
            <Orders/>
            <section aria-labelledby="verify-title">
                <h2 id="verify-title">{t("Adresse e-mail", "E-mail address")}</h2>
                <p class="muted">{t(
                    "Vos commandes passées sans compte avec cette adresse rejoignent votre compte une fois l'adresse vérifiée par le lien reçu.",
                    "Orders placed as a guest with this address join your account once the address is verified with the link we sent.",
                )}</p>
                <super::verify::Resend/>
            </section>
            <PasswordForm/>
            <SignOut/>
        }/>
    }
}

#[component]
fn Orders() -> impl IntoView {
    let orders = LocalResource::new(api::my_orders);
    view! {
        <section aria-labelledby="orders-title">
            <h2 id="orders-title">{t("Mes commandes", "My orders")}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match orders.await {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">{t("Aucune commande pour l'instant.", "No order yet.")}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <table class="cart-table" id="order-history">
                                <thead><tr>
                                    <th scope="col">{t("Date", "Date")}</th><th scope="col">{t("Commande", "Order")}</th>
                                    <th scope="col">{t("Statut", "Status")}</th><th scope="col">"Total"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|o| {
                                        let (at, status, total) = (o.created_at_ms, o.status, o.totals.total);
                                        let short = o.id.short().to_owned();
                                        view! {
                                            <tr>
                                                <td>{move || text::date_time(at)}</td>
                                                <td><a href=paths::order(&o.id)>{short}</a></td>
                                                <td>{move || text::status(status)}</td>
                                                <td>{move || text::money(total)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<CallError>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new_password = match Password::parse(&new.get_untracked()) {
            Ok(p) => p,
            Err(e) => return error.set(Some(CallError::Api(e.on("new_password")))),
        };
        let body = ChangePassword {
            current: current.get_untracked(),
            new: new_password,
        };
        leptos::task::spawn_local(async move {
            match api::change_password(&body).await {
                Ok(()) => {
                    error.set(None);
                    done.set(true);
                    current.set(String::new());
                    new.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="password-title">
            <h2 id="password-title">{t("Changer de mot de passe", "Change password")}</h2>
            <form class="narrow" on:submit=submit novalidate>
                <div class="field">
                    <label for="current-password">{t("Mot de passe actuel", "Current password")}</label>
                    <input id="current-password" type="password" autocomplete="current-password"
                        prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new-password">{t("Nouveau mot de passe (10 caractères au moins)", "New password (10 characters or more)")}</label>
                    <input id="new-password" type="password" autocomplete="new-password" minlength="10"
                        prop:value=move || new.get() on:input=move |ev| new.set(event_target_value(&ev))/>
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                {move || done.get().then(|| view! {
                    <p class="notice notice-ok" role="status" id="password-changed">{t("Mot de passe changé.", "Password changed.")}</p>
                })}
                <button type="submit" class="button" id="change-password">{t("Changer", "Change")}</button>
            </form>
        </section>
    }
}

#[component]
fn SignOut() -> impl IntoView {
    let session = expect_context::<Session>();
    let error = RwSignal::new(None::<CallError>);
    let out = move |_| {
        leptos::task::spawn_local(async move {
            match api::sign_out().await {
                Ok(()) => session.account.set(None),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        <button type="button" class="button button-link" id="sign-out" on:click=out>{t("Se déconnecter", "Sign out")}</button>
    }
}
