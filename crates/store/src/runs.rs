//! Training runs as a persistent queue. A worker claims the oldest queued run, beats a
//! heartbeat while it trains, records events (epochs, progress, log lines) and finishes it.
//! A run whose worker stopped beating for a lease is requeued to resume from its checkpoint,
//! or failed with the reason once it has been tried [`MAX_ATTEMPTS`] times: never lost.

use std::time::Duration;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AuditEntry, Clash, Result, Store, StoreError, WriteTx, clock};

/// Claims of one run before it is failed rather than tried again.
pub const MAX_ATTEMPTS: i64 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    pub id: i64,
    pub name: String,
    pub config: String,
    pub spec: String,
    pub status: String,
    pub rerun_of: Option<i64>,
    pub created_at: String,
    pub created_by: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub worker: Option<String>,
    pub heartbeat_at: Option<String>,
    pub checkpoint_epoch: i64,
    pub attempts: i64,
    pub cancel_requested: bool,
    pub error: Option<String>,
    pub environment: Option<String>,
    pub result: Option<String>,
}

impl RunRecord {
    pub fn is_finished(&self) -> bool {
        matches!(self.status.as_str(), "succeeded" | "failed" | "cancelled")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunEvent {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    /// JSON.
    pub body: String,
}

/// A run to queue.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub name: String,
    pub config: String,
    pub spec: String,
    pub rerun_of: Option<i64>,
    pub created_by: String,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Succeeded,
    Failed,
    Cancelled,
}

impl Ending {
    fn as_str(self) -> &'static str {
        match self {
            Ending::Succeeded => "succeeded",
            Ending::Failed => "failed",
            Ending::Cancelled => "cancelled",
        }
    }
}

const COLUMNS: &str = "id, name, config, spec, status, rerun_of, created_at, created_by, started_at, \
    finished_at, worker, heartbeat_at, checkpoint_epoch, attempts, cancel_requested, error, \
    environment, result";

fn record(r: &AnyRow) -> Result<RunRecord> {
    Ok(RunRecord {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        config: r.try_get("config")?,
        spec: r.try_get("spec")?,
        status: r.try_get("status")?,
        rerun_of: r.try_get("rerun_of")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        worker: r.try_get("worker")?,
        heartbeat_at: r.try_get("heartbeat_at")?,
        checkpoint_epoch: r.try_get("checkpoint_epoch")?,
        attempts: r.try_get("attempts")?,
        cancel_requested: r.try_get::<i64, _>("cancel_requested")? != 0,
        error: r.try_get("error")?,
        environment: r.try_get("environment")?,
        result: r.try_get("result")?,
    })
}

fn summary(run: &RunRecord) -> String {
    serde_json::json!({
        "status": run.status,
        "attempts": run.attempts,
        "checkpoint_epoch": run.checkpoint_epoch,
        "worker": run.worker,
        "error": run.error,
    })
    .to_string()
}

impl WriteTx {
    async fn run_in_tx(&mut self, id: i64) -> Result<RunRecord> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM training_runs WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
        record(&row)
    }

    /// Moves a run to `status` (with the other columns already set), audited.
    async fn audit_run(
        &mut self,
        before: &RunRecord,
        actor: &str,
        action: &str,
    ) -> Result<RunRecord> {
        let after = self.run_in_tx(before.id).await?;
        self.audit(AuditEntry {
            actor: actor.to_string(),
            action: action.to_string(),
            object: format!("run:{}", before.id),
            before: Some(summary(before)),
            after: Some(summary(&after)),
        })
        .await?;
        Ok(after)
    }

    /// Queues a run; its id is the next of the `training_run` counter.
    pub async fn enqueue_run(&mut self, run: &NewRun) -> Result<RunRecord> {
        let id = self.next_counter("training_run").await?;
        sqlx::query(
            "INSERT INTO training_runs (id, name, config, spec, status, rerun_of, created_at, created_by)
             VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7)",
        )
        .bind(id)
        .bind(&run.name)
        .bind(&run.config)
        .bind(&run.spec)
        .bind(run.rerun_of)
        .bind(clock::now())
        .bind(&run.created_by)
        .execute(self.conn())
        .await?;
        let created = self.run_in_tx(id).await?;
        self.audit(AuditEntry {
            actor: run.created_by.clone(),
            action: "run.queued".into(),
            object: format!("run:{id}"),
            before: None,
            after: Some(
                serde_json::json!({"name": run.name, "rerun_of": run.rerun_of, "spec": run.spec})
                    .to_string(),
            ),
        })
        .await?;
        Ok(created)
    }

    /// Cancels a queued run at once; a running one stops at its worker's next heartbeat.
    pub async fn cancel_run(&mut self, id: i64, actor: &str) -> Result<RunRecord> {
        let before = self.run_in_tx(id).await?;
        match before.status.as_str() {
            "queued" => {
                sqlx::query(
                    "UPDATE training_runs SET status = 'cancelled', cancel_requested = 1, finished_at = $2,
                     error = 'cancelled before it started' WHERE id = $1",
                )
                .bind(id)
                .bind(clock::now())
                .execute(self.conn())
                .await?;
            }
            "running" => {
                sqlx::query("UPDATE training_runs SET cancel_requested = 1 WHERE id = $1")
                    .bind(id)
                    .execute(self.conn())
                    .await?;
            }
            other => {
                return Err(StoreError::Conflict(Clash::RunNotCancellable {
                    id,
                    status: other.to_string(),
                }));
            }
        }
        self.audit_run(&before, actor, "run.cancel").await
    }
}

impl Store {
    /// Requeues runs whose worker stopped beating for `lease` (or fails them after
    /// [`MAX_ATTEMPTS`]), then claims the oldest queued run for `worker`.
    pub async fn claim_run(&self, worker: &str, lease: Duration) -> Result<Option<RunRecord>> {
        self.claim(worker, lease, None).await
    }

    /// Claims run `id` for `worker` if it is still queued (`customs train --config` runs the
    /// run it queued, unless a server's worker was quicker).
    pub async fn claim_run_id(
        &self,
        id: i64,
        worker: &str,
        lease: Duration,
    ) -> Result<Option<RunRecord>> {
        self.claim(worker, lease, Some(id)).await
    }

    async fn claim(
        &self,
        worker: &str,
        lease: Duration,
        only: Option<i64>,
    ) -> Result<Option<RunRecord>> {
        let mut tx = self.write().await?;
        let stale = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM training_runs WHERE status = 'running' AND heartbeat_at < $1 ORDER BY id"
        ))
        .bind(clock::now_minus(lease))
        .fetch_all(tx.conn())
        .await?;
        for row in &stale {
            let run = record(row)?;
            let actor = format!("worker:{worker}");
            if run.attempts >= MAX_ATTEMPTS {
                sqlx::query(
                    "UPDATE training_runs SET status = 'failed', finished_at = $2, error = $3 WHERE id = $1",
                )
                .bind(run.id)
                .bind(clock::now())
                .bind(format!(
                    "its worker {} stopped {} times (last heartbeat {}); not tried again",
                    run.worker.as_deref().unwrap_or("?"),
                    run.attempts,
                    run.heartbeat_at.as_deref().unwrap_or("never")
                ))
                .execute(tx.conn())
                .await?;
                tx.audit_run(&run, &actor, "run.failed").await?;
            } else {
                sqlx::query(
                    "UPDATE training_runs SET status = 'queued', worker = NULL WHERE id = $1",
                )
                .bind(run.id)
                .execute(tx.conn())
                .await?;
                tx.audit_run(&run, &actor, "run.requeued").await?;
            }
        }
        let next = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM training_runs WHERE status = 'queued' AND ($1 < 0 OR id = $1)
             ORDER BY id LIMIT 1"
        ))
        .bind(only.unwrap_or(-1))
        .fetch_optional(tx.conn())
        .await?;
        let Some(next) = next else {
            tx.commit().await?;
            return Ok(None);
        };
        let before = record(&next)?;
        let now = clock::now();
        sqlx::query(
            "UPDATE training_runs SET status = 'running', worker = $2, heartbeat_at = $3,
             started_at = COALESCE(started_at, $3), attempts = attempts + 1 WHERE id = $1",
        )
        .bind(before.id)
        .bind(worker)
        .bind(&now)
        .execute(tx.conn())
        .await?;
        let claimed = tx
            .audit_run(&before, &format!("worker:{worker}"), "run.started")
            .await?;
        tx.commit().await?;
        Ok(Some(claimed))
    }

    /// Requeues runs held by workers that are known to be gone (on this machine, a process
    /// that no longer exists), without waiting for their lease: `gone` is asked per worker.
    pub async fn requeue_orphans(
        &self,
        actor: &str,
        gone: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<i64>> {
        let mut tx = self.write().await?;
        let running = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM training_runs WHERE status = 'running' ORDER BY id"
        ))
        .fetch_all(tx.conn())
        .await?;
        let mut requeued = Vec::new();
        for row in &running {
            let run = record(row)?;
            if run.worker.as_deref().is_some_and(gone) {
                sqlx::query(
                    "UPDATE training_runs SET status = 'queued', worker = NULL WHERE id = $1",
                )
                .bind(run.id)
                .execute(tx.conn())
                .await?;
                tx.audit_run(&run, actor, "run.requeued").await?;
                requeued.push(run.id);
            }
        }
        tx.commit().await?;
        Ok(requeued)
    }

    /// Beats the heartbeat of a run `worker` holds. `Ok(false)`: stop (cancel requested, or
    /// the run is no longer this worker's).
    pub async fn heartbeat(&self, id: i64, worker: &str) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE training_runs SET heartbeat_at = $3
             WHERE id = $1 AND worker = $2 AND status = 'running' AND cancel_requested = 0",
        )
        .bind(id)
        .bind(worker)
        .bind(clock::now())
        .execute(self.pool())
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Records the epochs a run's checkpoint holds.
    pub async fn set_checkpoint(&self, id: i64, epochs: i64) -> Result<()> {
        sqlx::query("UPDATE training_runs SET checkpoint_epoch = $2 WHERE id = $1")
            .bind(id)
            .bind(epochs)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records what a run's environment is (code revision, libraries, corpus).
    pub async fn set_run_environment(&self, id: i64, environment: &str) -> Result<()> {
        sqlx::query("UPDATE training_runs SET environment = $2 WHERE id = $1")
            .bind(id)
            .bind(environment)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Appends an event to a run's log; returns its sequence number. Only the worker that
    /// holds the run writes its events, so numbering needs no lock.
    pub async fn add_run_event(&self, id: i64, kind: &str, body: &str) -> Result<i64> {
        let seq: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM run_events WHERE run_id = $1",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        sqlx::query(
            "INSERT INTO run_events (run_id, seq, at, kind, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(seq)
        .bind(clock::now())
        .bind(kind)
        .bind(body)
        .execute(self.pool())
        .await?;
        Ok(seq)
    }

    /// Ends a run the worker holds, audited. A run no longer this worker's is left alone.
    pub async fn finish_run(
        &self,
        id: i64,
        worker: &str,
        ending: Ending,
        error: Option<&str>,
        result: Option<&str>,
    ) -> Result<Option<RunRecord>> {
        let mut tx = self.write().await?;
        let before = tx.run_in_tx(id).await?;
        if before.status != "running" || before.worker.as_deref() != Some(worker) {
            return Ok(None);
        }
        sqlx::query(
            "UPDATE training_runs SET status = $2, finished_at = $3, error = $4, result = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(ending.as_str())
        .bind(clock::now())
        .bind(error)
        .bind(result)
        .execute(tx.conn())
        .await?;
        let after = tx
            .audit_run(
                &before,
                &format!("worker:{worker}"),
                &format!("run.{}", ending.as_str()),
            )
            .await?;
        tx.commit().await?;
        Ok(Some(after))
    }

    /// The newest runs first.
    pub async fn runs(&self, limit: i64) -> Result<Vec<RunRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM training_runs ORDER BY id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(record).collect()
    }

    pub async fn run(&self, id: i64) -> Result<Option<RunRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM training_runs WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| record(&r)).transpose()
    }

    /// A run's events after `after` (0: all), in order.
    pub async fn run_events(&self, id: i64, after: i64) -> Result<Vec<RunEvent>> {
        let rows = sqlx::query(
            "SELECT seq, at, kind, body FROM run_events WHERE run_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id)
        .bind(after)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RunEvent {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    kind: r.try_get("kind")?,
                    body: r.try_get("body")?,
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

    fn new_run(name: &str) -> NewRun {
        NewRun {
            name: name.into(),
            config: format!("name = \"{name}\"\n"),
            spec: "{}".into(),
            rerun_of: None,
            created_by: "user:dana".into(),
        }
    }

    async fn enqueue(store: &Store, name: &str) -> RunRecord {
        let mut tx = store.write().await.unwrap();
        let run = tx.enqueue_run(&new_run(name)).await.unwrap();
        tx.commit().await.unwrap();
        run
    }

    #[tokio::test]
    async fn runs_are_claimed_in_order_resumed_when_their_worker_dies_and_never_lost() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let store = fresh(backend).await;
            let a = enqueue(&store, "a").await;
            let b = enqueue(&store, "b").await;
            assert_eq!((a.status.as_str(), b.id), ("queued", a.id + 1));
            let lease = Duration::from_secs(60);
            let claimed = store.claim_run("w1", lease).await.unwrap().unwrap();
            assert_eq!(
                (claimed.id, claimed.status.as_str(), claimed.attempts),
                (a.id, "running", 1)
            );
            assert!(store.heartbeat(a.id, "w1").await.unwrap());
            assert!(!store.heartbeat(a.id, "w2").await.unwrap(), "not w2's run");
            store.set_checkpoint(a.id, 2).await.unwrap();
            assert_eq!(
                store
                    .add_run_event(a.id, "epoch", "{\"epoch\":1}")
                    .await
                    .unwrap(),
                1
            );
            assert_eq!(store.add_run_event(a.id, "log", "{}").await.unwrap(), 2);
            assert_eq!(store.run_events(a.id, 1).await.unwrap().len(), 1);

            // w1 dies. With a zero lease its run is stale: requeued, and claimed again first.
            let again = store
                .claim_run("w2", Duration::ZERO)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (again.id, again.attempts, again.checkpoint_epoch),
                (a.id, 2, 2)
            );
            assert_eq!(again.worker.as_deref(), Some("w2"));
            assert!(
                store
                    .finish_run(a.id, "w1", Ending::Succeeded, None, None)
                    .await
                    .unwrap()
                    .is_none(),
                "w1 no longer holds it"
            );
            // Dies twice more: failed with the reason, not tried a fourth time.
            store.claim_run("w3", Duration::ZERO).await.unwrap();
            let next = store
                .claim_run("w4", Duration::ZERO)
                .await
                .unwrap()
                .unwrap();
            let failed = store.run(a.id).await.unwrap().unwrap();
            assert_eq!(failed.status, "failed");
            assert!(failed.error.unwrap().contains("stopped 3 times"));
            // w4 got b... whose worker is fine with a real lease.
            assert_eq!(next.id, b.id);
            let done = store
                .finish_run(
                    b.id,
                    "w4",
                    Ending::Succeeded,
                    None,
                    Some("{\"model\":\"head-x\"}"),
                )
                .await
                .unwrap()
                .unwrap();
            assert!(done.is_finished());
            assert!(store.claim_run("w4", lease).await.unwrap().is_none());

            // Cancelling: a queued run at once, a running one at its next heartbeat.
            let c = enqueue(&store, "c").await;
            let mut tx = store.write().await.unwrap();
            assert_eq!(
                tx.cancel_run(c.id, "user:dana").await.unwrap().status,
                "cancelled"
            );
            tx.commit().await.unwrap();
            let d = enqueue(&store, "d").await;
            store.claim_run("w5", lease).await.unwrap().unwrap();
            let mut tx = store.write().await.unwrap();
            tx.cancel_run(d.id, "user:dana").await.unwrap();
            tx.commit().await.unwrap();
            assert!(!store.heartbeat(d.id, "w5").await.unwrap());
            let mut tx = store.write().await.unwrap();
            assert!(matches!(
                tx.cancel_run(b.id, "user:dana").await,
                Err(StoreError::Conflict(_))
            ));
            drop(tx);

            // A worker known to be gone: its run is requeued at once, whatever its lease.
            let e = enqueue(&store, "e").await;
            store.claim_run("host-1", lease).await.unwrap().unwrap();
            let back = store
                .requeue_orphans("worker:host-2", &|w| w == "host-1")
                .await
                .unwrap();
            assert_eq!(back, vec![e.id]);
            assert_eq!(store.run(e.id).await.unwrap().unwrap().status, "queued");
            let mut tx = store.write().await.unwrap();
            tx.cancel_run(e.id, "user:dana").await.unwrap();
            tx.commit().await.unwrap();

            let listed = store.runs(10).await.unwrap();
            assert_eq!(listed.first().map(|r| r.id), Some(e.id));
            let trail = store.audit_trail(&format!("run:{}", a.id)).await.unwrap();
            let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
            assert_eq!(
                actions,
                [
                    "run.queued",
                    "run.started",
                    "run.requeued",
                    "run.started",
                    "run.requeued",
                    "run.started",
                    "run.failed"
                ]
            );
            assert!(store.verify_audit(|_, _| {}).await.unwrap().is_intact());
        }
    }
}
