//! Bytes to a [`Parsed`] table: decode, sniff, find header / preamble / footer, records.

use super::decode::decode;
use super::error::ImportError;
use super::header::{FOOTER_MAX, TailRow, find_header, footer_start, make_headers, non_empty};
use super::mapping::auto_map;
use super::sniff::{self, SAMPLE, is_blank};
use super::tokenize::{Span, Tokenizer};
use super::types::{Limits, Parsed, Record, Website};
use super::website::normalize_website;

struct Row {
    span: Span,
    cells: Vec<String>,
}

/// How many rows are listed by number in a warning.
const LIST_MAX: usize = 5;

/// Reads a CSV/TSV file (any of the supported encodings) into a table.
///
/// Errors: [`ImportError::TooLarge`] before any work when `bytes` exceeds
/// `limits.max_bytes`; [`ImportError::Empty`] when there is nothing but blank lines;
/// [`ImportError::TooManyRows`] when there are more than `limits.max_rows` data rows
/// (nothing partial is returned); [`ImportError::Spreadsheet`] / [`ImportError::NotText`]
/// for workbooks and binary files; [`ImportError::NoHeader`] when the first row holds web
/// addresses or emails and no known column name.
///
/// Every data record has exactly `headers.len()` cells. Rows with more cells than the
/// header add columns named `Column N` (with a warning); extra cells that are all empty
/// (trailing delimiters) are dropped silently, and so are unnamed columns with no data.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Parsed, ImportError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImportError::TooLarge { limit: limits.max_bytes, size: bytes.len() });
    }
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    let decoded = decode(bytes)?;
    let mut warnings = decoded.warnings;
    let text = decoded.text.as_str();

    // `sep=X` first line.
    let (body, first_line, delimiter) = match sniff::sep_line(text) {
        Some(sep) => {
            let d = match sep.delimiter {
                Some(d) => d,
                None => {
                    warnings.push(format!(
                        "The first line names the delimiter {:?}, which cannot be used; it was detected instead.",
                        sep.raw
                    ));
                    sniff::delimiter(&text[sep.len..])
                }
            };
            (&text[sep.len..], 2, d)
        }
        None => (text, 1, sniff::delimiter(text)),
    };

    // All records; blank ones only counted. Past the row limit, only counted.
    let cap = limits.max_rows.saturating_add(SAMPLE + FOOTER_MAX + 1);
    let mut tok = Tokenizer::new(body, delimiter as u8, first_line);
    let mut rows: Vec<Row> = Vec::new();
    let mut blank_rows = 0usize;
    let mut non_blank = 0usize;
    let mut cells: Vec<String> = Vec::new();
    while let Some(span) = tok.next_record(&mut cells) {
        if is_blank(&cells) {
            blank_rows += 1;
            continue;
        }
        non_blank += 1;
        if non_blank <= cap {
            let width = cells.len();
            rows.push(Row { span, cells: std::mem::replace(&mut cells, Vec::with_capacity(width)) });
        }
    }
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    for line in tok.unclosed_quotes.iter().take(LIST_MAX) {
        warnings.push(format!(
            "Line {line}: a quote (\") is never closed; it was read as an ordinary character."
        ));
    }

    // Header and preamble.
    let sample: Vec<(usize, usize)> = rows
        .iter()
        .take(SAMPLE)
        .map(|r| (r.cells.len(), non_empty(&r.cells)))
        .collect();
    let h = find_header(&sample);
    if non_blank > cap {
        return Err(ImportError::TooManyRows { limit: limits.max_rows, rows: non_blank - h - 1 });
    }
    let header_len = rows[h].cells.len();

    // Footer.
    let data_all = &rows[h + 1..];
    let tail: Vec<TailRow<'_>> = data_all
        .iter()
        .map(|r| TailRow {
            len: r.cells.len(),
            filled: non_empty(&r.cells),
            text: body[r.span.start..r.span.end].trim(),
        })
        .collect();
    let n_data = footer_start(&tail, header_len);
    if n_data > limits.max_rows {
        return Err(ImportError::TooManyRows { limit: limits.max_rows, rows: n_data });
    }
    let raw_text = |r: &Row| body[r.span.start..r.span.end].trim().to_owned();
    let skipped_preamble: Vec<String> = rows[..h].iter().map(raw_text).collect();
    let skipped_footer: Vec<String> = data_all[n_data..].iter().map(raw_text).collect();
    let header_line = rows[h].span.line;

    // Width: the header, widened by rows with extra non-empty cells.
    let mut width = header_len;
    let mut wide_rows: Vec<usize> = Vec::new();
    for (i, r) in data_all[..n_data].iter().enumerate() {
        if r.cells.len() > header_len {
            let last = r.cells.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1);
            if last > header_len {
                width = width.max(last);
                wide_rows.push(i + 1);
            }
        }
    }
    drop(tail);
    let mut rows = rows;
    let data: Vec<Row> = rows.drain(h + 1..h + 1 + n_data).collect();
    let mut raw_headers = std::mem::take(&mut rows[h].cells);
    raw_headers.resize(width, String::new());

    // Unnamed columns without any data go.
    let keep: Vec<bool> = (0..width)
        .map(|c| !raw_headers[c].is_empty() || data.iter().any(|r| r.cells.get(c).is_some_and(|v| !v.is_empty())))
        .collect();
    let all_kept = keep.iter().all(|&k| k);
    let positions: Vec<usize> = (0..width).filter(|&c| keep[c]).collect();
    if !all_kept {
        raw_headers = raw_headers.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(h, _)| h).collect();
    }
    let headers = make_headers(&raw_headers, &positions, &mut warnings);
    if !wide_rows.is_empty() {
        let list: Vec<String> = wide_rows.iter().take(LIST_MAX).map(|r| r.to_string()).collect();
        warnings.push(format!(
            "{} row(s) have more cells than the header (rows {}{}); the extra cells are in columns named \"Column {}\" and on.",
            wide_rows.len(),
            list.join(", "),
            if wide_rows.len() > LIST_MAX { ", …" } else { "" },
            header_len + 1
        ));
    }

    let records: Vec<Record> = data
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = r.cells;
            cells.resize(width, String::new());
            if !all_kept {
                let mut c = 0;
                cells.retain(|_| {
                    c += 1;
                    keep[c - 1]
                });
            }
            Record { source_row: i + 1, line: r.span.line, cells }
        })
        .collect();

    let mapping = auto_map(&headers);
    if mapping.iter().all(Option::is_none) && raw_headers.iter().any(|c| looks_like_data(c)) {
        return Err(ImportError::NoHeader);
    }
    Ok(Parsed {
        encoding: decoded.encoding.to_owned(),
        delimiter,
        decimal_comma: delimiter == ';',
        header_line,
        headers,
        records,
        skipped_preamble,
        skipped_footer,
        blank_rows,
        warnings,
        mapping,
    })
}

/// A header cell that is really a value: a URL, an email or a bare domain.
fn looks_like_data(cell: &str) -> bool {
    cell.contains("://")
        || cell.starts_with("www.")
        || cell.contains('@')
        || (cell.contains('.')
            && !cell.ends_with('.')
            && matches!(normalize_website(cell), Website::Domain { .. }))
}
