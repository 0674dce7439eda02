//! The live lead store of the campaign page: one signal per row, so an event updates
//! exactly one row in place; aggregates (progress, histogram, signal counts) derive
//! from it. Events arrive over `EventSource` (see `live.rs`).
//!
//! Row signals are reference-counted (`ArcRwSignal`), not arena signals: the aggregates
//! and sorting read all 10,000 of them, and an arena read takes a global lookup each
//! time. Only the 50 rows on screen get an arena handle, for their view.

use leptos::prelude::*;

use crate::model::{CampaignEvent, CompanyRow};

#[derive(Clone, Copy)]
pub struct LeadStore {
    /// Rows in file order.
    pub rows: RwSignal<Vec<(i64, ArcRwSignal<CompanyRow>)>>,
    /// (id, position in `rows`), sorted by id: a lookup without hashing 10,000 keys on
    /// every page render.
    index: StoredValue<Vec<(i64, usize)>>,
    pub status: RwSignal<String>,
    pub reason: RwSignal<Option<String>>,
    /// Bumped on every change: what aggregates and re-sorting listen to.
    pub version: RwSignal<u64>,
}

impl LeadStore {
    pub fn new(rows: Vec<CompanyRow>, status: String, reason: Option<String>) -> Self {
        let rows: Vec<(i64, ArcRwSignal<CompanyRow>)> =
            rows.into_iter().map(|r| (r.id, ArcRwSignal::new(r))).collect();
        let mut index: Vec<(i64, usize)> = rows.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
        index.sort_unstable();
        LeadStore {
            rows: RwSignal::new(rows),
            index: StoredValue::new(index),
            status: RwSignal::new(status),
            reason: RwSignal::new(reason),
            version: RwSignal::new(0),
        }
    }

    pub fn apply(&self, event: CampaignEvent) {
        match event {
            CampaignEvent::Lead { row } => {
                if let Some(sig) = self.get(row.id) {
                    sig.set(row);
                }
            }
            CampaignEvent::Status { status, reason } => {
                self.status.set(status);
                self.reason.set(reason);
            }
            CampaignEvent::Rows { from, to } => self.rows.with_untracked(|rows| {
                for (_, sig) in rows {
                    if sig.with_untracked(|r| from.contains(&r.status)) {
                        sig.update(|r| {
                            r.status.clone_from(&to);
                            r.error = None;
                        });
                    }
                }
            }),
        }
        self.version.update(|v| *v += 1);
    }

    pub fn get(&self, id: i64) -> Option<ArcRwSignal<CompanyRow>> {
        let at =
            self.index.with_value(|ix| ix.binary_search_by_key(&id, |(k, _)| *k).ok().map(|i| ix[i].1))?;
        self.rows.with_untracked(|rows| rows.get(at).map(|(_, s)| s.clone()))
    }

    /// (total, done, failed, in progress)
    pub fn progress(&self) -> (u32, u32, u32, u32) {
        self.version.track();
        self.rows.with(|rows| {
            let mut done = 0;
            let mut failed = 0;
            let mut busy = 0;
            for (_, r) in rows {
                r.with_untracked(|r| match r.status.as_str() {
                    "done" => done += 1,
                    "failed" | "refused" => failed += 1,
                    "researching" => busy += 1,
                    _ => {}
                });
            }
            (rows.len() as u32, done, failed, busy)
        })
    }

    /// Scores in ten bands: 0–9, 10–19, …, 90–100.
    /// What the rows have cost so far, in millionths of a dollar.
    pub fn spent_micros(&self) -> i64 {
        self.version.track();
        self.rows.with(|rows| rows.iter().map(|(_, r)| r.with_untracked(|r| r.cost_micros)).sum())
    }

    pub fn histogram(&self) -> [u32; 10] {
        self.version.track();
        let mut bins = [0u32; 10];
        self.rows.with(|rows| {
            for (_, r) in rows {
                if let Some(s) = r.with_untracked(|r| r.score) {
                    bins[(s as usize / 10).min(9)] += 1;
                }
            }
        });
        bins
    }

    /// Whether any row has a contact (for the contacts export).
    pub fn has_contacts(&self) -> bool {
        self.version.track();
        self.rows.with(|rows| rows.iter().any(|(_, r)| r.with_untracked(|r| r.contacts > 0)))
    }

    /// Companies with at least one funding / hiring / technology signal.
    pub fn signal_counts(&self) -> [u32; 3] {
        self.version.track();
        let mut c = [0u32; 3];
        self.rows.with(|rows| {
            for (_, r) in rows {
                r.with_untracked(|r| {
                    c[0] += (r.funding > 0) as u32;
                    c[1] += (r.hiring > 0) as u32;
                    c[2] += (r.technology > 0) as u32;
                });
            }
        });
        c
    }
}

/// How the table is sorted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SortKey {
    File,
    Score,
    Name,
    Signals,
    Status,
}

impl SortKey {
    pub fn parse(s: &str) -> SortKey {
        match s {
            "score" => SortKey::Score,
            "name" => SortKey::Name,
            "signals" => SortKey::Signals,
            "status" => SortKey::Status,
            _ => SortKey::File,
        }
    }
}

/// The table's filters.
#[derive(Clone, Default, PartialEq, Debug)]
pub struct Filter {
    pub min_score: Option<u8>,
    /// "funding", "hiring" or "technology"
    pub signal: String,
    pub status: String,
    pub text: String,
}

impl Filter {
    pub fn keeps(&self, r: &CompanyRow) -> bool {
        self.keeps_text(r, &self.text.trim().to_lowercase())
    }

    /// [`Filter::keeps`] with the search text already trimmed and lower-cased (once per
    /// sort, not once per row).
    fn keeps_text(&self, r: &CompanyRow, text: &str) -> bool {
        if let Some(min) = self.min_score
            && r.score.is_none_or(|s| s < min)
        {
            return false;
        }
        let signal_ok = match self.signal.as_str() {
            "funding" => r.funding > 0,
            "hiring" => r.hiring > 0,
            "technology" => r.technology > 0,
            _ => true,
        };
        let status_ok = self.status.is_empty() || r.status == self.status;
        let text_ok = text.is_empty()
            || r.name.to_lowercase().contains(text)
            || r.domain.as_deref().is_some_and(|d| d.contains(text))
            || r.summary.as_deref().is_some_and(|s| s.to_lowercase().contains(text));
        signal_ok && status_ok && text_ok
    }

    /// The export link's query for these filters.
    pub fn query(&self) -> String {
        let mut q = Vec::new();
        if let Some(m) = self.min_score {
            q.push(format!("min_score={m}"));
        }
        if !self.signal.is_empty() {
            q.push(format!("signal={}", self.signal));
        }
        if !self.status.is_empty() {
            q.push(format!("status={}", self.status));
        }
        if !self.text.trim().is_empty() {
            let enc: String = self
                .text
                .trim()
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            q.push(format!("q={enc}"));
        }
        q.join("&")
    }
}

/// The part of a row that sorting looks at (no cloning of whole rows).
struct SortFields {
    score: i16,
    name: String,
    signals: u32,
    status_rank: u8,
}

fn status_rank(s: &str) -> u8 {
    match s {
        "done" => 0,
        "researching" => 1,
        "queued" => 2,
        "failed" | "refused" => 3,
        _ => 4,
    }
}

/// Ids in display order for a sort key and filter (file order breaks ties).
pub fn order(rows: &[(i64, CompanyRow)], key: SortKey, filter: &Filter) -> Vec<i64> {
    order_by(rows.iter().map(|(id, r)| (*id, |f: &mut dyn FnMut(&CompanyRow)| f(r))), key, filter)
}

/// The same over any rows, each read in place through its accessor (the store passes
/// its signals: no guard or copy per row).
pub fn order_by<A: FnOnce(&mut dyn FnMut(&CompanyRow))>(
    rows: impl Iterator<Item = (i64, A)>,
    key: SortKey,
    filter: &Filter,
) -> Vec<i64> {
    let mut kept: Vec<(usize, i64, SortFields)> = Vec::new();
    let text = filter.text.trim().to_lowercase();
    for (i, (id, read)) in rows.enumerate() {
        read(&mut |r: &CompanyRow| {
            if filter.keeps_text(r, &text) {
                let fields = SortFields {
                    score: r.score.map(i16::from).unwrap_or(-1),
                    name: if key == SortKey::Name { r.name.to_lowercase() } else { String::new() },
                    signals: r.signal_count(),
                    status_rank: status_rank(&r.status),
                };
                kept.push((i, id, fields));
            }
        });
    }
    kept.sort_by(|(ia, _, a), (ib, _, b)| {
        let o = match key {
            SortKey::File => std::cmp::Ordering::Equal,
            SortKey::Score => b.score.cmp(&a.score),
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Signals => b.signals.cmp(&a.signals),
            SortKey::Status => a.status_rank.cmp(&b.status_rank),
        };
        o.then(ia.cmp(ib))
    });
    kept.into_iter().map(|(_, id, _)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, name: &str, score: Option<u8>, status: &str, funding: u32) -> CompanyRow {
        CompanyRow { id, name: name.into(), score, status: status.into(), funding, ..Default::default() }
    }

    #[test]
    fn sorting_and_filtering() {
        let rows: Vec<(i64, CompanyRow)> = vec![
            (1, row(1, "Beta", Some(40), "done", 0)),
            (2, row(2, "alpha", Some(90), "done", 1)),
            (3, row(3, "Gamma", None, "queued", 0)),
            (4, row(4, "Delta", Some(90), "done", 2)),
        ];
        let all = Filter::default();
        assert_eq!(order(&rows, SortKey::File, &all), vec![1, 2, 3, 4]);
        assert_eq!(order(&rows, SortKey::Score, &all), vec![2, 4, 1, 3]);
        assert_eq!(order(&rows, SortKey::Name, &all), vec![2, 1, 4, 3]);
        assert_eq!(order(&rows, SortKey::Signals, &all), vec![4, 2, 1, 3]);
        assert_eq!(order(&rows, SortKey::Status, &all), vec![1, 2, 4, 3]);
        let f = Filter { min_score: Some(50), ..Default::default() };
        assert_eq!(order(&rows, SortKey::File, &f), vec![2, 4]);
        let f = Filter { signal: "funding".into(), text: "DEL".into(), ..Default::default() };
        assert_eq!(order(&rows, SortKey::File, &f), vec![4]);
        assert_eq!(f.query(), "signal=funding&q=DEL");
    }
}
