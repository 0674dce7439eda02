//! Folding a row into the earlier company with the same domain without losing what the
//! row said: its company fields fill the kept row's gaps, its contact (an Apollo people
//! export lists one person a row) becomes another contact, and every other value it adds
//! is kept as an attribute.

use std::collections::HashSet;

use super::build::FieldSet;
use super::types::{Cell, Company, Field, merged_column};

/// What a kept company already holds, made at its first merge.
pub(crate) struct Held {
    /// Values held per column of the file.
    values: Vec<Values>,
    /// The contacts held, each as its (column, value) pairs in column order.
    people: HashSet<Vec<(usize, String)>>,
    /// Company fields the kept company has (its fields grow with every contact merged in,
    /// so looking them up there would make many merges quadratic).
    filled: FieldSet,
}

/// A set of values; most columns hold one or two, so those are compared in a list.
enum Values {
    Few(Vec<String>),
    Many(HashSet<String>),
}

impl Values {
    const FEW: usize = 8;

    fn is_empty(&self) -> bool {
        match self {
            Values::Few(v) => v.is_empty(),
            Values::Many(v) => v.is_empty(),
        }
    }

    /// Adds `v`; false if it was already there.
    fn insert(&mut self, v: &str) -> bool {
        match self {
            Values::Few(list) if list.iter().any(|x| x == v) => false,
            Values::Few(list) if list.len() < Self::FEW => {
                list.push(v.to_owned());
                true
            }
            Values::Few(list) => {
                let mut set: HashSet<String> = list.drain(..).collect();
                set.insert(v.to_owned());
                *self = Values::Many(set);
                true
            }
            Values::Many(set) => !set.contains(v) && set.insert(v.to_owned()),
        }
    }
}

impl Held {
    /// `person[i]`: column `i` is mapped to a person field.
    pub(crate) fn of(kept: &Company, headers: &[String], person: &[bool]) -> Held {
        let mut values: Vec<Values> = headers.iter().map(|_| Values::Few(Vec::new())).collect();
        let mut own: Vec<(usize, String)> = Vec::new();
        // The row's attributes are its non-empty cells in column order.
        let mut attrs = kept.attributes.iter().peekable();
        for (i, h) in headers.iter().enumerate() {
            if let Some(a) = attrs.next_if(|a| a.column == *h) {
                values[i].insert(&a.value);
                if person[i] {
                    own.push((i, a.value.clone()));
                }
            }
        }
        let mut people = HashSet::new();
        if !own.is_empty() {
            people.insert(own);
        }
        let mut filled = FieldSet::default();
        for (f, _) in &kept.fields {
            filled.insert(*f);
        }
        Held { values, people, filled }
    }
}

/// Merges data row `row` (its `cells`, one per header) into `kept`.
///
/// - Company fields `kept` has no value for take the row's (first non-empty per field).
/// - The row's person cells, unless the same person is already held, are added to the
///   fields and the attributes as [`merged_column`]s (`Email (row 7)`), so each merged
///   row is one more contact and its cells stay together.
/// - Any other value not yet held for its column is added to the attributes: under the
///   column's own name when `kept` has none (so a filled gap and its attribute cite the
///   same cell), else as a [`merged_column`]. Values already held are not repeated.
pub(crate) fn merge_row(
    kept: &mut Company,
    held: &mut Held,
    row: usize,
    cells: &[String],
    headers: &[String],
    mapped: &[(usize, Field)],
    person: &[bool],
) {
    let cell = |i: usize| cells.get(i).map_or("", String::as_str);
    let mut done = FieldSet::default();
    for &(i, f) in mapped {
        let v = cell(i);
        if v.is_empty() || f.is_person() || !done.insert(f) {
            continue;
        }
        if held.filled.insert(f) {
            kept.fields.push((f, Cell { column: headers[i].clone(), value: v.to_owned() }));
        }
    }

    let contact: Vec<(usize, String)> = (0..headers.len())
        .filter(|&i| person[i] && !cell(i).is_empty())
        .map(|i| (i, cell(i).to_owned()))
        .collect();
    let new_contact = !contact.is_empty() && held.people.insert(contact);
    if new_contact {
        let mut done = FieldSet::default();
        for &(i, f) in mapped {
            let v = cell(i);
            if f.is_person() && !v.is_empty() && done.insert(f) {
                kept.fields.push((f, Cell { column: merged_column(&headers[i], row), value: v.to_owned() }));
            }
        }
    }

    for (i, h) in headers.iter().enumerate() {
        let v = cell(i);
        if v.is_empty() {
            continue;
        }
        if person[i] {
            if new_contact {
                kept.attributes.push(Cell { column: merged_column(h, row), value: v.to_owned() });
            }
            continue;
        }
        let first = held.values[i].is_empty();
        if held.values[i].insert(v) {
            let column = if first { h.clone() } else { merged_column(h, row) };
            kept.attributes.push(Cell { column, value: v.to_owned() });
        }
    }
}
