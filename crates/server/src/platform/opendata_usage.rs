//! Usage statistics of the classification service, collected so that they can be published
//! without exposing anyone's query.
//!
//! Privacy by design:
//! - a classification counts its top HS6 code and the words of its description that belong
//!   to the public tariff vocabulary (the nomenclature's own words and the curated trade
//!   names); names, numbers, addresses and any other free text are dropped before counting,
//!   so they never reach memory beyond the request, the database or a release;
//! - counts are per day and item: no request rows, no client, user or address;
//! - the open dataset sums them per month and publishes only items counted at least
//!   [`MIN_COUNT`] times in that month, so a rare (identifying) term or code never appears.
//!
//! Recording is an in-memory increment; a background task adds the counts to the store
//! every [`super::PlatformSettings::usage_flush`] (and a publication flushes first). It never
//! takes the audit head, so classifications do not wait on casework writes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use nomenclature::Nomenclature;
use store::opendata::UsageCount;

use super::Platform;
use super::casework::{iso, today};

/// k of the threshold: an item counted fewer times in a month is not published.
pub const MIN_COUNT: i64 = 5;
/// Words counted per request at most, so one long description cannot dominate.
const MAX_TERMS_PER_REQUEST: usize = 12;

/// Counter kinds, also the `kind` column of the dataset.
pub const KIND_CODE: &str = "code";
pub const KIND_TERM: &str = "term";
pub const KIND_REQUESTS: &str = "requests";

/// Words that say nothing about the goods even where the nomenclature uses them.
const EXTRA_STOP_WORDS: &[&str] = &[
    "other",
    "not",
    "than",
    "whether",
    "including",
    "excluding",
    "parts",
    "kind",
    "kinds",
    "used",
    "new",
    "nes",
    "etc",
    "like",
    "made",
    "type",
    "types",
    "use",
];

#[derive(Default)]
pub struct UsageCounter {
    pending: Mutex<HashMap<(String, &'static str, String), i64>>,
    vocabulary: OnceLock<HashSet<String>>,
}

/// Tokens that can be counted: letters only, 3 to 30 characters, no stop word.
fn words(text: &str) -> impl Iterator<Item = String> {
    text::tokenize(text)
        .into_iter()
        .map(|t| t.text)
        .filter(|w| {
            (3..=30).contains(&w.chars().count())
                && w.chars().all(char::is_alphabetic)
                && !text::is_stop_word(w)
                && !EXTRA_STOP_WORDS.contains(&w.as_str())
        })
}

/// The public tariff vocabulary: every word of the nomenclature and of the trade names.
fn vocabulary(hs: &Nomenclature) -> HashSet<String> {
    let mut v: HashSet<String> = hs
        .nodes()
        .iter()
        .flat_map(|n| words(&n.description).collect::<Vec<_>>())
        .collect();
    for (name, _) in text::Synonyms::builtin().entries() {
        v.extend(words(name));
    }
    v
}

impl UsageCounter {
    /// Counts one classification: its top code (when there is one) and its vocabulary words.
    pub fn record(&self, hs: &Nomenclature, description: &str, top_code: Option<&str>) {
        let vocabulary = self.vocabulary.get_or_init(|| vocabulary(hs));
        let mut terms: Vec<String> = words(description)
            .filter(|w| vocabulary.contains(w))
            .collect();
        terms.sort();
        terms.dedup();
        terms.truncate(MAX_TERMS_PER_REQUEST);
        let day = iso(today());
        let mut pending = self.pending.lock().expect("usage counter lock");
        let mut add = |kind: &'static str, item: String| {
            *pending.entry((day.clone(), kind, item)).or_insert(0) += 1;
        };
        add(KIND_REQUESTS, "all".into());
        if let Some(code) = top_code {
            add(KIND_CODE, code.to_string());
        }
        for t in terms {
            add(KIND_TERM, t);
        }
    }

    /// Adds what was counted since the last flush to the store. On failure the counts are
    /// kept for the next try.
    pub async fn flush(&self, store: &store::Store) -> store::Result<()> {
        let taken = std::mem::take(&mut *self.pending.lock().expect("usage counter lock"));
        if taken.is_empty() {
            return Ok(());
        }
        let counts: Vec<UsageCount> = taken
            .iter()
            .map(|((day, kind, item), hits)| UsageCount {
                day: day.clone(),
                kind: (*kind).to_string(),
                item: item.clone(),
                hits: *hits,
            })
            .collect();
        if let Err(e) = store.add_usage(&counts).await {
            let mut pending = self.pending.lock().expect("usage counter lock");
            for (key, hits) in taken {
                *pending.entry(key).or_insert(0) += hits;
            }
            return Err(e);
        }
        Ok(())
    }
}

/// Flushes the counters on the configured interval, for as long as the server runs.
pub async fn run(platform: Arc<Platform>) {
    let every = platform
        .settings
        .usage_flush
        .max(std::time::Duration::from_secs(1));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = platform.usage.flush(&platform.store).await {
            tracing::warn!(error = %e, "classification usage not stored yet; will retry");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_words_are_candidates() {
        let got: Vec<String> =
            words("Dried strawberries, 30g pouches for Mr. Lin at No. 5 Rd").collect();
        // "lin" is a candidate here; only the vocabulary check keeps names out.
        assert_eq!(got, ["dried", "strawberries", "pouches", "lin"]);
    }
}
