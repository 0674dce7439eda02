//! Reusable UI pieces.

pub mod charts;
pub mod dashboard;
pub mod drop_zone;
pub mod form;
pub mod layout;
pub mod leads;
pub mod list_editor;
pub mod live;
pub mod session;
pub mod status;
