//! The CSV drop zone: drag a file (or choose one), see what the importer understood —
//! encoding, delimiter, header row, counts, the first 50 rows, the column mapping and
//! warnings — adjust the mapping, then confirm. Nothing is uploaded before that, and the
//! server parses the file again itself with the same importer code.

use leptos::prelude::*;
use uuid::Uuid;

use crate::import::{self, ALL_FIELDS, Field, Limits, Outcome, Parsed, field_label};
use crate::model::AddReport;

/// What the browser read, kept until the user confirms or picks another file.
#[derive(Clone)]
struct Loaded {
    file_name: String,
    bytes: std::sync::Arc<Vec<u8>>,
    parsed: Parsed,
}

fn field_key(f: Field) -> String {
    serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn field_from_key(key: &str) -> Option<Field> {
    serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
}

/// The mapping as the upload route takes it: comma-separated field keys, `-` for none.
pub fn mapping_param(mapping: &[Option<Field>]) -> String {
    mapping.iter().map(|m| m.map(field_key).unwrap_or_else(|| "-".into())).collect::<Vec<_>>().join(",")
}

/// Reads the upload route's mapping parameter; `None` when it is malformed.
pub fn parse_mapping_param(s: &str, columns: usize) -> Option<Vec<Option<Field>>> {
    let out: Option<Vec<Option<Field>>> = s
        .split(',')
        .map(|k| if k == "-" || k.is_empty() { Some(None) } else { field_from_key(k).map(Some) })
        .collect();
    out.filter(|m| m.len() == columns)
}

#[component]
pub fn DropZone(campaign: Uuid, #[prop(into)] on_imported: Callback<AddReport>) -> impl IntoView {
    let over = RwSignal::new(false);
    let loaded: RwSignal<Option<Loaded>> = RwSignal::new(None);
    let mapping: RwSignal<Vec<Option<Field>>> = RwSignal::new(Vec::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let took_ms = RwSignal::new(0.0f64);

    // Every mapping change re-runs the same build the server will run.
    let outcome = Memo::new(move |_| -> Option<Result<Outcome, String>> {
        let l = loaded.get()?;
        Some(import::build(&l.parsed, &mapping.get()).map_err(|e| e.to_string()))
    });

    let accept = move |name: String, bytes: Vec<u8>| {
        error.set(None);
        let lower = name.to_lowercase();
        if !(lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt")) {
            error.set(Some(format!("“{name}” is not a .csv, .tsv or .txt file.")));
            return;
        }
        let t0 = now_ms();
        match import::parse(&bytes, &Limits::default()) {
            Ok(parsed) => {
                mapping.set(parsed.mapping.clone());
                took_ms.set(now_ms() - t0);
                loaded.set(Some(Loaded { file_name: name, bytes: std::sync::Arc::new(bytes), parsed }));
            }
            Err(e) => {
                loaded.set(None);
                error.set(Some(e.to_string()));
            }
        }
    };
    let _ = &accept;

    #[cfg(feature = "hydrate")]
    let read_file = move |file: web_sys::File| {
        let name = file.name();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let blob = gloo_file::Blob::from(file);
            match gloo_file::futures::read_as_bytes(&blob).await {
                Ok(bytes) => accept(name, bytes),
                Err(e) => error.set(Some(format!("Could not read the file: {e}"))),
            }
            busy.set(false);
        });
    };

    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(file) = ev.data_transfer().and_then(|dt| dt.files()).and_then(|f| f.get(0)) {
            read_file(file);
        }
    };
    let on_choose = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                if let Some(file) = input.files().and_then(|f| f.get(0)) {
                    read_file(file);
                }
                input.set_value("");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };

    let confirm = move |_| {
        let Some(l) = loaded.get_untracked() else {
            return;
        };
        let param = mapping_param(&mapping.get_untracked());
        busy.set(true);
        error.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match upload(campaign, &param, &l.bytes).await {
                Ok(report) => {
                    loaded.set(None);
                    on_imported.run(report);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (l.bytes, param, campaign, on_imported);
    };

    view! {
        <div class="import">
            <div
                class="drop-zone"
                class:over=move || over.get()
                data-testid="drop-zone"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragenter=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop
            >
                <p class="drop-title">"Drop a CSV here"</p>
                <p class="muted">"Exports from Apollo, HubSpot, Salesforce, Clay, Crunchbase or any spreadsheet (.csv, .tsv, .txt). Nothing is uploaded until you confirm."</p>
                <label class="btn btn-sm">
                    "Choose a file"
                    <input type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" class="visually-hidden" data-testid="file-input" on:change=on_choose />
                </label>
                {move || busy.get().then(|| view! { <p class="muted">"Working…"</p> })}
            </div>
            {move || error.get().map(|e| view! { <div class="alert alert-error" role="alert" data-testid="import-error">{e}</div> })}
            {move || loaded.get().map(|l| view! {
                <Preview loaded=l mapping outcome took_ms />
                <div class="form-actions">
                    <button class="btn btn-primary" data-testid="confirm-import" disabled=move || busy.get() || !matches!(outcome.get(), Some(Ok(_))) on:click=confirm>
                        {move || match outcome.get() {
                            Some(Ok(o)) => format!("Import {} companies", o.companies.len()),
                            _ => "Import".to_string(),
                        }}
                    </button>
                    <button class="btn btn-ghost" on:click=move |_| loaded.set(None)>"Cancel"</button>
                </div>
            })}
        </div>
    }
}

#[component]
fn Preview(
    loaded: Loaded,
    mapping: RwSignal<Vec<Option<Field>>>,
    outcome: Memo<Option<Result<Outcome, String>>>,
    took_ms: RwSignal<f64>,
) -> impl IntoView {
    let p = loaded.parsed.clone();
    let delimiter = match p.delimiter {
        ',' => "comma".to_string(),
        ';' => "semicolon".to_string(),
        '\t' => "tab".to_string(),
        '|' => "pipe".to_string(),
        c => format!("“{c}”"),
    };
    let headers = p.headers.clone();
    let sample: Vec<Vec<String>> = p.records.iter().take(50).map(|r| r.cells.clone()).collect();
    let notes = move || match outcome.get() {
        Some(Ok(o)) => crate_notes(&o),
        Some(Err(e)) => vec![e],
        None => vec![],
    };
    view! {
        <section class="card preview" data-testid="import-preview">
            <h3>{loaded.file_name.clone()}</h3>
            <dl class="facts">
                <div><dt>"Encoding"</dt><dd data-testid="encoding">{p.encoding.clone()}</dd></div>
                <div><dt>"Delimiter"</dt><dd data-testid="delimiter">{delimiter}</dd></div>
                <div><dt>"Header row"</dt><dd>"line " {p.header_line}</dd></div>
                <div><dt>"Rows"</dt><dd data-testid="row-count">{p.records.len()}</dd></div>
                <div><dt>"Blank rows skipped"</dt><dd>{p.blank_rows}</dd></div>
                <div><dt>"Companies"</dt><dd data-testid="company-count">{move || match outcome.get() { Some(Ok(o)) => o.companies.len().to_string(), _ => "—".into() }}</dd></div>
                <div><dt>"Read in"</dt><dd>{move || format!("{:.0} ms", took_ms.get())}</dd></div>
            </dl>
            {(!p.skipped_preamble.is_empty()).then(|| view! { <p class="muted">"Left out above the header: " {p.skipped_preamble.join(" · ")}</p> })}
            {(!p.skipped_footer.is_empty()).then(|| view! { <p class="muted">"Left out after the data: " {p.skipped_footer.join(" · ")}</p> })}
            {p.warnings.iter().map(|w| view! { <p class="alert alert-warn">{w.clone()}</p> }).collect_view()}
            <ul class="notes" data-testid="import-notes">{move || notes().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            <div class="table-scroll">
                <table class="table preview-table">
                    <thead>
                        <tr>{headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr>
                        <tr class="mapping-row">
                            {headers.iter().enumerate().map(|(i, h)| view! {
                                <th>
                                    <select data-column=h.clone() aria-label=format!("Map column {h}")
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev);
                                            mapping.update(|m| if let Some(slot) = m.get_mut(i) { *slot = field_from_key(&v); });
                                        }>
                                        <option value="-" selected=move || mapping.with(|m| m.get(i).copied().flatten().is_none())>"— keep as attribute —"</option>
                                        {ALL_FIELDS.iter().map(|f| {
                                            let f = *f;
                                            view! { <option value=field_key(f) selected=move || mapping.with(|m| m.get(i).copied().flatten() == Some(f))>{field_label(f)}</option> }
                                        }).collect_view()}
                                    </select>
                                </th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {sample.into_iter().map(|row| view! { <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn crate_notes(o: &Outcome) -> Vec<String> {
    let mut notes = Vec::new();
    for m in &o.merges {
        notes.push(format!(
            "{}: {} rows merged into “{}” (row {}).",
            m.domain,
            m.merged.len(),
            m.kept_name,
            m.kept_row
        ));
    }
    for (row, name, reason) in &o.invalid_websites {
        notes.push(format!("Row {row} “{name}”: website not usable ({reason})."));
    }
    if !o.skipped_no_name.is_empty() {
        notes.push(format!(
            "{} rows have neither a name nor a website and will be skipped.",
            o.skipped_no_name.len()
        ));
    }
    notes
}

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

#[cfg(feature = "hydrate")]
async fn upload(campaign: Uuid, mapping: &str, bytes: &[u8]) -> Result<AddReport, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let opts = web_sys::RequestInit::new();
    opts.set_method("POST");
    let body = js_sys::Uint8Array::from(bytes);
    opts.set_body(&body);
    let url = format!("/api/campaigns/{campaign}/import?mapping={}", js_sys::encode_uri_component(mapping));
    let req = web_sys::Request::new_with_str_and_init(&url, &opts)
        .map_err(|_| "Could not prepare the upload.".to_string())?;
    let _ = req.headers().set("content-type", "text/csv");
    let window = web_sys::window().ok_or("no window")?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(|_| "Could not reach Cellstack. Check your connection and try again.".to_string())?
        .dyn_into()
        .map_err(|_| "Unexpected answer.".to_string())?;
    let text = JsFuture::from(resp.text().map_err(|_| "Unexpected answer.".to_string())?)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    if resp.ok() {
        serde_json::from_str(&text).map_err(|_| "Unexpected answer.".to_string())
    } else {
        Err(serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or_else(|| format!("The import failed ({}).", resp.status())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_param_round_trips() {
        let m = vec![Some(Field::CompanyName), None, Some(Field::Website), Some(Field::PersonLinkedin)];
        let s = mapping_param(&m);
        assert_eq!(s, "company_name,-,website,person_linkedin");
        assert_eq!(parse_mapping_param(&s, 4), Some(m));
        assert_eq!(parse_mapping_param(&s, 3), None);
        assert_eq!(parse_mapping_param("company_name,nonsense", 2), None);
    }
}
