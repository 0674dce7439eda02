//! The judging steps through an OpenAI-compatible LLM: build the prompt, call the model
//! (through the cache and the shared limits), and turn its JSON into results. The model
//! cites sources by id; anything citing an id that was not listed is dropped and logged,
//! a verdict without surviving evidence becomes "unknown", a signal whose amounts, years
//! or rounds are not in its cited source is dropped (`grounding`), and a contact whose
//! name is not in its cited source is dropped — the model never adds facts of its own.

use app::research::{Assessment, Contact, Criterion, Draft, Signal, SignalKind, Source, Verdict};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::PgPool;

use super::grounding::{date_grounded, grounded};
use super::prompt::{self, PAGE_CHARS, PAGE_CHARS_SHORT, SYSTEM, source_of, source_text};
use super::queue::Task;
use super::steps::{Inputs, Output, StepError, Usage};
use crate::providers::llm::{Completion, LlmClient, LlmRequest};
use crate::providers::{ProviderError, Providers, builtin, cache, limits};

pub async fn run(
    step: &str,
    llm: &LlmClient,
    p: &Providers,
    pool: &PgPool,
    task: &Task,
    inp: &Inputs,
    usage: &mut Usage,
) -> Result<Output, StepError> {
    let (task_text, version) =
        prompt::task(step).ok_or_else(|| StepError::Data(format!("unknown step {step:?}")))?;
    let rubric = builtin::rubric(&inp.brief);
    let context = match step {
        "score" => {
            json!({ "criteria": rubric.criteria.iter().map(|c| json!({"id": c.id, "label": c.label})).collect::<Vec<_>>() })
        }
        "outreach" => json!({
            "sender": { "company": inp.voice.company_name, "offers": inp.voice.product,
                        "for": inp.voice.audience, "writing_samples": inp.voice.samples },
            "fit": inp.assessment.as_ref().map(|a| a.summary.clone()),
            "signals": inp.signals.iter().map(|s| s.summary.clone()).collect::<Vec<_>>(),
            "contact": inp.contacts.first().map(|c| json!({"name": c.name, "title": c.title})),
        }),
        _ => json!({}),
    };
    let request = LlmRequest {
        schema_name: step.to_string(),
        schema: schema(step),
        system: SYSTEM.to_string(),
        user: prompt::user_message(step, task_text, inp, &context, PAGE_CHARS),
        user_short: Some(prompt::user_message(step, task_text, inp, &context, PAGE_CHARS_SHORT)),
    };
    let key = cache::key(
        "llm",
        &json!({ "model": llm.model(), "schema": request.schema_name, "system": request.system, "user": request.user }),
    );
    usage.prompt_version = version.into();
    let answer = complete(llm, p, pool, task, &key, &request, usage).await?;
    let output = match answer {
        Answer::Refused(text) => Output::Refused(text),
        Answer::Value(v) => {
            let output = to_output(step, v.clone(), inp, &rubric)?;
            // Cached only once usable: a bad answer must not be replayed on every retry.
            if !usage.cached {
                cache::put(pool, task.owner_id, &key, "llm", &json!({ "value": v })).await;
            }
            output
        }
    };
    Ok(output)
}

enum Answer {
    Value(Value),
    Refused(String),
}

/// One model call through the cache (read here, written by the caller once the answer
/// proved usable) and the shared limits; what it cost goes into `usage` also when it
/// fails. A refusal is not cached: the user's "Retry failed" must really ask again.
async fn complete(
    llm: &LlmClient,
    p: &Providers,
    pool: &PgPool,
    task: &Task,
    key: &str,
    request: &LlmRequest,
    usage: &mut Usage,
) -> Result<Answer, StepError> {
    usage.provider = "openai-compatible".into();
    usage.model = Some(llm.model().to_string());
    let hit = cache::get(pool, task.owner_id, key, p.cache_ttl).await;
    if let Some(value) = hit.and_then(|mut h| h.get_mut("value").map(Value::take)) {
        usage.cached = true;
        return Ok(Answer::Value(value));
    }
    let permit = limits::acquire(pool, "llm", &p.limits.llm).await?;
    let (result, spent) = llm.complete_counted(request).await;
    permit.release(pool).await;
    usage.cost_usd = p.prices.llm_cost(&spent.model, spent.tokens_in as u64, spent.tokens_out as u64);
    usage.tokens_in = spent.tokens_in as u64;
    usage.tokens_out = spent.tokens_out as u64;
    usage.model = Some(spent.model);
    match result {
        Ok(Completion { value, .. }) => Ok(Answer::Value(value)),
        Err(ProviderError::Refused(text)) => Ok(Answer::Refused(text)),
        Err(e) => Err(e.into()),
    }
}

/// A schema-valid answer that still cannot be used (e.g. a wrong enum slipped through).
fn unusable(detail: impl Into<String>) -> StepError {
    StepError::Provider(ProviderError::Unusable { provider: "LLM", detail: detail.into() })
}

fn to_output(step: &str, v: Value, inp: &Inputs, rubric: &builtin::Rubric) -> Result<Output, StepError> {
    let bad = |e: serde_json::Error| unusable(format!("{step} answer has the wrong shape: {e}"));
    Ok(match step {
        "score" => Output::Score(assessment(serde_json::from_value(v).map_err(bad)?, inp, rubric)),
        "signals" => {
            let a: SignalsAnswer = serde_json::from_value(v).map_err(bad)?;
            Output::Signals(
                a.signals
                    .into_iter()
                    .filter_map(|s| {
                        let source = cited(&s.source, inp, "signal")?.clone();
                        let text = source_text(&source, &inp.pages);
                        let backed = grounded(&s.summary, text)
                            && s.date.as_deref().is_none_or(|d| date_grounded(d, text));
                        if !backed {
                            tracing::warn!(source = %source.key(), "dropped: signal states what its source does not");
                            return None;
                        }
                        Some(Signal { kind: s.kind, summary: s.summary, date: s.date, source, also: vec![] })
                    })
                    .collect(),
            )
        }
        "contacts" => {
            let a: ContactsAnswer = serde_json::from_value(v).map_err(bad)?;
            Output::Contacts(a.contacts.into_iter().filter_map(|c| contact(c, inp)).collect())
        }
        "outreach" => {
            let a: OutreachAnswer = serde_json::from_value(v).map_err(bad)?;
            // Only a signal we actually hold may be named as the one used.
            let signal_used = a.signal_used.filter(|s| inp.signals.iter().any(|x| &x.summary == s));
            Output::Outreach(Draft { subject: a.subject, body: a.body, signal_used })
        }
        other => return Err(StepError::Data(format!("unknown step {other:?}"))),
    })
}

fn cited<'a>(id: &str, inp: &'a Inputs, what: &str) -> Option<&'a Source> {
    let found = source_of(id, &inp.sources);
    if found.is_none() {
        tracing::warn!(what, id, "dropped: the model cited a source that was not retrieved");
    }
    found
}

fn assessment(a: ScoreAnswer, inp: &Inputs, rubric: &builtin::Rubric) -> Assessment {
    let criteria: Vec<Criterion> = rubric
        .criteria
        .iter()
        .map(|rc| {
            let given = a.verdicts.iter().find(|v| v.id == rc.id);
            let (mut verdict, mut reason, evidence) = match given {
                None => {
                    (Verdict::Unknown, "The model gave no verdict for this criterion.".to_string(), vec![])
                }
                Some(v) => (
                    v.verdict,
                    v.reason.clone(),
                    v.evidence
                        .iter()
                        .filter_map(|id| cited(id, inp, "evidence").cloned())
                        .collect::<Vec<_>>(),
                ),
            };
            if verdict != Verdict::Unknown && evidence.is_empty() {
                verdict = Verdict::Unknown;
                reason = "No retrieved source supports a verdict.".into();
            }
            Criterion {
                id: rc.id.clone(),
                label: rc.label.clone(),
                weight: rc.weight,
                verdict,
                reason,
                evidence,
            }
        })
        .collect();
    let (score, known_weight_share, fallback) = builtin::tally(&criteria);
    let summary = if a.summary.trim().is_empty() { fallback } else { a.summary };
    Assessment { score, criteria, summary, known_weight_share }
}

/// How far (in bytes of the source text) a title, email or profile may stand from the
/// person's name and still be theirs: a team page lists several people, and one
/// person's email must not be pinned to another.
const NEAR_NAME: usize = 250;

/// A person only when their name appears, as whole words, in the cited source; title,
/// email and profile only when they appear there too, near the name (else left out,
/// never guessed).
fn contact(c: ContactAnswer, inp: &Inputs) -> Option<Contact> {
    let source = cited(&c.source, inp, "contact")?;
    let text = source_text(source, &inp.pages).to_lowercase();
    let name = c.name.trim();
    let name_lc = name.to_lowercase();
    let shown = |s: Option<String>| {
        s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty() && near(&text, &name_lc, &v.to_lowercase()))
    };
    if name.is_empty() || !has_words(&text, &name_lc) {
        tracing::warn!(source = %source.key(), "dropped: contact name not found in its cited source");
        return None;
    }
    Some(Contact {
        name: name.to_string(),
        title: shown(c.title),
        email: shown(c.email),
        linkedin: shown(c.linkedin),
        source: source.clone(),
    })
}

/// `needle` occurs in `text` with no letter or digit right before or after it ("Ann" is
/// not in "Announcement").
fn has_words(text: &str, needle: &str) -> bool {
    word_positions(text, needle).next().is_some()
}

fn word_positions<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(needle)
        .filter(move |(at, _)| {
            !word(text[..*at].chars().next_back()) && !word(text[at + needle.len()..].chars().next())
        })
        .map(|(at, _)| at)
}

/// `value` stands as whole words within [`NEAR_NAME`] bytes of an occurrence of `name`.
fn near(text: &str, name: &str, value: &str) -> bool {
    let names: Vec<usize> = word_positions(text, name).collect();
    word_positions(text, value).any(|v| {
        names.iter().any(|&n| {
            let (first, first_len, second) = if n <= v { (n, name.len(), v) } else { (v, value.len(), n) };
            second.saturating_sub(first + first_len) <= NEAR_NAME
        })
    })
}

#[derive(Deserialize)]
struct ScoreAnswer {
    verdicts: Vec<VerdictAnswer>,
    summary: String,
}

#[derive(Deserialize)]
struct VerdictAnswer {
    id: String,
    verdict: Verdict,
    reason: String,
    evidence: Vec<String>,
}

#[derive(Deserialize)]
struct SignalsAnswer {
    signals: Vec<SignalAnswer>,
}

#[derive(Deserialize)]
struct SignalAnswer {
    kind: SignalKind,
    summary: String,
    date: Option<String>,
    source: String,
}

#[derive(Deserialize)]
struct ContactsAnswer {
    contacts: Vec<ContactAnswer>,
}

#[derive(Deserialize)]
struct ContactAnswer {
    name: String,
    title: Option<String>,
    email: Option<String>,
    linkedin: Option<String>,
    source: String,
}

#[derive(Deserialize)]
struct OutreachAnswer {
    subject: String,
    body: String,
    signal_used: Option<String>,
}

/// The strict JSON schema of each step's answer (every property required, no extras).
pub fn schema(step: &str) -> Value {
    fn obj(props: Value) -> Value {
        let required: Vec<String> =
            props.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
    }
    let s = json!({ "type": "string" });
    let opt = json!({ "type": ["string", "null"] });
    let list = |item: Value| json!({ "type": "array", "items": item });
    match step {
        "score" => obj(json!({
            "verdicts": list(obj(json!({
                "id": s, "verdict": { "type": "string", "enum": ["match", "partial", "no", "unknown"] },
                "reason": s, "evidence": list(s.clone()) }))),
            "summary": s })),
        "signals" => obj(json!({ "signals": list(obj(json!({
            "kind": { "type": "string", "enum": ["funding", "hiring", "technology"] },
            "summary": s, "date": opt, "source": s }))) })),
        "contacts" => obj(json!({ "contacts": list(obj(json!({
            "name": s, "title": opt, "email": opt, "linkedin": opt, "source": s }))) })),
        _ => obj(json!({ "subject": s, "body": s, "signal_used": opt })),
    }
}

#[cfg(test)]
mod tests {
    use super::{has_words, near};

    #[test]
    fn names_match_whole_words_only() {
        let text = "announcement: jane roe (vp engineering) joins; see https://linkedin.com/in/jroe.";
        assert!(has_words(text, "jane roe"));
        assert!(has_words(text, "vp engineering"));
        assert!(has_words(text, "https://linkedin.com/in/jroe"));
        assert!(!has_words(text, "ann"));
        assert!(!has_words(text, "roe (vp eng"));
        assert!(!has_words(text, "jan"));
    }

    #[test]
    fn a_field_belongs_to_the_name_it_stands_near() {
        let team = format!(
            "jane roe, vp engineering, jane@acme.example. {} john poe, cfo, john@acme.example.",
            "we are a small team that loves data. ".repeat(10)
        );
        assert!(near(&team, "jane roe", "jane@acme.example"));
        assert!(near(&team, "jane roe", "vp engineering"));
        assert!(!near(&team, "jane roe", "john@acme.example"), "another person's email, far away");
        assert!(!near(&team, "jane roe", "cfo"));
        assert!(near(&team, "john poe", "cfo"));
    }
}
