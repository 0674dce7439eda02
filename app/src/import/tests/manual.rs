//! Pasted lists.

use super::*;

#[test]
fn five_lines_two_duplicates_three_companies() {
    let o = parse_manual(
        "Acme Widgets, acme-widgets.example\n\
         https://www.acme-widgets.example/contact\n\
         Northwind Traders, northwind-traders.test\n\
         northwind-traders.test\n\
         Contoso Pharma\n",
    )
    .unwrap();
    assert_eq!(names(&o), ["Acme Widgets", "Northwind Traders", "Contoso Pharma"]);
    assert_eq!(
        o.companies.iter().map(|c| c.website.clone()).collect::<Vec<_>>(),
        vec![dom("acme-widgets.example"), dom("northwind-traders.test"), Website::Missing]
    );
    assert_eq!(o.companies.iter().map(|c| c.source_row).collect::<Vec<_>>(), [1, 3, 5]);
    assert_eq!(
        o.merges,
        vec![
            Merge {
                domain: s("acme-widgets.example"),
                kept_row: 1,
                kept_name: s("Acme Widgets"),
                merged: vec![(2, s("acme-widgets.example"))],
            },
            Merge {
                domain: s("northwind-traders.test"),
                kept_row: 3,
                kept_name: s("Northwind Traders"),
                merged: vec![(4, s("northwind-traders.test"))],
            },
        ]
    );
    assert!(o.invalid_websites.is_empty() && o.skipped_no_name.is_empty() && o.flagged.is_empty());
    // The same cells a file would give, with the same column names.
    assert_eq!(o.companies[0].field(Field::Website).unwrap().column, "Website");
    assert_eq!(value(&o.companies[0], Field::CompanyName), Some("Acme Widgets"));
}

#[test]
fn line_shapes() {
    let o = parse_manual(
        "Company, Website\n\
         \"Acme, Inc.\", acme.example\n\
         Beta GmbH; https://beta.example/de\n\
         Gamma Ltd\tgamma.example\n\
         - Delta Corp - delta.example\n\
         2. Epsilon, Inc.\n\
         Zeta zeta.example\n\
         Eta, n/a\n\
         \n\
         shop.acme.example\n\
         Theta, sales@theta.example\n\
         Iota Ltd\tiota.example\tUK\t250\n\
         kappa.example, Kappa AG\n",
    )
    .unwrap();
    let got: Vec<(usize, &str, Website)> =
        o.companies.iter().map(|c| (c.source_row, c.name.as_str(), c.website.clone())).collect();
    assert_eq!(
        got,
        vec![
            (1, "Acme, Inc.", dom("acme.example")),
            (2, "Beta GmbH", dom("beta.example")),
            (3, "Gamma Ltd", dom("gamma.example")),
            (4, "Delta Corp", dom("delta.example")),
            (5, "Epsilon, Inc.", Website::Missing),
            (6, "Zeta", dom("zeta.example")),
            (7, "Eta", Website::Invalid { raw: s("n/a"), reason: s(REASON_PLACEHOLDER) }),
            (8, "shop.acme.example", dom("shop.acme.example")),
            (9, "Theta", Website::Invalid { raw: s("sales@theta.example"), reason: s(REASON_EMAIL) }),
            (10, "Iota Ltd", dom("iota.example")),
            (11, "Kappa AG", dom("kappa.example")),
        ]
    );
    assert_eq!(o.flagged, vec![(8, s("subdomain of acme.example (kept separate)"))]);
    assert_eq!(o.invalid_websites.len(), 2);
}

#[test]
fn old_mac_line_ends() {
    let o = parse_manual("Acme, acme.example\rBeta\r\rGamma, gamma.example").unwrap();
    assert_eq!(names(&o), ["Acme", "Beta", "Gamma"]);
    assert_eq!(o.companies[2].source_row, 3);
}

#[test]
fn empty_and_blank_lists() {
    assert_eq!(parse_manual(""), Err(ImportError::Empty));
    assert_eq!(parse_manual(" \n\u{a0}\n\t\n"), Err(ImportError::Empty));
    assert_eq!(parse_manual("Company, Website\n"), Err(ImportError::Empty));
}

#[test]
fn manual_row_limit() {
    let text: String = (0..50_001).map(|i| format!("c{i}.example\n")).collect();
    assert_eq!(parse_manual(&text), Err(ImportError::TooManyRows { limit: 50_000, rows: 50_001 }));
}
