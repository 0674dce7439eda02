//! `/campaigns`: the campaign list, newest first, with undo after a delete.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use uuid::Uuid;

use crate::api::campaigns::{DeleteCampaign, RestoreCampaign, list_campaigns};
use crate::components::status::StatusBadge;
use crate::model::CampaignSummary;
use crate::pages::not_found::ErrorPanel;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let delete = ServerAction::<DeleteCampaign>::new();
    let restore = ServerAction::<RestoreCampaign>::new();
    let campaigns =
        Resource::new(move || (delete.version().get(), restore.version().get()), |_| list_campaigns());
    // The last deleted campaign, offered for undo until another action happens.
    let undo: RwSignal<Option<(Uuid, String)>> = RwSignal::new(None);
    view! {
        <Title text="Campaigns" />
        <div class="page-head">
            <div>
                <h1>"Campaigns"</h1>
                <p class="muted">"Each campaign scores a list of companies against one ideal-customer description."</p>
            </div>
            <A href="/campaigns/new" attr:class="btn btn-primary">"New campaign"</A>
        </div>
        {move || undo.get().map(|(id, name)| view! {
            <div class="alert alert-warn undo" role="status">
                "Deleted “" {name} "”. "
                <button class="btn btn-sm" on:click=move |_| { restore.dispatch(RestoreCampaign { id }); undo.set(None); }>"Undo"</button>
            </div>
        })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || campaigns.get().map(|r| match r {
                Err(e) => view! { <ErrorPanel message=e.to_string() /> }.into_any(),
                Ok(list) if list.is_empty() => view! {
                    <section class="card empty">
                        <h2>"No campaigns yet"</h2>
                        <p class="muted">"Create a campaign, add companies from a CSV or by hand, and start the research."</p>
                        <A href="/campaigns/new" attr:class="btn btn-primary">"Create your first campaign"</A>
                    </section>
                }.into_any(),
                Ok(list) => view! {
                    <table class="table campaigns">
                        <thead><tr>
                            <th>"Campaign"</th><th>"Status"</th><th class="num">"Companies"</th>
                            <th class="num">"Done"</th><th class="num">"Failed"</th><th>"Progress"</th><th>"Created"</th><th></th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|c| view! { <CampaignRow c delete undo /> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CampaignRow(
    c: CampaignSummary,
    delete: ServerAction<DeleteCampaign>,
    undo: RwSignal<Option<(Uuid, String)>>,
) -> impl IntoView {
    let pct = (c.done + c.failed) * 100 / c.companies.max(1);
    let id = c.id;
    let name = c.name.clone();
    let (label, link_text) = (c.name.clone(), c.name.clone());
    view! {
        <tr data-campaign=label>
            <td><A href=format!("/campaigns/{id}")>{link_text}</A></td>
            <td><StatusBadge status=c.status.clone() /></td>
            <td class="num">{c.companies}</td>
            <td class="num">{c.done}</td>
            <td class="num">{c.failed}</td>
            <td><div class="meter small" title=format!("{pct}%")><span style=format!("width:{pct}%")></span></div></td>
            <td class="muted">{c.created.clone()}</td>
            <td class="actions">
                <button class="btn btn-ghost btn-sm" title="Delete campaign" on:click=move |_| {
                    delete.dispatch(DeleteCampaign { id });
                    undo.set(Some((id, name.clone())));
                }>"Delete"</button>
            </td>
        </tr>
    }
}
