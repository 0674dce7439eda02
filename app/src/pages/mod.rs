//! One file per page (see the routes in `lib.rs`).

pub mod account;
pub mod auth;
pub mod campaign;
pub mod campaign_data;
pub mod campaign_form;
pub mod campaigns;
pub mod home;
pub mod lead;
pub mod not_found;
pub mod privacy;
pub mod profiles;
