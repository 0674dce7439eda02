//! The CSV importer: bytes of a company list in, companies to research out.
//!
//! Pure code (no I/O, no async, no Leptos): the browser runs it for the live preview and
//! the server for the real import, so both show the same result.
//!
//! 1. [`parse()`] — decode ([`Parsed::encoding`]), find the delimiter, skip preamble and
//!    footer lines, read the records, name the columns and map them automatically
//!    ([`auto_map`]).
//! 2. The person may change the mapping in the preview.
//! 3. [`build()`] — map, normalize websites ([`normalize_website`]) and merge duplicates.
//!
//! A pasted list goes through [`parse_manual`], which ends in the same [`build()`].

mod build;
mod decode;
mod error;
mod footer;
mod header;
mod manual;
mod mapping;
mod merge;
mod notes;
mod numbers;
mod parse;
mod punycode;
mod sniff;
mod tokenize;
pub mod types;
mod website;

pub use build::build;
pub use error::ImportError;
pub use manual::parse_manual;
pub use mapping::{ALL_FIELDS, auto_map, field_label};
pub use numbers::{parse_count, parse_money};
pub use parse::{MAX_CELLS, MAX_COLUMNS, parse};
pub use types::{
    Cell, Company, Field, Limits, Merge, Outcome, Parsed, Record, Website, merged_column, split_merged_column,
};
pub use website::{
    REASON_BAD_DOMAIN, REASON_BAD_PORT, REASON_CREDENTIALS, REASON_EMAIL, REASON_INTERNAL, REASON_IP,
    REASON_NO_DOT, REASON_NO_HOST, REASON_PLACEHOLDER, REASON_SEVERAL, REASON_SPACES, normalize_website,
};

#[cfg(test)]
mod tests;
