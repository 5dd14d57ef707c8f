//! Persistence for the service platform over sqlx: SQLite embedded by default (WAL), or
//! PostgreSQL given a `postgres://` URL. One set of migrations serves both.
//!
//! Architecture invariant: this is the only crate that knows SQL. It takes and returns plain
//! Rust records; the rules (who may, which transition) live in `auth`, `eapp` and `aeo`.
//!
//! Every write goes through [`Store::write`], a transaction that first takes the audit
//! chain's head. That one row serialises writers on both engines, so each change and its
//! audit entry commit together or not at all.

pub mod accounts;
pub mod aeo;
pub mod applications;
pub mod attachments;
mod audit;
mod clash;
mod clock;
pub mod datasets;
mod events;
mod migrate;
pub mod models;
pub mod notices;
pub mod opendata;
pub mod runs;
#[doc(hidden)]
pub mod testing;
pub mod vehicle_feed;
pub mod vehicles;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use audit::{AuditEntry, AuditRecord, Verification};
pub use clash::{Clash, Taken};
pub use clock::{now, now_minus, now_plus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Optimistic locking: the row changed since the caller read it.
    #[error("the record changed since you read it (now at version {current})")]
    Stale { current: i64 },
    #[error("already exists: {0}")]
    Duplicate(Taken),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    Url(String),
    /// The change does not fit the record's state (approving a model nobody proposed).
    #[error("{0}")]
    Conflict(Clash),
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Turns a unique-key violation into `Duplicate` so callers can answer 409.
    fn from_insert(e: sqlx::Error, what: Taken) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what),
            _ => StoreError::Db(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A connection pool plus the engine it speaks to.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// A write transaction holding the audit head: commit it or drop it (rolls back).
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
}

impl Store {
    /// Connects, applies pending migrations and returns the store. `sqlite://PATH` creates
    /// the file if missing; `sqlite::memory:` is for tests.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Url(url.to_string()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let mut pool = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            // WAL: readers never block the writer; synchronous=FULL: a commit acknowledged
            // is on disk (the crash test kills the server mid-load to prove it).
            pool = pool
                .max_connections(if url.contains(":memory:") { 1 } else { 8 })
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        Ok(())
                    })
                });
        } else {
            pool = pool.max_connections(16);
        }
        let pool = pool.connect_with(options).await?;
        migrate::run(&pool).await?;
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a write transaction and takes the audit head (the writers' lock).
    pub async fn write(&self) -> Result<WriteTx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        Ok(WriteTx { tx })
    }

    /// Whether the database answers; for readiness probes.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    /// Next value of a named counter (application references and the like), in this
    /// transaction.
    pub(crate) async fn next_counter(&mut self, name: &str) -> Result<i64> {
        let updated = sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1")
            .bind(name)
            .execute(self.conn())
            .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO counters (name, value) VALUES ($1, 1)")
                .bind(name)
                .execute(self.conn())
                .await?;
        }
        let value: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = $1")
            .bind(name)
            .fetch_one(self.conn())
            .await?;
        Ok(value)
    }
}
