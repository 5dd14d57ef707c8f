//! A case's history: one event per status change, numbered per case. e-Applications and
//! AEO cases keep the same shape in their own tables.

use std::collections::HashMap;

use sqlx::Row;

use crate::applications::EventRecord;
use crate::{Result, Store, WriteTx};

#[derive(Debug, Clone, Copy)]
pub(crate) enum EventLog {
    Applications,
    Aeo,
}

impl EventLog {
    fn table(self) -> &'static str {
        match self {
            EventLog::Applications => "application_events",
            EventLog::Aeo => "aeo_events",
        }
    }
}

impl WriteTx {
    /// Appends `event` as the case's next entry; its `seq` is assigned here.
    pub(crate) async fn append_event(
        &mut self,
        log: EventLog,
        case_id: &str,
        mut event: EventRecord,
    ) -> Result<EventRecord> {
        let table = log.table();
        event.seq = sqlx::query_scalar(&format!(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE application_id = $1"
        ))
        .bind(case_id)
        .fetch_one(self.conn())
        .await?;
        sqlx::query(&format!(
            "INSERT INTO {table} (application_id, seq, action, from_status, to_status, actor, message, on_date, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(case_id)
        .bind(event.seq)
        .bind(&event.action)
        .bind(&event.from_status)
        .bind(&event.to_status)
        .bind(&event.actor)
        .bind(&event.message)
        .bind(&event.on_date)
        .bind(&event.at)
        .execute(self.conn())
        .await?;
        Ok(event)
    }
}

impl Store {
    /// One case's history, oldest first.
    pub async fn application_events(&self, id: &str) -> Result<Vec<EventRecord>> {
        self.histories(EventLog::Applications, &[id.to_string()])
            .await
            .map(|mut h| h.remove(id).unwrap_or_default())
    }

    pub async fn aeo_events(&self, id: &str) -> Result<Vec<EventRecord>> {
        self.histories(EventLog::Aeo, &[id.to_string()])
            .await
            .map(|mut h| h.remove(id).unwrap_or_default())
    }

    /// Many cases' histories in one query (the officers' queue computes a clock per case).
    pub async fn application_histories(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<EventRecord>>> {
        self.histories(EventLog::Applications, ids).await
    }

    async fn histories(
        &self,
        log: EventLog,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<EventRecord>>> {
        let mut out: HashMap<String, Vec<EventRecord>> = HashMap::new();
        // Bounded IN lists: both engines cap the number of parameters.
        for chunk in ids.chunks(500) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT application_id, seq, action, from_status, to_status, actor, message, on_date, at
                 FROM {} WHERE application_id IN ({}) ORDER BY application_id, seq",
                log.table(),
                list.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id);
            }
            for r in query.fetch_all(self.pool()).await? {
                let event = EventRecord {
                    seq: r.try_get("seq")?,
                    action: r.try_get("action")?,
                    from_status: r.try_get("from_status")?,
                    to_status: r.try_get("to_status")?,
                    actor: r.try_get("actor")?,
                    message: r.try_get("message")?,
                    on_date: r.try_get("on_date")?,
                    at: r.try_get("at")?,
                };
                out.entry(r.try_get("application_id")?)
                    .or_default()
                    .push(event);
            }
        }
        Ok(out)
    }
}
