//! One test per CSV/TXT field case in `shared/cases` (see its INDEX.md).

use super::*;
use Field::{CompanyName, Country, Description, Employees, Industry, Location};

#[test]
fn c01_utf8_bom_header() {
    let (p, o) = import(&read_shared("cases/c01_utf8_bom_header.csv"));
    assert_eq!(p.encoding, "UTF-8 with BOM");
    assert_eq!(p.delimiter, ',');
    assert_eq!(p.headers, strings(&["Company Name", "Website", "Country"]));
    assert_eq!(p.mapping, vec![Some(CompanyName), Some(Field::Website), Some(Country)]);
    assert_eq!(p.header_line, 1);
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Northwind Traders", "northwind-traders.example", "US"]),
            strings(&["Contoso Pharma", "contoso-pharma.example", "DE"]),
        ]
    );
    assert_eq!(p.records.iter().map(|r| (r.source_row, r.line)).collect::<Vec<_>>(), [(1, 2), (2, 3)]);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(names(&o), ["Northwind Traders", "Contoso Pharma"]);
    assert_eq!(o.companies[0].website, dom("northwind-traders.example"));
    assert_eq!(o.companies[1].website, dom("contoso-pharma.example"));
    assert_eq!(value(&o.companies[1], Country), Some("DE"));
    assert_eq!(o.companies[1].field(Country).unwrap().column, "Country");
}

#[test]
fn c02a_semicolon_decimal_comma() {
    let (p, o) = import(&read_shared("cases/c02a_semicolon_decimal_comma.csv"));
    assert_eq!(p.encoding, "UTF-8 with BOM");
    assert_eq!(p.delimiter, ';');
    assert!(p.decimal_comma);
    assert_eq!(p.headers, strings(&["Company", "Website", "Revenue (M EUR)", "Employees"]));
    assert_eq!(p.mapping, vec![Some(CompanyName), Some(Field::Website), None, Some(Employees)]);
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Fabrikam Logistik GmbH", "fabrikam-logistik.example", "12,5", "1.200"]),
            strings(&["Litware Energia SpA", "litware-energia.example", "3,75", "85"]),
            strings(&["Adatum Bouw BV", "adatum-bouw.example", "0,9", "14"]),
        ]
    );
    // Kept as text; the helpers read them the European way.
    let revenue: Vec<Option<f64>> =
        p.records.iter().map(|r| parse_money(&r.cells[2], p.decimal_comma)).collect();
    assert_eq!(revenue, [Some(12.5), Some(3.75), Some(0.9)]);
    assert_eq!(parse_count(&p.records[0].cells[3]), Some((1200, 1200)));
    assert_eq!(o.companies.len(), 3);
    assert_eq!(value(&o.companies[0], Employees), Some("1.200"));
    assert_eq!(
        o.companies[0].attributes.iter().find(|c| c.column == "Revenue (M EUR)").map(|c| c.value.as_str()),
        Some("12,5")
    );
}

#[test]
fn c03_utf16le_tab_excel_unicode_text() {
    let (p, o) = import(&read_shared("cases/c03_utf16le_tab_excel_unicode_text.txt"));
    assert_eq!(p.encoding, "UTF-16LE");
    assert_eq!(p.delimiter, '\t');
    assert_eq!(p.headers, strings(&["Company Name", "Website", "City"]));
    assert_eq!(p.mapping, vec![Some(CompanyName), Some(Field::Website), Some(Location)]);
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Étoile Systèmes SA", "etoile-systemes.example", "Genève"]),
            strings(&["Øresund Data ApS", "oresund-data.example", "København"]),
            strings(&["東京ロジ株式会社", "tokyo-logi.example", "東京"]),
        ]
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(names(&o), ["Étoile Systèmes SA", "Øresund Data ApS", "東京ロジ株式会社"]);
    assert_eq!(value(&o.companies[2], Location), Some("東京"));
    assert_eq!(o.companies[1].website, dom("oresund-data.example"));
}

#[test]
fn c05_embedded_newlines_quotes() {
    let (p, o) = import(&read_shared("cases/c05_embedded_newlines_quotes.csv"));
    assert_eq!(p.records.len(), 3);
    assert_eq!(p.records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5, 7]);
    assert_eq!(
        cells(&p),
        vec![
            strings(&[
                "Northwind Traders",
                "northwind-traders.example",
                "Wholesale food distributor.\nHQ: Seattle, WA\nSays \"we ship daily\""
            ]),
            strings(&["Contoso Pharma", "contoso-pharma.example", "Line one\nLine two, with comma"]),
            strings(&["Fabrikam Inc", "fabrikam.example", "Plain description"]),
        ]
    );
    assert_eq!(p.blank_rows, 0);
    assert!(p.skipped_footer.is_empty() && p.skipped_preamble.is_empty());
    assert_eq!(o.companies.len(), 3);
    assert_eq!(value(&o.companies[1], Description), Some("Line one\nLine two, with comma"));
}

#[test]
fn c06_duplicate_headers() {
    let (p, o) = import(&read_shared("cases/c06_duplicate_headers.csv"));
    assert_eq!(
        p.headers,
        strings(&["Company Name", "Website", "Industry", "Website (2)", "Company Name (2)"])
    );
    assert_eq!(
        p.mapping,
        vec![
            Some(CompanyName),
            Some(Field::Website),
            Some(Industry),
            Some(Field::Website),
            Some(CompanyName)
        ]
    );
    assert_eq!(
        p.warnings,
        strings(&[
            "The column name \"Company Name\" appears 2 times (columns 1, 5); they are kept apart as \
             \"Company Name\", \"Company Name (2)\". When several of them are mapped to the same field, \
             the first non-empty value is used.",
            "The column name \"Website\" appears 2 times (columns 2, 4); they are kept apart as \
             \"Website\", \"Website (2)\". When several of them are mapped to the same field, \
             the first non-empty value is used.",
        ])
    );
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Adventure Works", "adventure-works.example", "Retail", "", "Adventure Works Cycles"]),
            strings(&[
                "Blue Yonder Airlines",
                "blueyonder-air.example",
                "Aviation",
                "www.blueyonder-air.example",
                ""
            ]),
        ]
    );
    // The empty duplicate never wipes the filled one.
    assert_eq!(names(&o), ["Adventure Works", "Blue Yonder Airlines"]);
    assert_eq!(o.companies[0].website, dom("adventure-works.example"));
    assert_eq!(o.companies[1].website, dom("blueyonder-air.example"));
    assert_eq!(o.companies[0].field(CompanyName).unwrap().column, "Company Name");
    // The second value stays with the row.
    assert!(
        o.companies[0]
            .attributes
            .contains(&Cell { column: s("Company Name (2)"), value: s("Adventure Works Cycles") })
    );
    assert_eq!(
        o.warnings,
        strings(&[
            "Columns \"Company Name\", \"Company Name (2)\" are all mapped to Company Name; each row uses the first non-empty one.",
            "Columns \"Website\", \"Website (2)\" are all mapped to Website; each row uses the first non-empty one.",
        ])
    );
    assert!(o.merges.is_empty());
}

#[test]
fn c07_blank_rows() {
    let (p, o) = import(&read_shared("cases/c07_blank_rows.csv"));
    assert_eq!(p.delimiter, ',');
    assert_eq!(p.blank_rows, 9);
    assert_eq!(p.records.len(), 3);
    assert_eq!(
        p.records.iter().map(|r| (r.source_row, r.line)).collect::<Vec<_>>(),
        [(1, 3), (2, 6), (3, 8)]
    );
    assert!(p.skipped_footer.is_empty() && p.skipped_preamble.is_empty());
    assert_eq!(names(&o), ["Coho Winery", "Graphic Design Institute", "Lucerne Publishing"]);
    assert!(o.skipped_no_name.is_empty());
}

#[test]
fn c09_url_variants_dedupe() {
    let (p, o) = import(&read_shared("cases/c09_url_variants_dedupe.csv"));
    assert_eq!(p.records.len(), 12);
    assert_eq!(
        names(&o),
        [
            "Acme Widgets",
            "Acme Widgets Shop",
            "Northwind Traders",
            "Contoso UK",
            "Bad Row A",
            "Bad Row B",
            "Bad Row C",
            "Münchner Rück Demo"
        ]
    );
    assert_eq!(
        o.companies.iter().map(|c| c.website.clone()).collect::<Vec<_>>(),
        vec![
            dom("acme-widgets.example"),
            dom("shop.acme-widgets.example"),
            dom("northwind-traders.test"),
            dom("contoso.co.uk.example"),
            Website::Invalid { raw: s("sales@contoso-pharma.example"), reason: s(REASON_EMAIL) },
            Website::Invalid { raw: s("n/a"), reason: s(REASON_PLACEHOLDER) },
            Website::Invalid { raw: s("https://"), reason: s(REASON_NO_HOST) },
            dom("xn--mnchner-rck-demo-jzbi.example"),
        ]
    );
    assert_eq!(
        o.merges,
        vec![Merge {
            domain: s("acme-widgets.example"),
            kept_row: 1,
            kept_name: s("Acme Widgets"),
            merged: vec![
                (2, s("Acme Widgets Inc.")),
                (3, s("ACME WIDGETS")),
                (4, s("Acme Widgets (US)")),
                (5, s("Acme Widgets")),
            ],
        }]
    );
    assert_eq!(o.flagged, vec![(6, s("subdomain of acme-widgets.example (kept separate)"))]);
    assert_eq!(
        o.invalid_websites,
        vec![
            (9, s("Bad Row A"), s(REASON_EMAIL)),
            (10, s("Bad Row B"), s(REASON_PLACEHOLDER)),
            (11, s("Bad Row C"), s(REASON_NO_HOST)),
        ]
    );
    assert!(o.skipped_no_name.is_empty());
    assert_eq!(o.companies.iter().map(|c| c.source_row).collect::<Vec<_>>(), [1, 6, 7, 8, 9, 10, 11, 12]);
}

#[test]
fn c17_ssrf_websites() {
    let (p, o) = import(&read_shared("cases/c17_ssrf_websites.csv"));
    assert_eq!(p.mapping, vec![Some(CompanyName), Some(Field::Website), None]);
    assert_eq!(o.companies.len(), 16);
    let got: Vec<(usize, String)> = o
        .companies
        .iter()
        .map(|c| {
            let w = match &c.website {
                Website::Domain { domain } => format!("ok {domain}"),
                Website::Invalid { reason, .. } => reason.clone(),
                Website::Missing => s("missing"),
            };
            (c.source_row, w)
        })
        .collect();
    let scheme = |x: &str| format!("unsupported scheme \"{x}:\" (only http and https)");
    let want: Vec<(usize, String)> = vec![
        (1, s(REASON_IP)),
        (2, s(REASON_INTERNAL)),
        (3, s(REASON_INTERNAL)),
        (4, s(REASON_IP)),
        (5, s(REASON_IP)),
        (6, s(REASON_IP)),
        (7, s(REASON_IP)),
        (8, s(REASON_IP)),
        (9, s(REASON_IP)),
        (10, s(REASON_IP)),
        (11, scheme("file")),
        (12, scheme("gopher")),
        (13, s(REASON_CREDENTIALS)),
        (14, s("ok redirects-to-internal.test")),
        (15, s("ok resolves-to-loopback.test")),
        (16, s("ok public-ok.example")),
    ];
    assert_eq!(got, want);
    // Only the last three can ever be fetched; the others are reported.
    assert_eq!(o.invalid_websites.len(), 13);
    assert_eq!(o.invalid_websites[12], (13, s("Probe 13"), s(REASON_CREDENTIALS)));
    assert_eq!(value(&o.companies[7], Field::Website), Some("http://2130706433/"));
    assert!(
        o.companies[7]
            .attributes
            .contains(&Cell { column: s("Test note"), value: s("decimal IPv4 for 127.0.0.1") })
    );
}
