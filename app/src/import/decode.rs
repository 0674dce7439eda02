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
///   `0xE9` becomes `é` instead of a silent U+FFFD. Exception: a file that is mostly
///   valid non-ASCII UTF-8 with a few broken bytes stays UTF-8, the broken bytes are
///   replaced and the warning says how many.
///
/// The leading U+FEFF is never part of the text. Excel workbooks and binary files
/// (NUL bytes) are refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::Spreadsheet);
    }
    let mut warnings = Vec::new();
    let (mut text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        utf8_or_fallback(rest, "UTF-8 with BOM", &mut warnings)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, encoding_rs::UTF_16LE, &mut warnings), "UTF-16LE")
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, encoding_rs::UTF_16BE, &mut warnings), "UTF-16BE")
    } else if let Some(le) = bomless_utf16(bytes) {
        let (enc, name) =
            if le { (encoding_rs::UTF_16LE, "UTF-16LE") } else { (encoding_rs::UTF_16BE, "UTF-16BE") };
        warnings.push(format!("The file has no byte-order mark; it was read as {name}."));
        (utf16(bytes, enc, &mut warnings), name)
    } else {
        utf8_or_fallback(bytes, "UTF-8", &mut warnings)
    };
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    if text.contains('\0') {
        return Err(ImportError::NotText);
    }
    Ok(Decoded { text, encoding, warnings })
}

/// UTF-8 if valid; else decides between lossy UTF-8 and Windows-1252.
fn utf8_or_fallback(
    bytes: &[u8],
    utf8_name: &'static str,
    warnings: &mut Vec<String>,
) -> (String, &'static str) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), utf8_name);
    }
    let (mut good_multibyte, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    if good_multibyte >= 4 && good_multibyte >= bad * 4 {
        warnings.push(format!(
            "{bad} byte(s) were not valid UTF-8 and were replaced with \u{FFFD}; \
             check the affected values."
        ));
        return (String::from_utf8_lossy(bytes).into_owned(), utf8_name);
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    warnings.push("The file is not valid UTF-8; it was read as Windows-1252.".to_owned());
    (text.into_owned(), "Windows-1252")
}

fn utf16(bytes: &[u8], enc: &'static encoding_rs::Encoding, warnings: &mut Vec<String>) -> String {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        let n = text.chars().filter(|&c| c == '\u{FFFD}').count();
        warnings.push(format!(
            "{n} invalid UTF-16 sequence(s) were replaced with \u{FFFD}; check the affected values."
        ));
    }
    text.into_owned()
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
