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

/// A company of a campaign, as the campaign page lists it before research.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub domain: Option<String>,
    /// 'domain', 'missing' or 'invalid'
    pub website_status: String,
    pub website_note: Option<String>,
    pub status: String,
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
    /// The last import's summary (merges, skipped rows), shown until the next import.
    pub import_notes: Vec<String>,
}

/// What adding companies did, in words for the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddReport {
    pub added: u32,
    pub already_present: u32,
    pub notes: Vec<String>,
}
