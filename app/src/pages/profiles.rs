//! `/profiles` (list), `/profiles/new` and `/profiles/{id}` (editor).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::api::profiles::{DeleteProfile, SaveProfile, get_profile, list_profiles};
use crate::components::form::{FieldMsg, FormError, action_error};
use crate::components::list_editor::{ListEditor, TextList};
use crate::model::{Profile, ProfileInput};
use crate::pages::not_found::ErrorPanel;

#[component]
pub fn ProfilesPage() -> impl IntoView {
    let delete = ServerAction::<DeleteProfile>::new();
    let profiles = Resource::new(move || delete.version().get(), |_| list_profiles());
    view! {
        <Title text="Company profiles" />
        <div class="page-head">
            <div>
                <h1>"Company profiles"</h1>
                <p class="muted">"Your own company, as outreach should present it. Campaigns write in a profile's voice."</p>
            </div>
            <A href="/profiles/new" attr:class="btn btn-primary">"New profile"</A>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || profiles.get().map(|r| match r {
                Err(e) => view! { <ErrorPanel message=e.to_string() /> }.into_any(),
                Ok(list) if list.is_empty() => view! {
                    <section class="card empty">
                        <h2>"No profiles yet"</h2>
                        <p class="muted">"Describe your product and paste a few emails you have written; drafts will follow your style."</p>
                        <A href="/profiles/new" attr:class="btn btn-primary">"Create your first profile"</A>
                    </section>
                }.into_any(),
                Ok(list) => view! {
                    <div class="cards">
                        {list.into_iter().map(|p| view! { <ProfileCard p delete /> }).collect_view()}
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ProfileCard(p: Profile, delete: ServerAction<DeleteProfile>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = p.id;
    let name = p.input.name.clone();
    let label = name.clone();
    view! {
        <article class="card profile-card" data-profile=label>
            <h2><A href=format!("/profiles/{id}")>{name}</A></h2>
            <p class="muted small">{p.input.website.clone()} " · updated " {p.updated.clone()}</p>
            <p class="clamp">{p.input.product.clone()}</p>
            <p class="muted small">{p.input.samples.len()} " writing samples"</p>
            <div class="row-actions">
                <A href=format!("/profiles/{id}") attr:class="btn btn-sm">"Edit"</A>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! { <button class="btn btn-sm btn-ghost" on:click=move |_| confirming.set(true)>"Delete"</button> }
                >
                    <span class="confirm">
                        "Delete for good? "
                        <button class="btn btn-sm btn-danger" on:click=move |_| { delete.dispatch(DeleteProfile { id }); }>"Delete"</button>
                        <button class="btn btn-sm btn-ghost" on:click=move |_| confirming.set(false)>"Keep"</button>
                    </span>
                </Show>
            </div>
        </article>
    }
}

#[component]
pub fn ProfileEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok());
    let profile = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_profile(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || profile.get().map(|r| match r {
                Ok(p) => view! { <ProfileForm profile=p /> }.into_any(),
                Err(e) => view! { <ErrorPanel message=e.to_string() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn ProfileNewPage() -> impl IntoView {
    view! { <ProfileForm profile=None /> }
}

#[component]
fn ProfileForm(profile: Option<Profile>) -> impl IntoView {
    let id = profile.as_ref().map(|p| p.id);
    let input = profile
        .map(|p| p.input)
        .unwrap_or_else(|| ProfileInput { samples: vec![String::new()], ..Default::default() });
    let name = RwSignal::new(input.name);
    let website = RwSignal::new(input.website);
    let product = RwSignal::new(input.product);
    let audience = RwSignal::new(input.audience);
    let samples = TextList::new(input.samples);
    let save = ServerAction::<SaveProfile>::new();
    let error = action_error(save.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate("/profiles", Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveProfile {
            id,
            input: ProfileInput {
                name: name.get(),
                website: website.get(),
                product: product.get(),
                audience: audience.get(),
                samples: samples.values(),
            },
        });
    };
    let title = if id.is_some() { "Edit profile" } else { "New company profile" };
    view! {
        <Title text=title />
        <div class="page-head"><h1>{title}</h1></div>
        <form class="card stack form-wide" on:submit=submit novalidate>
            <FormError error />
            <label for="name">"Company name"</label>
            <input id="name" name="name" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <FieldMsg error field="name" />
            <label for="website">"Website"</label>
            <input id="website" name="website" type="text" placeholder="yourcompany.com" prop:value=move || website.get() on:input=move |ev| website.set(event_target_value(&ev)) />
            <FieldMsg error field="website" />
            <label for="product">"What you sell"</label>
            <textarea id="product" name="product" placeholder="One or two sentences a buyer would understand." prop:value=move || product.get() on:input=move |ev| product.set(event_target_value(&ev))></textarea>
            <FieldMsg error field="product" />
            <label for="audience">"Who you sell to"</label>
            <textarea id="audience" name="audience" placeholder="e.g. Heads of data at B2B SaaS companies" prop:value=move || audience.get() on:input=move |ev| audience.set(event_target_value(&ev))></textarea>
            <FieldMsg error field="audience" />
            <label>"Writing samples"</label>
            <p class="hint">"Paste emails or posts you wrote. Drafts copy their greeting, length and sign-off."</p>
            <ListEditor list=samples name="sample" multiline=true placeholder="Hi Sam, …" add_label="Add a sample" max=10 />
            <FieldMsg error field="samples" />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Saving…" } else { "Save profile" }}
                </button>
                <A href="/profiles" attr:class="btn btn-ghost">"Cancel"</A>
            </div>
        </form>
    }
}
