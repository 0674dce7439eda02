//! The one error type of the importer, with messages meant for the person importing.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a file or pasted list could not be imported at all. Problems with single rows are
/// not errors: they are reported in [`Parsed`](super::Parsed) / [`Outcome`](super::Outcome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportError {
    /// No bytes, or nothing but blank lines.
    Empty,
    /// A header row but no data rows under it.
    NoRows,
    /// The file is larger than the limit (checked before reading it).
    TooLarge { limit: usize, size: usize },
    /// More data rows than the limit; nothing is imported.
    TooManyRows { limit: usize, rows: usize },
    /// More columns than the importer takes.
    TooManyColumns { limit: usize, columns: usize },
    /// Data rows × columns over the limit (a very wide table with many rows).
    TooManyCells { limit: usize, rows: usize, columns: usize },
    /// An Excel workbook (`.xlsx` / `.xls`) instead of a CSV file.
    Spreadsheet,
    /// Binary content (NUL bytes): not a text file.
    NotText,
    /// The first row looks like data (web addresses, emails), not column names.
    NoHeader,
    /// No column is mapped to the company name or the website.
    NoNameOrWebsiteColumn,
}

fn mb(bytes: usize) -> String {
    let m = bytes as f64 / (1024.0 * 1024.0);
    if m >= 10.0 { format!("{m:.0} MB") } else { format!("{m:.1} MB") }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => f.write_str("The file is empty: it has no rows to import."),
            ImportError::NoRows => f.write_str("The file has column names but no data rows under them."),
            ImportError::TooLarge { limit, size } => write!(
                f,
                "The file is too large ({}); the limit is {}. Split it into smaller files.",
                mb(*size),
                mb(*limit)
            ),
            ImportError::TooManyRows { limit, rows } => write!(
                f,
                "The file has {rows} rows; at most {limit} can be imported at once. \
                 Split it into smaller files."
            ),
            ImportError::TooManyColumns { limit, columns } => write!(
                f,
                "The file has {columns} columns; at most {limit} can be imported. \
                 Remove the columns you do not need."
            ),
            ImportError::TooManyCells { limit, rows, columns } => write!(
                f,
                "The file has {rows} rows of {columns} columns, more than the {limit} cells \
                 that can be imported at once. Remove columns you do not need or split the file."
            ),
            ImportError::Spreadsheet => f.write_str(
                "This is an Excel workbook, not a CSV file. In Excel choose \
                 File > Save As > \"CSV UTF-8\" and import that file.",
            ),
            ImportError::NotText => f.write_str(
                "This does not look like a text file (it contains binary data). \
                 Export your list as CSV and import that file.",
            ),
            ImportError::NoHeader => f.write_str(
                "The first row looks like data, not column names. Add a header row \
                 (for example \"Company Name,Website\") and import again.",
            ),
            ImportError::NoNameOrWebsiteColumn => f.write_str(
                "No column is mapped to the company name or the website. \
                 Choose which column holds the company name or its website.",
            ),
        }
    }
}

impl std::error::Error for ImportError {}
