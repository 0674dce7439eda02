use super::*;

fn map(h: &[&str]) -> Vec<Option<Field>> {
    auto_map(&h.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[test]
fn apollo_people_export() {
    let h = [
        "First Name",
        "Last Name",
        "Title",
        "Company",
        "Company Name for Emails",
        "Email",
        "Person Linkedin Url",
        "Website",
        "Company Linkedin Url",
        "# Employees",
        "Industry",
        "City",
        "State",
        "Country",
        "Company City",
        "Company State",
        "Company Country",
        "Technologies",
        "Total Funding",
        "Latest Funding",
        "Latest Funding Amount",
        "Last Raised At",
        "Keywords",
    ];
    assert_eq!(
        map(&h),
        vec![
            Some(PersonFirstName),
            Some(PersonLastName),
            Some(PersonTitle),
            Some(CompanyName),
            None,
            Some(PersonEmail),
            Some(PersonLinkedin),
            Some(Website),
            Some(CompanyLinkedin),
            Some(Employees),
            Some(Industry),
            None,
            None,
            None,
            Some(Location),
            Some(Location),
            Some(Country),
            Some(Technologies),
            Some(TotalFunding),
            Some(LatestFundingRound),
            Some(LatestFundingAmount),
            Some(LatestFundingDate),
            None,
        ]
    );
}

#[test]
fn company_name_for_emails_is_only_a_fallback() {
    assert_eq!(map(&["Company Name for Emails", "Website"]), vec![Some(CompanyName), Some(Website)]);
    assert_eq!(map(&["Company Name for Emails", "Company"]), vec![None, Some(CompanyName)]);
}

#[test]
fn no_substring_matches() {
    assert_eq!(
        map(&[
            "Crunchbase / Angel List Profile",
            "Person Linkedin Url",
            "Company Name Alias",
            "Websites visited"
        ]),
        vec![None, Some(PersonLinkedin), None, None]
    );
}

#[test]
fn hubspot_salesforce_clay_crunchbase() {
    assert_eq!(
        map(&[
            "Company name",
            "Company Domain Name",
            "Website URL",
            "Number of Employees",
            "Industry",
            "Country/Region",
            "City",
            "Description",
            "LinkedIn Company Page"
        ]),
        vec![
            Some(CompanyName),
            Some(Website),
            Some(Website), // a fallback when the domain is empty
            Some(Employees),
            Some(Industry),
            Some(Country),
            Some(Location),
            Some(Description),
            Some(CompanyLinkedin)
        ]
    );
    assert_eq!(
        map(&["Account Name", "Website", "Industry", "Employees", "Billing Country", "Description"]),
        vec![
            Some(CompanyName),
            Some(Website),
            Some(Industry),
            Some(Employees),
            Some(Country),
            Some(Description)
        ]
    );
    assert_eq!(
        map(&["Name", "Domain", "LinkedIn URL", "Size"]),
        vec![Some(CompanyName), Some(Website), Some(CompanyLinkedin), Some(Employees)]
    );
    assert_eq!(map(&["Name", "Company Domain"]), vec![Some(CompanyName), Some(Website)]);
    assert_eq!(
        map(&[
            "Organization Name",
            "Website",
            "Industries",
            "Number of Employees",
            "Headquarters Location",
            "Total Funding Amount",
            "Last Funding Type",
            "Last Funding Date",
            "Last Funding Amount",
            "Founded Date"
        ]),
        vec![
            Some(CompanyName),
            Some(Website),
            Some(Industry),
            Some(Employees),
            Some(Location),
            Some(TotalFunding),
            Some(LatestFundingRound),
            Some(LatestFundingDate),
            Some(LatestFundingAmount),
            Some(FoundedYear)
        ]
    );
}

#[test]
fn a_second_website_column_is_a_fallback() {
    assert_eq!(
        map(&["Company", "Website", "Company Domain Name"]),
        vec![Some(CompanyName), Some(Website), Some(Website)]
    );
    assert_eq!(map(&["Company Domain Name", "Website"]), vec![Some(Website), Some(Website)]);
    assert_eq!(map(&["Website URL"]), vec![Some(Website)]);
}

#[test]
fn hiring_and_people_names() {
    assert_eq!(
        map(&["Company", "Name", "Is Hiring"]),
        vec![Some(CompanyName), Some(PersonName), Some(Hiring)]
    );
    assert_eq!(map(&["Open Jobs", "Hiring"]), vec![None, Some(Hiring)]);
}

#[test]
fn duplicates_share_but_others_do_not() {
    assert_eq!(
        map(&["Website", "Domain", "Website (2)", "URL"]),
        vec![Some(Website), None, Some(Website), None]
    );
    // "(2)" on a name that does not repeat an earlier header is just a name.
    assert_eq!(map(&["Website (2)"]), vec![None]);
    assert_eq!(header_key(" # Employees "), "employees");
}
