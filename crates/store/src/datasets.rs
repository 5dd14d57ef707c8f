//! Labelled data sets: versions written once with their rows, data card and audit entry,
//! and read back. There is no update or delete: a change is the next version.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AuditEntry, Result, Store, StoreError, Taken, WriteTx};

/// A version without its card and rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionMeta {
    pub name: String,
    pub version: i64,
    pub sha256: String,
    pub source: String,
    pub filename: Option<String>,
    pub row_count: i64,
    pub created_at: String,
    pub created_by: String,
}

/// A version to store, or as read back with its card (JSON, as the platform computed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetVersion {
    pub meta: VersionMeta,
    pub card: String,
}

/// One stored row; `split` is train, dev or test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetRow {
    pub id: String,
    pub text: String,
    pub code: String,
    pub source: String,
    pub split: String,
}

/// What [`WriteTx::add_dataset_version`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    New(VersionMeta),
    /// The newest version holds the same content; no version was added.
    Unchanged(VersionMeta),
}

/// A data set with its newest version and how many it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetSummary {
    pub name: String,
    pub created_at: String,
    pub created_by: String,
    pub versions: i64,
    pub latest: VersionMeta,
}

const META: &str = "name, version, sha256, source, filename, row_count, created_at, created_by";
/// Rows per INSERT: 8 parameters each keeps a statement far below either engine's limit.
const ROWS_PER_INSERT: usize = 100;

fn meta(row: &AnyRow) -> Result<VersionMeta> {
    Ok(VersionMeta {
        name: row.try_get("name")?,
        version: row.try_get("version")?,
        sha256: row.try_get("sha256")?,
        source: row.try_get("source")?,
        filename: row.try_get("filename")?,
        row_count: row.try_get("row_count")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
    })
}

impl WriteTx {
    /// The newest version of a data set as this transaction sees it, when there is one:
    /// read after the audit head is taken, so no other writer slips in between.
    pub async fn latest_dataset_version(&mut self, name: &str) -> Result<Option<VersionMeta>> {
        let row = sqlx::query(&format!(
            "SELECT {META} FROM dataset_versions WHERE name = $1 ORDER BY version DESC LIMIT 1"
        ))
        .bind(name)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| meta(&r)).transpose()
    }

    /// Stores `version` with its rows as the next version, and audits it, unless the newest
    /// version already has its sha256: then nothing is written and that version is returned.
    /// The version number is decided here, under the audit head, so two writers never race
    /// (`version.meta.version` is ignored). The first version creates the data set.
    pub async fn add_dataset_version(
        &mut self,
        version: &DatasetVersion,
        rows: &[DatasetRow],
    ) -> Result<Added> {
        let latest = self.latest_dataset_version(&version.meta.name).await?;
        if let Some(latest) = latest.as_ref().filter(|l| l.sha256 == version.meta.sha256) {
            return Ok(Added::Unchanged(latest.clone()));
        }
        let latest = latest.map_or(0, |v| v.version);
        let m = &VersionMeta {
            version: latest + 1,
            ..version.meta.clone()
        };
        if latest == 0 {
            sqlx::query("INSERT INTO datasets (name, created_at, created_by) VALUES ($1, $2, $3)")
                .bind(&m.name)
                .bind(&m.created_at)
                .bind(&m.created_by)
                .execute(self.conn())
                .await
                .map_err(|e| {
                    StoreError::from_insert(
                        e,
                        Taken::Dataset {
                            name: m.name.clone(),
                        },
                    )
                })?;
        }
        sqlx::query(&format!(
            "INSERT INTO dataset_versions ({META}, card) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(&m.name)
        .bind(m.version)
        .bind(&m.sha256)
        .bind(&m.source)
        .bind(&m.filename)
        .bind(m.row_count)
        .bind(&m.created_at)
        .bind(&m.created_by)
        .bind(&version.card)
        .execute(self.conn())
        .await
        .map_err(|e| {
            StoreError::from_insert(
                e,
                Taken::Version {
                    name: m.name.clone(),
                    version: m.version,
                },
            )
        })?;
        for (chunk_no, chunk) in rows.chunks(ROWS_PER_INSERT).enumerate() {
            let placeholders: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p: Vec<String> = (1..=8).map(|k| format!("${}", i * 8 + k)).collect();
                    format!("({})", p.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO dataset_rows (name, version, position, row_id, text, code, source, split) VALUES {}",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for (i, r) in chunk.iter().enumerate() {
                query = query
                    .bind(&m.name)
                    .bind(m.version)
                    .bind((chunk_no * ROWS_PER_INSERT + i) as i64)
                    .bind(&r.id)
                    .bind(&r.text)
                    .bind(&r.code)
                    .bind(&r.source)
                    .bind(&r.split);
            }
            query.execute(self.conn()).await?;
        }
        self.audit(AuditEntry {
            actor: m.created_by.clone(),
            action: "dataset.version".into(),
            object: format!("dataset:{}", m.name),
            before: None,
            after: Some(
                serde_json::json!({
                    "version": m.version,
                    "sha256": m.sha256,
                    "rows": m.row_count,
                    "source": m.source,
                    "filename": m.filename,
                })
                .to_string(),
            ),
        })
        .await?;
        Ok(Added::New(m.clone()))
    }
}

impl Store {
    /// Every data set with its newest version, by name.
    pub async fn datasets(&self) -> Result<Vec<DatasetSummary>> {
        let rows = sqlx::query(
            "SELECT d.name AS name, d.created_at AS d_created_at, d.created_by AS d_created_by,
                    v.version AS version, v.sha256 AS sha256, v.source AS source,
                    v.filename AS filename, v.row_count AS row_count,
                    v.created_at AS created_at, v.created_by AS created_by
             FROM datasets d JOIN dataset_versions v ON v.name = d.name
             WHERE v.version = (SELECT MAX(version) FROM dataset_versions w WHERE w.name = d.name)
             ORDER BY d.name",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let latest = meta(r)?;
                Ok(DatasetSummary {
                    name: latest.name.clone(),
                    created_at: r.try_get("d_created_at")?,
                    created_by: r.try_get("d_created_by")?,
                    versions: latest.version,
                    latest,
                })
            })
            .collect()
    }

    /// Every version of a data set, oldest first (empty when there is no such set).
    pub async fn dataset_versions(&self, name: &str) -> Result<Vec<VersionMeta>> {
        let rows = sqlx::query(&format!(
            "SELECT {META} FROM dataset_versions WHERE name = $1 ORDER BY version"
        ))
        .bind(name)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(meta).collect()
    }

    /// One version with its card; the newest when `version` is `None`.
    pub async fn dataset_version(
        &self,
        name: &str,
        version: Option<i64>,
    ) -> Result<Option<DatasetVersion>> {
        let row = sqlx::query(&format!(
            "SELECT {META}, card FROM dataset_versions WHERE name = $1 AND ($2 < 0 OR version = $2)
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(name)
        .bind(version.unwrap_or(-1))
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(DatasetVersion {
                meta: meta(&r)?,
                card: r.try_get("card")?,
            })
        })
        .transpose()
    }

    /// A version's rows in canonical order, all or those of one split.
    pub async fn dataset_rows(
        &self,
        name: &str,
        version: i64,
        split: Option<&str>,
    ) -> Result<Vec<DatasetRow>> {
        let rows = sqlx::query(
            "SELECT row_id, text, code, source, split FROM dataset_rows
             WHERE name = $1 AND version = $2 AND ($3 = '' OR split = $3) ORDER BY position",
        )
        .bind(name)
        .bind(version)
        .bind(split.unwrap_or(""))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DatasetRow {
                    id: r.try_get("row_id")?,
                    text: r.try_get("text")?,
                    code: r.try_get("code")?,
                    source: r.try_get("source")?,
                    split: r.try_get("split")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Backend;
    use crate::testing::fresh;

    fn version(n: i64, sha: &str, rows: usize) -> DatasetVersion {
        DatasetVersion {
            meta: VersionMeta {
                name: "parcels".into(),
                version: n,
                sha256: sha.into(),
                source: "upload".into(),
                filename: Some("parcels.csv".into()),
                row_count: rows as i64,
                created_at: crate::now(),
                created_by: "user:dana".into(),
            },
            card: format!("{{\"rows\":{rows}}}"),
        }
    }

    fn rows(n: usize) -> Vec<DatasetRow> {
        (0..n)
            .map(|i| DatasetRow {
                id: format!("r{i:04}"),
                text: format!("item {i}"),
                code: "847130".into(),
                source: "upload".into(),
                split: if i % 10 == 0 { "test" } else { "train" }.into(),
            })
            .collect()
    }

    #[tokio::test]
    async fn versions_are_written_once_with_their_rows_and_audited() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let store = fresh(backend).await;
            let mut tx = store.write().await.unwrap();
            assert!(
                tx.latest_dataset_version("parcels")
                    .await
                    .unwrap()
                    .is_none()
            );
            // More rows than one INSERT carries.
            let added = tx
                .add_dataset_version(&version(1, "aa", 250), &rows(250))
                .await
                .unwrap();
            assert!(matches!(added, Added::New(ref m) if m.version == 1));
            tx.commit().await.unwrap();
            // The same content again adds nothing.
            let mut tx = store.write().await.unwrap();
            let again = tx
                .add_dataset_version(&version(7, "aa", 250), &rows(250))
                .await
                .unwrap();
            assert!(matches!(again, Added::Unchanged(ref m) if m.version == 1));
            drop(tx);
            let mut tx = store.write().await.unwrap();
            let added = tx
                .add_dataset_version(&version(7, "bb", 3), &rows(3))
                .await
                .unwrap();
            assert!(matches!(added, Added::New(ref m) if m.version == 2));
            tx.commit().await.unwrap();

            let all = store.datasets().await.unwrap();
            assert_eq!(all.len(), 1);
            assert_eq!((all[0].versions, all[0].latest.sha256.as_str()), (2, "bb"));
            let versions = store.dataset_versions("parcels").await.unwrap();
            assert_eq!(versions.len(), 2);
            let old = store
                .dataset_version("parcels", Some(1))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(old.card, "{\"rows\":250}");
            let newest = store.dataset_version("parcels", None).await.unwrap();
            assert_eq!(newest.unwrap().meta.version, 2);
            let stored = store.dataset_rows("parcels", 1, None).await.unwrap();
            assert_eq!(stored, rows(250), "rows come back in order");
            let test = store
                .dataset_rows("parcels", 1, Some("test"))
                .await
                .unwrap();
            assert_eq!(test.len(), 25);
            assert!(
                store
                    .dataset_version("parcels", Some(3))
                    .await
                    .unwrap()
                    .is_none()
            );
            let trail = store.audit_trail("dataset:parcels").await.unwrap();
            assert_eq!(trail.len(), 2);
            assert_eq!(trail[0].action, "dataset.version");
            assert!(store.verify_audit(|_, _| {}).await.unwrap().is_intact());
        }
    }
}
