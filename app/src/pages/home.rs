//! `/`: the landing page for visitors; signed-in users go on to their campaigns.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Redirect};

use crate::components::session::use_session;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="" />
        <Transition fallback=|| ()>
            {move || session.user.get().map(|u| match u {
                Ok(Some(_)) => view! { <Redirect path="/campaigns" /> }.into_any(),
                _ => view! { <Landing /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Landing() -> impl IntoView {
    view! {
        <section class="hero">
            <p class="eyebrow">"Open-source lead research"</p>
            <h1>"Know which accounts to call first — and why."</h1>
            <p class="lead">
                "Describe who you sell to, drop in a CSV of companies, and watch every row get a fit score with its reasons, buy signals with their sources, contacts, and a first outreach draft in your own voice."
            </p>
            <div class="hero-actions">
                <A href="/signup" attr:class="btn btn-primary btn-lg">"Create a free account"</A>
                <A href="/login" attr:class="btn btn-lg">"Sign in"</A>
            </div>
        </section>
        <section class="features">
            <div class="feature">
                <h2>"Every score explained"</h2>
                <p>"Each criterion of your ideal customer gets a verdict — match, partial, no or unknown — with the cell or page it came from."</p>
            </div>
            <div class="feature">
                <h2>"Nothing invented"</h2>
                <p>"Signals and contacts are kept only when their source was actually retrieved. No evidence means an honest “unknown”."</p>
            </div>
            <div class="feature">
                <h2>"Your keys, or none"</h2>
                <p>"Runs with the built-in rule-based analyzer out of the box; connect OpenAI, any compatible server such as Ollama, and Exa when you want."</p>
            </div>
        </section>
    }
}
