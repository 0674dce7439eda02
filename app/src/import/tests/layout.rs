//! Where the table is: title lines above the header, report footers under the data,
//! header rows repeated inside the data.

use super::*;
use Field::CompanyName;

#[test]
fn title_lines_with_a_comma_are_preamble() {
    // The title splits into as many cells as the table is wide.
    let p =
        parse_str("Report generated on Jan 5, 2026\nCompany,Website\nAcme,acme.example\nBeta,beta.example\n");
    assert_eq!(p.header_line, 2);
    assert_eq!(p.headers, strings(&["Company", "Website"]));
    assert_eq!(p.skipped_preamble, strings(&["Report generated on Jan 5, 2026"]));
    assert_eq!(cells(&p), vec![strings(&["Acme", "acme.example"]), strings(&["Beta", "beta.example"])]);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);

    // A label and its value.
    let p = parse_str(
        "Date range:,Jan 1 - Jan 31\nCompany,Website,Country\nAcme,acme.example,US\nBeta,beta.example,DE\n",
    );
    assert_eq!(p.header_line, 2);
    assert_eq!(p.headers, strings(&["Company", "Website", "Country"]));
    assert_eq!(p.skipped_preamble, strings(&["Date range:,Jan 1 - Jan 31"]));
    assert_eq!(p.records.len(), 2);

    // Column names nobody knows: the title still reads like a title (a date in it).
    let p = parse_str("Report generated on Jan 5, 2026\nFirma,Netz\nAcme,acme.example\n");
    assert_eq!((p.header_line, p.headers.clone()), (2, strings(&["Firma", "Netz"])));

    // A title with neither: known column names below it win.
    let p = parse_str("Accounts, by region\nAccount Name,Website\nAcme,acme.example\nBeta,beta.example\n");
    assert_eq!(p.header_line, 2);
    assert_eq!(p.mapping, vec![Some(CompanyName), Some(Field::Website)]);
    assert_eq!(p.skipped_preamble, strings(&["Accounts, by region"]));
    // …also when only one name is known, but the title is narrower than the table.
    let p = parse_str("Accounts, by region\nCompany,Owner,Stage\nAcme,Ann,Won\nBeta,Bob,Lost\n");
    assert_eq!((p.header_line, p.records.len()), (2, 2));
}

#[test]
fn header_with_unnamed_trailing_columns() {
    let p = parse_str("Company,Website,,,,,\nAcme,acme.example,,,,,\nBeta,beta.example,,,,,\n");
    assert_eq!((p.header_line, p.headers.clone()), (1, strings(&["Company", "Website"])));
    assert_eq!(p.records.len(), 2);
    let p = parse_str(
        "Report generated on Jan 5, 2026,,,,,\nCompany,Website,,,,,\nAcme,acme.example,,,,,\nBeta,beta.example,,,,,\n",
    );
    assert_eq!((p.header_line, p.headers.clone()), (2, strings(&["Company", "Website"])));
    assert_eq!(p.skipped_preamble, strings(&["Report generated on Jan 5, 2026,,,,,"]));
    assert_eq!(cells(&p), vec![strings(&["Acme", "acme.example"]), strings(&["Beta", "beta.example"])]);
}

#[test]
fn quoted_and_padded_footer_lines() {
    let p = parse_str(
        "Company,Website,Country,Employees\nAcme,acme.example,US,10\nBeta,beta.example,DE,20\n\
         \"Total: 2\",,,\n\"Confidential, internal use only\",,,\nGrand Totals (15 records)\n",
    );
    assert_eq!(p.records.len(), 2);
    assert_eq!(
        p.skipped_footer,
        strings(&["\"Total: 2\",,,", "\"Confidential, internal use only\",,,", "Grand Totals (15 records)"])
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn real_last_rows_are_never_footer() {
    // Short rows at the end of a tidy file: a name alone, a name and a domain.
    let p = parse_str(
        "Company,Website,Country,Employees\nAcme,acme.example,US,10\nBeta,beta.example,DE,20\n\
         Gamma,gamma.example,FR,30\nOmega Corp\nZeta Systems,zeta.example\n",
    );
    assert!(p.skipped_footer.is_empty(), "{:?}", p.skipped_footer);
    assert_eq!(p.records.len(), 5);
    assert_eq!(p.records[3].cells, strings(&["Omega Corp", "", "", ""]));
    assert_eq!(p.records[4].cells, strings(&["Zeta Systems", "zeta.example", "", ""]));
    // Words that open notes, in company names.
    let p = parse_str(
        "Company,Website,Country,Employees\nAcme,acme.example,US,10\nBeta,beta.example,DE,20\n\
         Printed Matter Inc,,,\nGenerated Health,,,\nConfidential Computing Ltd\nTotal Wine,,,\n",
    );
    assert_eq!(
        p.records.iter().map(|r| r.cells[0].as_str()).collect::<Vec<_>>(),
        [
            "Acme",
            "Beta",
            "Printed Matter Inc",
            "Generated Health",
            "Confidential Computing Ltd",
            "Total Wine"
        ]
    );
    assert!(p.skipped_footer.is_empty() && p.warnings.is_empty(), "{:?} {:?}", p.skipped_footer, p.warnings);
    // A note-like line with a website is data.
    let p = parse_str("Company,Website\nAcme,acme.example\nTotal: 2,total2.example\n");
    assert_eq!(p.records.len(), 2);
}

#[test]
fn salesforce_footer_block() {
    // Notes, then the org's name on its own line (a plain line a footer cannot end with
    // elsewhere), in a two-column report.
    let footer = "\"\"\n\"\"\n\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n\
                  \"Confidential Information - Do Not Distribute\"\n\
                  \"Generated By:  Ann Admin  1/5/2026 10:00 AM\"\n\"Cellstack Demo Org\"\n";
    let data = "\"Account Name\",\"Website\"\n\"Acme\",\"acme.example\"\n\"Beta\",\"beta.example\"\n\
                \"Omega Corp\",\"\"\n";
    let p = parse_str(&format!("{data}{footer}"));
    assert_eq!(
        p.records.iter().map(|r| r.cells[0].as_str()).collect::<Vec<_>>(),
        ["Acme", "Beta", "Omega Corp"]
    );
    let lines = strings(&[
        "\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"",
        "\"Confidential Information - Do Not Distribute\"",
        "\"Generated By:  Ann Admin  1/5/2026 10:00 AM\"",
        "\"Cellstack Demo Org\"",
    ]);
    assert_eq!(p.skipped_footer, lines);
    assert_eq!(p.blank_rows, 2);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);

    // With the report's title above the notes: kept (it could be a company), with a warning.
    let p = parse_str(&format!(
        "{data}{}",
        footer.replacen("\"\"\n\"\"\n", "\"\"\n\"Accounts by country\"\n", 1)
    ));
    assert_eq!(p.records.len(), 4);
    assert_eq!(p.records[3].cells, strings(&["Accounts by country", ""]));
    assert_eq!(p.skipped_footer, lines);
    assert_eq!(
        p.warnings,
        ["Row 4 (\"Accounts by country\") stands alone between a blank line and the report footer; \
          it was imported: remove it if it is not a company."]
    );
}

#[test]
fn note_lines_among_data_are_imported_with_a_warning() {
    // Data goes on after the note: the note cannot be a footer, and no row is lost.
    let p = parse_str(
        "Company,Website\nAcme,acme.example\nGenerated by ExportTool\nBeta,beta.example\nPage 1 of 2\nGamma\n",
    );
    assert!(p.skipped_footer.is_empty());
    assert_eq!(
        p.records.iter().map(|r| r.cells[0].as_str()).collect::<Vec<_>>(),
        ["Acme", "Generated by ExportTool", "Beta", "Page 1 of 2", "Gamma"]
    );
    assert_eq!(
        p.warnings,
        ["2 row(s) read like report notes, not companies (rows 2, 4); they were imported: \
          remove them if they are not companies."]
    );
}

#[test]
fn repeated_header_rows_are_skipped_and_counted() {
    let p = parse_str(
        "Company Name,Website\nAcme,acme.example\nCompany Name,Website\nBeta,beta.example\n\
         \u{feff}company name , WEBSITE\nGamma,gamma.example\n",
    );
    assert_eq!(
        cells(&p),
        vec![
            strings(&["Acme", "acme.example"]),
            strings(&["Beta", "beta.example"]),
            strings(&["Gamma", "gamma.example"])
        ]
    );
    assert_eq!(
        p.records.iter().map(|r| (r.source_row, r.line)).collect::<Vec<_>>(),
        [(1, 2), (2, 4), (3, 6)]
    );
    assert_eq!(p.warnings, ["2 repeated header row(s) were skipped (lines 3, 5)."]);
    let (_, o) = import(b"Company Name,Website\nAcme,acme.example\nCompany Name,Website\n");
    assert_eq!(names(&o), ["Acme"]);
}
