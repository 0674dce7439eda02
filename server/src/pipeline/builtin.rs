//! The judging steps with the keyless built-in analyzer: rules over the file's cells
//! and any fetched pages, deterministic, nothing invented.

use super::steps::{Inputs, Output, StepError};
use crate::providers::builtin;

pub fn today() -> builtin::Today {
    let now = time::OffsetDateTime::now_utc();
    (now.year(), now.month() as u32)
}

pub fn run(step: &str, inp: &Inputs) -> Result<Output, StepError> {
    let assess = || builtin::assess(&builtin::rubric(&inp.brief), &inp.company, &inp.pages, today());
    Ok(match step {
        "score" => Output::Score(assess()),
        "signals" => Output::Signals(builtin::signals(&inp.brief, &inp.company, &inp.pages, today())),
        "contacts" => Output::Contacts(builtin::contacts(&inp.brief, &inp.company)),
        "outreach" => {
            let assessment = inp.assessment.clone().unwrap_or_else(assess);
            Output::Outreach(builtin::draft(
                &inp.voice,
                &inp.brief,
                &inp.company,
                &assessment,
                &inp.signals,
                inp.contacts.first(),
            ))
        }
        other => return Err(StepError::Data(format!("unknown step {other:?}"))),
    })
}
