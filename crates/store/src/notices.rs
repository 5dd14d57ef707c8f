//! In-app notifications and the e-mail outbox. The request that changes a case writes both
//! in its transaction; a mailer sends the outbox later, so no request waits on mail.

use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, WriteTx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: String,
    pub subject_ref: String,
    pub message: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxMail {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub attempts: i64,
}

impl WriteTx {
    /// Tells a company (every user of it sees it) and mails its users.
    pub async fn notify_company(
        &mut self,
        company: &str,
        subject_ref: &str,
        message: &str,
    ) -> Result<()> {
        let now = clock::now();
        sqlx::query(
            "INSERT INTO notifications (id, company_id, user_id, subject_ref, message, created_at)
             VALUES ($1, $2, NULL, $3, $4, $5)",
        )
        .bind(auth::random_id())
        .bind(company)
        .bind(subject_ref)
        .bind(message)
        .bind(&now)
        .execute(self.conn())
        .await?;
        let emails: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM users WHERE company_id = $1 AND disabled = 0 ORDER BY email",
        )
        .bind(company)
        .fetch_all(self.conn())
        .await?;
        for to in emails {
            sqlx::query(
                "INSERT INTO email_outbox (id, to_address, subject, body, created_at, attempts)
                 VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(auth::random_id())
            .bind(&to)
            .bind(format!("[Smart Customs] {subject_ref}"))
            .bind(message)
            .bind(&now)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// What a mailer calls after sending (or failing to send) one mail.
    pub async fn mark_mail(&mut self, id: &str, sent: bool) -> Result<()> {
        let sent_at = sent.then(clock::now);
        sqlx::query(
            "UPDATE email_outbox SET sent_at = COALESCE($1, sent_at), attempts = attempts + 1 WHERE id = $2",
        )
        .bind(sent_at)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    pub async fn notifications(&self, company: &str, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, subject_ref, message, created_at, read_at FROM notifications
             WHERE company_id = $1 ORDER BY created_at DESC, id LIMIT $2",
        )
        .bind(company)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    subject_ref: r.try_get("subject_ref")?,
                    message: r.try_get("message")?,
                    created_at: r.try_get("created_at")?,
                    read_at: r.try_get("read_at")?,
                })
            })
            .collect()
    }

    /// Mails not yet sent, oldest first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxMail>> {
        let rows = sqlx::query(
            "SELECT id, to_address, subject, body, created_at, attempts FROM email_outbox
             WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxMail {
                    id: r.try_get("id")?,
                    to_address: r.try_get("to_address")?,
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    created_at: r.try_get("created_at")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }
}
