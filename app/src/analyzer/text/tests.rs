use super::*;

#[test]
fn stemming() {
    assert_eq!(stem("companies"), "company");
    assert_eq!(stem("tools"), "tool");
    assert_eq!(stem("engineering"), "engineer");
    assert_eq!(stem("engineers"), "engineer");
    assert_eq!(stem("shopping"), "shop");
    assert_eq!(stem("selling"), "sell");
    assert_eq!(stem("businesses"), "business");
    assert_eq!(stem("business"), "business");
    assert_eq!(stem("saas"), "saas");
    assert_eq!(stem("apis"), "api");
    assert_eq!(stem("databases"), "database");
}

#[test]
fn tokenizing_keeps_spans() {
    let text = "Developer Tools, America's best APIs";
    let t = tokens(text);
    let stems: Vec<&str> = t.iter().map(|t| t.stem.as_str()).collect();
    assert_eq!(stems, ["developer", "tool", "america", "best", "api"]);
    let r = find_phrase(&t, &stems_of("developer tools")).unwrap();
    assert_eq!(surface(text, &t, r), "Developer Tools");
    assert_eq!(find_phrase(&t, &stems_of("tools developer")), None);
}

fn stems_of(s: &str) -> Vec<String> {
    stems(s)
}

#[test]
fn whole_words() {
    assert!(contains_word("We run Kubernetes and Go.", "kubernetes"));
    assert!(contains_word("We run Kubernetes and Go.", "Go"));
    assert!(!contains_word("Let's go shopping", "Go"));
    assert!(!contains_word("Reactive systems", "React"));
    assert!(contains_word("Stack: C#, .NET", "C#"));
}

#[test]
fn money() {
    assert_eq!(
        parse_money("$1200000, undisclosed amount"),
        vec![Money::Amount("$1.2M".into()), Money::Undisclosed]
    );
    assert_eq!(parse_money("$3,000,000"), vec![Money::Amount("$3M".into())]);
    assert_eq!(parse_money("$2.5 million"), vec![Money::Amount("$2.5M".into())]);
    assert_eq!(parse_money("EUR 750K"), vec![Money::Amount("€750K".into())]);
    assert_eq!(parse_money("5000000"), vec![Money::Amount("5M".into())]);
    assert_eq!(parse_money("Series A 2021"), vec![]);
    assert_eq!(parse_money("$0"), vec![]);
}

#[test]
fn dates() {
    let d = |s| parse_date(s).map(|d| d.iso());
    assert_eq!(d("2024-03-15"), Some("2024-03-15".into()));
    assert_eq!(d("2024-03-15T10:00:00Z"), Some("2024-03-15".into()));
    assert_eq!(d("2024-03"), Some("2024-03".into()));
    assert_eq!(d("03/15/2024"), Some("2024-03-15".into()));
    assert_eq!(d("15.03.2024"), Some("2024-03-15".into()));
    assert_eq!(d("March 2024"), Some("2024-03".into()));
    assert_eq!(d("Mar 15, 2024"), Some("2024-03-15".into()));
    assert_eq!(d("Q2 2023"), Some("2023-06".into()));
    assert_eq!(d("2021"), Some("2021".into()));
    assert_eq!(d("soon"), None);
    let p = parse_date("2023-01").unwrap();
    assert_eq!(p.months_ago((2024, 3)), 14);
    assert_eq!(p.human(), "January 2023");
    assert_eq!(parse_date("2030").unwrap().months_ago((2024, 3)), 0);
}

#[test]
fn headcounts() {
    assert_eq!(parse_headcount("51-200"), Some((51, Some(200))));
    assert_eq!(parse_headcount("1,001-5,000"), Some((1001, Some(5000))));
    assert_eq!(parse_headcount("10,001+"), Some((10001, None)));
    assert_eq!(parse_headcount("about 250"), Some((250, Some(250))));
    assert_eq!(parse_headcount("unknown"), None);
}

#[test]
fn small_helpers() {
    assert_eq!(join_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    assert_eq!(lc_first("Raised $3M"), "raised $3M");
    assert_eq!(lc_first("API tools"), "API tools");
    assert_eq!(lc_words("Developer Tools"), "developer tools");
    assert_eq!(lc_words("API Platform"), "API platform");
    assert_eq!(truncate("abcdef", 4), "abc…");
    assert!(is_none_like(" N/A "));
    assert_eq!(parse_year("Founded in 2009."), Some(2009));
}
