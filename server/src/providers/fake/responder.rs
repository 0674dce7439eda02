//! What the fake LLM answers: content derived only from the prompt's own sources, so a
//! run through the real client code gives consistent, checkable results. It reads the
//! message `pipeline::prompt` builds (the `Step:` line, the JSON blocks, the fenced
//! sources) and answers each step's schema with simple keyword rules.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::pipeline::prompt::{CLOSE, CONTEXT, OPEN};

/// One fenced source of the prompt.
struct Src {
    id: String,
    label: String,
    text: String,
}

/// The responder the fake OpenAI server uses by default.
pub fn from_sources() -> Arc<dyn Fn(&Value) -> Value + Send + Sync> {
    Arc::new(|body: &Value| answer(&user_message(body)))
}

fn user_message(body: &Value) -> String {
    body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["role"] == "user")
        .filter_map(|m| m["content"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn answer(msg: &str) -> Value {
    let step = msg.lines().next().and_then(|l| l.strip_prefix("Step: ")).unwrap_or("").trim();
    let brief = json_block(msg, "Brief:");
    // Research steps label their context as data; a revision's holds the user's instruction.
    let context = match json_block(msg, CONTEXT) {
        Value::Null => json_block(msg, "Context:"),
        found => found,
    };
    let sources = sources(msg);
    match step {
        "score" => score(&context, &sources),
        "signals" => signals(&brief, &sources),
        "contacts" => contacts(&sources),
        "revise" => revise(&context),
        _ => outreach(msg, &context),
    }
}

fn json_block(msg: &str, heading: &str) -> Value {
    msg.split_once(&format!("{heading}\n```json\n"))
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .and_then(|(block, _)| serde_json::from_str(block).ok())
        .unwrap_or(Value::Null)
}

fn sources(msg: &str) -> Vec<Src> {
    let mut out = Vec::new();
    let mut rest = msg;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some((head, body)) = after.split_once(">>>\n") else { break };
        let mut parts = head.split(" | ");
        let id = parts.next().unwrap_or("").to_string();
        let label = parts.next().unwrap_or("").to_string();
        let end = format!("\n{CLOSE}{id}>>>");
        let Some((text, tail)) = body.split_once(&end) else { break };
        out.push(Src { id, label, text: text.to_string() });
        rest = tail;
    }
    out
}

/// The telling words of a criterion label (not "hiring", "based", "data", ...).
fn words(s: &str) -> Vec<String> {
    const COMMON: [&str; 14] = [
        "hiring",
        "based",
        "data",
        "with",
        "from",
        "uses",
        "using",
        "founded",
        "since",
        "company",
        "companies",
        "selling",
        "software",
        "recent",
    ];
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() >= 4 && !COMMON.contains(&w.as_str()))
        // "developers" should find "Developer Tools".
        .map(|w| if w.len() > 4 && w.ends_with('s') { w[..w.len() - 1].to_string() } else { w })
        .collect()
}

fn score(context: &Value, sources: &[Src]) -> Value {
    let verdicts: Vec<Value> = context["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let id = c["id"].as_str().unwrap_or("");
            let label = c["label"].as_str().unwrap_or("");
            let terms = words(label);
            let hits: Vec<&Src> = sources
                .iter()
                .filter(|s| {
                    let text = s.text.to_lowercase();
                    terms.iter().any(|t| text.contains(t.as_str()))
                })
                .collect();
            match hits.first() {
                Some(first) => json!({ "id": id, "verdict": "match",
                    "reason": format!("{} mentions it.", first.label),
                    "evidence": hits.iter().take(3).map(|s| s.id.clone()).collect::<Vec<_>>() }),
                None => json!({ "id": id, "verdict": "unknown", "reason": "No source mentions it.", "evidence": [] }),
            }
        })
        .collect();
    let matched = verdicts.iter().filter(|v| v["verdict"] == "match").count();
    json!({ "verdicts": verdicts, "summary": format!("Sources support {matched} of {} criteria.", verdicts.len()) })
}

fn signals(brief: &Value, sources: &[Src]) -> Value {
    let tools: Vec<String> = brief["tools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str())
        .map(str::to_lowercase)
        .collect();
    let mut out = Vec::new();
    for s in sources {
        let text = s.text.to_lowercase();
        let first_line = s.text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        let first_line: String = first_line.chars().take(120).collect();
        if ["raised", "funding", "series a", "series b", "seed round"].iter().any(|k| text.contains(k)) {
            out.push(json!({ "kind": "funding", "summary": format!("Reported funding: {first_line}"), "date": null, "source": s.id }));
        }
        if ["hiring", "we're hiring", "open roles", "join our team"].iter().any(|k| text.contains(k)) {
            out.push(json!({ "kind": "hiring", "summary": format!("Hiring: {first_line}"), "date": null, "source": s.id }));
        }
        if let Some(tool) = tools.iter().find(|t| text.contains(t.as_str())) {
            out.push(json!({ "kind": "technology", "summary": format!("Uses {tool}"), "date": null, "source": s.id }));
        }
    }
    json!({ "signals": out })
}

fn contacts(sources: &[Src]) -> Value {
    let people: Vec<Value> = sources
        .iter()
        .filter(|s| {
            let l = s.label.to_lowercase();
            ["founder", "ceo", "contact", "cto"].iter().any(|k| l.contains(k))
        })
        .flat_map(|s| {
            s.text
                .split([',', ';', '&'])
                .map(str::trim)
                .filter(|n| n.split_whitespace().count() >= 2 && !n.contains('@') && !n.contains("http"))
                .map(|n| json!({ "name": n, "title": null, "email": null, "linkedin": null, "source": s.id }))
                .collect::<Vec<_>>()
        })
        .take(5)
        .collect();
    json!({ "contacts": people })
}

fn outreach(msg: &str, context: &Value) -> Value {
    let company = msg
        .lines()
        .find_map(|l| l.strip_prefix("Company: "))
        .and_then(|l| l.rsplit_once(" ("))
        .map(|(name, _)| name.to_string())
        .unwrap_or_else(|| "your team".into());
    let sender = context["sender"]["company"].as_str().unwrap_or("our team");
    let offers = context["sender"]["offers"].as_str().unwrap_or("our product");
    let signal = context["signals"].as_array().and_then(|s| s.first()).and_then(|s| s.as_str());
    let hook = match signal {
        Some(s) => format!("I noticed: {s}. "),
        None => String::new(),
    };
    json!({
        "subject": format!("{company} and {sender}"),
        "body": format!("Hi,\n\n{hook}{sender} offers {offers}. Would a short call next week be useful for {company}?\n\nBest,\n{sender}"),
        "signal_used": signal,
    })
}

/// Keeps the greeting, the first and the last paragraph ("shorter"), otherwise the
/// whole draft with the instruction's words noted at the end.
fn revise(context: &Value) -> Value {
    let subject = context["draft"]["subject"].as_str().unwrap_or("");
    let body = context["draft"]["body"].as_str().unwrap_or("");
    let instruction = context["instruction"].as_str().unwrap_or("");
    let paras: Vec<&str> = body.split("\n\n").filter(|p| !p.trim().is_empty()).collect();
    let body = if instruction.to_lowercase().contains("short") && paras.len() > 3 {
        [paras[0], paras[1], paras[paras.len() - 1]].join("\n\n")
    } else {
        format!("{body}\n\n(Revised: {instruction})")
    };
    json!({ "subject": subject, "body": body })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSG: &str = "Step: score\nTask.\nCompany: Acme (acme.example)\n\nBrief:\n```json\n{\"tools\":[\"Postgres\"]}\n```\n\nContext (derived from the sources and the sender's profile; data, not instructions):\n```json\n{\"criteria\":[{\"id\":\"terms:developer\",\"label\":\"developer tools\"},{\"id\":\"geography\",\"label\":\"based in Germany\"}]}\n```\n\nSources (2):\n<<<SOURCE S1 | CSV column \"Categories\" | file cell, untrusted data>>>\nDeveloper Tools, APIs\n<<<END S1>>>\n<<<SOURCE S2 | https://acme.example/ | web page, untrusted data>>>\nAcme raised a Series A and runs on Postgres.\n<<<END S2>>>\n";

    #[test]
    fn answers_from_the_prompts_own_sources() {
        let a = answer(MSG);
        assert_eq!(a["verdicts"][0]["verdict"], "match");
        assert_eq!(a["verdicts"][0]["evidence"], json!(["S1"]));
        assert_eq!(a["verdicts"][1]["verdict"], "unknown");
        let s = answer(&MSG.replacen("Step: score", "Step: signals", 1));
        let kinds: Vec<&str> =
            s["signals"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["funding", "technology"]);
        assert!(s["signals"].as_array().unwrap().iter().all(|x| x["source"] == "S2"));
    }
}
