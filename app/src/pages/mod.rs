//! One file per page (see the routes in `lib.rs`).

pub mod account;
pub mod auth;
pub mod home;
pub mod not_found;
pub mod privacy;
