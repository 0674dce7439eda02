use leptos::prelude::*;

/// A coloured label for a campaign or lead status.
#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let class = format!("status status-{status}");
    view! { <span class=class>{status}</span> }
}
