//! `/account`: plan and usage, password change, data export, account deletion.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::{ChangePassword, get_account_overview};
use crate::components::form::{FieldMsg, FormError, action_error};
use crate::model::{AccountOverview, plural};
use crate::pages::not_found::ErrorPanel;

#[component]
pub fn AccountPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_account_overview());
    view! {
        <Title text="Account" />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || overview.get().map(|r| match r {
                Ok(o) => view! { <AccountView o /> }.into_any(),
                Err(e) => view! { <ErrorPanel message=e.to_string() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AccountView(o: AccountOverview) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let change_error = action_error(change.value());
    let delete = crate::components::session::use_session().delete_account;
    let delete_error = action_error(delete.value());
    let u = o.usage.clone();
    let pct = (u.campaigns_this_month * 100).checked_div(u.campaigns_per_month).unwrap_or(100).min(100);
    view! {
        <div class="page-head">
            <h1>"Account"</h1>
            <p class="muted">{o.user.email.clone()} " · member since " {o.member_since.clone()}</p>
        </div>
        <div class="grid-2">
            <section class="card">
                <h2>"Plan and usage"</h2>
                <p>
                    <span class="badge">{u.plan.clone()}</span>
                    " " {u.campaigns_per_month} " campaigns a month, up to "
                    {u.companies_per_campaign} " companies each."
                </p>
                <p data-testid="usage">
                    {u.campaigns_this_month} " of " {u.campaigns_per_month} " campaigns used in " {u.month.clone()} "."
                </p>
                <div class="meter" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=pct>
                    <span style=format!("width:{pct}%")></span>
                </div>
                <p class="muted">{plural(u64::from(o.profiles), "company profile")} " · " {plural(u64::from(o.campaigns), "campaign")}</p>
            </section>
            <section class="card">
                <h2>"Your data"</h2>
                <p>"Download everything you have stored here — profiles, campaigns, companies, results and every outreach version — as one JSON file."</p>
                <a class="btn" href="/api/account/export.json" download="cellstack-export.json" rel="external">"Export all my data"</a>
            </section>
            <section class="card">
                <h2>"Change password"</h2>
                <FormError error=change_error />
                {move || matches!(change.value().get(), Some(Ok(_))).then(|| {
                    let n = change.value().get().and_then(|r| r.ok()).unwrap_or(0);
                    view! { <div class="alert alert-ok" role="status">"Password changed. " {n} " other sessions were signed out."</div> }
                })}
                <ActionForm action=change attr:class="stack" attr:novalidate=true>
                    <label for="current_password">"Current password"</label>
                    <input id="current_password" name="current_password" type="password" autocomplete="current-password" required />
                    <FieldMsg error=change_error field="current_password" />
                    <label for="new_password">"New password"</label>
                    <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10" />
                    <FieldMsg error=change_error field="new_password" />
                    <button type="submit" class="btn">"Change password"</button>
                </ActionForm>
            </section>
            <section class="card card-danger">
                <h2>"Delete account"</h2>
                <p>"This removes your account and everything in it — profiles, campaigns, results — at once. It cannot be undone."</p>
                <FormError error=delete_error />
                <ActionForm action=delete attr:class="stack" attr:novalidate=true>
                    <label for="confirm_email">"Type your email to confirm"</label>
                    <input id="confirm_email" name="confirm_email" type="email" autocomplete="off" required placeholder=o.user.email.clone() />
                    <FieldMsg error=delete_error field="confirm_email" />
                    <button type="submit" class="btn btn-danger">"Delete my account"</button>
                </ActionForm>
            </section>
        </div>
    }
}
