use super::super::testutil::company;
use super::super::{Criterion, Field, Source};
use super::*;

fn voice(samples: &[&str]) -> Voice {
    Voice {
        company_name: "Shipfast".into(),
        product: "a CI service".into(),
        audience: "mobile teams".into(),
        samples: samples.iter().map(|s| s.to_string()).collect(),
    }
}

fn funding() -> Signal {
    Signal {
        kind: SignalKind::Funding,
        summary: "Raised $3M (Series A, March 2024)".into(),
        date: Some("2024-03".into()),
        source: Source::Cell { column: "Last Round".into(), value: "$3,000,000".into() },
        also: vec![],
    }
}

fn hiring() -> Signal {
    Signal {
        kind: SignalKind::Hiring,
        summary: "Hiring for Backend Engineer".into(),
        date: None,
        source: Source::Url { url: "https://acme.io/careers".into() },
        also: vec![],
    }
}

fn assessment(criteria: Vec<Criterion>) -> Assessment {
    Assessment { score: 80, criteria, summary: String::new(), known_weight_share: 1.0 }
}

fn matched_dev() -> Criterion {
    Criterion {
        id: "terms:developer".into(),
        label: "developer tools / API".into(),
        weight: 3,
        verdict: Verdict::Match,
        reason: "Categories mentions \"Developer Tools\"".into(),
        evidence: vec![],
    }
}

fn contact() -> Contact {
    Contact {
        name: "Ada Lovelace".into(),
        title: Some("CTO".into()),
        linkedin: None,
        email: None,
        source: Source::Cell { column: "Name".into(), value: "Ada Lovelace".into() },
    }
}

const CASUAL: &str = "Hey Sam!\n\nSaw your launch, looks great. We're building something similar and I'd love to compare notes. \
    It's a small team, but we've shipped a lot this year and I think you'd find it useful.\n\nUp for a call?\n\nCheers,\nMia\n\nPS: loved the demo";
const CASUAL2: &str = "Hey Jo!\n\nQuick one: I'm curious how you handle releases today. We've been helping teams like yours ship faster and I'd be glad to show you.\n\nCheers,\nMia";

#[test]
fn cues_from_samples() {
    let c = cues(&[CASUAL.to_string(), CASUAL2.to_string()]);
    assert_eq!(
        c,
        Cues {
            greeting: "Hey".into(),
            greeting_punct: "!".into(),
            sign_off: "Cheers,".into(),
            signature: Some("Mia".into()),
            words: 45,
            contractions: true,
            ps: Some("PS:".into()),
        }
    );
    assert_eq!(cues(&[]), Cues::default());
}

#[test]
fn draft_follows_voice_and_uses_strongest_signal() {
    let c = company("Acme", &[(Field::Industry, "Categories", "Developer Tools")]);
    let d = draft(
        &voice(&[CASUAL, CASUAL2]),
        &Brief::default(),
        &c,
        &assessment(vec![matched_dev()]),
        &[hiring(), funding()],
        Some(&contact()),
    );
    assert_eq!(d.subject, "Quick idea for Acme");
    assert_eq!(
        d.body,
        "Hey Ada!\n\n\
         I saw that Acme raised $3M (Series A, March 2024). Congrats! At Shipfast, we offer a CI service.\n\n\
         Open to a quick chat?\n\n\
         PS: I also saw that Acme is hiring for Backend Engineer.\n\n\
         Cheers,\nMia"
    );
    assert_eq!(d.signal_used.as_deref(), Some("Raised $3M (Series A, March 2024)"));
}

#[test]
fn formal_longer_voice_without_signals_uses_matched_criterion() {
    let formal = "Hello Dr. Smith,\n\nI am writing to introduce our company. We work with engineering leaders at \
        growing software firms, helping them reduce the time spent on release management. Our customers \
        typically see faster release cycles within the first quarter, and the setup takes less than a day. \
        I would welcome the opportunity to discuss whether this could be useful for your organization, \
        and I am happy to adapt to your schedule.\n\nBest regards,\nJohn Doe\nShipfast";
    let c = company("Lob", &[]);
    let d = draft(&voice(&[formal]), &Brief::default(), &c, &assessment(vec![matched_dev()]), &[], None);
    assert_eq!(
        d.body,
        "Hello there,\n\n\
         I came across Lob while looking at developer tools companies.\n\n\
         At Shipfast, we offer a CI service. It is built for mobile teams.\n\n\
         Would you be open to a quick chat?\n\n\
         Best regards,\nJohn Doe"
    );
    assert_eq!(d.signal_used, None);
}

#[test]
fn nothing_known_says_nothing_specific() {
    let c = company("Lob", &[]);
    let d = draft(&Voice::default(), &Brief::default(), &c, &assessment(vec![]), &[], None);
    assert_eq!(
        d.body,
        "Hi there,\n\nI came across Lob and wanted to reach out.\n\nWould you be open to a quick chat?\n\nBest,"
    );
}

#[test]
fn undated_funding_reads_naturally() {
    let s = Signal {
        kind: SignalKind::Funding,
        summary: "Raised $1.2M and an undisclosed amount (no date given)".into(),
        date: None,
        source: Source::Url { url: "x".into() },
        also: vec![],
    };
    assert_eq!(
        signal_sentence("Curebit", &s, false),
        "I saw that Curebit raised $1.2M and an undisclosed amount."
    );
    let other = Signal { summary: "Opened a Berlin office".into(), ..s };
    assert_eq!(
        signal_sentence("Curebit", &other, false),
        "I saw this about Curebit: Opened a Berlin office."
    );
}

#[test]
fn a_product_sentence_reads_mid_sentence() {
    assert_eq!(super::mid_sentence("A managed data pipeline service"), "a managed data pipeline service");
    assert_eq!(super::mid_sentence("The fastest CI"), "the fastest CI");
    assert_eq!(super::mid_sentence("AI search for sales teams"), "AI search for sales teams");
    assert_eq!(super::mid_sentence("Snowflake connectors"), "Snowflake connectors");
}
