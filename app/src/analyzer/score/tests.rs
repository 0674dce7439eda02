use super::super::testutil::company;
use super::super::{Brief, FundingPref, Persona, rubric};
use super::*;

const TODAY: Today = (2024, 6);

fn verdicts(a: &Assessment) -> Vec<(&str, Verdict, Vec<String>)> {
    a.criteria
        .iter()
        .map(|c| (c.id.as_str(), c.verdict, c.evidence.iter().map(Source::key).collect()))
        .collect()
}

fn brief(icp: &str) -> Brief {
    Brief { icp: icp.into(), ..Brief::default() }
}

#[test]
fn category_match_description_partial_and_no() {
    let r = rubric(&brief("B2B developer tools"));
    let lob = company(
        "Lob",
        &[
            (Field::Industry, "Categories", "Developer Tools, Printing"),
            (Field::Description, "Description", "A printing API."),
        ],
    );
    let a = assess(&r, &lob, &[], TODAY);
    assert_eq!(
        verdicts(&a),
        vec![
            ("terms:b2b", Verdict::No, vec!["csv:Categories".into(), "csv:Description".into()]),
            ("terms:developer", Verdict::Match, vec!["csv:Categories".into()]),
        ]
    );
    assert_eq!(a.criteria[1].reason, "Categories mentions \"Developer Tools\"");
    assert_eq!(a.criteria[0].reason, "Categories and Description do not mention B2B");
    // 3 of 5 weight matched, nothing unknown.
    assert_eq!(a.score, 60);
    assert_eq!(a.known_weight_share, 1.0);
    assert_eq!(a.summary, "Possible fit (60/100): matches developer tools; not B2B.");

    let algolia = company(
        "Algolia",
        &[
            (Field::Industry, "Categories", "Search, Software"),
            (Field::Description, "Description", "A developer-friendly search API."),
        ],
    );
    let a = assess(&r, &algolia, &[], TODAY);
    assert_eq!(a.criteria[1].verdict, Verdict::Partial);
    assert_eq!(
        a.criteria[1].reason,
        "Categories does not mention developer tools, but Description mentions \"developer\""
    );
    assert_eq!(a.criteria[0].verdict, Verdict::Match);
    assert_eq!(a.score, 70); // (2 + 1.5) / 5
}

#[test]
fn no_data_is_unknown_and_scores_50() {
    let b = Brief {
        icp: "B2B developer tools, 50-500 employees, US-based, founded 2010 or later".into(),
        personas: vec![Persona { title: "CTO".into(), description: String::new() }],
        funding: Some(FundingPref { months: 12 }),
        hiring_roles: vec!["SRE".into()],
        tools: vec!["Kubernetes".into()],
    };
    let r = rubric(&b);
    let a = assess(&r, &company("Nothing Inc", &[]), &[], TODAY);
    assert_eq!(a.criteria.len(), 9);
    assert!(a.criteria.iter().all(|c| c.verdict == Verdict::Unknown && c.evidence.is_empty()));
    assert_eq!(a.score, 50);
    assert_eq!(a.known_weight_share, 0.0);
    assert_eq!(a.summary, "Not enough data to judge fit: none of the 9 criteria could be checked.");
}

#[test]
fn website_text_gives_partial_with_url() {
    let r = rubric(&brief("developer tools"));
    let c = company("Acme", &[]);
    let pages = [
        Page { url: "https://acme.io/".into(), text: String::new() },
        Page { url: "https://acme.io/docs".into(), text: "Our REST API and SDKs".into() },
    ];
    let a = assess(&r, &c, &pages, TODAY);
    assert_eq!(
        verdicts(&a),
        vec![("terms:developer", Verdict::Partial, vec!["https://acme.io/docs".into()])]
    );
    assert_eq!(a.criteria[0].reason, "Only the website mentions \"API\" (https://acme.io/docs)");
    assert_eq!(a.score, 50); // (1.5) / 3 = 0.5
}

#[test]
fn size_geography_founding() {
    let r = rubric(&brief("50-500 employees, UK-based, founded 2015 or later"));
    let c = company(
        "Acme",
        &[
            (Field::Employees, "Employees", "201-1000"),
            (Field::Location, "HQ", "Manchester, England"),
            (Field::FoundedYear, "Founded", "2012"),
        ],
    );
    let a = assess(&r, &c, &[], TODAY);
    assert_eq!(
        verdicts(&a),
        vec![
            ("size", Verdict::Partial, vec!["csv:Employees".into()]),
            ("geography", Verdict::Match, vec!["csv:HQ".into()]),
            ("founded", Verdict::No, vec!["csv:Founded".into()]),
        ]
    );
    assert_eq!(a.criteria[0].reason, "Employees is 201-1000, which partly fits \"50\u{2013}500 employees\"");
    assert_eq!(a.criteria[2].reason, "Founded is 2012, which does not fit \"Founded 2015 or later\"");
    // size 2 partial, geography 2 match, founded 1 no: (1 + 2) / 5
    assert_eq!(a.score, 60);
}

#[test]
fn geography_edge_cases() {
    let r = rubric(&brief("US-based"));
    let verdict = |fields: &[(Field, &str, &str)]| {
        let a = assess(&r, &company("X", fields), &[], TODAY);
        (a.criteria[0].verdict, a.criteria[0].reason.clone())
    };
    assert_eq!(
        verdict(&[(Field::Location, "City", "Austin, Texas")]),
        (Verdict::Match, "City is \"Austin, Texas\", which fits \"Based in US\"".into())
    );
    assert_eq!(
        verdict(&[(Field::Country, "Country", "Atlantis")]),
        (Verdict::No, "Country is \"Atlantis\", which does not fit \"Based in US\"".into())
    );
    assert_eq!(
        verdict(&[(Field::Location, "City", "Springfield")]),
        (Verdict::Unknown, "Could not tell which country \"Springfield\" is in".into())
    );
    // A recognized location decides even when the country cell is unknown text.
    assert_eq!(
        verdict(&[(Field::Country, "Country", "n/a"), (Field::Location, "City", "Toronto, Canada")]).0,
        Verdict::No
    );
}

#[test]
fn preferences() {
    let b = Brief {
        icp: String::new(),
        personas: vec![Persona { title: "VP Engineering".into(), description: String::new() }],
        funding: Some(FundingPref { months: 12 }),
        hiring_roles: vec!["Backend Engineer".into()],
        tools: vec!["Kubernetes".into()],
    };
    let c = company(
        "Acme",
        &[
            (Field::Technologies, "Stack", "AWS; React"),
            (Field::LatestFundingAmount, "Raised", "$5M"),
            (Field::LatestFundingDate, "Raised On", "2023-12-01"),
            (Field::Hiring, "Hiring", "yes"),
            (Field::PersonName, "Name", "Grace Hopper"),
            (Field::PersonTitle, "Title", "Head of Engineering"),
        ],
    );
    let pages = [Page {
        url: "https://acme.io/blog/infra".into(),
        text: "We moved everything to Kubernetes.".into(),
    }];
    let a = assess(&rubric(&b), &c, &pages, TODAY);
    assert_eq!(
        verdicts(&a),
        vec![
            ("tools", Verdict::Partial, vec!["csv:Stack".into(), "https://acme.io/blog/infra".into()]),
            ("funding", Verdict::Match, vec!["csv:Raised On".into(), "csv:Raised".into()]),
            ("hiring", Verdict::Partial, vec!["csv:Hiring".into()]),
            ("persona", Verdict::Partial, vec!["csv:Title".into()]),
        ]
    );
    assert_eq!(a.criteria[1].reason, "Raised On is December 2023, within the last 12 months");
    assert_eq!(
        a.criteria[3].reason,
        "Grace Hopper is \"Head of Engineering\", which partly fits VP Engineering"
    );
    let careers = [Page { url: "https://jobs.acme.io/".into(), text: "Backend Engineer (Remote)".into() }];
    let a = assess(&rubric(&b), &c, &careers, TODAY);
    assert_eq!(a.criteria[2].verdict, Verdict::Match);
    assert_eq!(a.criteria[2].evidence[0].key(), "https://jobs.acme.io/");
}

#[test]
fn undated_funding_is_partial_and_old_funding_is_no() {
    let b = Brief { funding: Some(FundingPref { months: 12 }), ..Brief::default() };
    let r = rubric(&b);
    let undated = company("A", &[(Field::TotalFunding, "Total", "$2,000,000")]);
    let a = assess(&r, &undated, &[], TODAY);
    assert_eq!(a.criteria[0].verdict, Verdict::Partial);
    assert_eq!(a.criteria[0].reason, "Total shows funding ($2M), but there is no date to check how recent");
    let old = company(
        "B",
        &[(Field::TotalFunding, "Total", "$2,000,000"), (Field::LatestFundingDate, "Date", "2019")],
    );
    let a = assess(&r, &old, &[], TODAY);
    assert_eq!(a.criteria[0].verdict, Verdict::No);
    assert_eq!(a.criteria[0].reason, "Date is 2019, 54 months ago (more than 12)");
    let none = company("C", &[(Field::TotalFunding, "Total", "0")]);
    assert_eq!(assess(&r, &none, &[], TODAY).criteria[0].verdict, Verdict::No);
}

#[test]
fn score_formula() {
    let c = |w: u8, v: Verdict| Criterion {
        id: String::new(),
        label: String::new(),
        weight: w,
        verdict: v,
        reason: String::new(),
        evidence: vec![],
    };
    // Only a weight-1 criterion known (and matched) out of 6: (1 + 5/2) / 6 = 58.3
    let (s, k) = score(&[c(1, Verdict::Match), c(3, Verdict::Unknown), c(2, Verdict::Unknown)]);
    assert_eq!((s, (k * 100.0).round() as u32), (58, 17));
    assert_eq!(score(&[c(3, Verdict::Match), c(2, Verdict::Match)]).0, 100);
    assert_eq!(score(&[c(3, Verdict::No), c(2, Verdict::No)]).0, 0);
    assert_eq!(score(&[]).0, 50);
}
