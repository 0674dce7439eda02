use super::super::Source;
use super::*;

const BODY: &str = "Hi Ada,\n\n\
    I saw that Acme raised $3M (Series A, March 2024). Congrats! Given your focus on developer tools, I thought this might be relevant.\n\n\
    At Shipfast, we offer a CI service. It is built for mobile teams.\n\n\
    Would you be open to a quick chat?\n\n\
    PS: I also saw that Acme is hiring for Backend Engineer.\n\n\
    Best,\nMia";

fn signals() -> Vec<Signal> {
    vec![
        Signal {
            kind: SignalKind::Funding,
            summary: "Raised $3M (Series A, March 2024)".into(),
            date: Some("2024-03".into()),
            source: Source::Url { url: "u1".into() },
            also: vec![],
        },
        Signal {
            kind: SignalKind::Technology,
            summary: "Uses Kubernetes".into(),
            date: None,
            source: Source::Url { url: "u2".into() },
            also: vec![],
        },
    ]
}

#[test]
fn shorter_drops_filler_and_ps() {
    assert_eq!(
        rewrite(BODY, "Make it shorter", &signals()).unwrap(),
        "Hi Ada,\n\n\
         I saw that Acme raised $3M (Series A, March 2024).\n\n\
         At Shipfast, we offer a CI service.\n\n\
         Would you be open to a quick chat?\n\n\
         Best,\nMia"
    );
    let tiny = "Hi Ada,\n\nQuick chat?\n\nBest,\nMia";
    assert!(matches!(rewrite(tiny, "shorter", &[]), Err(RewriteError::NoChange { .. })));
}

#[test]
fn casual_and_formal() {
    let casual = rewrite(BODY, "more casual", &signals()).unwrap();
    assert!(casual.starts_with("Hey Ada,\n\n"));
    assert!(casual.contains("It's built for mobile teams."));
    assert!(casual.contains("\n\nOpen to a quick chat?\n\n"));
    assert!(casual.ends_with("\n\nCheers,\nMia"));
    let formal = rewrite(&casual, "more formal", &signals()).unwrap();
    assert!(formal.starts_with("Hello Ada,\n\n"));
    assert!(formal.contains("It is built for mobile teams."));
    assert!(formal.contains("Would you be open to a brief conversation?"));
    assert!(formal.contains("Congratulations!"));
    assert!(formal.ends_with("\n\nBest regards,\nMia"));
    assert!(matches!(rewrite(&formal, "more formal", &[]), Err(RewriteError::NoChange { .. })));
}

#[test]
fn remove_the_ps() {
    let out = rewrite(BODY, "remove the PS", &[]).unwrap();
    assert!(!out.contains("PS:"));
    assert!(out.ends_with("Would you be open to a quick chat?\n\nBest,\nMia"));
    assert_eq!(rewrite(&out, "drop the P.S.", &[]).unwrap_err().to_string(), "There is no PS to remove.");
}

#[test]
fn mention_only_known_signals() {
    let out = rewrite(BODY, "mention their tech stack", &signals()).unwrap();
    assert!(out.contains("I thought this might be relevant. I also saw that you use Kubernetes.\n\n"));
    assert_eq!(rewrite(BODY, "Mention their Kubernetes usage", &signals()).unwrap(), out);
    assert_eq!(
        rewrite(BODY, "mention their office in Berlin", &signals()).unwrap_err(),
        RewriteError::NotFound { what: "office in Berlin".into() }
    );
    assert_eq!(rewrite(BODY, "mention Kubernetes", &signals()).unwrap(), out);
    let err = rewrite(BODY, "mention their Series B", &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Can't find anything about \"Series B\" in this company's signals, so the draft won't mention it."
    );
    assert!(matches!(rewrite(BODY, "mention their funding", &signals()), Err(RewriteError::NoChange { .. })));
}

#[test]
fn combined_and_unknown_instructions() {
    let out = rewrite(BODY, "shorter and more casual", &signals()).unwrap();
    assert!(out.starts_with("Hey Ada,"));
    assert!(!out.contains("PS:"));
    let err = rewrite(BODY, "translate to French", &[]).unwrap_err();
    assert_eq!(err, RewriteError::Unsupported { instruction: "translate to French".into() });
    assert!(err.to_string().starts_with("The built-in writer can't do \"translate to French\"."));
    assert!(matches!(rewrite(BODY, "shorter and funnier", &[]), Err(RewriteError::Unsupported { .. })));
}

#[test]
fn a_model_revision_may_only_mention_news_research_found() {
    let s = signals();
    assert!(check_mentions("make it shorter", &s).is_ok());
    assert!(check_mentions("mention their funding", &s).is_ok());
    assert!(check_mentions("more casual and mention their Kubernetes usage", &s).is_ok());
    assert!(check_mentions("mention our free trial", &s).is_ok(), "the sender's own offer");
    assert!(matches!(
        check_mentions("shorter, and mention their Series D", &s),
        Err(RewriteError::NotFound { what }) if what == "Series D"
    ));
    assert!(matches!(check_mentions("mention that they're hiring", &s), Err(RewriteError::NotFound { .. })));
}

#[test]
fn a_named_round_must_be_the_one_found() {
    let s = signals();
    assert!(check_mentions("mention their Series A", &s).is_ok());
    assert!(check_mentions("mention their $3M raise", &s).is_ok());
    assert!(matches!(rewrite(BODY, "mention their Series B", &s), Err(RewriteError::NotFound { .. })));
    assert!(matches!(check_mentions("mention their $30M round", &s), Err(RewriteError::NotFound { .. })));
}

#[test]
fn parts_joined_by_comma_and_are_each_applied() {
    let out = rewrite(BODY, "more casual, and mention their Kubernetes usage", &signals()).unwrap();
    assert!(out.starts_with("Hey Ada,"), "{out}");
    assert!(out.contains("Kubernetes"), "{out}");
}
