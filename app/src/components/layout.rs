//! The frame of every page: header with product name and navigation, main area, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use super::session::provide_session;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = provide_session();
    let nav = move || {
        session.user.get().map(|user| match user {
            Ok(Some(user)) => view! {
                <nav class="nav" aria-label="Main">
                    <A href="/campaigns">"Campaigns"</A>
                    <A href="/profiles">"Profiles"</A>
                    <A href="/account">"Account"</A>
                    <span class="nav-user" title="Signed in">{user.email}</span>
                    <ActionForm action=session.logout attr:class="inline">
                        <button type="submit" class="btn btn-ghost">"Sign out"</button>
                    </ActionForm>
                </nav>
            }
            .into_any(),
            _ => view! {
                <nav class="nav" aria-label="Main">
                    <A href="/login">"Sign in"</A>
                    <A href="/signup" attr:class="btn btn-primary">"Create account"</A>
                </nav>
            }
            .into_any(),
        })
    };
    view! {
        <div class="app">
            <header class="topbar">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"▦"</span>
                    " Cellstack"
                </A>
                <Transition fallback=|| view! { <nav class="nav"></nav> }>{nav}</Transition>
            </header>
            <main class="main">{children()}</main>
            <footer class="footer">
                <span>"Cellstack — open lead research you can run yourself."</span>
                <a href="/privacy">"Privacy"</a>
                <a href="/healthz" rel="external">"Status"</a>
            </footer>
        </div>
    }
}
