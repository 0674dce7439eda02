//! From a parsed table and a mapping to companies: mapping, website normalization and
//! de-duplication by domain.

use std::collections::{HashMap, HashSet};

use super::error::ImportError;
use super::mapping::{ALL_FIELDS, field_label};
use super::merge::{Held, merge_row};
use super::types::{Cell, Company, Field, Merge, Outcome, Parsed, Website};
use super::website::normalize_website;

/// Maps, normalizes and de-duplicates the rows of `parsed`.
///
/// - `mapping[i]` is the field of column `i` (missing entries count as `None`). When
///   several columns map to one field, each row uses the first non-empty value in column
///   order, so an empty duplicate column never hides a filled one.
/// - Needs a column mapped to [`Field::CompanyName`] or [`Field::Website`], else
///   [`ImportError::NoNameOrWebsiteColumn`].
/// - A row with a name and no website is kept ([`Website::Missing`]); a row with only a
///   usable website takes the domain as its name; a row with neither is listed in
///   `skipped_no_name` (with a `flagged` note when it had an unusable website).
/// - Unusable websites keep the company (researched by name, never fetched) and are
///   listed in `invalid_websites`.
/// - Rows with the same domain are merged into the first: later rows are listed in
///   `merges`, fill fields the first row left empty (and its name, when the first row
///   had only a domain), add their contact and keep every other value they add as an
///   attribute (see [`merge_row`]).
/// - A domain whose parent domain is also in the list (`shop.acme.example` next to
///   `acme.example`) stays a separate company, flagged
///   "subdomain of acme.example (kept separate)".
pub fn build(parsed: &Parsed, mapping: &[Option<Field>]) -> Result<Outcome, ImportError> {
    let headers = &parsed.headers;
    let map: Vec<Option<Field>> = (0..headers.len()).map(|i| mapping.get(i).copied().flatten()).collect();
    if !map.iter().any(|m| matches!(m, Some(Field::CompanyName | Field::Website))) {
        return Err(ImportError::NoNameOrWebsiteColumn);
    }
    let mut warnings = Vec::new();
    for field in ALL_FIELDS {
        let cols: Vec<String> = map
            .iter()
            .enumerate()
            .filter(|(_, m)| **m == Some(field))
            .map(|(i, _)| format!("\"{}\"", headers[i]))
            .collect();
        if cols.len() > 1 {
            warnings.push(format!(
                "Columns {} are all mapped to {}; each row uses the first non-empty one.",
                cols.join(", "),
                field_label(field)
            ));
        }
    }
    let mapped: Vec<(usize, Field)> = map.iter().enumerate().filter_map(|(i, m)| m.map(|f| (i, f))).collect();

    let mut done = FieldSet::default();
    let n_fields = mapped.iter().filter(|&&(_, f)| done.insert(f)).count();
    let person: Vec<bool> = map.iter().map(|m| m.is_some_and(Field::is_person)).collect();

    let mut companies: Vec<Company> = Vec::with_capacity(parsed.records.len());
    let mut name_from_domain: Vec<bool> = Vec::new();
    let mut by_domain: HashMap<String, usize> = HashMap::new();
    // (company index, merged rows) in order of the first merge.
    let mut merges: Vec<(usize, Vec<(usize, String)>)> = Vec::new();
    let mut merge_of: HashMap<usize, usize> = HashMap::new();
    let mut held: HashMap<usize, Held> = HashMap::new();
    let mut invalid_websites = Vec::new();
    let mut skipped_no_name = Vec::new();
    let mut flagged = Vec::new();

    for rec in &parsed.records {
        let row = rec.source_row;
        let cell = |i: usize| rec.cells.get(i).map_or("", String::as_str);
        // First non-empty value of a field, without copying anything yet.
        let first =
            |f: Field| mapped.iter().filter(|(_, g)| *g == f).map(|&(i, _)| cell(i)).find(|v| !v.is_empty());
        let mut name = one_line(first(Field::CompanyName).unwrap_or(""));
        let website = first(Field::Website).map_or(Website::Missing, normalize_website);
        let from_domain = name.is_empty();
        match (&website, from_domain) {
            (Website::Domain { domain }, true) => name = domain.clone(),
            (Website::Missing, true) => {
                skipped_no_name.push(row);
                continue;
            }
            (Website::Invalid { raw, reason }, true) => {
                skipped_no_name.push(row);
                flagged.push((
                    row,
                    format!("no company name, and the website \"{raw}\" is unusable ({reason})"),
                ));
                continue;
            }
            _ => {}
        }
        if let Website::Domain { domain } = &website {
            if let Some(&k) = by_domain.get(domain) {
                let kept = &mut companies[k];
                let held = held.entry(k).or_insert_with(|| Held::of(kept, headers, &person));
                merge_row(kept, held, row, &rec.cells, headers, &mapped, &person);
                if name_from_domain[k] && !from_domain {
                    kept.name = name.clone();
                    name_from_domain[k] = false;
                }
                let m = *merge_of.entry(k).or_insert_with(|| {
                    merges.push((k, Vec::new()));
                    merges.len() - 1
                });
                merges[m].1.push((row, name));
                continue;
            }
            by_domain.insert(domain.clone(), companies.len());
        }
        if let Website::Invalid { reason, .. } = &website {
            invalid_websites.push((row, name.clone(), reason.clone()));
        }
        let mut fields: Vec<(Field, Cell)> = Vec::with_capacity(n_fields);
        let mut done = FieldSet::default();
        for &(i, f) in &mapped {
            let v = cell(i);
            if !v.is_empty() && done.insert(f) {
                fields.push((f, Cell { column: headers[i].clone(), value: v.to_owned() }));
            }
        }
        let mut attributes = Vec::with_capacity(rec.cells.iter().filter(|v| !v.is_empty()).count());
        attributes.extend(
            headers
                .iter()
                .zip(&rec.cells)
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| Cell { column: h.clone(), value: v.clone() }),
        );
        companies.push(Company { source_row: row, name, website, fields, attributes });
        name_from_domain.push(from_domain);
    }

    // Subdomains of other companies in the list.
    let domains: HashSet<&str> = by_domain.keys().map(String::as_str).collect();
    for c in &companies {
        if let Some(d) = c.domain() {
            let parent = d
                .match_indices('.')
                .map(|(i, _)| &d[i + 1..])
                .find(|p| p.contains('.') && domains.contains(p));
            if let Some(p) = parent {
                flagged.push((c.source_row, format!("subdomain of {p} (kept separate)")));
            }
        }
    }
    flagged.sort_by_key(|(row, _)| *row);

    if !skipped_no_name.is_empty() {
        warnings.push(format!(
            "{} row(s) had neither a company name nor a usable website and were skipped.",
            skipped_no_name.len()
        ));
    }
    let merges = merges
        .into_iter()
        .map(|(k, merged)| {
            let c = &companies[k];
            Merge {
                domain: c.domain().unwrap_or_default().to_owned(),
                kept_row: c.source_row,
                kept_name: c.name.clone(),
                merged,
            }
        })
        .collect();
    Ok(Outcome { companies, merges, invalid_websites, skipped_no_name, flagged, warnings })
}

/// A set of fields as bits (no allocation, no bounds to check).
#[derive(Default)]
pub(super) struct FieldSet(u64);

impl FieldSet {
    /// Adds `f`; false if it was already there.
    pub(super) fn insert(&mut self, f: Field) -> bool {
        let bit = 1u64 << ((f as u32) % 64);
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }
}

/// Line breaks and runs of spaces in a name become one space.
fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r', '\t']) || s.contains("  ") {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        s.to_owned()
    }
}
