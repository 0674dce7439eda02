//! Types the importer produces. Shared by the browser preview, the server import,
//! the built-in analyzer and the command line, so they stay free of I/O and of Leptos.

use serde::{Deserialize, Serialize};

/// A canonical field a source column can be mapped onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    CompanyName,
    Website,
    CompanyLinkedin,
    Description,
    Industry,
    Employees,
    Location,
    Country,
    FoundedYear,
    Technologies,
    TotalFunding,
    LatestFundingAmount,
    LatestFundingRound,
    LatestFundingDate,
    Hiring,
    PersonName,
    PersonFirstName,
    PersonLastName,
    PersonTitle,
    PersonEmail,
    PersonLinkedin,
}

impl Field {
    /// A field about a person (a contact at the company), not about the company.
    pub fn is_person(self) -> bool {
        matches!(
            self,
            Field::PersonName
                | Field::PersonFirstName
                | Field::PersonLastName
                | Field::PersonTitle
                | Field::PersonEmail
                | Field::PersonLinkedin
        )
    }
}

/// The column name under which a value of data row `row`, merged into an earlier row
/// with the same domain, is kept: `Title (row 7)`.
pub fn merged_column(column: &str, row: usize) -> String {
    format!("{column} (row {row})")
}

/// The file's column and the merged row of a name made by [`merged_column`]
/// (`("Title", Some(7))`), or the name itself and `None`.
pub fn split_merged_column(column: &str) -> (&str, Option<usize>) {
    let parsed = column.strip_suffix(')').and_then(|s| {
        let i = s.rfind(" (row ")?;
        let digits = &s[i + 6..];
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((&s[..i], digits.parse().ok()?))
    });
    parsed.map_or((column, None), |(base, row)| (base, Some(row)))
}

/// One value from the file, with the column it came from: the citation for any fact
/// derived from it ("csv:Categories").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Column header as shown to the user (after trimming and de-duplication, e.g. `Website (2)`).
    pub column: String,
    pub value: String,
}

/// Result of normalizing a website cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Website {
    /// No website given: researched by name only.
    Missing,
    /// A canonical domain (lowercase, no `www.`, punycode), safe to try fetching.
    Domain { domain: String },
    /// Given but unusable; never fetched. `reason` is for humans.
    Invalid { raw: String, reason: String },
}

/// A company row after mapping and normalization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Company {
    /// 1-based record number in the source file's data (after the header), for messages.
    pub source_row: usize,
    pub name: String,
    pub website: Website,
    /// Mapped cells: each canonical field with the cell it came from (first non-empty
    /// wins). Person fields may repeat: rows merged into this one (same domain) add their
    /// contact as cells named by [`merged_column`] (`First Name (row 7)`).
    pub fields: Vec<(Field, Cell)>,
    /// Every non-empty cell of the row, mapped or not, in column order (kept for research),
    /// then what merged rows added: values of columns this row left empty under the
    /// column's name, other values (and their contact's cells) under [`merged_column`].
    pub attributes: Vec<Cell>,
}

impl Company {
    /// The cell mapped onto `field`, if any: this row's own (person fields of merged rows
    /// are other people's, see [`Company::fields`]).
    pub fn field(&self, field: Field) -> Option<&Cell> {
        self.fields
            .iter()
            .find(|(f, c)| *f == field && (!f.is_person() || split_merged_column(&c.column).1.is_none()))
            .map(|(_, c)| c)
    }

    /// The canonical domain, when the website normalized to one.
    pub fn domain(&self) -> Option<&str> {
        match &self.website {
            Website::Domain { domain } => Some(domain),
            _ => None,
        }
    }
}

/// Size limits applied by [`parse`](super::parse()) before and while reading a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest accepted file, in bytes (checked before any decoding).
    pub max_bytes: usize,
    /// Most data rows accepted (blank rows, preamble and footer lines do not count).
    pub max_rows: usize,
}

impl Default for Limits {
    /// 20 MB and 50,000 data rows.
    fn default() -> Self {
        Limits { max_bytes: 20 * 1024 * 1024, max_rows: 50_000 }
    }
}

/// One data row of the file, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// 1-based number of this row among the data rows (blank rows, preamble and
    /// footer lines are not counted). Becomes [`Company::source_row`].
    pub source_row: usize,
    /// 1-based physical line of the file where the row starts (a `sep=` line counts).
    pub line: usize,
    /// Trimmed cell values, always exactly one per header (short rows are padded with "").
    pub cells: Vec<String>,
}

/// A file read into a table: what the preview shows and what [`build`](super::build()) maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    /// "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE" or "Windows-1252".
    pub encoding: String,
    /// `,` `;` tab or `|` (or the character a `sep=` line named).
    pub delimiter: char,
    /// Whether numbers in this file likely use a decimal comma (`12,5`): true when the
    /// delimiter is `;`, as European Excel writes. A hint for [`parse_money`](super::parse_money).
    pub decimal_comma: bool,
    /// 1-based physical line of the header row.
    pub header_line: usize,
    /// Column names, trimmed (incl. NBSP); duplicates renamed `Website (2)`; empty ones `Column 3`.
    pub headers: Vec<String>,
    pub records: Vec<Record>,
    /// Non-blank lines above the header that were left out (e.g. "Report: Accounts").
    pub skipped_preamble: Vec<String>,
    /// Lines after the data that were left out (e.g. "Total: 42").
    pub skipped_footer: Vec<String>,
    /// Rows that were empty or held only delimiters/whitespace, anywhere in the file.
    pub blank_rows: usize,
    pub warnings: Vec<String>,
    /// The automatic mapping, one entry per header (see [`auto_map`](super::auto_map)).
    pub mapping: Vec<Option<Field>>,
}

/// Rows that named the same domain: the first is kept, the others merged into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    pub domain: String,
    pub kept_row: usize,
    pub kept_name: String,
    /// `(source_row, name)` of every later row with the same domain.
    pub merged: Vec<(usize, String)>,
}

/// The result of [`build`](super::build()): companies ready to research plus a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub companies: Vec<Company>,
    pub merges: Vec<Merge>,
    /// `(source_row, name, reason)` of kept companies whose website is unusable (never fetched).
    pub invalid_websites: Vec<(usize, String, String)>,
    /// Rows with neither a name nor a usable website.
    pub skipped_no_name: Vec<usize>,
    /// `(source_row, note)`, e.g. "subdomain of acme.example (kept separate)".
    pub flagged: Vec<(usize, String)>,
    pub warnings: Vec<String>,
}
