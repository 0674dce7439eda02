//! Finding the delimiter: an Excel `sep=` line, else the candidate that splits the first
//! records into the most consistent number of fields.

use super::tokenize::Tokenizer;

/// The delimiters tried, in order of preference when scores tie.
pub(crate) const CANDIDATES: [char; 4] = [',', ';', '\t', '|'];

/// How many non-blank records are sampled for the delimiter and the header.
pub(crate) const SAMPLE: usize = 50;

/// A line Excel understands as "the delimiter is X".
pub(crate) struct SepLine {
    /// Bytes of the text taken by the line, including its line end.
    pub len: usize,
    /// The delimiter it names, if usable (ASCII, not a quote or line end).
    pub delimiter: Option<char>,
    pub raw: char,
}

/// Recognizes a first line `sep=;` (also quoted, any case; `sep=` followed by a tab).
pub(crate) fn sep_line(text: &str) -> Option<SepLine> {
    let end = text.find(['\r', '\n']).unwrap_or(text.len());
    let line = &text[..end];
    let inner = line.trim_matches([' ', '"']);
    if inner.len() < 5 || !inner.is_char_boundary(4) || !inner[..4].eq_ignore_ascii_case("sep=") {
        return None;
    }
    let mut rest = inner[4..].chars();
    let raw = rest.next()?;
    if rest.next().is_some() {
        return None;
    }
    let usable = raw.is_ascii() && !matches!(raw, '"' | '\r' | '\n');
    let mut len = end;
    if text[end..].starts_with("\r\n") {
        len += 2;
    } else if end < text.len() {
        len += 1;
    }
    Some(SepLine { len, delimiter: usable.then_some(raw), raw })
}

/// A record holds nothing: every cell is empty or only whitespace and delimiter characters.
pub(crate) fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.chars().all(|ch| ch.is_whitespace() || CANDIDATES.contains(&ch)))
}

/// Picks the delimiter whose split of the first [`SAMPLE`] non-blank records gives the
/// most records with the same field count (the "mode"), that count being at least 2;
/// ties go to the larger count, then to the order of [`CANDIDATES`] — except that `;`
/// wins a tie with `,` when its cells hold decimal commas (`Acme;12,5;3,2` splits
/// evenly both ways). Quote-aware, so delimiters inside quoted values do not count, and
/// a decimal comma in a `;` file does not win just by being frequent. `,` when nothing
/// splits (a one-column file).
pub(crate) fn delimiter(text: &str) -> char {
    let mut best = (0usize, 0usize, ',');
    let mut comma = (0usize, 0usize);
    let mut cells = Vec::new();
    for &d in &CANDIDATES {
        let mut t = Tokenizer::new(text, d as u8, 1);
        let mut counts: Vec<usize> = Vec::with_capacity(SAMPLE);
        let mut decimals = false;
        while counts.len() < SAMPLE {
            match t.next_record(&mut cells) {
                Some(_) if is_blank(&cells) => {}
                Some(span) => {
                    counts.push(span.fields);
                    decimals |= d == ';' && cells.iter().any(|c| decimal_comma(c));
                }
                None => break,
            }
        }
        let (mode, freq) = mode(&counts);
        if d == ',' {
            comma = (freq, mode);
        }
        let tie = best.2 == ',' && (freq, mode) == comma;
        if mode >= 2 && ((freq, mode) > (best.0, best.1) || (tie && decimals)) {
            best = (freq, mode, d);
        }
    }
    best.2
}

/// A number written with a decimal comma: `12,5`, `-3,75`, `1.234,50` (not `1,200`,
/// which may be a thousands separator).
fn decimal_comma(cell: &str) -> bool {
    let t = cell.trim_start_matches(['-', '+']).trim_end_matches(['%', '€', ' ']);
    let Some((int, frac)) = t.split_once(',') else { return false };
    let int_ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let frac_ok = !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit());
    int_ok && frac_ok && (frac.len() != 3 || int.contains('.'))
}

/// Most frequent value and its frequency; ties go to the larger value.
pub(crate) fn mode(values: &[usize]) -> (usize, usize) {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0);
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().position(|&v| v != sorted[i]).map_or(sorted.len(), |k| i + k);
        if j - i >= best.1 {
            best = (sorted[i], j - i);
        }
        i = j;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistency_beats_frequency() {
        // Commas are more frequent than semicolons, but only `;` splits every row alike.
        let t = "a;b;c\n1,5;2,5,3;x\n1,1;2;3\n4;5,5,5,5;6\n";
        assert_eq!(delimiter(t), ';');
        assert_eq!(delimiter("a|b\n1|2\n"), '|');
        assert_eq!(delimiter("a\tb\n\"x,y,z\"\t2\n"), '\t');
        assert_eq!(delimiter("only\none\ncolumn\n"), ',');
    }

    #[test]
    fn decimal_commas_break_a_tie() {
        let t = "Company;Revenue (M€, 2025);Growth (%, YoY)\nAcme;12,5;3,2\nBeta;7,25;-1,5\n";
        assert_eq!(delimiter(t), ';');
        // Thousands separators are no evidence; a plain tie stays `,`.
        assert_eq!(delimiter("a;b,c\nx;1,200\n"), ',');
        assert!(decimal_comma("12,5") && decimal_comma("1.234,50") && decimal_comma("-3,2%"));
        assert!(!decimal_comma("1,200") && !decimal_comma("12,") && !decimal_comma("a,5"));
    }

    #[test]
    fn sep_line_forms() {
        let s = sep_line("sep=;\r\na;b").unwrap();
        assert_eq!((s.len, s.delimiter), (7, Some(';')));
        assert_eq!(sep_line("\"SEP=|\"\nx").unwrap().delimiter, Some('|'));
        assert_eq!(sep_line("sep=\t").unwrap().delimiter, Some('\t'));
        assert!(sep_line("sep=;;\n").is_none());
        assert!(sep_line("separator\n").is_none());
        assert_eq!(sep_line("sep=é\n").unwrap().delimiter, None);
    }

    #[test]
    fn mode_prefers_larger_on_tie() {
        assert_eq!(mode(&[1, 4, 4, 1, 3]), (4, 2));
        assert_eq!(mode(&[]), (0, 0));
    }
}
