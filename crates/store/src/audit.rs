//! The hash-chained audit log. Entries are only ever appended, inside the transaction of the
//! change they record; `verify` recomputes the chain and names the first entry that breaks it.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Result, Store, WriteTx, clock};

/// What a change records: who, what, on which object, and the state before and after.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub actor: String,
    pub action: String,
    pub object: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The outcome of `verify`: how many entries were checked and the first broken one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: i64,
    pub head_seq: i64,
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        self.broken_at.is_none()
    }
}

/// The hash covers every field as a JSON array, so no two field splits collide.
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    e: (&str, &str, &str, Option<&str>, Option<&str>),
) -> String {
    let canonical = serde_json::to_string(&(prev, seq, at, e.0, e.1, e.2, e.3, e.4))
        .expect("strings serialise");
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

impl WriteTx {
    /// Appends an entry after the current head and moves the head.
    pub async fn audit(&mut self, entry: AuditEntry) -> Result<i64> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(self.conn())
            .await?;
        let (prev_seq, prev_hash): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
        let seq = prev_seq + 1;
        let at = clock::now();
        let hash = entry_hash(
            &prev_hash,
            seq,
            &at,
            (
                &entry.actor,
                &entry.action,
                &entry.object,
                entry.before.as_deref(),
                entry.after.as_deref(),
            ),
        );
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, object, before_state, after_state, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(seq)
        .bind(&at)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(&entry.object)
        .bind(&entry.before)
        .bind(&entry.after)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(self.conn())
        .await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&hash)
            .execute(self.conn())
            .await?;
        Ok(seq)
    }
}

fn record(row: &sqlx::any::AnyRow) -> Result<AuditRecord> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        object: row.try_get("object")?,
        before: row.try_get("before_state")?,
        after: row.try_get("after_state")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

const SELECT: &str = "SELECT seq, at, actor, action, object, before_state, after_state, prev_hash, hash FROM audit_log";

impl Store {
    /// Entries about one object (`application:ID`, `user:ID`…), oldest first.
    pub async fn audit_trail(&self, object: &str) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(&format!("{SELECT} WHERE object = $1 ORDER BY seq"))
            .bind(object)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(record).collect()
    }

    /// The newest entries, newest first.
    pub async fn audit_recent(&self, limit: i64) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY seq DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(record).collect()
    }

    /// Recomputes every hash in order, in pages, and checks the links, the sequence and the
    /// head. An edited, deleted or inserted entry breaks the chain at that point.
    pub async fn verify_audit(&self, mut progress: impl FnMut(i64, i64)) -> Result<Verification> {
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        let (head_seq, head_hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
        let mut prev_hash = "0".repeat(64);
        let mut expected_seq = 1;
        let mut checked = 0;
        let broken = |seq: i64, reason: String, checked: i64| Verification {
            entries: checked,
            head_seq,
            broken_at: Some(seq),
            reason: Some(reason),
        };
        loop {
            let rows = sqlx::query(&format!("{SELECT} WHERE seq >= $1 ORDER BY seq LIMIT 1000"))
                .bind(expected_seq)
                .fetch_all(self.pool())
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let r = record(row)?;
                if r.seq != expected_seq {
                    return Ok(broken(expected_seq, "entry missing".into(), checked));
                }
                if r.prev_hash != prev_hash {
                    return Ok(broken(
                        r.seq,
                        "link to the previous entry broken".into(),
                        checked,
                    ));
                }
                let fields = (
                    r.actor.as_str(),
                    r.action.as_str(),
                    r.object.as_str(),
                    r.before.as_deref(),
                    r.after.as_deref(),
                );
                if entry_hash(&r.prev_hash, r.seq, &r.at, fields) != r.hash {
                    return Ok(broken(r.seq, "entry altered".into(), checked));
                }
                prev_hash = r.hash;
                expected_seq += 1;
                checked += 1;
            }
            progress(checked, head_seq);
        }
        if checked != head_seq || prev_hash != head_hash {
            return Ok(broken(
                checked + 1,
                format!("the head says {head_seq} entries, the log holds {checked}"),
                checked,
            ));
        }
        Ok(Verification {
            entries: checked,
            head_seq,
            broken_at: None,
            reason: None,
        })
    }
}
