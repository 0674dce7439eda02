//! Internationalized host names to ASCII: Punycode (RFC 3492) per label.
//!
//! A small stand-in for `domain_to_ascii` of the `idna` crate (UTS #46) that covers what
//! company lists contain without its Unicode tables: full-width forms (as typed with
//! Chinese, Japanese and Korean input methods) become ASCII, the ideographic full stops
//! separate labels, invisible characters are dropped, letters are lowercased and each
//! label with non-ASCII letters becomes `xn--` + Punycode. Not covered: Unicode
//! normalization (NFC, compatibility forms such as `ﬁ` or `①`), the bidi and joiner
//! rules and unassigned code points below plane 4; such names are encoded as they are.

/// The longest DNS label, in bytes.
const MAX_LABEL: usize = 63;

/// The ASCII form of a host name, or `None` for what UTS #46 refuses: a non-ASCII label
/// that starts with `xn--` or a combining mark, holds a character that has no place in a
/// host name (C1 controls, U+FFFD, direction marks and joiners, private use, unassigned
/// planes) or is longer than 63 bytes once encoded, and an `xn--` label that is not the
/// Punycode of a valid lowercase non-ASCII label.
///
/// Like `domain_to_ascii` of the `idna` crate, ASCII labels pass through lowercased even
/// when empty or full of characters a host name cannot have: the caller checks them.
pub(crate) fn domain_to_ascii(host: &str) -> Option<String> {
    let mapped: String =
        host.chars().filter(|&c| !ignored(c)).map(narrow).flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(mapped.len() + 8);
    for (i, label) in mapped.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if label.is_ascii() {
            if label.starts_with("xn--") && !valid_ace(label) {
                return None;
            }
            out.push_str(label);
        } else {
            let chars: Vec<char> = label.chars().collect();
            if label.starts_with("xn--") || !valid_unicode(&chars) {
                return None;
            }
            out.push_str("xn--");
            encode_into(&chars, &mut out, MAX_LABEL - 4)?;
        }
    }
    Some(out)
}

/// Full-width ASCII (U+FF01..=U+FF5E) to ASCII, the ideographic full stops to `.`.
fn narrow(c: char) -> char {
    match c {
        '\u{3002}' | '\u{FF61}' => '.',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Invisible characters UTS #46 drops: soft hyphen, zero-width space, word joiner,
/// byte-order mark, variation selectors and a few fillers.
fn ignored(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// A label after mapping: no character that UTS #46 refuses (for the characters it
/// checks without tables), and no combining mark first.
fn valid_unicode(label: &[char]) -> bool {
    let combining = |c: &char| {
        matches!(
            c,
            '\u{300}'..='\u{36F}'
                | '\u{1AB0}'..='\u{1AFF}'
                | '\u{1DC0}'..='\u{1DFF}'
                | '\u{20D0}'..='\u{20FF}'
                | '\u{FE20}'..='\u{FE2F}'
        )
    };
    !label.first().is_some_and(combining) && label.iter().all(|&c| c.is_ascii() || allowed(c))
}

/// A non-ASCII character that can be in a label: not a control, space, replacement
/// character, direction mark or joiner, private use, noncharacter or in the unassigned
/// planes 4 to 13 (and not one of the tags that follow them).
fn allowed(c: char) -> bool {
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{FFFC}' | '\u{FFFD}' | '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}')
        || matches!(c, '\u{2066}'..='\u{2069}' | '\u{E000}'..='\u{F8FF}' | '\u{FDD0}'..='\u{FDEF}')
        || c >= '\u{40000}'
        || c as u32 & 0xFFFE == 0xFFFE)
}

/// An `xn--` label as [`domain_to_ascii`] would have written it: at most 63 bytes,
/// Punycode of a valid label with non-ASCII characters that maps to itself.
fn valid_ace(label: &str) -> bool {
    let Some(chars) = label.get(4..).filter(|_| label.len() <= MAX_LABEL).and_then(decode) else {
        return false;
    };
    let mut again = String::new();
    !chars.iter().all(char::is_ascii)
        && valid_unicode(&chars)
        && chars.iter().all(|&c| !ignored(c) && narrow(c) == c && c.to_lowercase().eq([c]))
        && encode_into(&chars, &mut again, MAX_LABEL).is_some()
        && again == label[4..]
}

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn threshold(k: u32, bias: u32) -> u32 {
    k.saturating_sub(bias).clamp(T_MIN, T_MAX)
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit(d: u32) -> char {
    char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 })
}

/// Appends the Punycode of `input` (without `xn--`) to `out`; `None` when it would take
/// more than `max` bytes.
fn encode_into(input: &[char], out: &mut String, max: usize) -> Option<()> {
    // Every character takes at least one byte, so longer inputs are refused before the
    // quadratic work, which also keeps `delta` far below `u32::MAX`.
    if input.len() > max {
        return None;
    }
    let start = out.len();
    out.extend(input.iter().filter(|c| c.is_ascii()));
    let basic = (out.len() - start) as u32;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta += (m - n) * (handled + 1);
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta += 1;
            } else if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    (out.len() - start <= max).then_some(())
}

/// The characters of a Punycode string (without `xn--`); `None` if malformed.
fn decode(input: &str) -> Option<Vec<char>> {
    let (basic, digits) = input.rsplit_once('-').unwrap_or(("", input));
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = digits.bytes();
    while digits.len() > 0 {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let d = match digits.next()? {
                b @ b'a'..=b'z' => b - b'a',
                b @ b'0'..=b'9' => b - b'0' + 26,
                _ => return None,
            } as u32;
            i = i.checked_add(d.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if d < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = out.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn puny(s: &str) -> Option<String> {
        let mut out = String::new();
        encode_into(&s.chars().collect::<Vec<_>>(), &mut out, MAX_LABEL).map(|()| out)
    }

    #[test]
    fn rfc_3492_vectors() {
        for (plain, code) in [
            ("münchen", "mnchen-3ya"),
            ("bücher", "bcher-kva"),
            ("例え", "r8jz45g"),
            ("münchner-rück-demo", "mnchner-rck-demo-jzbi"),
            ("ü", "tda"),
            ("faß", "fa-hia"),
            ("правительство", "80aealotwbjpid2k"),
            ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
            ("3年b組金八先生", "3b-ww4c5e180e575a65lsy2b"),
            ("☃", "n3h"),
            ("😀", "e28h"),
        ] {
            assert_eq!(puny(plain).as_deref(), Some(code), "{plain}");
            assert_eq!(decode(code).map(String::from_iter).as_deref(), Some(plain), "{code}");
        }
        assert_eq!(puny(&"ü".repeat(64)), None, "more characters than bytes allowed");
        assert_eq!(puny(&"ü".repeat(40)).map(|p| p.len()), Some(42), "a repeated character is cheap");
        let spread: String = (0..30).filter_map(|i| char::from_u32(0x4E00 + 97 * i)).collect();
        assert_eq!(puny(&spread), None, "more bytes than allowed");
        assert_eq!(decode("99999999999"), None, "overflow");
        assert_eq!(decode("a-b!"), None);
    }

    #[test]
    fn hosts() {
        let ok = |h: &str| domain_to_ascii(h).unwrap_or_else(|| panic!("{h:?}"));
        assert_eq!(ok("münchner-rück-demo.example"), "xn--mnchner-rck-demo-jzbi.example");
        assert_eq!(ok("MÜNCHNER-RÜCK-DEMO.Example"), "xn--mnchner-rck-demo-jzbi.example");
        assert_eq!(ok("xn--mnchner-rck-demo-jzbi.example"), "xn--mnchner-rck-demo-jzbi.example");
        assert_eq!(ok("XN--MNCHNER-RCK-DEMO-JZBI.example"), "xn--mnchner-rck-demo-jzbi.example");
        assert_eq!(ok("bücher.例え.example."), "xn--bcher-kva.xn--r8jz45g.example.");
        assert_eq!(ok("ａｃｍｅ．ｅｘａｍｐｌｅ"), "acme.example");
        assert_eq!(ok("例え。テスト｡ｊｐ"), "xn--r8jz45g.xn--zckzah.jp");
        assert_eq!(ok("ΣΟΦΙΑΣ.gr"), "xn--mxaprpdp.gr", "σ, never the final ς");
        assert_eq!(ok("ẞ.de"), "xn--zca.de");
        assert_eq!(ok("ac\u{AD}me.ex\u{200B}ample\u{FEFF}"), "acme.example", "invisible characters dropped");
        let longest = "a".repeat(55) + "ü";
        assert_eq!(ok(&format!("{longest}.example")), format!("xn--{}-8yf.example", "a".repeat(55)));
        assert_eq!(ok(&"ü".repeat(57)).len(), 63);
        // ASCII labels are the caller's to check, as with the idna crate.
        assert_eq!(ok("ü..%.Example."), "xn--tda..%.example.");
        for bad in [
            "ü\u{85}.example",
            "M\u{FFFD}ller.example",
            "ü\u{200E}.example",
            "a\u{200C}b\u{E000}.example",
            "ü\u{E000}.example",
            "ü\u{FFFF}.example",
            "ü\u{50000}.example",
            "\u{301}a.example",
            "xn--ü.example",
            "ü.xn--abc.example",
            "ü.xn--abc-.example",
            "ü.xn--.example",
            "ü.xn--tda-.example",
            "ü.xn--wca.example",
            "ü.xn--fa.example",
            "ü.xn--zn7c.example",
            "ü.xn--a-wbb.example",
        ] {
            assert_eq!(domain_to_ascii(bad), None, "{bad:?}");
        }
        assert_eq!(domain_to_ascii(&format!("a{longest}.example")), None, "64 bytes");
        assert_eq!(domain_to_ascii(&"ü".repeat(58)), None, "64 bytes");
        assert_eq!(domain_to_ascii(&format!("ü.xn--{}.example", "a".repeat(60))), None);
    }
}
