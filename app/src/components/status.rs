use leptos::prelude::*;

/// A coloured label for a campaign or lead status.
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<String>) -> impl IntoView {
    view! { <span class=move || format!("status status-{}", status.get())>{move || status.get()}</span> }
}
