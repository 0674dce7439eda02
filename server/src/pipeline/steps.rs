//! What a step reads and produces: load the inputs, compute the output with the
//! configured providers (`research`, `llm`, or the keyless `builtin`; no writes there),
//! then `complete::apply` writes it in the completing transaction.
//! Every signal, contact and piece of evidence must cite a source that research
//! actually retrieved for this company; anything else is dropped and logged.

use app::import::{Cell, Company, Field, Website};
use app::research::{
    Assessment, Brief, Contact, Draft, FundingPref, Page, Persona, Signal, Source, Verdict, Voice,
};
use serde_json::json;
use sqlx::types::Json;

use super::queue::Task;
use crate::providers::{ProviderError, Providers, builtin};

/// The built-in analyzer's name and rules version, stored as provenance.
pub const PROVIDER: &str = "builtin";
pub const PROMPT_VERSION: &str = "builtin-rubric-1";

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// Shown to users as is; the detail goes to the log (`Debug`).
    #[error("a database error interrupted this step")]
    Db(#[from] sqlx::Error),
    #[error("stored data could not be read: {0}")]
    Data(String),
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// Everything a step may read about one company.
pub struct Inputs {
    pub company: Company,
    pub brief: Brief,
    pub voice: Voice,
    pub sources: Vec<Source>,
    /// Text of the pages among `sources` (fetched or found by search).
    pub pages: Vec<Page>,
    pub assessment: Option<Assessment>,
    pub signals: Vec<Signal>,
    pub contacts: Vec<Contact>,
}

#[derive(sqlx::FromRow)]
struct InputRow {
    name: String,
    source_row: Option<i32>,
    domain: Option<String>,
    website_status: String,
    website_raw: Option<String>,
    website_note: Option<String>,
    fields: Json<Vec<(Field, Cell)>>,
    attributes: Json<Vec<Cell>>,
    sources: Json<Vec<Source>>,
    pages: Json<Vec<Page>>,
    assessment: Option<Json<Assessment>>,
    signals: Json<Vec<Signal>>,
    contacts: Json<Vec<Contact>>,
    icp: String,
    personas: Json<Vec<Persona>>,
    funding_months: Option<i32>,
    hiring_roles: Json<Vec<String>>,
    tools: Json<Vec<String>>,
    profile_snapshot: Option<serde_json::Value>,
}

pub async fn load(pool: &sqlx::PgPool, task: &Task) -> Result<Inputs, StepError> {
    let row: InputRow = sqlx::query_as(
        "SELECT co.name, co.source_row, co.domain, co.website_status, co.website_raw, co.website_note,
                co.fields, co.attributes, co.sources, co.pages, co.assessment, co.signals, co.contacts,
                c.icp, c.personas, c.funding_months, c.hiring_roles, c.tools, c.profile_snapshot
           FROM companies co JOIN campaigns c ON c.id = co.campaign_id
          WHERE co.id = $1 AND co.owner_id = $2 AND c.owner_id = $2",
    )
    .bind(task.company_id)
    .bind(task.owner_id)
    .fetch_one(pool)
    .await?;
    let InputRow {
        name,
        source_row,
        domain,
        website_status: wstatus,
        website_raw: wraw,
        website_note: wnote,
        fields,
        attributes,
        sources,
        pages,
        assessment,
        signals,
        contacts,
        icp,
        personas,
        funding_months: funding,
        hiring_roles: roles,
        tools,
        profile_snapshot: snapshot,
    } = row;
    let website = match (wstatus.as_str(), domain) {
        ("domain", Some(domain)) => Website::Domain { domain },
        ("invalid", _) => {
            Website::Invalid { raw: wraw.unwrap_or_default(), reason: wnote.unwrap_or_default() }
        }
        _ => Website::Missing,
    };
    let snapshot = snapshot.unwrap_or_else(|| json!({}));
    let text = |k: &str| snapshot.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let voice = Voice {
        company_name: text("name"),
        product: text("product"),
        audience: text("audience"),
        samples: serde_json::from_value(snapshot.get("samples").cloned().unwrap_or(json!([])))
            .map_err(|e| StepError::Data(e.to_string()))?,
    };
    Ok(Inputs {
        company: Company {
            source_row: source_row.unwrap_or(0).max(0) as usize,
            name,
            website,
            fields: fields.0,
            attributes: attributes.0,
        },
        brief: Brief {
            icp,
            personas: personas.0,
            funding: funding.map(|m| FundingPref { months: m.max(1) as u32 }),
            hiring_roles: roles.0,
            tools: tools.0,
        },
        voice,
        sources: sources.0,
        pages: pages.0,
        assessment: assessment.map(|a| a.0),
        signals: signals.0,
        contacts: contacts.0,
    })
}

/// A step's result, before it is written.
pub enum Output {
    Research {
        sources: Vec<Source>,
        pages: Vec<Page>,
        note: String,
    },
    Score(Assessment),
    Signals(Vec<Signal>),
    Contacts(Vec<Contact>),
    Outreach(Draft),
    /// The model declined to work on this company; the row shows its words.
    Refused(String),
}

/// Who produced a result and what it cost: stored as the step's provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub provider: String,
    pub model: Option<String>,
    pub prompt_version: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    /// Answered from the response cache (nothing paid this time).
    pub cached: bool,
}

impl Usage {
    pub fn builtin() -> Self {
        Usage {
            provider: PROVIDER.into(),
            model: None,
            prompt_version: PROMPT_VERSION.into(),
            tokens_in: 0,
            tokens_out: 0,
            cost_usd: 0.0,
            cached: false,
        }
    }

    pub fn provenance(&self, step: &str) -> serde_json::Value {
        json!({ step: { "provider": self.provider, "model": self.model, "prompt_version": self.prompt_version,
                        "tokens_in": self.tokens_in, "tokens_out": self.tokens_out,
                        "cost_usd": self.cost_usd, "cached": self.cached } })
    }
}

/// Runs one step with the configured providers: the LLM for judging steps when one is
/// configured, else the built-in analyzer. The usage comes back whatever happened: a
/// failed call may still have been paid for, and the row's spend must show it.
pub async fn run(
    providers: &Providers,
    pool: &sqlx::PgPool,
    task: &Task,
    inp: &Inputs,
) -> (Result<Output, StepError>, Usage) {
    let mut usage = Usage::builtin();
    let output = match (task.step.as_str(), &providers.llm) {
        ("research", _) => super::research::run(providers, pool, task, inp, &mut usage).await,
        (step, Some(llm)) => super::llm::run(step, llm, providers, pool, task, inp, &mut usage).await,
        (step, None) => super::builtin::run(step, inp),
    };
    (output, usage)
}

/// Keeps only what cites a retrieved source; logs what it drops.
pub fn keep_cited<T>(
    items: Vec<T>,
    retrieved: &[Source],
    cite: impl Fn(&T) -> &Source,
    what: &str,
) -> Vec<T> {
    let keys: Vec<String> = retrieved.iter().map(Source::key).collect();
    items
        .into_iter()
        .filter(|item| {
            let key = cite(item).key();
            let ok = keys.contains(&key);
            if !ok {
                tracing::warn!(what, source = %key, "dropped: its source was not retrieved for this company");
            }
            ok
        })
        .collect()
}

/// Drops evidence that cites unretrieved sources; a criterion left without evidence
/// keeps its verdict only if it was `unknown`.
pub fn check_assessment(mut a: Assessment, retrieved: &[Source]) -> Assessment {
    let keys: Vec<String> = retrieved.iter().map(Source::key).collect();
    let mut changed = false;
    for c in &mut a.criteria {
        let before = c.evidence.len();
        c.evidence.retain(|e| keys.contains(&e.key()));
        if c.evidence.len() < before {
            tracing::warn!(criterion = %c.id, "dropped evidence whose source was not retrieved");
            if c.evidence.is_empty() && c.verdict != Verdict::Unknown {
                c.verdict = Verdict::Unknown;
                changed = true;
            }
        }
    }
    if changed {
        // The score rests on the verdicts: count it again without the unfounded ones.
        (a.score, a.known_weight_share, a.summary) = builtin::tally(&a.criteria);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncited_facts_are_dropped() {
        let retrieved = vec![Source::Cell { column: "Categories".into(), value: "API".into() }];
        let signals = vec![
            Signal {
                kind: app::research::SignalKind::Technology,
                summary: "Uses APIs".into(),
                date: None,
                source: Source::Cell { column: "Categories".into(), value: "API".into() },
                also: vec![],
            },
            Signal {
                kind: app::research::SignalKind::Funding,
                summary: "Raised a Series C".into(),
                date: None,
                source: Source::Url { url: "https://invented.example/".into() },
                also: vec![],
            },
        ];
        let kept = keep_cited(signals, &retrieved, |s| &s.source, "signal");
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].summary, "Uses APIs");
    }

    #[test]
    fn a_verdict_left_without_retrieved_evidence_becomes_unknown() {
        let retrieved = vec![Source::Cell { column: "Categories".into(), value: "API".into() }];
        let criterion = |id: &str, evidence: Source| app::research::Criterion {
            id: id.into(),
            label: id.into(),
            weight: 1,
            verdict: Verdict::Match,
            reason: String::new(),
            evidence: vec![evidence],
        };
        let (score, known, summary) = builtin::tally(&[]);
        let a = Assessment {
            score,
            known_weight_share: known,
            summary,
            criteria: vec![
                criterion("industry", retrieved[0].clone()),
                criterion("funding", Source::Url { url: "https://invented.example/".into() }),
            ],
        };
        let a = check_assessment(a, &retrieved);
        let verdicts: Vec<_> = a.criteria.iter().map(|c| (c.id.as_str(), c.verdict)).collect();
        assert_eq!(verdicts, [("industry", Verdict::Match), ("funding", Verdict::Unknown)]);
        assert!(a.criteria[1].evidence.is_empty());
        // One match of two equal weights plus one unknown (half): 75.
        assert_eq!((a.score, a.known_weight_share), (75, 0.5));
    }
}
