//! Staff accounts: admins create them, change roles, disable them (which
//! ends their sessions). The last active admin cannot be removed.

use comptoir_shared::account::{NewStaff, Role, StaffMember, UpdateStaff};
use comptoir_ui::api::CallError;
use comptoir_ui::components::{ErrorNotice, credentials};
use leptos::prelude::*;

use super::value;
use crate::{api, load, shown};

const ROLES: [Role; 4] = [Role::Admin, Role::Support, Role::Warehouse, Role::Finance];

/// `/admin/equipe`
#[component]
pub fn TeamPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let members = load(move || {
        version.track();
        api::staff()
    });
    let error = RwSignal::new(None::<CallError>);
    let reload = move |r: comptoir_ui::api::CallResult<StaffMember>| match r {
        Ok(_) => {
            error.set(None);
            version.update(|v| *v += 1);
        }
        Err(e) => {
            error.set(Some(e));
            // Redraw from the server so a refused role does not stay selected.
            version.update(|v| *v += 1);
        }
    };
    let (email, password, name, role) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(Role::Support),
    );
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (email, password) = match credentials(&email.get_untracked(), &password.get_untracked())
        {
            Ok(p) => p,
            Err(e) => return error.set(Some(CallError::Api(e))),
        };
        let body = NewStaff {
            email,
            password,
            role: role.get_untracked(),
            name: name.get_untracked(),
        };
        leptos::task::spawn_local(async move { reload(api::create_staff(&body).await) });
    };
    view! {
        <h1>"Équipe"</h1>
        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        {shown(members, move |list: Vec<StaffMember>| view! {
            <table class="cart-table" id="staff-list">
                <thead><tr><th scope="col">"Membre"</th><th scope="col">"Rôle"</th><th scope="col">"État"</th></tr></thead>
                <tbody>
                    {list.into_iter().map(|m| {
                        let id = StoredValue::new(m.id.clone());
                        let update = move |body: UpdateStaff| leptos::task::spawn_local(async move { reload(api::update_staff(&id.get_value(), &body).await) });
                        view! {
                            <tr>
                                <td>{m.email.to_string()}" "{m.name}</td>
                                <td>
                                    <label class="sr-only" for=format!("role-{}", m.id)>"Rôle"</label>
                                    <select id=format!("role-{}", m.id) on:change=move |ev| {
                                        if let Some(r) = Role::parse(&value(&ev)) { update(UpdateStaff { role: Some(r), disabled: None }) }
                                    }>
                                        {ROLES.into_iter().map(|r| view! { <option value=r.as_str() selected=r == m.role>{r.as_str()}</option> }).collect_view()}
                                    </select>
                                </td>
                                <td>
                                    <button type="button" class="button button-link" on:click=move |_| update(UpdateStaff { role: None, disabled: Some(!m.disabled) })>
                                        {if m.disabled { "Désactivé — réactiver" } else { "Actif — désactiver" }}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <h2>"Nouveau membre"</h2>
        <form class="grid-form" on:submit=create>
            <div class="field"><label for="new-email">"E-mail"</label><input id="new-email" type="email" on:input=move |ev| email.set(value(&ev))/></div>
            <div class="field"><label for="new-name">"Nom"</label><input id="new-name" on:input=move |ev| name.set(value(&ev))/></div>
            <div class="field"><label for="new-password">"Mot de passe initial (10 caractères au moins)"</label><input id="new-password" type="password" autocomplete="new-password" on:input=move |ev| password.set(value(&ev))/></div>
            <div class="field"><label for="new-role">"Rôle"</label>
                <select id="new-role" on:change=move |ev| if let Some(r) = Role::parse(&value(&ev)) { role.set(r) }>
                    {ROLES.into_iter().map(|r| view! { <option value=r.as_str() selected=r == Role::Support>{r.as_str()}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button-primary">"Créer"</button>
        </form>
    }
}
