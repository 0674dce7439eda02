//! The real lists in `shared/data`.

use super::*;
use Field::{CompanyName, Country, Description, FoundedYear, Industry, Location, TotalFunding};

fn row(o: &Outcome, source_row: usize) -> &Company {
    o.companies.iter().find(|c| c.source_row == source_row).expect("row kept")
}

#[test]
fn yc_startups_2005_2014() {
    let (p, o) = import(&read_shared("data/yc-startups-2005-2014.csv"));
    assert_eq!((p.encoding.as_str(), p.delimiter, p.header_line), ("UTF-8", ',', 1));
    assert_eq!(
        p.headers,
        strings(&[
            "Company",
            "Satus",
            "Year Founded",
            "Mapping Location",
            "Description",
            "Categories",
            "Y Combinator Year",
            "Y Combinator Session",
            "Amounts raised in different funding rounds",
            "Office Address",
            "Headquarters (City)",
            "Headquarters (US State)",
            "Headquarters (Country)",
            "Crunchbase / Angel List Profile",
            "Website",
        ])
    );
    assert_eq!(
        p.mapping,
        vec![
            Some(CompanyName),
            None,
            Some(FoundedYear),
            Some(Location),
            Some(Description),
            Some(Industry),
            None,
            None,
            Some(TotalFunding),
            None,
            Some(Location), // fallback when "Mapping Location" is empty
            None,
            Some(Country),
            None, // a Crunchbase link is not the website
            Some(Field::Website),
        ]
    );
    assert_eq!(p.records.len(), 688);
    assert!(p.warnings.is_empty() && p.skipped_preamble.is_empty() && p.skipped_footer.is_empty());
    assert_eq!(p.blank_rows, 0);

    assert_eq!(o.companies.len(), 688);
    assert_eq!(o.companies.iter().filter(|c| c.website == Website::Missing).count(), 110);
    assert_eq!(o.companies.iter().filter(|c| c.domain().is_some()).count(), 575);
    // Two companies linking the same Twitter profile are not merged into one.
    assert!(o.merges.is_empty());
    assert_eq!(
        o.invalid_websites,
        vec![
            (512, s("TapIn"), s("a page on twitter.com, not the company's own website")),
            (532, s("Tracks.by"), s("a page on facebook.com, not the company's own website")),
            (651, s("Nowmov"), s("a page on twitter.com, not the company's own website")),
        ]
    );
    assert!(o.skipped_no_name.is_empty() && o.flagged.is_empty());

    let c = row(&o, 1);
    assert_eq!((c.name.as_str(), c.domain()), ("Curebit", Some("talkable.com")));
    assert_eq!(value(c, FoundedYear), Some("2010"));
    assert_eq!(value(c, Location), Some("San Francisco - California - USA"));
    assert_eq!(value(c, Industry), Some("E-Commerce, Analytics, Internet, Marketing, Social Media"));
    assert_eq!(
        value(c, Description),
        Some("Talkable is a social referral platform for online stories and subscriptions.")
    );
    assert_eq!(value(c, TotalFunding), Some("$1200000, undisclosed amount"));
    assert_eq!(value(c, Country), Some("USA"));
    assert_eq!(c.attributes.len(), 15);
    assert!(c.attributes.contains(&Cell {
        column: s("Crunchbase / Angel List Profile"),
        value: s("http://www.crunchbase.com/organization/curebit")
    }));

    let c = row(&o, 53);
    assert_eq!((c.name.as_str(), &c.website), ("CarWoo", &Website::Missing));
    assert_eq!(value(c, FoundedYear), None);
    assert_eq!(value(c, Industry), Some("Cars, Automotive"));
    assert_eq!(value(c, TotalFunding), Some("$6000000, $4500000, $300000, $50000"));
    assert_eq!(value(c, Location), Some("Burlingame - California - USA"));

    let c = row(&o, 127);
    assert_eq!((c.name.as_str(), c.domain()), ("HomeJoy", Some("homejoy.com")));
    assert_eq!(value(c, Field::Website), Some("http://www.Homejoy.com"));
    assert_eq!(value(c, Industry), Some("Hospitality"));
    assert_eq!(value(c, FoundedYear), None);

    let c = row(&o, 2);
    assert_eq!((c.name.as_str(), c.domain()), ("Goldbely", Some("goldbely.com")));
    assert_eq!(value(c, TotalFunding).and_then(|v| parse_money(v, p.decimal_comma)), Some(3_000_000.0));
}

#[test]
fn sp500_constituents() {
    let (p, o) = import(&read_shared("data/sp500-constituents.csv"));
    assert_eq!(
        p.headers,
        strings(&[
            "Symbol",
            "Security",
            "GICS Sector",
            "GICS Sub-Industry",
            "Headquarters Location",
            "Date added",
            "CIK",
            "Founded"
        ])
    );
    assert_eq!(
        p.mapping,
        vec![
            None,
            Some(CompanyName),
            Some(Industry),
            Some(Industry),
            Some(Location),
            None,
            None,
            Some(FoundedYear)
        ]
    );
    assert_eq!(p.records.len(), 503);
    assert!(p.records.iter().all(|r| r.cells.len() == 8));
    assert_eq!(o.companies.len(), 503);
    assert!(o.companies.iter().all(|c| c.website == Website::Missing));
    assert!(o.merges.is_empty() && o.invalid_websites.is_empty() && o.skipped_no_name.is_empty());
    assert_eq!(
        o.warnings,
        [
            "Columns \"GICS Sector\", \"GICS Sub-Industry\" are all mapped to Industry; each row uses the first non-empty one."
        ]
    );

    let c = row(&o, 1);
    assert_eq!(c.name, "3M");
    assert_eq!(value(c, Industry), Some("Industrials"));
    assert_eq!(value(c, Location), Some("Saint Paul, Minnesota"));
    assert_eq!(value(c, FoundedYear), Some("1902"));
    assert_eq!(c.field(Industry).unwrap().column, "GICS Sector");
    assert!(
        c.attributes.contains(&Cell { column: s("GICS Sub-Industry"), value: s("Industrial Conglomerates") })
    );
    assert!(c.attributes.contains(&Cell { column: s("Symbol"), value: s("MMM") }));

    let c = row(&o, 4);
    assert_eq!(c.name, "AbbVie");
    assert_eq!(value(c, Location), Some("North Chicago, Illinois"));
    assert_eq!(value(c, FoundedYear), Some("2013 (1888)"));
    assert_eq!(
        p.records[3].cells,
        strings(&[
            "ABBV",
            "AbbVie",
            "Health Care",
            "Biotechnology",
            "North Chicago, Illinois",
            "2012-12-31",
            "1551152",
            "2013 (1888)"
        ])
    );

    let c = row(&o, 503);
    assert_eq!((c.name.as_str(), value(c, Location)), ("Zoetis", Some("Parsippany, New Jersey")));
}

#[test]
fn sub_industry_fills_an_empty_sector() {
    let p = parse_str("Security,GICS Sector,GICS Sub-Industry\nAcme,,Tools\nBeta,Energy,Oil\n");
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!(value(&o.companies[0], Industry), Some("Tools"));
    assert_eq!(o.companies[0].field(Industry).unwrap().column, "GICS Sub-Industry");
    assert_eq!(value(&o.companies[1], Industry), Some("Energy"));
}
