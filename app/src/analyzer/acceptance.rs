//! Acceptance tests on real data: the Y Combinator startups 2005-2014 file (688 rows).
//!
//! The file is found through `CELLSTACK_YC_CSV`, or in `shared/data/` (see
//! [`crate::testdata`]). The test fails (it does not skip) when the file is missing.

use std::path::PathBuf;

use super::{
    Brief, Cell, Company, Field, Page, Source, Verdict, Voice, Website, assess, contacts, draft, rubric,
    signals,
};

const FILE: &str = "yc-startups-2005-2014.csv";
const TODAY: (i32, u32) = (2015, 1);

fn data_path() -> PathBuf {
    match std::env::var_os("CELLSTACK_YC_CSV") {
        Some(p) => PathBuf::from(p),
        None => crate::testdata::shared_path("data").join(FILE),
    }
}

/// The test's own small column mapping (the importer is not used here).
const MAPPING: &[(&str, Field)] = &[
    ("Company", Field::CompanyName),
    ("Description", Field::Description),
    ("Categories", Field::Industry),
    ("Year Founded", Field::FoundedYear),
    ("Amounts raised in different funding rounds", Field::TotalFunding),
    ("Headquarters (Country)", Field::Country),
    ("Mapping Location", Field::Location),
    ("Website", Field::Website),
];

fn domain_of(url: &str) -> Option<String> {
    let u = url.trim().to_ascii_lowercase();
    let u = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")).unwrap_or(&u);
    let host = u.split(['/', '?', '#']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    host.contains('.').then(|| host.to_string())
}

fn load() -> Vec<Company> {
    let mut rdr = csv::Reader::from_path(data_path()).expect("open the YC file");
    let headers = rdr.headers().expect("header row").clone();
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.expect("a CSV record");
        let mut fields: Vec<(Field, Cell)> = Vec::new();
        let mut attributes = Vec::new();
        for (h, v) in headers.iter().zip(rec.iter()) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let cell = Cell { column: h.to_string(), value: v.to_string() };
            if let Some((_, f)) = MAPPING.iter().find(|(name, _)| *name == h) {
                fields.push((*f, cell.clone()));
            }
            attributes.push(cell);
        }
        let website = match fields.iter().find(|(f, _)| *f == Field::Website) {
            Some((_, c)) => match domain_of(&c.value) {
                Some(domain) => Website::Domain { domain },
                None => Website::Invalid { raw: c.value.clone(), reason: "not a web address".into() },
            },
            None => Website::Missing,
        };
        out.push(Company {
            source_row: i + 1,
            name: rec.get(0).unwrap_or("").trim().to_string(),
            website,
            fields,
            attributes,
        });
    }
    out
}

fn by_name<'a>(companies: &'a [Company], name: &str) -> &'a Company {
    let found: Vec<&Company> = companies.iter().filter(|c| c.name == name).collect();
    assert_eq!(found.len(), 1, "exactly one row named {name}");
    found[0]
}

fn brief(icp: &str) -> Brief {
    Brief { icp: icp.into(), ..Brief::default() }
}

const DEV_ICP: &str = "B2B developer tools and API companies selling to engineering teams";

/// Rows whose Categories/Description are about developer tools, APIs or databases.
const DEV_TOOLS: &[&str] = &[
    "Lob",
    "Algolia",
    "Segment.io",
    "WePay",
    "Heroku",
    "Plivo",
    "Rainforest QA",
    "Zillabyte",
    "Stripe",
    "Cloudant",
    "RethinkDB",
    "Meteor",
    "Interstate",
];

/// Consumer e-commerce rows (online shops, delivery, marketplaces for consumers).
const CONSUMER_ECOMMERCE: &[&str] = &[
    "Goldbely",
    "Bloomthat",
    "Foodoro",
    "Mertado",
    "Listia",
    "Instacart",
    "Craft Coffee",
    "Le Tote",
    "AnyVivo",
    "AptDeco",
    "Teespring",
    "Memebox",
    "Shopular",
];

#[test]
fn file_loads() {
    let companies = load();
    assert_eq!(companies.len(), 688);
    let lob = by_name(&companies, "Lob");
    assert_eq!(lob.domain(), Some("lob.com"));
}

#[test]
fn developer_tools_rank_above_consumer_ecommerce() {
    let companies = load();
    let r = rubric(&brief(DEV_ICP));
    let score = |name: &str| assess(&r, by_name(&companies, name), &[], TODAY).score;
    let dev: Vec<(u8, &str)> = DEV_TOOLS.iter().map(|n| (score(n), *n)).collect();
    let shop: Vec<(u8, &str)> = CONSUMER_ECOMMERCE.iter().map(|n| (score(n), *n)).collect();
    let lowest_dev = dev.iter().min().expect("dev rows");
    let highest_shop = shop.iter().max().expect("shop rows");
    assert!(
        lowest_dev.0 > highest_shop.0,
        "lowest dev-tools row {lowest_dev:?} must beat highest e-commerce row {highest_shop:?}\n{dev:?}\n{shop:?}"
    );
    // And in a ranking of the whole file, every labelled dev-tools row comes first.
    let mut ranked: Vec<(u8, usize, &str)> =
        companies.iter().map(|c| (assess(&r, c, &[], TODAY).score, c.source_row, c.name.as_str())).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let pos = |name: &str| ranked.iter().position(|(_, _, n)| *n == name).unwrap();
    let last_dev = DEV_TOOLS.iter().map(|n| pos(n)).max().unwrap();
    let first_shop = CONSUMER_ECOMMERCE.iter().map(|n| pos(n)).min().unwrap();
    assert!(last_dev < first_shop, "{last_dev} < {first_shop}");
}

#[test]
fn exact_verdicts_for_pinned_rows() {
    let companies = load();
    let r = rubric(&brief(DEV_ICP));
    let a = assess(&r, by_name(&companies, "Lob"), &[], TODAY);
    let got: Vec<(&str, Verdict, &str, Vec<String>)> = a
        .criteria
        .iter()
        .map(|c| (c.id.as_str(), c.verdict, c.reason.as_str(), c.evidence.iter().map(Source::key).collect()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "terms:b2b",
                Verdict::No,
                "Categories and Description do not mention B2B",
                vec!["csv:Categories".to_string(), "csv:Description".to_string()],
            ),
            (
                "terms:developer",
                Verdict::Match,
                "Categories mentions \"Developer Tools\"",
                vec!["csv:Categories".to_string()],
            ),
        ]
    );
    assert_eq!(a.score, 60);
    assert_eq!(a.summary, "Possible fit (60/100): matches developer tools / API / engineering; not B2B.");
    // Evidence carries the exact cell value.
    assert_eq!(
        a.criteria[1].evidence[0],
        Source::Cell {
            column: "Categories".into(),
            value: "Developer Tools, Internet, Printing, Developer Tools".into()
        }
    );

    let a = assess(&r, by_name(&companies, "Stripe"), &[], TODAY);
    let got: Vec<(Verdict, &str)> = a.criteria.iter().map(|c| (c.verdict, c.reason.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (Verdict::Match, "Categories mentions \"Software\""),
            (
                Verdict::Partial,
                "Categories does not mention developer tools / API / engineering, but Description mentions \"APIs\""
            ),
        ]
    );
    assert_eq!(a.score, 70);
}

#[test]
fn founding_year_and_geography_on_pinned_rows() {
    let companies = load();
    let r = rubric(&brief(
        "B2B software companies selling to developers or data teams, founded 2008 or later, US-based",
    ));
    let ids: Vec<&str> = r.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["terms:b2b", "terms:developer+data", "geography", "founded"]);
    let check = |name: &str| -> Vec<(Verdict, Vec<String>)> {
        let a = assess(&r, by_name(&companies, name), &[], TODAY);
        a.criteria[2..].iter().map(|c| (c.verdict, c.evidence.iter().map(Source::key).collect())).collect()
    };
    let country = || vec!["csv:Headquarters (Country)".to_string()];
    let year = || vec!["csv:Year Founded".to_string()];
    // Founded 2005 (listed as "Firecrawl", described as TextPayMe): too old.
    assert_eq!(check("Firecrawl"), vec![(Verdict::Match, country()), (Verdict::No, year())]);
    assert_eq!(check("Loopt"), vec![(Verdict::Match, country()), (Verdict::No, year())]);
    // UK company with an empty Year Founded.
    assert_eq!(check("GoCardless"), vec![(Verdict::No, country()), (Verdict::Unknown, vec![])]);
    // US company with an empty Year Founded.
    assert_eq!(check("Goldbely"), vec![(Verdict::Match, country()), (Verdict::Unknown, vec![])]);
    // Founded 2013 in the US.
    assert_eq!(check("Lob"), vec![(Verdict::Match, country()), (Verdict::Match, year())]);
    // No country, no location, no year: nothing to say.
    assert_eq!(check("Citus Data"), vec![(Verdict::Unknown, vec![]), (Verdict::Unknown, vec![])]);
    let a = assess(&r, by_name(&companies, "GoCardless"), &[], TODAY);
    assert_eq!(
        a.criteria[2].reason,
        "Headquarters (Country) is \"United Kingdom\", which does not fit \"Based in US\""
    );
    assert_eq!(a.criteria[3].reason, "No founding year in the row");
}

#[test]
fn signals_contacts_and_draft_on_real_rows() {
    let companies = load();
    let b = brief(DEV_ICP);
    let curebit = by_name(&companies, "Curebit");
    let s = signals(&b, curebit, &[], TODAY);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].summary, "Raised $1.2M and an undisclosed amount (no date given)");
    assert_eq!(s[0].date, None);
    assert_eq!(
        s[0].source,
        Source::Cell {
            column: "Amounts raised in different funding rounds".into(),
            value: "$1200000, undisclosed amount".into()
        }
    );
    // The file has no person columns: no contacts, never invented ones.
    assert!(companies.iter().all(|c| contacts(&b, c).is_empty()));

    let lob = by_name(&companies, "Lob");
    let r = rubric(&b);
    let a = assess(&r, lob, &[], TODAY);
    let s = signals(&b, lob, &[], TODAY);
    let voice = Voice {
        company_name: "Shipfast".into(),
        product: "a CI service".into(),
        audience: "engineering teams".into(),
        samples: vec!["Hello Sam,\n\nShort note.\n\nThanks,\nMia".into()],
    };
    assert_eq!(s[0].summary, "Raised $2.4M and an undisclosed amount (no date given)");
    let d = draft(&voice, &b, lob, &a, &s, None);
    assert_eq!(d.signal_used.as_deref(), Some("Raised $2.4M and an undisclosed amount (no date given)"));
    assert_eq!(
        d.body,
        "Hello there,\n\n\
         I saw that Lob raised $2.4M and an undisclosed amount. At Shipfast, we offer a CI service.\n\n\
         Would you be open to a quick chat?\n\n\
         Thanks,\nMia"
    );
}

/// Everything the analyzer produces for every row, as JSON.
fn run_all(companies: &[Company]) -> String {
    let b = Brief {
        icp: "B2B software companies selling to developers or data teams, founded 2008 or later, US-based, 10-200 employees".into(),
        hiring_roles: vec!["Backend Engineer".into()],
        tools: vec!["Ruby".into(), "Python".into()],
        funding: Some(super::FundingPref { months: 18 }),
        personas: vec![super::Persona {
            title: "CTO".into(),
            description: String::new(),
        }],
    };
    let r = rubric(&b);
    let voice = Voice {
        company_name: "Shipfast".into(),
        product: "a CI service".into(),
        audience: "engineering teams".into(),
        samples: vec!["Hey Sam!\n\nQuick one.\n\nCheers,\nMia\n\nPS: hi".into()],
    };
    let pages = [Page {
        url: "https://example.com/careers".into(),
        text: "We use Python. Backend Engineer wanted.".into(),
    }];
    let mut out = Vec::new();
    for c in companies {
        let a = assess(&r, c, &pages, TODAY);
        let s = signals(&b, c, &pages, TODAY);
        let people = contacts(&b, c);
        let d = draft(&voice, &b, c, &a, &s, people.first());
        out.push(serde_json::json!({ "assessment": a, "signals": s, "contacts": people, "draft": d }));
    }
    serde_json::to_string(&out).expect("serialize")
}

#[test]
fn deterministic() {
    let companies = load();
    let first = run_all(&companies);
    let second = run_all(&companies.clone());
    assert_eq!(first, second);
    assert!(first.len() > 100_000);
}
