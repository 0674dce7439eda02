//! Research inputs and results: what the salesperson tells us (the [`Brief`] and their
//! own [`Voice`]), and what an analyzer produces for one company ([`Assessment`],
//! [`Signal`]s, [`Contact`]s, a [`Draft`]).
//!
//! Shared by the server (analyzers, storage) and the browser (rendering), so these are
//! plain data with `serde` derives only. Every fact an analyzer reports carries a
//! [`Source`]: the CSV cell or the web page it came from.

use serde::{Deserialize, Serialize};

/// Who the user sells to: their ideal customer profile and preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brief {
    /// Free text, e.g. "B2B developer tools companies, 50-500 employees, US-based".
    pub icp: String,
    /// The people they want to reach.
    #[serde(default)]
    pub personas: Vec<Persona>,
    /// Prefer companies that raised money recently.
    #[serde(default)]
    pub funding: Option<FundingPref>,
    /// Roles whose hiring signals a need (e.g. "Backend Engineer").
    #[serde(default)]
    pub hiring_roles: Vec<String>,
    /// Tools whose use signals a fit (e.g. "Kubernetes").
    #[serde(default)]
    pub tools: Vec<String>,
}

/// A kind of person the user wants to reach.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    /// Job title, e.g. "VP Engineering".
    pub title: String,
    /// Why they care; free text.
    #[serde(default)]
    pub description: String,
}

/// "Raised money within the last `months` months."
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingPref {
    pub months: u32,
}

/// The user's own company profile, used to write outreach in their voice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    /// The user's company, e.g. "Acme".
    pub company_name: String,
    /// What they offer, as a noun phrase: "a CI service for mobile teams".
    pub product: String,
    /// Who it is for, as a noun phrase: "engineering teams".
    #[serde(default)]
    pub audience: String,
    /// Emails the user wrote; greeting, length and sign-off are taken from them.
    #[serde(default)]
    pub samples: Vec<String>,
}

/// A fetched web page: its address and visible text (possibly empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub url: String,
    pub text: String,
}

/// Where a fact came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Source {
    /// A cell of the uploaded CSV row.
    Cell { column: String, value: String },
    /// A web page.
    Url { url: String },
}

impl Source {
    /// Short text for people: `CSV column "Categories"` or the URL.
    pub fn label(&self) -> String {
        match self {
            Source::Cell { column, .. } => format!("CSV column \"{column}\""),
            Source::Url { url } => url.clone(),
        }
    }

    /// Stable identifier, e.g. for de-duplication: `csv:Categories` or the URL.
    pub fn key(&self) -> String {
        match self {
            Source::Cell { column, .. } => format!("csv:{column}"),
            Source::Url { url } => url.clone(),
        }
    }
}

/// How one criterion applies to a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The data shows the company meets the criterion.
    Match,
    /// The data partly supports it (e.g. only the description mentions it).
    Partial,
    /// The data shows it does not.
    No,
    /// There is no data to tell.
    Unknown,
}

/// One scored criterion of the fit assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable id within a rubric, e.g. `terms:developer`, `size`, `geography`.
    pub id: String,
    /// For people, in the user's own words where possible: "developer tools / API".
    pub label: String,
    /// Relative importance (1..=3 for the built-in analyzer).
    pub weight: u8,
    pub verdict: Verdict,
    /// One sentence explaining the verdict, quoting the data.
    pub reason: String,
    /// The cells/pages the verdict rests on; empty when `Unknown`.
    pub evidence: Vec<Source>,
}

/// The fit of one company against the brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// 0..=100; 50 means "no evidence either way".
    pub score: u8,
    pub criteria: Vec<Criterion>,
    /// One short sentence.
    pub summary: String,
    /// Share (0.0..=1.0) of the total criterion weight that could be checked.
    pub known_weight_share: f32,
}

/// What a buy signal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    Funding,
    Hiring,
    Technology,
}

/// A reason to reach out now, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    pub kind: SignalKind,
    /// Starts with a verb, e.g. "Raised $3M (Series A, March 2024)", "Hiring for Backend Engineer".
    pub summary: String,
    /// When it happened, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or the raw text if not understood).
    pub date: Option<String>,
    /// The cell or page the summary rests on.
    pub source: Source,
    /// Further cells the summary also draws on (e.g. the round and date columns).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Source>,
}

/// A person at the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub title: Option<String>,
    pub linkedin: Option<String>,
    pub email: Option<String>,
    /// The cell the name came from.
    pub source: Source,
}

/// An outreach email draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub subject: String,
    pub body: String,
    /// The summary of the signal the draft refers to, if any.
    pub signal_used: Option<String>,
}
