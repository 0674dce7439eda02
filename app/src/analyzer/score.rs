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

/// Score, known weight share and summary of criteria judged elsewhere (an LLM's
/// verdicts): the same transparent formula as the built-in analyzer's own.
pub fn tally(criteria: &[Criterion]) -> (u8, f32, String) {
    let (score, known) = score(criteria);
    (score, known, summarize(score, criteria))
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
mod tests;
