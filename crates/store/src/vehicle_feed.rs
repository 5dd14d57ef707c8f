//! The vehicle exchange's change feed and its webhook outbox. A change row and one delivery
//! per live webhook are written in the transaction that changes the clearance, so an event
//! is announced if and only if its change committed.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, WriteTx, clock};

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VehicleChange {
    /// Position in the feed: strictly increasing in commit order.
    pub seq: i64,
    /// Unique per event; receivers deduplicate on it.
    pub event_id: String,
    pub vin: String,
    /// created, amended, imported or stolen.
    pub kind: String,
    /// The record's version after the change.
    pub version: i64,
    pub actor: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: String,
    pub scope: String,
    pub url: String,
    pub created_at: String,
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
    pub last_error: Option<String>,
}

/// A delivery the dispatcher should attempt now.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: String,
    pub url: String,
    pub secret: String,
    pub attempts: i64,
    pub change: VehicleChange,
}

const CHANGE_COLUMNS: &str = "seq, event_id, vin, kind, version, actor, at";

fn change(row: &AnyRow) -> Result<VehicleChange> {
    Ok(VehicleChange {
        seq: row.try_get("seq")?,
        event_id: row.try_get("event_id")?,
        vin: row.try_get("vin")?,
        kind: row.try_get("kind")?,
        version: row.try_get("version")?,
        actor: row.try_get("actor")?,
        at: row.try_get("at")?,
    })
}

impl WriteTx {
    /// Appends a change to the feed and queues it for every live webhook.
    pub(crate) async fn record_vehicle_change(
        &mut self,
        vin: &str,
        kind: &str,
        version: i64,
        actor: &str,
    ) -> Result<VehicleChange> {
        let seq = self.next_counter("vehicle_changes").await?;
        let c = VehicleChange {
            seq,
            event_id: format!("evt_{}", auth::random_id()),
            vin: vin.into(),
            kind: kind.into(),
            version,
            actor: actor.into(),
            at: clock::now(),
        };
        sqlx::query(&format!(
            "INSERT INTO vehicle_changes ({CHANGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(c.seq)
        .bind(&c.event_id)
        .bind(&c.vin)
        .bind(&c.kind)
        .bind(c.version)
        .bind(&c.actor)
        .bind(&c.at)
        .execute(self.conn())
        .await?;
        let hooks: Vec<String> =
            sqlx::query_scalar("SELECT id FROM webhooks WHERE removed_at IS NULL")
                .fetch_all(self.conn())
                .await?;
        for hook in hooks {
            sqlx::query(
                "INSERT INTO webhook_deliveries (id, webhook_id, event_id, seq, status, attempts, next_attempt_at)
                 VALUES ($1, $2, $3, $4, 'pending', 0, $5)",
            )
            .bind(auth::random_id())
            .bind(&hook)
            .bind(&c.event_id)
            .bind(c.seq)
            .bind(&c.at)
            .execute(self.conn())
            .await?;
        }
        Ok(c)
    }

    /// Registers an agency's endpoint; it receives the events from now on.
    pub async fn add_webhook(
        &mut self,
        owner: &str,
        scope: &str,
        url: &str,
        secret: &str,
    ) -> Result<Webhook> {
        let id = format!("wh_{}", &auth::random_id()[..16]);
        let now = clock::now();
        sqlx::query(
            "INSERT INTO webhooks (id, owner, scope, url, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(owner)
        .bind(scope)
        .bind(url)
        .bind(secret)
        .bind(&now)
        .execute(self.conn())
        .await?;
        self.audit(crate::AuditEntry {
            actor: owner.into(),
            action: "webhook.add".into(),
            object: format!("webhook:{id}"),
            before: None,
            after: Some(serde_json::json!({ "url": url, "scope": scope }).to_string()),
        })
        .await?;
        Ok(Webhook {
            id,
            scope: scope.into(),
            url: url.into(),
            created_at: now,
            pending: 0,
            delivered: 0,
            failed: 0,
            last_error: None,
        })
    }

    /// Stops an agency's endpoint; its undelivered events are dropped.
    pub async fn remove_webhook(&mut self, owner: &str, id: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE webhooks SET removed_at = $1 WHERE id = $2 AND owner = $3 AND removed_at IS NULL",
        )
        .bind(clock::now())
        .bind(id)
        .bind(owner)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "UPDATE webhook_deliveries SET status = 'dropped' WHERE webhook_id = $1 AND status = 'pending'",
        )
        .bind(id)
        .execute(self.conn())
        .await?;
        self.audit(crate::AuditEntry {
            actor: owner.into(),
            action: "webhook.remove".into(),
            object: format!("webhook:{id}"),
            before: None,
            after: None,
        })
        .await?;
        Ok(())
    }
}

impl Store {
    /// The feed after `cursor` (exclusive), oldest first.
    pub async fn vehicle_changes(&self, cursor: i64, limit: i64) -> Result<Vec<VehicleChange>> {
        let rows = sqlx::query(&format!(
            "SELECT {CHANGE_COLUMNS} FROM vehicle_changes WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(cursor)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(change).collect()
    }

    /// One vehicle's changes, oldest first.
    pub async fn vehicle_history(&self, vin: &str) -> Result<Vec<VehicleChange>> {
        let rows = sqlx::query(&format!(
            "SELECT {CHANGE_COLUMNS} FROM vehicle_changes WHERE vin = $1 ORDER BY seq"
        ))
        .bind(vin)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(change).collect()
    }

    /// An agency's live webhooks with their delivery counts.
    pub async fn webhooks(&self, owner: &str) -> Result<Vec<Webhook>> {
        let rows = sqlx::query(
            "SELECT w.id, w.scope, w.url, w.created_at,
                    SUM(CASE WHEN d.status = 'pending' THEN 1 ELSE 0 END) AS pending,
                    SUM(CASE WHEN d.status = 'delivered' THEN 1 ELSE 0 END) AS delivered,
                    SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END) AS failed,
                    MAX(d.last_error) AS last_error
             FROM webhooks w LEFT JOIN webhook_deliveries d ON d.webhook_id = w.id
             WHERE w.owner = $1 AND w.removed_at IS NULL
             GROUP BY w.id, w.scope, w.url, w.created_at
             ORDER BY w.created_at",
        )
        .bind(owner)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Webhook {
                    id: r.try_get("id")?,
                    scope: r.try_get("scope")?,
                    url: r.try_get("url")?,
                    created_at: r.try_get("created_at")?,
                    pending: r.try_get::<Option<i64>, _>("pending")?.unwrap_or(0),
                    delivered: r.try_get::<Option<i64>, _>("delivered")?.unwrap_or(0),
                    failed: r.try_get::<Option<i64>, _>("failed")?.unwrap_or(0),
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// Deliveries whose time has come, oldest event first, each claimed for `lease` so that
    /// several dispatchers over one database (a public and a private instance) never send
    /// the same one twice at once.
    pub async fn due_deliveries(
        &self,
        limit: i64,
        lease: std::time::Duration,
    ) -> Result<Vec<DueDelivery>> {
        let rows = sqlx::query(
            "SELECT d.id AS delivery_id, d.attempts, w.url, w.secret,
                    c.seq, c.event_id, c.vin, c.kind, c.version, c.actor, c.at
             FROM webhook_deliveries d
             JOIN webhooks w ON w.id = d.webhook_id
             JOIN vehicle_changes c ON c.seq = d.seq
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.removed_at IS NULL
             ORDER BY c.seq
             LIMIT $2",
        )
        .bind(clock::now())
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for r in &rows {
            let due = DueDelivery {
                id: r.try_get("delivery_id")?,
                url: r.try_get("url")?,
                secret: r.try_get("secret")?,
                attempts: r.try_get("attempts")?,
                change: change(r)?,
            };
            let took = sqlx::query(
                "UPDATE webhook_deliveries SET next_attempt_at = $1
                 WHERE id = $2 AND status = 'pending' AND next_attempt_at <= $3",
            )
            .bind(clock::now_plus(lease))
            .bind(&due.id)
            .bind(clock::now())
            .execute(self.pool())
            .await?;
            if took.rows_affected() == 1 {
                claimed.push(due);
            }
        }
        Ok(claimed)
    }

    /// Bookkeeping of the outbox (not a change to a record, so not audited).
    pub async fn delivery_succeeded(&self, id: &str) -> Result<()> {
        sqlx::query(
            "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1,
                 delivered_at = $1, last_error = NULL WHERE id = $2",
        )
        .bind(clock::now())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_in`, or given up when `None`.
    pub async fn delivery_failed(
        &self,
        id: &str,
        error: &str,
        retry_in: Option<std::time::Duration>,
    ) -> Result<()> {
        let (status, next) = match retry_in {
            Some(d) => ("pending", clock::now_plus(d)),
            None => ("failed", clock::now()),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1,
                 next_attempt_at = $2, last_error = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(next)
        .bind(error)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
