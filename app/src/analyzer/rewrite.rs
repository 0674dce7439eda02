//! The built-in rewriter: a few plain instructions applied with fixed rules.
//!
//! Understands "shorter", "more casual", "more formal", "remove the PS" and
//! "mention their <X>" (only when one of the company's signals is about X), alone or
//! combined ("shorter and more casual"). Anything else is a clear error rather than a
//! guess, and an instruction that would change nothing says so.

use std::fmt;

use super::Signal;
use super::SignalKind;
use super::outreach::{is_ps_line, predicate, without_date_notes};
use super::signals::strength;
use super::text;

/// Why an instruction could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewriteError {
    /// Not an instruction the built-in rewriter understands.
    Unsupported { instruction: String },
    /// "mention their X", but none of the company's signals is about X.
    NotFound { what: String },
    /// The instruction would not change the draft.
    NoChange { reason: String },
}

impl fmt::Display for RewriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RewriteError::Unsupported { instruction } => write!(
                f,
                "The built-in writer can't do \"{instruction}\". It understands: shorter, \
                 more casual, more formal, remove the PS, and mention their <funding, \
                 hiring, tech or another signal>."
            ),
            RewriteError::NotFound { what } => write!(
                f,
                "Can't find anything about \"{what}\" in this company's signals, so the draft \
                 won't mention it."
            ),
            RewriteError::NoChange { reason } => f.write_str(reason),
        }
    }
}

impl std::error::Error for RewriteError {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Shorter,
    Casual,
    Formal,
    RemovePs,
    Mention(String),
}

/// Applies `instruction` to the draft `body`. `signals` are the company's signals, the
/// only facts "mention their X" may add.
pub fn rewrite(body: &str, instruction: &str, signals: &[Signal]) -> Result<String, RewriteError> {
    let ops = parse(instruction)?;
    let mut out = body.to_string();
    for op in ops {
        out = match op {
            Op::Shorter => shorter(&out)?,
            Op::Casual => restyle(&out, true)?,
            Op::Formal => restyle(&out, false)?,
            Op::RemovePs => remove_ps(&out)?,
            Op::Mention(what) => mention(&out, &what, signals)?,
        };
    }
    Ok(out)
}

fn parse(instruction: &str) -> Result<Vec<Op>, RewriteError> {
    let original = instruction.trim();
    let unsupported = || RewriteError::Unsupported { instruction: original.to_string() };
    if original.is_empty() {
        return Err(unsupported());
    }
    parts(original).into_iter().map(|p| parse_one(p).ok_or_else(unsupported)).collect()
}

/// The instruction as one part when it reads as one, else its parts.
fn parts(instruction: &str) -> Vec<&str> {
    if parse_one(instruction).is_some() { vec![instruction] } else { split_parts(instruction) }
}

/// The parts of a combined instruction ("shorter, and mention their funding").
fn split_parts(instruction: &str) -> Vec<&str> {
    let lower = instruction.to_ascii_lowercase();
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = instruction;
    let mut rest_lower = lower.as_str();
    loop {
        let cut = [", and ", " and ", ", then ", " then ", ", ", "; "]
            .iter()
            .filter_map(|sep| rest_lower.find(sep).map(|i| (i, sep.len())))
            // The earliest cut, and there the longest separator (", and " over ", ").
            .min_by_key(|&(i, n)| (i, std::cmp::Reverse(n)));
        match cut {
            Some((i, n)) => {
                parts.push(&rest[..i]);
                rest = &rest[i + n..];
                rest_lower = &rest_lower[i + n..];
            }
            None => {
                parts.push(rest);
                break;
            }
        }
    }
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// For a revision the model writes: every "mention their X" in `instruction` must be
/// about one of the company's signals. The model may reword freely, but it may add no
/// fact research did not find — the line the built-in rewriter holds too.
pub fn check_mentions(instruction: &str, signals: &[Signal]) -> Result<(), RewriteError> {
    for part in parts(instruction.trim()) {
        if let Some(Op::Mention(what)) = parse_one(part) {
            let what = what.trim().trim_end_matches(['.', '!', '?']);
            // "mention our free trial" is the sender's own offer, theirs to vouch for.
            let own = ["our ", "my ", "we ", "us "].iter().any(|p| strip_ci(what, p).is_some());
            if !own && find_signal(what, signals).is_none() {
                return Err(RewriteError::NotFound { what: what.to_string() });
            }
        }
    }
    Ok(())
}

/// Strips `prefix` (ASCII, case-insensitive) from `s`.
fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

fn parse_one(part: &str) -> Option<Op> {
    let mut s = part.trim().trim_end_matches(['.', '!', '?']).trim();
    loop {
        let before = s;
        for filler in [
            "please ",
            "can you ",
            "could you ",
            "make it ",
            "make this ",
            "make the email ",
            "make the draft ",
            "make ",
            "keep it ",
            "be ",
            "a bit ",
            "a little ",
            "slightly ",
            "much ",
            "way ",
            "a lot ",
            "bit ",
        ] {
            if let Some(r) = strip_ci(s, filler) {
                s = r.trim_start();
            }
        }
        if s == before {
            break;
        }
    }
    let s = s.trim();
    let s = s.strip_suffix(" please").or_else(|| s.strip_suffix(" PLEASE")).unwrap_or(s).trim();
    let lower = s.to_ascii_lowercase();

    for verb in ["mention ", "reference ", "talk about ", "bring up ", "include ", "add ", "refer to "] {
        if let Some(mut rest) = strip_ci(s, verb) {
            for det in ["their ", "the ", "its ", "about ", "that they're ", "recent "] {
                if let Some(r) = strip_ci(rest.trim_start(), det) {
                    rest = r;
                }
            }
            let rest = rest.trim();
            if !rest.is_empty() && !is_ps_word(&rest.to_ascii_lowercase()) {
                return Some(Op::Mention(rest.to_string()));
            }
        }
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mentions_ps = words.iter().any(|w| is_ps_word(w));
    let removing = ["remove", "drop", "delete", "cut", "no", "without", "lose", "rid", "kill"]
        .iter()
        .any(|v| words.contains(v));
    if mentions_ps && removing {
        return Some(Op::RemovePs);
    }
    let one_of = |set: &[&str]| set.contains(&lower.as_str());
    if one_of(&[
        "shorter",
        "shorten",
        "shorten it",
        "more concise",
        "concise",
        "less wordy",
        "briefer",
        "more brief",
        "brief",
        "trim",
        "trim it",
        "cut it down",
        "tighter",
        "short",
        "shorter email",
    ]) {
        return Some(Op::Shorter);
    }
    if one_of(&[
        "more casual",
        "casual",
        "less formal",
        "friendlier",
        "more friendly",
        "friendly",
        "more relaxed",
        "relaxed",
        "informal",
        "more informal",
        "warmer",
    ]) {
        return Some(Op::Casual);
    }
    if one_of(&[
        "more formal",
        "formal",
        "less casual",
        "more professional",
        "professional",
        "more polite",
        "polite",
    ]) {
        return Some(Op::Formal);
    }
    None
}

fn is_ps_word(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    matches!(w, "ps" | "p.s" | "p.s." | "pps" | "postscript" | "post-script")
}

fn paragraphs(body: &str) -> Vec<String> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim_matches('\n').to_string())
        .filter(|p| !p.trim().is_empty())
        .collect()
}

fn remove_ps(body: &str) -> Result<String, RewriteError> {
    let paras = paragraphs(body);
    let mut found = false;
    let kept: Vec<String> = paras
        .into_iter()
        .filter_map(|p| {
            // A PS runs from its line to the end of its paragraph.
            let lines: Vec<&str> = p.lines().collect();
            match lines.iter().position(|l| is_ps_line(l)) {
                Some(0) => {
                    found = true;
                    None
                }
                Some(i) => {
                    found = true;
                    Some(lines[..i].join("\n"))
                }
                None => Some(p),
            }
        })
        .collect();
    if !found {
        return Err(RewriteError::NoChange { reason: "There is no PS to remove.".to_string() });
    }
    Ok(kept.join("\n\n"))
}

/// Sentences of a paragraph: split after ".", "!" or "?" followed by a space.
fn sentences(p: &str) -> Vec<String> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1).is_some_and(|n| *n == ' ')
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || *n == '"');
        if end {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

const FILLER_STARTS: &[&str] = &[
    "Given your focus",
    "Happy to share",
    "I hope",
    "Hope you",
    "Hope this",
    "Just wanted",
    "I thought this might",
    "It's built for",
    "It is built for",
    "Let me know",
    "Looking forward",
    "Congrats",
    "Congratulations",
];

fn is_greeting_para(p: &str) -> bool {
    let first = p.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    let first = first.trim_matches(|c: char| !c.is_alphabetic());
    !p.contains('\n')
        && text::word_count(p) <= 5
        && matches!(first, "hi" | "hey" | "hello" | "dear" | "hiya" | "heya" | "greetings" | "yo")
}

fn is_sign_off_para(p: &str) -> bool {
    let first = p.lines().next().unwrap_or("").trim();
    text::word_count(first) <= 3 && (first.ends_with(',') || SIGN_OFF_LINES.contains(&first))
}

/// (greeting, middle, closing) paragraph index ranges.
fn layout(paras: &[String]) -> (usize, usize) {
    let start = usize::from(paras.first().is_some_and(|p| is_greeting_para(p)));
    let mut end = paras.len();
    while end > start && (is_sign_off_para(&paras[end - 1]) || is_ps_line(&paras[end - 1])) {
        end -= 1;
    }
    (start, end)
}

fn shorter(body: &str) -> Result<String, RewriteError> {
    let paras: Vec<String> = paragraphs(body).into_iter().filter(|p| !is_ps_line(p)).collect();
    let (start, end) = layout(&paras);
    let mut out = paras.clone();
    // 1. Drop filler sentences from the middle paragraphs.
    let mut changed = false;
    for p in out.iter_mut().take(end).skip(start) {
        let s = sentences(p);
        let kept: Vec<String> =
            s.iter().filter(|x| !FILLER_STARTS.iter().any(|f| x.starts_with(f))).cloned().collect();
        if !kept.is_empty() && kept.len() < s.len() {
            *p = kept.join(" ");
            changed = true;
        }
    }
    // 2. Otherwise keep the first sentence of each middle paragraph.
    if !changed {
        for p in out.iter_mut().take(end).skip(start) {
            let s = sentences(p);
            if s.len() > 1 {
                *p = s[0].clone();
                changed = true;
            }
        }
    }
    // 3. Otherwise keep only the first and last middle paragraphs.
    if !changed && end - start > 2 {
        out.drain(start + 1..end - 1);
    }
    let result = out.join("\n\n");
    if text::word_count(&result) >= text::word_count(body) {
        return Err(RewriteError::NoChange {
            reason: "The draft is already as short as the built-in writer can make it.".to_string(),
        });
    }
    Ok(result)
}

const SIGN_OFF_LINES: &[&str] = &[
    "Best,",
    "Best regards,",
    "Kind regards,",
    "Warm regards,",
    "Regards,",
    "Sincerely,",
    "Best wishes,",
    "Yours,",
    "Cheers,",
    "Thanks,",
    "Talk soon,",
    "Thanks!",
    "Cheers!",
];

/// (formal, casual) pairs, applied as whole words in the needed direction.
const PAIRS: &[(&str, &str)] = &[
    ("Would you be open to a brief conversation?", "Open to a quick chat?"),
    ("Would you be open to a quick chat?", "Open to a quick chat?"),
    ("brief conversation", "quick chat"),
    ("Congratulations", "Congrats"),
    ("congratulations", "congrats"),
    ("I am", "I'm"),
    ("We are", "We're"),
    ("we are", "we're"),
    ("It is", "It's"),
    ("it is", "it's"),
    ("You are", "You're"),
    ("you are", "you're"),
    ("do not", "don't"),
    ("does not", "doesn't"),
    ("is not", "isn't"),
    ("cannot", "can't"),
    ("will not", "won't"),
    ("I would", "I'd"),
    ("I have", "I've"),
    ("We have", "We've"),
    ("we have", "we've"),
    ("that is", "that's"),
    ("That is", "That's"),
    ("Let us", "Let's"),
];

/// Replaces whole-word occurrences of `from` with `to`.
fn replace_words(s: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find(from) {
        let before_ok = rest[..pos]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}');
        let after = &rest[pos + from.len()..];
        let after_ok =
            after.chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}');
        out.push_str(&rest[..pos]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

fn restyle(body: &str, casual: bool) -> Result<String, RewriteError> {
    let mut paras = paragraphs(body);
    if let Some(first) = paras.first_mut().filter(|p| is_greeting_para(p)) {
        let word: String = first.chars().take_while(|c| c.is_alphabetic()).collect();
        let new = if casual {
            matches!(word.as_str(), "Hello" | "Dear" | "Hi" | "Greetings").then_some("Hey")
        } else {
            matches!(word.as_str(), "Hey" | "Hi" | "Hiya" | "Heya" | "Yo").then_some("Hello")
        };
        if let Some(new) = new {
            *first = format!("{new}{}", &first[word.len()..]);
        }
    }
    if let Some(last) = paras.last_mut().filter(|p| is_sign_off_para(p)) {
        let mut lines: Vec<String> = last.lines().map(str::to_string).collect();
        let line = lines[0].trim().to_string();
        let new = if casual {
            (SIGN_OFF_LINES.contains(&line.as_str()) && !line.starts_with("Cheers")).then_some("Cheers,")
        } else {
            matches!(line.as_str(), "Cheers," | "Cheers!" | "Thanks," | "Thanks!" | "Best," | "Talk soon,")
                .then_some("Best regards,")
        };
        if let Some(new) = new {
            lines[0] = new.to_string();
            *last = lines.join("\n");
        }
    }
    let mut out = paras.join("\n\n");
    for (formal, informal) in PAIRS {
        let (from, to) = if casual { (*formal, *informal) } else { (*informal, *formal) };
        out = replace_words(&out, from, to);
        let curly_from = from.replace('\'', "\u{2019}");
        if curly_from != from {
            out = replace_words(&out, &curly_from, to);
        }
    }
    if out == paragraphs(body).join("\n\n") {
        return Err(RewriteError::NoChange {
            reason: format!(
                "The draft is already as {} as the built-in writer can make it.",
                if casual { "casual" } else { "formal" }
            ),
        });
    }
    Ok(out)
}

/// Which kind of signal a word asks about, if it names one.
fn kind_asked(what: &str) -> Option<SignalKind> {
    let stems = text::stems(what);
    let has = |words: &[&str]| stems.iter().any(|s| words.iter().any(|w| text::stem(w) == *s));
    if has(&["funding", "fundraise", "raise", "round", "investment", "investors", "money", "series", "seed"])
    {
        Some(SignalKind::Funding)
    } else if has(&[
        "hiring",
        "jobs",
        "job",
        "roles",
        "openings",
        "careers",
        "recruiting",
        "hires",
        "vacancies",
    ]) {
        Some(SignalKind::Hiring)
    } else if has(&["tech", "technology", "stack", "tools", "tooling", "infrastructure"]) {
        Some(SignalKind::Technology)
    } else {
        None
    }
}

/// The signal in the second person: "I also saw that you raised $3M (Series A, March 2024)."
fn you_sentence(signal: &Signal) -> String {
    match predicate(signal) {
        Some(p) => {
            let clause = if let Some(r) = p.strip_prefix("is ") {
                format!("you are {r}")
            } else if let Some(r) = p.strip_prefix("uses ") {
                format!("you use {r}")
            } else if let Some(r) = p.strip_prefix("mentions ") {
                format!("your website mentions {}", r.trim_end_matches(" on its website"))
            } else {
                format!("you {p}")
            };
            format!("I also saw that {clause}.")
        }
        None => format!("I also noticed this: {}.", signal.summary.trim().trim_end_matches('.')),
    }
}

/// The part of a signal's summary a draft would repeat ("$3M (Series A, March 2024)").
fn core(signal: &Signal) -> String {
    let s = without_date_notes(&signal.summary);
    for prefix in ["Raised ", "Hiring for ", "Hiring: ", "Uses ", "Website mentions "] {
        if let Some(r) = s.strip_prefix(prefix) {
            return r.to_string();
        }
    }
    s
}

/// The strongest signal "mention their `what`" can mean: by kind ("funding") or by the
/// words of its summary.
fn find_signal<'a>(what: &str, signals: &'a [Signal]) -> Option<&'a Signal> {
    let mut ranked: Vec<&Signal> = signals.iter().collect();
    ranked.sort_by_key(|s| strength(s));
    // Words that say nothing about which signal is meant.
    const GENERIC: &[&str] = &["usage", "use", "news", "new", "recent", "announcement", "their"];
    let wanted: Vec<String> = text::stems(what)
        .into_iter()
        .filter(|w| w.chars().count() >= 2 && !GENERIC.iter().any(|g| text::stem(g) == *w))
        .collect();
    let specifics = specifics(what);
    let names_all = |s: &Signal| {
        let summary = s.summary.to_lowercase();
        specifics.iter().all(|x| summary.contains(x.as_str()))
    };
    match kind_asked(what) {
        Some(kind) => ranked.into_iter().find(|s| s.kind == kind && names_all(s)),
        None => ranked.into_iter().find(|s| {
            let summary = text::stems(&s.summary);
            !wanted.is_empty() && wanted.iter().all(|w| summary.contains(w))
        }),
    }
}

/// What pins "their Series B" or "their $20M round" to one signal: a named round and any
/// figure must be in the signal's summary, not just any funding news.
fn specifics(what: &str) -> Vec<String> {
    let lower = what.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if *w == "series"
            && let Some(letter) = words.get(i + 1).filter(|l| l.len() == 1)
        {
            out.push(format!("series {letter}"));
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            out.push(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '$').to_string());
        }
    }
    out
}

fn mention(body: &str, what: &str, signals: &[Signal]) -> Result<String, RewriteError> {
    let what = what.trim().trim_end_matches(['.', '!', '?']);
    let Some(signal) = find_signal(what, signals) else {
        return Err(RewriteError::NotFound { what: what.to_string() });
    };
    let c = core(signal);
    if body.to_lowercase().contains(&c.to_lowercase()) {
        return Err(RewriteError::NoChange { reason: format!("The draft already mentions {c}.") });
    }
    let sentence = you_sentence(signal);
    let mut paras = paragraphs(body);
    let (start, end) = layout(&paras);
    if start < end && end - start >= 2 {
        // Add to the first body paragraph (the one before the call to action).
        paras[start] = format!("{} {sentence}", paras[start]);
    } else {
        paras.insert(start, sentence);
    }
    Ok(paras.join("\n\n"))
}

#[cfg(test)]
mod tests;
