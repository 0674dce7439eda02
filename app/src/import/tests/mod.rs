//! Tests of the importer on the field cases, the real data sets and whole classes of
//! faults. Data files are read from `shared/` (see [`crate::testdata`]).

mod cases;
mod classes;
mod datasets;
mod layout;
mod manual;
mod merges;
mod perf;
mod robustness;

use super::*;

pub(super) use crate::testdata::read_shared;

pub(super) fn parse_ok(bytes: &[u8]) -> Parsed {
    parse(bytes, &Limits::default()).unwrap_or_else(|e| panic!("parse failed: {e}"))
}

pub(super) fn parse_str(s: &str) -> Parsed {
    parse_ok(s.as_bytes())
}

/// Parse and build with the automatic mapping.
pub(super) fn import(bytes: &[u8]) -> (Parsed, Outcome) {
    let p = parse_ok(bytes);
    let o = build(&p, &p.mapping).unwrap_or_else(|e| panic!("build failed: {e}"));
    (p, o)
}

pub(super) fn s(v: &str) -> String {
    v.to_owned()
}

pub(super) fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

pub(super) fn dom(d: &str) -> Website {
    Website::Domain { domain: d.to_owned() }
}

pub(super) fn cells(p: &Parsed) -> Vec<Vec<String>> {
    p.records.iter().map(|r| r.cells.clone()).collect()
}

pub(super) fn names(o: &Outcome) -> Vec<&str> {
    o.companies.iter().map(|c| c.name.as_str()).collect()
}

pub(super) fn value(c: &Company, f: Field) -> Option<&str> {
    c.field(f).map(|cell| cell.value.as_str())
}
