//! Reusable UI pieces.

pub mod drop_zone;
pub mod form;
pub mod layout;
pub mod list_editor;
pub mod session;
pub mod status;
