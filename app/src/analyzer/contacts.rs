//! Contacts: only the people named in the row's own person columns.
//!
//! A row may hold several people when the file repeats the person columns (the importer
//! names repeats `Title (2)`, `Title (3)`…), and rows with the same domain merged into it
//! bring theirs (`Title (row 7)`, as an Apollo people export lists one person a row);
//! each is another contact. Nothing is looked up or guessed: no name, no contact; an
//! email without `@` or a LinkedIn value that is not a linkedin.com address is left out
//! rather than "fixed".

use std::collections::HashMap;

use super::text;
use super::{Brief, Company, Contact, Field, Source};
use crate::import::{merged_column, split_merged_column};

/// The row's contacts, those whose title fits one of the brief's personas first
/// (full fits, then partial fits, then the rest, each in column order).
pub fn contacts(brief: &Brief, company: &Company) -> Vec<Contact> {
    let all = all_contacts(company);
    let mut ranked: Vec<(u8, Contact)> = all
        .into_iter()
        .map(|c| {
            let rank = c
                .title
                .as_deref()
                .and_then(|t| best_fit(brief.personas.iter().map(|p| p.title.as_str()), t))
                .map_or(2, |f| match f {
                    TitleFit::Full => 0,
                    TitleFit::Partial => 1,
                });
            (rank, c)
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, c)| c).collect()
}

/// Every contact in the row, in column order, de-duplicated by name and email.
pub(crate) fn all_contacts(company: &Company) -> Vec<Contact> {
    row_contacts(company).into_iter().map(|(c, _)| c).collect()
}

/// One person's cells: (field, (column, value)).
type PersonCells = Vec<(Field, (String, String))>;

/// Like [`all_contacts`], with the cell each title came from.
pub(crate) fn row_contacts(company: &Company) -> Vec<(Contact, Option<Source>)> {
    // One group of person cells per source row: the row's own (mapped cells), then each
    // row merged into it, whose cells the importer names "<column> (row N)".
    let mut groups: Vec<(Option<usize>, PersonCells)> = Vec::new();
    let mut group_of: HashMap<Option<usize>, usize> = HashMap::new();
    for (f, c) in company.fields.iter().filter(|(f, _)| f.is_person()) {
        let row = split_merged_column(&c.column).1;
        let at = *group_of.entry(row).or_insert_with(|| {
            groups.push((row, Vec::new()));
            groups.len() - 1
        });
        let group = &mut groups[at].1;
        if !group.iter().any(|(g, _)| g == f) {
            group.push((*f, (c.column.clone(), c.value.clone())));
        }
    }
    if groups.is_empty() {
        return Vec::new();
    }
    // Within a row, slot n is the attributes named "<column> (n)" (repeated person columns).
    let mut by_column: HashMap<&str, &str> = HashMap::with_capacity(company.attributes.len());
    for a in &company.attributes {
        by_column.entry(a.column.as_str()).or_insert(a.value.as_str());
    }
    let mut slots: Vec<PersonCells> = Vec::new();
    for (row, first) in groups {
        let mut row_slots = vec![first];
        for n in 2..=10 {
            let slot: PersonCells = row_slots[0]
                .iter()
                .filter_map(|(f, (column, _))| {
                    let base = split_merged_column(column).0;
                    let name = match row {
                        Some(r) => merged_column(&format!("{base} ({n})"), r),
                        None => format!("{base} ({n})"),
                    };
                    by_column.get(name.as_str()).map(|v| (*f, (name, v.to_string())))
                })
                .collect();
            if slot.is_empty() {
                break;
            }
            row_slots.push(slot);
        }
        slots.extend(row_slots);
    }

    let mut out: Vec<(Contact, Option<Source>)> = Vec::new();
    let mut seen: HashMap<String, Vec<Option<String>>> = HashMap::new();
    for slot in slots {
        let get = |f: Field| {
            slot.iter()
                .find(|(g, _)| *g == f)
                .map(|(_, (col, val))| (col.clone(), val.trim().to_string()))
                .filter(|(_, v)| !v.is_empty() && !text::is_none_like(v))
        };
        let (name, source) = if let Some((col, v)) = get(Field::PersonName) {
            (v.clone(), cell(col, v))
        } else {
            match (get(Field::PersonFirstName), get(Field::PersonLastName)) {
                (Some((col, f)), Some((_, l))) => (format!("{f} {l}"), cell(col, f)),
                (Some((col, f)), None) => (f.clone(), cell(col, f)),
                (None, Some((col, l))) => (l.clone(), cell(col, l)),
                (None, None) => continue,
            }
        };
        let email = get(Field::PersonEmail).map(|(_, v)| v).filter(|v| looks_like_email(v));
        let linkedin = get(Field::PersonLinkedin)
            .map(|(_, v)| v)
            .filter(|v| v.to_ascii_lowercase().contains("linkedin.com/"));
        let title = get(Field::PersonTitle);
        let title_source = title.clone().map(|(col, v)| cell(col, v));
        let contact = Contact { name, title: title.map(|(_, v)| v), linkedin, email, source };
        // The same name is the same person unless both have emails and they differ.
        let emails = seen.entry(contact.name.to_ascii_lowercase()).or_default();
        let dup = emails.iter().any(|e| e.is_none() || contact.email.is_none() || *e == contact.email);
        if !dup {
            emails.push(contact.email.clone());
            out.push((contact, title_source));
        }
    }
    out
}

fn cell(column: String, value: String) -> Source {
    Source::Cell { column, value }
}

fn looks_like_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !v.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// How well a job title fits a persona title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TitleFit {
    /// Every word of the persona is in the title ("VP Engineering" ~ "Vice President of Engineering").
    Full,
    /// The function matches but not the seniority ("Head of Engineering" ~ "VP Engineering").
    Partial,
}

const ABBREVIATIONS: &[(&str, &str)] = &[
    ("vp", "vice president"),
    ("svp", "senior vice president"),
    ("evp", "executive vice president"),
    ("avp", "assistant vice president"),
    ("ceo", "chief executive officer"),
    ("cto", "chief technology officer"),
    ("cfo", "chief financial officer"),
    ("coo", "chief operating officer"),
    ("cmo", "chief marketing officer"),
    ("cro", "chief revenue officer"),
    ("cio", "chief information officer"),
    ("ciso", "chief information security officer"),
    ("cpo", "chief product officer"),
    ("cdo", "chief data officer"),
    ("eng", "engineering"),
    ("tech", "technology"),
    ("mgr", "manager"),
    ("dir", "director"),
    ("sr", "senior"),
    ("jr", "junior"),
    ("cofounder", "co founder"),
];

const TITLE_STOP: &[&str] = &["of", "and", "the", "for", "at", "in", "to"];

const SENIORITY: &[&str] = &[
    "vice",
    "president",
    "head",
    "director",
    "chief",
    "officer",
    "manager",
    "lead",
    "senior",
    "junior",
    "principal",
    "staff",
    "founder",
    "co",
    "owner",
    "executive",
    "associate",
    "assistant",
    "partner",
    "global",
    "group",
    "regional",
];

fn title_words(title: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in text::tokens(title) {
        let expanded = ABBREVIATIONS
            .iter()
            .find(|(a, _)| *a == t.stem)
            .map(|(_, full)| text::stems(full))
            .unwrap_or_else(|| vec![t.stem.clone()]);
        for w in expanded {
            if !TITLE_STOP.contains(&w.as_str()) && !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

/// How `title` fits `persona`, if at all.
pub(crate) fn title_fit(persona: &str, title: &str) -> Option<TitleFit> {
    let p = title_words(persona);
    let t = title_words(title);
    if p.is_empty() || t.is_empty() {
        return None;
    }
    if p.iter().all(|w| t.contains(w)) {
        return Some(TitleFit::Full);
    }
    let function: Vec<&String> = p.iter().filter(|w| !SENIORITY.contains(&w.as_str())).collect();
    (!function.is_empty() && function.iter().all(|w| t.contains(w))).then_some(TitleFit::Partial)
}

/// The best fit of `title` against any of the persona titles.
pub(crate) fn best_fit<'a>(personas: impl IntoIterator<Item = &'a str>, title: &str) -> Option<TitleFit> {
    personas.into_iter().filter_map(|p| title_fit(p, title)).min()
}

#[cfg(test)]
mod tests {
    use super::super::testutil::company;
    use super::super::{Cell, Persona};
    use super::*;

    fn brief_with(personas: &[&str]) -> Brief {
        Brief {
            personas: personas
                .iter()
                .map(|t| Persona { title: t.to_string(), description: String::new() })
                .collect(),
            ..Brief::default()
        }
    }

    #[test]
    fn title_fits() {
        assert_eq!(title_fit("VP Engineering", "Vice President of Engineering"), Some(TitleFit::Full));
        assert_eq!(title_fit("Head of Engineering", "VP Engineering"), Some(TitleFit::Partial));
        assert_eq!(title_fit("CTO", "CTO & Co-founder"), Some(TitleFit::Full));
        assert_eq!(title_fit("VP Engineering", "VP Sales"), None);
        assert_eq!(title_fit("Founder", "Engineering Manager"), None);
    }

    #[test]
    fn no_person_columns_no_contacts() {
        let c = company("Acme", &[(Field::Industry, "Industry", "Software")]);
        assert!(contacts(&Brief::default(), &c).is_empty());
    }

    #[test]
    fn contact_from_first_and_last_name() {
        let c = company(
            "Acme",
            &[
                (Field::PersonFirstName, "First Name", "Ada"),
                (Field::PersonLastName, "Last Name", "Lovelace"),
                (Field::PersonTitle, "Title", "CTO"),
                (Field::PersonEmail, "Email", "ada@acme.io"),
                (Field::PersonLinkedin, "LinkedIn", "not a url"),
            ],
        );
        assert_eq!(
            contacts(&Brief::default(), &c),
            vec![Contact {
                name: "Ada Lovelace".into(),
                title: Some("CTO".into()),
                linkedin: None,
                email: Some("ada@acme.io".into()),
                source: Source::Cell { column: "First Name".into(), value: "Ada".into() },
            }]
        );
    }

    #[test]
    fn repeated_person_columns_and_persona_preference() {
        let mut c = company(
            "Acme",
            &[
                (Field::PersonName, "Contact", "Bob Stone"),
                (Field::PersonTitle, "Title", "Head of Sales"),
                (Field::PersonEmail, "Email", "bob-at-acme"),
            ],
        );
        for (col, v) in [
            ("Contact (2)", "Grace Hopper"),
            ("Title (2)", "Vice President, Engineering"),
            ("Email (2)", "grace@acme.io"),
            ("Contact (3)", "Linus Lee"),
            ("Title (3)", "Engineering Manager"),
        ] {
            c.attributes.push(Cell { column: col.into(), value: v.into() });
        }
        let got = contacts(&brief_with(&["VP Engineering"]), &c);
        let names: Vec<(&str, Option<&str>, Option<&str>)> =
            got.iter().map(|c| (c.name.as_str(), c.title.as_deref(), c.email.as_deref())).collect();
        assert_eq!(
            names,
            vec![
                ("Grace Hopper", Some("Vice President, Engineering"), Some("grace@acme.io")),
                ("Linus Lee", Some("Engineering Manager"), None),
                ("Bob Stone", Some("Head of Sales"), None),
            ]
        );
        assert_eq!(got[0].source.key(), "csv:Contact (2)");
    }

    #[test]
    fn merged_rows_bring_their_contacts() {
        // An Apollo people export: one person a row, five at one company.
        let csv = "First Name,Last Name,Title,Company,Email,Website\n\
                   Ann,Lee,CEO,Acme,ann@acme.example,acme.example\n\
                   Bob,Stone,CTO,Acme,bob@acme.example,www.acme.example\n\
                   Cy,Park,VP Sales,Acme,cy@acme.example,https://acme.example/\n\
                   Di,Ng,,Acme,di@acme.example,acme.example\n\
                   Ed,Roe,Head of Engineering,Acme,,acme.example\n";
        let p = crate::import::parse(csv.as_bytes(), &Default::default()).unwrap();
        let o = crate::import::build(&p, &p.mapping).unwrap();
        assert_eq!(o.companies.len(), 1);
        let got = all_contacts(&o.companies[0]);
        let people: Vec<(&str, Option<&str>, Option<&str>, String)> = got
            .iter()
            .map(|c| (c.name.as_str(), c.title.as_deref(), c.email.as_deref(), c.source.key()))
            .collect();
        assert_eq!(
            people,
            vec![
                ("Ann Lee", Some("CEO"), Some("ann@acme.example"), "csv:First Name".to_string()),
                ("Bob Stone", Some("CTO"), Some("bob@acme.example"), "csv:First Name (row 2)".to_string()),
                ("Cy Park", Some("VP Sales"), Some("cy@acme.example"), "csv:First Name (row 3)".to_string()),
                ("Di Ng", None, Some("di@acme.example"), "csv:First Name (row 4)".to_string()),
                ("Ed Roe", Some("Head of Engineering"), None, "csv:First Name (row 5)".to_string()),
            ]
        );
        // Every cited cell is one of the company's attributes (what research retrieves).
        for c in &got {
            let Source::Cell { column, value } = &c.source else { panic!("not a cell") };
            assert!(o.companies[0].attributes.iter().any(|a| &a.column == column && &a.value == value));
        }
        let ranked = contacts(&brief_with(&["VP Engineering"]), &o.companies[0]);
        assert_eq!(ranked[0].name, "Ed Roe");
    }
}
