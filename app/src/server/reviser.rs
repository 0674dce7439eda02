//! Outreach revisions by a language model, when the server has one configured. The app
//! layer knows only this interface; the server binary provides the implementation (its
//! LLM client), so the app crate needs no provider code.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What the model is asked to revise.
#[derive(Debug, Clone)]
pub struct RevisionRequest {
    pub subject: String,
    pub body: String,
    pub instruction: String,
    /// The lead's signals (summaries): the only news the draft may mention.
    pub signals: Vec<String>,
    /// The sender's writing samples, for the voice.
    pub samples: Vec<String>,
}

/// A revised draft, and what the model call cost (zero for the built-in rewriter): it is
/// added to the lead's spend, so the campaign's cost shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Revision {
    pub subject: String,
    pub body: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
}

pub type RevisionFuture<'a> = Pin<Box<dyn Future<Output = Result<Revision, String>> + Send + 'a>>;

pub trait Reviser: Send + Sync {
    /// Revises a draft; the error is a sentence for the user.
    fn revise(&self, req: RevisionRequest) -> RevisionFuture<'_>;
}

/// The configured reviser, if any (shared through [`super::Settings`]).
#[derive(Clone, Default)]
pub struct ReviserSlot(pub Option<Arc<dyn Reviser>>);

impl std::fmt::Debug for ReviserSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "ReviserSlot(LLM)" } else { "ReviserSlot(built-in)" })
    }
}
