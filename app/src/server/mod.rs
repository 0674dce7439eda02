//! Server-only code of the app layer: database access, sessions, and the domain rules
//! server functions call. Compiled only with the `ssr` feature.

pub mod account;
pub mod campaigns;
pub mod companies;
pub mod ctx;
pub mod events;
pub mod leads;
pub mod outreach;
pub mod password;
pub mod profiles;
pub mod reviser;
pub mod runs;
pub mod session;
pub mod settings;
pub mod throttle;
pub mod users;

pub use ctx::{Ctx, respond};
pub use settings::{Plan, Settings};
