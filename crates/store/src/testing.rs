//! Fresh, empty stores for tests: a temporary SQLite file, or a new PostgreSQL database on
//! the server named by `CUSTOMS_TEST_POSTGRES_URL` (default: the local one, trust auth).

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

use crate::{Backend, Store};

pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn postgres_admin_url() -> String {
    std::env::var("CUSTOMS_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.into())
}

/// A unique name per process and call, so parallel test binaries never share a database.
fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The URL of a fresh database of this kind (created empty for PostgreSQL).
pub async fn fresh_url(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{}.db", unique("customs_t")));
            format!("sqlite://{}", path.display())
        }
        Backend::Postgres => {
            sqlx::any::install_default_drivers();
            let admin = postgres_admin_url();
            let mut conn = sqlx::AnyConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {admin} must run for the tests: {e}"));
            drop_stale_databases(&mut conn).await;
            let name = unique("customs_t");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create a test database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
    }
}

pub async fn fresh(backend: Backend) -> Store {
    Store::connect(&fresh_url(backend).await)
        .await
        .expect("a fresh store opens and migrates")
}

/// Test databases of processes that have exited are dropped, so runs do not pile up.
async fn drop_stale_databases(conn: &mut sqlx::AnyConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'customs_t_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut *conn)
                .await;
        }
    }
}
