//! Widgets shared by several pages.

pub mod header;

use leptos::prelude::*;

use crate::api::CallError;

/// A failed call, said in words.
#[component]
pub fn ErrorNotice(error: CallError) -> impl IntoView {
    view! { <p class="notice notice-error" role="alert">{crate::text::error(&error)}</p> }
}
