//! Companies, users, sessions, API keys and broker mandates. Every change is audited in the
//! same transaction; secrets and password hashes never reach the audit log.

use auth::Role;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{AuditEntry, Result, Store, StoreError, Taken, WriteTx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub id: String,
    pub name: String,
    /// trader | broker | agency
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub company_id: Option<String>,
    pub disabled: bool,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub company_id: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKeyRecord {
    pub id: String,
    #[serde(skip)]
    pub secret_hash: String,
    pub name: String,
    pub role: Role,
    pub company_id: Option<String>,
    pub scopes: Vec<String>,
    pub created_by: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn role_of(row: &AnyRow) -> Result<Role> {
    let role: String = row.try_get("role")?;
    Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))
}

fn user(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: role_of(row)?,
        company_id: row.try_get("company_id")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

fn api_key(row: &AnyRow) -> Result<ApiKeyRecord> {
    let scopes: String = row.try_get("scopes")?;
    Ok(ApiKeyRecord {
        id: row.try_get("id")?,
        secret_hash: row.try_get("secret_hash")?,
        name: row.try_get("name")?,
        role: role_of(row)?,
        company_id: row.try_get("company_id")?,
        scopes: scopes.split_whitespace().map(str::to_string).collect(),
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

fn json<T: Serialize>(value: &T) -> Option<String> {
    Some(serde_json::to_string(value).expect("records serialise"))
}

const USER_COLUMNS: &str = "id, email, display_name, role, company_id, disabled";

impl WriteTx {
    pub async fn create_company(&mut self, actor: &str, company: &Company) -> Result<()> {
        sqlx::query("INSERT INTO companies (id, name, kind, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&company.id)
            .bind(&company.name)
            .bind(&company.kind)
            .bind(clock::now())
            .execute(self.conn())
            .await
            .map_err(|e| {
                StoreError::from_insert(
                    e,
                    Taken::Company {
                        id: company.id.to_string(),
                    },
                )
            })?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "company.create".into(),
            object: format!("company:{}", company.id),
            before: None,
            after: json(company),
        })
        .await?;
        Ok(())
    }

    pub async fn create_user(&mut self, actor: &str, new: NewUser<'_>) -> Result<User> {
        let user = User {
            id: auth::random_id(),
            email: new.email.trim().to_lowercase(),
            display_name: new.display_name.trim().to_string(),
            role: new.role,
            company_id: new.company_id.map(str::to_string),
            disabled: false,
        };
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, role, company_id, disabled, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
        )
        .bind(&user.id)
        .bind(&user.email)
        .bind(&user.display_name)
        .bind(new.password_hash)
        .bind(user.role.as_str())
        .bind(&user.company_id)
        .bind(clock::now())
        .execute(self.conn())
        .await
        .map_err(|e| {
            StoreError::from_insert(
                e,
                Taken::User {
                    email: user.email.to_string(),
                },
            )
        })?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "user.create".into(),
            object: format!("user:{}", user.id),
            before: None,
            after: json(&user),
        })
        .await?;
        Ok(user)
    }

    pub async fn create_session(
        &mut self,
        user_id: &str,
        token_hash: &str,
        expires_at: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(clock::now())
        .bind(expires_at)
        .execute(self.conn())
        .await?;
        self.audit(AuditEntry {
            actor: format!("user:{user_id}"),
            action: "session.login".into(),
            object: format!("user:{user_id}"),
            ..AuditEntry::default()
        })
        .await?;
        Ok(())
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn create_api_key(&mut self, actor: &str, key: &ApiKeyRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_keys (id, secret_hash, name, role, company_id, scopes, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&key.id)
        .bind(&key.secret_hash)
        .bind(&key.name)
        .bind(key.role.as_str())
        .bind(&key.company_id)
        .bind(key.scopes.join(" "))
        .bind(&key.created_by)
        .bind(&key.created_at)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::from_insert(e, Taken::ApiKey))?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "api_key.create".into(),
            object: format!("api_key:{}", key.id),
            before: None,
            after: json(key),
        })
        .await?;
        Ok(())
    }

    pub async fn revoke_api_key(&mut self, actor: &str, id: &str) -> Result<()> {
        let done =
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(clock::now())
                .bind(id)
                .execute(self.conn())
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "api_key.revoke".into(),
            object: format!("api_key:{id}"),
            ..AuditEntry::default()
        })
        .await?;
        Ok(())
    }

    /// A trader company authorises a broker company to file for it.
    pub async fn grant_mandate(&mut self, actor: &str, broker: &str, trader: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM broker_mandates WHERE broker_company = $1 AND trader_company = $2",
        )
        .bind(broker)
        .bind(trader)
        .execute(self.conn())
        .await?;
        sqlx::query(
            "INSERT INTO broker_mandates (broker_company, trader_company, granted_at) VALUES ($1, $2, $3)",
        )
        .bind(broker)
        .bind(trader)
        .bind(clock::now())
        .execute(self.conn())
        .await?;
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "mandate.grant".into(),
            object: format!("company:{trader}"),
            before: None,
            after: Some(format!("{{\"broker\":\"{broker}\"}}")),
        })
        .await?;
        Ok(())
    }

    pub async fn revoke_mandate(&mut self, actor: &str, broker: &str, trader: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE broker_mandates SET revoked_at = $1
             WHERE broker_company = $2 AND trader_company = $3 AND revoked_at IS NULL",
        )
        .bind(clock::now())
        .bind(broker)
        .bind(trader)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.audit(AuditEntry {
            actor: actor.into(),
            action: "mandate.revoke".into(),
            object: format!("company:{trader}"),
            before: Some(format!("{{\"broker\":\"{broker}\"}}")),
            after: None,
        })
        .await?;
        Ok(())
    }
}

impl Store {
    pub async fn company(&self, id: &str) -> Result<Option<Company>> {
        let row = sqlx::query("SELECT id, name, kind FROM companies WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| {
            Ok(Company {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
            })
        })
        .transpose()
    }

    /// The user and their password hash, for sign-in.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn user(&self, id: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| user(&r)).transpose()
    }

    /// The signed-in user of a live session, if the session exists, has not expired and the
    /// user is not disabled.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.role, u.company_id, u.disabled
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(token_hash)
        .bind(clock::now())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| user(&r)).transpose()
    }

    pub async fn api_key(&self, id: &str) -> Result<Option<ApiKeyRecord>> {
        let row = sqlx::query(
            "SELECT id, secret_hash, name, role, company_id, scopes, created_by, created_at, revoked_at
             FROM api_keys WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| api_key(&r)).transpose()
    }

    pub async fn has_mandate(&self, broker: &str, trader: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM broker_mandates
             WHERE broker_company = $1 AND trader_company = $2 AND revoked_at IS NULL",
        )
        .bind(broker)
        .bind(trader)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// The trader companies a broker company may act for.
    pub async fn clients_of(&self, broker: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT trader_company FROM broker_mandates
             WHERE broker_company = $1 AND revoked_at IS NULL ORDER BY trader_company",
        )
        .bind(broker)
        .fetch_all(self.pool())
        .await?)
    }
}
