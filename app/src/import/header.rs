//! Where the table starts: the header row (after any preamble), header rows repeated in
//! the data, and clean, unique column names.

use super::mapping::auto_map;
use super::notes::{is_note, is_numeric, looks_like_data};
use super::parse::MAX_COLUMNS;
use super::sniff::{SAMPLE, mode};

pub(crate) fn non_empty(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.is_empty()).count()
}

/// Index (among the non-blank records) of the header row; `rows` are the first records
/// as (number of fields, cells).
///
/// The table width `W` is the most common field count of the first [`SAMPLE`] records.
/// The header is the first record with at least `max(2, ⌈W/2⌉)` non-empty cells (1 for
/// a one-column file) that does not read like a title ([`reads_like_title`]), so report
/// titles, export dates and Excel rows padded with empty cells ("Report: Accounts,,,,")
/// above it are preamble. A later record with more cells named like known columns (the
/// mapping's aliases) wins over it — two or more, or one when it is as wide as the table
/// and the first pick is not — since a title can split into as many cells as a header
/// ("Accounts, by region"), and a header with unnamed trailing columns
/// ("Company,Website,,,,") can have fewer filled cells than the rule asks.
pub(crate) fn find_header(rows: &[(usize, &[String])]) -> usize {
    let sample = &rows[..rows.len().min(SAMPLE)];
    let widths: Vec<usize> = sample.iter().map(|&(len, _)| len).collect();
    let (width, _) = mode(&widths);
    let need = if width >= 2 { width.div_ceil(2).max(2) } else { 1 };
    let full = |&(_, cells): &(usize, &[String])| non_empty(cells) >= need;
    let pick = sample
        .iter()
        .position(|r| full(r) && !reads_like_title(r.1))
        .or_else(|| sample.iter().position(full))
        .unwrap_or(0);
    let known = |&(_, cells): &(usize, &[String])| {
        // Wider than any table we take: not a header, and not worth mapping.
        if cells.len() > MAX_COLUMNS || cells.iter().any(|c| looks_like_data(c)) {
            return 0;
        }
        auto_map(cells).iter().filter(|m| m.is_some()).count()
    };
    let names: Vec<usize> = sample.iter().map(known).collect();
    let best = names.iter().copied().max().unwrap_or(0);
    let Some(named) = names.iter().position(|&k| k == best) else { return pick };
    let wide = |i: usize| sample[i].0 == width;
    if best > names[pick] && (best >= 2 || (wide(named) && !wide(pick))) { named } else { pick }
}

/// A short record (three cells at most) that reads like a title or a label line, not
/// like column names: a first cell that is a note ("Exported 2026-01-01"), a cell ending
/// in a colon ("Date range:,Jan 1 - Jan 31"), or a last cell that is the only number or
/// date ("Report generated on Jan 5, 2026" splits into "… Jan 5" and "2026").
fn reads_like_title(cells: &[String]) -> bool {
    let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    let Some((last, before)) = filled.split_last() else { return false };
    filled.len() <= 3
        && (is_note(filled[0])
            || filled.iter().any(|c| c.ends_with(':'))
            || (is_numeric(last) && !before.iter().any(|c| is_numeric(c))))
}

/// A data record that repeats the header (files concatenated from several exports):
/// the same names in the same places, case and spaces aside. `filled` is
/// `non_empty(header)`, counted once for all rows.
pub(crate) fn repeats_header(header: &[String], filled: usize, cells: &[String]) -> bool {
    filled >= 1
        && cells.len() <= header.len()
        && non_empty(cells) == filled
        && header.iter().zip(cells).all(|(h, c)| h.to_lowercase() == c.to_lowercase())
}

/// Clean, unique column names from trimmed header cells: empty → `Column N` (`N` from
/// `positions[i]`, the 0-based column in the file); a repeated name (case-insensitive) →
/// `Name (2)`, `Name (3)`, with one warning per name.
pub(crate) fn make_headers(raw: &[String], positions: &[usize], warnings: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut taken: std::collections::HashSet<String> = raw.iter().map(|h| h.to_lowercase()).collect();
    let mut seen: std::collections::HashMap<String, Vec<usize>> = Default::default();
    let mut order: Vec<String> = Vec::new();
    for (i, h) in raw.iter().enumerate() {
        if h.is_empty() {
            let pos = positions.get(i).copied().unwrap_or(i) + 1;
            let mut name = format!("Column {pos}");
            let mut k = 2;
            while taken.contains(&name.to_lowercase()) {
                name = format!("Column {pos} ({k})");
                k += 1;
            }
            taken.insert(name.to_lowercase());
            out.push(name);
            continue;
        }
        let key = h.to_lowercase();
        let cols = seen.entry(key.clone()).or_default();
        if cols.is_empty() {
            order.push(key);
            cols.push(i);
            out.push(h.clone());
            continue;
        }
        cols.push(i);
        let mut k = cols.len();
        let mut name = format!("{h} ({k})");
        while taken.contains(&name.to_lowercase()) {
            k += 1;
            name = format!("{h} ({k})");
        }
        taken.insert(name.to_lowercase());
        out.push(name);
    }
    for key in order {
        let cols = &seen[&key];
        if cols.len() > 1 {
            let names: Vec<String> = cols.iter().map(|&c| format!("\"{}\"", out[c])).collect();
            warnings.push(format!(
                "The column name \"{}\" appears {} times (columns {}); they are kept apart as {}. \
                 When several of them are mapped to the same field, the first non-empty value is used.",
                out[cols[0]],
                cols.len(),
                cols.iter()
                    .map(|&c| (positions.get(c).copied().unwrap_or(c) + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                names.join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(rows: &[(usize, &[&str])]) -> usize {
        let cells: Vec<Vec<String>> =
            rows.iter().map(|(_, c)| c.iter().map(|s| s.to_string()).collect()).collect();
        let rows: Vec<(usize, &[String])> = rows.iter().zip(&cells).map(|(r, c)| (r.0, &c[..])).collect();
        find_header(&rows)
    }

    #[test]
    fn header_after_padded_preamble() {
        // Title padded to width, export date, header, data.
        let rows: [(usize, &[&str]); 5] = [
            (4, &["Report: Accounts"]),
            (1, &["Exported 2026-01-01"]),
            (4, &["Firma", "Netz", "Land", "Größe"]),
            (4, &["Acme", "acme.example", "US"]),
            (4, &["Beta", "beta.example"]),
        ];
        assert_eq!(header(&rows), 2);
        assert_eq!(header(&[(1, &["Acme"]), (1, &["Beta"])]), 0);
        // Year columns are column names, not a title.
        assert_eq!(header(&[(3, &["Company", "2024", "2025"]), (3, &["Acme", "1", "2"])]), 0);
    }

    #[test]
    fn repeated_header() {
        let h: Vec<String> = ["Company", "", "Website"].iter().map(|s| s.to_string()).collect();
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(repeats_header(&h, 2, &row(&["company", "", "WEBSITE"])));
        assert!(!repeats_header(&h, 2, &row(&["Company", "x", "Website"])));
        assert!(!repeats_header(&h, 2, &row(&["Company"])));
        assert!(!repeats_header(&h, 2, &row(&["Company", "", "Website", "x"])));
    }

    #[test]
    fn header_names() {
        let raw: Vec<String> =
            ["Website", "", "website", "Website (2)", "Website"].iter().map(|s| s.to_string()).collect();
        let mut w = Vec::new();
        let h = make_headers(&raw, &[0, 1, 2, 3, 4], &mut w);
        assert_eq!(h, ["Website", "Column 2", "website (3)", "Website (2)", "Website (4)"]);
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("The column name \"Website\" appears 3 times (columns 1, 3, 5)"));
    }
}
