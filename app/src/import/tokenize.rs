//! A small RFC 4180 reader over decoded text: quoted fields with `""` escapes and
//! newlines, CRLF / LF / lone CR line ends, any ASCII delimiter. Lenient where files are
//! broken: text after a closing quote is kept, and a quote that is never closed is read
//! as an ordinary character (with a warning) instead of swallowing the rest of the file.
//!
//! Unlike the `csv` crate it reports empty lines as records (so they can be counted as
//! blank rows) and the physical line where each record starts.

/// Where a record sits in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Byte range of the record in the text, without its line end.
    pub start: usize,
    pub end: usize,
    /// 1-based physical line where the record starts.
    pub line: usize,
    /// Number of fields the record split into, trailing empty ones included.
    pub fields: usize,
}

pub(crate) struct Tokenizer<'a> {
    s: &'a str,
    pos: usize,
    line: usize,
    delim: u8,
    /// Lines where an opening quote was never closed.
    pub unclosed_quotes: Vec<usize>,
    /// `(line, to)`: a quote on `line` whose value would end on line `to` at a quote that
    /// starts a line or a field, with text after it. That "closing" quote really opens the
    /// next value (two stray quotes), so the first was read as an ordinary character.
    pub stray_quotes: Vec<(usize, usize)>,
    /// `(line, to)`: a value quoted from `line` to `to` with text right after its closing
    /// quote (kept as one value; maybe a stray quote joined rows).
    pub run_on_quotes: Vec<(usize, usize)>,
}

/// Trims whitespace (incl. NBSP and other Unicode spaces), BOM and zero-width spaces.
pub(crate) fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}'))
}

/// [`clean`] without a new allocation.
fn clean_owned(mut s: String) -> String {
    let (start, len) = {
        let t = clean(&s);
        (t.as_ptr() as usize - s.as_ptr() as usize, t.len())
    };
    if start == 0 && len == s.len() {
        return s;
    }
    s.truncate(start + len);
    s.drain(..start);
    s
}

impl<'a> Tokenizer<'a> {
    /// `delim` must be ASCII and not a quote or line end (callers guarantee it).
    pub fn new(s: &'a str, delim: u8, first_line: usize) -> Self {
        debug_assert!(delim.is_ascii() && !matches!(delim, b'"' | b'\r' | b'\n'));
        Tokenizer {
            s,
            pos: 0,
            line: first_line,
            delim,
            unclosed_quotes: Vec::new(),
            stray_quotes: Vec::new(),
            run_on_quotes: Vec::new(),
        }
    }

    /// Reads the next record into `cells` (cleared first), every cell trimmed. Trailing
    /// empty cells are not stored (`Acme,,,,` gives `["Acme"]`), so rows of delimiters
    /// cost nothing; [`Span::fields`] still counts them. An empty line gives no cells
    /// and one field. `None` at the end of the text.
    pub fn next_record(&mut self, cells: &mut Vec<String>) -> Option<Span> {
        let b = self.s.as_bytes();
        let len = b.len();
        if self.pos >= len {
            return None;
        }
        cells.clear();
        let start = self.pos;
        let line = self.line;
        let mut p = self.pos;
        let mut fields = 0usize;
        let mut pending_empty = 0usize;
        let mut push = |v: String, fields: &mut usize| {
            *fields += 1;
            if v.is_empty() {
                pending_empty += 1;
            } else {
                cells.extend(std::iter::repeat_n(String::new(), pending_empty));
                pending_empty = 0;
                cells.push(v);
            }
        };
        loop {
            // One field starts at `p`.
            let mut q = p;
            if self.delim != b' ' {
                while q < len && b[q] == b' ' {
                    q += 1;
                }
            }
            if q < len && b[q] == b'"' {
                let from = self.line;
                match self.quoted(q + 1) {
                    Some((mut val, after)) if !self.stray(q, after, from) => {
                        let end = self.field_end(after);
                        if self.line > from && !clean(&self.s[after..end]).is_empty() {
                            self.run_on_quotes.push((from, self.line));
                        }
                        val.push_str(&self.s[after..end]);
                        push(clean_owned(val), &mut fields);
                        p = end;
                    }
                    found => {
                        // Never closed, or closed by the next value's opening quote: read
                        // the quote as text.
                        if found.is_some() {
                            self.stray_quotes.push((from, self.line));
                            self.line = from;
                        } else {
                            self.unclosed_quotes.push(from);
                        }
                        let end = self.field_end(q + 1);
                        push(clean(&self.s[p..end]).to_owned(), &mut fields);
                        p = end;
                    }
                }
            } else {
                let end = self.field_end(p);
                push(clean(&self.s[p..end]).to_owned(), &mut fields);
                p = end;
            }
            if p >= len {
                self.pos = len;
                return Some(Span { start, end: len, line, fields });
            }
            if b[p] == self.delim {
                p += 1;
                if p >= len {
                    self.pos = len;
                    return Some(Span { start, end: len, line, fields: fields + 1 });
                }
                continue;
            }
            // A line end.
            let end = p;
            if b[p] == b'\r' && p + 1 < len && b[p + 1] == b'\n' {
                p += 2;
            } else {
                p += 1;
            }
            self.line += 1;
            self.pos = p;
            return Some(Span { start, end, line, fields });
        }
    }

    /// Whether the value quoted at `open`, whose closing quote is just before `after`,
    /// spans lines and "closes" at a quote that starts a line or a field with text after
    /// it (`"Acme,…` ⏎ `Beta,…` ⏎ `"Gamma,…`): that quote opens a value of its own.
    fn stray(&self, open: usize, after: usize, from_line: usize) -> bool {
        let b = self.s.as_bytes();
        let mut k = after - 1;
        while k > open + 1 && b[k - 1] == b' ' {
            k -= 1;
        }
        self.line > from_line
            && k > open + 1
            && (matches!(b[k - 1], b'\n' | b'\r') || b[k - 1] == self.delim)
            && !clean(&self.s[after..self.field_end(after)]).is_empty()
    }

    /// First delimiter or line end at or after `p`.
    fn field_end(&self, p: usize) -> usize {
        let b = self.s.as_bytes();
        let d = self.delim;
        b[p..].iter().position(|&c| c == d || c == b'\n' || c == b'\r').map_or(b.len(), |i| p + i)
    }

    /// Reads a quoted value starting just after the opening quote. Returns the value
    /// (line ends inside it normalized to `\n`) and the position after the closing
    /// quote, or `None` if no closing quote exists (nothing consumed then).
    fn quoted(&mut self, from: usize) -> Option<(String, usize)> {
        let b = self.s.as_bytes();
        let mut val = String::new();
        let mut p = from;
        let mut lines = 0;
        loop {
            let i = b[p..].iter().position(|&c| c == b'"')?;
            lines += push_normalized(&mut val, &self.s[p..p + i]);
            p += i + 1;
            if p < b.len() && b[p] == b'"' {
                val.push('"');
                p += 1;
            } else {
                self.line += lines;
                return Some((val, p));
            }
        }
    }
}

/// Appends `seg` with CRLF and lone CR turned into LF; returns the number of line ends.
fn push_normalized(out: &mut String, seg: &str) -> usize {
    if !seg.contains(['\r', '\n']) {
        out.push_str(seg);
        return 0;
    }
    let mut lines = 0;
    let mut chars = seg.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                lines += 1;
            }
            '\n' => {
                out.push('\n');
                lines += 1;
            }
            c => out.push(c),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str, d: u8) -> Vec<(usize, usize, Vec<String>)> {
        let mut t = Tokenizer::new(s, d, 1);
        let mut cells = Vec::new();
        let mut out = Vec::new();
        while let Some(span) = t.next_record(&mut cells) {
            out.push((span.line, span.fields, cells.clone()));
        }
        out
    }

    fn v(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quotes_newlines_and_line_numbers() {
        let r = all("a,b\r\n\"x\r\ny\",\"he said \"\"hi\"\"\"\n\nlast,\n", b',');
        assert_eq!(
            r,
            vec![
                (1, 2, v(&["a", "b"])),
                (2, 2, v(&["x\ny", "he said \"hi\""])),
                (4, 1, v(&[])),
                (5, 2, v(&["last"])),
            ]
        );
    }

    #[test]
    fn trailing_empty_cells_counted_not_stored() {
        let r = all(",,x,,,\n,,,\n", b',');
        assert_eq!(r, vec![(1, 6, v(&["", "", "x"])), (2, 4, v(&[]))]);
    }

    #[test]
    fn unclosed_quote_is_text_not_rest_of_file() {
        let mut t = Tokenizer::new("a,\"b\nc,d\n", b',', 1);
        let mut cells = Vec::new();
        t.next_record(&mut cells);
        assert_eq!(cells, vec!["a", "\"b"]);
        t.next_record(&mut cells);
        assert_eq!(cells, vec!["c", "d"]);
        assert_eq!(t.unclosed_quotes, vec![1]);
    }

    #[test]
    fn stray_quotes_do_not_join_rows() {
        let mut t = Tokenizer::new("\"Acme,a.example\nBeta,b.example\n\"Gamma,g.example\n", b',', 1);
        let mut cells = Vec::new();
        let mut rows = Vec::new();
        while let Some(span) = t.next_record(&mut cells) {
            rows.push((span.line, cells.clone()));
        }
        assert_eq!(
            rows,
            vec![
                (1, v(&["\"Acme", "a.example"])),
                (2, v(&["Beta", "b.example"])),
                (3, v(&["\"Gamma", "g.example"]))
            ]
        );
        assert_eq!((t.stray_quotes, t.unclosed_quotes), (vec![(1, 3)], vec![3]));
        // Closed mid-line with text after it: kept as one value, noted.
        let r = all("\"one\nsays \"hi\" ok\",x\n", b',');
        assert_eq!(r, vec![(1, 2, v(&["one\nsays hi\" ok\"", "x"]))]);
        let mut t = Tokenizer::new("\"one\nsays \"hi\" ok\",x\n", b',', 1);
        t.next_record(&mut cells);
        assert_eq!((t.run_on_quotes, t.stray_quotes), (vec![(1, 2)], vec![]));
    }

    #[test]
    fn lone_cr_and_trailing_delimiter() {
        let r = all("a;b\rc;d;", b';');
        assert_eq!(r[1], (2, 3, v(&["c", "d"])));
    }

    #[test]
    fn text_after_closing_quote_kept() {
        let r = all("\"5\" screen\",x\n", b',');
        assert_eq!(r[0].2, vec!["5 screen\"", "x"]);
    }
}
