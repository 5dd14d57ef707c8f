//! AEO certification: the application that becomes a certificate, its history of events and
//! the public register. Statuses, grants and roles are stored as the names the `aeo` crate
//! gives them; this module records transitions, it does not judge them.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::applications::EventRecord;
use crate::events::EventLog;
use crate::{AuditEntry, Result, Store, StoreError, Taken, WriteTx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AeoRecord {
    pub id: String,
    pub reference: String,
    pub company_id: String,
    pub created_by: String,
    pub status: String,
    pub operator_roles: Vec<String>,
    pub profile: BTreeMap<String, String>,
    /// The questionnaire answers as raw JSON; the `aeo` crate owns their shape.
    pub responses: String,
    /// The answers as last certified, so a reassessment can show what changed since.
    pub approved_responses: Option<String>,
    pub grant_kind: Option<String>,
    pub reasons: Option<String>,
    pub visit_date: Option<String>,
    pub findings: Option<String>,
    pub certificate_number: Option<String>,
    pub issued_on: Option<String>,
    pub expires_on: Option<String>,
    /// The holder agreed to appear in the public register.
    pub publish_consent: bool,
    pub assigned_to: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

pub struct NewAeoApplication<'a> {
    pub company_id: &'a str,
    pub created_by: &'a str,
    pub operator_roles: &'a [String],
    pub profile: &'a BTreeMap<String, String>,
    pub responses_json: &'a str,
    pub publish_consent: bool,
    /// The first status, as the rules name it.
    pub status: &'a str,
    pub on_date: &'a str,
}

/// The certificate a certify decision issues.
#[derive(Debug, Clone, Copy)]
pub struct CertificateGrant<'a> {
    pub number: &'a str,
    pub issued_on: &'a str,
    pub expires_on: &'a str,
}

/// A transition already approved by the rules. For the optional fields the outer `None`
/// leaves the column as it is and `Some(None)` clears it.
pub struct AeoChange<'a> {
    pub id: &'a str,
    pub expected_version: i64,
    pub action: &'a str,
    pub to_status: &'a str,
    pub message: Option<&'a str>,
    pub on_date: &'a str,
    pub grant_kind: Option<Option<&'a str>>,
    pub reasons: Option<Option<&'a str>>,
    pub visit_date: Option<Option<&'a str>>,
    pub findings: Option<Option<&'a str>>,
    /// Also snapshots the current responses as the approved ones.
    pub certificate: Option<CertificateGrant<'a>>,
    pub responses_json: Option<&'a str>,
    pub assigned_to: Option<Option<&'a str>>,
}

impl<'a> AeoChange<'a> {
    /// A bare status change; set the other fields on the result as needed.
    pub fn new(
        id: &'a str,
        expected_version: i64,
        action: &'a str,
        to_status: &'a str,
        on_date: &'a str,
    ) -> AeoChange<'a> {
        AeoChange {
            id,
            expected_version,
            action,
            to_status,
            message: None,
            on_date,
            grant_kind: None,
            reasons: None,
            visit_date: None,
            findings: None,
            certificate: None,
            responses_json: None,
            assigned_to: None,
        }
    }
}

const COLUMNS: &str = "id, reference, company_id, created_by, status, operator_roles, profile, \
                       responses, approved_responses, grant_kind, reasons, visit_date, findings, \
                       certificate_number, issued_on, expires_on, publish_consent, assigned_to, \
                       version, created_at, updated_at";

fn record(row: &AnyRow) -> Result<AeoRecord> {
    let roles: String = row.try_get("operator_roles")?;
    let profile: String = row.try_get("profile")?;
    let consent: i64 = row.try_get("publish_consent")?;
    Ok(AeoRecord {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        company_id: row.try_get("company_id")?,
        created_by: row.try_get("created_by")?,
        status: row.try_get("status")?,
        operator_roles: roles.split_whitespace().map(str::to_string).collect(),
        profile: serde_json::from_str(&profile)
            .map_err(|e| StoreError::Corrupt(format!("aeo profile: {e}")))?,
        responses: row.try_get("responses")?,
        approved_responses: row.try_get("approved_responses")?,
        grant_kind: row.try_get("grant_kind")?,
        reasons: row.try_get("reasons")?,
        visit_date: row.try_get("visit_date")?,
        findings: row.try_get("findings")?,
        certificate_number: row.try_get("certificate_number")?,
        issued_on: row.try_get("issued_on")?,
        expires_on: row.try_get("expires_on")?,
        publish_consent: consent != 0,
        assigned_to: row.try_get("assigned_to")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn snapshot(r: &AeoRecord) -> Option<String> {
    Some(serde_json::to_string(r).expect("records serialise"))
}

/// Applies a "leave / clear / set" update to an optional column.
fn apply(column: &mut Option<String>, change: Option<Option<&str>>) {
    if let Some(value) = change {
        *column = value.map(str::to_string);
    }
}

impl WriteTx {
    async fn load_aeo(&mut self, id: &str) -> Result<AeoRecord> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM aeo_applications WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
        record(&row)
    }

    pub async fn create_aeo_application(
        &mut self,
        actor: &str,
        new: NewAeoApplication<'_>,
    ) -> Result<AeoRecord> {
        let year = &new.on_date[..4];
        let serial = self.next_counter(&format!("aeo:{year}")).await?;
        let now = clock::now();
        let app = AeoRecord {
            id: auth::random_id(),
            reference: format!("AEO-{year}-{serial:06}"),
            company_id: new.company_id.into(),
            created_by: new.created_by.into(),
            status: new.status.into(),
            operator_roles: new.operator_roles.to_vec(),
            profile: new.profile.clone(),
            responses: new.responses_json.into(),
            approved_responses: None,
            grant_kind: None,
            reasons: None,
            visit_date: None,
            findings: None,
            certificate_number: None,
            issued_on: None,
            expires_on: None,
            publish_consent: new.publish_consent,
            assigned_to: None,
            version: 1,
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        sqlx::query(&format!(
            "INSERT INTO aeo_applications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
        ))
        .bind(&app.id)
        .bind(&app.reference)
        .bind(&app.company_id)
        .bind(&app.created_by)
        .bind(&app.status)
        .bind(app.operator_roles.join(" "))
        .bind(serde_json::to_string(&app.profile).expect("profile serialises"))
        .bind(&app.responses)
        .bind(&app.approved_responses)
        .bind(&app.grant_kind)
        .bind(&app.reasons)
        .bind(&app.visit_date)
        .bind(&app.findings)
        .bind(&app.certificate_number)
        .bind(&app.issued_on)
        .bind(&app.expires_on)
        .bind(i64::from(app.publish_consent))
        .bind(&app.assigned_to)
        .bind(app.version)
        .bind(&app.created_at)
        .bind(&app.updated_at)
        .execute(self.conn())
        .await
        .map_err(|e| {
            StoreError::from_insert(
                e,
                Taken::AeoApplication {
                    reference: app.reference.to_string(),
                },
            )
        })?;
        let event = EventRecord {
            seq: 0,
            action: "submit".into(),
            from_status: None,
            to_status: app.status.clone(),
            actor: actor.into(),
            message: None,
            on_date: new.on_date.into(),
            at: now,
        };
        self.append_event(EventLog::Aeo, &app.id, event).await?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "aeo.submit".into(),
            object: format!("aeo:{}", app.id),
            before: None,
            after: snapshot(&app),
        })
        .await?;
        Ok(app)
    }

    /// Applies an approved transition if the caller saw the latest version, and records
    /// the event and the audit entry with it.
    pub async fn change_aeo(&mut self, actor: &str, change: AeoChange<'_>) -> Result<AeoRecord> {
        let before = self.load_aeo(change.id).await?;
        if before.version != change.expected_version {
            return Err(StoreError::Stale {
                current: before.version,
            });
        }
        let mut after = before.clone();
        after.version += 1;
        after.updated_at = clock::now();
        after.status = change.to_status.into();
        if let Some(responses) = change.responses_json {
            after.responses = responses.into();
        }
        apply(&mut after.grant_kind, change.grant_kind);
        apply(&mut after.reasons, change.reasons);
        apply(&mut after.visit_date, change.visit_date);
        apply(&mut after.findings, change.findings);
        apply(&mut after.assigned_to, change.assigned_to);
        if let Some(cert) = change.certificate {
            after.certificate_number = Some(cert.number.into());
            after.issued_on = Some(cert.issued_on.into());
            after.expires_on = Some(cert.expires_on.into());
            after.approved_responses = Some(after.responses.clone());
        }
        let done = sqlx::query(
            "UPDATE aeo_applications SET status = $1, responses = $2, approved_responses = $3,
                 grant_kind = $4, reasons = $5, visit_date = $6, findings = $7,
                 certificate_number = $8, issued_on = $9, expires_on = $10, assigned_to = $11,
                 version = $12, updated_at = $13
             WHERE id = $14 AND version = $15",
        )
        .bind(&after.status)
        .bind(&after.responses)
        .bind(&after.approved_responses)
        .bind(&after.grant_kind)
        .bind(&after.reasons)
        .bind(&after.visit_date)
        .bind(&after.findings)
        .bind(&after.certificate_number)
        .bind(&after.issued_on)
        .bind(&after.expires_on)
        .bind(&after.assigned_to)
        .bind(after.version)
        .bind(&after.updated_at)
        .bind(&after.id)
        .bind(before.version)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::from_insert(e, Taken::AeoCertificateNumber))?;
        if done.rows_affected() == 0 {
            let current = self.load_aeo(&before.id).await?;
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
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
        self.append_event(EventLog::Aeo, &after.id, event).await?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: format!("aeo.{}", change.action),
            object: format!("aeo:{}", after.id),
            before: snapshot(&before),
            after: snapshot(&after),
        })
        .await?;
        Ok(after)
    }

    /// The next certificate serial, for the caller to format into a number; taken in this
    /// transaction so a rolled-back certification does not use one up.
    pub async fn next_certificate_serial(&mut self) -> Result<i64> {
        self.next_counter("aeo_certificate").await
    }
}

impl Store {
    async fn aeo_where(&self, condition: &str, value: &str) -> Result<Option<AeoRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM aeo_applications WHERE {condition}");
        let row = sqlx::query(&sql)
            .bind(value)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| record(&r)).transpose()
    }

    pub async fn aeo_application(&self, id_or_reference: &str) -> Result<Option<AeoRecord>> {
        self.aeo_where("id = $1 OR reference = $1", id_or_reference)
            .await
    }

    /// For verifying a certificate number someone presents.
    pub async fn aeo_by_certificate(&self, number: &str) -> Result<Option<AeoRecord>> {
        self.aeo_where("certificate_number = $1", number).await
    }

    /// Applications oldest-updated first (so nothing waits forever), and how many match in
    /// all. `companies: None` is staff, who see all; `Some(&[])` sees nothing.
    pub async fn list_aeo(
        &self,
        companies: Option<&[String]>,
        status: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AeoRecord>, i64)> {
        let mut clauses = Vec::new();
        let mut binds: Vec<&str> = Vec::new();
        if let Some(companies) = companies {
            if companies.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let mut list = Vec::new();
            for company in companies {
                binds.push(company);
                list.push(format!("${}", binds.len()));
            }
            clauses.push(format!("company_id IN ({})", list.join(", ")));
        }
        if let Some(status) = status {
            binds.push(status);
            clauses.push(format!("status = ${}", binds.len()));
        }
        let condition = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM aeo_applications{condition}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for value in &binds {
            count = count.bind(*value);
        }
        let total = count.fetch_one(self.pool()).await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM aeo_applications{condition} ORDER BY updated_at ASC, id \
             LIMIT {} OFFSET {}",
            limit.clamp(1, 500),
            offset.max(0)
        );
        let mut query = sqlx::query(&sql);
        for value in &binds {
            query = query.bind(*value);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let records = rows.iter().map(record).collect::<Result<Vec<_>>>()?;
        Ok((records, total))
    }

    /// Certified holders who consented to be published, by certificate number. Which
    /// statuses still count as holders is the caller's rule, not this query's.
    pub async fn public_aeo_register(&self) -> Result<Vec<AeoRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM aeo_applications
             WHERE certificate_number IS NOT NULL AND publish_consent = 1
             ORDER BY certificate_number"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(record).collect()
    }
}
