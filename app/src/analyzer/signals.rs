//! Buy signals: funding, hiring and technology facts from the row and the fetched
//! pages, each citing its cell or URL. Returned strongest first (see [`strength`]).

use super::text::{self, DateParts, Money};
use super::{Brief, Cell, Company, Field, Page, Signal, SignalKind, Source, Today};

/// Funding older than this many months is not a signal, unless the brief asks for a
/// different window (`Brief::funding`).
pub const DEFAULT_FUNDING_WINDOW_MONTHS: u32 = 24;

/// At most this many page-based signals of each kind.
const MAX_PAGE_SIGNALS: usize = 3;

/// The company's buy signals, strongest first.
pub fn signals(brief: &Brief, company: &Company, pages: &[Page], today: Today) -> Vec<Signal> {
    let mut out = Vec::new();
    let window = brief.funding.map_or(DEFAULT_FUNDING_WINDOW_MONTHS, |f| f.months);
    out.extend(funding_signal(company, window, today));
    out.extend(hiring_signals(&brief.hiring_roles, company, pages));
    out.extend(technology_signals(&brief.tools, company, pages));
    let mut ranked: Vec<(u8, Signal)> = out.into_iter().map(|s| (strength(&s), s)).collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, s)| s).collect()
}

/// Rank of a signal, 0 = strongest: dated funding, hiring for a named role, technology
/// from the row, undated funding, hiring without roles, technology seen on a page,
/// anything else. Works on signals from any provider.
pub(crate) fn strength(s: &Signal) -> u8 {
    match (s.kind, &s.source) {
        (SignalKind::Funding, _) if s.date.as_deref().is_some_and(|d| text::parse_date(d).is_some()) => 0,
        (SignalKind::Hiring, _) if s.summary.starts_with("Hiring for ") => 1,
        (SignalKind::Technology, Source::Cell { .. }) => 2,
        (SignalKind::Funding, _) => 3,
        (SignalKind::Hiring, _) => 4,
        (SignalKind::Technology, Source::Url { .. }) => 5,
    }
}

fn source(cell: &Cell) -> Source {
    Source::Cell { column: cell.column.clone(), value: cell.value.clone() }
}

/// A mapped cell with a real value.
fn present(company: &Company, field: Field) -> Option<&Cell> {
    company.field(field).filter(|c| !c.value.trim().is_empty() && !text::is_none_like(&c.value))
}

fn funding_signal(company: &Company, window: u32, today: Today) -> Option<Signal> {
    let amount = present(company, Field::LatestFundingAmount);
    let round = present(company, Field::LatestFundingRound);
    let date_cell = present(company, Field::LatestFundingDate);
    let total = present(company, Field::TotalFunding);
    let date: Option<DateParts> = date_cell.and_then(|c| text::parse_date(&c.value));
    if date.is_some_and(|d| d.months_ago(today) > i64::from(window)) {
        return None; // known to be older than the window
    }
    let money_of = |c: Option<&Cell>| c.map(|c| text::parse_money(&c.value)).unwrap_or_default();
    let latest_money = money_of(amount);
    let round_text = round.map(|c| text::truncate(&c.value, 40));

    let (primary, what, is_total) = if !latest_money.is_empty() || round_text.is_some() {
        let what = match latest_money.first() {
            Some(m) => m.phrase(),
            None => "a round".to_string(),
        };
        let primary = if latest_money.is_empty() { round } else { amount };
        (primary?, what, false)
    } else {
        let totals = money_of(total);
        if totals.is_empty() {
            return None;
        }
        let phrases: Vec<String> = totals.iter().map(Money::phrase).collect();
        let what =
            if totals.len() == 1 { format!("{} in total", phrases[0]) } else { text::join_list(&phrases) };
        (total?, what, true)
    };

    let mut details: Vec<String> = Vec::new();
    if !is_total && let Some(r) = &round_text {
        details.push(r.clone());
    }
    let date_field = match (date, date_cell) {
        (Some(d), _) => {
            details.push(d.human());
            Some(d.iso())
        }
        (None, Some(c)) => {
            details.push(format!("date given as \"{}\"", text::truncate(&c.value, 30)));
            Some(c.value.trim().to_string())
        }
        (None, None) => {
            details.push("no date given".to_string());
            None
        }
    };
    let summary = format!("Raised {what} ({})", details.join(", "));
    let primary_source = source(primary);
    let drawn_on = if is_total { vec![date_cell] } else { vec![amount, round, date_cell] };
    let also: Vec<Source> =
        drawn_on.into_iter().flatten().map(source).filter(|s| *s != primary_source).collect();
    Some(Signal { kind: SignalKind::Funding, summary, date: date_field, source: primary_source, also })
}

/// Whether a URL looks like a careers or job-listing page.
pub(crate) fn is_careers_url(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    [
        "/career",
        "/jobs",
        "/job/",
        "/join",
        "/hiring",
        "/work-with-us",
        "/workwithus",
        "/openings",
        "/positions",
        "/vacancies",
        "://careers.",
        "://jobs.",
        "greenhouse.io",
        "lever.co",
        "ashbyhq.com",
        "workable.com",
    ]
    .iter()
    .any(|p| u.contains(p))
}

/// The roles (as the user wrote them) that `text` mentions.
pub(crate) fn roles_in(roles: &[String], hay: &str) -> Vec<String> {
    let toks = text::tokens(hay);
    let mut out: Vec<String> = Vec::new();
    for r in roles {
        let r = r.trim();
        if !r.is_empty()
            && text::find_phrase(&toks, &text::stems(r)).is_some()
            && !out.iter().any(|o| o.eq_ignore_ascii_case(r))
        {
            out.push(r.to_string());
        }
    }
    out
}

/// What a hiring cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HiringCell {
    /// "no", "false", "0", "not hiring".
    No,
    /// "yes", "true", "1", "12 open roles": hiring, roles not given.
    Flag,
    /// Anything else, e.g. a list of roles.
    Text,
}

pub(crate) fn hiring_cell(value: &str) -> HiringCell {
    let v = value.trim().to_ascii_lowercase();
    if text::is_none_like(&v) || v.starts_with("not ") || v == "n" {
        return HiringCell::No;
    }
    let flag_words = ["yes", "y", "true", "x", "hiring", "open", "actively hiring", "\u{2713}"];
    let numeric_lead = text::numbers(&v).first().is_some_and(|n| n.start == 0 && n.value > 0.0);
    if flag_words.contains(&v.as_str())
        || numeric_lead
            && v.chars().filter(|c| c.is_alphabetic()).count() <= 20
            && !v.chars().any(|c| c == ',')
    {
        return HiringCell::Flag;
    }
    HiringCell::Text
}

fn hiring_signals(roles: &[String], company: &Company, pages: &[Page]) -> Vec<Signal> {
    let mut out = Vec::new();
    if let Some(cell) = present(company, Field::Hiring) {
        let found = roles_in(roles, &cell.value);
        let summary = match hiring_cell(&cell.value) {
            HiringCell::No => None,
            _ if !found.is_empty() => Some(format!("Hiring for {}", text::join_list(&found))),
            HiringCell::Flag => Some("Hiring".to_string()),
            HiringCell::Text => Some(format!("Hiring: {}", text::truncate(&cell.value, 80))),
        };
        if let Some(summary) = summary {
            out.push(Signal {
                kind: SignalKind::Hiring,
                summary,
                date: None,
                source: source(cell),
                also: Vec::new(),
            });
        }
    }
    let mut seen: Vec<String> = Vec::new();
    let mut page_signals = 0;
    for page in pages.iter().filter(|p| is_careers_url(&p.url)) {
        let found: Vec<String> = roles_in(roles, &page.text)
            .into_iter()
            .filter(|r| !seen.iter().any(|s| s.eq_ignore_ascii_case(r)))
            .collect();
        if found.is_empty() {
            continue;
        }
        seen.extend(found.iter().cloned());
        out.push(Signal {
            kind: SignalKind::Hiring,
            summary: format!("Hiring for {}", text::join_list(&found)),
            date: None,
            source: Source::Url { url: page.url.clone() },
            also: Vec::new(),
        });
        page_signals += 1;
        if page_signals == MAX_PAGE_SIGNALS {
            break;
        }
    }
    out
}

/// The tools (as the user wrote them) that `hay` mentions as whole words.
pub(crate) fn tools_in(tools: &[String], hay: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tools {
        let t = t.trim();
        if text::contains_word(hay, t) && !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_string());
        }
    }
    out
}

fn technology_signals(tools: &[String], company: &Company, pages: &[Page]) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    if let Some(cell) = present(company, Field::Technologies) {
        let found = tools_in(tools, &cell.value);
        if !found.is_empty() {
            out.push(Signal {
                kind: SignalKind::Technology,
                summary: format!("Uses {}", text::join_list(&found)),
                date: None,
                source: source(cell),
                also: Vec::new(),
            });
            seen = found;
        }
    }
    let mut page_signals = 0;
    for page in pages {
        let found: Vec<String> = tools_in(tools, &page.text)
            .into_iter()
            .filter(|t| !seen.iter().any(|s| s.eq_ignore_ascii_case(t)))
            .collect();
        if found.is_empty() {
            continue;
        }
        seen.extend(found.iter().cloned());
        out.push(Signal {
            kind: SignalKind::Technology,
            summary: format!("Website mentions {}", text::join_list(&found)),
            date: None,
            source: Source::Url { url: page.url.clone() },
            also: Vec::new(),
        });
        page_signals += 1;
        if page_signals == MAX_PAGE_SIGNALS {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::FundingPref;
    use super::super::testutil::company;
    use super::*;

    const TODAY: Today = (2024, 6);

    fn cell(column: &str, value: &str) -> Source {
        Source::Cell { column: column.into(), value: value.into() }
    }

    #[test]
    fn no_data_no_signals() {
        let c = company("Acme", &[]);
        assert!(signals(&Brief::default(), &c, &[], TODAY).is_empty());
    }

    #[test]
    fn dated_funding_round() {
        let c = company(
            "Acme",
            &[
                (Field::LatestFundingAmount, "Last Round", "$3,000,000"),
                (Field::LatestFundingRound, "Round", "Series A"),
                (Field::LatestFundingDate, "Round Date", "2024-03-15"),
            ],
        );
        let s = signals(&Brief::default(), &c, &[], TODAY);
        assert_eq!(
            s,
            vec![Signal {
                kind: SignalKind::Funding,
                summary: "Raised $3M (Series A, March 2024)".into(),
                date: Some("2024-03-15".into()),
                source: cell("Last Round", "$3,000,000"),
                also: vec![cell("Round", "Series A"), cell("Round Date", "2024-03-15")],
            }]
        );
    }

    #[test]
    fn old_funding_is_not_a_signal_but_window_is_configurable() {
        let c = company(
            "Acme",
            &[
                (Field::LatestFundingAmount, "Amount", "2.5M"),
                (Field::LatestFundingDate, "Date", "March 2021"),
            ],
        );
        assert!(signals(&Brief::default(), &c, &[], TODAY).is_empty());
        let long = Brief { funding: Some(FundingPref { months: 48 }), ..Brief::default() };
        let s = signals(&long, &c, &[], TODAY);
        assert_eq!(s[0].summary, "Raised 2.5M (March 2021)");
        assert_eq!(s[0].date.as_deref(), Some("2021-03"));
    }

    #[test]
    fn undated_total_funding_says_so() {
        let c = company(
            "Curebit",
            &[(
                Field::TotalFunding,
                "Amounts raised in different funding rounds",
                "$1200000, undisclosed amount",
            )],
        );
        let s = signals(&Brief::default(), &c, &[], TODAY);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].summary, "Raised $1.2M and an undisclosed amount (no date given)");
        assert_eq!(s[0].date, None);
        assert_eq!(s[0].source.key(), "csv:Amounts raised in different funding rounds");
    }

    #[test]
    fn hiring_from_cell_and_careers_page() {
        let brief = Brief { hiring_roles: vec!["Backend Engineer".into(), "SRE".into()], ..Brief::default() };
        let c = company("Acme", &[(Field::Hiring, "Hiring?", "Yes")]);
        let pages = vec![
            Page { url: "https://acme.io/about".into(), text: "We are hiring backend engineers!".into() },
            Page {
                url: "https://acme.io/careers".into(),
                text: "Open positions: Senior Backend Engineers (remote), Designer".into(),
            },
        ];
        let s = signals(&brief, &c, &pages, TODAY);
        let got: Vec<(&str, String)> = s.iter().map(|s| (s.summary.as_str(), s.source.key())).collect();
        assert_eq!(
            got,
            vec![
                ("Hiring for Backend Engineer", "https://acme.io/careers".to_string()),
                ("Hiring", "csv:Hiring?".to_string()),
            ]
        );
        let no = company("Acme", &[(Field::Hiring, "Hiring?", "No")]);
        assert!(signals(&brief, &no, &[], TODAY).is_empty());
    }

    #[test]
    fn technology_from_cell_and_pages() {
        let brief =
            Brief { tools: vec!["Kubernetes".into(), "Terraform".into(), "Go".into()], ..Brief::default() };
        let c = company("Acme", &[(Field::Technologies, "Tech Stack", "AWS, Kubernetes, React")]);
        let pages = vec![Page {
            url: "https://acme.io/blog".into(),
            text: "How we manage Kubernetes with Terraform. Let's go!".into(),
        }];
        let s = signals(&brief, &c, &pages, TODAY);
        let got: Vec<(&str, String)> = s.iter().map(|s| (s.summary.as_str(), s.source.key())).collect();
        assert_eq!(
            got,
            vec![
                ("Uses Kubernetes", "csv:Tech Stack".to_string()),
                ("Website mentions Terraform", "https://acme.io/blog".to_string()),
            ]
        );
    }

    #[test]
    fn hiring_cell_kinds() {
        assert_eq!(hiring_cell("TRUE"), HiringCell::Flag);
        assert_eq!(hiring_cell("12 open roles"), HiringCell::Flag);
        assert_eq!(hiring_cell("not hiring"), HiringCell::No);
        assert_eq!(hiring_cell("0"), HiringCell::No);
        assert_eq!(hiring_cell("Designer, Sales Manager"), HiringCell::Text);
    }
}
