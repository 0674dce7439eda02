//! Whole classes of faults, each on a small input written here.

use super::*;
use Field::{CompanyName, Country, Industry};

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

const SMALL: &str = "Company,Website\r\nZürich Data AG,zuerich-data.example\r\n";

#[test]
fn utf16_be_and_le_with_and_without_bom() {
    for (le, bom, name) in [
        (false, true, "UTF-16BE"),
        (true, true, "UTF-16LE"),
        (true, false, "UTF-16LE"),
        (false, false, "UTF-16BE"),
    ] {
        let p = parse_ok(&utf16(SMALL, le, bom));
        assert_eq!(p.encoding, name);
        assert_eq!(cells(&p), vec![strings(&["Zürich Data AG", "zuerich-data.example"])]);
        assert_eq!(p.headers, strings(&["Company", "Website"]));
        assert_eq!(p.warnings.len(), usize::from(!bom), "{:?}", p.warnings);
    }
    // A BOM inside UTF-16 text is stripped too.
    let p = parse_ok(&utf16("\u{feff}Name\nAcme\n", true, true));
    assert_eq!(p.headers, ["Name"]);
}

#[test]
fn windows_1252_when_not_utf8() {
    // 0xE9 = é, 0x80 = €, 0x92 = ’ in Windows-1252; never U+FFFD.
    let bytes = b"Company;Website;Note\r\nCaf\xe9 Ren\xe9;cafe-rene.example;\x80 5\x92000\r\n";
    let p = parse_ok(bytes);
    assert_eq!(p.encoding, "Windows-1252");
    assert_eq!(p.delimiter, ';');
    assert_eq!(cells(&p), vec![strings(&["Café René", "cafe-rene.example", "€ 5’000"])]);
    assert_eq!(p.warnings, ["The file is not valid UTF-8; it was read as Windows-1252."]);
    assert!(!p.records[0].cells.iter().any(|c| c.contains('\u{FFFD}')));
}

#[test]
fn mostly_utf8_with_windows_1252_bytes_keeps_both() {
    let mut bytes = "Company,City\nMüller GmbH,Köln\nSøren ApS,Århus\nBroken X,Malmö\n".as_bytes().to_vec();
    let pos = bytes.iter().position(|&b| b == b'X').unwrap();
    bytes[pos] = 0xFF;
    let p = parse_ok(&bytes);
    assert_eq!(p.encoding, "UTF-8");
    assert_eq!(p.records[2].cells, strings(&["Broken ÿ", "Malmö"]));
    assert_eq!(p.records[0].cells, strings(&["Müller GmbH", "Köln"]));
    assert_eq!(
        p.warnings,
        ["1 byte(s) were not valid UTF-8 and were read as Windows-1252 (line 4); check the affected values."]
    );

    // Rows pasted from a Windows-1252 export into a UTF-8 file, CRLF and CR line ends.
    let bytes = b"\xef\xbb\xbfCompany;City\r\nM\xc3\xbcller;K\xc3\xb6ln\r\nCaf\xe9 Ren\xe9;Paris\r\
                  Z\xfcrich \x80 AG;Z\xfcrich\r\nS\xc3\xb8ren;\xc3\x85rhus\r\n";
    let p = parse_ok(bytes);
    assert_eq!(p.encoding, "UTF-8 with BOM");
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Müller", "Köln"]),
            strings(&["Café René", "Paris"]),
            strings(&["Zürich € AG", "Zürich"]),
            strings(&["Søren", "Århus"]),
        ]
    );
    assert!(!p.records.iter().flat_map(|r| &r.cells).any(|c| c.contains('\u{FFFD}')));
    assert_eq!(
        p.warnings,
        [
            "5 byte(s) were not valid UTF-8 and were read as Windows-1252 (lines 3, 4); check the affected values."
        ]
    );
    // Without a BOM the name is the encoding of most of the non-ASCII text.
    let p = parse_ok(b"Company\nCaf\xe9 Ren\xe9\nM\xc3\xbcller\n");
    assert_eq!(p.encoding, "Windows-1252");
    assert_eq!(cells(&p), vec![strings(&["Café René"]), strings(&["Müller"])]);
}

#[test]
fn pipe_and_tab_delimiters() {
    let p =
        parse_str("Company|Website|Industry\nAcme, Inc.|acme.example|Tools; Hardware\nBeta|beta.example|\n");
    assert_eq!(p.delimiter, '|');
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Acme, Inc.", "acme.example", "Tools; Hardware"]),
            strings(&["Beta", "beta.example", ""])
        ]
    );
    let p = parse_str("Name\tDomain\nAcme, Inc.\tacme.example\nBeta; Gamma\tbeta.example\n");
    assert_eq!(p.delimiter, '\t');
    assert_eq!(p.mapping, vec![Some(CompanyName), Some(Field::Website)]);
    assert_eq!(p.records[1].cells, strings(&["Beta; Gamma", "beta.example"]));
}

#[test]
fn semicolon_wins_a_tie_on_decimal_commas() {
    let p = parse_str("Company;Revenue (M€, 2025);Growth (%, YoY)\nAcme;12,5;3,2\nBeta;7,25;-1,5\n");
    assert_eq!((p.delimiter, p.decimal_comma), (';', true));
    assert_eq!(p.headers, strings(&["Company", "Revenue (M€, 2025)", "Growth (%, YoY)"]));
    assert_eq!(cells(&p), vec![strings(&["Acme", "12,5", "3,2"]), strings(&["Beta", "7,25", "-1,5"])]);
    assert_eq!(parse_money(&p.records[0].cells[1], p.decimal_comma), Some(12.5));
}

#[test]
fn quoted_delimiters_do_not_fool_the_sniffer() {
    // Many semicolons and pipes inside quotes; the structure is comma-separated.
    let p = parse_str("Company,Description\n\"A;B;C\",\"x;y;z|w\"\n\"D;E\",\"p;q\"\n\"F\",\"r;s;t;u\"\n");
    assert_eq!(p.delimiter, ',');
    assert_eq!(cells(&p)[0], strings(&["A;B;C", "x;y;z|w"]));
}

#[test]
fn excel_sep_line_is_honoured_and_consumed() {
    let p = parse_str("sep=;\r\nCompany;Website;Revenue\r\nAcme;acme.example;1,5\r\n");
    assert_eq!(p.delimiter, ';');
    assert_eq!(p.header_line, 2);
    assert_eq!(p.headers, strings(&["Company", "Website", "Revenue"]));
    assert_eq!(p.records[0].line, 3);
    assert_eq!(p.records[0].cells, strings(&["Acme", "acme.example", "1,5"]));
    assert!(p.skipped_preamble.is_empty());
    // With a BOM before it, and a delimiter the counts alone would not pick.
    let p = parse_ok("\u{feff}SEP=|\nCompany|Website\nA,B|a.example\n".as_bytes());
    assert_eq!((p.encoding.as_str(), p.delimiter), ("UTF-8 with BOM", '|'));
    assert_eq!(p.records[0].cells, strings(&["A,B", "a.example"]));
}

#[test]
fn bom_plus_semicolon() {
    let p =
        parse_ok(b"\xef\xbb\xbfFirmenname;Website;Umsatz\r\nM\xc3\xbcller AG;mueller.example;1.234,50\r\n");
    assert_eq!(p.encoding, "UTF-8 with BOM");
    assert_eq!(p.delimiter, ';');
    assert_eq!(p.headers[0], "Firmenname");
    assert_eq!(p.records[0].cells, strings(&["Müller AG", "mueller.example", "1.234,50"]));
    assert_eq!(parse_money(&p.records[0].cells[2], p.decimal_comma), Some(1234.5));
}

#[test]
fn preamble_and_footer_are_left_out_and_listed() {
    let text = "Report: Accounts,,,\r\nExported 2026-01-01\r\n\r\nAccount Name,Website,Industry,Employees\r\n\
                Acme,acme.example,Tools,51-200\r\nBeta,,,\r\nGamma,gamma.example,,\r\n\r\nTotal: 3,,,\r\n\
                Confidential - internal use only\r\n";
    let p = parse_str(text);
    assert_eq!(p.header_line, 4);
    assert_eq!(p.headers, strings(&["Account Name", "Website", "Industry", "Employees"]));
    assert_eq!(p.skipped_preamble, strings(&["Report: Accounts,,,", "Exported 2026-01-01"]));
    assert_eq!(p.skipped_footer, strings(&["Total: 3,,,", "Confidential - internal use only"]));
    assert_eq!(p.blank_rows, 2);
    // Data rows with empty trailing cells are data.
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Acme", "acme.example", "Tools", "51-200"]),
            strings(&["Beta", "", "", ""]),
            strings(&["Gamma", "gamma.example", "", ""]),
        ]
    );
    assert_eq!(p.records.iter().map(|r| r.line).collect::<Vec<_>>(), [5, 6, 7]);
    assert_eq!(parse_count(&p.records[0].cells[3]), Some((51, 200)));
}

#[test]
fn footer_lines_with_far_fewer_fields() {
    let p = parse_str(
        "Company,Website,Country\nA,a.example,US\nB,b.example,DE\nGenerated by ExportTool\n42 records\n",
    );
    assert_eq!(p.records.len(), 2);
    assert_eq!(p.skipped_footer, strings(&["Generated by ExportTool", "42 records"]));
    // A real last row with empty trailing cells, and a company that is called "Total".
    let p = parse_str("Company,Website,Country\nA,a.example,US\nTotal,,\nZeta Systems,,\n");
    assert_eq!(p.records.len(), 3);
    assert!(p.skipped_footer.is_empty());
    // In a file whose rows are often short, a short last row is data.
    let p = parse_str("Company,Website,Country\nA\nB,b.example,DE\nC\n");
    assert_eq!(p.records.len(), 3);
    assert_eq!(p.records[2].cells, strings(&["C", "", ""]));
}

#[test]
fn blank_and_delimiter_only_rows_are_counted_not_imported() {
    let p =
        parse_str("Company;Website\n;\n \u{a0} ; \t\n\nAcme;acme.example\n,,,\n|\nBeta;beta.example\n\n\n");
    assert_eq!(p.delimiter, ';');
    assert_eq!(p.records.len(), 2);
    assert_eq!(p.blank_rows, 7);
    assert_eq!(p.records[1].line, 8);
    let err = parse_str_err(" ,,\n\n;;\n");
    assert_eq!(err, ImportError::Empty);
}

fn parse_str_err(s: &str) -> ImportError {
    parse(s.as_bytes(), &Limits::default()).unwrap_err()
}

#[test]
fn mixed_line_ends_and_quoted_newlines() {
    let p = parse_str("Company,Description\r\nA,\"one\r\ntwo\"\nB,\"x\ny\rz\"\rC,plain\r\n");
    assert_eq!(
        cells(&p),
        vec![strings(&["A", "one\ntwo"]), strings(&["B", "x\ny\nz"]), strings(&["C", "plain"])]
    );
    assert_eq!(p.records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4, 7]);
}

#[test]
fn unclosed_quote_does_not_swallow_the_file() {
    let p = parse_str("Company,Website\n\"Acme,acme.example\nBeta,beta.example\n");
    assert_eq!(cells(&p), vec![strings(&["\"Acme", "acme.example"]), strings(&["Beta", "beta.example"])]);
    assert_eq!(p.warnings, ["Line 2: a quote (\") is never closed; it was read as an ordinary character."]);
}

#[test]
fn stray_quotes_do_not_merge_rows() {
    let p = parse_str("Company,Website\n\"Acme,acme.example\nBeta,beta.example\n\"Gamma,gamma.example\n");
    assert_eq!(
        cells(&p),
        vec![
            strings(&["\"Acme", "acme.example"]),
            strings(&["Beta", "beta.example"]),
            strings(&["\"Gamma", "gamma.example"])
        ]
    );
    assert_eq!(p.records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(
        p.warnings,
        [
            "Line 2: a quote (\") would have joined lines 2–4 into one value (another quoted value starts \
             on line 4); it was read as an ordinary character.",
            "Line 4: a quote (\") is never closed; it was read as an ordinary character."
        ]
    );
    // A quote closed mid-line, with text after it: one value, and a warning naming the lines.
    let p = parse_str("Company,Website\n\"Acme\nsays \"hi\" there\",acme.example\nBeta,beta.example\n");
    assert_eq!(
        cells(&p),
        vec![strings(&["Acme\nsays hi\" there\"", "acme.example"]), strings(&["Beta", "beta.example"])]
    );
    assert_eq!(
        p.warnings,
        ["Lines 2–3 were read as one quoted value, with text after its closing quote; if they are \
          separate rows, a quote (\") on line 2 is stray: fix it and import again."]
    );
}

#[test]
fn headers_trimmed_named_and_widened() {
    let p = parse_str(
        "\u{a0}Company Name\u{a0}, Website ,,Notes,\nAcme,acme.example,x,n,\nBeta,beta.example,,,,extra\n",
    );
    assert_eq!(p.headers, strings(&["Company Name", "Website", "Column 3", "Notes", "Column 6"]));
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Acme", "acme.example", "x", "n", ""]),
            strings(&["Beta", "beta.example", "", "", "extra"])
        ]
    );
    assert_eq!(
        p.warnings,
        [
            "1 row(s) have more cells than the header (rows 2); the extra cells are in columns named \"Column 6\" and on."
        ]
    );
    assert_eq!(p.mapping, vec![Some(CompanyName), Some(Field::Website), None, None, None]);
}

#[test]
fn limits() {
    let big = vec![b'a'; 101];
    assert_eq!(
        parse(&big, &Limits { max_bytes: 100, max_rows: 10 }),
        Err(ImportError::TooLarge { limit: 100, size: 101 })
    );
    let mut text = String::from("Company,Website\n");
    for i in 0..10 {
        text.push_str(&format!("C{i},c{i}.example\n"));
    }
    let l = Limits { max_bytes: 1 << 20, max_rows: 10 };
    assert_eq!(parse(text.as_bytes(), &l).unwrap().records.len(), 10);
    text.push_str("C10,c10.example\n\n");
    assert_eq!(parse(text.as_bytes(), &l), Err(ImportError::TooManyRows { limit: 10, rows: 11 }));
    for i in 11..200 {
        text.push_str(&format!("C{i},c{i}.example\n"));
    }
    assert_eq!(parse(text.as_bytes(), &l), Err(ImportError::TooManyRows { limit: 10, rows: 200 }));
    assert_eq!(parse(b"", &l), Err(ImportError::Empty));
    assert_eq!(Limits::default(), Limits { max_bytes: 20 * 1024 * 1024, max_rows: 50_000 });
}

#[test]
fn refuses_workbooks_binary_and_headerless_files() {
    assert_eq!(parse(b"PK\x03\x04rest-of-zip", &Limits::default()), Err(ImportError::Spreadsheet));
    assert_eq!(parse(b"\xd0\xcf\x11\xe0\xa1\xb1", &Limits::default()), Err(ImportError::Spreadsheet));
    assert_eq!(parse(b"Company\0,x\n", &Limits::default()), Err(ImportError::NotText));
    assert_eq!(parse_str_err("Acme,acme.example\nBeta,beta.example\n"), ImportError::NoHeader);
    assert_eq!(parse_str_err("Acme,https://acme.example\n"), ImportError::NoHeader);
    // Unknown column names are fine: the person maps them.
    let p = parse_str("Firma,Netz\nAcme,acme.example\n");
    assert_eq!(p.mapping, vec![None, None]);
    assert_eq!(build(&p, &p.mapping), Err(ImportError::NoNameOrWebsiteColumn));
    let o = build(&p, &[Some(CompanyName), Some(Field::Website)]).unwrap();
    assert_eq!(o.companies[0].website, dom("acme.example"));
}

#[test]
fn duplicate_columns_first_non_empty_wins_in_every_order() {
    let p = parse_str(
        "Website,Name,Website\n,Acme,acme.example\nbeta.example,Beta,\nfirst.example,Gamma,second.example\n",
    );
    assert_eq!(p.mapping, vec![Some(Field::Website), Some(CompanyName), Some(Field::Website)]);
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!(
        o.companies.iter().map(|c| c.domain().unwrap()).collect::<Vec<_>>(),
        ["acme.example", "beta.example", "first.example"]
    );
    assert_eq!(o.companies[0].field(Field::Website).unwrap().column, "Website (2)");
    // A person-chosen mapping of two different columns to one field behaves the same.
    let p = parse_str("Company,Company Name for Emails,Website\n,Acme Emails,acme.example\n");
    let o = build(&p, &[Some(CompanyName), Some(CompanyName), Some(Field::Website)]).unwrap();
    assert_eq!(o.companies[0].name, "Acme Emails");
}

#[test]
fn empty_website_falls_back_to_the_domain_column() {
    let p =
        parse_str("Company,Website,Company Domain Name\nAcme,acme.example,\nBeta,,beta.example\nGamma,,\n");
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!(
        o.companies.iter().map(|c| c.website.clone()).collect::<Vec<_>>(),
        [dom("acme.example"), dom("beta.example"), Website::Missing]
    );
    assert_eq!(o.companies[1].field(Field::Website).unwrap().column, "Company Domain Name");
    assert_eq!(
        o.warnings,
        [
            "Columns \"Website\", \"Company Domain Name\" are all mapped to Website; each row uses the first non-empty one."
        ]
    );
}

#[test]
fn names_and_websites_missing() {
    let p = parse_str(
        "Company,Website,Industry\n,acme.example,Tools\nBeta,,Retail\n,,Ghost\n,n/a,\nGamma,localhost,\n",
    );
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!(names(&o), ["acme.example", "Beta", "Gamma"]);
    assert_eq!(o.companies[1].website, Website::Missing);
    assert_eq!(o.skipped_no_name, [3, 4]);
    assert_eq!(
        o.flagged,
        vec![(4, s("no company name, and the website \"n/a\" is unusable (placeholder, not a website)"))]
    );
    assert_eq!(o.invalid_websites, vec![(5, s("Gamma"), s(REASON_INTERNAL))]);
    assert_eq!(o.warnings, ["2 row(s) had neither a company name nor a usable website and were skipped."]);
}

#[test]
fn merges_fill_gaps_and_keep_the_first_row() {
    let p = parse_str(
        "Company,Website,Industry,Country\n,acme.example,,\nAcme Widgets,https://www.acme.example/x,Tools,\nACME,ACME.example,Other,DE\n",
    );
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!(o.companies.len(), 1);
    let c = &o.companies[0];
    assert_eq!((c.source_row, c.name.as_str()), (1, "Acme Widgets"));
    assert_eq!(value(c, Industry), Some("Tools"));
    assert_eq!(value(c, Country), Some("DE"));
    assert_eq!(
        o.merges,
        vec![Merge {
            domain: s("acme.example"),
            kept_row: 1,
            kept_name: s("Acme Widgets"),
            merged: vec![(2, s("Acme Widgets")), (3, s("ACME"))]
        }]
    );
}

#[test]
fn subdomains_are_separate_but_flagged() {
    let p = parse_str(
        "Website\nshop.acme.example\neu.shop.acme.example\nacme.example\nother.example\nblog.other-thing.example\n",
    );
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!(o.companies.len(), 5);
    assert_eq!(
        o.flagged,
        vec![
            (1, s("subdomain of acme.example (kept separate)")),
            (2, s("subdomain of shop.acme.example (kept separate)"))
        ]
    );
}

#[test]
fn errors_read_like_sentences() {
    assert_eq!(ImportError::Empty.to_string(), "The file is empty: it has no rows to import.");
    assert_eq!(
        ImportError::TooLarge { limit: 20 * 1024 * 1024, size: 25 * 1024 * 1024 }.to_string(),
        "The file is too large (25 MB); the limit is 20 MB. Split it into smaller files."
    );
    assert_eq!(
        ImportError::TooManyRows { limit: 50_000, rows: 50_001 }.to_string(),
        "The file has 50001 rows; at most 50000 can be imported at once. Split it into smaller files."
    );
    let e: Box<dyn std::error::Error> = Box::new(ImportError::NoNameOrWebsiteColumn);
    assert!(e.to_string().starts_with("No column is mapped to the company name or the website."));
    for e in [ImportError::NoHeader, ImportError::NotText, ImportError::Spreadsheet] {
        assert!(e.to_string().ends_with('.'));
    }
}

#[test]
fn public_types_are_serde() {
    fn both<T: serde::Serialize + serde::de::DeserializeOwned>() {}
    both::<Parsed>();
    both::<Record>();
    both::<Outcome>();
    both::<Merge>();
    both::<Limits>();
    both::<ImportError>();
    both::<Company>();
}

#[test]
fn numbers_stay_text_in_cells() {
    let p = parse_str(
        "Company,Employees,Total Funding\nA,\"1,200\",6.11E+10\nB,10001+,$1.2M\nC,51-200,\"$3,000,000\"\n",
    );
    assert_eq!(
        p.records.iter().map(|r| r.cells[1].as_str()).collect::<Vec<_>>(),
        ["1,200", "10001+", "51-200"]
    );
    assert_eq!(
        p.records.iter().map(|r| parse_count(&r.cells[1])).collect::<Vec<_>>(),
        [Some((1200, 1200)), Some((10001, u64::MAX)), Some((51, 200))]
    );
    assert_eq!(
        p.records.iter().map(|r| parse_money(&r.cells[2], p.decimal_comma)).collect::<Vec<_>>(),
        [Some(6.11e10), Some(1.2e6), Some(3e6)]
    );
}
