//! The price table: what a model's tokens and a search cost, in US dollars. Read from
//! configuration (`PRICES`), with defaults for common models. A model missing from the
//! table costs 0 and is reported as "price unknown" rather than guessed.

/// Dollars per million tokens, in and out.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelPrice {
    pub model: String,
    pub input_per_m: f64,
    pub output_per_m: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriceTable {
    pub models: Vec<ModelPrice>,
    /// Per search call, used when the search provider does not report its own cost.
    pub search_call: f64,
}

/// Defaults (list prices, USD per 1M tokens); override with `PRICES`.
pub const DEFAULT_PRICES: &str =
    "gpt-4o-mini:0.15:0.60,gpt-4o:2.50:10.00,gpt-4.1-mini:0.40:1.60,gpt-4.1:2.00:8.00,gpt-4.1-nano:0.10:0.40";

/// Tokens an LLM step typically uses; the estimate before a start rests on these.
pub const TYPICAL_TOKENS_IN: u64 = 2_500;
pub const TYPICAL_TOKENS_OUT: u64 = 350;
/// LLM steps per company (score, signals, contacts, outreach) and searches per company.
pub const LLM_STEPS: u64 = 4;
pub const SEARCHES: u64 = 1;

impl PriceTable {
    /// `model:in:out` entries, comma-separated.
    pub fn parse(spec: &str, search_call: f64) -> Result<PriceTable, String> {
        let models = spec
            .split(',')
            .filter(|e| !e.trim().is_empty())
            .map(|e| {
                // Model names may contain ':' (Ollama tags such as `llama3.1:8b`): split from the right.
                let mut parts = e.trim().rsplitn(3, ':');
                let (out, inp, model) = (parts.next(), parts.next(), parts.next());
                match (model, inp.map(str::parse::<f64>), out.map(str::parse::<f64>)) {
                    (Some(m), Some(Ok(i)), Some(Ok(o))) if !m.is_empty() && i >= 0.0 && o >= 0.0 => {
                        Ok(ModelPrice { model: m.to_string(), input_per_m: i, output_per_m: o })
                    }
                    _ => Err(format!("{e:?} is not model:input_per_million:output_per_million")),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PriceTable { models, search_call })
    }

    /// The price of `model`; dated variants (`gpt-4o-mini-2024-07-18`) use their base entry.
    pub fn model(&self, model: &str) -> Option<&ModelPrice> {
        self.models
            .iter()
            .filter(|p| model == p.model || model.starts_with(&format!("{}-", p.model)))
            .max_by_key(|p| p.model.len())
    }

    pub fn llm_cost(&self, model: &str, tokens_in: u64, tokens_out: u64) -> f64 {
        self.model(model)
            .map(|p| (tokens_in as f64 * p.input_per_m + tokens_out as f64 * p.output_per_m) / 1e6)
            .unwrap_or(0.0)
    }

    /// Expected dollars per company for the configured providers (0 for the built-in analyzer).
    pub fn per_company(&self, model: Option<&str>, search: bool) -> f64 {
        let llm = model
            .map(|m| LLM_STEPS as f64 * self.llm_cost(m, TYPICAL_TOKENS_IN, TYPICAL_TOKENS_OUT))
            .unwrap_or(0.0);
        llm + if search { SEARCHES as f64 * self.search_call } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prices() {
        let t = PriceTable::parse(DEFAULT_PRICES, 0.005).unwrap();
        assert_eq!(t.model("gpt-4o-mini-2024-07-18").unwrap().model, "gpt-4o-mini");
        assert_eq!(t.model("gpt-4o").unwrap().input_per_m, 2.5);
        assert!((t.llm_cost("gpt-4o-mini", 1_000_000, 1_000_000) - 0.75).abs() < 1e-9);
        assert_eq!(t.llm_cost("mystery-model", 10_000, 10_000), 0.0);
        // 4 steps x (2500 x 0.15 + 350 x 0.60) / 1e6 + 1 search x 0.005
        let expected = 4.0 * (2500.0 * 0.15 + 350.0 * 0.60) / 1e6 + 0.005;
        assert!((t.per_company(Some("gpt-4o-mini"), true) - expected).abs() < 1e-12);
        assert_eq!(t.per_company(None, false), 0.0);
    }

    #[test]
    fn ollama_tags_and_errors() {
        let t = PriceTable::parse("llama3.1:8b:0:0", 0.0).unwrap();
        assert_eq!(t.models[0].model, "llama3.1:8b");
        assert!(PriceTable::parse("gpt-4o:cheap:1", 0.0).is_err());
        assert!(PriceTable::parse("gpt-4o:1", 0.0).is_err());
    }
}
