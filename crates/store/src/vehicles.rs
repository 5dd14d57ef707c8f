//! Vehicle clearance records and agencies' reads of them. The facts are stored as the
//! domain validated them; every change and every agency read is audited.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AuditEntry, Result, Store, StoreError, Taken, WriteTx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VehicleRecord {
    pub vin: String,
    pub certificate_number: String,
    pub facts: BTreeMap<String, String>,
    pub status: String,
    pub stolen: bool,
    pub stolen_note: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    pub scope: String,
    pub vin: String,
    pub at: String,
}

const COLUMNS: &str =
    "vin, certificate_number, facts, status, stolen, stolen_note, version, created_at, updated_at";

fn record(row: &AnyRow) -> Result<VehicleRecord> {
    let facts: String = row.try_get("facts")?;
    Ok(VehicleRecord {
        vin: row.try_get("vin")?,
        certificate_number: row.try_get("certificate_number")?,
        facts: serde_json::from_str(&facts)
            .map_err(|e| StoreError::Corrupt(format!("vehicle facts: {e}")))?,
        status: row.try_get("status")?,
        stolen: row.try_get::<i64, _>("stolen")? != 0,
        stolen_note: row.try_get("stolen_note")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn snapshot(r: &VehicleRecord) -> Option<String> {
    Some(serde_json::to_string(r).expect("records serialise"))
}

impl WriteTx {
    async fn load_vehicle(&mut self, vin: &str) -> Result<VehicleRecord> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM vehicles WHERE vin = $1"))
            .bind(vin)
            .fetch_optional(self.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        record(&row)
    }

    pub async fn create_vehicle(
        &mut self,
        actor: &str,
        vin: &str,
        certificate_number: &str,
        facts: &BTreeMap<String, String>,
        status: &str,
    ) -> Result<VehicleRecord> {
        let now = clock::now();
        let v = VehicleRecord {
            vin: vin.into(),
            certificate_number: certificate_number.into(),
            facts: facts.clone(),
            status: status.into(),
            stolen: false,
            stolen_note: None,
            version: 1,
            created_at: now.clone(),
            updated_at: now,
        };
        sqlx::query(&format!(
            "INSERT INTO vehicles ({COLUMNS}) VALUES ($1, $2, $3, $4, 0, NULL, 1, $5, $6)"
        ))
        .bind(&v.vin)
        .bind(&v.certificate_number)
        .bind(serde_json::to_string(&v.facts).expect("facts serialise"))
        .bind(&v.status)
        .bind(&v.created_at)
        .bind(&v.updated_at)
        .execute(self.conn())
        .await
        .map_err(|e| {
            StoreError::from_insert(
                e,
                Taken::Clearance {
                    vin: vin.to_string(),
                    certificate: certificate_number.to_string(),
                },
            )
        })?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "vehicle.create".into(),
            object: format!("vehicle:{vin}"),
            before: None,
            after: snapshot(&v),
        })
        .await?;
        self.record_vehicle_change(vin, "created", v.version, actor)
            .await?;
        Ok(v)
    }

    /// Replaces the facts and status at the version the caller read.
    pub async fn amend_vehicle(
        &mut self,
        actor: &str,
        vin: &str,
        expected_version: i64,
        facts: &BTreeMap<String, String>,
        status: &str,
    ) -> Result<VehicleRecord> {
        let before = self.load_vehicle(vin).await?;
        if before.version != expected_version {
            return Err(StoreError::Stale {
                current: before.version,
            });
        }
        let mut after = before.clone();
        after.facts = facts.clone();
        after.status = status.into();
        after.certificate_number = facts
            .get("certificate_number")
            .cloned()
            .unwrap_or(before.certificate_number.clone());
        after.version += 1;
        after.updated_at = clock::now();
        self.save_vehicle(actor, "vehicle.amend", &before, &after)
            .await?;
        Ok(after)
    }

    /// A police report: every agency sees the flag from now on.
    pub async fn flag_stolen(
        &mut self,
        actor: &str,
        vin: &str,
        note: &str,
    ) -> Result<VehicleRecord> {
        let before = self.load_vehicle(vin).await?;
        let mut after = before.clone();
        after.stolen = true;
        after.stolen_note = Some(note.into());
        after.version += 1;
        after.updated_at = clock::now();
        self.save_vehicle(actor, "vehicle.stolen", &before, &after)
            .await?;
        sqlx::query("UPDATE vehicles SET stolen_by = $1 WHERE vin = $2")
            .bind(actor)
            .bind(vin)
            .execute(self.conn())
            .await?;
        Ok(after)
    }

    async fn save_vehicle(
        &mut self,
        actor: &str,
        action: &str,
        before: &VehicleRecord,
        after: &VehicleRecord,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE vehicles SET certificate_number = $1, facts = $2, status = $3, stolen = $4,
                 stolen_note = $5, version = $6, updated_at = $7
             WHERE vin = $8 AND version = $9",
        )
        .bind(&after.certificate_number)
        .bind(serde_json::to_string(&after.facts).expect("facts serialise"))
        .bind(&after.status)
        .bind(i64::from(after.stolen))
        .bind(&after.stolen_note)
        .bind(after.version)
        .bind(&after.updated_at)
        .bind(&after.vin)
        .bind(before.version)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::from_insert(e, Taken::Certificate))?;
        if done.rows_affected() == 0 {
            let current = self.load_vehicle(&before.vin).await?;
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
        self.audit(AuditEntry {
            actor: actor.into(),
            action: action.into(),
            object: format!("vehicle:{}", after.vin),
            before: snapshot(before),
            after: snapshot(after),
        })
        .await?;
        let kind = match action {
            "vehicle.amend" => "amended",
            "vehicle.stolen" => "reported_stolen",
            other => other.trim_start_matches("vehicle."),
        };
        self.record_vehicle_change(&after.vin, kind, after.version, actor)
            .await?;
        Ok(())
    }

    /// Records an agency's read in its access log and in the audit log.
    pub async fn log_vehicle_access(&mut self, agency: &str, scope: &str, vin: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO vehicle_access (id, agency, scope, vin, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(auth::random_id())
        .bind(agency)
        .bind(scope)
        .bind(vin)
        .bind(clock::now())
        .execute(self.conn())
        .await?;
        self.audit(AuditEntry {
            actor: agency.into(),
            action: "vehicle.read".into(),
            object: format!("vehicle:{vin}"),
            before: None,
            after: Some(format!("{{\"scope\":\"{scope}\"}}")),
        })
        .await?;
        Ok(())
    }
}

impl Store {
    /// A vehicle by VIN or by customs clearance certificate number.
    pub async fn vehicle(&self, vin_or_certificate: &str) -> Result<Option<VehicleRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM vehicles WHERE vin = $1 OR certificate_number = $1"
        ))
        .bind(vin_or_certificate)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| record(&r)).transpose()
    }

    /// Every agency's reads of one vehicle, newest first (for the officers' timeline).
    pub async fn vehicle_reads(&self, vin: &str, limit: i64) -> Result<Vec<(String, AccessEntry)>> {
        let rows = sqlx::query(
            "SELECT agency, scope, vin, at FROM vehicle_access WHERE vin = $1 ORDER BY at DESC, id LIMIT $2",
        )
        .bind(vin)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("agency")?,
                    AccessEntry {
                        scope: r.try_get("scope")?,
                        vin: r.try_get("vin")?,
                        at: r.try_get("at")?,
                    },
                ))
            })
            .collect()
    }

    /// Clearances, newest first, optionally only those whose VIN, certificate, make or model
    /// contains `needle`.
    pub async fn vehicles_list(
        &self,
        needle: Option<&str>,
        limit: i64,
    ) -> Result<Vec<VehicleRecord>> {
        let pattern = format!("%{}%", needle.unwrap_or("").trim().to_uppercase());
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM vehicles
             WHERE UPPER(vin) LIKE $1 OR UPPER(certificate_number) LIKE $1 OR UPPER(facts) LIKE $1
             ORDER BY created_at DESC, vin LIMIT $2"
        ))
        .bind(pattern)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(record).collect()
    }

    /// Every clearance, by VIN: the source of the aggregated open dataset.
    pub async fn all_vehicles(&self) -> Result<Vec<VehicleRecord>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM vehicles ORDER BY vin"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(record).collect()
    }

    /// An agency's own reads, newest first.
    pub async fn vehicle_access_log(&self, agency: &str, limit: i64) -> Result<Vec<AccessEntry>> {
        let rows = sqlx::query(
            "SELECT scope, vin, at FROM vehicle_access WHERE agency = $1 ORDER BY at DESC, id LIMIT $2",
        )
        .bind(agency)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AccessEntry {
                    scope: r.try_get("scope")?,
                    vin: r.try_get("vin")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}
