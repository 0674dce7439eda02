//! Bytes to a [`Parsed`] table: decode, sniff, find header / preamble / footer, records.

use super::decode::decode;
use super::error::ImportError;
use super::footer::{FOOTER_MAX, TailRow, footer_start, loose_line};
use super::header::{find_header, make_headers, non_empty, repeats_header};
use super::mapping::auto_map;
use super::notes::looks_like_data;
use super::sniff::{self, SAMPLE, is_blank};
use super::tokenize::{Span, Tokenizer};
use super::types::{Limits, Parsed, Record};

struct Row {
    span: Span,
    cells: Vec<String>,
    /// A blank line stands right above it.
    after_blank: bool,
}

/// How many rows are listed by number in a warning.
const LIST_MAX: usize = 5;

/// Most columns a table may have (after unnamed, empty ones are dropped).
pub const MAX_COLUMNS: usize = 2_000;

/// Most cells (data rows × columns) a table may have: bounds memory for files whose rows
/// are short but whose header is very wide.
pub const MAX_CELLS: usize = 10_000_000;

/// Reads a CSV/TSV file (any of the supported encodings) into a table.
///
/// Errors: [`ImportError::TooLarge`] before any work when `bytes` exceeds
/// `limits.max_bytes`; [`ImportError::Empty`] when there is nothing but blank lines;
/// [`ImportError::NoRows`] when there is a header and no data under it;
/// [`ImportError::TooManyRows`] when there are more than `limits.max_rows` data rows
/// (nothing partial is returned); [`ImportError::Spreadsheet`] / [`ImportError::NotText`]
/// for workbooks and binary files; [`ImportError::NoHeader`] when the first row holds web
/// addresses or emails and no known column name.
///
/// Preamble and footer lines are told apart by what they read like (see `header.rs` and
/// `footer.rs`); header rows repeated in the data are skipped with a warning.
///
/// Every data record has exactly `headers.len()` cells. Rows with more cells than the
/// header add columns named `Column N` (with a warning); extra cells that are all empty
/// (trailing delimiters) are dropped silently, and so are unnamed columns with no data.
/// More than [`MAX_COLUMNS`] columns or [`MAX_CELLS`] cells is an error
/// ([`ImportError::TooManyColumns`] / [`ImportError::TooManyCells`]).
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
    let mut after_blank = false;
    while let Some(span) = tok.next_record(&mut cells) {
        if is_blank(&cells) {
            blank_rows += 1;
            after_blank = true;
            continue;
        }
        non_blank += 1;
        if non_blank <= cap {
            let width = cells.len();
            let cells = std::mem::replace(&mut cells, Vec::with_capacity(width));
            rows.push(Row { span, cells, after_blank });
        }
        after_blank = false;
    }
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    warnings.extend(quote_warnings(&tok));

    // Header and preamble.
    let sample: Vec<(usize, &[String])> =
        rows.iter().take(SAMPLE).map(|r| (r.span.fields, &r.cells[..])).collect();
    let h = find_header(&sample);
    drop(sample);
    if non_blank > cap {
        return Err(ImportError::TooManyRows { limit: limits.max_rows, rows: non_blank - h - 1 });
    }
    let mut data_all = rows.split_off(h + 1);
    let Some(header) = rows.pop() else { return Err(ImportError::Empty) };
    let header_len = header.span.fields;
    if auto_map(&header.cells).iter().all(Option::is_none) && header.cells.iter().any(|c| looks_like_data(c))
    {
        return Err(ImportError::NoHeader);
    }

    // Named columns are always kept: too many is an error whatever the data holds.
    let named = non_empty(&header.cells);
    if named > MAX_COLUMNS {
        return Err(ImportError::TooManyColumns { limit: MAX_COLUMNS, columns: named });
    }

    // Header rows repeated in the data (files joined from several exports).
    let mut repeated: Vec<usize> = Vec::new();
    data_all.retain(|r| {
        let again = repeats_header(&header.cells, named, &r.cells);
        if again {
            repeated.push(r.span.line);
        }
        !again
    });

    // Footer.
    let tail: Vec<TailRow<'_>> = data_all
        .iter()
        .map(|r| TailRow { len: r.span.fields, cells: &r.cells, after_blank: r.after_blank })
        .collect();
    let n_data = footer_start(&tail, header_len);
    let loose = loose_line(&tail, n_data, header_len);
    let notes: Vec<usize> = tail[..n_data]
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_note(header_len))
        .map(|(i, _)| i + 1)
        .collect();
    drop(tail);
    if n_data > limits.max_rows {
        return Err(ImportError::TooManyRows { limit: limits.max_rows, rows: n_data });
    }
    if n_data == 0 {
        return Err(ImportError::NoRows);
    }
    let raw_text = |r: &Row| body[r.span.start..r.span.end].trim().to_owned();
    let skipped_preamble: Vec<String> = rows.iter().map(raw_text).collect();
    let skipped_footer: Vec<String> = data_all[n_data..].iter().map(raw_text).collect();
    let header_line = header.span.line;
    data_all.truncate(n_data);
    let data = data_all;
    let raw_headers = header.cells;

    // Columns: every named one, and unnamed ones that hold data somewhere (rows with
    // more cells than the header widen the table). Stored cells carry no trailing empties.
    let span_width = data.iter().map(|r| r.cells.len()).fold(raw_headers.len(), usize::max);
    let mut keep: Vec<bool> =
        (0..span_width).map(|c| raw_headers.get(c).is_some_and(|n| !n.is_empty())).collect();
    let mut wide_rows: Vec<usize> = Vec::new();
    for (i, r) in data.iter().enumerate() {
        for (c, v) in r.cells.iter().enumerate() {
            if !v.is_empty() {
                keep[c] = true;
            }
        }
        if r.cells.len() > header_len {
            wide_rows.push(i + 1);
        }
    }
    let positions: Vec<usize> = (0..span_width).filter(|&c| keep[c]).collect();
    let width = positions.len();
    if width > MAX_COLUMNS {
        return Err(ImportError::TooManyColumns { limit: MAX_COLUMNS, columns: width });
    }
    if width.saturating_mul(data.len()) > MAX_CELLS {
        return Err(ImportError::TooManyCells { limit: MAX_CELLS, rows: data.len(), columns: width });
    }
    let all_kept = width == span_width;
    let raw_names: Vec<String> =
        positions.iter().map(|&c| raw_headers.get(c).cloned().unwrap_or_default()).collect();
    let headers = make_headers(&raw_names, &positions, &mut warnings);
    if !wide_rows.is_empty() {
        warnings.push(format!(
            "{} row(s) have more cells than the header (rows {}); the extra cells are in \
             columns named \"Column {}\" and on.",
            wide_rows.len(),
            list(&wide_rows),
            header_len + 1
        ));
    }

    if !repeated.is_empty() {
        warnings.push(format!(
            "{} repeated header row(s) were skipped (lines {}).",
            repeated.len(),
            list(&repeated)
        ));
    }
    if !notes.is_empty() {
        warnings.push(format!(
            "{} row(s) read like report notes, not companies (rows {}); they were imported: \
             remove them if they are not companies.",
            notes.len(),
            list(&notes)
        ));
    }
    if let Some(i) = loose {
        let name = data[i].cells.iter().find(|c| !c.is_empty()).map_or("", String::as_str);
        warnings.push(format!(
            "Row {} (\"{name}\") stands alone between a blank line and the report footer; it was \
             imported: remove it if it is not a company.",
            i + 1
        ));
    }

    let records: Vec<Record> = data
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = r.cells;
            if !all_kept {
                let mut c = 0;
                cells.retain(|_| {
                    c += 1;
                    keep[c - 1]
                });
            }
            cells.resize(width, String::new());
            Record { source_row: i + 1, line: r.span.line, cells }
        })
        .collect();

    let mapping = auto_map(&headers);
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

/// Quotes that could not be read as RFC 4180 says, in line order, at most [`LIST_MAX`].
fn quote_warnings(tok: &Tokenizer<'_>) -> Vec<String> {
    // (line, kind, to line), formatted only for the few that are shown.
    let mut found: Vec<(usize, u8, usize)> = Vec::new();
    found.extend(tok.unclosed_quotes.iter().map(|&line| (line, 0, line)));
    found.extend(tok.stray_quotes.iter().map(|&(line, to)| (line, 1, to)));
    found.extend(tok.run_on_quotes.iter().map(|&(line, to)| (line, 2, to)));
    found.sort_unstable();
    found
        .into_iter()
        .take(LIST_MAX)
        .map(|(line, kind, to)| match kind {
            0 => format!("Line {line}: a quote (\") is never closed; it was read as an ordinary character."),
            1 => format!(
                "Line {line}: a quote (\") would have joined lines {line}–{to} into one value (another \
                 quoted value starts on line {to}); it was read as an ordinary character."
            ),
            _ => format!(
                "Lines {line}–{to} were read as one quoted value, with text after its closing quote; \
                 if they are separate rows, a quote (\") on line {line} is stray: fix it and import again."
            ),
        })
        .collect()
}

/// The first [`LIST_MAX`] numbers, then "…" if there are more.
fn list(numbers: &[usize]) -> String {
    let mut out: Vec<String> = numbers.iter().take(LIST_MAX).map(usize::to_string).collect();
    if numbers.len() > LIST_MAX {
        out.push("…".to_owned());
    }
    out.join(", ")
}
