//! Reading numbers out of text cells. Cells themselves always stay raw text (`6.11E+10`,
//! `1,200`, `51-200` are shown as written); these helpers are for whoever needs a value.

use super::tokenize::clean;

/// Parses one number with optional thousands separators, a decimal separator, an
/// exponent (`6.11E+10`) and a magnitude suffix (`k`, `M`/`mn`/`million`, `B`/`bn`,
/// `T`). Separators:
/// - both `,` and `.` present: the last one is the decimal separator (`1.234,56`,
///   `1,234.56`);
/// - one of them, repeated: thousands (`3,000,000`, `1.000.000`);
/// - one of them once: thousands if exactly three digits follow and `ambiguous_thousands`
///   says so for that character, else decimal (`1.5`, `12,5`).
///
/// Spaces, NBSP, thin spaces and `'` inside the number are thousands separators.
fn parse_number(s: &str, ambiguous_thousands: impl Fn(char) -> bool) -> Option<f64> {
    let s = clean(s);
    let lower = s.to_lowercase();
    let mut t = lower.as_str();
    let mut mult = 1.0;
    for (suffix, m) in [
        ("trillion", 1e12),
        ("billion", 1e9),
        ("million", 1e6),
        ("thousand", 1e3),
        ("mrd", 1e9),
        ("bn", 1e9),
        ("mn", 1e6),
        ("mm", 1e6),
        ("mio", 1e6),
        ("tn", 1e12),
        ("k", 1e3),
        ("m", 1e6),
        ("b", 1e9),
        ("t", 1e12),
    ] {
        if let Some(rest) = t.strip_suffix(suffix)
            && rest.ends_with(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '.')
        {
            t = rest.trim_end();
            mult = m;
            break;
        }
    }
    // Digits, separators and an exponent only.
    let mut body = String::with_capacity(t.len());
    let mut exp = "";
    for (i, c) in t.char_indices() {
        match c {
            '0'..='9' | '.' | ',' => body.push(c),
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' => {}
            'e' if i > 0 => {
                exp = &t[i..];
                break;
            }
            _ => return None,
        }
    }
    if !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let last_dot = body.rfind('.');
    let last_comma = body.rfind(',');
    let decimal: Option<char> = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(if d > c { '.' } else { ',' }),
        (Some(_), None) | (None, Some(_)) => {
            let sep = if last_dot.is_some() { '.' } else { ',' };
            let count = body.matches(sep).count();
            let pos = body.rfind(sep).unwrap_or(0);
            let after = body.len() - pos - 1;
            let before = pos;
            if count > 1 || (after == 3 && (1..=3).contains(&before) && ambiguous_thousands(sep)) {
                None
            } else {
                Some(sep)
            }
        }
        (None, None) => None,
    };
    let mut plain = String::with_capacity(body.len() + exp.len());
    let mut seen_decimal = false;
    for c in body.chars() {
        if Some(c) == decimal {
            if seen_decimal {
                return None; // "1.2.3" with `.` as decimal: not a number
            }
            seen_decimal = true;
            plain.push('.');
        } else if c.is_ascii_digit() {
            plain.push(c);
        }
    }
    if decimal.is_none() {
        // Thousands groups must be groups of three.
        for sep in [',', '.'] {
            let mut parts = body.split(sep);
            if body.contains(sep) {
                let first = parts.next().unwrap_or_default();
                if first.is_empty() || first.len() > 3 || parts.any(|p| p.len() != 3) {
                    return None;
                }
            }
        }
    }
    plain.push_str(exp);
    let v: f64 = plain.parse().ok()?;
    let v = v * mult;
    v.is_finite().then_some(v)
}

/// An amount of money as a number, or `None` when the cell is not one amount.
///
/// Accepts currency symbols and codes before or after (`$3,000,000`, `€ 1.200,50`,
/// `1200000 USD`), magnitude suffixes (`$1.2M`, `3.5bn`, `500k`), exponents
/// (`6.11E+10`) and a leading `-` or accounting parentheses for negatives.
/// `decimal_comma` settles the one ambiguous form, a single separator followed by exactly
/// three digits: with `true` (`;`-delimited, European files — see
/// [`Parsed::decimal_comma`](super::Parsed::decimal_comma)) `1.200` is 1200 and `1,200`
/// is 1.2; with `false` the reverse. `12,5` is 12.5 and `1.5` is 1.5 either way.
/// Lists (`$1200000, undisclosed amount`) and words ("undisclosed") give `None`.
pub fn parse_money(s: &str, decimal_comma: bool) -> Option<f64> {
    let lower = clean(s).to_lowercase();
    let mut t = lower.as_str();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        t = clean(inner);
    }
    if let Some(rest) = t.strip_prefix(['-', '−']) {
        negative = !negative;
        t = clean(rest);
    }
    let t = strip_currency(t);
    if t.starts_with(['-', '−']) {
        return None;
    }
    let thousands = |c: char| if decimal_comma { c == '.' } else { c == ',' };
    let v = parse_number(t, thousands)?;
    Some(if negative { -v } else { v })
}

/// Strips currency symbols and codes from both ends of lowercased text.
fn strip_currency(mut t: &str) -> &str {
    const CODES: [&str; 12] =
        ["usd", "eur", "gbp", "chf", "jpy", "cad", "aud", "sek", "nok", "dkk", "inr", "cny"];
    loop {
        let before = t;
        t = clean(t.trim_matches(|c: char| {
            matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₩' | '₽' | '₺' | '₪' | '฿' | '¢')
        }));
        for code in CODES {
            if let Some(rest) = t.strip_prefix(code) {
                t = clean(rest);
            }
            if let Some(rest) = t.strip_suffix(code) {
                t = clean(rest);
            }
        }
        for prefix in ["us", "a", "c", "hk", "nz", "s"] {
            if let Some(rest) = t.strip_prefix(prefix).filter(|r| r.starts_with('$')) {
                t = rest;
            }
        }
        if t == before {
            return t;
        }
    }
}

/// A head count or a range of them as `(min, max)`.
///
/// `250` → (250, 250); `1,200` and `1.200` → (1200, 1200) (a count has no decimals, so a
/// single separator before three digits is always thousands); `6.11E+10` →
/// (61100000000, …); `5k` → (5000, 5000); `51-200`, `51 – 200`, `51 to 200` → (51, 200);
/// `10001+`, `10,001 or more`, `>5000` → (min, `u64::MAX`): open-ended;
/// `<10`, `under 10`, `less than 10` → (0, max). A decimal such as `1.5` is rounded.
/// Negative numbers, words and empty cells give `None`.
pub fn parse_count(s: &str) -> Option<(u64, u64)> {
    let t = clean(s);
    let lower = t.to_lowercase();
    let mut t = lower.as_str();
    for word in ["employees", "employee", "people", "staff"] {
        if let Some(rest) = t.strip_suffix(word) {
            t = rest.trim_end();
        }
    }
    let one = |x: &str| -> Option<u64> {
        let v = parse_number(x, |_| true)?;
        (v >= 0.0 && v < u64::MAX as f64).then(|| v.round() as u64)
    };
    for open in ["+", "or more", "and more", "and above"] {
        if let Some(rest) = t.strip_suffix(open) {
            return one(rest.trim_end()).map(|n| (n, u64::MAX));
        }
    }
    for prefix in [">=", ">", "over", "more than", "at least"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return one(rest.trim_start()).map(|n| (n, u64::MAX));
        }
    }
    for prefix in ["<=", "<", "under", "less than", "up to", "fewer than"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return one(rest.trim_start()).map(|n| (0, n));
        }
    }
    for sep in [" to ", "–", "—", "-"] {
        if let Some(i) = t.find(sep) {
            if i == 0 {
                return None; // negative
            }
            let (a, b) = (one(t[..i].trim())?, one(t[i + sep.len()..].trim())?);
            return Some((a.min(b), a.max(b)));
        }
    }
    one(t).map(|n| (n, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count("250"), Some((250, 250)));
        assert_eq!(parse_count("1,200"), Some((1200, 1200)));
        assert_eq!(parse_count("1.200"), Some((1200, 1200)));
        assert_eq!(parse_count(" 1 200 "), Some((1200, 1200)));
        assert_eq!(parse_count("6.11E+10"), Some((61_100_000_000, 61_100_000_000)));
        assert_eq!(parse_count("51-200"), Some((51, 200)));
        assert_eq!(parse_count("51 – 200"), Some((51, 200)));
        assert_eq!(parse_count("1,001-5,000"), Some((1001, 5000)));
        assert_eq!(parse_count("11 to 50 employees"), Some((11, 50)));
        assert_eq!(parse_count("10001+"), Some((10001, u64::MAX)));
        assert_eq!(parse_count("10,001 or more"), Some((10001, u64::MAX)));
        assert_eq!(parse_count("<10"), Some((0, 10)));
        assert_eq!(parse_count("5k"), Some((5000, 5000)));
        assert_eq!(parse_count("1.5"), Some((2, 2)));
        for bad in ["", "-5", "n/a", "many", "1.2.3", "1e400", "-", "+"] {
            assert_eq!(parse_count(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn money() {
        assert_eq!(parse_money("$3,000,000", false), Some(3_000_000.0));
        assert_eq!(parse_money("$1.2M", false), Some(1_200_000.0));
        assert_eq!(parse_money("$1.2M", true), Some(1_200_000.0));
        assert_eq!(parse_money("12,5", true), Some(12.5));
        assert_eq!(parse_money("0,9", true), Some(0.9));
        assert_eq!(parse_money("1.200", true), Some(1200.0));
        assert_eq!(parse_money("1.200", false), Some(1.2));
        assert_eq!(parse_money("1,200", false), Some(1200.0));
        assert_eq!(parse_money("1,200", true), Some(1.2));
        assert_eq!(parse_money("€ 1.234.567,89", true), Some(1_234_567.89));
        assert_eq!(parse_money("1,234,567.89 USD", false), Some(1_234_567.89));
        assert_eq!(parse_money("US$ 500k", false), Some(500_000.0));
        assert_eq!(parse_money("3.5 billion", false), Some(3_500_000_000.0));
        assert_eq!(parse_money("6.11E+10", false), Some(6.11e10));
        assert_eq!(parse_money("(1,000)", false), Some(-1000.0));
        assert_eq!(parse_money("-$250", false), Some(-250.0));
        assert_eq!(parse_money("$1200000", false), Some(1_200_000.0));
        for bad in [
            "",
            "undisclosed amount",
            "$1200000, undisclosed amount",
            "$",
            "1,2,3",
            "12.34.56,7,8",
            "Series A",
        ] {
            assert_eq!(parse_money(bad, false), None, "{bad:?}");
        }
    }
}
