//! Releases of the open datasets: publishing now (a new immutable version only when the data
//! changed since the latest one), reading a release back as a table, and what changed.
//!
//! A stored release never changes, so a table read back is cached by (dataset, version) for
//! as long as the process lives, bounded to a few entries.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use opendata::{Format, Manifest, Table, Value};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use store::opendata::{ReleaseFile, ReleaseRecord};

use super::opendata_datasets::{DatasetDef, build};
use super::{casework, platform};
use crate::{AppState, Problem};

/// Tables kept in memory at most; each is one release of one dataset.
const CACHED_TABLES: usize = 24;
/// Cell changes (and added or removed rows) kept in a release's "what changed".
pub const MAX_SAMPLE: usize = 1000;

/// (dataset, version) → the table and when it was last used.
type Tables = HashMap<(String, i64), (Arc<Table>, u64)>;

/// Tables of releases read back, least recently used evicted first.
#[derive(Default)]
pub struct TableCache {
    tables: Mutex<Tables>,
    clock: AtomicU64,
}

impl TableCache {
    fn get(&self, dataset: &str, version: i64) -> Option<Arc<Table>> {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut tables = self.tables.lock().expect("table cache lock");
        let (table, used) = tables.get_mut(&(dataset.to_string(), version))?;
        *used = now;
        Some(table.clone())
    }

    fn put(&self, dataset: &str, version: i64, table: Arc<Table>) {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut tables = self.tables.lock().expect("table cache lock");
        if tables.len() >= CACHED_TABLES
            && let Some(k) = tables
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
        {
            tables.remove(&k);
        }
        tables.insert((dataset.to_string(), version), (table, now));
    }
}

/// What changed in a release since the version before it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    /// The version compared against; `None` for the first release.
    pub from_version: Option<i64>,
    pub added: usize,
    pub removed: usize,
    /// Rows present in both versions with at least one changed cell.
    pub changed_rows: usize,
    pub changed_cells: usize,
    /// Column changes (added, removed, type, description).
    pub schema: Vec<Json>,
    /// Up to [`MAX_SAMPLE`] changed cells: key (column → value), column, old, new.
    pub cells: Vec<Json>,
    /// Up to [`MAX_SAMPLE`] added and removed rows, as objects.
    pub added_rows: Vec<Json>,
    pub removed_rows: Vec<Json>,
    /// True when a list above holds fewer entries than its count.
    pub truncated: bool,
    /// Why rows could not be compared, when they could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Changes {
    /// One line for people: "+3 rows, −1 row, 2 cells changed".
    pub fn headline(&self) -> String {
        if self.from_version.is_none() {
            return format!("First release: {} rows.", self.added);
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = vec![
            format!("+{}", plural(self.added, "row", "rows")),
            format!("−{}", plural(self.removed, "row", "rows")),
            format!("{} changed", plural(self.changed_cells, "cell", "cells")),
        ];
        if !self.schema.is_empty() {
            parts.push(plural(self.schema.len(), "column change", "column changes"));
        }
        parts.join(", ")
    }
}

/// A row as a JSON object, columns in schema order.
pub fn row_object(table: &Table, row: &[Value]) -> Json {
    let mut o = Map::new();
    for (i, c) in table.schema.columns().iter().enumerate() {
        let v = row.get(i).unwrap_or(&Value::Null);
        o.insert(
            c.name.clone(),
            serde_json::to_value(v).unwrap_or(Json::Null),
        );
    }
    Json::Object(o)
}

fn changes(previous: Option<(i64, &Table)>, table: &Table) -> Changes {
    let Some((from, old)) = previous else {
        return Changes {
            added: table.rows.len(),
            ..Changes::default()
        };
    };
    let mut out = Changes {
        from_version: Some(from),
        ..Changes::default()
    };
    let d = match opendata::diff(old, table) {
        Ok(d) => d,
        Err(e) => {
            out.note = Some(e.to_string());
            out.added = table.rows.len();
            out.removed = old.rows.len();
            return out;
        }
    };
    out.added = d.added.len();
    out.removed = d.removed.len();
    out.changed_cells = d.changed.len();
    let mut keys: Vec<&Vec<Value>> = d.changed.iter().map(|c| &c.key).collect();
    keys.dedup();
    out.changed_rows = keys.len();
    out.schema = d
        .schema
        .iter()
        .filter_map(|s| serde_json::to_value(s).ok())
        .collect();
    let key_names = table.schema.primary_key();
    out.cells = d
        .changed
        .iter()
        .take(MAX_SAMPLE)
        .map(|c| {
            let key: Map<String, Json> = key_names
                .iter()
                .zip(&c.key)
                .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(Json::Null)))
                .collect();
            serde_json::json!({ "key": key, "column": c.column, "old": c.old, "new": c.new })
        })
        .collect();
    out.added_rows = d
        .added
        .iter()
        .take(MAX_SAMPLE)
        .map(|r| row_object(table, r))
        .collect();
    out.removed_rows = d
        .removed
        .iter()
        .take(MAX_SAMPLE)
        .map(|r| row_object(old, r))
        .collect();
    out.truncated = [out.added, out.removed, out.changed_cells]
        .into_iter()
        .any(|n| n > MAX_SAMPLE);
    out
}

fn corrupt(what: impl std::fmt::Display) -> Problem {
    tracing::error!(%what, "a stored open data release is unreadable");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The stored release could not be read.",
    )
}

pub fn manifest_of(r: &ReleaseRecord) -> Result<Manifest, Problem> {
    Manifest::from_json(&r.manifest)
        .map_err(|e| corrupt(format!("{} v{}: {e}", r.dataset, r.version)))
}

/// The release's date as its manifest states it (the publisher's calendar day).
pub fn release_date(r: &ReleaseRecord) -> String {
    Manifest::from_json(&r.manifest)
        .map(|m| m.release.published_at.to_string())
        .unwrap_or_else(|_| r.published_at.get(..10).unwrap_or_default().to_string())
}

pub fn changes_of(r: &ReleaseRecord) -> Changes {
    serde_json::from_str(&r.changes).unwrap_or_default()
}

/// A release with its manifest and table.
pub struct Loaded {
    pub record: ReleaseRecord,
    pub manifest: Manifest,
    pub table: Arc<Table>,
}

/// The table of a stored release, from the cache or its Parquet file.
async fn table_of(
    state: &AppState,
    r: &ReleaseRecord,
    m: &Manifest,
) -> Result<Arc<Table>, Problem> {
    let p = platform(state);
    if let Some(t) = p.tables.get(&r.dataset, r.version) {
        return Ok(t);
    }
    let name = m
        .release
        .files
        .iter()
        .find(|f| f.format == Format::Parquet)
        .map(|f| f.name.clone())
        .ok_or_else(|| corrupt(format!("{} v{}: no Parquet file", r.dataset, r.version)))?;
    let file = p
        .store
        .release_file(&r.dataset, r.version, &name)
        .await?
        .ok_or_else(|| corrupt(format!("{} v{}: {name} missing", r.dataset, r.version)))?;
    let table = tokio::task::spawn_blocking(move || opendata::from_parquet(&file.content))
        .await
        .map_err(corrupt)?
        .map_err(corrupt)?;
    let table = Arc::new(table);
    p.tables.put(&r.dataset, r.version, table.clone());
    Ok(table)
}

/// A release of a dataset (the latest when `version` is `None`); `None` when there is none.
pub async fn load(
    state: &AppState,
    dataset: &str,
    version: Option<i64>,
) -> Result<Option<Loaded>, Problem> {
    let store = &platform(state).store;
    let record = match version {
        Some(v) => store.release(dataset, v).await?,
        None => store.latest_release(dataset).await?,
    };
    let Some(record) = record else {
        return Ok(None);
    };
    let manifest = manifest_of(&record)?;
    let table = table_of(state, &record, &manifest).await?;
    Ok(Some(Loaded {
        record,
        manifest,
        table,
    }))
}

/// The latest release, or a 404 saying there is none (or no such version).
pub async fn require(
    state: &AppState,
    def: &DatasetDef,
    version: Option<i64>,
) -> Result<Loaded, Problem> {
    load(state, def.id, version)
        .await?
        .ok_or_else(|| match version {
            Some(v) => Problem::not_found(format!("{} has no version {v}.", def.id)),
            None => Problem::not_found(format!("{} has not been published yet.", def.id)),
        })
}

pub enum Outcome {
    Published(ReleaseRecord, Changes),
    Unchanged(ReleaseRecord),
}

/// Builds the dataset from the platform's data now and stores it as the next version, unless
/// its CSV is byte for byte the latest release's.
pub async fn publish(state: &AppState, def: &DatasetDef, actor: &str) -> Result<Outcome, Problem> {
    let p = platform(state);
    if def.id == "classification-usage" {
        p.usage.flush(&p.store).await?;
    }
    let table = build(state, def).await?;
    let csv_sha = opendata::sha256_hex(&opendata::to_csv(&table));
    let latest = p.store.latest_release(def.id).await?;
    if let Some(l) = &latest
        && l.csv_sha256 == csv_sha
    {
        return Ok(Outcome::Unchanged(l.clone()));
    }
    let version = latest.as_ref().map_or(1, |l| l.version + 1);
    let previous = match &latest {
        Some(l) => Some((l.version, table_of(state, l, &manifest_of(l)?).await?)),
        None => None,
    };
    let id = def.id;
    let key = p.settings.opendata_key.0.clone();
    let made = tokio::task::spawn_blocking(move || {
        let v = u32::try_from(version).unwrap_or(u32::MAX);
        let published = opendata::publish(id, v, casework::today(), &table)?;
        let changes = changes(previous.as_ref().map(|(v, t)| (*v, t.as_ref())), &table);
        let manifest = Manifest::sign(published.release, &key);
        Ok::<_, opendata::PublishError>((manifest, published.files, changes, table))
    })
    .await
    .map_err(corrupt)?;
    let (manifest, files, changes, table) = made.map_err(|e| {
        tracing::error!(error = %e, dataset = id, "publishing failed");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("The release could not be made: {e}"),
        )
    })?;
    let record = ReleaseRecord {
        dataset: def.id.into(),
        version,
        published_at: store::now(),
        published_by: actor.into(),
        csv_sha256: csv_sha,
        row_count: table.rows.len() as i64,
        manifest: manifest.to_json(),
        changes: serde_json::to_string(&changes).expect("changes serialise"),
    };
    let stored: Vec<ReleaseFile> = manifest
        .release
        .files
        .iter()
        .zip(files)
        .map(|(f, (name, content))| ReleaseFile {
            name,
            media_type: f.format.media_type().into(),
            sha256: f.sha256.clone(),
            content,
        })
        .collect();
    let mut tx = p.store.write().await?;
    match tx.add_release(&record, &stored).await {
        Ok(()) => {}
        Err(store::StoreError::Stale { current }) => {
            return Err(super::errors::conflict(format!(
                "Version {current} of {} was published meanwhile; publish again.",
                def.id
            )));
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    p.tables.put(def.id, version, Arc::new(table));
    Ok(Outcome::Published(record, changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use opendata::{Column, ColumnType, Schema};

    fn table(rows: &[(&str, i64)]) -> Table {
        let schema = Schema::new(
            vec![
                Column::new("maker", ColumnType::Text, "Maker"),
                Column::new("count", ColumnType::Integer, "Vehicles"),
            ],
            &["maker"],
        )
        .unwrap();
        let rows = rows
            .iter()
            .map(|(m, n)| vec![Value::text(*m), Value::Integer(*n)])
            .collect();
        Table::new(schema, rows).unwrap()
    }

    #[test]
    fn changes_count_and_sample_what_differs() {
        let old = table(&[("Kia", 3), ("Toyota", 12)]);
        let new = table(&[("Honda", 1), ("Kia", 4)]);
        let c = changes(Some((1, &old)), &new);
        assert_eq!(
            (c.added, c.removed, c.changed_rows, c.changed_cells),
            (1, 1, 1, 1)
        );
        assert_eq!(
            c.cells[0],
            serde_json::json!({"key": {"maker": "Kia"}, "column": "count", "old": 3, "new": 4})
        );
        assert_eq!(
            c.added_rows[0],
            serde_json::json!({"maker": "Honda", "count": 1})
        );
        assert_eq!(c.headline(), "+1 row, −1 row, 1 cell changed");
        assert!(!c.truncated);
        let first = changes(None, &new);
        assert_eq!(first.headline(), "First release: 2 rows.");
        assert!(first.cells.is_empty() && first.added_rows.is_empty());
    }

    #[test]
    fn the_cache_evicts_the_least_recently_used_table() {
        let cache = TableCache::default();
        let t = Arc::new(table(&[]));
        for v in 0..CACHED_TABLES as i64 {
            cache.put("d", v, t.clone());
        }
        assert!(cache.get("d", 0).is_some());
        cache.put("d", 99, t.clone());
        assert!(cache.get("d", 0).is_some(), "used last, so kept");
        assert!(
            cache.get("d", 1).is_none(),
            "least recently used, so evicted"
        );
        assert!(cache.get("d", 99).is_some());
    }
}
