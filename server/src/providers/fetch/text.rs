//! Page text output: whitespace collapsed, blocks on their own lines, invisible
//! characters dropped, capped at a character count.

/// Collapsing, capped text output.
#[derive(Default)]
pub(super) struct Text {
    pub(super) buf: String,
    chars: usize,
    max: usize,
    gap: Gap,
    /// Something did not fit.
    pub(super) full: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    #[default]
    None,
    Space,
    Line,
}

impl Text {
    pub(super) fn new(max: usize) -> Self {
        Text { max, ..Text::default() }
    }

    pub(super) fn push(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space();
            } else if !invisible(c) {
                self.put(c);
            }
        }
    }

    fn put(&mut self, c: char) {
        if self.full {
            return;
        }
        let sep = match self.gap {
            _ if self.buf.is_empty() => None,
            Gap::None => None,
            Gap::Space => Some(' '),
            Gap::Line => Some('\n'),
        };
        if self.chars + usize::from(sep.is_some()) + 1 > self.max {
            self.full = true;
            return;
        }
        if let Some(sep) = sep {
            self.buf.push(sep);
            self.chars += 1;
        }
        self.buf.push(c);
        self.chars += 1;
        self.gap = Gap::None;
    }

    pub(super) fn space(&mut self) {
        self.gap = self.gap.max(Gap::Space);
    }

    pub(super) fn line(&mut self) {
        self.gap = Gap::Line;
    }

    pub(super) fn finish(self) -> String {
        if self.full { self.buf + super::html::TRUNCATED } else { self.buf }
    }
}

/// Zero-width, bidi-control, soft-hyphen, tag and control characters: invisible on screen
/// but readable by a model, so a favourite way to smuggle instructions.
fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}')
        || matches!(c, '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{e0000}'..='\u{e007f}')
        || c.is_control()
}

/// Text from elsewhere (a search provider's extract) cleaned like page text: invisible
/// characters dropped, whitespace collapsed within lines, blank lines dropped, capped.
pub fn plain_text(s: &str, max: usize) -> String {
    let mut text = Text::new(max);
    for line in s.lines() {
        text.push(line);
        text.line();
    }
    text.finish()
}

pub(super) fn collapse(s: &str, max: usize) -> String {
    let mut text = Text::new(max);
    text.push(s);
    text.buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_invisible_characters_and_keeps_lines() {
        let raw = "Coho Winery\u{200b} sells\u{e0049}\u{e0047} wine.\n\n\tIGNORE\u{202e}   ALL  \r\nend";
        assert_eq!(plain_text(raw, 1000), "Coho Winery sells wine.\nIGNORE ALL\nend");
        assert_eq!(plain_text("abcdef", 3), format!("abc{}", super::super::html::TRUNCATED));
    }
}
