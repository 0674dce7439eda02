use super::*;

const BOT: &str = "CellstackBot/1.0 (+https://github.com/cellstack)";

#[test]
fn empty_or_missing_rules_allow() {
    assert!(allows("", BOT, "/about"));
    assert!(allows("User-agent: *\nDisallow:\n", BOT, "/about"));
    assert!(allows("# nothing here\nSitemap: https://x.example/s.xml\n", BOT, "/"));
}

#[test]
fn star_group_applies_when_no_specific_group() {
    let robots = "User-agent: *\nDisallow: /about\n\nUser-agent: OtherBot\nDisallow: /\n";
    assert!(!allows(robots, BOT, "/about"));
    assert!(!allows(robots, BOT, "/about/team"));
    assert!(allows(robots, BOT, "/careers"));
    assert!(allows(robots, BOT, "/"));
    assert!(!allows(robots, "OtherBot", "/careers"));
}

#[test]
fn specific_group_beats_star() {
    let robots = "User-agent: *\nDisallow: /\n\nuser-agent: cellstackbot\nDisallow: /private\n";
    assert!(allows(robots, BOT, "/about"));
    assert!(!allows(robots, BOT, "/private/x"));
    assert!(!allows(robots, "SomeoneElse/2.0", "/about"));
}

#[test]
fn consecutive_agents_share_a_group_and_groups_merge() {
    let robots =
        "User-agent: a\nUser-agent: CellstackBot\nDisallow: /x\n\nUser-agent: cellstackbot\nDisallow: /y\n";
    assert!(!allows(robots, BOT, "/x"));
    assert!(!allows(robots, BOT, "/y"));
    assert!(!allows(robots, "a", "/x"));
    assert!(allows(robots, "a", "/y"));
}

#[test]
fn longest_match_wins_and_allow_wins_ties() {
    let robots = "User-agent: *\nDisallow: /careers\nAllow: /careers/jobs\nAllow: /page\nDisallow: /page\n";
    assert!(!allows(robots, BOT, "/careers"));
    assert!(allows(robots, BOT, "/careers/jobs/1"));
    assert!(allows(robots, BOT, "/page"));
    let robots = "User-agent: *\nAllow: /\nDisallow: /about\n";
    assert!(!allows(robots, BOT, "/about"));
    assert!(allows(robots, BOT, "/"));
}

#[test]
fn wildcards_and_anchors() {
    let robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?session=\nDisallow: /a*b*c\n";
    assert!(!allows(robots, BOT, "/files/report.pdf"));
    assert!(allows(robots, BOT, "/files/report.pdf?x=1"));
    assert!(!allows(robots, BOT, "/list?session=42"));
    assert!(!allows(robots, BOT, "/axxbyyc/z"));
    assert!(allows(robots, BOT, "/axxbyy"));
    assert!(!allows("User-agent: *\nDisallow: /$\n", BOT, "/"));
    assert!(allows("User-agent: *\nDisallow: /$\n", BOT, "/about"));
    assert!(!allows("User-agent: *\nDisallow: *\n", BOT, "/anything"));
}

#[test]
fn comments_case_and_robots_txt_itself() {
    let robots = "USER-AGENT: * # everyone\nDISALLOW: / # all\n";
    assert!(!allows(robots, BOT, "/about"));
    assert!(allows(robots, BOT, "/robots.txt"));
    assert!(matches("/a*", "/abc"));
    assert!(!matches("/abc$", "/abcd"));
}
