//! e-Application cases: the record, its history of events, officers' queue queries, and the
//! labelled examples that approved rulings become. Kinds and statuses are stored as the
//! names `eapp` gives them; this module does not judge transitions, it records them.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::events::EventLog;
use crate::{AuditEntry, Result, Store, StoreError, WriteTx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationRecord {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub company_id: String,
    pub filed_by_company: Option<String>,
    pub created_by: String,
    pub status: String,
    pub fields: BTreeMap<String, String>,
    pub assigned_to: Option<String>,
    pub decision_code: Option<String>,
    pub decision_reasons: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: String,
    pub message: Option<String>,
    /// The calendar date (Taipei) the event counts on for the legal clock.
    pub on_date: String,
    pub at: String,
}

pub struct NewApplication<'a> {
    pub kind: &'a str,
    pub company_id: &'a str,
    pub filed_by_company: Option<&'a str>,
    pub created_by: &'a str,
    pub fields: &'a BTreeMap<String, String>,
    pub on_date: &'a str,
}

/// A transition already approved by the rules: the new status and what goes with it.
pub struct StatusChange<'a> {
    pub id: &'a str,
    pub expected_version: i64,
    pub action: &'a str,
    pub to_status: &'a str,
    pub message: Option<&'a str>,
    pub decision_code: Option<&'a str>,
    pub decision_reasons: Option<&'a str>,
    pub on_date: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueOrder {
    /// Oldest first: the officers' default, so nothing waits forever.
    #[default]
    OldestFirst,
    NewestFirst,
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// Only these companies' cases; `None` for staff, who see all.
    pub companies: Option<Vec<String>>,
    /// Also the cases this (broker) company filed, whoever they are for.
    pub or_filed_by: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub assigned_to: Option<String>,
    /// Leave drafts out (officers never see them).
    pub exclude_drafts: bool,
    pub order: QueueOrder,
    pub limit: i64,
    pub offset: i64,
}

const COLUMNS: &str = "id, reference, kind, company_id, filed_by_company, created_by, status, fields, \
                       assigned_to, decision_code, decision_reasons, version, created_at, updated_at";

fn record(row: &AnyRow) -> Result<ApplicationRecord> {
    let fields: String = row.try_get("fields")?;
    Ok(ApplicationRecord {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        kind: row.try_get("kind")?,
        company_id: row.try_get("company_id")?,
        filed_by_company: row.try_get("filed_by_company")?,
        created_by: row.try_get("created_by")?,
        status: row.try_get("status")?,
        fields: serde_json::from_str(&fields)
            .map_err(|e| StoreError::Corrupt(format!("application fields: {e}")))?,
        assigned_to: row.try_get("assigned_to")?,
        decision_code: row.try_get("decision_code")?,
        decision_reasons: row.try_get("decision_reasons")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn snapshot(r: &ApplicationRecord) -> Option<String> {
    Some(serde_json::to_string(r).expect("records serialise"))
}

impl WriteTx {
    async fn load_application(&mut self, id: &str) -> Result<ApplicationRecord> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM applications WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        record(&row)
    }

    /// Reads the case and checks the caller saw its latest version.
    async fn load_for_update(&mut self, id: &str, expected: i64) -> Result<ApplicationRecord> {
        let current = self.load_application(id).await?;
        if current.version != expected {
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
        Ok(current)
    }

    pub async fn create_application(
        &mut self,
        actor: &str,
        new: NewApplication<'_>,
    ) -> Result<ApplicationRecord> {
        let year = &new.on_date[..4];
        let serial = self.next_counter(&format!("application:{year}")).await?;
        let now = clock::now();
        let app = ApplicationRecord {
            id: auth::random_id(),
            reference: format!("EA-{year}-{serial:06}"),
            kind: new.kind.into(),
            company_id: new.company_id.into(),
            filed_by_company: new.filed_by_company.map(str::to_string),
            created_by: new.created_by.into(),
            status: "draft".into(),
            fields: new.fields.clone(),
            assigned_to: None,
            decision_code: None,
            decision_reasons: None,
            version: 1,
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        sqlx::query(&format!(
            "INSERT INTO applications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&app.id)
        .bind(&app.reference)
        .bind(&app.kind)
        .bind(&app.company_id)
        .bind(&app.filed_by_company)
        .bind(&app.created_by)
        .bind(&app.status)
        .bind(serde_json::to_string(&app.fields).expect("fields serialise"))
        .bind(&app.assigned_to)
        .bind(&app.decision_code)
        .bind(&app.decision_reasons)
        .bind(app.version)
        .bind(&app.created_at)
        .bind(&app.updated_at)
        .execute(self.conn())
        .await?;
        let event = EventRecord {
            seq: 0,
            action: "create".into(),
            from_status: None,
            to_status: app.status.clone(),
            actor: actor.into(),
            message: None,
            on_date: new.on_date.into(),
            at: now,
        };
        self.append_event(EventLog::Applications, &app.id, event)
            .await?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "application.create".into(),
            object: format!("application:{}", app.id),
            before: None,
            after: snapshot(&app),
        })
        .await?;
        Ok(app)
    }

    async fn save(
        &mut self,
        actor: &str,
        action: &str,
        before: &ApplicationRecord,
        after: &ApplicationRecord,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE applications SET status = $1, fields = $2, assigned_to = $3, decision_code = $4,
                 decision_reasons = $5, version = $6, updated_at = $7
             WHERE id = $8 AND version = $9",
        )
        .bind(&after.status)
        .bind(serde_json::to_string(&after.fields).expect("fields serialise"))
        .bind(&after.assigned_to)
        .bind(&after.decision_code)
        .bind(&after.decision_reasons)
        .bind(after.version)
        .bind(&after.updated_at)
        .bind(&after.id)
        .bind(before.version)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            let current = self.load_application(&before.id).await?;
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
        self.audit(AuditEntry {
            actor: actor.into(),
            action: format!("application.{action}"),
            object: format!("application:{}", after.id),
            before: snapshot(before),
            after: snapshot(after),
        })
        .await?;
        Ok(())
    }

    fn bumped(before: &ApplicationRecord) -> ApplicationRecord {
        let mut after = before.clone();
        after.version += 1;
        after.updated_at = clock::now();
        after
    }

    pub async fn update_application_fields(
        &mut self,
        actor: &str,
        id: &str,
        expected_version: i64,
        fields: &BTreeMap<String, String>,
    ) -> Result<ApplicationRecord> {
        let before = self.load_for_update(id, expected_version).await?;
        let mut after = Self::bumped(&before);
        after.fields = fields.clone();
        self.save(actor, "edit", &before, &after).await?;
        Ok(after)
    }

    pub async fn assign_application(
        &mut self,
        actor: &str,
        id: &str,
        expected_version: i64,
        officer: Option<&str>,
    ) -> Result<ApplicationRecord> {
        let before = self.load_for_update(id, expected_version).await?;
        let mut after = Self::bumped(&before);
        after.assigned_to = officer.map(str::to_string);
        self.save(actor, "assign", &before, &after).await?;
        Ok(after)
    }

    pub async fn change_application_status(
        &mut self,
        actor: &str,
        change: StatusChange<'_>,
    ) -> Result<ApplicationRecord> {
        let before = self
            .load_for_update(change.id, change.expected_version)
            .await?;
        let mut after = Self::bumped(&before);
        after.status = change.to_status.into();
        if change.decision_code.is_some() || change.decision_reasons.is_some() {
            after.decision_code = change.decision_code.map(str::to_string);
            after.decision_reasons = change.decision_reasons.map(str::to_string);
        }
        self.save(actor, change.action, &before, &after).await?;
        let event = EventRecord {
            seq: 0,
            action: change.action.into(),
            from_status: Some(before.status.clone()),
            to_status: after.status.clone(),
            actor: actor.into(),
            message: change.message.map(str::to_string),
            on_date: change.on_date.into(),
            at: after.updated_at.clone(),
        };
        self.append_event(EventLog::Applications, change.id, event)
            .await?;
        Ok(after)
    }

    /// An approved ruling's description and code, for the classification corpus.
    pub async fn add_labelled_example(
        &mut self,
        source: &str,
        reference: &str,
        description: &str,
        code: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO labelled_examples (id, source, reference, description, code, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(auth::random_id())
        .bind(source)
        .bind(reference)
        .bind(description)
        .bind(code)
        .bind(clock::now())
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledExample {
    pub source: String,
    pub reference: String,
    pub description: String,
    pub code: String,
    pub decided_at: String,
}

impl Store {
    pub async fn application(&self, id: &str) -> Result<Option<ApplicationRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM applications WHERE id = $1 OR reference = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| record(&r)).transpose()
    }

    /// Cases matching the filter, and how many match in all (for paging).
    pub async fn list_applications(
        &self,
        filter: &ApplicationFilter,
    ) -> Result<(Vec<ApplicationRecord>, i64)> {
        let mut clauses = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let placeholder = |value: &str, binds: &mut Vec<String>| {
            binds.push(value.to_string());
            format!("${}", binds.len())
        };
        if let Some(companies) = &filter.companies {
            if companies.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let list: Vec<String> = companies
                .iter()
                .map(|c| placeholder(c, &mut binds))
                .collect();
            let mut visible = format!("company_id IN ({})", list.join(", "));
            if let Some(broker) = &filter.or_filed_by {
                visible = format!(
                    "({visible} OR filed_by_company = {})",
                    placeholder(broker, &mut binds)
                );
            }
            clauses.push(visible);
        }
        if let Some(status) = &filter.status {
            clauses.push(format!("status = {}", placeholder(status, &mut binds)));
        }
        if let Some(kind) = &filter.kind {
            clauses.push(format!("kind = {}", placeholder(kind, &mut binds)));
        }
        if let Some(officer) = &filter.assigned_to {
            clauses.push(format!(
                "assigned_to = {}",
                placeholder(officer, &mut binds)
            ));
        }
        if filter.exclude_drafts {
            clauses.push("status <> 'draft'".into());
        }
        let condition = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let order = match filter.order {
            QueueOrder::OldestFirst => "updated_at ASC, id",
            QueueOrder::NewestFirst => "updated_at DESC, id",
        };
        let count_sql = format!("SELECT COUNT(*) FROM applications{condition}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for value in &binds {
            count = count.bind(value);
        }
        let total = count.fetch_one(self.pool()).await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM applications{condition} ORDER BY {order} LIMIT {} OFFSET {}",
            filter.limit.clamp(1, 500),
            filter.offset.max(0)
        );
        let mut query = sqlx::query(&sql);
        for value in &binds {
            query = query.bind(value);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let records = rows.iter().map(record).collect::<Result<Vec<_>>>()?;
        Ok((records, total))
    }

    pub async fn labelled_examples(&self) -> Result<Vec<LabelledExample>> {
        let rows = sqlx::query(
            "SELECT source, reference, description, code, decided_at FROM labelled_examples ORDER BY decided_at, reference",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LabelledExample {
                    source: r.try_get("source")?,
                    reference: r.try_get("reference")?,
                    description: r.try_get("description")?,
                    code: r.try_get("code")?,
                    decided_at: r.try_get("decided_at")?,
                })
            })
            .collect()
    }
}
