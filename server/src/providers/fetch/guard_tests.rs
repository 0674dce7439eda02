use super::*;

fn refused(url: &str) -> String {
    match check_url(url) {
        Err(Unsafe(reason)) => reason,
        Ok(u) => panic!("{url} was accepted as {u}"),
    }
}

#[test]
fn accepts_plain_public_urls() {
    for url in [
        "https://example.com/",
        "http://example.com/about?x=1",
        "https://example.com:443/",
        "http://example.com:80/",
        "http://93.184.216.34/",
        "http://[2606:2800:220:1:248:1893:25c8:1946]/",
        "https://www.example.co.uk.",
    ] {
        assert!(check_url(url).is_ok(), "{url}");
    }
}

#[test]
fn refuses_schemes_ports_and_userinfo() {
    assert_eq!(refused("file:///etc/passwd"), "scheme file is not allowed");
    assert_eq!(refused("gopher://127.0.0.1:11211/_stats"), "scheme gopher is not allowed");
    assert!(refused("ftp://example.com/").contains("ftp"));
    assert!(refused("javascript:alert(1)").contains("scheme"));
    assert_eq!(refused("http://example.com:8080/"), "port 8080 is not allowed");
    assert_eq!(refused("https://example.com:22/"), "port 22 is not allowed");
    assert!(refused("http://user:pass@example.com/").contains("password"));
    assert!(refused("http://user@example.com/").contains("user name"));
    assert!(refused("not a url").contains("not a valid URL"));
    assert!(refused(&format!("https://example.com/{}", "a".repeat(3000))).contains("too long"));
}

#[test]
fn refuses_internal_host_names() {
    for url in [
        "http://localhost/",
        "http://LOCALHOST./",
        "http://app.localhost/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://db.internal/",
        "http://printer.local/",
        "http://metadata/",
    ] {
        refused(url);
    }
}

#[test]
fn parses_every_ipv4_spelling() {
    let loopback = Some(Ipv4Addr::new(127, 0, 0, 1));
    for host in
        ["127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.0.0.1", "0x7f.1", "127.0.1"]
    {
        assert_eq!(parse_ipv4_loose(host), loopback, "{host}");
    }
    assert_eq!(parse_ipv4_loose("0"), Some(Ipv4Addr::UNSPECIFIED));
    assert_eq!(parse_ipv4_loose("256.1.1.1"), None);
    assert_eq!(parse_ipv4_loose("1.2.3.4.5"), None);
    assert_eq!(parse_ipv4_loose("4294967296"), None);
    assert_eq!(parse_ipv4_loose("example.com"), None);
    assert_eq!(parse_ipv4_loose("08.1.1.1"), None); // 8 is not an octal digit
}

#[test]
fn refuses_numeric_spellings_of_internal_ips() {
    for url in [
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://0x7f.0x0.0x0.0x1/",
        "http://017700000001/",
        "http://0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[fec0::1]/",
        "http://127%2E0%2E0%2E1/",
    ] {
        let reason = refused(url);
        assert!(!reason.starts_with("port"), "{url}: {reason}");
    }
    assert_eq!(refused("http://10.0.0.5/"), "private address 10.0.0.5");
    assert_eq!(refused("http://2130706433/"), "loopback address 127.0.0.1");
    assert!(
        refused("http://[::ffff:169.254.169.254]/").contains("carries link-local address 169.254.169.254")
    );
}

#[test]
fn classifies_ipv4_ranges() {
    let bad = [
        "0.0.0.0",
        "0.1.2.3",
        "127.5.5.5",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.255",
        "255.255.255.255",
        "224.0.0.1",
        "239.255.255.250",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "192.0.0.8",
        "198.18.0.1",
        "198.19.255.255",
        "240.0.0.1",
    ];
    for ip in bad {
        let ip: IpAddr = ip.parse().expect("test ip");
        assert!(check_ip(ip).is_err(), "{ip} should be refused");
    }
    for ip in ["8.8.8.8", "1.1.1.1", "172.15.0.1", "172.32.0.1", "100.63.0.1", "100.128.0.1", "93.184.216.34"]
    {
        let ip: IpAddr = ip.parse().expect("test ip");
        assert!(check_ip(ip).is_ok(), "{ip} should be allowed");
    }
}

#[test]
fn classifies_ipv6_ranges() {
    let bad = [
        "::",
        "::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "fc00::1",
        "fdff::1",
        "ff02::1",
        "2001:db8::1",
        "::ffff:10.0.0.1",
        "::ffff:0:10.0.0.1",
        "::192.168.0.1",
        "64:ff9b::10.0.0.1",
        "64:ff9b:1::1",
        "2002:7f00:1::",
        "2001:0:4136:e378::1",
        "100::1",
    ];
    for ip in bad {
        let ip: IpAddr = ip.parse().expect("test ip");
        assert!(check_ip(ip).is_err(), "{ip} should be refused");
    }
    for ip in ["2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"] {
        let ip: IpAddr = ip.parse().expect("test ip");
        assert!(check_ip(ip).is_ok(), "{ip} should be allowed");
    }
}

#[test]
fn exemption_skips_only_address_and_port_rules() {
    let exempt = |_: &Url| true;
    assert!(check_url_except("http://127.0.0.1:3000/", exempt).is_ok());
    assert!(check_url_except("http://localhost:3000/", exempt).is_err());
    assert!(check_url_except("file:///etc/passwd", exempt).is_err());
    assert!(check_url_except("http://a:b@127.0.0.1:3000/", exempt).is_err());
}
