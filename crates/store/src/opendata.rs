//! Open data: immutable releases with their files, and the classification-usage counters
//! the usage dataset is built from.
//!
//! Releases are only ever inserted (with an audit entry) and read: there is no update or
//! delete here, and the primary key refuses a second release under the same version.
//! Usage counters are the one write that does not take the audit head: they are statistics
//! added to by every classification, not records of anyone's decision.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AuditEntry, Result, Store, StoreError, Taken, WriteTx};

/// One stored release, without its files' bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseRecord {
    pub dataset: String,
    pub version: i64,
    pub published_at: String,
    pub published_by: String,
    pub csv_sha256: String,
    pub row_count: i64,
    /// The signed manifest, as JSON.
    pub manifest: String,
    /// What changed since the previous version, as JSON.
    pub changes: String,
}

/// A file of a release, to store or as read back (its hash re-checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseFile {
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// A usage counter: on `day` (YYYY-MM-DD), `item` of `kind` was counted `hits` times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageCount {
    pub day: String,
    pub kind: String,
    pub item: String,
    pub hits: i64,
}

const COLUMNS: &str =
    "dataset, version, published_at, published_by, csv_sha256, row_count, manifest, changes";

fn release(row: &AnyRow) -> Result<ReleaseRecord> {
    Ok(ReleaseRecord {
        dataset: row.try_get("dataset")?,
        version: row.try_get("version")?,
        published_at: row.try_get("published_at")?,
        published_by: row.try_get("published_by")?,
        csv_sha256: row.try_get("csv_sha256")?,
        row_count: row.try_get("row_count")?,
        manifest: row.try_get("manifest")?,
        changes: row.try_get("changes")?,
    })
}

impl WriteTx {
    /// The newest version of a dataset as this transaction sees it (0 when none): read after
    /// the audit head is taken, so no other publisher can slip in between.
    pub async fn latest_release_version(&mut self, dataset: &str) -> Result<i64> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM opendata_releases WHERE dataset = $1")
                .bind(dataset)
                .fetch_one(self.conn())
                .await?;
        Ok(v.unwrap_or(0))
    }

    /// Stores a new release and its files. The version must be the next one: anything else
    /// (another publisher was first) is `Stale`, and an existing version is `Duplicate`.
    pub async fn add_release(&mut self, r: &ReleaseRecord, files: &[ReleaseFile]) -> Result<()> {
        let latest = self.latest_release_version(&r.dataset).await?;
        if r.version != latest + 1 {
            return Err(StoreError::Stale { current: latest });
        }
        sqlx::query(&format!(
            "INSERT INTO opendata_releases ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&r.dataset)
        .bind(r.version)
        .bind(&r.published_at)
        .bind(&r.published_by)
        .bind(&r.csv_sha256)
        .bind(r.row_count)
        .bind(&r.manifest)
        .bind(&r.changes)
        .execute(self.conn())
        .await
        .map_err(|e| {
            StoreError::from_insert(
                e,
                Taken::Version {
                    name: r.dataset.to_string(),
                    version: r.version,
                },
            )
        })?;
        let mut listed = Vec::new();
        for f in files {
            sqlx::query(
                "INSERT INTO opendata_files (dataset, version, name, media_type, sha256, byte_size, content)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&r.dataset)
            .bind(r.version)
            .bind(&f.name)
            .bind(&f.media_type)
            .bind(&f.sha256)
            .bind(f.content.len() as i64)
            .bind(STANDARD.encode(&f.content))
            .execute(self.conn())
            .await?;
            listed.push(serde_json::json!({ "name": f.name, "sha256": f.sha256 }));
        }
        self.audit(AuditEntry {
            actor: r.published_by.clone(),
            action: "opendata.publish".into(),
            object: format!("dataset:{}", r.dataset),
            before: None,
            after: Some(
                serde_json::json!({
                    "version": r.version,
                    "rows": r.row_count,
                    "csv_sha256": r.csv_sha256,
                    "files": listed,
                })
                .to_string(),
            ),
        })
        .await?;
        Ok(())
    }
}

impl Store {
    /// Every release of a dataset, oldest first.
    pub async fn releases(&self, dataset: &str) -> Result<Vec<ReleaseRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM opendata_releases WHERE dataset = $1 ORDER BY version"
        ))
        .bind(dataset)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(release).collect()
    }

    pub async fn release(&self, dataset: &str, version: i64) -> Result<Option<ReleaseRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM opendata_releases WHERE dataset = $1 AND version = $2"
        ))
        .bind(dataset)
        .bind(version)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| release(&r)).transpose()
    }

    pub async fn latest_release(&self, dataset: &str) -> Result<Option<ReleaseRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM opendata_releases WHERE dataset = $1
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(dataset)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| release(&r)).transpose()
    }

    /// One file of a release with its bytes, checked against the stored sha256.
    pub async fn release_file(
        &self,
        dataset: &str,
        version: i64,
        name: &str,
    ) -> Result<Option<ReleaseFile>> {
        let row = sqlx::query(
            "SELECT name, media_type, sha256, content FROM opendata_files
             WHERE dataset = $1 AND version = $2 AND name = $3",
        )
        .bind(dataset)
        .bind(version)
        .bind(name)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let sha256: String = row.try_get("sha256")?;
        let content: String = row.try_get("content")?;
        let bytes = STANDARD
            .decode(content)
            .map_err(|e| StoreError::Corrupt(format!("{dataset} v{version} {name}: {e}")))?;
        if hex::encode(Sha256::digest(&bytes)) != sha256 {
            return Err(StoreError::Corrupt(format!(
                "{dataset} v{version} {name}: checksum mismatch"
            )));
        }
        Ok(Some(ReleaseFile {
            name: row.try_get("name")?,
            media_type: row.try_get("media_type")?,
            sha256,
            content: bytes,
        }))
    }

    /// Adds counts to the usage counters in one short transaction of its own: no audit head,
    /// so classifications never queue behind casework writes.
    pub async fn add_usage(&self, counts: &[UsageCount]) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool().begin().await?;
        for c in counts {
            sqlx::query(
                "INSERT INTO classification_usage (day, kind, item, hits) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (day, kind, item)
                 DO UPDATE SET hits = classification_usage.hits + excluded.hits",
            )
            .bind(&c.day)
            .bind(&c.kind)
            .bind(&c.item)
            .bind(c.hits)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Monthly sums (`day` is `YYYY-MM`) of the items counted at least `min_hits` times in
    /// their month: the threshold is applied here, so rarer items never leave the database.
    pub async fn usage_by_month(&self, min_hits: i64) -> Result<Vec<UsageCount>> {
        let rows = sqlx::query(
            "SELECT substr(day, 1, 7) AS month, kind, item, CAST(SUM(hits) AS BIGINT) AS total
             FROM classification_usage
             GROUP BY substr(day, 1, 7), kind, item
             HAVING SUM(hits) >= $1
             ORDER BY month, kind, item",
        )
        .bind(min_hits)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UsageCount {
                    day: r.try_get("month")?,
                    kind: r.try_get("kind")?,
                    item: r.try_get("item")?,
                    hits: r.try_get("total")?,
                })
            })
            .collect()
    }

    /// The counters from `since_day` on (all when `None`), by day, kind and item.
    pub async fn usage(&self, since_day: Option<&str>) -> Result<Vec<UsageCount>> {
        let rows = sqlx::query(
            "SELECT day, kind, item, hits FROM classification_usage WHERE day >= $1
             ORDER BY day, kind, item",
        )
        .bind(since_day.unwrap_or(""))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UsageCount {
                    day: r.try_get("day")?,
                    kind: r.try_get("kind")?,
                    item: r.try_get("item")?,
                    hits: r.try_get("hits")?,
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

    fn sample(version: i64) -> ReleaseRecord {
        ReleaseRecord {
            dataset: "vehicle-imports".into(),
            version,
            published_at: crate::now(),
            published_by: "user:admin".into(),
            csv_sha256: format!("{version:064}"),
            row_count: 2,
            manifest: "{}".into(),
            changes: "{}".into(),
        }
    }

    fn file(content: &[u8]) -> ReleaseFile {
        ReleaseFile {
            name: "vehicle-imports-v1.csv".into(),
            media_type: "text/csv".into(),
            sha256: hex::encode(Sha256::digest(content)),
            content: content.to_vec(),
        }
    }

    #[tokio::test]
    async fn releases_are_numbered_in_order_and_never_overwritten() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let store = fresh(backend).await;
            let mut tx = store.write().await.unwrap();
            assert_eq!(
                tx.latest_release_version("vehicle-imports").await.unwrap(),
                0
            );
            tx.add_release(&sample(1), &[file(b"maker,count\r\nKia,3\r\n")])
                .await
                .unwrap();
            tx.commit().await.unwrap();

            // The same version again, or a gap, is refused.
            let mut tx = store.write().await.unwrap();
            assert!(matches!(
                tx.add_release(&sample(1), &[]).await,
                Err(StoreError::Stale { current: 1 })
            ));
            assert!(matches!(
                tx.add_release(&sample(3), &[]).await,
                Err(StoreError::Stale { current: 1 })
            ));
            drop(tx);

            let got = store
                .release_file("vehicle-imports", 1, "vehicle-imports-v1.csv")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(got.content, b"maker,count\r\nKia,3\r\n");
            assert_eq!(
                store.latest_release("vehicle-imports").await.unwrap(),
                Some(sample_stored(&store).await)
            );
            assert!(store.release("vehicle-imports", 2).await.unwrap().is_none());
            let trail = store.audit_trail("dataset:vehicle-imports").await.unwrap();
            assert_eq!(trail.len(), 1);
            assert_eq!(trail[0].action, "opendata.publish");
            assert!(store.verify_audit(|_, _| {}).await.unwrap().is_intact());
        }
    }

    async fn sample_stored(store: &Store) -> ReleaseRecord {
        store.releases("vehicle-imports").await.unwrap().remove(0)
    }

    #[tokio::test]
    async fn a_corrupted_file_is_reported_not_served() {
        let store = fresh(Backend::Sqlite).await;
        let mut tx = store.write().await.unwrap();
        tx.add_release(&sample(1), &[file(b"a\r\n1\r\n")])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        sqlx::query("UPDATE opendata_files SET content = $1")
            .bind(STANDARD.encode(b"a\r\n2\r\n"))
            .execute(store.pool())
            .await
            .unwrap();
        assert!(matches!(
            store
                .release_file("vehicle-imports", 1, "vehicle-imports-v1.csv")
                .await,
            Err(StoreError::Corrupt(_))
        ));
    }

    #[tokio::test]
    async fn usage_counts_add_up_without_touching_the_audit_chain() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let store = fresh(backend).await;
            let count = |day: &str, item: &str, hits| UsageCount {
                day: day.into(),
                kind: "term".into(),
                item: item.into(),
                hits,
            };
            store
                .add_usage(&[count("2026-01-02", "strawberries", 3)])
                .await
                .unwrap();
            store
                .add_usage(&[
                    count("2026-01-02", "strawberries", 2),
                    count("2026-01-03", "bicycles", 1),
                ])
                .await
                .unwrap();
            assert_eq!(
                store.usage(None).await.unwrap(),
                [
                    count("2026-01-02", "strawberries", 5),
                    count("2026-01-03", "bicycles", 1)
                ]
            );
            assert_eq!(
                store.usage(Some("2026-01-03")).await.unwrap(),
                [count("2026-01-03", "bicycles", 1)]
            );
            let monthly = |month: &str, item: &str, hits| UsageCount {
                day: month.into(),
                kind: "term".into(),
                item: item.into(),
                hits,
            };
            assert_eq!(
                store.usage_by_month(1).await.unwrap(),
                [
                    monthly("2026-01", "bicycles", 1),
                    monthly("2026-01", "strawberries", 5)
                ]
            );
            assert_eq!(
                store.usage_by_month(5).await.unwrap(),
                [monthly("2026-01", "strawberries", 5)]
            );
            assert_eq!(store.audit_recent(10).await.unwrap().len(), 0);
        }
    }
}
