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
