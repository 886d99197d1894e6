//! The support inbox: threads by status, first-response time, and a thread
//! page where a reply goes straight to the customer's portal.

use comptoir_shared::ids::OpaqueId;
use comptoir_shared::support::{
    MessageAuthor, MessageBody, NewMessage, SetThreadStatus, SupportThread, ThreadStatus,
};
use comptoir_ui::api::CallError;
use comptoir_ui::components::ErrorNotice;
use comptoir_ui::text;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{hours, value};
use crate::{api, load, shown};

fn status_label(s: ThreadStatus) -> &'static str {
    match s {
        ThreadStatus::Open => "À traiter",
        ThreadStatus::Pending => "En attente du client",
        ThreadStatus::Closed => "Clos",
    }
}

/// `/admin/support`
#[component]
pub fn InboxPage() -> impl IntoView {
    let status = RwSignal::new("open".to_owned());
    let (typed, words) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let threads = load(move || {
        let q = api::query(&[("status", status.get()), ("q", words.get())]);
        async move { api::inbox(&q).await }
    });
    view! {
        <h1>"Support"</h1>
        <div class="field field-inline">
            <label for="thread-status">"Fils"</label>
            <select id="thread-status" on:change=move |ev| status.set(value(&ev))>
                {ThreadStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{status_label(s)}</option> }).collect_view()}
                <option value="">"Tous"</option>
            </select>
        </div>
        <form class="inline-form" role="search" on:submit=move |ev| { ev.prevent_default(); words.set(typed.get_untracked()) }>
            <label for="inbox-q">"Rechercher (sujet, message, e-mail)"</label>
            <input id="inbox-q" type="search" on:input=move |ev| typed.set(value(&ev))/>
            <button type="submit" class="button">"Chercher"</button>
        </form>
        {shown(threads, |list| view! {
            <table class="cart-table" id="inbox">
                <thead><tr><th scope="col">"Sujet"</th><th scope="col">"Client"</th><th scope="col">"Dernier message"</th>
                    <th scope="col">"Messages"</th><th scope="col">"Première réponse"</th><th scope="col">"Statut"</th></tr></thead>
                <tbody>
                    {list.into_iter().map(|t| view! {
                        <tr>
                            <td><a href=format!("/admin/support/{}", t.id)>{t.subject}</a></td>
                            <td>{t.customer_email.to_string()}</td>
                            <td>{text::date_time(t.last_message_at_ms)}</td>
                            <td>{t.message_count}</td>
                            <td>{hours(t.first_response_ms)}</td>
                            <td>{status_label(t.status)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

/// `/admin/support/:id`
#[component]
pub fn ThreadPage() -> impl IntoView {
    let params = use_params_map();
    let current = RwSignal::new(None::<comptoir_ui::api::CallResult<SupportThread>>);
    Effect::new(move || {
        let raw = params.with(|p| p.get("id").unwrap_or_default());
        leptos::task::spawn_local(async move {
            current.set(Some(match OpaqueId::parse(&raw) {
                Ok(id) => api::thread(&id).await,
                Err(_) => Err(CallError::Api(comptoir_shared::ApiError::not_found(
                    "thread",
                ))),
            }));
        });
    });
    view! { {shown(current, move |t| view! { <Thread t current/> })} }
}

#[component]
fn Thread(
    t: SupportThread,
    current: RwSignal<Option<comptoir_ui::api::CallResult<SupportThread>>>,
) -> impl IntoView {
    let id = StoredValue::new(t.id.clone());
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CallError>);
    let answered = move |r: comptoir_ui::api::CallResult<SupportThread>| match r {
        Ok(t) => {
            error.set(None);
            typed.set(String::new());
            current.set(Some(Ok(t)));
        }
        Err(e) => error.set(Some(e)),
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = match MessageBody::parse(&typed.get_untracked()) {
            Ok(b) => NewMessage { body: b },
            Err(e) => return error.set(Some(CallError::Api(e.on("body")))),
        };
        leptos::task::spawn_local(
            async move { answered(api::reply(&id.get_value(), &body).await) },
        );
    };
    let set = move |status: ThreadStatus| {
        leptos::task::spawn_local(async move {
            answered(api::set_thread_status(&id.get_value(), &SetThreadStatus { status }).await)
        });
    };
    view! {
        <h1>{t.subject.clone()}</h1>
        <p>
            {t.customer_email.to_string()}
            {t.order_id.clone().map(|o| view! { " — "<a href=format!("/admin/commandes/{o}")>"commande "{o.short().to_owned()}</a> })}
            " — "<strong id="thread-status-now">{status_label(t.status)}</strong>
            " — première réponse : "{hours(t.first_response_ms)}
        </p>
        <ol class="messages" id="thread-messages">
            {t.messages.into_iter().map(|m| {
                let staff = m.author == MessageAuthor::Staff;
                view! {
                    <li class:mine=staff class:theirs=!staff>
                        <p class="muted"><strong>{m.author_name}</strong>" — "{text::date_time(m.at_ms)}</p>
                        <p class="message-body">{m.body}</p>
                    </li>
                }
            }).collect_view()}
        </ol>
        <form on:submit=send class="narrow">
            <label for="reply">"Réponse (visible par le client dans son espace)"</label>
            <textarea id="reply" rows="4" prop:value=move || typed.get() on:input=move |ev| typed.set(value(&ev))></textarea>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div class="actions">
                <button type="submit" class="button button-primary" id="send-reply">"Répondre"</button>
                <button type="button" class="button" id="close-thread" on:click=move |_| set(ThreadStatus::Closed)>"Clore"</button>
                <button type="button" class="button" id="reopen-thread" on:click=move |_| set(ThreadStatus::Open)>"Rouvrir"</button>
            </div>
        </form>
    }
}
