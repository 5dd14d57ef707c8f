//! The model registry: versions registered by finished runs with their per-case results,
//! proposed by one person and approved by another (four eyes) to serve, and rolled back in
//! one step. What serves is one row every instance reads; every change is audited.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AuditEntry, Clash, Result, Store, StoreError, Taken, WriteTx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelRecord {
    pub version: String,
    pub run_id: i64,
    /// Where its files are, relative to the state directory.
    pub dir: String,
    /// The corpus version it was trained for.
    pub trained_for: String,
    /// JSON: metrics per evaluation set, speed and memory.
    pub metrics: String,
    /// registered, proposed, promoted or rejected.
    pub status: String,
    pub proposed_by: Option<String>,
    pub proposed_at: Option<String>,
    pub proposal_note: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub created_at: String,
}

/// One evaluated case of one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRow {
    pub eval_set: String,
    pub case_id: String,
    pub text: String,
    pub gold: String,
    pub source: String,
    pub predicted: String,
    pub gold_rank: i64,
    pub confidence: f64,
}

/// What serves: `None` is the installation's own head (`customs train`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Serving {
    pub version: Option<String>,
    pub previous: Option<String>,
    pub changed_at: Option<String>,
    pub changed_by: Option<String>,
}

const COLUMNS: &str = "version, run_id, dir, trained_for, metrics, status, proposed_by, proposed_at, \
    proposal_note, approved_by, approved_at, created_at";
/// Case rows per INSERT (9 parameters each).
const ROWS_PER_INSERT: usize = 100;

fn record(r: &AnyRow) -> Result<ModelRecord> {
    Ok(ModelRecord {
        version: r.try_get("version")?,
        run_id: r.try_get("run_id")?,
        dir: r.try_get("dir")?,
        trained_for: r.try_get("trained_for")?,
        metrics: r.try_get("metrics")?,
        status: r.try_get("status")?,
        proposed_by: r.try_get("proposed_by")?,
        proposed_at: r.try_get("proposed_at")?,
        proposal_note: r.try_get("proposal_note")?,
        approved_by: r.try_get("approved_by")?,
        approved_at: r.try_get("approved_at")?,
        created_at: r.try_get("created_at")?,
    })
}

fn state(m: &ModelRecord) -> String {
    serde_json::json!({
        "status": m.status,
        "proposed_by": m.proposed_by,
        "approved_by": m.approved_by,
        "note": m.proposal_note,
    })
    .to_string()
}

const SELECT_SERVING: &str =
    "SELECT version, previous, changed_at, changed_by FROM serving_model WHERE id = 1";

/// The serving row, or the installation's own model when none was ever promoted.
fn serving_of(row: Option<AnyRow>) -> Result<Serving> {
    Ok(match row {
        Some(r) => Serving {
            version: r.try_get("version")?,
            previous: r.try_get("previous")?,
            changed_at: Some(r.try_get("changed_at")?),
            changed_by: Some(r.try_get("changed_by")?),
        },
        None => Serving {
            version: None,
            previous: None,
            changed_at: None,
            changed_by: None,
        },
    })
}

impl WriteTx {
    async fn model_in_tx(&mut self, version: &str) -> Result<ModelRecord> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM model_versions WHERE version = $1"
        ))
        .bind(version)
        .fetch_optional(self.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
        record(&row)
    }

    async fn serving_in_tx(&mut self) -> Result<Serving> {
        let row = sqlx::query(SELECT_SERVING)
            .fetch_optional(self.conn())
            .await?;
        serving_of(row)
    }

    async fn set_serving(
        &mut self,
        version: Option<&str>,
        previous: Option<&str>,
        actor: &str,
    ) -> Result<Serving> {
        let now = clock::now();
        let updated = sqlx::query(
            "UPDATE serving_model SET version = $1, previous = $2, changed_at = $3, changed_by = $4 WHERE id = 1",
        )
        .bind(version)
        .bind(previous)
        .bind(&now)
        .bind(actor)
        .execute(self.conn())
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO serving_model (id, version, previous, changed_at, changed_by) VALUES (1, $1, $2, $3, $4)",
            )
            .bind(version)
            .bind(previous)
            .bind(&now)
            .bind(actor)
            .execute(self.conn())
            .await?;
        }
        self.serving_in_tx().await
    }

    /// Registers a version with its results on every evaluation set, audited.
    pub async fn register_model(
        &mut self,
        model: &ModelRecord,
        cases: &[CaseRow],
    ) -> Result<ModelRecord> {
        sqlx::query(&format!(
            "INSERT INTO model_versions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, 'registered', NULL, NULL, NULL, NULL, NULL, $6)"
        ))
        .bind(&model.version)
        .bind(model.run_id)
        .bind(&model.dir)
        .bind(&model.trained_for)
        .bind(&model.metrics)
        .bind(clock::now())
        .execute(self.conn())
        .await
        .map_err(|e| {
            StoreError::from_insert(
                e,
                Taken::ModelVersion {
                    version: model.version.clone(),
                },
            )
        })?;
        for (chunk_no, chunk) in cases.chunks(ROWS_PER_INSERT).enumerate() {
            let placeholders: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p: Vec<String> = (1..=10).map(|k| format!("${}", i * 10 + k)).collect();
                    format!("({})", p.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO model_results (version, eval_set, position, case_id, text, gold, source, predicted, gold_rank, confidence) VALUES {}",
                placeholders.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (i, c) in chunk.iter().enumerate() {
                q = q
                    .bind(&model.version)
                    .bind(&c.eval_set)
                    .bind((chunk_no * ROWS_PER_INSERT + i) as i64)
                    .bind(&c.case_id)
                    .bind(&c.text)
                    .bind(&c.gold)
                    .bind(&c.source)
                    .bind(&c.predicted)
                    .bind(c.gold_rank)
                    .bind(c.confidence);
            }
            q.execute(self.conn()).await?;
        }
        let stored = self.model_in_tx(&model.version).await?;
        self.audit(AuditEntry {
            actor: format!("run:{}", model.run_id),
            action: "model.registered".into(),
            object: format!("model:{}", model.version),
            before: None,
            after: Some(model.metrics.clone()),
        })
        .await?;
        Ok(stored)
    }

    /// A data scientist proposes a registered (or earlier rejected) version for promotion.
    pub async fn propose_model(
        &mut self,
        version: &str,
        actor: &str,
        note: &str,
    ) -> Result<ModelRecord> {
        let before = self.model_in_tx(version).await?;
        if !matches!(
            before.status.as_str(),
            "registered" | "rejected" | "promoted"
        ) {
            return Err(StoreError::Conflict(Clash::NotRegistered {
                version: version.to_string(),
                status: before.status,
            }));
        }
        let serving = self.serving_in_tx().await?;
        if serving.version.as_deref() == Some(version) {
            return Err(StoreError::Conflict(Clash::AlreadyServes {
                version: version.to_string(),
            }));
        }
        sqlx::query(
            "UPDATE model_versions SET status = 'proposed', proposed_by = $2, proposed_at = $3,
             proposal_note = $4, approved_by = NULL, approved_at = NULL WHERE version = $1",
        )
        .bind(version)
        .bind(actor)
        .bind(clock::now())
        .bind(note)
        .execute(self.conn())
        .await?;
        self.model_change(&before, actor, "model.proposed").await
    }

    async fn model_change(
        &mut self,
        before: &ModelRecord,
        actor: &str,
        action: &str,
    ) -> Result<ModelRecord> {
        let after = self.model_in_tx(&before.version).await?;
        self.audit(AuditEntry {
            actor: actor.to_string(),
            action: action.to_string(),
            object: format!("model:{}", before.version),
            before: Some(state(before)),
            after: Some(state(&after)),
        })
        .await?;
        Ok(after)
    }

    /// A second person approves a proposal: the version serves from now on, and the one
    /// that served before is kept for a rollback.
    pub async fn approve_model(
        &mut self,
        version: &str,
        actor: &str,
    ) -> Result<(ModelRecord, Serving)> {
        let before = self.model_in_tx(version).await?;
        if before.status != "proposed" {
            return Err(StoreError::Conflict(Clash::NotProposed {
                version: version.to_string(),
                status: before.status,
            }));
        }
        if before.proposed_by.as_deref() == Some(actor) {
            return Err(StoreError::Conflict(Clash::SameReviewer));
        }
        sqlx::query("UPDATE model_versions SET status = 'promoted', approved_by = $2, approved_at = $3 WHERE version = $1")
            .bind(version)
            .bind(actor)
            .bind(clock::now())
            .execute(self.conn())
            .await?;
        let after = self.model_change(&before, actor, "model.promoted").await?;
        let current = self.serving_in_tx().await?;
        let serving = self
            .set_serving(Some(version), current.version.as_deref(), actor)
            .await?;
        self.audit_serving(&current, &serving, actor, "serving.promote")
            .await?;
        Ok((after, serving))
    }

    /// A reviewer turns a proposal down.
    pub async fn reject_model(
        &mut self,
        version: &str,
        actor: &str,
        note: &str,
    ) -> Result<ModelRecord> {
        let before = self.model_in_tx(version).await?;
        if before.status != "proposed" {
            return Err(StoreError::Conflict(Clash::NotAProposal {
                version: version.to_string(),
                status: before.status,
            }));
        }
        sqlx::query(
            "UPDATE model_versions SET status = 'rejected', proposal_note = $2 WHERE version = $1",
        )
        .bind(version)
        .bind(note)
        .execute(self.conn())
        .await?;
        self.model_change(&before, actor, "model.rejected").await
    }

    /// Back to the version that served before the current one (one step).
    pub async fn rollback_model(&mut self, actor: &str) -> Result<Serving> {
        let current = self.serving_in_tx().await?;
        if current.version.is_none() {
            return Err(StoreError::Conflict(Clash::NothingToRollBack));
        }
        let serving = self
            .set_serving(current.previous.as_deref(), None, actor)
            .await?;
        self.audit_serving(&current, &serving, actor, "serving.rollback")
            .await?;
        Ok(serving)
    }

    async fn audit_serving(
        &mut self,
        before: &Serving,
        after: &Serving,
        actor: &str,
        action: &str,
    ) -> Result<()> {
        let text = |s: &Serving| {
            serde_json::json!({"version": s.version, "previous": s.previous}).to_string()
        };
        self.audit(AuditEntry {
            actor: actor.to_string(),
            action: action.to_string(),
            object: "serving:model".into(),
            before: Some(text(before)),
            after: Some(text(after)),
        })
        .await?;
        Ok(())
    }
}

impl Store {
    /// Every version, newest first.
    pub async fn models(&self) -> Result<Vec<ModelRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM model_versions ORDER BY created_at DESC, version"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(record).collect()
    }

    pub async fn model(&self, version: &str) -> Result<Option<ModelRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM model_versions WHERE version = $1"
        ))
        .bind(version)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| record(&r)).transpose()
    }

    /// A version's results on one set, in case order.
    pub async fn model_results(&self, version: &str, eval_set: &str) -> Result<Vec<CaseRow>> {
        let rows = sqlx::query(
            "SELECT eval_set, case_id, text, gold, source, predicted, gold_rank, confidence FROM model_results
             WHERE version = $1 AND eval_set = $2 ORDER BY position",
        )
        .bind(version)
        .bind(eval_set)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CaseRow {
                    eval_set: r.try_get("eval_set")?,
                    case_id: r.try_get("case_id")?,
                    text: r.try_get("text")?,
                    gold: r.try_get("gold")?,
                    source: r.try_get("source")?,
                    predicted: r.try_get("predicted")?,
                    gold_rank: r.try_get("gold_rank")?,
                    confidence: r.try_get("confidence")?,
                })
            })
            .collect()
    }

    pub async fn serving(&self) -> Result<Serving> {
        let row = sqlx::query(SELECT_SERVING)
            .fetch_optional(self.pool())
            .await?;
        serving_of(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Backend;
    use crate::runs::NewRun;
    use crate::testing::fresh;

    fn model(version: &str, run_id: i64) -> ModelRecord {
        ModelRecord {
            version: version.into(),
            run_id,
            dir: format!("models/registry/{version}"),
            trained_for: "corpus-1".into(),
            metrics: "{\"development\":{\"top1\":0.5}}".into(),
            status: String::new(),
            proposed_by: None,
            proposed_at: None,
            proposal_note: None,
            approved_by: None,
            approved_at: None,
            created_at: String::new(),
        }
    }

    fn cases(n: usize) -> Vec<CaseRow> {
        (0..n)
            .map(|i| CaseRow {
                eval_set: "development".into(),
                case_id: format!("c{i}"),
                text: format!("item {i}"),
                gold: "081340".into(),
                source: "uk".into(),
                predicted: "081340".into(),
                gold_rank: 1,
                confidence: 0.75,
            })
            .collect()
    }

    #[tokio::test]
    async fn four_eyes_promote_and_one_step_rollback() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let store = fresh(backend).await;
            let mut tx = store.write().await.unwrap();
            let run = tx
                .enqueue_run(&NewRun {
                    name: "r".into(),
                    config: String::new(),
                    spec: "{}".into(),
                    rerun_of: None,
                    created_by: "user:dana".into(),
                })
                .await
                .unwrap();
            tx.register_model(&model("head-aaa", run.id), &cases(230))
                .await
                .unwrap();
            tx.register_model(&model("head-bbb", run.id), &cases(3))
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let mut tx = store.write().await.unwrap();
            assert!(matches!(
                tx.register_model(&model("head-bbb", run.id), &[]).await,
                Err(StoreError::Duplicate(_))
            ));
            drop(tx);
            assert_eq!(
                store
                    .model_results("head-aaa", "development")
                    .await
                    .unwrap(),
                cases(230)
            );
            assert_eq!(store.serving().await.unwrap().version, None);

            let mut tx = store.write().await.unwrap();
            assert!(
                matches!(
                    tx.approve_model("head-aaa", "user:rita").await,
                    Err(StoreError::Conflict(_))
                ),
                "not proposed"
            );
            let proposed = tx
                .propose_model("head-aaa", "user:dana", "better on parcels")
                .await
                .unwrap();
            assert_eq!(proposed.status, "proposed");
            let same = tx.approve_model("head-aaa", "user:dana").await.unwrap_err();
            assert!(same.to_string().contains("four eyes"), "{same}");
            let (approved, serving) = tx.approve_model("head-aaa", "user:rita").await.unwrap();
            assert_eq!(
                (approved.status.as_str(), approved.approved_by.as_deref()),
                ("promoted", Some("user:rita"))
            );
            assert_eq!(
                (serving.version.as_deref(), serving.previous.as_deref()),
                (Some("head-aaa"), None)
            );
            tx.propose_model("head-bbb", "user:dana", "").await.unwrap();
            let (_, serving) = tx.approve_model("head-bbb", "user:rita").await.unwrap();
            assert_eq!(
                (serving.version.as_deref(), serving.previous.as_deref()),
                (Some("head-bbb"), Some("head-aaa"))
            );
            tx.commit().await.unwrap();

            let mut tx = store.write().await.unwrap();
            let back = tx.rollback_model("user:rita").await.unwrap();
            assert_eq!(
                (back.version.as_deref(), back.previous.as_deref()),
                (Some("head-aaa"), None)
            );
            let back = tx.rollback_model("user:rita").await.unwrap();
            assert_eq!(back.version, None, "back to the installation's own head");
            assert!(matches!(
                tx.rollback_model("user:rita").await,
                Err(StoreError::Conflict(_))
            ));
            tx.commit().await.unwrap();

            let trail = store.audit_trail("serving:model").await.unwrap();
            let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
            assert_eq!(
                actions,
                [
                    "serving.promote",
                    "serving.promote",
                    "serving.rollback",
                    "serving.rollback"
                ]
            );
            let trail = store.audit_trail("model:head-aaa").await.unwrap();
            assert_eq!(trail.len(), 3, "registered, proposed, promoted");
            assert!(store.verify_audit(|_, _| {}).await.unwrap().is_intact());
            assert_eq!(store.models().await.unwrap().len(), 2);
        }
    }
}
