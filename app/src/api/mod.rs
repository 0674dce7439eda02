//! Server functions: thin wrappers that check the session, call the domain code in
//! `crate::server`, and map its errors. One file per area.

pub mod account;
pub mod auth;
pub mod campaigns;
pub mod outreach;
pub mod profiles;
pub mod runs;

#[cfg(feature = "ssr")]
pub(crate) mod guard;
