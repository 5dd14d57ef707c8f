//! A case's history: one event per status change, numbered per case. e-Applications and
//! AEO cases keep the same shape in their own tables.

use crate::applications::EventRecord;
use crate::{Result, WriteTx};

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
