//! A pasted list of companies, one a line, through the same [`build`] as files.

use super::build::build;
use super::error::ImportError;
use super::mapping::auto_map;
use super::tokenize::{Tokenizer, clean};
use super::types::{Field, Limits, Outcome, Parsed, Record, Website};
use super::website::normalize_website;

const NAME: &str = "Company Name";
const SITE: &str = "Website";

/// Reads a pasted list: one company per line, as `Name, website` (also `;`, tab or a
/// space before the website, quotes allowed: `"Acme, Inc.", acme.example`; with more
/// cells, as pasted from a spreadsheet, the first web address is the website and the
/// cells before it the name), a bare domain/URL, or just a name. List bullets (`-`, `*`, `•`, `1.`) are ignored, and a
/// first line like `Company, Website` is taken as a header and skipped. The same
/// normalization and de-duplication as files ([`build`]); `source_row` counts the
/// non-blank lines. Limits are [`Limits::default`].
pub fn parse_manual(text: &str) -> Result<Outcome, ImportError> {
    let limits = Limits::default();
    if text.len() > limits.max_bytes {
        return Err(ImportError::TooLarge { limit: limits.max_bytes, size: text.len() });
    }
    // Lines end in LF or CRLF, or (old Mac text) in a lone CR.
    let lines = || -> Box<dyn Iterator<Item = &str> + '_> {
        if text.contains('\n') { Box::new(text.lines()) } else { Box::new(text.split('\r')) }
    };
    let mut records = Vec::new();
    let mut blank_rows = 0;
    for (i, line) in lines().enumerate() {
        let line = strip_bullet(clean(line));
        if line.is_empty() {
            blank_rows += 1;
            continue;
        }
        if records.is_empty() && is_header(line) {
            continue;
        }
        let (name, site) = split_line(line);
        if records.len() == limits.max_rows {
            let rows = lines().skip(i).filter(|l| !clean(l).is_empty()).count() + records.len();
            return Err(ImportError::TooManyRows { limit: limits.max_rows, rows });
        }
        records.push(Record { source_row: records.len() + 1, line: i + 1, cells: vec![name, site] });
    }
    if records.is_empty() {
        return Err(ImportError::Empty);
    }
    let parsed = Parsed {
        encoding: "UTF-8".to_owned(),
        delimiter: ',',
        decimal_comma: false,
        header_line: 0,
        headers: vec![NAME.to_owned(), SITE.to_owned()],
        records,
        skipped_preamble: Vec::new(),
        skipped_footer: Vec::new(),
        blank_rows,
        warnings: Vec::new(),
        mapping: vec![Some(Field::CompanyName), Some(Field::Website)],
    };
    build(&parsed, &parsed.mapping)
}

fn strip_bullet(line: &str) -> &str {
    for b in ["- ", "* ", "• ", "· ", "– "] {
        if let Some(rest) = line.strip_prefix(b) {
            return clean(rest);
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 4 {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return clean(r);
        }
    }
    line
}

/// A token that was meant as a website (valid or not): a URL, a domain, an email, or a
/// placeholder like `n/a` in the website position.
fn website_like(t: &str) -> bool {
    if t.is_empty() || t.chars().any(char::is_whitespace) {
        return false;
    }
    if t.contains("://") || t.to_ascii_lowercase().starts_with("www.") || t.contains('@') {
        return true;
    }
    match normalize_website(t) {
        Website::Domain { .. } => true,
        Website::Invalid { reason, .. } => {
            reason == super::website::REASON_IP || reason == super::website::REASON_PLACEHOLDER
        }
        Website::Missing => false,
    }
}

/// `(name, website)` of one line; either may be empty.
fn split_line(line: &str) -> (String, String) {
    let sep = ['\t', ';', ',', '|'].into_iter().find(|&d| line.contains(d));
    if let Some(d) = sep {
        let mut cells = Vec::new();
        Tokenizer::new(line, d as u8, 1).next_record(&mut cells);
        cells.retain(|c| !c.is_empty());
        // The website is the first cell that looks like one; the name is what stands
        // before it (or, for `acme.example, Acme`, after it). Later cells are dropped.
        if let Some(w) = cells.iter().position(|c| website_like(c)) {
            let site = cells[w].clone();
            let name = if w > 0 { cells[..w].join(", ") } else { cells[1..].join(", ") };
            return (trim_joiners(&name).to_owned(), site);
        }
    }
    if !line.contains(char::is_whitespace) && website_like(line) {
        return (String::new(), line.to_owned());
    }
    if let Some(i) = line.rfind(char::is_whitespace) {
        let last = &line[i..].trim_start();
        if (last.contains('.') || last.contains("://")) && website_like(last) {
            return (trim_joiners(&line[..i]).to_owned(), (*last).to_owned());
        }
    }
    (line.to_owned(), String::new())
}

/// Drops separators left between a name and its website ("Acme - acme.example").
fn trim_joiners(s: &str) -> &str {
    clean(s).trim_end_matches(['-', '–', '—', ':', '|', ',', ';']).trim_end()
}

/// A line of column names: every part maps to a field, and one of them is the company
/// name or the website ("Company, Website", "Domain").
fn is_header(line: &str) -> bool {
    let d = ['\t', ';', ',', '|'].into_iter().find(|&d| line.contains(d)).unwrap_or(',');
    let mut cells = Vec::new();
    Tokenizer::new(line, d as u8, 1).next_record(&mut cells);
    let m = auto_map(&cells);
    m.iter().all(Option::is_some) && m.iter().any(|f| matches!(f, Some(Field::CompanyName | Field::Website)))
}
