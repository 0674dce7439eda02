//! The built-in analyzer: transparent, rule-based research that needs no AI keys.
//!
//! Pure and deterministic: no I/O, no clock (today's year and month are passed in),
//! no randomness, no hash-map iteration order in outputs. It never invents facts: every
//! verdict, signal and contact cites the CSV cell (column) or page URL it rests on, and
//! with no data a criterion is `Unknown` and the lists are empty.
//!
//! - [`rubric`] turns the brief into weighted criteria ([`Rubric`]).
//! - [`assess`] scores one company against the rubric (formula in `score.rs`).
//! - [`signals`], [`contacts`], [`draft`] and [`rewrite`] do the rest.

// The one place that says where the shared types live (the `app` crate); submodules
// only `use super::...`.
#[cfg(test)]
pub(crate) use crate::import::Website;
pub(crate) use crate::import::{Cell, Company, Field};
pub(crate) use crate::research::{
    Assessment, Brief, Contact, Criterion, Draft, Page, Signal, SignalKind, Source, Verdict, Voice,
};
#[cfg(test)]
pub(crate) use crate::research::{FundingPref, Persona};

#[cfg(test)]
mod acceptance;
mod contacts;
mod outreach;
mod rewrite;
mod rubric;
mod score;
mod signals;
mod text;

pub use contacts::contacts;
pub use outreach::draft;
pub use rewrite::{RewriteError, check_mentions, rewrite};
pub use rubric::{Rubric, RubricCriterion, Rule, TermGroup, rubric};
pub use score::{assess, tally};
pub use signals::{DEFAULT_FUNDING_WINDOW_MONTHS, signals};

/// Today's date as `(year, month)` with month in 1..=12.
pub type Today = (i32, u32);

#[cfg(test)]
pub(crate) mod testutil {
    use super::{Cell, Company, Field, Website};

    /// A company with the given mapped fields (column name = field name unless given).
    pub fn company(name: &str, fields: &[(Field, &str, &str)]) -> Company {
        let fields: Vec<(Field, Cell)> = fields
            .iter()
            .map(|(f, column, value)| (*f, Cell { column: column.to_string(), value: value.to_string() }))
            .collect();
        let attributes = fields.iter().map(|(_, c)| c.clone()).collect();
        Company { source_row: 1, name: name.to_string(), website: Website::Missing, fields, attributes }
    }
}
