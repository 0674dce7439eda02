//! Whether a model's words are backed by the source it cites. Citing a real source is not
//! enough: "Raised $50M Series C" citing a page about a family winery must not be
//! stored. The checkable facts of a claim — amounts and other numbers, years, funding
//! rounds — must each appear in the cited text; the rest of the wording is the model's
//! own paraphrase and is not held to the letter.

/// `claim` states nothing that `source` lacks (see the module docs).
pub fn grounded(claim: &str, source: &str) -> bool {
    let source_rounds = rounds(&source.to_lowercase());
    let have: Vec<f64> = numbers(source).into_iter().map(|n| n.value).collect();
    let numbers_ok = numbers(claim).iter().all(|n| {
        if n.is_year() {
            // A year is said the same way everywhere: it must stand in the text.
            return have.contains(&n.value);
        }
        // "$3.1M" may stand for "3100000" or "3,120,000": equal within rounding.
        have.iter().any(|h| (h - n.value).abs() <= n.value.abs() * 0.05)
    });
    numbers_ok && rounds(&claim.to_lowercase()).iter().all(|r| source_rounds.contains(r))
}

/// Every year in `date` ("2024-03", "March 2024") stands in `source`. Only the year is
/// held to the letter: a model may write "March 2024" as "2024-03".
pub fn date_grounded(date: &str, source: &str) -> bool {
    let have: Vec<f64> = numbers(source).into_iter().map(|n| n.value).collect();
    numbers(date).iter().filter(|n| n.is_year()).all(|n| have.contains(&n.value))
}

#[derive(Debug, Clone, Copy)]
struct Number {
    value: f64,
    /// Written with a scale word or letter ("3M", "3 million"), or with a currency sign.
    scaled: bool,
}

impl Number {
    fn is_year(&self) -> bool {
        !self.scaled && self.value.fract() == 0.0 && (1900.0..=2100.0).contains(&self.value)
    }
}

/// Numbers as written: `12`, `3.1`, `3,100,000`, `$3M`, `3 million`, `40k`, `12%`.
fn numbers(text: &str) -> Vec<Number> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let currency = i > 0 && matches!(chars[i - 1], '$' | '€' | '£');
        let mut digits = String::new();
        while i < chars.len() {
            let c = chars[i];
            let joins = matches!(c, ',' | '.')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                && !digits.is_empty();
            if c.is_ascii_digit() {
                digits.push(c);
            } else if joins {
                // A comma before three digits groups thousands; a dot is a decimal point.
                if c == '.' {
                    digits.push('.');
                }
            } else {
                break;
            }
            i += 1;
        }
        let Ok(mut value) = digits.parse::<f64>() else { continue };
        let rest: String = chars[i..].iter().take(12).collect::<String>().to_lowercase();
        let rest = rest.trim_start();
        let scale = [
            ("billion", 1e9),
            ("bn", 1e9),
            ("million", 1e6),
            ("mm", 1e6),
            ("thousand", 1e3),
            ("b", 1e9),
            ("m", 1e6),
            ("k", 1e3),
        ]
        .into_iter()
        .find(|(w, _)| {
            rest.starts_with(w) && !rest[w.len()..].chars().next().is_some_and(char::is_alphanumeric)
        });
        if let Some((_, factor)) = scale {
            value *= factor;
        }
        out.push(Number { value, scaled: scale.is_some() || currency });
    }
    out
}

/// Funding rounds named in lower-cased `text`: "series b", "seed", "pre-seed", "ipo".
fn rounds(text: &str) -> Vec<String> {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        match *w {
            "series" => {
                if let Some(letter) = words.get(i + 1).filter(|l| l.len() == 1) {
                    out.push(format!("series {letter}"));
                }
            }
            "seed" | "pre-seed" | "ipo" => out.push(w.to_string()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grounded;

    #[test]
    fn an_invented_round_or_amount_is_not_grounded() {
        let page = "We are a family winery with 40 employees. We sell mainly to restaurants.";
        assert!(!grounded("Raised $50M Series C", page));
        assert!(!grounded("Raised a Series C", page));
        assert!(!grounded("Has 45 employees", page));
        assert!(grounded("A family winery with 40 employees", page));
        assert!(grounded("Sells to restaurants", page));
    }

    #[test]
    fn amounts_match_however_they_are_written() {
        let cell = "$3100000, undisclosed amount, $300000";
        assert!(grounded("Raised $3.1M and $300K", cell));
        assert!(grounded("Raised 3.1 million dollars", cell));
        assert!(!grounded("Raised $31M", cell));
        assert!(grounded("Raised $12.5 million", "closed a $12,500,000 round"));
        assert!(!grounded("Raised $12.5 million", "closed a $125,000 round"));
    }

    #[test]
    fn years_and_rounds_must_stand_in_the_text() {
        let news = "Acme announced its Series B of $20M in March 2024.";
        assert!(grounded("Series B, $20 million (March 2024)", news));
        assert!(!grounded("Series B, $20 million (March 2023)", news));
        assert!(!grounded("Seed round of $20M", news));
        assert!(!grounded("IPO in 2024", news));
        assert!(grounded("Hiring: Senior Data Engineer", "Careers: Senior Data Engineer (remote)"));
    }

    #[test]
    fn a_date_needs_its_year_in_the_text() {
        use super::date_grounded;
        assert!(date_grounded("2024-03", "in March 2024"));
        assert!(!date_grounded("2023-03", "in March 2024"));
        assert!(date_grounded("", "no date at all"));
    }
}
