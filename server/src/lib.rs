//! The Cellstack server: configuration, the HTTP router (Leptos pages, server functions,
//! plain routes), background work, and the command line.
//!
//! - start-up and sub-commands: `main.rs`, [`cli`]
//! - configuration: [`config`]
//! - the router and its middleware: [`router`], [`routes`], [`guard`], [`headers`]
//! - database pool and migrations: [`db`]
//! - periodic clean-up: [`maintenance`]
//! - the demo account (`cellstack demo`): [`demo`]

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod guard;
pub mod headers;
pub mod maintenance;
pub mod pipeline;
pub mod providers;
pub mod router;
pub mod routes;

pub use router::{AppState, build_router};
