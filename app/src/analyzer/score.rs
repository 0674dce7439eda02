//! Scoring one company against a rubric.
//!
//! Each criterion gets a verdict from the mapped cells (and the fetched pages' text),
//! with a one-sentence reason quoting the data and the cells/URLs it rests on.
//!
//! The score, as shown to users ("unknown criteria count as half"):
//!
//! ```text
//! W = total weight of all criteria
//! M = weight of the Match criteria, P = of the Partial ones, U = of the Unknown ones
//! score = round(100 * (M + P/2 + U/2) / W)            (50 when there are no criteria)
//! ```
//!
//! Equivalently: the fit among the criteria that could be checked, `raw = (M + P/2) / K`
//! with `K = W - U`, pulled toward the middle (50) in proportion to what is unknown:
//! `score = 50 + (100 * raw - 50) * K / W`. So a company that matches the one small
//! criterion we could check scores only a little above 50, and with nothing known the
//! score is exactly 50. `known_weight_share` is `K / W`.

use super::contacts::{TitleFit, best_fit, row_contacts};
use super::rubric::{Rubric, RubricCriterion, Rule, TermGroup, countries_in, founded_bounds};
use super::signals::{HiringCell, hiring_cell, is_careers_url, roles_in, tools_in};
use super::text::{self, Token};
use super::{Assessment, Cell, Company, Criterion, Field, Page, Source, Today, Verdict};

/// A fetched page with its words, tokenized once per assessment.
struct PageText<'a> {
    url: &'a str,
    text: &'a str,
    toks: Vec<Token>,
}

/// Verdict, reason and evidence of one criterion.
struct Outcome {
    verdict: Verdict,
    reason: String,
    evidence: Vec<Source>,
}

impl Outcome {
    fn new(verdict: Verdict, reason: impl Into<String>, evidence: Vec<Source>) -> Self {
        Outcome { verdict, reason: reason.into(), evidence }
    }

    fn unknown(reason: impl Into<String>) -> Self {
        Outcome::new(Verdict::Unknown, reason, Vec::new())
    }
}

/// Scores `company` against `rubric`. `pages` are the fetched pages (may be empty);
/// `today` is `(year, month)`.
pub fn assess(rubric: &Rubric, company: &Company, pages: &[Page], today: Today) -> Assessment {
    let pages: Vec<PageText> = pages
        .iter()
        .filter(|p| !p.text.trim().is_empty())
        .map(|p| PageText { url: &p.url, text: &p.text, toks: text::tokens(&p.text) })
        .collect();
    let criteria: Vec<Criterion> = rubric
        .criteria
        .iter()
        .map(|c| {
            let o = evaluate(c, company, &pages, today);
            Criterion {
                id: c.id.clone(),
                label: c.label.clone(),
                weight: c.weight,
                verdict: o.verdict,
                reason: o.reason,
                evidence: o.evidence,
            }
        })
        .collect();
    let (score, known_weight_share) = score(&criteria);
    let summary = summarize(score, &criteria);
    Assessment { score, criteria, summary, known_weight_share }
}

/// The formula in the module docs, in integer half-units so it is exact.
pub(crate) fn score(criteria: &[Criterion]) -> (u8, f32) {
    let total: u32 = criteria.iter().map(|c| u32::from(c.weight)).sum();
    if total == 0 {
        return (50, 0.0);
    }
    let weight_of =
        |v: Verdict| -> u32 { criteria.iter().filter(|c| c.verdict == v).map(|c| u32::from(c.weight)).sum() };
    let (m, p, u) = (weight_of(Verdict::Match), weight_of(Verdict::Partial), weight_of(Verdict::Unknown));
    let halves = 2 * m + p + u; // out of 2 * total
    let score = (100 * halves + total) / (2 * total); // rounds halves up
    let known = (total - u) as f32 / total as f32;
    (score.min(100) as u8, known)
}

fn summarize(score: u8, criteria: &[Criterion]) -> String {
    if criteria.is_empty() {
        return "No criteria yet: describe who you sell to in the brief.".to_string();
    }
    let of = |v: Verdict| -> Vec<&Criterion> { criteria.iter().filter(|c| c.verdict == v).collect() };
    let unknown = of(Verdict::Unknown).len();
    if unknown == criteria.len() {
        return format!(
            "Not enough data to judge fit: none of the {} criteria could be checked.",
            criteria.len()
        );
    }
    let list = |cs: Vec<&Criterion>| -> String {
        let mut cs = cs;
        cs.sort_by_key(|c| std::cmp::Reverse(c.weight)); // stable: keeps rubric order
        let mut labels: Vec<String> = cs.iter().take(2).map(|c| text::lc_first(&c.label)).collect();
        if cs.len() > 2 {
            labels.push(format!("{} more", cs.len() - 2));
        }
        text::join_list(&labels)
    };
    let band = if score >= 70 {
        "Strong fit"
    } else if score >= 45 {
        "Possible fit"
    } else {
        "Weak fit"
    };
    let mut parts = Vec::new();
    for (verdict, word) in [(Verdict::Match, "matches"), (Verdict::Partial, "partly"), (Verdict::No, "not")] {
        let cs = of(verdict);
        if !cs.is_empty() {
            parts.push(format!("{word} {}", list(cs)));
        }
    }
    if unknown > 0 {
        parts.push(format!("{unknown} unknown"));
    }
    format!("{band} ({score}/100): {}.", parts.join("; "))
}

fn evaluate(c: &RubricCriterion, company: &Company, pages: &[PageText], today: Today) -> Outcome {
    match &c.rule {
        Rule::Terms { groups } => terms(&c.label, groups, company, pages),
        Rule::Size { min, max } => size(&c.label, *min, *max, company),
        Rule::Geography { countries } => geography(&c.label, countries, company),
        Rule::Founded { .. } => founded(&c.label, founded_bounds(&c.rule, today), company),
        Rule::Tools { tools } => tools_used(tools, company, pages),
        Rule::FundingRecency { months } => funding(*months, company, today),
        Rule::Hiring { roles } => hiring(roles, company, pages),
        Rule::Personas { titles } => personas(titles, company),
    }
}

/// A mapped cell with a real value.
fn present(company: &Company, field: Field) -> Option<&Cell> {
    company.field(field).filter(|c| !c.value.trim().is_empty() && !text::is_none_like(&c.value))
}

fn src(cell: &Cell) -> Source {
    Source::Cell { column: cell.column.clone(), value: cell.value.clone() }
}

fn url(page: &PageText) -> Source {
    Source::Url { url: page.url.to_string() }
}

/// The earliest mention of any group's phrases in `toks`, as written in `text`.
fn first_mention(text_: &str, toks: &[Token], groups: &[TermGroup]) -> Option<String> {
    let mut best: Option<(usize, usize, String)> = None;
    for g in groups {
        for p in &g.phrases {
            if let Some((a, b)) = text::find_phrase(toks, p) {
                let better = best.as_ref().is_none_or(|(ba, bb, _)| a < *ba || (a == *ba && b > *bb));
                if better {
                    best = Some((a, b, text::surface(text_, toks, (a, b)).to_string()));
                }
            }
        }
    }
    best.map(|(_, _, s)| s)
}

/// "Categories does not" / "Categories and Description do not" / "... and the website do not".
fn subjects(cells: &[&Cell], website: bool) -> (String, bool) {
    let mut names: Vec<String> = cells.iter().map(|c| c.column.clone()).collect();
    if website {
        names.push("the website".to_string());
    }
    let plural = names.len() > 1;
    (text::join_list(&names), plural)
}

fn terms(label: &str, groups: &[TermGroup], company: &Company, pages: &[PageText]) -> Outcome {
    let industry = present(company, Field::Industry);
    let description = present(company, Field::Description);
    let mention = |c: &Cell| first_mention(&c.value, &text::tokens(&c.value), groups);

    if let Some(ind) = industry
        && let Some(s) = mention(ind)
    {
        return Outcome::new(Verdict::Match, format!("{} mentions \"{s}\"", ind.column), vec![src(ind)]);
    }
    if let Some(desc) = description
        && let Some(s) = mention(desc)
    {
        return match industry {
            Some(ind) => Outcome::new(
                Verdict::Partial,
                format!("{} does not mention {label}, but {} mentions \"{s}\"", ind.column, desc.column),
                vec![src(ind), src(desc)],
            ),
            None => {
                Outcome::new(Verdict::Match, format!("{} mentions \"{s}\"", desc.column), vec![src(desc)])
            }
        };
    }
    let checked: Vec<&Cell> = [industry, description].into_iter().flatten().collect();
    for page in pages {
        if let Some(s) = first_mention(page.text, &page.toks, groups) {
            let mut evidence: Vec<Source> = checked.iter().map(|c| src(c)).collect();
            evidence.push(url(page));
            let reason = if checked.is_empty() {
                format!("Only the website mentions \"{s}\" ({})", page.url)
            } else {
                let (who, plural) = subjects(&checked, false);
                format!(
                    "{who} {} not mention {label}, but the website does: \"{s}\" ({})",
                    if plural { "do" } else { "does" },
                    page.url
                )
            };
            return Outcome::new(Verdict::Partial, reason, evidence);
        }
    }
    if checked.is_empty() && pages.is_empty() {
        return Outcome::unknown("No category, description or website text to check");
    }
    let (who, plural) = subjects(&checked, !pages.is_empty());
    let mut evidence: Vec<Source> = checked.iter().map(|c| src(c)).collect();
    evidence.extend(pages.iter().map(url));
    Outcome::new(
        Verdict::No,
        format!("{who} {} not mention {label}", if plural { "do" } else { "does" }),
        evidence,
    )
}

fn size(label: &str, min: Option<u64>, max: Option<u64>, company: &Company) -> Outcome {
    let Some(cell) = present(company, Field::Employees) else {
        return Outcome::unknown("No employee count in the row");
    };
    let Some((lo, hi)) = text::parse_headcount(&cell.value) else {
        return Outcome::unknown(format!(
            "{} \"{}\" is not a headcount",
            cell.column,
            text::truncate(&cell.value, 40)
        ));
    };
    let inside = |n: u64| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
    let fully = inside(lo) && hi.map_or(max.is_none(), inside);
    let overlaps = max.is_none_or(|m| lo <= m) && hi.is_none_or(|h| min.is_none_or(|m| h >= m));
    let (verdict, how) = if fully {
        (Verdict::Match, "which fits")
    } else if overlaps {
        (Verdict::Partial, "which partly fits")
    } else {
        (Verdict::No, "which does not fit")
    };
    Outcome::new(
        verdict,
        format!("{} is {}, {how} \"{label}\"", cell.column, cell.value.trim()),
        vec![src(cell)],
    )
}

fn geography(label: &str, wanted: &[String], company: &Company) -> Outcome {
    let country = present(company, Field::Country);
    let location = present(company, Field::Location);
    if country.is_none() && location.is_none() {
        return Outcome::unknown("No country or location in the row");
    }
    for cell in [country, location].into_iter().flatten() {
        let found = countries_in(&cell.value);
        if found.is_empty() {
            continue;
        }
        let fits = found.iter().any(|c| wanted.contains(c));
        let (verdict, how) =
            if fits { (Verdict::Match, "which fits") } else { (Verdict::No, "which does not fit") };
        return Outcome::new(
            verdict,
            format!("{} is \"{}\", {how} \"{label}\"", cell.column, cell.value.trim()),
            vec![src(cell)],
        );
    }
    // A country column naming a country we do not know is still not one of the wanted ones.
    if let Some(cell) = country {
        return Outcome::new(
            Verdict::No,
            format!(
                "{} is \"{}\", which does not fit \"{label}\"",
                cell.column,
                text::truncate(&cell.value, 40)
            ),
            vec![src(cell)],
        );
    }
    let loc = location.map_or(String::new(), |c| text::truncate(&c.value, 40));
    Outcome::unknown(format!("Could not tell which country \"{loc}\" is in"))
}

fn founded(label: &str, (from, to): (Option<i32>, Option<i32>), company: &Company) -> Outcome {
    let Some(cell) = present(company, Field::FoundedYear) else {
        return Outcome::unknown("No founding year in the row");
    };
    let Some(year) = text::parse_year(&cell.value) else {
        return Outcome::unknown(format!(
            "{} \"{}\" has no year",
            cell.column,
            text::truncate(&cell.value, 40)
        ));
    };
    let fits = from.is_none_or(|f| year >= f) && to.is_none_or(|t| year <= t);
    let (verdict, how) =
        if fits { (Verdict::Match, "which fits") } else { (Verdict::No, "which does not fit") };
    Outcome::new(verdict, format!("{} is {year}, {how} \"{label}\"", cell.column), vec![src(cell)])
}

fn tools_used(tools: &[String], company: &Company, pages: &[PageText]) -> Outcome {
    let tech = present(company, Field::Technologies);
    if let Some(cell) = tech {
        let found = tools_in(tools, &cell.value);
        if !found.is_empty() {
            return Outcome::new(
                Verdict::Match,
                format!("{} lists {}", cell.column, text::join_list(&found)),
                vec![src(cell)],
            );
        }
    }
    for page in pages {
        let found = tools_in(tools, page.text);
        if !found.is_empty() {
            let mut evidence: Vec<Source> = tech.map(src).into_iter().collect();
            evidence.push(url(page));
            let lead = match tech {
                Some(cell) => format!("{} does not list them, but ", cell.column),
                None => String::new(),
            };
            let reason = format!(
                "{lead}{} mentions {} (a mention, not proof of use)",
                page.url,
                text::join_list(&found)
            );
            return Outcome::new(Verdict::Partial, reason, evidence);
        }
    }
    match tech {
        Some(cell) => Outcome::new(
            Verdict::No,
            format!("{} lists none of {}", cell.column, text::join_list(tools)),
            vec![src(cell)],
        ),
        None => Outcome::unknown("No technology column in the row, and the website does not mention them"),
    }
}

fn funding(months: u32, company: &Company, today: Today) -> Outcome {
    let date = present(company, Field::LatestFundingDate);
    let raw: Vec<&Cell> = [Field::LatestFundingAmount, Field::LatestFundingRound, Field::TotalFunding]
        .into_iter()
        .filter_map(|f| company.field(f))
        .filter(|c| !c.value.trim().is_empty())
        .collect();
    // Cells that show money was raised, with what they show.
    let shown: Vec<(&Cell, String)> = raw
        .iter()
        .filter_map(|c| {
            if text::is_none_like(&c.value) {
                return None;
            }
            let money = text::parse_money(&c.value);
            match money.first() {
                Some(m) => Some((*c, m.phrase())),
                None if company.field(Field::LatestFundingRound) == Some(*c) => {
                    Some((*c, format!("a {} round", text::truncate(&c.value, 30))))
                }
                None => None,
            }
        })
        .collect();
    let shown_sources = || shown.iter().map(|(c, _)| src(c)).collect::<Vec<_>>();
    if let Some(dc) = date {
        return match text::parse_date(&dc.value) {
            Some(d) => {
                let ago = d.months_ago(today);
                if ago <= i64::from(months) {
                    let mut evidence = vec![src(dc)];
                    evidence.extend(shown_sources());
                    Outcome::new(
                        Verdict::Match,
                        format!("{} is {}, within the last {months} months", dc.column, d.human()),
                        evidence,
                    )
                } else {
                    Outcome::new(
                        Verdict::No,
                        format!("{} is {}, {ago} months ago (more than {months})", dc.column, d.human()),
                        vec![src(dc)],
                    )
                }
            }
            None if !shown.is_empty() => {
                let mut evidence = shown_sources();
                evidence.push(src(dc));
                Outcome::new(
                    Verdict::Partial,
                    format!(
                        "{} shows funding ({}), but the date \"{}\" was not understood",
                        shown[0].0.column,
                        shown[0].1,
                        text::truncate(&dc.value, 30)
                    ),
                    evidence,
                )
            }
            None => Outcome::unknown(format!(
                "The funding date \"{}\" was not understood",
                text::truncate(&dc.value, 30)
            )),
        };
    }
    if let Some((cell, what)) = shown.first() {
        return Outcome::new(
            Verdict::Partial,
            format!("{} shows funding ({what}), but there is no date to check how recent", cell.column),
            shown_sources(),
        );
    }
    if let Some(cell) = raw.first() {
        return Outcome::new(
            Verdict::No,
            format!("{} shows no funding (\"{}\")", cell.column, cell.value.trim()),
            raw.iter().map(|c| src(c)).collect(),
        );
    }
    Outcome::unknown("No funding columns in the row")
}

fn hiring(roles: &[String], company: &Company, pages: &[PageText]) -> Outcome {
    let roles_text = text::join_list(roles);
    let mut partial: Option<Outcome> = None;
    let mut no: Vec<(String, Source)> = Vec::new();
    let careers: Vec<&PageText> = pages.iter().filter(|p| is_careers_url(p.url)).collect();
    for page in &careers {
        let found = roles_in(roles, page.text);
        if !found.is_empty() {
            return Outcome::new(
                Verdict::Match,
                format!("{} mentions {}", page.url, text::join_list(&found)),
                vec![url(page)],
            );
        }
    }
    if let Some(cell) = company.field(Field::Hiring).filter(|c| !c.value.trim().is_empty()) {
        let found = roles_in(roles, &cell.value);
        let v = text::truncate(&cell.value, 60);
        match hiring_cell(&cell.value) {
            HiringCell::No => no.push((format!("{} is \"{v}\"", cell.column), src(cell))),
            _ if !found.is_empty() => {
                return Outcome::new(
                    Verdict::Match,
                    format!("{} mentions {}", cell.column, text::join_list(&found)),
                    vec![src(cell)],
                );
            }
            HiringCell::Flag => {
                partial = Some(Outcome::new(
                    Verdict::Partial,
                    format!("{} is \"{v}\" (hiring), but does not say for which roles", cell.column),
                    vec![src(cell)],
                ));
            }
            HiringCell::Text => no.push((
                format!("{} is \"{v}\", which does not mention {roles_text}", cell.column),
                src(cell),
            )),
        }
    }
    if let Some(p) = partial {
        return p;
    }
    for page in careers {
        no.push((format!("{} does not mention {roles_text}", page.url), url(page)));
    }
    if no.is_empty() {
        return Outcome::unknown("No hiring column or careers page to check");
    }
    let reasons: Vec<String> = no.iter().map(|(r, _)| r.clone()).collect();
    Outcome::new(Verdict::No, reasons.join("; "), no.into_iter().map(|(_, s)| s).collect())
}

fn personas(titles: &[String], company: &Company) -> Outcome {
    let contacts = row_contacts(company);
    let titled: Vec<(String, String, Source)> =
        contacts.into_iter().filter_map(|(c, s)| Some((c.name, c.title?, s?))).collect();
    if titled.is_empty() {
        return Outcome::unknown("No contact with a job title in the row");
    }
    let mut best: Option<(TitleFit, usize)> = None;
    for (i, (_, title, _)) in titled.iter().enumerate() {
        if let Some(fit) = best_fit(titles.iter().map(String::as_str), title)
            && best.is_none_or(|(b, _)| fit < b)
        {
            best = Some((fit, i));
        }
    }
    match best {
        Some((fit, i)) => {
            let (name, title, source) = &titled[i];
            let (verdict, how) = match fit {
                TitleFit::Full => (Verdict::Match, "fits"),
                TitleFit::Partial => (Verdict::Partial, "partly fits"),
            };
            Outcome::new(
                verdict,
                format!("{name} is \"{title}\", which {how} {}", text::join_list(titles)),
                vec![source.clone()],
            )
        }
        None => Outcome::new(
            Verdict::No,
            format!("No contact title fits {}", text::join_list(titles)),
            titled.into_iter().map(|(_, _, s)| s).collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::company;
    use super::super::{Brief, FundingPref, Persona, rubric};
    use super::*;

    const TODAY: Today = (2024, 6);

    fn verdicts(a: &Assessment) -> Vec<(&str, Verdict, Vec<String>)> {
        a.criteria
            .iter()
            .map(|c| (c.id.as_str(), c.verdict, c.evidence.iter().map(Source::key).collect()))
            .collect()
    }

    fn brief(icp: &str) -> Brief {
        Brief { icp: icp.into(), ..Brief::default() }
    }

    #[test]
    fn category_match_description_partial_and_no() {
        let r = rubric(&brief("B2B developer tools"));
        let lob = company(
            "Lob",
            &[
                (Field::Industry, "Categories", "Developer Tools, Printing"),
                (Field::Description, "Description", "A printing API."),
            ],
        );
        let a = assess(&r, &lob, &[], TODAY);
        assert_eq!(
            verdicts(&a),
            vec![
                ("terms:b2b", Verdict::No, vec!["csv:Categories".into(), "csv:Description".into()]),
                ("terms:developer", Verdict::Match, vec!["csv:Categories".into()]),
            ]
        );
        assert_eq!(a.criteria[1].reason, "Categories mentions \"Developer Tools\"");
        assert_eq!(a.criteria[0].reason, "Categories and Description do not mention B2B");
        // 3 of 5 weight matched, nothing unknown.
        assert_eq!(a.score, 60);
        assert_eq!(a.known_weight_share, 1.0);
        assert_eq!(a.summary, "Possible fit (60/100): matches developer tools; not B2B.");

        let algolia = company(
            "Algolia",
            &[
                (Field::Industry, "Categories", "Search, Software"),
                (Field::Description, "Description", "A developer-friendly search API."),
            ],
        );
        let a = assess(&r, &algolia, &[], TODAY);
        assert_eq!(a.criteria[1].verdict, Verdict::Partial);
        assert_eq!(
            a.criteria[1].reason,
            "Categories does not mention developer tools, but Description mentions \"developer\""
        );
        assert_eq!(a.criteria[0].verdict, Verdict::Match);
        assert_eq!(a.score, 70); // (2 + 1.5) / 5
    }

    #[test]
    fn no_data_is_unknown_and_scores_50() {
        let b = Brief {
            icp: "B2B developer tools, 50-500 employees, US-based, founded 2010 or later".into(),
            personas: vec![Persona { title: "CTO".into(), description: String::new() }],
            funding: Some(FundingPref { months: 12 }),
            hiring_roles: vec!["SRE".into()],
            tools: vec!["Kubernetes".into()],
        };
        let r = rubric(&b);
        let a = assess(&r, &company("Nothing Inc", &[]), &[], TODAY);
        assert_eq!(a.criteria.len(), 9);
        assert!(a.criteria.iter().all(|c| c.verdict == Verdict::Unknown && c.evidence.is_empty()));
        assert_eq!(a.score, 50);
        assert_eq!(a.known_weight_share, 0.0);
        assert_eq!(a.summary, "Not enough data to judge fit: none of the 9 criteria could be checked.");
    }

    #[test]
    fn website_text_gives_partial_with_url() {
        let r = rubric(&brief("developer tools"));
        let c = company("Acme", &[]);
        let pages = [
            Page { url: "https://acme.io/".into(), text: String::new() },
            Page { url: "https://acme.io/docs".into(), text: "Our REST API and SDKs".into() },
        ];
        let a = assess(&r, &c, &pages, TODAY);
        assert_eq!(
            verdicts(&a),
            vec![("terms:developer", Verdict::Partial, vec!["https://acme.io/docs".into()])]
        );
        assert_eq!(a.criteria[0].reason, "Only the website mentions \"API\" (https://acme.io/docs)");
        assert_eq!(a.score, 50); // (1.5) / 3 = 0.5
    }

    #[test]
    fn size_geography_founding() {
        let r = rubric(&brief("50-500 employees, UK-based, founded 2015 or later"));
        let c = company(
            "Acme",
            &[
                (Field::Employees, "Employees", "201-1000"),
                (Field::Location, "HQ", "Manchester, England"),
                (Field::FoundedYear, "Founded", "2012"),
            ],
        );
        let a = assess(&r, &c, &[], TODAY);
        assert_eq!(
            verdicts(&a),
            vec![
                ("size", Verdict::Partial, vec!["csv:Employees".into()]),
                ("geography", Verdict::Match, vec!["csv:HQ".into()]),
                ("founded", Verdict::No, vec!["csv:Founded".into()]),
            ]
        );
        assert_eq!(
            a.criteria[0].reason,
            "Employees is 201-1000, which partly fits \"50\u{2013}500 employees\""
        );
        assert_eq!(a.criteria[2].reason, "Founded is 2012, which does not fit \"Founded 2015 or later\"");
        // size 2 partial, geography 2 match, founded 1 no: (1 + 2) / 5
        assert_eq!(a.score, 60);
    }

    #[test]
    fn geography_edge_cases() {
        let r = rubric(&brief("US-based"));
        let verdict = |fields: &[(Field, &str, &str)]| {
            let a = assess(&r, &company("X", fields), &[], TODAY);
            (a.criteria[0].verdict, a.criteria[0].reason.clone())
        };
        assert_eq!(
            verdict(&[(Field::Location, "City", "Austin, Texas")]),
            (Verdict::Match, "City is \"Austin, Texas\", which fits \"Based in US\"".into())
        );
        assert_eq!(
            verdict(&[(Field::Country, "Country", "Atlantis")]),
            (Verdict::No, "Country is \"Atlantis\", which does not fit \"Based in US\"".into())
        );
        assert_eq!(
            verdict(&[(Field::Location, "City", "Springfield")]),
            (Verdict::Unknown, "Could not tell which country \"Springfield\" is in".into())
        );
        // A recognized location decides even when the country cell is unknown text.
        assert_eq!(
            verdict(&[(Field::Country, "Country", "n/a"), (Field::Location, "City", "Toronto, Canada")]).0,
            Verdict::No
        );
    }

    #[test]
    fn preferences() {
        let b = Brief {
            icp: String::new(),
            personas: vec![Persona { title: "VP Engineering".into(), description: String::new() }],
            funding: Some(FundingPref { months: 12 }),
            hiring_roles: vec!["Backend Engineer".into()],
            tools: vec!["Kubernetes".into()],
        };
        let c = company(
            "Acme",
            &[
                (Field::Technologies, "Stack", "AWS; React"),
                (Field::LatestFundingAmount, "Raised", "$5M"),
                (Field::LatestFundingDate, "Raised On", "2023-12-01"),
                (Field::Hiring, "Hiring", "yes"),
                (Field::PersonName, "Name", "Grace Hopper"),
                (Field::PersonTitle, "Title", "Head of Engineering"),
            ],
        );
        let pages = [Page {
            url: "https://acme.io/blog/infra".into(),
            text: "We moved everything to Kubernetes.".into(),
        }];
        let a = assess(&rubric(&b), &c, &pages, TODAY);
        assert_eq!(
            verdicts(&a),
            vec![
                ("tools", Verdict::Partial, vec!["csv:Stack".into(), "https://acme.io/blog/infra".into()]),
                ("funding", Verdict::Match, vec!["csv:Raised On".into(), "csv:Raised".into()]),
                ("hiring", Verdict::Partial, vec!["csv:Hiring".into()]),
                ("persona", Verdict::Partial, vec!["csv:Title".into()]),
            ]
        );
        assert_eq!(a.criteria[1].reason, "Raised On is December 2023, within the last 12 months");
        assert_eq!(
            a.criteria[3].reason,
            "Grace Hopper is \"Head of Engineering\", which partly fits VP Engineering"
        );
        let careers =
            [Page { url: "https://jobs.acme.io/".into(), text: "Backend Engineer (Remote)".into() }];
        let a = assess(&rubric(&b), &c, &careers, TODAY);
        assert_eq!(a.criteria[2].verdict, Verdict::Match);
        assert_eq!(a.criteria[2].evidence[0].key(), "https://jobs.acme.io/");
    }

    #[test]
    fn undated_funding_is_partial_and_old_funding_is_no() {
        let b = Brief { funding: Some(FundingPref { months: 12 }), ..Brief::default() };
        let r = rubric(&b);
        let undated = company("A", &[(Field::TotalFunding, "Total", "$2,000,000")]);
        let a = assess(&r, &undated, &[], TODAY);
        assert_eq!(a.criteria[0].verdict, Verdict::Partial);
        assert_eq!(
            a.criteria[0].reason,
            "Total shows funding ($2M), but there is no date to check how recent"
        );
        let old = company(
            "B",
            &[(Field::TotalFunding, "Total", "$2,000,000"), (Field::LatestFundingDate, "Date", "2019")],
        );
        let a = assess(&r, &old, &[], TODAY);
        assert_eq!(a.criteria[0].verdict, Verdict::No);
        assert_eq!(a.criteria[0].reason, "Date is 2019, 54 months ago (more than 12)");
        let none = company("C", &[(Field::TotalFunding, "Total", "0")]);
        assert_eq!(assess(&r, &none, &[], TODAY).criteria[0].verdict, Verdict::No);
    }

    #[test]
    fn score_formula() {
        let c = |w: u8, v: Verdict| Criterion {
            id: String::new(),
            label: String::new(),
            weight: w,
            verdict: v,
            reason: String::new(),
            evidence: vec![],
        };
        // Only a weight-1 criterion known (and matched) out of 6: (1 + 5/2) / 6 = 58.3
        let (s, k) = score(&[c(1, Verdict::Match), c(3, Verdict::Unknown), c(2, Verdict::Unknown)]);
        assert_eq!((s, (k * 100.0).round() as u32), (58, 17));
        assert_eq!(score(&[c(3, Verdict::Match), c(2, Verdict::Match)]).0, 100);
        assert_eq!(score(&[c(3, Verdict::No), c(2, Verdict::No)]).0, 0);
        assert_eq!(score(&[]).0, 50);
    }
}
