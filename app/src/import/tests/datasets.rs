//! The real lists in `shared/data`.

use super::*;
use Field::{
    CompanyName, Country, Description, Employees, FoundedYear, Industry, Location, TotalFunding,
};

#[test]
fn dump() {
    let (p, o) = import(&read_shared("data/yc-startups-2005-2014.csv"));
    println!("{:?}\n{:?}\n{} {} {:?} {:?}", p.headers, p.mapping, p.records.len(), o.companies.len(), p.warnings, o.warnings);
    println!("missing {}", o.companies.iter().filter(|c| c.website == Website::Missing).count());
    for c in o.companies.iter().filter(|c| matches!(c.website, Website::Invalid{..})) { println!("INV {} {:?}", c.name, c.website); }
    println!("merges {:?}", o.merges);
    println!("flagged {:?}", o.flagged);
    println!("skipped {:?}", o.skipped_no_name);
    for i in [0, 1, 2, 100, 687] { println!("{:#?}", o.companies.get(i)); }
    let (p, o) = import(&read_shared("data/sp500-constituents.csv"));
    println!("{:?}\n{:?}\n{} {} {:?} {:?} {:?}", p.headers, p.mapping, p.records.len(), o.companies.len(), p.warnings, o.warnings, p.skipped_footer);
    for i in [0, 3, 502] { println!("{:#?}", o.companies.get(i)); }
}
