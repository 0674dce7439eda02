//! `/campaigns/{id}`: the campaign's settings and companies; companies are added from a
//! CSV (drop zone) or typed by hand, and can be removed before the campaign starts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::campaigns::{AddCompanies, RemoveCompany, get_campaign};
use crate::api::runs::ControlCampaign;
use crate::components::dashboard::Dashboard;
use crate::components::drop_zone::DropZone;
use crate::components::form::{FieldMsg, FormError, action_error};
use crate::components::status::StatusBadge;
use crate::error::AppError;
use crate::model::{AddReport, CampaignDetail, dollars};
use crate::pages::campaign_data::PageCodec;
use crate::pages::not_found::ErrorPanel;

/// Rows of a draft campaign's company list shown before "Show all".
const DRAFT_ROWS: usize = 100;

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok());
    let add = ServerAction::<AddCompanies>::new();
    let remove = ServerAction::<RemoveCompany>::new();
    let start = ServerAction::<ControlCampaign>::new();
    let imported = RwSignal::new(0u32);
    let last_report: RwSignal<Option<AddReport>> = RwSignal::new(None);
    let campaign: Resource<_, PageCodec> = Resource::new_with_options(
        move || (id(), add.version().get(), remove.version().get(), imported.get(), start.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => get_campaign(id).await,
                None => Err(AppError::NotFound),
            }
        },
        false,
    );
    Effect::new(move |_| {
        if let Some(Ok(r)) = add.value().get() {
            last_report.set(Some(r));
        }
    });
    let on_imported = Callback::new(move |r: AddReport| {
        last_report.set(Some(r));
        imported.update(|n| *n += 1);
    });
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || campaign.get().map(|r| match r {
                Ok(c) => view! { <CampaignView c add remove start last_report on_imported /> }.into_any(),
                Err(e) => view! { <ErrorPanel message=e.to_string() /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CampaignView(
    c: CampaignDetail,
    add: ServerAction<AddCompanies>,
    remove: ServerAction<RemoveCompany>,
    start: ServerAction<ControlCampaign>,
    last_report: RwSignal<Option<AddReport>>,
    on_imported: Callback<AddReport>,
) -> impl IntoView {
    let id = c.id;
    let draft = c.status == "draft";
    let input = c.input.clone();
    let text = RwSignal::new(String::new());
    let add_error = action_error(add.value());
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            text.set(String::new());
        }
    });
    let count = c.companies.len();
    let spend = c.spend.clone();
    // A started campaign hands its rows to the dashboard (moved, not copied: 10,000 rows).
    let mut c = c;
    let dash = (!draft).then(|| {
        let companies = std::mem::take(&mut c.companies);
        CampaignDetail { companies, ..c.clone() }
    });
    let query = leptos_router::hooks::use_query_map();
    let offer_rescore =
        move || query.read_untracked().get("rescore").is_some() && start.version().get_untracked() == 0;
    let signals = {
        let mut s = Vec::new();
        if let Some(m) = input.funding_months {
            s.push(format!("Funding in the last {m} months"));
        }
        if !input.hiring_roles.is_empty() {
            s.push(format!("Hiring: {}", input.hiring_roles.join(", ")));
        }
        if !input.tools.is_empty() {
            s.push(format!("Tools: {}", input.tools.join(", ")));
        }
        s
    };
    view! {
        <Title text=c.input.name.clone() />
        <div class="page-head">
            <div>
                <p class="eyebrow"><A href="/campaigns">"Campaigns"</A></p>
                <h1>{c.input.name.clone()} " " {draft.then(|| view! { <StatusBadge status=c.status.clone() /> })}</h1>
                <p class="muted">"Created " {c.created.clone()} {c.profile_name.clone().map(|p| format!(" · writes as {p}"))}</p>
            </div>
            <div class="head-actions">
                    <A href=format!("/campaigns/{id}/edit") attr:class="btn">"Edit settings"</A>
                {(draft && count > 0).then(|| view! {
                    <button class="btn btn-primary" data-testid="start" disabled=move || start.pending().get()
                        on:click=move |_| { start.dispatch(ControlCampaign { id, action: "start".into() }); }>
                        {format!("Start research ({count} companies)")}
                    </button>
                })}
            </div>
        </div>
        <FormError error=action_error(start.value()) />
        {(draft && count > 0).then(|| view! {
            <p class="muted small" data-testid="estimate">
                "Estimated cost for " {count} " companies: " {dollars(spend.estimate_micros)}
                {input.budget_cents.map(|b| format!(" (budget {})", dollars(b as i64 * 10_000)))}
                " · research by " {spend.providers.clone()}
            </p>
        })}
        {(!draft && offer_rescore()).then(|| view! {
            <div class="alert alert-warn undo" role="status" data-testid="rescore-offer">
                "Settings saved. Existing results were scored with the old settings. "
                <button class="btn btn-sm btn-primary" on:click=move |_| { start.dispatch(ControlCampaign { id, action: "rescore".into() }); }>"Re-score all rows"</button>
            </div>
        })}
        {dash.map(|d| view! { <Dashboard c=d /> })}
        <details class="settings" open=draft>
        <summary>"Campaign settings"</summary>
        <div class="grid-2">
            <section class="card">
                <h2>"Ideal customer"</h2>
                <p data-testid="icp">{input.icp.clone()}</p>
                <h3>"Personas"</h3>
                <ul class="plain">
                    {input.personas.iter().map(|p| view! { <li><strong>{p.title.clone()}</strong> " " <span class="muted">{p.description.clone()}</span></li> }).collect_view()}
                </ul>
            </section>
            <section class="card">
                <h2>"Buying signals"</h2>
                {if signals.is_empty() {
                    view! { <p class="muted">"No signal preferences."</p> }.into_any()
                } else {
                    view! { <ul class="plain">{signals.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul> }.into_any()
                }}
            </section>
        </div>
        </details>
        {draft.then(|| view! {
        <section class="card companies-card">
            <div class="section-head">
                <h2>"Companies " <span class="muted" data-testid="company-total">{count}</span></h2>
                <span class="muted small">"Plan limit: " {c.company_limit} " per campaign"</span>
            </div>
            {move || last_report.get().map(|r| view! {
                <div class="alert alert-ok" role="status" data-testid="add-report">
                    <p>{format!("Added {} companies.", r.added)} {(r.already_present > 0).then(|| format!(" {} were already here.", r.already_present))}</p>
                    {(!r.notes.is_empty()).then(|| view! { <ul>{r.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul> })}
                </div>
            })}
            {draft.then(|| view! {
                <div class="add-grid">
                    <DropZone campaign=id on_imported />
                    <form class="stack" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        add.dispatch(AddCompanies { id, text: text.get_untracked() });
                    }>
                        <label for="manual">"Or type / paste companies"</label>
                        <textarea id="manual" name="text" rows="6" placeholder="One per line: “Name, website” or just a domain" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <FormError error=add_error />
                        <FieldMsg error=add_error field="text" />
                        <button type="submit" class="btn" disabled=move || add.pending().get()>"Add companies"</button>
                    </form>
                </div>
            })}
            {(!c.import_notes.is_empty() && draft).then(|| view! {
                <details class="import-notes"><summary>"Last import summary"</summary>
                    <ul>{c.import_notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                </details>
            })}
            {if c.companies.is_empty() {
                view! { <p class="muted empty-line">"No companies yet."</p> }.into_any()
            } else {
                // A 10,000-row list would be a page tens of thousands of pixels tall: the
                // first rows, and the rest on request.
                let total = c.companies.len();
                let rows = StoredValue::new(std::mem::take(&mut c.companies));
                let shown = RwSignal::new(DRAFT_ROWS.min(total));
                view! {
                    <table class="table" data-testid="companies">
                        <thead><tr><th>"#"</th><th>"Company"</th><th>"Website"</th><th>"Status"</th><th></th></tr></thead>
                        <tbody>
                            {move || rows.with_value(|rows| rows.iter().take(shown.get()).enumerate().map(|(i, co)| {
                                let cid = co.id;
                                let website = match (co.domain.clone(), co.website_status.as_str()) {
                                    (Some(d), _) => view! { <span class="mono">{d}</span> }.into_any(),
                                    (None, "invalid") => view! { <span class="warn" title=co.website_note.clone().unwrap_or_default()>{format!("unusable: {}", co.website_note.clone().unwrap_or_default())}</span> }.into_any(),
                                    _ => view! { <span class="muted">"none — scored from the file's columns"</span> }.into_any(),
                                };
                                view! {
                                    <tr data-company=co.name.clone()>
                                        <td class="muted">{i + 1}</td>
                                        <td>{co.name.clone()}</td>
                                        <td>{website}</td>
                                        <td><StatusBadge status=co.status.clone() /></td>
                                        <td class="actions">{draft.then(|| view! {
                                            <button class="btn btn-ghost btn-sm" title="Remove" on:click=move |_| { remove.dispatch(RemoveCompany { id, company: cid }); }>"Remove"</button>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view())}
                        </tbody>
                    </table>
                    {move || (shown.get() < total).then(|| view! {
                        <p class="muted small">{format!("Showing {} of {total}. ", shown.get())}
                            <button class="btn btn-sm" data-testid="show-all" on:click=move |_| shown.set(total)>{format!("Show all {total}")}</button>
                        </p>
                    })}
                }.into_any()
            }}
        </section>
        })}
    }
}
