//! Sign-up, sign-in and sign-out pages. Plain forms (`name="email"`, `name="password"`)
//! that work before the page hydrates; with JavaScript, errors appear in place.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::form::{FieldMsg, FormError, action_error};
use crate::components::session::use_session;

fn next_param() -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.read().get("next").unwrap_or_else(|| "/".to_string()))
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = use_session().signup;
    let error = action_error(action.value());
    let next = next_param();
    let password = RwSignal::new(String::new());
    let hint = move || {
        let n = password.with(|p| p.chars().count());
        match n {
            0 => "At least 10 characters.".to_string(),
            n if n < 10 => format!("At least 10 characters — {} to go.", 10 - n),
            n if n > 1024 => "At most 1024 characters.".to_string(),
            _ => "Looks good.".to_string(),
        }
    };
    let hint_ok = move || password.with(|p| (10..=1024).contains(&p.chars().count()));
    view! {
        <Title text="Create your account" />
        <section class="auth-card">
            <h1>"Create your account"</h1>
            <p class="muted">"Score your first campaign in minutes. No credit card, no AI key needed."</p>
            <FormError error />
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="next" value=next />
                <label for="email">"Work email"</label>
                <input id="email" name="email" type="email" autocomplete="email" required />
                <FieldMsg error field="email" />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="10"
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                <p class="hint" class:hint-ok=hint_ok data-testid="password-hint">{hint}</p>
                <FieldMsg error field="password" />
                <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating…" } else { "Create account" }}
                </button>
            </ActionForm>
            <p class="muted">"Already have an account? " <A href="/login">"Sign in"</A></p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = use_session().login;
    let error = action_error(action.value());
    let next = next_param();
    view! {
        <Title text="Sign in" />
        <section class="auth-card">
            <h1>"Sign in"</h1>
            <FormError error />
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="next" value=next />
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="email" required />
                <FieldMsg error field="email" />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <FieldMsg error field="password" />
                <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="muted">"New here? " <A href="/signup">"Create an account"</A></p>
        </section>
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Sign out" />
        <section class="auth-card">
            <h1>"Sign out"</h1>
            <p class="muted">"This ends your session on this device."</p>
            <ActionForm action=session.logout attr:class="stack">
                <button type="submit" class="btn btn-primary">"Sign out"</button>
            </ActionForm>
        </section>
    }
}
