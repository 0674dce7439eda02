use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Shown for any address the app does not know (with status 404 on the server).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="empty-state">
            <p class="eyebrow">"404"</p>
            <h1>"This page does not exist"</h1>
            <p class="muted">"The address may be mistyped, or the page was removed."</p>
            <A href="/" attr:class="btn btn-primary">"Go to the start page"</A>
        </section>
    }
}

/// Shown when a page's data could not be loaded.
#[component]
pub fn ErrorPanel(message: String) -> impl IntoView {
    view! {
        <section class="empty-state" role="alert">
            <p class="eyebrow">"Something went wrong"</p>
            <h1>{message}</h1>
            <A href="/" attr:class="btn">"Back to the start page"</A>
        </section>
    }
}
