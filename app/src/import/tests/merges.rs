//! Rows merged by domain keep everything they said: contacts and other values.

use super::*;
use Field::{
    CompanyName, Industry, Location, PersonEmail, PersonFirstName, PersonLastName, PersonLinkedin,
    PersonTitle,
};

const APOLLO: &str = "First Name,Last Name,Title,Company,Email,Person Linkedin Url,Website,Industry,City\n\
Ann,Lee,CEO,Acme,ann@acme.example,https://www.linkedin.com/in/ann,acme.example,Software,Austin\n\
Bob,Stone,CTO,Acme,bob@acme.example,https://www.linkedin.com/in/bob,www.acme.example,,Boston\n\
Cy,Park,VP Sales,Acme Inc,cy@acme.example,,https://acme.example/,Software,Austin\n\
Di,Ng,,Acme,di@acme.example,,acme.example,SaaS,\n\
Ed,Roe,Head of Engineering,Acme,,https://www.linkedin.com/in/ed,acme.example,,Denver\n\
Ann,Lee,CEO,Acme,ann@acme.example,https://www.linkedin.com/in/ann,acme.example,Software,Austin\n";

fn cell(column: &str, value: &str) -> Cell {
    Cell { column: s(column), value: s(value) }
}

#[test]
fn apollo_people_export_keeps_every_contact() {
    let (_, o) = import(APOLLO.as_bytes());
    assert_eq!(o.companies.len(), 1);
    let c = &o.companies[0];
    assert_eq!((c.name.as_str(), c.domain()), ("Acme", Some("acme.example")));
    assert_eq!(o.merges[0].merged.iter().map(|(r, _)| *r).collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
    let people: Vec<(Field, &str, &str)> = c
        .fields
        .iter()
        .filter(|(f, _)| f.is_person())
        .map(|(f, cell)| (*f, cell.column.as_str(), cell.value.as_str()))
        .collect();
    assert_eq!(
        people,
        vec![
            (PersonFirstName, "First Name", "Ann"),
            (PersonLastName, "Last Name", "Lee"),
            (PersonTitle, "Title", "CEO"),
            (PersonEmail, "Email", "ann@acme.example"),
            (PersonLinkedin, "Person Linkedin Url", "https://www.linkedin.com/in/ann"),
            (PersonFirstName, "First Name (row 2)", "Bob"),
            (PersonLastName, "Last Name (row 2)", "Stone"),
            (PersonTitle, "Title (row 2)", "CTO"),
            (PersonEmail, "Email (row 2)", "bob@acme.example"),
            (PersonLinkedin, "Person Linkedin Url (row 2)", "https://www.linkedin.com/in/bob"),
            (PersonFirstName, "First Name (row 3)", "Cy"),
            (PersonLastName, "Last Name (row 3)", "Park"),
            (PersonTitle, "Title (row 3)", "VP Sales"),
            (PersonEmail, "Email (row 3)", "cy@acme.example"),
            (PersonFirstName, "First Name (row 4)", "Di"),
            (PersonLastName, "Last Name (row 4)", "Ng"),
            (PersonEmail, "Email (row 4)", "di@acme.example"),
            (PersonFirstName, "First Name (row 5)", "Ed"),
            (PersonLastName, "Last Name (row 5)", "Roe"),
            (PersonTitle, "Title (row 5)", "Head of Engineering"),
            (PersonLinkedin, "Person Linkedin Url (row 5)", "https://www.linkedin.com/in/ed"),
        ]
    );
    // The row's own contact is what `field` answers; a merged contact never fills its gaps.
    assert_eq!(value(c, PersonTitle), Some("CEO"));
    assert_eq!(value(c, Industry), Some("Software"));
    assert_eq!(value(c, Location), Some("Austin"));
    let added: Vec<Cell> = c.attributes[9..].to_vec();
    assert_eq!(
        added,
        vec![
            cell("First Name (row 2)", "Bob"),
            cell("Last Name (row 2)", "Stone"),
            cell("Title (row 2)", "CTO"),
            cell("Email (row 2)", "bob@acme.example"),
            cell("Person Linkedin Url (row 2)", "https://www.linkedin.com/in/bob"),
            cell("Website (row 2)", "www.acme.example"),
            cell("City (row 2)", "Boston"),
            cell("First Name (row 3)", "Cy"),
            cell("Last Name (row 3)", "Park"),
            cell("Title (row 3)", "VP Sales"),
            cell("Company (row 3)", "Acme Inc"),
            cell("Email (row 3)", "cy@acme.example"),
            cell("Website (row 3)", "https://acme.example/"),
            cell("First Name (row 4)", "Di"),
            cell("Last Name (row 4)", "Ng"),
            cell("Email (row 4)", "di@acme.example"),
            cell("Industry (row 4)", "SaaS"),
            cell("First Name (row 5)", "Ed"),
            cell("Last Name (row 5)", "Roe"),
            cell("Title (row 5)", "Head of Engineering"),
            cell("Person Linkedin Url (row 5)", "https://www.linkedin.com/in/ed"),
            cell("City (row 5)", "Denver"),
        ]
    );
    assert_eq!(split_merged_column("Person Linkedin Url (row 5)"), ("Person Linkedin Url", Some(5)));
    assert_eq!(split_merged_column("Website (2)"), ("Website (2)", None));
    assert_eq!(split_merged_column("Note (row x)"), ("Note (row x)", None));
}

#[test]
fn merged_rows_keep_values_that_differ() {
    let (_, o) = import(
        b"Company,Website,Industry,Notes\nAcme,acme.example,,first\nACME,www.acme.example,Tools,second\n\
          Acme,acme.example,Tools,first\n",
    );
    let c = &o.companies[0];
    assert_eq!(o.companies.len(), 1);
    // A gap filled by a merged row cites the same cell as its attribute.
    assert_eq!(c.field(Industry), Some(&cell("Industry", "Tools")));
    assert_eq!(
        c.attributes,
        vec![
            cell("Company", "Acme"),
            cell("Website", "acme.example"),
            cell("Notes", "first"),
            cell("Company (row 2)", "ACME"),
            cell("Website (row 2)", "www.acme.example"),
            cell("Industry", "Tools"),
            cell("Notes (row 2)", "second"),
        ]
    );
    assert_eq!(value(c, CompanyName), Some("Acme"));
}

#[test]
fn contact_of_a_company_row_without_one() {
    // A company row, then a person at it: the person is a merged contact, not the row's.
    let (_, o) = import(
        b"Company,Website,Name,Email\nAcme,acme.example,,\nAcme,acme.example,Ann Lee,ann@acme.example\n",
    );
    let c = &o.companies[0];
    assert_eq!(c.field(Field::PersonName), None);
    assert_eq!(
        c.fields[2..],
        [
            (Field::PersonName, cell("Name (row 2)", "Ann Lee")),
            (PersonEmail, cell("Email (row 2)", "ann@acme.example"))
        ]
    );
    assert_eq!(
        c.attributes[2..],
        [cell("Name (row 2)", "Ann Lee"), cell("Email (row 2)", "ann@acme.example")]
    );
}
