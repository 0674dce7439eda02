//! Plain data types that cross the wire between server functions and pages.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in user, as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: Uuid,
    pub email: String,
    pub plan: String,
}

/// A plan's limits and this month's usage, for the account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanUsage {
    pub plan: String,
    pub campaigns_per_month: u32,
    pub companies_per_campaign: u32,
    pub campaigns_this_month: u32,
    /// e.g. "December 2026"
    pub month: String,
}

/// Everything the account page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub user: UserInfo,
    pub usage: PlanUsage,
    pub member_since: String,
    pub profiles: u32,
    pub campaigns: u32,
}

/// A company profile: the user's own company, whose voice outreach is written in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    pub name: String,
    pub website: String,
    pub product: String,
    pub audience: String,
    pub samples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: Uuid,
    pub input: ProfileInput,
    /// e.g. "Dec 3, 2026"
    pub updated: String,
}

/// What a user fills in to create or edit a campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignInput {
    pub name: String,
    pub icp: String,
    pub personas: Vec<crate::research::Persona>,
    /// Prefer companies funded within this many months; `None` = funding not a signal.
    pub funding_months: Option<u32>,
    pub hiring_roles: Vec<String>,
    pub tools: Vec<String>,
    pub profile_id: Option<Uuid>,
    /// Optional spending cap in US cents; reaching it pauses the campaign.
    #[serde(default)]
    pub budget_cents: Option<u32>,
}

/// What a campaign has cost and is expected to cost, in millionths of a US dollar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spend {
    pub spent_micros: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    /// Expected cost of researching every company once with the configured providers.
    pub estimate_micros: i64,
    /// The configured providers, for people ("built-in analyzer, website fetching").
    pub providers: String,
}

/// "1 campaign", "2 campaigns": a count with its noun (regular plurals only).
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// `$0.0123`-style text for a micro-dollar amount (more digits for small amounts).
pub fn dollars(micros: i64) -> String {
    let d = micros as f64 / 1e6;
    if micros == 0 {
        "$0".into()
    } else if d.abs() < 1.0 {
        format!("${d:.4}")
    } else {
        format!("${d:.2}")
    }
}

/// A row of the campaign list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub companies: u32,
    pub done: u32,
    pub failed: u32,
    pub created: String,
}

/// A company of a campaign: one row of the lead table. Also the payload of a `lead`
/// event, so the browser can update the row in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub domain: Option<String>,
    /// 'domain', 'missing' or 'invalid'
    pub website_status: String,
    pub website_note: Option<String>,
    /// queued, researching, done, failed, refused, cancelled
    pub status: String,
    pub score: Option<u8>,
    pub summary: Option<String>,
    pub funding: u32,
    pub hiring: u32,
    pub technology: u32,
    pub contacts: u32,
    pub error: Option<String>,
    /// What researching this company cost, in millionths of a dollar.
    #[serde(default)]
    pub cost_micros: i64,
}

impl CompanyRow {
    pub fn signal_count(&self) -> u32 {
        self.funding + self.hiring + self.technology
    }
}

/// A change to a campaign, as the event stream delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CampaignEvent {
    /// A lead's row changed (a step finished, or it failed).
    Lead { row: CompanyRow },
    /// The campaign's status changed (started, paused, done, ...).
    Status { status: String, reason: Option<String> },
    /// Every row whose status is one of `from` now has status `to`, error cleared (cancel,
    /// retry): one event instead of one per row.
    Rows { from: Vec<String>, to: String },
}

/// One version of a lead's outreach draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachVersion {
    pub version: i32,
    pub subject: String,
    pub body: String,
    /// generated, instruction, manual or restore
    pub kind: String,
    pub instruction: Option<String>,
    pub author: String,
    pub created: String,
}

/// Everything the lead page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadDetail {
    pub campaign_id: Uuid,
    pub campaign_name: String,
    pub row: CompanyRow,
    pub assessment: Option<crate::research::Assessment>,
    pub signals: Vec<crate::research::Signal>,
    pub contacts: Vec<crate::research::Contact>,
    /// What research retrieved for this company (CSV cells, pages).
    pub sources: Vec<crate::research::Source>,
    pub attributes: Vec<crate::import::Cell>,
    pub outreach: Vec<OutreachVersion>,
    /// Which analyzer produced the results, per step.
    pub provenance: serde_json::Value,
}

/// The campaign page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub id: Uuid,
    pub input: CampaignInput,
    pub profile_name: Option<String>,
    pub status: String,
    pub status_reason: Option<String>,
    pub created: String,
    pub companies: Vec<CompanyRow>,
    pub company_limit: u32,
    /// The newest event id when this was read: the event stream resumes after it.
    pub last_event_id: i64,
    /// The last import's summary (merges, skipped rows), shown until the next import.
    pub import_notes: Vec<String>,
    pub spend: Spend,
}

/// What adding companies did, in words for the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddReport {
    pub added: u32,
    pub already_present: u32,
    pub notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(plural(1, "campaign"), "1 campaign");
        assert_eq!(plural(0, "company profile"), "0 company profiles");
        assert_eq!(dollars(0), "$0");
        assert_eq!(dollars(12_300), "$0.0123");
        assert_eq!(dollars(2_500_000), "$2.50");
    }
}
