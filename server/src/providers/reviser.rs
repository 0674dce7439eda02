//! Outreach revisions through the configured LLM (the app layer's [`Reviser`]).

use app::server::reviser::{Reviser, Revision, RevisionFuture, RevisionRequest};
use serde_json::json;

use super::llm::{LlmClient, LlmRequest};
use super::prices::PriceTable;

pub const PROMPT_VERSION: &str = "revise.v1";

pub struct LlmReviser {
    pub llm: LlmClient,
    pub prices: PriceTable,
}

impl Reviser for LlmReviser {
    fn revise(&self, req: RevisionRequest) -> RevisionFuture<'_> {
        Box::pin(async move {
            let context = json!({
                "instruction": req.instruction,
                "draft": { "subject": req.subject, "body": req.body },
                "signals": req.signals,
                "writing_samples": req.samples,
            });
            let request = LlmRequest {
                schema_name: "revise".into(),
                schema: json!({ "type": "object",
                    "properties": { "subject": { "type": "string" }, "body": { "type": "string" } },
                    "required": ["subject", "body"], "additionalProperties": false }),
                system: crate::pipeline::prompt::SYSTEM.to_string(),
                user: format!(
                    "Step: revise\n{}\nContext:\n```json\n{context}\n```\n",
                    include_str!("../../prompts/revise.v1.md")
                ),
                user_short: None,
            };
            let (answer, spent) = self.llm.complete_counted(&request).await;
            let answer = answer.map_err(|e| {
                tracing::warn!(error = %e, "outreach revision by the model failed");
                format!("The language model could not revise this draft: {e}. Try again, or edit by hand.")
            })?;
            let text =
                |k: &str| answer.value.get(k).and_then(|v| v.as_str()).unwrap_or("").trim().to_string();
            let (subject, body) = (text("subject"), text("body"));
            if body.is_empty() {
                return Err("The language model returned an empty draft. Try again, or edit by hand.".into());
            }
            Ok(Revision {
                subject: if subject.is_empty() { req.subject } else { subject },
                body,
                tokens_in: spent.tokens_in as u64,
                tokens_out: spent.tokens_out as u64,
                cost_usd: self.prices.llm_cost(&spent.model, spent.tokens_in as u64, spent.tokens_out as u64),
            })
        })
    }
}
