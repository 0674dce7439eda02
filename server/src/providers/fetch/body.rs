//! Reading a response body within a byte budget, and turning its bytes into text.

use super::FetchOutcome;

/// Reads the whole body, giving up as soon as it exceeds `max` bytes.
pub(super) async fn read_capped(resp: &mut reqwest::Response, max: usize) -> Result<Vec<u8>, FetchOutcome> {
    if resp.content_length().is_some_and(|len| len > max as u64) {
        return Err(FetchOutcome::TooLarge);
    }
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > max {
                    return Err(FetchOutcome::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) if e.is_timeout() => {
                return Err(FetchOutcome::Unreachable("timed out reading the page".into()));
            }
            Err(_) => {
                return Err(FetchOutcome::Unreachable("connection dropped while reading the page".into()));
            }
        }
    }
}

/// The media type of a Content-Type header, lower-cased, without parameters.
pub(super) fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

pub(super) fn is_html(content_type: &str) -> bool {
    matches!(media_type(content_type).as_str(), "text/html" | "application/xhtml+xml")
}

/// Without a Content-Type, a body that opens with markup is taken as HTML.
pub(super) fn looks_like_html(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Decodes as UTF-8 (lossily), or as windows-1252 when the header or an early
/// `<meta charset>` names it or one of its aliases (browsers treat latin1 as 1252).
pub(super) fn decode(body: &[u8], content_type: &str) -> String {
    let declared = charset(&content_type.to_ascii_lowercase()).or_else(|| {
        let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
        charset(&head)
    });
    let latin = ["iso-8859-1", "iso8859-1", "latin1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii"];
    match declared {
        Some(label) if latin.contains(&label.as_str()) => body.iter().map(|&b| cp1252(b)).collect(),
        _ => String::from_utf8_lossy(body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body)).into_owned(),
    }
}

/// The value after the first `charset=` in already lower-cased text.
fn charset(text: &str) -> Option<String> {
    let rest = &text[text.find("charset=")? + "charset=".len()..];
    let rest = rest.trim_start_matches(['"', '\'', ' ']);
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
        '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_declared_charsets() {
        assert_eq!(decode(b"caf\xe9 \x80", "text/html; charset=ISO-8859-1"), "café €");
        assert_eq!(
            decode(b"<meta charset=\"windows-1252\">caf\xe9", "text/html"),
            "<meta charset=\"windows-1252\">café"
        );
        assert_eq!(decode("café".as_bytes(), "text/html; charset=utf-8"), "café");
        assert_eq!(decode(b"\xef\xbb\xbfok \xff", "text/html"), "ok \u{fffd}");
    }

    #[test]
    fn recognises_html() {
        assert!(is_html("text/html; charset=utf-8"));
        assert!(is_html("Application/XHTML+XML"));
        assert!(!is_html("application/pdf"));
        assert!(!is_html("text/plain"));
        assert!(looks_like_html(b"\xef\xbb\xbf  <!doctype html>"));
        assert!(!looks_like_html(b"%PDF-1.4"));
    }
}
