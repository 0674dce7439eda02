//! `/campaigns/{id}/leads/{lead_id}`: why a lead scored as it did — each criterion with
//! its verdict and evidence, signals and contacts with their sources, the research
//! sources — and the outreach draft with its full revision history.
//! Scraped or generated text is always rendered as text, never as HTML.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::outreach::{EditOutreach, RestoreOutreach, ReviseOutreach};
use crate::api::runs::get_lead;
use crate::components::form::{FieldMsg, FormError, action_error};
use crate::components::status::StatusBadge;
use crate::error::AppError;
use crate::model::{LeadDetail, OutreachVersion};
use crate::pages::not_found::ErrorPanel;
use crate::research::{Source, Verdict};

#[component]
pub fn LeadPage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        let c = p.get("id").and_then(|s| Uuid::parse_str(&s).ok());
        let l = p.get("lead").and_then(|s| s.parse::<i64>().ok());
        c.zip(l)
    };
    let revise = ServerAction::<ReviseOutreach>::new();
    let edit = ServerAction::<EditOutreach>::new();
    let restore = ServerAction::<RestoreOutreach>::new();
    let lead = Resource::new(
        move || (ids(), revise.version().get(), edit.version().get(), restore.version().get()),
        |(ids, ..)| async move {
            match ids {
                Some((c, l)) => get_lead(c, l).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || lead.get().map(|r| match r {
                Ok(d) => view! { <LeadView d revise edit restore /> }.into_any(),
                Err(e) => view! { <ErrorPanel message=e.to_string() /> }.into_any(),
            })}
        </Transition>
    }
}

fn source_view(s: &Source) -> AnyView {
    match s {
        Source::Url { url } => {
            let safe = url.starts_with("https://") || url.starts_with("http://");
            if safe {
                view! { <a href=url.clone() target="_blank" rel="noopener noreferrer" class="source">{url.clone()}</a> }.into_any()
            } else {
                view! { <span class="source">{url.clone()}</span> }.into_any()
            }
        }
        Source::Cell { column, value } => view! {
            <span class="source cell" title=value.clone()>"CSV “" {column.clone()} "”: " <q>{value.clone()}</q></span>
        }
        .into_any(),
    }
}

fn verdict_class(v: &Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Match => ("verdict v-match", "match"),
        Verdict::Partial => ("verdict v-partial", "partial"),
        Verdict::No => ("verdict v-no", "no"),
        Verdict::Unknown => ("verdict v-unknown", "unknown"),
    }
}

#[component]
fn LeadView(
    d: LeadDetail,
    revise: ServerAction<ReviseOutreach>,
    edit: ServerAction<EditOutreach>,
    restore: ServerAction<RestoreOutreach>,
) -> impl IntoView {
    let campaign = d.campaign_id;
    let lead = d.row.id;
    let research_note = d.provenance.get("research_note").and_then(|v| v.as_str()).map(str::to_string);
    let provider = d
        .provenance
        .get("score")
        .map(|p| {
            let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
            // People read "built-in analyzer", not the provenance id "builtin".
            let who = text("provider").map(|p| if p == "builtin" { "built-in analyzer".into() } else { p });
            let mut parts = vec![who.unwrap_or_else(|| "?".into())];
            parts.extend(text("model"));
            parts.push(text("prompt_version").unwrap_or_else(|| "?".into()));
            let tokens = p.get("tokens_in").and_then(|v| v.as_i64()).unwrap_or(0)
                + p.get("tokens_out").and_then(|v| v.as_i64()).unwrap_or(0);
            if tokens > 0 {
                parts.push(format!("{tokens} tokens"));
            }
            if p.get("cached").and_then(|v| v.as_bool()) == Some(true) {
                parts.push("from cache".into());
            }
            parts.join(" · ")
        })
        .unwrap_or_else(|| "not scored yet".into());
    view! {
        <Title text=d.row.name.clone() />
        <div class="page-head">
            <div>
                <p class="eyebrow"><A href=format!("/campaigns/{campaign}")>{d.campaign_name.clone()}</A></p>
                <h1 data-testid="lead-name">{d.row.name.clone()} " " <StatusBadge status=d.row.status.clone() /></h1>
                <p class="muted mono" data-testid="lead-domain">{match d.row.domain.clone() {
                    Some(domain) => {
                        let href = format!("https://{domain}/");
                        view! { <a href=href target="_blank" rel="noopener noreferrer">{domain}</a> }.into_any()
                    }
                    None => view! { "no website" }.into_any(),
                }}</p>
            </div>
            <div class="big-score" data-testid="lead-score">
                {d.row.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}<span>"/100"</span>
            </div>
        </div>
        {d.row.error.clone().map(|e| view! { <div class="alert alert-error">{e}</div> })}
        <div class="lead-grid">
            <div class="lead-main">
                <section class="card">
                    <h2>"Why this score"</h2>
                    {match d.assessment.clone() {
                        None => view! { <p class="muted">"Not scored yet."</p> }.into_any(),
                        Some(a) => view! {
                            <p data-testid="summary">{a.summary.clone()}</p>
                            <table class="table criteria" data-testid="criteria">
                                <thead><tr><th>"Criterion"</th><th>"Verdict"</th><th>"Why"</th><th>"Evidence"</th></tr></thead>
                                <tbody>
                                    {a.criteria.iter().map(|c| {
                                        let (class, label) = verdict_class(&c.verdict);
                                        view! {
                                            <tr data-criterion=c.id.clone()>
                                                <td><strong>{c.label.clone()}</strong><div class="muted small">"weight " {c.weight}</div></td>
                                                <td><span class=class>{label}</span></td>
                                                <td>{c.reason.clone()}</td>
                                                <td>{if c.evidence.is_empty() {
                                                    view! { <span class="muted">"none"</span> }.into_any()
                                                } else {
                                                    c.evidence.iter().map(source_view).collect_view().into_any()
                                                }}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="muted small">"Scored by " <span data-testid="provenance">{provider.clone()}</span> ". Unknown criteria pull the score toward 50 rather than guessing."</p>
                        }.into_any(),
                    }}
                </section>
                <Outreach campaign lead versions=d.outreach.clone() revise edit restore />
            </div>
            <aside class="lead-side">
                <section class="card">
                    <h2>"Signals"</h2>
                    {if d.signals.is_empty() {
                        view! { <p class="muted" data-testid="no-signals">"No signals found in the evidence."</p> }.into_any()
                    } else {
                        view! { <ul class="facts-list" data-testid="signals">{d.signals.iter().map(|s| view! {
                            <li>
                                <span class=format!("chip chip-{}", format!("{:?}", s.kind).to_lowercase())>{format!("{:?}", s.kind)}</span>
                                " " {s.summary.clone()}
                                {s.date.clone().map(|d| view! { <span class="muted small">" · " {d}</span> })}
                                <div>{source_view(&s.source)}</div>
                            </li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                </section>
                <section class="card">
                    <h2>"Contacts"</h2>
                    {if d.contacts.is_empty() {
                        view! { <p class="muted" data-testid="no-contacts">"No contacts in the evidence."</p> }.into_any()
                    } else {
                        view! { <ul class="facts-list" data-testid="contacts">{d.contacts.iter().map(|c| {
                            let linkedin = c.linkedin.clone().filter(|l| l.starts_with("https://") || l.starts_with("http://"));
                            view! {
                                <li>
                                    <strong>{c.name.clone()}</strong>
                                    {c.title.clone().map(|t| view! { <span class="muted">" · " {t}</span> })}
                                    {c.email.clone().map(|e| view! { <div class="mono small">{e}</div> })}
                                    {linkedin.map(|l| view! { <div><a href=l.clone() target="_blank" rel="noopener noreferrer">"LinkedIn"</a></div> })}
                                    <div>{source_view(&c.source)}</div>
                                </li>
                            }
                        }).collect_view()}</ul> }.into_any()
                    }}
                </section>
                <section class="card">
                    <h2>"Research sources"</h2>
                    {research_note.map(|n| view! { <p class="muted small" data-testid="research-note">{n}</p> })}
                    <ul class="facts-list small" data-testid="sources">
                        {d.sources.iter().map(|s| view! { <li>{source_view(s)}</li> }).collect_view()}
                    </ul>
                </section>
            </aside>
        </div>
    }
}

#[component]
fn Outreach(
    campaign: Uuid,
    lead: i64,
    versions: Vec<OutreachVersion>,
    revise: ServerAction<ReviseOutreach>,
    edit: ServerAction<EditOutreach>,
    restore: ServerAction<RestoreOutreach>,
) -> impl IntoView {
    let current = versions.first().cloned();
    let subject = RwSignal::new(current.as_ref().map(|v| v.subject.clone()).unwrap_or_default());
    let body = RwSignal::new(current.as_ref().map(|v| v.body.clone()).unwrap_or_default());
    let instruction = RwSignal::new(String::new());
    let revise_error = action_error(revise.value());
    let edit_error = action_error(edit.value());
    let compare: RwSignal<Option<i32>> = RwSignal::new(None);
    let copied = RwSignal::new(false);
    let all = StoredValue::new(versions.clone());
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let text = format!("Subject: {}\n\n{}", subject.get_untracked(), body.get_untracked());
            let _ = w.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
    };
    let Some(cur) = current else {
        return view! { <section class="card"><h2>"Outreach"</h2><p class="muted">"The draft appears when research finishes."</p></section> }.into_any();
    };
    let cur_version = cur.version;
    view! {
        <section class="card outreach" data-testid="outreach">
            <div class="section-head">
                <h2>"Outreach " <span class="muted small" data-testid="current-version">{format!("version {cur_version}")}</span></h2>
                <button class="btn btn-sm" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            </div>
            <label for="subject" class="small">"Subject"</label>
            <input id="subject" type="text" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev)) />
            <label for="body" class="small">"Message"</label>
            <textarea id="body" class="draft" rows="12" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <FieldMsg error=edit_error field="body" />
            <FormError error=edit_error />
            <div class="form-actions">
                <button class="btn" on:click=move |_| { edit.dispatch(EditOutreach { campaign, lead, subject: subject.get_untracked(), body: body.get_untracked() }); }>"Save my edit"</button>
            </div>
            <form class="revise" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                revise.dispatch(ReviseOutreach { campaign, lead, instruction: instruction.get_untracked() });
            }>
                <input type="text" id="instruction" placeholder="Revise: “shorter”, “more casual”, “mention their funding”" aria-label="Revision instruction"
                    prop:value=move || instruction.get() on:input=move |ev| instruction.set(event_target_value(&ev)) />
                <button type="submit" class="btn btn-primary" disabled=move || revise.pending().get()>"Revise"</button>
            </form>
            <FieldMsg error=revise_error field="instruction" />
            <FormError error=revise_error />
            <h3>"History"</h3>
            <ol class="versions" data-testid="versions">
                {versions.iter().map(|v| {
                    let n = v.version;
                    let what = match v.kind.as_str() {
                        "generated" => "drafted by the analyzer".to_string(),
                        "instruction" => format!("revised: “{}”", v.instruction.clone().unwrap_or_default()),
                        "manual" => "edited by hand".to_string(),
                        _ => v.instruction.clone().unwrap_or_else(|| "restored".into()),
                    };
                    view! {
                        <li data-version=n>
                            <span><strong>{format!("v{n}")}</strong> " " {what} <span class="muted small">" · " {v.author.clone()} " · " {v.created.clone()}</span></span>
                            <span class="row-actions">
                                {(n != cur_version).then(|| view! {
                                    <button class="btn btn-sm btn-ghost" on:click=move |_| compare.set(Some(n))>"Compare"</button>
                                    <button class="btn btn-sm" on:click=move |_| { restore.dispatch(RestoreOutreach { campaign, lead, version: n }); }>"Restore"</button>
                                })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {move || compare.get().and_then(|n| all.with_value(|vs| vs.iter().find(|v| v.version == n).cloned())).map(|old| {
                let lines = diff_lines(&old.body, &cur.body);
                view! {
                    <div class="diff" data-testid="diff">
                        <p class="muted small">{format!("v{} → v{}", old.version, cur_version)}</p>
                        {lines.into_iter().map(|(k, t)| view! { <div class=format!("d-{k}")>{format!("{} {t}", match k { "add" => "+", "del" => "−", _ => " " })}</div> }).collect_view()}
                    </div>
                }
            })}
        </section>
    }
    .into_any()
}

/// A line diff (longest common subsequence), as (kind, line) with kind add/del/same.
pub fn diff_lines(old: &str, new: &str) -> Vec<(&'static str, String)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(("same", a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // On a tie the old line goes first: a change reads "- old" then "+ new".
            out.push(("del", a[i].to_string()));
            i += 1;
        } else {
            out.push(("add", b[j].to_string()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::diff_lines;

    #[test]
    fn line_diff() {
        let d = diff_lines("Hi Sam,\nLong line\nBest,", "Hi Sam,\nShort\nBest,");
        assert_eq!(
            d,
            vec![
                ("same", "Hi Sam,".into()),
                ("del", "Long line".into()),
                ("add", "Short".into()),
                ("same", "Best,".into())
            ]
        );
    }
}
