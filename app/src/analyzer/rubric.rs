//! From the brief to a rubric: weighted criteria a company can be checked against.
//!
//! The ICP text is read with simple, explainable rules:
//! - industry/category terms: words that are not stop words, grouped by a small synonym
//!   table ("API" and "developer tools" are one group), lightly stemmed. Terms joined by
//!   "or", "and" or a comma are alternatives of one criterion ("developers or data teams");
//!   terms side by side are separate criteria ("B2B developer tools" = B2B + developer).
//!   A term right after "not"/"excluding" is ignored (negative criteria are not supported).
//! - size: "50-500 employees", "200+ employees", "under 50 employees"
//! - geography: "US-based", "in Germany", "European", "UK or Ireland"
//! - founding year: "founded 2008 or later", "founded before 2015", "founded in the last 5 years"
//!
//! and the preferences add tools, funding recency, hiring roles and personas.

use super::text::{self, Token};
use super::{Brief, Today};

mod tables;
use tables::{COUNTRIES, GROUPS, NEGATIONS, REGIONS, STOP, US_STATES};

/// Weights (relative importance) of the criteria kinds. Shown to users next to each criterion.
pub(crate) const W_INDUSTRY: u8 = 3;
pub(crate) const W_MODEL: u8 = 2;
pub(crate) const W_OTHER_TERM: u8 = 2;
pub(crate) const W_SIZE: u8 = 2;
pub(crate) const W_GEOGRAPHY: u8 = 2;
pub(crate) const W_FOUNDED: u8 = 1;
pub(crate) const W_TOOLS: u8 = 2;
pub(crate) const W_FUNDING: u8 = 2;
pub(crate) const W_HIRING: u8 = 2;
pub(crate) const W_PERSONA: u8 = 1;

/// The criteria derived from a brief, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rubric {
    pub criteria: Vec<RubricCriterion>,
}

/// One criterion: what to check and how much it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricCriterion {
    /// Stable id: `terms:<group>[+<group>]`, `size`, `geography`, `founded`, `tools`,
    /// `funding`, `hiring`, `persona`.
    pub id: String,
    /// For people, in the brief's own words where possible.
    pub label: String,
    pub weight: u8,
    pub rule: Rule,
}

/// What a criterion checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Any of the groups is mentioned in the category (Industry) column, the description
    /// or the website text.
    Terms { groups: Vec<TermGroup> },
    /// Employee count within `[min, max]` (either bound may be open).
    Size { min: Option<u64>, max: Option<u64> },
    /// Based in one of these countries (canonical names).
    Geography { countries: Vec<String> },
    /// Founding year within `[from, to]`, or within the last `within_years` years.
    Founded { from: Option<i32>, to: Option<i32>, within_years: Option<u32> },
    /// Uses any of these tools.
    Tools { tools: Vec<String> },
    /// Raised money within the last `months` months.
    FundingRecency { months: u32 },
    /// Hiring for any of these roles.
    Hiring { roles: Vec<String> },
    /// Has a contact whose title matches one of these persona titles.
    Personas { titles: Vec<String> },
}

/// A set of interchangeable terms, e.g. developer / developer tools / API / SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermGroup {
    /// Synonym-table id ("developer") or the stemmed word for terms not in the table.
    pub key: String,
    /// The brief's own words for it: "developer tools / API".
    pub label: String,
    /// Stemmed phrases that count as a mention.
    pub phrases: Vec<Vec<String>>,
    pub weight: u8,
}

/// Builds the rubric for a brief. Criteria order: ICP terms (in the order written),
/// size, geography, founding year, tools, funding, hiring, personas.
pub fn rubric(brief: &Brief) -> Rubric {
    let mut criteria = terms_criteria(&brief.icp);
    if let Some((min, max)) = parse_size(&brief.icp) {
        let label = match (min, max) {
            (Some(a), Some(b)) if a == b => format!("{a} employees"),
            (Some(a), Some(b)) => format!("{a}\u{2013}{b} employees"),
            (Some(a), None) => format!("{a}+ employees"),
            (None, Some(b)) => format!("Up to {b} employees"),
            (None, None) => unreachable!("parse_size returns a bound"),
        };
        criteria.push(RubricCriterion {
            id: "size".into(),
            label,
            weight: W_SIZE,
            rule: Rule::Size { min, max },
        });
    }
    if let Some((countries, surfaces)) = parse_geography(&brief.icp) {
        criteria.push(RubricCriterion {
            id: "geography".into(),
            label: format!("Based in {}", surfaces.join(" or ")),
            weight: W_GEOGRAPHY,
            rule: Rule::Geography { countries },
        });
    }
    if let Some((from, to, within_years)) = parse_founded(&brief.icp) {
        let label = match (from, to, within_years) {
            (_, _, Some(n)) => format!("Founded in the last {n} years"),
            (Some(a), Some(b), _) if a == b => format!("Founded in {a}"),
            (Some(a), Some(b), _) => format!("Founded {a}\u{2013}{b}"),
            (Some(a), None, _) => format!("Founded {a} or later"),
            (None, Some(b), _) => format!("Founded {b} or earlier"),
            (None, None, None) => unreachable!("parse_founded returns a bound"),
        };
        criteria.push(RubricCriterion {
            id: "founded".into(),
            label,
            weight: W_FOUNDED,
            rule: Rule::Founded { from, to, within_years },
        });
    }
    let tools = clean_list(&brief.tools);
    if !tools.is_empty() {
        criteria.push(RubricCriterion {
            id: "tools".into(),
            label: format!("Uses {}", tools.join(" or ")),
            weight: W_TOOLS,
            rule: Rule::Tools { tools },
        });
    }
    if let Some(f) = brief.funding.filter(|f| f.months > 0) {
        criteria.push(RubricCriterion {
            id: "funding".into(),
            label: format!("Raised money in the last {} months", f.months),
            weight: W_FUNDING,
            rule: Rule::FundingRecency { months: f.months },
        });
    }
    let roles = clean_list(&brief.hiring_roles);
    if !roles.is_empty() {
        criteria.push(RubricCriterion {
            id: "hiring".into(),
            label: format!("Hiring {}", roles.join(" or ")),
            weight: W_HIRING,
            rule: Rule::Hiring { roles },
        });
    }
    let titles = clean_list(&brief.personas.iter().map(|p| p.title.clone()).collect::<Vec<_>>());
    if !titles.is_empty() {
        criteria.push(RubricCriterion {
            id: "persona".into(),
            label: format!("Has a contact who is {}", titles.join(" or ")),
            weight: W_PERSONA,
            rule: Rule::Personas { titles },
        });
    }
    Rubric { criteria }
}

/// Trimmed, non-empty, de-duplicated (case-insensitively), in the given order.
fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(item)) {
            out.push(item.to_string());
        }
    }
    out
}

fn group_phrases(key: &str) -> Vec<Vec<String>> {
    GROUPS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, phrases)| phrases.iter().map(|p| text::stems(p)).collect())
        .unwrap_or_default()
}

/// The longest synonym-table phrase starting at token `i`: (group index, token count).
fn table_match(toks: &[Token], i: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (g, (_, _, phrases)) in GROUPS.iter().enumerate() {
        for p in phrases.iter() {
            let stems = text::stems(p);
            let n = stems.len();
            if n == 0 || i + n > toks.len() {
                continue;
            }
            if stems.iter().zip(&toks[i..]).all(|(s, t)| *s == t.stem) && best.is_none_or(|(_, len)| n > len)
            {
                best = Some((g, n));
            }
        }
    }
    best
}

/// Token ranges of the brief that name places (they are not industry terms).
fn place_spans(icp: &str, toks: &[Token]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match place_at(icp, toks, i, true) {
            Some((_, n)) => {
                spans.push((i, i + n));
                i += n;
            }
            None => i += 1,
        }
    }
    spans
}

/// A place named at token `i`: (countries, token count). In the brief (`strict`),
/// short aliases must be in capitals ("US") or followed by "based" ("us-based").
fn place_at(src: &str, toks: &[Token], i: usize, strict: bool) -> Option<(Vec<String>, usize)> {
    let mut best: Option<(Vec<String>, usize)> = None;
    let mut consider = |alias: &str, countries: Vec<String>| {
        let stems = text::stems(alias);
        let n = stems.len();
        if n == 0 || i + n > toks.len() {
            return;
        }
        if !stems.iter().zip(&toks[i..]).all(|(s, t)| *s == t.stem) {
            return;
        }
        let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
        if strict && letters <= 3 {
            let surf = &src[toks[i].start..toks[i + n - 1].end];
            let capitals = surf.chars().all(|c| !c.is_lowercase());
            let based = toks.get(i + n).is_some_and(|t| t.stem == "based");
            if !capitals && !based {
                return;
            }
        }
        if best.as_ref().is_none_or(|(_, len)| n > *len) {
            best = Some((countries, n));
        }
    };
    for (name, aliases) in COUNTRIES {
        for a in aliases.iter() {
            consider(a, vec![name.to_string()]);
        }
    }
    for (aliases, countries) in REGIONS {
        for a in aliases.iter() {
            consider(a, countries.iter().map(|c| c.to_string()).collect());
        }
    }
    if !strict {
        for s in US_STATES {
            consider(s, vec!["United States".to_string()]);
        }
    }
    best
}

/// Countries named in a data cell (country or location), in order, de-duplicated.
pub(crate) fn countries_in(value: &str) -> Vec<String> {
    let toks = text::tokens(value);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match place_at(value, &toks, i, false) {
            Some((countries, n)) => {
                for c in countries {
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// Countries wanted by the brief and the brief's words for them.
fn parse_geography(icp: &str) -> Option<(Vec<String>, Vec<String>)> {
    let toks = text::tokens(icp);
    let mut countries: Vec<String> = Vec::new();
    let mut surfaces: Vec<String> = Vec::new();
    for (a, b) in place_spans(icp, &toks) {
        let (found, _) = place_at(icp, &toks, a, true)?;
        for c in found {
            if !countries.contains(&c) {
                countries.push(c);
            }
        }
        let s = text::surface(icp, &toks, (a, b)).to_string();
        if !surfaces.iter().any(|x| x.eq_ignore_ascii_case(&s)) {
            surfaces.push(s);
        }
    }
    (!countries.is_empty()).then_some((countries, surfaces))
}

/// Clauses of the brief: split at ";", "(", ")", ", " and ". " (not inside "1,000").
fn clauses(icp: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = icp.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let split = matches!(c, ';' | '(' | ')' | '\n') || (matches!(c, ',' | '.') && next_space);
        if split {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter().map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()).collect()
}

/// Numbers of a clause with "k" multipliers applied ("1k+").
fn clause_numbers(clause: &str) -> Vec<(usize, usize, u64)> {
    text::numbers(clause)
        .into_iter()
        .map(|n| {
            let rest = &clause[n.end..];
            let k = rest.starts_with('k') && !rest[1..].chars().next().is_some_and(|c| c.is_alphabetic());
            let v = if k { n.value * 1000.0 } else { n.value };
            (n.start, if k { n.end + 1 } else { n.end }, v as u64)
        })
        .collect()
}

/// Headcount range wanted by the brief.
fn parse_size(icp: &str) -> Option<(Option<u64>, Option<u64>)> {
    const UNITS: &[&str] = &["employee", "people", "staff", "headcount", "fte", "person"];
    for clause in clauses(icp) {
        let toks = text::tokens(&clause);
        if !toks.iter().any(|t| UNITS.contains(&t.stem.as_str())) {
            continue;
        }
        let nums = clause_numbers(&clause);
        let Some(&(s0, e0, a)) = nums.first() else {
            continue;
        };
        if let Some(&(_, _, b)) = nums.get(1) {
            return Some((Some(a.min(b)), Some(a.max(b))));
        }
        let before = &clause[..s0];
        let after = clause[e0..].trim_start();
        let has = |words: &[&str]| words.iter().any(|w| before.contains(w));
        if after.starts_with('+') || has(&["over", "more than", "above", "at least", "min", ">"]) {
            return Some((Some(a), None));
        }
        if has(&["under", "fewer than", "less than", "below", "up to", "at most", "max", "<"]) {
            return Some((None, Some(a)));
        }
        return Some((Some(a), Some(a)));
    }
    None
}

/// Founding-year bounds wanted by the brief: (from, to, within the last N years).
fn parse_founded(icp: &str) -> Option<(Option<i32>, Option<i32>, Option<u32>)> {
    const VERBS: &[&str] = &["founded", "started", "established", "incorporated"];
    for clause in clauses(icp) {
        let Some(vpos) = VERBS.iter().filter_map(|v| clause.find(v)).min() else {
            continue;
        };
        let clause = &clause[vpos..];
        let years: Vec<i32> = text::numbers(clause)
            .into_iter()
            .filter(|n| n.four_digits && (1800.0..=2100.0).contains(&n.value))
            .map(|n| n.value as i32)
            .collect();
        if years.is_empty() {
            // "founded in the last 5 years", "founded within 3 years"
            let nums = clause_numbers(clause);
            if let Some(&(_, _, n)) = nums.first()
                && (clause.contains("last") || clause.contains("past") || clause.contains("within"))
                && clause.contains("year")
                && n > 0
            {
                return Some((None, None, Some(n as u32)));
            }
            continue;
        }
        if years.len() >= 2 {
            let (a, b) = (years[0].min(years[1]), years[0].max(years[1]));
            return Some((Some(a), Some(b), None));
        }
        let y = years[0];
        let later = ["or later", "and later", "or after", "onward", "or newer", "since", "from", "+"];
        let earlier = ["or earlier", "or before", "until", "up to", "by "];
        if clause.contains("after") && !clause.contains("or after") {
            return Some((Some(y + 1), None, None));
        }
        if clause.contains("before") && !clause.contains("or before") {
            return Some((None, Some(y - 1), None));
        }
        if later.iter().any(|w| clause.contains(w)) {
            return Some((Some(y), None, None));
        }
        if earlier.iter().any(|w| clause.contains(w)) {
            return Some((None, Some(y), None));
        }
        return Some((Some(y), Some(y), None));
    }
    None
}

/// One term occurrence in the brief, as found by [`terms_criteria`].
struct Occurrence {
    group: TermGroup,
    /// Joined to the previous occurrence by "or", "and" or a comma.
    joined: bool,
    /// Business-model groups ("B2B") are never alternatives of industry groups.
    model: bool,
}

fn terms_criteria(icp: &str) -> Vec<RubricCriterion> {
    let toks = text::tokens(icp);
    let places = place_spans(icp, &toks);
    // Stop words are compared before stemming ("market" is one, "marketing" is not).
    let is_stop = |t: &Token| STOP.contains(&t.word.as_str());

    let mut occurrences: Vec<Occurrence> = Vec::new();
    let mut connector = false;
    let mut negated = false;
    let mut i = 0;
    while i < toks.len() {
        if let Some(&(_, end)) = places.iter().find(|(a, _)| *a == i) {
            connector = false;
            i = end;
            continue;
        }
        // A comma right before this token joins like "and".
        let gap_comma = i > 0 && icp[toks[i - 1].end..toks[i].start].contains(',');
        if gap_comma {
            connector = true;
        }
        let t = &toks[i];
        if let Some((g, n)) = table_match(&toks, i).filter(|&(_, n)| n > 1 || !is_stop(t)) {
            let (key, model, _) = GROUPS[g];
            let surf = text::surface(icp, &toks, (i, i + n)).to_string();
            if !std::mem::take(&mut negated) {
                occurrences.push(Occurrence {
                    group: TermGroup {
                        key: key.to_string(),
                        label: surf,
                        phrases: group_phrases(key),
                        weight: if model { W_MODEL } else { W_INDUSTRY },
                    },
                    joined: connector,
                    model,
                });
            }
            connector = false;
            i += n;
            continue;
        }
        if t.word == "or" || t.word == "and" {
            connector = true;
        } else if NEGATIONS.contains(&t.word.as_str()) {
            negated = true;
        } else if is_stop(t) {
            // keep the connector state: "developers or data teams"
        } else if t.stem.chars().all(|c| c.is_ascii_digit()) {
            connector = false;
        } else if t.stem.chars().count() >= 3 && t.stem.chars().any(char::is_alphabetic) {
            let surf = text::surface(icp, &toks, (i, i + 1)).to_string();
            if !std::mem::take(&mut negated) {
                occurrences.push(Occurrence {
                    group: TermGroup {
                        key: t.stem.clone(),
                        label: surf,
                        phrases: vec![vec![t.stem.clone()]],
                        weight: W_OTHER_TERM,
                    },
                    joined: connector,
                    model: false,
                });
            }
            connector = false;
        }
        i += 1;
    }

    // Merge: the same group twice becomes one (its labels joined); joined industry
    // terms become alternatives of one criterion.
    let mut crits: Vec<Vec<TermGroup>> = Vec::new();
    let mut crit_is_model: Vec<bool> = Vec::new();
    let mut last_crit: Option<usize> = None;
    for occ in occurrences {
        let existing = crits
            .iter()
            .enumerate()
            .find_map(|(ci, groups)| groups.iter().position(|g| g.key == occ.group.key).map(|gi| (ci, gi)));
        if let Some((ci, gi)) = existing {
            let g = &mut crits[ci][gi];
            let lower: Vec<String> = g.label.split(" / ").map(str::to_lowercase).collect();
            if !lower.contains(&occ.group.label.to_lowercase()) {
                g.label = format!("{} / {}", g.label, occ.group.label);
            }
            last_crit = Some(ci);
            continue;
        }
        match last_crit {
            Some(ci) if occ.joined && !occ.model && !crit_is_model[ci] => {
                crits[ci].push(occ.group);
            }
            _ => {
                crits.push(vec![occ.group]);
                crit_is_model.push(occ.model);
                last_crit = Some(crits.len() - 1);
            }
        }
    }
    crits
        .into_iter()
        .map(|groups| RubricCriterion {
            id: format!("terms:{}", groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>().join("+")),
            label: groups.iter().map(|g| g.label.as_str()).collect::<Vec<_>>().join(" or "),
            weight: groups.iter().map(|g| g.weight).max().unwrap_or(W_OTHER_TERM),
            rule: Rule::Terms { groups },
        })
        .collect()
}

/// The earliest founding year a `Founded` rule accepts today.
pub(crate) fn founded_bounds(rule: &Rule, today: Today) -> (Option<i32>, Option<i32>) {
    match rule {
        Rule::Founded { within_years: Some(n), .. } => (Some(today.0 - *n as i32), None),
        Rule::Founded { from, to, .. } => (*from, *to),
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests;
