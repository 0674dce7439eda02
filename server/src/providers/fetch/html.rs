//! The text a human visitor would read on a page, from a tolerant hand-written tokenizer.
//! Anything not shown (scripts, comments, hidden elements) is dropped, because page text is
//! handed to a language model and hidden text is where prompt injections hide.

use super::text::{Text, collapse};
use super::{css, entities};

/// Appended when the text was cut at `max_chars`.
pub const TRUNCATED: &str = "\n[… text truncated]";

/// Elements whose content is raw text up to their end tag and never displayed.
const RAW_SKIPPED: [&str; 8] =
    ["script", "style", "noscript", "iframe", "textarea", "xmp", "noembed", "noframes"];
/// Elements whose markup content is never displayed as page text. (`<head>` needs no entry:
/// all it may hold is title, meta and raw-text elements; stray text there is shown by browsers.)
const HIDDEN_CONTAINERS: [&str; 3] = ["template", "svg", "math"];
const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr", "keygen", "command",
];
#[rustfmt::skip]
const BLOCK: [&str; 44] = [
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table",
    "tbody", "thead", "tfoot", "tr", "ul", "legend", "center",
];
/// Elements (besides `BLOCK`) that HTML calls "special": an end tag of any other element
/// never closes them, so a stray `</span>` cannot end a hidden `<span>` that holds a `<div>`.
const SPECIAL: [&str; 18] = [
    "td",
    "th",
    "button",
    "object",
    "applet",
    "marquee",
    "template",
    "menu",
    "dir",
    "listing",
    "select",
    "colgroup",
    "html",
    "head",
    "search",
    "plaintext",
    "frameset",
    "iframe",
];
/// Boundaries that an implied end tag never crosses.
const SCOPE: [&str; 9] = ["html", "body", "table", "td", "th", "caption", "template", "button", "object"];
/// Deeper nesting than this is not a real page; see `Extractor::open`.
const MAX_DEPTH: usize = 256;
const MAX_TITLE: usize = 300;
const MAX_DESCRIPTION: usize = 500;

/// Returns the page title and its visible text (meta description first), capped at `max_chars`.
pub fn page_text(html: &str, max_chars: usize) -> (Option<String>, String) {
    let body = Text::new(max_chars);
    let mut ex = Extractor { src: html, lower: html.to_ascii_lowercase(), body, ..Extractor::default() };
    ex.run();
    let mut text = Text::new(max_chars);
    if let Some(description) = ex.description.as_deref().map(|d| collapse(d, MAX_DESCRIPTION)) {
        text.push(&description);
        text.line();
    }
    for line in ex.body.buf.lines() {
        text.push(line);
        text.line();
    }
    text.full |= ex.body.full;
    let title = ex.title.map(|t| collapse(&t, MAX_TITLE)).filter(|t| !t.is_empty());
    (title, text.finish())
}

#[derive(Default)]
struct Extractor<'a> {
    src: &'a str,
    /// ASCII-lowercased copy of `src`: same byte offsets, case-insensitive searching.
    lower: String,
    pos: usize,
    stack: Vec<Open>,
    /// How many open elements hide their content.
    hiding: usize,
    /// A hiding element arrived past `MAX_DEPTH`: hide the rest rather than leak it.
    buried: bool,
    title: Option<String>,
    description: Option<String>,
    body: Text,
}

struct Open {
    name: String,
    hides: bool,
}

impl Extractor<'_> {
    fn run(&mut self) {
        while self.pos < self.src.len() && !self.body.full {
            match self.src[self.pos..].find('<') {
                Some(0) => self.markup(),
                Some(n) => self.text(self.pos + n),
                None => self.text(self.src.len()),
            }
        }
    }

    fn hidden(&self) -> bool {
        self.hiding > 0 || self.buried
    }

    fn text(&mut self, end: usize) {
        if !self.hidden() {
            self.body.push(&entities::decode(&self.src[self.pos..end]));
        }
        self.pos = end;
    }

    /// At a '<': a comment, a declaration, an end tag, a start tag, or just a '<'.
    fn markup(&mut self) {
        let rest = &self.lower.as_bytes()[self.pos..];
        let letter_at = |i: usize| rest.get(i).is_some_and(u8::is_ascii_alphabetic);
        if rest.starts_with(b"<!--") {
            // `<!-->` and `<!--->` are complete (empty) comments too.
            let body = self.pos + 4;
            let end = ["", "-"].iter().find(|p| self.lower[body..].starts_with(&format!("{p}>")));
            self.pos = match end {
                Some(p) => body + p.len() + 1,
                None => self.find_after(body, "-->"),
            };
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            self.pos = self.find_after(self.pos, ">");
        } else if rest.starts_with(b"</") && letter_at(2) {
            let (name, _, end) = self.tag(self.pos + 2);
            self.pos = end;
            self.close(&name);
        } else if letter_at(1) {
            let (name, attrs, end) = self.tag(self.pos + 1);
            self.pos = end;
            self.open(name, &attrs);
        } else {
            self.text(self.pos + 1);
        }
    }

    /// Offset just past the first `needle` at or after `from`, or the end of input.
    fn find_after(&self, from: usize, needle: &str) -> usize {
        self.lower[from..].find(needle).map_or(self.src.len(), |i| from + i + needle.len())
    }

    /// Parses a tag from its name at `start`: (lower-case name, attributes, offset after '>').
    fn tag(&self, start: usize) -> (String, Vec<(String, String)>, usize) {
        let bytes = self.lower.as_bytes();
        let stop = |b: u8| b.is_ascii_whitespace() || b == b'/' || b == b'>';
        let mut i = start;
        while i < bytes.len() && !stop(bytes[i]) {
            i += 1;
        }
        let name = self.lower[start..i].to_string();
        let mut attrs = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() {
                return (name, attrs, bytes.len());
            }
            if bytes[i] == b'>' {
                return (name, attrs, i + 1);
            }
            let name_start = i;
            i += 1; // an attribute name may start with '=', so always take one byte
            while i < bytes.len() && !stop(bytes[i]) && bytes[i] != b'=' {
                i += 1;
            }
            let attr = self.lower[name_start..i].to_string();
            let mut value = "";
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                (value, i) = self.attr_value(j);
            }
            attrs.push((attr, entities::decode(value).into_owned()));
        }
    }

    /// An attribute value at `i`: (value, offset after it).
    fn attr_value(&self, i: usize) -> (&str, usize) {
        let bytes = self.lower.as_bytes();
        match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => match self.lower[i + 1..].find(q as char) {
                Some(n) => (&self.src[i + 1..i + 1 + n], i + 2 + n),
                // Unterminated quote: end the value at the next '>' rather than eat the page.
                None => {
                    let end = self.lower[i..].find('>').map_or(self.src.len(), |n| i + n);
                    (&self.src[i + 1..end], end)
                }
            },
            _ => {
                let len = self.lower[i..].find(|c: char| c.is_ascii_whitespace() || c == '>');
                let end = len.map_or(self.src.len(), |n| i + n);
                (&self.src[i..end], end)
            }
        }
    }

    fn open(&mut self, name: String, attrs: &[(String, String)]) {
        let name = name.as_str();
        if RAW_SKIPPED.contains(&name) || name == "title" {
            let content_end = self.raw_end(name);
            if name == "title" && self.title.is_none() && !self.hidden() {
                self.title = Some(entities::decode(&self.src[self.pos..content_end]).into_owned());
            }
            self.pos = self.find_after(content_end, ">");
            return;
        }
        if name == "meta" {
            let attr = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
            if attr("name").is_some_and(|v| v.trim().eq_ignore_ascii_case("description")) {
                self.description = self.description.take().or(attr("content").map(str::to_string));
            }
            return;
        }
        self.imply_ends(name);
        if BLOCK.contains(&name) {
            self.body.line();
        } else if matches!(name, "td" | "th") {
            self.body.space();
        }
        // Foreign elements can close themselves: `<svg/>` holds nothing.
        let self_closed = matches!(name, "svg" | "math") && self.lower[..self.pos].ends_with("/>");
        if VOID.contains(&name) || self_closed {
            return;
        }
        let hides = HIDDEN_CONTAINERS.contains(&name) || css::hides(name, attrs);
        if self.stack.len() >= MAX_DEPTH {
            // Elements past the cap are not tracked, so their end tags will pop tracked ones
            // too early: if anything open hides, hide the rest rather than risk leaking it.
            self.buried |= hides || self.hiding > 0;
            return;
        }
        self.hiding += usize::from(hides);
        self.stack.push(Open { name: name.to_string(), hides });
    }

    /// Where the content of a raw-text element ends (the start of its end tag).
    fn raw_end(&self, name: &str) -> usize {
        let needle = format!("</{name}");
        let mut from = self.pos;
        while let Some(i) = self.lower[from..].find(&needle) {
            let at = from + i;
            let next = self.lower.as_bytes().get(at + needle.len());
            if next.is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/') {
                return at;
            }
            from = at + needle.len();
        }
        self.src.len()
    }

    /// The end tags HTML implies: a new paragraph or block closes an open `<p>`, a new `<li>`
    /// closes the previous one, and so on. Without this an unclosed hidden `<p>` would
    /// swallow the rest of the page.
    fn imply_ends(&mut self, name: &str) {
        let closes: &[&str] = match name {
            "li" => &["li"],
            "dt" | "dd" => &["dt", "dd"],
            "tr" => &["tr", "td", "th"],
            "td" | "th" => &["td", "th"],
            "option" => &["option"],
            n if BLOCK.contains(&n) && !matches!(n, "br" | "body") => &["p"],
            _ => return,
        };
        let barrier: &[&str] = match name {
            "li" => &["ul", "ol", "menu"],
            "dt" | "dd" => &["dl"],
            "td" | "th" => &["tr"],
            _ => &[],
        };
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i].name.as_str();
            if closes.contains(&open) {
                self.pop_to(i);
                return;
            }
            if SCOPE.contains(&open) || barrier.contains(&open) {
                return;
            }
        }
    }

    fn close(&mut self, name: &str) {
        if BLOCK.contains(&name) || matches!(name, "td" | "th") {
            self.body.line();
        }
        // `</body>` and `</html>` do not close anything in browsers: later content stays put.
        if matches!(name, "body" | "html") {
            return;
        }
        // As browsers do: the end tag of a special element closes it (and what it holds)
        // unless a scope boundary comes first; any other end tag only closes its element
        // when no special element lies in between, else it is ignored.
        let special = is_special(name);
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i].name.as_str();
            if open == name {
                self.pop_to(i);
                return;
            }
            if if special { SCOPE.contains(&open) } else { is_special(open) } {
                return;
            }
        }
    }

    fn pop_to(&mut self, i: usize) {
        let popped = self.stack.drain(i..).filter(|o| o.hides).count();
        self.hiding -= popped;
    }
}

fn is_special(name: &str) -> bool {
    BLOCK.contains(&name) || SPECIAL.contains(&name)
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
