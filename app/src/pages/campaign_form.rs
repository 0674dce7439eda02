//! `/campaigns/new` and `/campaigns/{id}/edit`: one well-laid-out page with the ICP,
//! personas, signal preferences and the profile to write as.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::api::campaigns::{CreateCampaign, UpdateCampaign, get_campaign};
use crate::api::profiles::list_profiles;
use crate::components::form::{FieldMsg, FormError};
use crate::components::list_editor::{ListEditor, TextList};
use crate::error::AppError;
use crate::model::CampaignInput;
use crate::pages::not_found::ErrorPanel;
use crate::research::Persona;

#[component]
pub fn CampaignNewPage() -> impl IntoView {
    view! { <CampaignForm id=None input=CampaignInput::default() /> }
}

#[component]
pub fn CampaignEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok());
    let campaign = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_campaign(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || campaign.get().map(|r| match r {
                Ok(c) => view! { <CampaignForm id=Some(c.id) input=c.input /> }.into_any(),
                Err(e) => view! { <ErrorPanel message=e.to_string() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct PersonaRow {
    key: u32,
    title: RwSignal<String>,
    description: RwSignal<String>,
}

#[component]
fn CampaignForm(id: Option<Uuid>, input: CampaignInput) -> impl IntoView {
    let name = RwSignal::new(input.name);
    let icp = RwSignal::new(input.icp);
    let start: Vec<Persona> =
        if input.personas.is_empty() { vec![Persona::default()] } else { input.personas };
    let personas = RwSignal::new(
        start
            .into_iter()
            .enumerate()
            .map(|(i, p)| PersonaRow {
                key: i as u32,
                title: RwSignal::new(p.title),
                description: RwSignal::new(p.description),
            })
            .collect::<Vec<_>>(),
    );
    let next_key = RwSignal::new(100u32);
    let funding_on = RwSignal::new(input.funding_months.is_some());
    let funding_months = RwSignal::new(input.funding_months.unwrap_or(12).to_string());
    let roles = TextList::new(input.hiring_roles);
    let tools = TextList::new(input.tools);
    let profile_id = RwSignal::new(input.profile_id.map(|p| p.to_string()).unwrap_or_default());
    let budget =
        RwSignal::new(input.budget_cents.map(|c| format!("{:.2}", c as f64 / 100.0)).unwrap_or_default());
    let profiles = Resource::new(|| (), |_| list_profiles());
    // A new campaign writes as the user's only profile unless they choose otherwise.
    if id.is_none() {
        Effect::new(move |_| {
            if let Some(Ok(list)) = profiles.get()
                && let [only] = list.as_slice()
                && profile_id.get_untracked().is_empty()
            {
                profile_id.set(only.id.to_string());
            }
        });
    }

    let create = ServerAction::<CreateCampaign>::new();
    let update = ServerAction::<UpdateCampaign>::new();
    let error = Signal::derive(move || match (create.value().get(), update.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e),
        _ => None,
    });
    let pending = move || create.pending().get() || update.pending().get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = create.value().get() {
            navigate(&format!("/campaigns/{new_id}"), Default::default());
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let (Some(Ok(started)), Some(id)) = (update.value().get(), id) {
            let offer = if started { "?rescore=1" } else { "" };
            navigate(&format!("/campaigns/{id}{offer}"), Default::default());
        }
    });

    let collect = move || CampaignInput {
        name: name.get(),
        icp: icp.get(),
        personas: personas
            .get()
            .iter()
            .map(|p| Persona { title: p.title.get(), description: p.description.get() })
            .collect(),
        funding_months: if funding_on.get() {
            Some(funding_months.get().trim().parse().unwrap_or(0))
        } else {
            None
        },
        hiring_roles: roles.values(),
        tools: tools.values(),
        profile_id: Uuid::parse_str(&profile_id.get()).ok(),
        // Dollars in the form, cents on the wire; text that is not a number is sent as 0,
        // which the server refuses with a message next to the field.
        budget_cents: {
            let b = budget.get();
            let b = b.trim().trim_start_matches('$');
            (!b.is_empty())
                .then(|| b.parse::<f64>().map(|d| (d * 100.0).round().max(0.0) as u32).unwrap_or(0))
        },
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match id {
            None => {
                create.dispatch(CreateCampaign { input: collect() });
            }
            Some(id) => {
                update.dispatch(UpdateCampaign { id, input: collect() });
            }
        }
    };
    let title = if id.is_some() { "Edit campaign" } else { "New campaign" };
    view! {
        <Title text=title />
        <div class="page-head">
            <div>
                <h1>{title}</h1>
                <p class="muted">"Who you sell to, who you want to reach, and what makes a company ready to buy."</p>
            </div>
        </div>
        <form class="campaign-form" on:submit=submit novalidate>
            <FormError error />
            <section class="card stack">
                <h2>"Basics"</h2>
                <label for="name">"Campaign name"</label>
                <input id="name" type="text" placeholder="e.g. Q1 data platforms, US" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <FieldMsg error field="name" />
                <label for="icp">"Ideal customer"</label>
                <textarea id="icp" placeholder="e.g. B2B software companies selling to developers or data teams, founded 2008 or later, US-based" prop:value=move || icp.get() on:input=move |ev| icp.set(event_target_value(&ev))></textarea>
                <p class="hint">"Industry, size, geography, founding year — each becomes a scoring criterion you can inspect."</p>
                <FieldMsg error field="icp" />
                <label for="profile">"Write as"</label>
                <select id="profile" prop:value=move || profile_id.get() on:change=move |ev| profile_id.set(event_target_value(&ev))>
                    <option value="">"— no profile —"</option>
                    <Suspense fallback=|| ()>
                        {move || profiles.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|p| {
                            let v = p.id.to_string();
                            let is_v = v.clone();
                            view! { <option value=v selected=move || profile_id.get() == is_v>{p.input.name}</option> }
                        }).collect_view())}
                    </Suspense>
                </select>
                <FieldMsg error field="profile_id" />
            </section>
            <section class="card stack">
                <h2>"Personas"</h2>
                <p class="hint">"The people you want to reach: a title (with keywords) and what they care about."</p>
                <For each=move || personas.get() key=|p| p.key let:p>
                    <div class="persona-row">
                        <input type="text" data-item="persona-title" aria-label="Persona title" placeholder="VP Engineering" prop:value=move || p.title.get() on:input=move |ev| p.title.set(event_target_value(&ev)) />
                        <input type="text" data-item="persona-description" aria-label="Persona description" placeholder="Owns developer productivity and platform spend" prop:value=move || p.description.get() on:input=move |ev| p.description.set(event_target_value(&ev)) />
                        <button type="button" class="btn btn-ghost btn-sm" on:click=move |_| personas.update(|v| v.retain(|x| x.key != p.key))>"Remove"</button>
                    </div>
                </For>
                <button type="button" class="btn btn-sm" data-add="persona" on:click=move |_| {
                    let key = next_key.get_untracked();
                    next_key.set(key + 1);
                    personas.update(|v| v.push(PersonaRow { key, title: RwSignal::new(String::new()), description: RwSignal::new(String::new()) }));
                }>"Add a persona"</button>
                <FieldMsg error field="personas" />
            </section>
            <section class="card stack">
                <h2>"Buying signals"</h2>
                <label class="check">
                    <input type="checkbox" id="funding_on" prop:checked=move || funding_on.get() on:change=move |ev| funding_on.set(event_target_checked(&ev)) />
                    " Recent funding, within "
                    <input type="number" id="funding_months" class="num" min="1" max="60" prop:value=move || funding_months.get() on:input=move |ev| funding_months.set(event_target_value(&ev)) disabled=move || !funding_on.get() />
                    " months"
                </label>
                <FieldMsg error field="funding_months" />
                <label>"Hiring for these roles"</label>
                <ListEditor list=roles name="role" placeholder="data engineer" add_label="Add a role" />
                <FieldMsg error field="hiring_roles" />
                <label>"Using these tools"</label>
                <ListEditor list=tools name="tool" placeholder="Snowflake" add_label="Add a tool" />
                <FieldMsg error field="tools" />
            </section>
            <section class="card stack">
                <h2>"Budget"</h2>
                <label for="budget">"Pause when research has cost this much (US dollars; empty for no cap)"</label>
                <input type="text" inputmode="decimal" id="budget" class="num" placeholder="25.00"
                    prop:value=move || budget.get() on:input=move |ev| budget.set(event_target_value(&ev)) />
                <p class="muted small">"The built-in analyzer costs nothing; with an LLM or search key, the campaign page shows an estimate before you start."</p>
                <FieldMsg error field="budget" />
            </section>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-lg" disabled=pending>
                    {move || if pending() { "Saving…" } else if id.is_some() { "Save changes" } else { "Create campaign" }}
                </button>
                <A href="/campaigns" attr:class="btn btn-ghost">"Cancel"</A>
            </div>
        </form>
    }
}
