//! Cellstack's isomorphic crate: the whole UI (server-rendered, then hydrated in the
//! browser), the server functions it calls, and the pure code both sides share.
//!
//! Where things live:
//! - routes and the page shell: this file; pages in [`pages`], reusable UI in [`components`]
//! - server functions (thin: check the user, call the domain, map errors): [`api`]
//! - the CSV importer (runs in the browser and on the server): [`import`]
//! - research result types and shared data types: [`research`], [`model`]
//! - database queries, sessions and domain rules (server only): `server`

#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod analyzer;
pub mod api;
pub mod components;
pub mod error;
pub mod import;
pub mod model;
pub mod pages;
pub mod research;
#[cfg(feature = "ssr")]
pub mod server;
pub mod testdata;

use components::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/cellstack.css" />
        <Title formatter=|t: String| if t.is_empty() { "Cellstack".to_string() } else { format!("{t} · Cellstack") } />
        <Router>
            <Layout>
                // Pages of one record render whole before they are sent (`Async`), so a record
                // that is not the user's answers 404, not a 200 page saying "not found".
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::HomePage />
                    <Route path=path!("/signup") view=pages::auth::SignupPage />
                    <Route path=path!("/login") view=pages::auth::LoginPage />
                    <Route path=path!("/logout") view=pages::auth::LogoutPage />
                    <Route path=path!("/account") view=pages::account::AccountPage />
                    <Route path=path!("/privacy") view=pages::privacy::PrivacyPage />
                    <Route path=path!("/campaigns") view=pages::campaigns::CampaignsPage />
                    <Route path=path!("/campaigns/new") view=pages::campaign_form::CampaignNewPage />
                    <Route path=path!("/campaigns/:id") view=pages::campaign::CampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id/edit") view=pages::campaign_form::CampaignEditPage ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:id/leads/:lead") view=pages::lead::LeadPage ssr=SsrMode::Async />
                    <Route path=path!("/profiles") view=pages::profiles::ProfilesPage />
                    <Route path=path!("/profiles/new") view=pages::profiles::ProfileNewPage />
                    <Route path=path!("/profiles/:id") view=pages::profiles::ProfileEditPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
