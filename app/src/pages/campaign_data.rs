//! How the campaign page's data travels from the server render to the browser.
//!
//! The page ships every lead row for sorting and filtering in the browser (10,000 rows),
//! and Leptos escapes the serialized data character by character into the page. Rows go
//! as JSON arrays instead of objects: no repeated keys, a third of the characters, so the
//! render does a third of that work. The `get_campaign` server function (what the page
//! fetches after an action) keeps the plain object form.

use leptos::server::codee::{Decoder, Encoder};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::{CampaignDetail, CompanyRow};

/// The campaign page resource's codec (see the module docs).
pub struct PageCodec;

type Page = Result<CampaignDetail, AppError>;

/// One row as an array, in field order.
type RowArray = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<u8>,
    Option<String>,
    u32,
    u32,
    u32,
    u32,
    Option<String>,
    i64,
);

#[derive(Serialize)]
enum Out<'a> {
    Ok(Head<'a>, Vec<RowRef<'a>>),
    Err(&'a AppError),
}

#[derive(Deserialize)]
enum In {
    Ok(Box<CampaignDetail>, Vec<RowArray>),
    Err(AppError),
}

/// Serializes a row as [`RowArray`] without copying it.
struct RowRef<'a>(&'a CompanyRow);

impl Serialize for RowRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        (
            r.id,
            &r.name,
            &r.domain,
            &r.website_status,
            &r.website_note,
            &r.status,
            r.score,
            &r.summary,
            r.funding,
            r.hiring,
            r.technology,
            r.contacts,
            &r.error,
            r.cost_micros,
        )
            .serialize(s)
    }
}

fn row(a: RowArray) -> CompanyRow {
    let (id, name, domain, website_status, website_note, status, score, summary) =
        (a.0, a.1, a.2, a.3, a.4, a.5, a.6, a.7);
    let (funding, hiring, technology, contacts, error, cost_micros) = (a.8, a.9, a.10, a.11, a.12, a.13);
    CompanyRow {
        id,
        name,
        domain,
        website_status,
        website_note,
        status,
        score,
        summary,
        funding,
        hiring,
        technology,
        contacts,
        error,
        cost_micros,
    }
}

/// The detail without its rows (they follow as arrays). Serializing `companies: []`
/// keeps the head's shape identical to `CampaignDetail`'s.
struct Head<'a>(&'a CampaignDetail);

impl Serialize for Head<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = self.0;
        let mut st = s.serialize_struct("CampaignDetail", 11)?;
        st.serialize_field("id", &d.id)?;
        st.serialize_field("input", &d.input)?;
        st.serialize_field("profile_name", &d.profile_name)?;
        st.serialize_field("status", &d.status)?;
        st.serialize_field("status_reason", &d.status_reason)?;
        st.serialize_field("created", &d.created)?;
        st.serialize_field("companies", &[] as &[CompanyRow])?;
        st.serialize_field("company_limit", &d.company_limit)?;
        st.serialize_field("last_event_id", &d.last_event_id)?;
        st.serialize_field("import_notes", &d.import_notes)?;
        st.serialize_field("spend", &d.spend)?;
        st.end()
    }
}

impl Encoder<Page> for PageCodec {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &Page) -> Result<String, serde_json::Error> {
        serde_json::to_string(&match val {
            Ok(d) => Out::Ok(Head(d), d.companies.iter().map(RowRef).collect()),
            Err(e) => Out::Err(e),
        })
    }
}

impl Decoder<Page> for PageCodec {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<Page, serde_json::Error> {
        Ok(match serde_json::from_str::<In>(val)? {
            In::Ok(mut d, rows) => {
                d.companies = rows.into_iter().map(row).collect();
                Ok(*d)
            }
            In::Err(e) => Err(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CampaignInput, Spend};

    fn detail() -> CampaignDetail {
        CampaignDetail {
            id: uuid::Uuid::nil(),
            input: CampaignInput { name: "YC".into(), icp: "B2B \"dev\" tools".into(), ..Default::default() },
            profile_name: Some("Acme".into()),
            status: "running".into(),
            status_reason: None,
            created: "Dec 4, 2026".into(),
            companies: vec![
                CompanyRow {
                    id: 7,
                    name: "Stripe".into(),
                    domain: Some("stripe.com".into()),
                    website_status: "domain".into(),
                    status: "done".into(),
                    score: Some(88),
                    summary: Some("Fits: \"payments\" <API>".into()),
                    funding: 1,
                    cost_micros: 1234,
                    ..Default::default()
                },
                CompanyRow { id: 8, name: "Nameless".into(), status: "queued".into(), ..Default::default() },
            ],
            company_limit: 1000,
            last_event_id: 42,
            import_notes: vec!["2 merged".into()],
            spend: Spend::default(),
        }
    }

    #[test]
    fn rows_travel_as_arrays_and_come_back_the_same() {
        let page: Page = Ok(detail());
        let text = PageCodec::encode(&page).unwrap();
        assert!(text.contains(r#"[7,"Stripe","stripe.com","domain",null,"done",88,"Fits: \"payments\" <API>",1,0,0,0,null,1234]"#), "{text}");
        assert!(!text.contains("\"website_status\""), "rows carry no keys: {text}");
        assert_eq!(PageCodec::decode(&text).unwrap(), page);
        // Shorter than the plain form by far.
        let plain = serde_json::to_string(&page).unwrap();
        assert!(text.len() < plain.len() * 3 / 4, "{} vs {}", text.len(), plain.len());
    }

    #[test]
    fn errors_round_trip() {
        let page: Page = Err(AppError::NotFound);
        assert_eq!(PageCodec::decode(&PageCodec::encode(&page).unwrap()).unwrap(), page);
    }
}
