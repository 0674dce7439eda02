//! Bytes to text: BOM sniffing, UTF-8, UTF-16 and the Windows-1252 fallback.

use super::error::ImportError;

/// Decoded text with the name of the encoding it was read as.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

/// Decodes a whole file.
///
/// - `EF BB BF` → "UTF-8 with BOM"; `FF FE` → "UTF-16LE"; `FE FF` → "UTF-16BE".
/// - No BOM but the NUL pattern of UTF-16 text → UTF-16 (with a warning).
/// - Valid UTF-8 → "UTF-8".
/// - Otherwise "Windows-1252" (a superset of Latin-1 for text), with a warning, so
///   `0xE9` becomes `é` instead of a silent U+FFFD. In a file that also holds valid
///   non-ASCII UTF-8 only the invalid runs are read as Windows-1252; the warning says
///   how many bytes and on which lines.
///
/// The leading U+FEFF is never part of the text. Excel workbooks and binary files
/// (NUL bytes) are refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::Spreadsheet);
    }
    let mut warnings = Vec::new();
    let (mut text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        utf8_or_fallback(rest, true, &mut warnings)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, true, &mut warnings), "UTF-16LE")
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, false, &mut warnings), "UTF-16BE")
    } else if let Some(le) = bomless_utf16(bytes) {
        let name = if le { "UTF-16LE" } else { "UTF-16BE" };
        warnings.push(format!("The file has no byte-order mark; it was read as {name}."));
        (utf16(bytes, le, &mut warnings), name)
    } else {
        utf8_or_fallback(bytes, false, &mut warnings)
    };
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    if text.contains('\0') {
        return Err(ImportError::NotText);
    }
    Ok(Decoded { text, encoding, warnings })
}

/// UTF-8 if valid. Else each run of bytes that is not valid UTF-8 is read as
/// Windows-1252 and the valid UTF-8 around it stays as it is, so a UTF-8 file with a few
/// Windows-1252 bytes (rows pasted from an old export) loses neither. A file with no valid
/// non-ASCII UTF-8 at all is plain Windows-1252. A mixed file is named UTF-8 when it has
/// a BOM or most of its non-ASCII text is UTF-8.
fn utf8_or_fallback(bytes: &[u8], bom: bool, warnings: &mut Vec<String>) -> (String, &'static str) {
    let utf8_name = if bom { "UTF-8 with BOM" } else { "UTF-8" };
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), utf8_name);
    }
    let (mut good_multibyte, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    if good_multibyte == 0 {
        warnings.push("The file is not valid UTF-8; it was read as Windows-1252.".to_owned());
        return (windows_1252(bytes), "Windows-1252");
    }
    let mut text = String::with_capacity(bytes.len() + bad);
    // 1-based lines with a byte read as Windows-1252 (LF, CRLF or a lone CR ends a line).
    let mut lines: Vec<usize> = Vec::new();
    let mut line = 1;
    let mut last_cr = false;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        for b in valid.bytes() {
            if (b == b'\n' && !last_cr) || b == b'\r' {
                line += 1;
            }
            last_cr = b == b'\r';
        }
        text.push_str(valid);
        if !chunk.invalid().is_empty() {
            // Invalid bytes are never line ends, so the line cannot change inside them.
            last_cr = false;
            if lines.last() != Some(&line) {
                lines.push(line);
            }
            text.push_str(&windows_1252(chunk.invalid()));
        }
    }
    let mut shown: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
    if lines.len() > 5 {
        shown.push("…".to_owned());
    }
    warnings.push(format!(
        "{bad} byte(s) were not valid UTF-8 and were read as Windows-1252 ({} {}); \
         check the affected values.",
        if lines.len() == 1 { "line" } else { "lines" },
        shown.join(", ")
    ));
    (text, if bom || good_multibyte >= bad { utf8_name } else { "Windows-1252" })
}

/// Windows-1252 as the WHATWG Encoding Standard defines it: Latin-1 except for
/// `0x80..=0x9F`, whose five undefined bytes stay the C1 controls of the same number.
fn windows_1252(bytes: &[u8]) -> String {
    const C1: [char; 32] = [
        '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
        '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
        '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
        '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
    ];
    bytes
        .iter()
        .map(|&b| if (0x80..0xA0).contains(&b) { C1[usize::from(b - 0x80)] } else { char::from(b) })
        .collect()
}

/// UTF-16 without BOM handling. Unpaired surrogates and a final odd byte become U+FFFD
/// (a lead surrogate cut off by the end counts once, as in the Encoding Standard), with a
/// warning.
fn utf16(bytes: &[u8], le: bool, warnings: &mut Vec<String>) -> String {
    let units = bytes.chunks_exact(2).map(|p| {
        let pair = [p[0], p[1]];
        if le { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    });
    let mut text = String::with_capacity(bytes.len());
    let mut had_errors = false;
    let mut last_unit = 0;
    for unit in char::decode_utf16(units.inspect(|&u| last_unit = u)) {
        text.push(unit.unwrap_or_else(|_| {
            had_errors = true;
            '\u{FFFD}'
        }));
    }
    if bytes.len() % 2 == 1 && !(0xD800..0xDC00).contains(&last_unit) {
        had_errors = true;
        text.push('\u{FFFD}');
    }
    if had_errors {
        let n = text.chars().filter(|&c| c == '\u{FFFD}').count();
        warnings.push(format!(
            "{n} invalid UTF-16 sequence(s) were replaced with \u{FFFD}; check the affected values."
        ));
    }
    text
}

/// `Some(true)` for UTF-16LE without BOM, `Some(false)` for BE: in the first 512 bytes
/// at least 40% of the odd (LE) or even (BE) bytes are NUL and almost none of the others.
fn bomless_utf16(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(512)];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 >= pairs * 4 && even * 20 <= pairs {
        Some(true)
    } else if even * 10 >= pairs * 4 && odd * 20 <= pairs {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_table() {
        let all: Vec<u8> = (0..=255).collect();
        let text: Vec<char> = windows_1252(&all).chars().collect();
        assert_eq!(text.len(), 256);
        for (b, &c) in all.iter().zip(&text) {
            if !(0x80..0xA0).contains(b) {
                assert_eq!(c as u32, u32::from(*b), "Latin-1 for {b:#x}");
            }
        }
        assert_eq!(
            String::from_iter(&text[0x80..0xA0]),
            "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ"
        );
    }

    fn utf16_le(units: &[u16], extra: &[u8]) -> (String, Vec<String>) {
        let mut bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        bytes.extend_from_slice(extra);
        let mut warnings = Vec::new();
        (utf16(&bytes, true, &mut warnings), warnings)
    }

    #[test]
    fn utf16_replacements_are_counted() {
        let be: Vec<u8> = "a€😀".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut warnings = Vec::new();
        assert_eq!(utf16(&be, false, &mut warnings), "a€😀");
        assert!(warnings.is_empty());

        let warning = |n: usize| {
            vec![format!(
                "{n} invalid UTF-16 sequence(s) were replaced with \u{FFFD}; check the affected values."
            )]
        };
        assert_eq!(utf16_le(&[0x61, 0xD800, 0x62, 0xDC00], &[]), (s("a\u{FFFD}b\u{FFFD}"), warning(2)));
        assert_eq!(utf16_le(&[0xD83D, 0xD83D, 0xDE00], &[]), (s("\u{FFFD}😀"), warning(1)));
        assert_eq!(utf16_le(&[0x61], &[0x62]), (s("a\u{FFFD}"), warning(1)), "odd final byte");
        assert_eq!(utf16_le(&[0x61, 0xD83D], &[0x62]), (s("a\u{FFFD}"), warning(1)), "cut surrogate once");
        assert_eq!(utf16_le(&[0x61, 0xD83D], &[]), (s("a\u{FFFD}"), warning(1)));
        assert_eq!(utf16_le(&[0xFFFD, 0xDC00], &[]), (s("\u{FFFD}\u{FFFD}"), warning(2)), "all U+FFFD count");
        assert_eq!(utf16_le(&[0xFFFD], &[]), (s("\u{FFFD}"), vec![]), "no error, no warning");
    }

    fn s(v: &str) -> String {
        v.to_owned()
    }
}
