use super::super::{FundingPref, Persona};
use super::*;

fn brief(icp: &str) -> Brief {
    Brief { icp: icp.into(), ..Brief::default() }
}

fn summary(r: &Rubric) -> Vec<(String, String, u8)> {
    r.criteria.iter().map(|c| (c.id.clone(), c.label.clone(), c.weight)).collect()
}

#[test]
fn developer_tools_icp() {
    let r = rubric(&brief("B2B developer tools and API companies selling to engineering teams"));
    assert_eq!(
        summary(&r),
        vec![
            ("terms:b2b".into(), "B2B".into(), 2),
            ("terms:developer".into(), "developer tools / API / engineering".into(), 3),
        ]
    );
}

#[test]
fn alternatives_size_geography_founding() {
    let r = rubric(&brief(
        "B2B software companies selling to developers or data teams, founded 2008 or later, US-based, 50-500 employees",
    ));
    assert_eq!(
        summary(&r),
        vec![
            ("terms:b2b".into(), "B2B / software".into(), 2),
            ("terms:developer+data".into(), "developers or data".into(), 3),
            ("size".into(), "50\u{2013}500 employees".into(), 2),
            ("geography".into(), "Based in US".into(), 2),
            ("founded".into(), "Founded 2008 or later".into(), 1),
        ]
    );
    assert_eq!(r.criteria[2].rule, Rule::Size { min: Some(50), max: Some(500) });
    assert_eq!(r.criteria[3].rule, Rule::Geography { countries: vec!["United States".into()] });
}

#[test]
fn stop_words_are_checked_before_stemming() {
    let r = rubric(&brief("Mid-market SaaS companies (200+ employees) that use Salesforce, not agencies"));
    assert_eq!(
        summary(&r),
        vec![
            ("terms:b2b".into(), "SaaS".into(), 2),
            ("terms:salesforce".into(), "Salesforce".into(), 2),
            ("size".into(), "200+ employees".into(), 2),
        ]
    );
    let r = rubric(&brief("Marketing agencies"));
    assert_eq!(r.criteria[0].id, "terms:marketing");
}

#[test]
fn lowercase_us_is_not_a_country() {
    let r = rubric(&brief("fintech companies like us"));
    assert_eq!(summary(&r), vec![("terms:fintech".into(), "fintech".into(), 3)]);
}

#[test]
fn other_size_and_founding_forms() {
    assert_eq!(parse_size("200+ employees"), Some((Some(200), None)));
    assert_eq!(parse_size("under 50 people"), Some((None, Some(50))));
    assert_eq!(parse_size("between 1,000 and 5,000 employees"), Some((Some(1000), Some(5000))));
    assert_eq!(parse_size("1k+ employees"), Some((Some(1000), None)));
    assert_eq!(parse_size("fintech"), None);
    assert_eq!(parse_founded("founded after 2010"), Some((Some(2011), None, None)));
    assert_eq!(parse_founded("founded before 2015"), Some((None, Some(2014), None)));
    assert_eq!(parse_founded("founded in 2012"), Some((Some(2012), Some(2012), None)));
    assert_eq!(parse_founded("founded between 2005 and 2010"), Some((Some(2005), Some(2010), None)));
    assert_eq!(parse_founded("founded in the last 5 years"), Some((None, None, Some(5))));
}

#[test]
fn regions_and_negation() {
    let r = rubric(&brief("European healthcare companies, not consumer"));
    assert_eq!(
        summary(&r),
        vec![
            ("terms:health".into(), "healthcare".into(), 3),
            ("geography".into(), "Based in European".into(), 2),
        ]
    );
    let Rule::Geography { countries } = &r.criteria[1].rule else {
        panic!("geography rule expected");
    };
    assert!(countries.contains(&"Germany".to_string()));
    assert_eq!(countries_in("Berlin, Germany"), vec!["Germany".to_string()]);
    assert_eq!(countries_in("San Francisco - California - USA"), vec!["United States".to_string()]);
    assert_eq!(countries_in("Belfast, Northern Ireland"), vec!["United Kingdom".to_string()]);
    // Two-word states are places in the United States too.
    for place in ["Concord, New Hampshire", "Fargo, North Dakota", "Charleston, South Carolina"] {
        assert_eq!(countries_in(place), vec!["United States".to_string()], "{place}");
    }
}

#[test]
fn preferences_become_criteria() {
    let b = Brief {
        icp: String::new(),
        personas: vec![Persona { title: "VP Engineering".into(), description: String::new() }],
        funding: Some(FundingPref { months: 12 }),
        hiring_roles: vec!["Backend Engineer".into(), " ".into()],
        tools: vec!["Kubernetes".into(), "kubernetes".into(), "Terraform".into()],
    };
    assert_eq!(
        summary(&rubric(&b)),
        vec![
            ("tools".into(), "Uses Kubernetes or Terraform".into(), 2),
            ("funding".into(), "Raised money in the last 12 months".into(), 2),
            ("hiring".into(), "Hiring Backend Engineer".into(), 2),
            ("persona".into(), "Has a contact who is VP Engineering".into(), 1),
        ]
    );
    assert!(rubric(&Brief::default()).criteria.is_empty());
}
