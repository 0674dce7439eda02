//! Automatic mapping of column names onto [`Field`]s: exact names, then aliases from
//! common exports (Apollo, HubSpot, Salesforce, Clay, Crunchbase, the YC and S&P lists).
//! Names are compared whole after dropping case, spaces and punctuation — never by
//! substring, so "Person Linkedin Url" is not the company's LinkedIn and
//! "Crunchbase / Angel List Profile" is not the website.

use std::collections::HashSet;

use super::types::Field;
use Field::*;

/// Every field, in the order a mapping UI lists them.
pub const ALL_FIELDS: [Field; 21] = [
    CompanyName,
    Website,
    CompanyLinkedin,
    Description,
    Industry,
    Employees,
    Location,
    Country,
    FoundedYear,
    Technologies,
    TotalFunding,
    LatestFundingAmount,
    LatestFundingRound,
    LatestFundingDate,
    Hiring,
    PersonName,
    PersonFirstName,
    PersonLastName,
    PersonTitle,
    PersonEmail,
    PersonLinkedin,
];

/// The name a person sees for a field (also its exact, rank-0 header name).
pub fn field_label(field: Field) -> &'static str {
    match field {
        CompanyName => "Company Name",
        Website => "Website",
        CompanyLinkedin => "Company LinkedIn",
        Description => "Description",
        Industry => "Industry",
        Employees => "Employees",
        Location => "Location",
        Country => "Country",
        FoundedYear => "Founded Year",
        Technologies => "Technologies",
        TotalFunding => "Total Funding",
        LatestFundingAmount => "Latest Funding Amount",
        LatestFundingRound => "Latest Funding Round",
        LatestFundingDate => "Latest Funding Date",
        Hiring => "Hiring",
        PersonName => "Person Name",
        PersonFirstName => "First Name",
        PersonLastName => "Last Name",
        PersonTitle => "Title",
        PersonEmail => "Email",
        PersonLinkedin => "Person LinkedIn",
    }
}

/// How a normalized header name maps: lower rank wins; a `secondary` column may share a
/// field another column already has (it is then a fallback: the first non-empty value
/// in column order is used).
struct Alias {
    key: &'static str,
    field: Field,
    rank: u8,
    secondary: bool,
}

const fn a(key: &'static str, field: Field, rank: u8) -> Alias {
    Alias { key, field, rank, secondary: false }
}
const fn fallback(key: &'static str, field: Field, rank: u8) -> Alias {
    Alias { key, field, rank, secondary: true }
}

/// Keys are header names lowercased with everything but letters and digits removed.
/// Rank 0: the field's own name or a company-specific name; 1: a known export's name;
/// 2: a generic word; 3: a last resort.
static ALIASES: &[Alias] = &[
    // Company name
    a("companyname", CompanyName, 0),
    a("company", CompanyName, 1),          // Apollo, YC
    a("accountname", CompanyName, 1),      // Salesforce
    a("organizationname", CompanyName, 1), // Crunchbase
    a("organisationname", CompanyName, 1),
    a("organization", CompanyName, 1),
    a("businessname", CompanyName, 1),
    a("security", CompanyName, 1), // S&P 500 list
    a("name", CompanyName, 2),     // Clay
    a("account", CompanyName, 2),
    a("companynameforemails", CompanyName, 3), // Apollo: only when nothing else names it
    // Website
    a("website", Website, 0),
    a("companywebsite", Website, 0),
    // Exports that carry both a website and a domain column: the second fills gaps.
    fallback("websiteurl", Website, 1),        // HubSpot
    fallback("companydomainname", Website, 1), // HubSpot
    fallback("companydomain", Website, 1),     // Clay
    a("domain", Website, 1),                   // Clay
    a("homepage", Website, 1),
    a("homepageurl", Website, 1),
    a("url", Website, 2),
    a("web", Website, 2),
    a("site", Website, 2),
    // Company LinkedIn
    a("companylinkedin", CompanyLinkedin, 0),
    a("companylinkedinurl", CompanyLinkedin, 0),  // Apollo
    a("linkedincompanypage", CompanyLinkedin, 1), // HubSpot
    a("companylinkedinpage", CompanyLinkedin, 1),
    a("linkedinurl", CompanyLinkedin, 2), // Clay company tables
    a("linkedin", CompanyLinkedin, 2),
    // Description
    a("description", Description, 0),
    a("companydescription", Description, 0),
    a("shortdescription", Description, 1),
    a("about", Description, 2),
    a("seodescription", Description, 3),
    // Industry
    a("industry", Industry, 0),
    a("industries", Industry, 1), // Crunchbase
    a("categories", Industry, 1), // YC
    a("gicssector", Industry, 1), // S&P
    fallback("gicssubindustry", Industry, 2),
    a("sector", Industry, 2),
    a("category", Industry, 2),
    a("vertical", Industry, 2),
    // Employees
    a("employees", Employees, 0),         // also Apollo "# Employees", Salesforce
    a("numberofemployees", Employees, 1), // HubSpot, Crunchbase
    a("employeecount", Employees, 1),
    a("companysize", Employees, 1),
    a("headcount", Employees, 1),
    a("size", Employees, 2), // Clay
    // Location
    a("location", Location, 0),
    a("companylocation", Location, 0),
    a("headquarterslocation", Location, 1), // Crunchbase, S&P
    a("hqlocation", Location, 1),
    a("headquarters", Location, 1),
    a("mappinglocation", Location, 1),         // YC
    a("companycity", Location, 1),             // Apollo
    fallback("headquarterscity", Location, 2), // YC
    fallback("companystate", Location, 2),     // Apollo
    a("city", Location, 2),                    // HubSpot
    a("billingcity", Location, 2),
    // Country
    a("companycountry", Country, 0), // Apollo (plain "Country" there is the person's)
    a("country", Country, 1),
    a("countryregion", Country, 1),       // HubSpot
    a("billingcountry", Country, 1),      // Salesforce
    a("headquarterscountry", Country, 1), // YC
    a("hqcountry", Country, 1),
    // Founded
    a("foundedyear", FoundedYear, 0),
    a("yearfounded", FoundedYear, 1), // YC
    a("founded", FoundedYear, 1),     // S&P
    a("foundeddate", FoundedYear, 1), // Crunchbase
    a("foundingyear", FoundedYear, 1),
    a("foundedon", FoundedYear, 1),
    // Technologies
    a("technologies", Technologies, 0), // Apollo
    a("techstack", Technologies, 1),
    a("technology", Technologies, 1),
    // Funding
    a("totalfunding", TotalFunding, 0),       // Apollo
    a("totalfundingamount", TotalFunding, 1), // Crunchbase
    a("totalfundingamountusd", TotalFunding, 1),
    a("totalraised", TotalFunding, 1),
    a("fundingtotal", TotalFunding, 1),
    a("amountsraisedindifferentfundingrounds", TotalFunding, 1), // YC
    a("latestfundingamount", LatestFundingAmount, 0),            // Apollo
    a("lastfundingamount", LatestFundingAmount, 1),              // Crunchbase
    a("lastfundingamountusd", LatestFundingAmount, 1),
    a("latestfundinground", LatestFundingRound, 0),
    a("latestfunding", LatestFundingRound, 1), // Apollo ("Series A")
    a("lastfundingtype", LatestFundingRound, 1), // Crunchbase
    a("latestfundingtype", LatestFundingRound, 1),
    a("lastfundinground", LatestFundingRound, 1),
    a("fundingstage", LatestFundingRound, 2),
    a("latestfundingdate", LatestFundingDate, 0),
    a("lastraisedat", LatestFundingDate, 1),    // Apollo
    a("lastfundingdate", LatestFundingDate, 1), // Crunchbase
    // Hiring
    a("hiring", Hiring, 0),
    a("ishiring", Hiring, 1),
    a("openjobs", Hiring, 1),
    a("jobopenings", Hiring, 1),
    // People (Apollo)
    a("personname", PersonName, 0),
    a("fullname", PersonName, 1),
    a("contactname", PersonName, 1),
    a("name", PersonName, 3), // "Name" next to "Company" is a person
    a("firstname", PersonFirstName, 0),
    a("lastname", PersonLastName, 0),
    a("title", PersonTitle, 0),
    a("jobtitle", PersonTitle, 1),
    a("persontitle", PersonTitle, 1),
    a("email", PersonEmail, 0),
    a("emailaddress", PersonEmail, 1),
    a("workemail", PersonEmail, 1),
    a("personemail", PersonEmail, 1),
    a("personlinkedin", PersonLinkedin, 0),
    a("personlinkedinurl", PersonLinkedin, 0), // Apollo
    a("contactlinkedinurl", PersonLinkedin, 1),
];

/// `"# Employees"` → `"employees"`, `"Country/Region"` → `"countryregion"`.
pub(crate) fn header_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// For a renamed duplicate (`Website (2)` after a `Website`), the name it repeats.
fn base_name<'a>(name: &'a str, earlier: &HashSet<String>) -> &'a str {
    if let Some((s, i)) = name.strip_suffix(')').and_then(|s| s.rfind(" (").map(|i| (s, i))) {
        let num = &s[i + 2..];
        let base = &s[..i];
        if !num.is_empty()
            && num.bytes().all(|b| b.is_ascii_digit())
            && earlier.contains(&base.to_lowercase())
        {
            return base;
        }
    }
    name
}

/// The automatic mapping, one entry per header.
///
/// Candidates are taken best rank first (then leftmost column). A field goes to at most
/// one column, except that (a) columns with the same name (`Website`, `Website (2)`)
/// share it and (b) a few known fallback columns (`GICS Sub-Industry`,
/// `Headquarters (City)`, `Company State`, `Company Domain Name`, `Website URL`) join
/// the column that has it. A column whose
/// first candidate is taken may get its next one ("Name" next to "Company" becomes the
/// person's name). Unknown headers map to `None`.
pub fn auto_map(headers: &[String]) -> Vec<Option<Field>> {
    let mut seen: HashSet<String> = HashSet::with_capacity(headers.len());
    let keys: Vec<String> = headers
        .iter()
        .map(|h| {
            let key = header_key(base_name(h, &seen));
            seen.insert(h.to_lowercase());
            key
        })
        .collect();
    let mut cands: Vec<(u8, usize, &Alias)> = Vec::new();
    for (col, key) in keys.iter().enumerate() {
        for alias in ALIASES.iter().filter(|al| al.key == key) {
            cands.push((alias.rank, col, alias));
        }
    }
    cands.sort_by_key(|&(rank, col, _)| (rank, col));
    let mut out: Vec<Option<Field>> = vec![None; headers.len()];
    let mut owner: Vec<(Field, usize)> = Vec::new();
    for (_, col, alias) in cands {
        if out[col].is_some() {
            continue;
        }
        match owner.iter().find(|(f, _)| *f == alias.field) {
            None => {
                owner.push((alias.field, col));
                out[col] = Some(alias.field);
            }
            Some(&(_, first)) => {
                if keys[first] == keys[col] || alias.secondary {
                    out[col] = Some(alias.field);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
