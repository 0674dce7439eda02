//! The Apollo-shaped export that `scripts/bench import` times at 100,000 rows, checked
//! here for what it must produce (timing lives in the benchmark, not in tests).

use super::*;
use std::fmt::Write as _;

const HEADER: &str = "First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,\
Seniority,Departments,Contact Owner,First Phone,Work Direct Phone,Mobile Phone,# Employees,Industry,\
Keywords,Person Linkedin Url,Website,Company Linkedin Url,Facebook Url,Twitter Url,City,State,Country,\
Company Address,Company City,Company State,Company Country,Company Phone,Technologies,Annual Revenue,\
Total Funding,Latest Funding,Latest Funding Amount,Last Raised At,Number of Retail Locations,Apollo Contact Id";

pub(super) fn apollo_csv(rows: usize) -> String {
    let mut out = String::with_capacity(rows * 700);
    out.push_str(HEADER);
    out.push_str("\r\n");
    for i in 0..rows {
        let c = i % (rows / 3).max(1); // every company appears ~3 times
        write!(
            out,
            "Ann{i},Lee{i},\"VP, Sales\",Company {c},Company {c},ann{i}@company{c}.example,Verified,\
Vp,Sales,,\"+1 555 0100\",,,{emp},\"Computer Software\",\"saas, crm, b2b, analytics\",\
http://www.linkedin.com/in/ann{i},http://www.company{c}.example,http://www.linkedin.com/company/company{c},,,\
Austin,Texas,United States,\"1 Main St, Austin, Texas, United States, 78701\",Austin,Texas,United States,\
+1 555 0199,\"Salesforce, Google Analytics, AWS, Slack, Zendesk\",6.11E+10,\"$1,200,000\",Series A,\
1200000,2024-05-01,,{id:024x}\r\n",
            emp = 10 + c % 5000,
            id = i * 7919
        )
        .unwrap();
    }
    out
}

#[test]
fn apollo_shape_small_is_mapped_and_deduplicated() {
    let csv = apollo_csv(300);
    let p = parse(csv.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(p.headers.len(), 37);
    assert_eq!(p.records.len(), 300);
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!(o.companies.len(), 100);
    assert_eq!(o.merges.len(), 100);
    let c = &o.companies[0];
    assert_eq!((c.name.as_str(), c.domain()), ("Company 0", Some("company0.example")));
    assert_eq!(value(c, Field::PersonTitle), Some("VP, Sales"));
    assert_eq!(value(c, Field::Country), Some("United States"));
    assert_eq!(value(c, Field::Location), Some("Austin"));
    assert_eq!(value(c, Field::TotalFunding), Some("$1,200,000"));
    assert_eq!(value(c, Field::Employees), Some("10"));
}
