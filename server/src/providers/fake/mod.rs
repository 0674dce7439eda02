//! Look-alike OpenAI-compatible and Exa HTTP servers with scripted answers, latency and
//! fault injection. Tests start them in-process; `cellstack fake-providers` runs them
//! standalone so a real server (scripts, the pipeline benchmark, a person trying the
//! provider path) can be pointed at them with environment variables only.

pub mod exa;
pub mod openai;
pub mod responder;

use std::process::ExitCode;
use std::time::Duration;

use super::Providers;
use super::exa::{ExaClient, ExaConfig};
use super::llm::{LlmClient, LlmConfig};

/// Providers wired to running fakes (model `gpt-4o-mini`, so the price table applies),
/// with no website fetching: what tests and the pipeline benchmark run against.
pub fn providers_for(llm: &openai::FakeOpenAi, search: &exa::FakeExa, timeout: Duration) -> Providers {
    Providers {
        llm: Some(LlmClient::new(LlmConfig {
            api_key: "fake-key".into(),
            base_url: llm.base_url(),
            model: "gpt-4o-mini".into(),
            timeout,
            max_tokens: 800,
        })),
        exa: Some(ExaClient::new(ExaConfig {
            api_key: "fake-key".into(),
            base_url: search.base_url(),
            timeout,
        })),
        fetcher: None,
        ..Providers::default()
    }
}

/// Runs both fakes until Ctrl-C, printing the variables that point a server at them.
pub async fn run(args: &[String]) -> ExitCode {
    let mut port: u16 = 4010;
    let (mut llm_ms, mut search_ms) = (0u64, 0u64);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse::<u64>().ok());
        match (flag.as_str(), value) {
            ("--port", Some(v)) if v > 0 && v < 65535 => port = v as u16,
            ("--llm-latency-ms", Some(v)) => llm_ms = v,
            ("--search-latency-ms", Some(v)) => search_ms = v,
            _ => {
                eprintln!("error: bad argument {flag:?}\n\n{}", crate::cli::USAGE);
                return ExitCode::from(2);
            }
        }
    }
    let llm = match openai::FakeOpenAi::start(port, Duration::from_millis(llm_ms), responder::from_sources())
        .await
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let search = match exa::FakeExa::start(port + 1, Duration::from_millis(search_ms)).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{}: {e}", port + 1);
            return ExitCode::FAILURE;
        }
    };
    println!("fake providers are running; point a server at them with:");
    println!("  OPENAI_BASE_URL={} OPENAI_API_KEY=fake OPENAI_MODEL=fake-model", llm.base_url());
    println!("  EXA_BASE_URL={} EXA_API_KEY=fake", search.base_url());
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
