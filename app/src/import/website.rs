//! Website cells to canonical domains.

use super::punycode::domain_to_ascii;
use super::tokenize::clean;
use super::types::Website;

/// Reasons given for [`Website::Invalid`] (stable texts, tests and the UI match on them).
pub const REASON_IP: &str = "IP address, not a domain";
pub const REASON_CREDENTIALS: &str = "URL contains credentials";
pub const REASON_EMAIL: &str = "email address, not a website";
pub const REASON_PLACEHOLDER: &str = "placeholder, not a website";
pub const REASON_NO_HOST: &str = "no host name";
pub const REASON_SPACES: &str = "contains spaces";
pub const REASON_SEVERAL: &str = "more than one value";
pub const REASON_NO_DOT: &str = "not a full domain name (no dot)";
pub const REASON_INTERNAL: &str = "internal host name, not a public domain";
pub const REASON_BAD_DOMAIN: &str = "not a valid domain name";
pub const REASON_BAD_PORT: &str = "invalid port";

const PLACEHOLDERS: [&str; 22] = [
    "n/a",
    "na",
    "n.a.",
    "n.a",
    "#n/a",
    "none",
    "null",
    "nil",
    "nan",
    "-",
    "--",
    "---",
    "?",
    "tbd",
    "tba",
    "unknown",
    "not available",
    "no website",
    "0",
    "x",
    "no",
    "/",
];

/// Top-level names that only exist inside private networks.
const INTERNAL_TLDS: [&str; 7] =
    ["localhost", "local", "internal", "localdomain", "intranet", "lan", "home.arpa"];

/// Sites where the path, not the host, names the company: a link to a profile there is
/// not the company's website, and two companies linking the same site are not one.
const PROFILE_HOSTS: [&str; 22] = [
    "twitter.com",
    "x.com",
    "facebook.com",
    "fb.com",
    "linkedin.com",
    "instagram.com",
    "angel.co",
    "wellfound.com",
    "crunchbase.com",
    "github.com",
    "gitlab.com",
    "youtube.com",
    "medium.com",
    "tiktok.com",
    "pinterest.com",
    "t.me",
    "apps.apple.com",
    "itunes.apple.com",
    "play.google.com",
    "sites.google.com",
    "notion.site",
    "linktr.ee",
];

fn invalid(raw: &str, reason: impl Into<String>) -> Website {
    Website::Invalid { raw: raw.to_owned(), reason: reason.into() }
}

/// Normalizes a website cell to a canonical domain.
///
/// Trims (incl. NBSP); an empty cell is [`Website::Missing`]. Adds `https://` when there
/// is no scheme; only `http`/`https` are accepted. Keeps only the host: lowercased,
/// trailing dot and leading `www.` dropped, IDN converted to punycode; port, path, query
/// and fragment are dropped.
///
/// [`Website::Invalid`] (never fetched), with one of the `REASON_*` texts or an
/// "unsupported scheme" reason: placeholders (`n/a`, `none`, `-`), spaces, several
/// values, email addresses (and `mailto:`), other schemes (`file:`, `gopher:`,
/// `javascript:`), a bare scheme (`https://`), user info (`user:pass@host`), IP
/// literals in any form the URL standard accepts (dotted, `2130706433`, `0x7f000001`,
/// `0177.0.0.1`, `[::1]` — any host whose last label is a number), internal names
/// (`localhost`, `*.internal`, `*.local`), hosts without a dot, and malformed labels.
/// A page on a profile site (`twitter.com/acme`, `linkedin.com/company/acme`,
/// `github.com/acme`) is invalid too ("a page on twitter.com, not the company's own
/// website"), while the bare host (`twitter.com`, Twitter's own site) is a domain.
/// Names under `.test` / `.example` are valid: whether a domain resolves to a private
/// address is the fetcher's check, at fetch time.
pub fn normalize_website(raw: &str) -> Website {
    let s = clean(raw);
    let s = s.strip_prefix('<').and_then(|x| x.strip_suffix('>')).map_or(s, clean);
    if s.is_empty() {
        return Website::Missing;
    }
    if PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(s)) {
        return invalid(s, REASON_PLACEHOLDER);
    }
    if s.chars().any(char::is_whitespace) {
        return invalid(s, REASON_SPACES);
    }
    if s.contains([',', ';', '|']) {
        return invalid(s, REASON_SEVERAL);
    }

    // Scheme.
    let (scheme, rest) = if let Some(i) = s.find("://") {
        (Some(&s[..i]), &s[i + 3..])
    } else if let Some(r) = s.strip_prefix("//") {
        (None, r)
    } else if let Some(i) = s.find(':') {
        let (head, tail) = (&s[..i], &s[i + 1..]);
        let scheme_like = !head.is_empty()
            && !head.contains('.')
            && head.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-')
            && head.as_bytes()[0].is_ascii_alphabetic()
            && !tail.starts_with(|c: char| c.is_ascii_digit());
        if scheme_like { (Some(head), tail.trim_start_matches('/')) } else { (None, s) }
    } else {
        (None, s)
    };
    if let Some(sc) = scheme {
        let sc = sc.to_ascii_lowercase();
        match sc.as_str() {
            "http" | "https" => {}
            "mailto" => return invalid(s, REASON_EMAIL),
            "" => return invalid(s, REASON_BAD_DOMAIN),
            _ if sc.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) => {
                return invalid(s, format!("unsupported scheme \"{sc}:\" (only http and https)"));
            }
            _ => return invalid(s, REASON_BAD_DOMAIN),
        }
    }

    // Authority: up to the path, query or fragment.
    let authority = &rest[..rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return invalid(s, if scheme.is_some() { REASON_CREDENTIALS } else { REASON_EMAIL });
    }
    if authority.is_empty() {
        return invalid(s, REASON_NO_HOST);
    }
    if authority.starts_with('[') {
        return invalid(s, REASON_IP);
    }
    let host = match authority.rfind(':') {
        Some(i) => {
            if authority[..i].contains(':') {
                return invalid(s, REASON_IP); // IPv6 without brackets
            }
            let port = &authority[i + 1..];
            if !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
                return invalid(s, REASON_BAD_PORT);
            }
            &authority[..i]
        }
        None => authority,
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return invalid(s, REASON_NO_HOST);
    }
    if ends_in_number(host) {
        return invalid(s, REASON_IP);
    }
    let ascii: std::borrow::Cow<'_, str> =
        if host.is_ascii() && !host.contains("xn--") && !host.contains("XN--") {
            if host.bytes().any(|b| b.is_ascii_uppercase()) {
                host.to_ascii_lowercase().into()
            } else {
                host.into()
            }
        } else {
            match domain_to_ascii(host) {
                Some(a) => a.into(),
                None => return invalid(s, REASON_BAD_DOMAIN),
            }
        };
    let ascii = ascii.strip_suffix('.').unwrap_or(&ascii);
    if ascii.is_empty() {
        return invalid(s, REASON_NO_HOST);
    }
    if ends_in_number(ascii) {
        return invalid(s, REASON_IP);
    }
    if INTERNAL_TLDS.iter().any(|t| {
        ascii == *t
            || (ascii.len() > t.len()
                && ascii.ends_with(t)
                && ascii.as_bytes()[ascii.len() - t.len() - 1] == b'.')
    }) {
        return invalid(s, REASON_INTERNAL);
    }
    if !ascii.contains('.') {
        return invalid(s, REASON_NO_DOT);
    }
    if ascii.len() > 253 || !ascii.split('.').all(valid_label) {
        return invalid(s, REASON_BAD_DOMAIN);
    }
    let tld = ascii.rsplit('.').next().unwrap_or_default();
    if !tld.as_bytes()[0].is_ascii_alphabetic() {
        return invalid(s, REASON_BAD_DOMAIN);
    }
    let domain = match ascii.strip_prefix("www.") {
        Some(rest) if rest.contains('.') => rest,
        _ => ascii,
    };
    let path = rest[authority.len()..].trim_start_matches(['/', '\\']);
    if !path.is_empty()
        && !path.starts_with(['?', '#'])
        && let Some(site) = PROFILE_HOSTS.iter().find(|h| {
            domain == **h || (domain.ends_with(**h) && domain[..domain.len() - h.len()].ends_with('.'))
        })
    {
        return invalid(s, format!("a page on {site}, not the company's own website"));
    }
    Website::Domain { domain: domain.to_owned() }
}

/// The URL standard reads a host whose last label is a number (decimal, `0x` hex or
/// octal) as an IPv4 address.
fn ends_in_number(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or_default();
    if last.is_empty() {
        return false;
    }
    last.strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .map_or(last.bytes().all(|b| b.is_ascii_digit()), |h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn valid_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dom(s: &str) -> String {
        match normalize_website(s) {
            Website::Domain { domain } => domain,
            other => panic!("{s:?} -> {other:?}"),
        }
    }
    fn why(s: &str) -> String {
        match normalize_website(s) {
            Website::Invalid { reason, raw } => {
                assert_eq!(raw, clean(s));
                reason
            }
            other => panic!("{s:?} -> {other:?}"),
        }
    }

    #[test]
    fn canonical_forms() {
        for s in [
            "acme.example",
            "www.acme.example",
            "https://ACME.example/",
            "http://www.acme.example/about?utm_source=list#team",
            "  acme.example  ",
            "\u{a0}acme.example\u{a0}",
            "acme.example:8443/x",
            "HTTPS://WWW.ACME.EXAMPLE.",
            "//acme.example/path",
            "<https://acme.example>",
            "http:acme.example",
            "https://acme.example\\evil",
            "ａｃｍｅ．ｅｘａｍｐｌｅ",
        ] {
            assert_eq!(dom(s), "acme.example", "{s:?}");
        }
        assert_eq!(dom("shop.acme.example"), "shop.acme.example");
        assert_eq!(dom("www.example"), "www.example");
        assert_eq!(dom("https://münchner-rück-demo.example/"), "xn--mnchner-rck-demo-jzbi.example");
        assert_eq!(dom("xn--mnchner-rck-demo-jzbi.example"), "xn--mnchner-rck-demo-jzbi.example");
    }

    #[test]
    fn missing_and_invalid() {
        assert_eq!(normalize_website(""), Website::Missing);
        assert_eq!(normalize_website(" \u{a0} "), Website::Missing);
        assert_eq!(why("sales@contoso-pharma.example"), REASON_EMAIL);
        assert_eq!(why("mailto:sales@contoso.example"), REASON_EMAIL);
        for p in ["n/a", "N/A", "none", "-", "null", "TBD"] {
            assert_eq!(why(p), REASON_PLACEHOLDER, "{p}");
        }
        assert_eq!(why("https://"), REASON_NO_HOST);
        assert_eq!(why("http:///path"), REASON_NO_HOST);
        assert_eq!(why("file:///etc/passwd"), "unsupported scheme \"file:\" (only http and https)");
        assert_eq!(
            why("gopher://127.0.0.1:11211/_stats"),
            "unsupported scheme \"gopher:\" (only http and https)"
        );
        assert_eq!(why("javascript:alert(1)"), "unsupported scheme \"javascript:\" (only http and https)");
        assert_eq!(why("acme widgets.example"), REASON_SPACES);
        assert_eq!(why("a.example, b.example"), REASON_SPACES);
        assert_eq!(why("a.example,b.example"), REASON_SEVERAL);
        assert_eq!(why("acme"), REASON_NO_DOT);
        assert_eq!(why("acme.example:http"), REASON_BAD_PORT);
        assert_eq!(why("acme..example"), REASON_BAD_DOMAIN);
        assert_eq!(why("-acme.example"), REASON_BAD_DOMAIN);
        assert_eq!(why("acme%2e.example"), REASON_BAD_DOMAIN);
        assert_eq!(why("http://user:pass@169.254.169.254/"), REASON_CREDENTIALS);
        assert_eq!(why("https://user@acme.example/"), REASON_CREDENTIALS);
    }

    #[test]
    fn ip_literals_in_every_form() {
        for s in [
            "http://169.254.169.254/latest/meta-data/",
            "127.0.0.1",
            "http://127.0.0.1:6379/",
            "http://[::1]/",
            "http://[fd00::1]:8080/",
            "::1",
            "http://10.0.0.5/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
            "http://0x7f.1/",
            "acme.123",
            "１２７.０.０.１",
        ] {
            assert_eq!(why(s), REASON_IP, "{s}");
        }
    }

    #[test]
    fn profile_pages_are_not_websites() {
        assert_eq!(why("https://twitter.com/nowbox"), "a page on twitter.com, not the company's own website");
        assert_eq!(
            why("http://www.facebook.com/acme"),
            "a page on facebook.com, not the company's own website"
        );
        assert_eq!(why("m.facebook.com/acme?x=1"), "a page on facebook.com, not the company's own website");
        assert_eq!(
            why("linkedin.com/company/acme/"),
            "a page on linkedin.com, not the company's own website"
        );
        assert_eq!(dom("https://twitter.com/"), "twitter.com");
        assert_eq!(dom("https://www.github.com/?ref=list"), "github.com");
        assert_eq!(dom("https://box.com/x"), "box.com");
        assert_eq!(dom("https://acme.github.io/"), "acme.github.io");
    }

    #[test]
    fn internationalized_names() {
        assert_eq!(dom("https://MÜNCHEN.example/"), "xn--mnchen-3ya.example");
        assert_eq!(dom("www.bücher.例え.example"), "xn--bcher-kva.xn--r8jz45g.example");
        assert_eq!(dom("bücher.example.."), "xn--bcher-kva.example");
        assert_eq!(dom("bü\u{AD}cher.example:8080"), "xn--bcher-kva.example");
        assert_eq!(dom("https://XN--BCHER-KVA.example/"), "xn--bcher-kva.example");
        for s in [
            "M\u{FFFD}ller.example",
            "bücher\u{200E}.example",
            "xn--abc.example",
            "bücher..example",
            "bücher%2e.example",
            "ｗｗｗ．ａｃｍｅ．ｅｘａｍｐｌｅ／ｊｏｂｓ",
            &format!("{}.example", "ü".repeat(60)),
        ] {
            assert_eq!(why(s), REASON_BAD_DOMAIN, "{s}");
        }
        assert_eq!(why("bücher"), REASON_NO_DOT);
        assert_eq!(why("bücher.local"), REASON_INTERNAL);
        assert_eq!(why("１２７．０．０．１"), REASON_IP);
        assert_eq!(why("。"), REASON_NO_HOST);
    }

    #[test]
    fn internal_names() {
        for s in [
            "http://localhost:8080/admin",
            "http://metadata.google.internal/computeMetadata/v1/",
            "printer.local",
            "LOCALHOST",
        ] {
            assert_eq!(why(s), REASON_INTERNAL, "{s}");
        }
        assert_eq!(dom("https://redirects-to-internal.test/"), "redirects-to-internal.test");
        assert_eq!(dom("internal.example"), "internal.example");
    }
}
