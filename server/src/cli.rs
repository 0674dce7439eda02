//! Command-line tools that need no database: `import --dry-run` shows what the importer
//! understood of a file; `score --dry-run` ranks a file with the built-in analyzer.
//! Output is JSON on stdout (shapes documented in the README).

use std::process::ExitCode;

use app::import::{self, Company, Limits};
use app::research::{Brief, FundingPref, Persona};
use serde_json::json;

use crate::providers::builtin;

pub const USAGE: &str = "usage:
  cellstack [serve]                      run the web app (configuration from environment variables)
  cellstack import --dry-run FILE        print what the importer understood of FILE, as JSON
  cellstack score --dry-run --csv FILE --icp TEXT [--persona TEXT]... [--hiring ROLE]...
                  [--tool NAME]... [--funding-months N]
                                         rank FILE's companies with the built-in analyzer, as JSON
  cellstack demo                         create a demo account with a finished S&P 500 campaign
                                         (needs DATABASE_URL, as serve does)
  cellstack fake-providers [--port N] [--llm-latency-ms MS] [--search-latency-ms MS]
                                         serve a fake OpenAI-compatible API on port N (default 4010)
                                         and a fake Exa API on port N+1, for trying and testing";

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

fn read_and_build(path: &str) -> Result<(import::Parsed, import::Outcome), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let parsed = import::parse(&bytes, &Limits::default()).map_err(|e| e.to_string())?;
    let outcome = import::build(&parsed, &parsed.mapping).map_err(|e| e.to_string())?;
    Ok((parsed, outcome))
}

pub fn import_dry_run(args: &[String]) -> ExitCode {
    let file = match args {
        [flag, file] if flag == "--dry-run" => file,
        [file, flag] if flag == "--dry-run" => file,
        _ => {
            return fail("import needs --dry-run FILE (importing into a campaign happens in the web app)");
        }
    };
    let (parsed, outcome) = match read_and_build(file) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mapping: Vec<_> =
        parsed.headers.iter().zip(&parsed.mapping).map(|(h, f)| json!({ "column": h, "field": f })).collect();
    let doc = json!({
        "file": file,
        "encoding": parsed.encoding,
        "delimiter": parsed.delimiter.to_string(),
        "header_line": parsed.header_line,
        "headers": parsed.headers,
        "mapping": mapping,
        "rows": parsed.records.len(),
        "blank_rows": parsed.blank_rows,
        "skipped_preamble": parsed.skipped_preamble,
        "skipped_footer": parsed.skipped_footer,
        "warnings": parsed.warnings,
        "companies": outcome.companies,
        "merges": outcome.merges,
        "invalid_websites": outcome.invalid_websites,
        "skipped_no_name": outcome.skipped_no_name,
        "flagged": outcome.flagged,
    });
    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    ExitCode::SUCCESS
}

/// Parsed `score` arguments.
#[derive(Debug, Default, PartialEq)]
pub struct ScoreArgs {
    pub csv: String,
    pub brief: Brief,
}

pub fn parse_score_args(args: &[String]) -> Result<ScoreArgs, String> {
    let mut out = ScoreArgs::default();
    let mut dry = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--dry-run" => dry = true,
            "--csv" => out.csv = value("--csv")?,
            "--icp" => out.brief.icp = value("--icp")?,
            "--persona" => {
                out.brief.personas.push(Persona { title: value("--persona")?, description: String::new() })
            }
            "--hiring" => out.brief.hiring_roles.push(value("--hiring")?),
            "--tool" => out.brief.tools.push(value("--tool")?),
            "--funding-months" => {
                let v = value("--funding-months")?;
                let months = v.parse().map_err(|_| format!("--funding-months takes a number, not {v:?}"))?;
                out.brief.funding = Some(FundingPref { months });
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if !dry {
        return Err("score needs --dry-run (campaigns are scored in the web app)".into());
    }
    if out.csv.is_empty() || out.brief.icp.trim().is_empty() {
        return Err("score needs --csv FILE and --icp TEXT".into());
    }
    Ok(out)
}

/// Ranks companies, best first (ties keep file order).
pub fn rank(brief: &Brief, companies: &[Company], today: builtin::Today) -> serde_json::Value {
    let rubric = builtin::rubric(brief);
    let mut scored: Vec<_> = companies
        .iter()
        .map(|c| {
            let assessment = builtin::assess(&rubric, c, &[], today);
            let signals = builtin::signals(brief, c, &[], today);
            (c, assessment, signals)
        })
        .collect();
    scored.sort_by(|a, b| b.1.score.cmp(&a.1.score).then(a.0.source_row.cmp(&b.0.source_row)));
    let ranked: Vec<_> = scored
        .into_iter()
        .enumerate()
        .map(|(i, (c, a, s))| {
            json!({
                "rank": i + 1,
                "row": c.source_row,
                "name": c.name,
                "domain": c.domain(),
                "score": a.score,
                "summary": a.summary,
                "criteria": a.criteria,
                "signals": s,
            })
        })
        .collect();
    serde_json::Value::Array(ranked)
}

pub fn score_dry_run(args: &[String]) -> ExitCode {
    let args = match parse_score_args(args) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let (_, outcome) = match read_and_build(&args.csv) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let ranked = rank(&args.brief, &outcome.companies, (now.year(), now.month() as u32));
    println!("{}", serde_json::to_string_pretty(&ranked).unwrap_or_default());
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn score_arguments() {
        let a = parse_score_args(&s(&[
            "--dry-run",
            "--csv",
            "f.csv",
            "--icp",
            "B2B devtools",
            "--persona",
            "CTO",
            "--hiring",
            "data engineer",
            "--tool",
            "Snowflake",
            "--funding-months",
            "12",
        ]))
        .unwrap();
        assert_eq!(a.csv, "f.csv");
        assert_eq!(a.brief.icp, "B2B devtools");
        assert_eq!(a.brief.personas[0].title, "CTO");
        assert_eq!(a.brief.hiring_roles, vec!["data engineer".to_string()]);
        assert_eq!(a.brief.tools, vec!["Snowflake".to_string()]);
        assert_eq!(a.brief.funding, Some(FundingPref { months: 12 }));
        assert!(parse_score_args(&s(&["--csv", "f.csv", "--icp", "x"])).unwrap_err().contains("--dry-run"));
        assert!(
            parse_score_args(&s(&["--dry-run", "--funding-months", "soon"])).unwrap_err().contains("number")
        );
    }

    #[test]
    fn ranking_puts_matching_companies_first() {
        let outcome = import::parse_manual("Acme Devtools, acme.example\nShoe Shop, shoes.example").unwrap();
        let mut companies = outcome.companies;
        companies[0].fields.push((
            import::Field::Industry,
            import::Cell { column: "Categories".into(), value: "Developer Tools, API".into() },
        ));
        companies[1].fields.push((
            import::Field::Industry,
            import::Cell { column: "Categories".into(), value: "E-Commerce, Fashion".into() },
        ));
        let brief = Brief { icp: "developer tools companies".into(), ..Default::default() };
        let ranked = rank(&brief, &companies, (2026, 12));
        assert_eq!(ranked[0]["name"], "Acme Devtools");
        assert_eq!(ranked[0]["rank"], 1);
        assert!(ranked[0]["score"].as_u64() > ranked[1]["score"].as_u64());
    }
}
