//! The campaign dashboard: progress with rate and ETA, controls, charts, and the lead
//! table (sort, filter, search, pages of 50), all updated live from the event stream.

use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use super::charts::{ScoreHistogram, SignalBars};
use super::leads::{Filter, LeadStore, SortKey, order_by};
use super::live;
use super::status::StatusBadge;
use crate::api::runs::ControlCampaign;
use crate::components::form::{FormError, action_error};
use crate::model::{CampaignDetail, CompanyRow, dollars};

const PAGE: usize = 50;

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Asks the browser's confirmation dialog (the server render never gets here).
fn confirmed(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}

#[component]
pub fn Dashboard(c: CampaignDetail) -> impl IntoView {
    let CampaignDetail { id, companies, status, status_reason, last_event_id, spend, input, .. } = c;
    let initial_status = status.clone();
    let store = LeadStore::new(companies, status, status_reason);
    let connected = live::subscribe(id, last_event_id, store);
    let control = ServerAction::<ControlCampaign>::new();
    let control_error = action_error(control.value());

    // Rate and ETA from what this page has watched finish.
    let at_open = store.progress();
    let opened = StoredValue::new((now_ms(), at_open.1 + at_open.2));
    let progress = Signal::derive(move || store.progress());
    // One pass over the rows per change, shared by the chart and its caption.
    let histogram = Memo::new(move |_| store.histogram());
    let rate_eta = move || {
        let (total, done, failed, _) = progress.get();
        let (t0, n0) = opened.get_value();
        let elapsed = (now_ms() - t0) / 1000.0;
        let finished = (done + failed).saturating_sub(n0);
        if finished == 0 || elapsed <= 0.5 {
            return "—".to_string();
        }
        let rate = finished as f64 / elapsed;
        let left = total.saturating_sub(done + failed) as f64;
        // A time left means something only while the campaign runs.
        if left == 0.0 || store.status.get() != "running" {
            format!("{rate:.1}/s")
        } else {
            format!("{rate:.1}/s · about {:.0} s left", left / rate)
        }
    };

    let sort = RwSignal::new(if initial_status == "done" { SortKey::Score } else { SortKey::File });
    let filter = RwSignal::new(Filter::default());
    let page = RwSignal::new(0usize);
    // Re-sorting while results arrive would move the row being read: the order follows
    // sort and filter changes, and new results only when asked (or in file order).
    let resort = RwSignal::new(0u64);
    let sorted_at = RwSignal::new(0u64);
    let ids = Memo::new(move |_| {
        let key = sort.get();
        let f = filter.get();
        resort.track();
        if key == SortKey::File {
            store.version.track();
        }
        sorted_at.set(store.version.get_untracked());
        // Read each row in place: no copies of 10,000 rows per sort.
        store.rows.with(|rows| {
            let rows = rows
                .iter()
                .map(|(id, s)| (*id, move |f: &mut dyn FnMut(&CompanyRow)| s.with_untracked(|r| f(r))));
            order_by(rows, key, &f)
        })
    });
    let stale = move || sort.get() != SortKey::File && store.version.get() != sorted_at.get();
    let pages = move || ids.with(|v| v.len().div_ceil(PAGE)).max(1);
    // Outside `view!`: a `>` in an attribute closure would end the tag there.
    let has_next = move || page.get() + 1 < pages();
    let visible = move || {
        let p = page.get().min(pages() - 1);
        ids.with(|v| v.iter().skip(p * PAGE).take(PAGE).copied().collect::<Vec<_>>())
    };
    let export_href = move |layout: &str| {
        let q = filter.with(Filter::query);
        let sep = if q.is_empty() { "" } else { "&" };
        format!("/api/campaigns/{id}/export.csv?layout={layout}{sep}{q}")
    };
    let set_filter = move |f: fn(&mut Filter, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            filter.update(|flt| f(flt, v));
            page.set(0);
        }
    };

    let act = move |action: &'static str| {
        move |_| {
            control.dispatch(ControlCampaign { id, action: action.into() });
        }
    };
    // Cancel is final (the rows not yet researched stay unresearched): ask first.
    let cancel = move |_| {
        if confirmed(
            "Cancel this campaign for good? Rows not yet researched will stay that way; Pause instead if you may go on later.",
        ) {
            control.dispatch(ControlCampaign { id, action: "cancel".into() });
        }
    };
    let status = store.status;
    view! {
        <section class="card dash-top">
            <div class="dash-status">
                <div>
                    <span data-testid="campaign-status"><StatusBadge status=Signal::derive(move || status.get()) /></span>
                    <span class="live" class:on=move || connected.get() title="Live updates">
                        {move || if connected.get() { "● live" } else { "○ connecting" }}
                    </span>
                </div>
                <div class="controls">
                    {move || match status.get().as_str() {
                        "running" => view! {
                            <button class="btn btn-sm" on:click=act("pause")>"Pause"</button>
                            <button class="btn btn-sm btn-ghost" on:click=cancel>"Cancel"</button>
                        }.into_any(),
                        "paused" => view! {
                            <button class="btn btn-sm btn-primary" on:click=act("resume")>"Resume"</button>
                            <button class="btn btn-sm btn-ghost" on:click=cancel>"Cancel"</button>
                        }.into_any(),
                        _ => view! {
                            <button class="btn btn-sm" on:click=act("rescore") title="Score again with the current ideal-customer description, reusing the research">"Re-score"</button>
                        }.into_any(),
                    }}
                    {move || (progress.get().2 > 0).then(|| view! { <button class="btn btn-sm" on:click=act("retry")>"Retry failed"</button> })}
                </div>
            </div>
            <FormError error=control_error />
            {move || store.reason.get().map(|r| view! { <p class="muted">{r}</p> })}
            {move || {
                let (total, done, failed, busy) = progress.get();
                let pct = |n: u32| if total == 0 { 0.0 } else { n as f64 * 100.0 / total as f64 };
                view! {
                    <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=total aria-valuenow=done + failed>
                        <span class="p-done" style=format!("width:{:.2}%", pct(done))></span>
                        <span class="p-failed" style=format!("width:{:.2}%", pct(failed))></span>
                    </div>
                    <p class="progress-text" data-testid="progress">
                        <strong>{done}</strong> " done · " {failed} " failed · " {busy} " in progress · " {total} " total"
                    </p>
                }
            }}
            <p class="muted small" data-testid="spend">
                "Rate: " {rate_eta} " · Cost so far: " {move || dollars(store.spent_micros())}
                {input.budget_cents.map(|b| format!(" of a {} budget", dollars(b as i64 * 10_000)))}
                " · Estimate for all rows: " {dollars(spend.estimate_micros)} " · " {spend.providers.clone()}
            </p>
        </section>
        <div class="grid-2 charts">
            <section class="card"><h2>"Scores"</h2>
                // Rows are scored before their signals, contacts and draft: the chart can
                // count a few more rows than "done", so it says what it counts.
                <p class="muted small" data-testid="scored">{move || format!("{} scored", histogram.get().iter().sum::<u32>())}</p>
                <ScoreHistogram bins=Signal::from(histogram) /></section>
            <section class="card"><h2>"Signals"</h2><SignalBars counts=Signal::derive(move || store.signal_counts()) total=Signal::derive(move || progress.get().0) /></section>
        </div>
        <section class="card leads-card">
            <div class="table-tools">
                <input type="search" placeholder="Search companies" aria-label="Search" data-testid="search"
                    on:input=set_filter(|f, v| f.text = v) />
                <label>"Sort " <select data-testid="sort" on:change=move |ev| { sort.set(SortKey::parse(&event_target_value(&ev))); page.set(0); }>
                    <option value="file" selected=move || sort.get() == SortKey::File>"File order"</option>
                    <option value="score" selected=move || sort.get() == SortKey::Score>"Score"</option>
                    <option value="name" selected=move || sort.get() == SortKey::Name>"Name"</option>
                    <option value="signals" selected=move || sort.get() == SortKey::Signals>"Signals"</option>
                    <option value="status" selected=move || sort.get() == SortKey::Status>"Status"</option>
                </select></label>
                <label>"Min score " <input type="number" class="num" min="0" max="100" data-testid="min-score"
                    on:input=set_filter(|f, v| f.min_score = v.trim().parse().ok()) /></label>
                <label>"Signal " <select data-testid="signal-filter" on:change=set_filter(|f, v| f.signal = v)>
                    <option value="">"Any"</option><option value="funding">"Funding"</option>
                    <option value="hiring">"Hiring"</option><option value="technology">"Technology"</option>
                </select></label>
                <label>"Status " <select data-testid="status-filter" on:change=set_filter(|f, v| f.status = v)>
                    <option value="">"Any"</option><option value="done">"Done"</option><option value="researching">"Researching"</option>
                    <option value="queued">"Queued"</option><option value="failed">"Failed"</option>
                    <option value="refused">"Refused"</option><option value="cancelled">"Cancelled"</option>
                </select></label>
                <span class="spacer"></span>
                <span class="export">"Export: "
                    <a href=move || export_href("full") rel="external" data-testid="export-full" download>"CSV"</a> " · "
                    <a href=move || export_href("hubspot") rel="external" download>"HubSpot"</a> " · "
                    // A contacts file with no contacts would be a header alone.
                    {move || store.has_contacts().then(|| view! {
                        <a href=move || export_href("hubspot-contacts") rel="external" download>"HubSpot contacts"</a> " · "
                    })}
                    <a href=move || export_href("salesforce") rel="external" download>"Salesforce"</a> " · "
                    <a href=move || format!("{}&excel=1", export_href("full")) rel="external" download>"Excel"</a>
                </span>
            </div>
            {move || stale().then(|| view! {
                <div class="alert alert-warn resort"><span>"New results arrived."</span>
                    <button class="btn btn-sm" on:click=move |_| resort.update(|n| *n += 1)>"Re-sort"</button></div>
            })}
            <p class="muted small" data-testid="row-count">{move || format!("{} of {} companies", ids.with(Vec::len), progress.get().0)}</p>
            <table class="table leads" data-testid="lead-table">
                <thead><tr>
                    <th>"Company"</th><th class="num">"Score"</th><th>"Assessment"</th><th>"Signals"</th>
                    <th class="num">"Contacts"</th><th>"Status"</th>
                </tr></thead>
                <tbody>
                    <For each=visible key=|id| *id let:lead_id>
                        {move || store.get(lead_id).map(|row| view! { <LeadRow campaign=id row=RwSignal::from(row) /> })}
                    </For>
                </tbody>
            </table>
            {move || (ids.with(Vec::is_empty) && progress.get().0 > 0).then(|| view! {
                <p class="muted empty-filter" data-testid="no-match">"No companies match this search and filter."</p>
            })}
            {move || (pages() > 1).then(|| view! {
                <div class="pager">
                    <button class="btn btn-sm" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"← Previous"</button>
                    <span>{move || format!("Page {} of {}", page.get().min(pages() - 1) + 1, pages())}</span>
                    <button class="btn btn-sm" disabled=move || !has_next() on:click=move |_| page.update(|p| *p += 1)>"Next →"</button>
                </div>
            })}
        </section>
    }
}

fn band(score: u8) -> &'static str {
    if score >= 70 {
        "score hot"
    } else if score >= 40 {
        "score warm"
    } else {
        "score cold"
    }
}

#[component]
fn LeadRow(campaign: Uuid, row: RwSignal<CompanyRow>) -> impl IntoView {
    let r = move || row.get();
    let href = move || format!("/campaigns/{campaign}/leads/{}", row.with(|r| r.id));
    view! {
        <tr data-lead=move || row.with(|r| r.name.clone()) data-status=move || row.with(|r| r.status.clone())>
            <td>
                <A href=href attr:class="lead-name">{move || r().name}</A>
                <div class="muted small mono">{move || r().domain.unwrap_or_else(|| "no website".into())}</div>
            </td>
            <td class="num">{move || match r().score {
                Some(s) => view! { <span class=band(s) data-testid="score">{s}</span> }.into_any(),
                None => view! { <span class="muted">"—"</span> }.into_any(),
            }}</td>
            <td class="assessment">{move || r().summary.unwrap_or_default()}</td>
            <td class="chips">{move || {
                let r = r();
                let mut chips = Vec::new();
                if r.funding > 0 { chips.push(("funding", format!("Funding {}", r.funding))); }
                if r.hiring > 0 { chips.push(("hiring", format!("Hiring {}", r.hiring))); }
                if r.technology > 0 { chips.push(("technology", format!("Tech {}", r.technology))); }
                chips.into_iter().map(|(k, t)| view! { <span class=format!("chip chip-{k}")>{t}</span> }).collect_view()
            }}</td>
            <td class="num">{move || r().contacts}</td>
            <td>
                <StatusBadge status=Signal::derive(move || row.with(|r| r.status.clone())) />
                {move || r().error.map(|e| view! { <div class="small warn">{e}</div> })}
            </td>
        </tr>
    }
}
