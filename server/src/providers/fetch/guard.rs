//! URL and address screening: the gate between user-supplied websites and the network.
//! Everything here is pure (no DNS, no I/O) so it can run before any connection exists.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Why a URL or address was refused, worded for a human.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unsafe(pub String);

impl Unsafe {
    fn new(reason: impl Into<String>) -> Self {
        Unsafe(reason.into())
    }
}

const MAX_URL_LEN: usize = 2048;
const ALLOWED_PORTS: [u16; 2] = [80, 443];

/// Parses `raw` and refuses anything but a plain http(s) URL on port 80/443 whose host is a
/// public name or a public IP literal (in any of the numeric spellings browsers accept).
pub fn check_url(raw: &str) -> Result<Url, Unsafe> {
    check_url_except(raw, |_| false)
}

/// `check_url`, except that URLs for which `exempt` says yes skip the address and port rules.
/// Only the fetcher's test overrides use this, so a local fixture can stand in for a site.
pub(crate) fn check_url_except(raw: &str, exempt: impl Fn(&Url) -> bool) -> Result<Url, Unsafe> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_LEN {
        return Err(Unsafe::new("URL is too long"));
    }
    let url = Url::parse(raw).map_err(|e| Unsafe(format!("not a valid URL ({e})")))?;
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(Unsafe(format!("scheme {other} is not allowed"))),
    }
    // `user:pass@host` is a classic way to make a URL look like it points elsewhere.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Unsafe::new("user name or password in URL is not allowed"));
    }
    let host = url.host().ok_or_else(|| Unsafe::new("URL has no host"))?;
    if let Host::Domain(name) = host {
        check_host_name(name)?;
    }
    if exempt(&url) {
        return Ok(url);
    }
    match host {
        Host::Ipv4(ip) => check_ip(ip.into())?,
        Host::Ipv6(ip) => check_ip(ip.into())?,
        // The url crate already turns numeric hosts into IPs; this is a second line in case
        // some spelling slips through as a "domain".
        Host::Domain(name) => {
            if let Some(ip) = parse_ipv4_loose(name) {
                check_ip(ip.into())?;
            } else if ends_in_number(name) {
                return Err(Unsafe(format!("ambiguous numeric host {name}")));
            }
        }
    }
    let port = url.port_or_known_default().unwrap_or(0);
    if !ALLOWED_PORTS.contains(&port) {
        return Err(Unsafe(format!("port {port} is not allowed")));
    }
    Ok(url)
}

/// Names that point inside the network whatever public DNS says about them.
fn check_host_name(name: &str) -> Result<(), Unsafe> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let internal_suffixes = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".lan"];
    let internal = matches!(name.as_str(), "localhost" | "ip6-localhost" | "ip6-loopback")
        || internal_suffixes.iter().any(|s| name.ends_with(s) || name == s[1..]);
    if internal {
        return Err(Unsafe(format!("internal host name {name}")));
    }
    // Single labels ("metadata", "intranet") resolve through local search domains.
    if !name.contains('.') && parse_ipv4_loose(&name).is_none() {
        return Err(Unsafe(format!("single-label host name {name}")));
    }
    Ok(())
}

/// Refuses every address that is not plainly on the public internet.
pub fn check_ip(ip: IpAddr) -> Result<(), Unsafe> {
    match ip {
        IpAddr::V4(v4) => check_v4(v4),
        IpAddr::V6(v6) => check_v6(v6),
    }
}

fn check_v4(ip: Ipv4Addr) -> Result<(), Unsafe> {
    let [a, b, c, _] = ip.octets();
    let kind = match (a, b, c) {
        _ if ip.is_unspecified() => "unspecified",
        (0, ..) => "this-network",
        (127, ..) => "loopback",
        (10, ..) | (172, 16..=31, _) | (192, 168, _) => "private",
        (169, 254, _) => "link-local",
        (100, 64..=127, _) => "shared (CGNAT)",
        (192, 0, 0) => "IETF protocol",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (192, 88, 99) => "6to4 relay",
        (198, 18..=19, _) => "benchmarking",
        (224..=239, ..) => "multicast",
        _ if ip.is_broadcast() => "broadcast",
        (240..=255, ..) => "reserved",
        _ => return Ok(()),
    };
    Err(Unsafe(format!("{kind} address {ip}")))
}

fn check_v6(ip: Ipv6Addr) -> Result<(), Unsafe> {
    if let Some((label, v4)) = embedded_v4(ip) {
        return check_v4(v4).map_err(|e| Unsafe(format!("{label} address {ip} carries {e}")));
    }
    let s = ip.segments();
    let kind = if ip.is_unspecified() {
        "unspecified"
    } else if ip.is_loopback() {
        "loopback"
    } else if s[0] & 0xff00 == 0xff00 {
        "multicast"
    } else if s[0] & 0xffc0 == 0xfe80 {
        "link-local"
    } else if s[0] & 0xffc0 == 0xfec0 {
        "site-local"
    } else if s[0] & 0xfe00 == 0xfc00 {
        "unique-local"
    } else if s[0] == 0x2001 && s[1] == 0x0db8 {
        "documentation"
    } else if s[0] == 0x2001 && s[1] == 0 {
        // Teredo hides an IPv4 endpoint; no website needs it.
        "Teredo"
    } else if s[0] == 0x2001 && s[1] == 2 && s[2] == 0 {
        "benchmarking"
    } else if s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1 {
        "local NAT64"
    } else if s[0] & 0xe000 != 0x2000 {
        // Only 2000::/3 is allocated as global unicast.
        "reserved"
    } else {
        return Ok(());
    };
    Err(Unsafe(format!("{kind} address {ip}")))
}

/// IPv6 forms that carry an IPv4 address, which is what the connection really reaches.
fn embedded_v4(ip: Ipv6Addr) -> Option<(&'static str, Ipv4Addr)> {
    let s = ip.segments();
    let low = Ipv4Addr::from((u32::from(s[6]) << 16) | u32::from(s[7]));
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(("IPv4-mapped", low)),
        [0, 0, 0, 0, 0xffff, 0, _, _] => Some(("IPv4-translated", low)),
        // `::` and `::1` are not IPv4-compatible forms; they are handled as themselves.
        [0, 0, 0, 0, 0, 0, 0, 0 | 1] => None,
        [0, 0, 0, 0, 0, 0, _, _] => Some(("IPv4-compatible", low)),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(("NAT64", low)),
        [0x2002, hi, lo, ..] => Some(("6to4", Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)))),
        _ => None,
    }
}

/// The WHATWG IPv4 parser: 1–4 dot-separated parts, each decimal, octal (leading 0) or
/// hex (0x), the last part filling the remaining bytes (`127.1`, `2130706433`, `0x7f.1`).
pub(crate) fn parse_ipv4_loose(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts = host.split('.').map(parse_part).collect::<Option<Vec<u64>>>()?;
    let (last, init) = parts.split_last()?;
    if init.len() > 3 || init.iter().any(|&n| n > 255) {
        return None;
    }
    let room = 8 * (4 - init.len() as u32);
    if room < 32 && *last >= 1u64 << room {
        return None;
    }
    let value = init.iter().enumerate().fold(*last, |acc, (i, n)| acc + (n << (24 - 8 * i as u32)));
    u32::try_from(value).ok().map(Ipv4Addr::from)
}

fn parse_part(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if part.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if digits.is_empty() {
        return Some(0); // a bare "0x" means zero
    }
    u64::from_str_radix(digits, radix).ok()
}

/// A host whose last label is numeric is an IPv4 attempt, never a real domain.
fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or(host);
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())))
}

#[cfg(test)]
#[path = "guard_tests.rs"]
mod tests;
