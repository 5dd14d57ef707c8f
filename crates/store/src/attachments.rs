//! Attachments: metadata rows plus content stored once per sha256. Reads re-check the hash,
//! so a corrupted blob is reported, never served.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AuditEntry, Result, Store, StoreError, WriteTx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: String,
    pub owner_kind: String,
    pub owner_id: String,
    pub filename: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub confidential: bool,
    pub uploaded_by: String,
    pub created_at: String,
}

pub struct NewAttachment<'a> {
    pub owner_kind: &'a str,
    pub owner_id: &'a str,
    pub filename: &'a str,
    pub media_type: &'a str,
    pub content: &'a [u8],
    pub confidential: bool,
}

fn attachment(row: &AnyRow) -> Result<Attachment> {
    Ok(Attachment {
        id: row.try_get("id")?,
        owner_kind: row.try_get("owner_kind")?,
        owner_id: row.try_get("owner_id")?,
        filename: row.try_get("filename")?,
        media_type: row.try_get("media_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        confidential: row.try_get::<i64, _>("confidential")? != 0,
        uploaded_by: row.try_get("uploaded_by")?,
        created_at: row.try_get("created_at")?,
    })
}

const COLUMNS: &str = "id, owner_kind, owner_id, filename, media_type, size_bytes, sha256, confidential, uploaded_by, created_at";

impl WriteTx {
    pub async fn add_attachment(
        &mut self,
        actor: &str,
        new: NewAttachment<'_>,
    ) -> Result<Attachment> {
        let sha256 = hex::encode(Sha256::digest(new.content));
        sqlx::query(
            "INSERT INTO attachment_blobs (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&sha256)
        .bind(STANDARD.encode(new.content))
        .execute(self.conn())
        .await?;
        let record = Attachment {
            id: auth::random_id(),
            owner_kind: new.owner_kind.into(),
            owner_id: new.owner_id.into(),
            filename: new.filename.into(),
            media_type: new.media_type.into(),
            size_bytes: new.content.len() as i64,
            sha256,
            confidential: new.confidential,
            uploaded_by: actor.into(),
            created_at: clock::now(),
        };
        sqlx::query(&format!(
            "INSERT INTO attachments ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(&record.id)
        .bind(&record.owner_kind)
        .bind(&record.owner_id)
        .bind(&record.filename)
        .bind(&record.media_type)
        .bind(record.size_bytes)
        .bind(&record.sha256)
        .bind(i64::from(record.confidential))
        .bind(&record.uploaded_by)
        .bind(&record.created_at)
        .execute(self.conn())
        .await?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "attachment.add".into(),
            object: format!("{}:{}", record.owner_kind, record.owner_id),
            before: None,
            after: Some(serde_json::to_string(&record).expect("records serialise")),
        })
        .await?;
        Ok(record)
    }
}

impl Store {
    pub async fn attachments(&self, owner_kind: &str, owner_id: &str) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM attachments WHERE owner_kind = $1 AND owner_id = $2 ORDER BY created_at, id"
        ))
        .bind(owner_kind)
        .bind(owner_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(attachment).collect()
    }

    /// An attachment's record without its bytes.
    pub async fn attachment(&self, id: &str) -> Result<Option<Attachment>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM attachments WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| attachment(&r)).transpose()
    }

    /// The attachment and its bytes, checked against the stored sha256.
    pub async fn attachment_content(&self, id: &str) -> Result<(Attachment, Vec<u8>)> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM attachments WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let meta = attachment(&row)?;
        let content: String =
            sqlx::query_scalar("SELECT content FROM attachment_blobs WHERE sha256 = $1")
                .bind(&meta.sha256)
                .fetch_one(self.pool())
                .await?;
        let bytes = STANDARD
            .decode(content)
            .map_err(|e| StoreError::Corrupt(format!("attachment {id}: {e}")))?;
        if hex::encode(Sha256::digest(&bytes)) != meta.sha256 {
            return Err(StoreError::Corrupt(format!(
                "attachment {id}: checksum mismatch"
            )));
        }
        Ok((meta, bytes))
    }
}
