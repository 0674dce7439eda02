//! Small text helpers: tokenizing with light stemming, phrase search, and parsers for
//! the kinds of values found in lead lists (years, dates, money, headcounts).

/// A word of a text: its stem and its byte span in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The word lowercased, before stemming.
    pub word: String,
    pub stem: String,
    pub start: usize,
    pub end: usize,
}

/// Words that the stemmer leaves alone (they only look like plurals).
const KEEP: &[&str] = &[
    "saas",
    "paas",
    "iaas",
    "news",
    "series",
    "analytics",
    "ios",
    "aws",
    "sas",
    "this",
    "its",
    "has",
    "was",
    "does",
    "kubernetes",
];

/// Light English stemming of a lowercase word: plurals and `-ing`.
/// "companies" -> "company", "tools" -> "tool", "engineering" -> "engineer",
/// "shopping" -> "shop", "businesses" -> "business". Both sides of every comparison go
/// through this, so it only needs to be consistent, not linguistically right.
pub(crate) fn stem(word: &str) -> String {
    let w = word;
    let n = w.chars().count();
    if n <= 3 || KEEP.contains(&w) || w.chars().any(|c| c.is_ascii_digit()) {
        return w.to_string();
    }
    if let Some(base) = w.strip_suffix("ies").filter(|_| n > 4) {
        return format!("{base}y");
    }
    if let Some(base) = w.strip_suffix("ing").filter(|_| n >= 6) {
        let chars: Vec<char> = base.chars().collect();
        let k = chars.len();
        // "shopp" -> "shop", "programm" -> "program"; keep "sell", "pass", "buzz".
        if k >= 2 && chars[k - 1] == chars[k - 2] && !matches!(chars[k - 1], 'l' | 's' | 'z') {
            return chars[..k - 1].iter().collect();
        }
        return base.to_string();
    }
    for suffix in ["sses", "ches", "shes", "xes"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_string();
        }
    }
    let keeps_s = w.ends_with("ss") || w.ends_with("us") || (w.ends_with("is") && n > 4);
    if w.ends_with('s') && !keeps_s {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Splits text into lowercase stemmed words (runs of letters and digits; "America's"
/// is one word "america").
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j].1;
            let apostrophe_inside =
                (c == '\'' || c == '\u{2019}') && j + 1 < chars.len() && chars[j + 1].1.is_alphanumeric();
            if c.is_alphanumeric() || apostrophe_inside {
                j += 1;
            } else {
                break;
            }
        }
        let end = if j < chars.len() { chars[j].0 } else { text.len() };
        let raw = text[start..end].to_lowercase();
        let raw = raw
            .strip_suffix("'s")
            .or_else(|| raw.strip_suffix("\u{2019}s"))
            .unwrap_or(&raw)
            .replace(['\'', '\u{2019}'], "");
        out.push(Token { stem: stem(&raw), word: raw, start, end });
        i = j;
    }
    out
}

/// The stems of a short text, e.g. a phrase from a synonym table.
pub(crate) fn stems(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.stem).collect()
}

/// First occurrence of `phrase` (stems) in `toks`, as a token index range.
pub(crate) fn find_phrase(toks: &[Token], phrase: &[String]) -> Option<(usize, usize)> {
    if phrase.is_empty() || phrase.len() > toks.len() {
        return None;
    }
    (0..=toks.len() - phrase.len())
        .find(|&i| phrase.iter().zip(&toks[i..]).all(|(p, t)| *p == t.stem))
        .map(|i| (i, i + phrase.len()))
}

/// The original text covered by the tokens `range` (from [`find_phrase`]).
pub(crate) fn surface<'a>(text: &'a str, toks: &[Token], range: (usize, usize)) -> &'a str {
    &text[toks[range.0].start..toks[range.1 - 1].end]
}

/// Whether `needle` occurs in `hay` as a whole word (not inside a longer word).
/// Case-insensitive, except for needles of at most 3 characters ("Go", "R"), which
/// must match exactly to avoid matching ordinary words.
pub(crate) fn contains_word(hay: &str, needle: &str) -> bool {
    let needle = needle.trim();
    if needle.is_empty() {
        return false;
    }
    let (h, n) = if needle.chars().count() <= 3 {
        (hay.to_string(), needle.to_string())
    } else {
        (hay.to_lowercase(), needle.to_lowercase())
    };
    let mut from = 0;
    while let Some(pos) = h[from..].find(&n) {
        let at = from + pos;
        let before_ok = h[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after_ok = h[at + n.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        from = at + n.len().max(1);
        while from < h.len() && !h.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// A number found in text: its byte span and value (thousands separators understood).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Number {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// Written with exactly 4 digits and no separators or decimals (a possible year).
    pub four_digits: bool,
}

/// All numbers in `text`: "1,200,000" is one number, "$2.5" is 2.5, "1,001-5,000" two.
pub(crate) fn numbers(text: &str) -> Vec<Number> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        let mut plain = true;
        let mut seen_dot = false;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                digits.push(b[i] as char);
                i += 1;
            } else if b[i] == b','
                && b.get(i + 1..i + 4).is_some_and(|s| s.iter().all(u8::is_ascii_digit))
                && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
            {
                plain = false;
                i += 1;
            } else if b[i] == b'.' && !seen_dot && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                plain = false;
                seen_dot = true;
                digits.push('.');
                i += 1;
            } else {
                break;
            }
        }
        if let Ok(value) = digits.parse::<f64>() {
            out.push(Number { start, end: i, value, four_digits: plain && digits.len() == 4 });
        }
    }
    out
}

/// The first plausible year (1800..=2100) written as 4 digits.
pub(crate) fn parse_year(text: &str) -> Option<i32> {
    numbers(text)
        .into_iter()
        .find(|n| n.four_digits && (1800.0..=2100.0).contains(&n.value))
        .map(|n| n.value as i32)
}

/// A date as precise as the source gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateParts {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateParts {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// "March 2024" or "2024".
    pub fn human(&self) -> String {
        match self.month {
            Some(m) => format!("{} {}", MONTHS[(m - 1) as usize], self.year),
            None => self.year.to_string(),
        }
    }

    /// Whole months from this date to `today` (0 if in the future). A date without a
    /// month counts as December of its year, i.e. as recent as it could be.
    pub fn months_ago(&self, today: (i32, u32)) -> i64 {
        let now = i64::from(today.0) * 12 + i64::from(today.1);
        let then = i64::from(self.year) * 12 + i64::from(self.month.unwrap_or(12));
        (now - then).max(0)
    }
}

fn month_from_word(w: &str) -> Option<u32> {
    let w = w.to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_lowercase();
            m == w || (w.len() <= 4 && m.starts_with(w.trim_end_matches('.')))
        })
        .map(|i| i as u32 + 1)
}

/// Understands `2024-03-15`, `2024-03`, `2024/3/15`, `03/15/2024` (day first when the
/// first part is over 12, or with dots: `15.03.2024`), `March 2024`, `Mar 15, 2024`,
/// `15 March 2024`, `Q1 2024` and a bare year.
pub(crate) fn parse_date(text: &str) -> Option<DateParts> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let year = parse_year(text)?;
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let valid_day = |d: u32| (1..=31).contains(&d).then_some(d);
    // Month names.
    if let Some(month) = words.iter().find_map(|w| month_from_word(w)) {
        let day =
            words.iter().filter(|w| w.len() <= 2).find_map(|w| w.parse::<u32>().ok()).and_then(valid_day);
        return Some(DateParts { year, month: Some(month), day });
    }
    // Quarters.
    if let Some(q) = words.iter().find_map(|w| {
        let w = w.to_ascii_lowercase();
        w.strip_prefix('q').and_then(|q| q.parse::<u32>().ok()).filter(|q| (1..=4).contains(q))
    }) {
        return Some(DateParts { year, month: Some(q * 3), day: None });
    }
    // Numeric dates.
    let head = text.split(['T', ' ']).next().unwrap_or(text);
    let sep = head.chars().find(|c| matches!(c, '-' | '/' | '.'));
    if let Some(sep) = sep {
        let parts: Vec<&str> = head.split(sep).collect();
        let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
        if let Some(nums) = nums {
            let (m, d) = match (parts.len(), parts[0].len() == 4) {
                (2, true) => (Some(nums[1]), None),
                (3, true) => (Some(nums[1]), Some(nums[2])),
                (2, false) => (Some(nums[0]), None),
                (3, false) if sep == '.' || nums[0] > 12 => (Some(nums[1]), Some(nums[0])),
                (3, false) => (Some(nums[0]), Some(nums[1])),
                _ => (None, None),
            };
            if let Some(m) = m.filter(|m| (1..=12).contains(m)) {
                return Some(DateParts { year, month: Some(m), day: d.and_then(valid_day) });
            }
        }
    }
    // A bare year ("2021", "FY 2021").
    (text.len() <= 12).then_some(DateParts { year, month: None, day: None })
}

/// One item of a funding cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Money {
    /// A positive amount, already formatted compactly: "$1.2M", "€500K", "CHF 3M".
    Amount(String),
    /// "undisclosed amount" and the like.
    Undisclosed,
}

impl Money {
    pub fn phrase(&self) -> String {
        match self {
            Money::Amount(a) => a.clone(),
            Money::Undisclosed => "an undisclosed amount".to_string(),
        }
    }
}

fn compact(value: f64) -> String {
    let (v, suffix) = if value >= 1e9 {
        (value / 1e9, "B")
    } else if value >= 1e6 {
        (value / 1e6, "M")
    } else if value >= 1e3 {
        (value / 1e3, "K")
    } else {
        (value, "")
    };
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}{suffix}")
}

/// Money amounts in a funding cell, in order: "$1200000, undisclosed amount" ->
/// [$1.2M, undisclosed]; "$2.5 million" -> $2.5M; "EUR 3M" -> €3M. Bare numbers under
/// 1,000 and bare 4-digit years are ignored; zero amounts are skipped.
pub(crate) fn parse_money(text: &str) -> Vec<Money> {
    let lower = text.to_lowercase();
    let mut found: Vec<(usize, Money)> = Vec::new();
    let mut from = 0;
    while let Some(p) = lower[from..].find("undisclosed") {
        found.push((from + p, Money::Undisclosed));
        from += p + "undisclosed".len();
    }
    for n in numbers(text) {
        let before = text[..n.start].trim_end();
        let after_raw = &lower[n.end..];
        let after = after_raw.trim_start();
        let mut symbol = None;
        for (s, sym) in [("us$", "$"), ("$", "$"), ("€", "€"), ("£", "£"), ("¥", "¥")] {
            if before.to_lowercase().ends_with(s) {
                symbol = Some(sym.to_string());
                break;
            }
        }
        let word_after: String = after.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let word_before =
            before.rsplit(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("").to_ascii_lowercase();
        for (code, sym) in [("usd", "$"), ("eur", "€"), ("gbp", "£")] {
            if word_before == code || word_after == code {
                symbol = Some(sym.to_string());
            }
        }
        if symbol.is_none() {
            for code in ["chf", "cad", "aud", "inr", "sek", "jpy", "sgd"] {
                if word_before == code || word_after == code {
                    symbol = Some(format!("{} ", code.to_uppercase()));
                }
            }
        }
        // Multiplier written right after the number ("3M", "2.5 million").
        let unit_word: String =
            after_raw.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let mult = match unit_word.as_str() {
            "k" | "thousand" => Some(1e3),
            "m" | "mm" | "mn" | "mil" | "million" | "millions" => Some(1e6),
            "b" | "bn" | "billion" | "billions" => Some(1e9),
            _ => None,
        };
        let value = n.value * mult.unwrap_or(1.0);
        let bare = symbol.is_none() && mult.is_none();
        if bare && (value < 1000.0 || n.four_digits) || value <= 0.0 {
            continue;
        }
        let sym = symbol.unwrap_or_default();
        found.push((n.start, Money::Amount(format!("{sym}{}", compact(value)))));
    }
    found.sort_by_key(|(pos, _)| *pos);
    found.into_iter().map(|(_, m)| m).collect()
}

/// A headcount: "51-200" -> (51, Some(200)), "10,001+" -> (10001, None), "250" -> (250, Some(250)).
pub(crate) fn parse_headcount(text: &str) -> Option<(u64, Option<u64>)> {
    let nums = numbers(text);
    let lower = text.to_lowercase();
    let first = nums.first()?;
    let a = first.value as u64;
    let open = lower[first.end..].trim_start().starts_with('+')
        || ["over", "more than", "above", "at least"].iter().any(|w| lower[..first.start].contains(w));
    if open {
        return Some((a, None));
    }
    match nums.get(1) {
        Some(second) => {
            let b = second.value as u64;
            Some((a.min(b), Some(a.max(b))))
        }
        None => Some((a, Some(a))),
    }
}

/// True for cells that say "nothing": "", "-", "n/a", "none", "0", "no", "false".
pub(crate) fn is_none_like(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    matches!(
        v.as_str(),
        "" | "-" | "--" | "n/a" | "na" | "none" | "null" | "nil" | "0" | "$0" | "no" | "false"
    )
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// At most `max` characters, with "…" when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Lowercases the first letter unless the first word looks like an acronym or a name
/// with inner capitals ("API", "GitHub").
pub(crate) fn lc_first(text: &str) -> String {
    let first_word: String = text.chars().take_while(|c| c.is_alphanumeric()).collect();
    let upper_count = first_word.chars().filter(|c| c.is_uppercase()).count();
    if upper_count > 1 {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Lowercases every word except acronyms and names with inner capitals
/// ("Developer Tools" -> "developer tools", "API Platform" -> "API platform").
pub(crate) fn lc_words(text: &str) -> String {
    text.split(' ').map(lc_first).collect::<Vec<_>>().join(" ")
}

/// Number of words (whitespace-separated).
pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests;
