//! Outreach drafts in the user's voice.
//!
//! Cues come from the user's writing samples: the greeting word ("Hi", "Hey", "Hello"),
//! the greeting punctuation, the sign-off line ("Best,", "Cheers,"), the name under it
//! when the samples agree on one, the typical length, whether they use contractions and
//! whether they add a PS. The body refers to the strongest real signal (or a matched
//! criterion when there is none) and states nothing that is not in the inputs.

use super::signals::strength;
use super::text;
use super::{Assessment, Brief, Company, Contact, Draft, Signal, SignalKind, Verdict, Voice};

const GREETINGS: &[&str] = &["hi", "hey", "hello", "dear", "hiya", "heya", "greetings", "howdy", "yo"];

const SIGN_OFFS: &[&str] = &[
    "best",
    "best regards",
    "kind regards",
    "warm regards",
    "regards",
    "cheers",
    "thanks",
    "thank you",
    "many thanks",
    "all the best",
    "talk soon",
    "speak soon",
    "sincerely",
    "yours",
    "warmly",
    "take care",
    "best wishes",
    "thanks again",
];

const CONTRACTIONS: &[&str] = &[
    "i'm", "we're", "don't", "it's", "i'd", "you're", "we've", "can't", "that's", "i've", "let's", "won't",
    "isn't",
];

/// Style cues taken from the writing samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cues {
    pub greeting: String,
    /// After the name: "," / "!" / "".
    pub greeting_punct: String,
    pub sign_off: String,
    /// The line under the sign-off, when the samples agree on one.
    pub signature: Option<String>,
    /// Median word count of the samples.
    pub words: usize,
    pub contractions: bool,
    /// "PS:" or "P.S." when the samples use a postscript.
    pub ps: Option<String>,
}

impl Default for Cues {
    fn default() -> Self {
        Cues {
            greeting: "Hi".into(),
            greeting_punct: ",".into(),
            sign_off: "Best,".into(),
            signature: None,
            words: 80,
            contractions: false,
            ps: None,
        }
    }
}

/// The most frequent item; ties go to the one seen first.
fn most_common(items: &[String]) -> Option<String> {
    let mut counts: Vec<(&String, usize)> = Vec::new();
    for it in items {
        match counts.iter_mut().find(|(s, _)| *s == it) {
            Some((_, n)) => *n += 1,
            None => counts.push((it, 1)),
        }
    }
    let max = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == max).map(|(s, _)| s.clone())
}

pub(crate) fn is_ps_line(line: &str) -> bool {
    let l = line.trim_start().to_ascii_lowercase();
    l.starts_with("ps:")
        || l.starts_with("ps ")
        || l.starts_with("ps-")
        || l.starts_with("p.s")
        || l.starts_with("pps")
}

/// Reads the style cues of the samples (defaults when there are none).
pub(crate) fn cues(samples: &[String]) -> Cues {
    let mut c = Cues::default();
    let samples: Vec<&str> = samples.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    if samples.is_empty() {
        return c;
    }
    let mut greetings = Vec::new();
    let mut puncts = Vec::new();
    let mut sign_offs = Vec::new();
    let mut signatures = Vec::new();
    let mut words: Vec<usize> = Vec::new();
    let mut ps = Vec::new();
    let mut contraction_samples = 0;
    for s in &samples {
        words.push(text::word_count(s));
        let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if let Some(first) = lines.first() {
            let word: String = first.chars().take_while(|c| c.is_alphabetic()).collect();
            if GREETINGS.contains(&word.to_lowercase().as_str()) {
                let mut w = word.to_lowercase();
                if let Some(f) = w.get(..1) {
                    w = format!("{}{}", f.to_uppercase(), &w[1..]);
                }
                greetings.push(w);
                let last = first.chars().last().unwrap_or(',');
                puncts.push(match last {
                    ',' | '!' | ':' | '.' => last.to_string(),
                    _ if last.is_alphanumeric() => String::new(),
                    _ => ",".to_string(),
                });
            }
        }
        // Sign-off: the last short line that is a known sign-off or ends with a comma.
        let body_lines = lines.len();
        for (i, line) in lines.iter().enumerate().rev() {
            if i == 0 || body_lines - i > 4 || is_ps_line(line) {
                continue;
            }
            let bare = line.trim_end_matches([',', '!', '.']).trim().to_lowercase();
            let known = SIGN_OFFS.contains(&bare.as_str());
            if known || (line.ends_with(',') && text::word_count(line) <= 3) {
                sign_offs.push(line.to_string());
                if let Some(next) = lines.get(i + 1)
                    && !is_ps_line(next)
                    && text::word_count(next) <= 4
                {
                    signatures.push(next.to_string());
                }
                break;
            }
        }
        if let Some(line) = lines.iter().find(|l| is_ps_line(l)) {
            let upper = line.trim_start().to_ascii_uppercase();
            ps.push(if upper.starts_with("P.S") { "P.S." } else { "PS:" }.to_string());
        }
        let lower = s.to_lowercase().replace('\u{2019}', "'");
        if CONTRACTIONS.iter().any(|w| text::contains_word(&lower, w)) {
            contraction_samples += 1;
        }
    }
    if let Some(g) = most_common(&greetings) {
        c.greeting = g;
    }
    if let Some(p) = most_common(&puncts) {
        c.greeting_punct = p;
    }
    if let Some(s) = most_common(&sign_offs) {
        c.sign_off = s;
    }
    // A signature only when every sample with a sign-off has the same one.
    if !signatures.is_empty()
        && signatures.len() == sign_offs.len()
        && signatures.iter().all(|s| *s == signatures[0])
    {
        c.signature = Some(signatures[0].clone());
    }
    words.sort_unstable();
    c.words = words[words.len() / 2];
    c.contractions = contraction_samples * 2 >= samples.len();
    c.ps = most_common(&ps);
    c
}

/// Removes "no date given" and "date given as …" from a summary's parenthesis.
pub(crate) fn without_date_notes(summary: &str) -> String {
    let s = summary.trim();
    let Some(open) = s.rfind(" (").filter(|_| s.ends_with(')')) else {
        return s.to_string();
    };
    let inner = &s[open + 2..s.len() - 1];
    let kept: Vec<&str> =
        inner.split(", ").filter(|p| *p != "no date given" && !p.starts_with("date given as")).collect();
    if kept.is_empty() { s[..open].to_string() } else { format!("{} ({})", &s[..open], kept.join(", ")) }
}

/// The signal as a predicate for "<Company> …" ("raised $3M (Series A, March 2024)"),
/// for the summaries the built-in analyzer writes; `None` for other summaries.
pub(crate) fn predicate(signal: &Signal) -> Option<String> {
    let s = without_date_notes(&signal.summary);
    if let Some(rest) = s.strip_prefix("Raised ") {
        return Some(format!("raised {rest}"));
    }
    if let Some(rest) = s.strip_prefix("Hiring for ") {
        return Some(format!("is hiring for {rest}"));
    }
    if let Some(rest) = s.strip_prefix("Hiring: ") {
        return Some(format!("is hiring ({rest})"));
    }
    if s == "Hiring" {
        return Some("is hiring".to_string());
    }
    if let Some(rest) = s.strip_prefix("Uses ") {
        return Some(format!("uses {rest}"));
    }
    if let Some(rest) = s.strip_prefix("Website mentions ") {
        return Some(format!("mentions {rest} on its website"));
    }
    None
}

/// "I saw that Acme raised $3M (Series A, March 2024). Congrats!"
fn signal_sentence(name: &str, signal: &Signal, also: bool) -> String {
    let lead = if also { "I also saw" } else { "I saw" };
    match predicate(signal) {
        Some(p) => {
            // Congratulate only on a dated raise (an undated one may be old news).
            let dated = signal.date.as_deref().is_some_and(|d| text::parse_date(d).is_some());
            let congrats =
                if signal.kind == SignalKind::Funding && dated && !also { " Congrats!" } else { "" };
            format!("{lead} that {name} {p}.{congrats}")
        }
        None => format!("{lead} this about {name}: {}.", signal.summary.trim().trim_end_matches('.')),
    }
}

/// The words a matched ICP-term criterion quoted from the data ("developer tools").
fn matched_term(assessment: &Assessment) -> Option<String> {
    let mut terms: Vec<_> = assessment
        .criteria
        .iter()
        .filter(|c| c.id.starts_with("terms:") && c.verdict == Verdict::Match)
        .collect();
    terms.sort_by_key(|c| std::cmp::Reverse(c.weight));
    let c = terms.first()?;
    let quoted = c
        .reason
        .split('"')
        .nth(1)
        .filter(|q| !q.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| c.label.clone());
    Some(text::lc_words(&quoted))
}

/// Writes an outreach email for `company` in the user's voice. `brief` is accepted for
/// providers that tailor wording to personas; the built-in writer does not need it.
pub fn draft(
    voice: &Voice,
    _brief: &Brief,
    company: &Company,
    assessment: &Assessment,
    signals: &[Signal],
    contact: Option<&Contact>,
) -> Draft {
    let cues = cues(&voice.samples);
    let name = company.name.trim();
    let short = cues.words < 60;
    let long = cues.words > 140;
    let c = |contracted: &str, full: &str| -> String {
        if cues.contractions { contracted } else { full }.to_string()
    };

    // Strongest signal first; ties keep the given order.
    let mut ranked: Vec<&Signal> = signals.iter().collect();
    ranked.sort_by_key(|s| strength(s));
    let main = ranked.first().copied();
    let second = main
        .and_then(|m| ranked.iter().skip(1).find(|s| s.kind != m.kind).or_else(|| ranked.get(1)).copied());
    let term = matched_term(assessment);

    let first_name = contact.and_then(|c| c.name.split_whitespace().next()).map(str::to_string);
    let addressee = match (&first_name, cues.greeting.as_str()) {
        (Some(n), _) => n.clone(),
        (None, "Dear") => format!("{name} team"),
        (None, _) => "there".to_string(),
    };
    let greeting = format!("{} {addressee}{}", cues.greeting, cues.greeting_punct);

    let hook = match (main, &term) {
        (Some(s), _) => signal_sentence(name, s, false),
        (None, Some(t)) => format!("I came across {name} while looking at {t} companies."),
        (None, None) => format!("I came across {name} and wanted to reach out."),
    };
    let relevance = match (main, &term) {
        (Some(_), Some(t)) if !short => {
            Some(format!("Given your focus on {t}, I thought this might be relevant."))
        }
        _ => None,
    };
    let product = voice.product.trim().trim_end_matches('.');
    let us = voice.company_name.trim();
    let value = match (us.is_empty(), product.is_empty()) {
        (false, false) => Some(format!("At {us}, we offer {}.", mid_sentence(product))),
        (true, false) => Some(format!("We offer {product}.")),
        (false, true) => Some(format!("{} with {us}.", c("I'm", "I am"))),
        (true, true) => None,
    };
    let audience = voice.audience.trim().trim_end_matches('.');
    let audience_line = (!short && !audience.is_empty() && !product.is_empty())
        .then(|| format!("{} built for {audience}.", c("It's", "It is")));
    let more = long.then(|| "Happy to share more details if that would be useful.".to_string());
    let cta = if cues.contractions || cues.greeting == "Hey" {
        "Open to a quick chat?".to_string()
    } else {
        "Would you be open to a quick chat?".to_string()
    };

    let mut paragraphs: Vec<String> = vec![greeting];
    if short {
        paragraphs.push([Some(hook), value].into_iter().flatten().collect::<Vec<_>>().join(" "));
    } else {
        paragraphs.push([Some(hook), relevance].into_iter().flatten().collect::<Vec<_>>().join(" "));
        let v: Vec<String> = [value, audience_line, more].into_iter().flatten().collect();
        if !v.is_empty() {
            paragraphs.push(v.join(" "));
        }
    }
    paragraphs.push(cta);
    if let (Some(ps), Some(s)) = (&cues.ps, second) {
        paragraphs.push(format!("{ps} {}", signal_sentence(name, s, true)));
    }
    let signature = cues.signature.clone().or_else(|| (!us.is_empty()).then(|| format!("The {us} team")));
    paragraphs.push(match signature {
        Some(sig) => format!("{}\n{sig}", cues.sign_off),
        None => cues.sign_off.clone(),
    });

    Draft {
        subject: format!("Quick idea for {name}"),
        body: paragraphs.join("\n\n"),
        signal_used: main.map(|s| s.summary.clone()),
    }
}

#[cfg(test)]
mod tests;

/// A profile's "A managed data pipeline service" read mid-sentence: its first letter
/// lower-cased, unless the first word is a name or an acronym ("AI", "Snowflake's").
fn mid_sentence(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    let article = ["A", "An", "The", "Our"].contains(&first);
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if article => c.to_lowercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}
