//! The migrations are compiled in (no files needed at run time) and applied by sqlx's
//! migrator, which records checksums and refuses an edited migration.

use std::borrow::Cow;

use sqlx::AnyPool;
use sqlx::migrate::{Migration, MigrationType, Migrator};

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "platform",
        include_str!("../migrations/0001_platform.sql"),
    ),
    (2, "aeo", include_str!("../migrations/0002_aeo.sql")),
    (
        3,
        "vehicles",
        include_str!("../migrations/0003_vehicles.sql"),
    ),
    (
        4,
        "vehicle feed",
        include_str!("../migrations/0004_vehicle_feed.sql"),
    ),
    (
        5,
        "open data",
        include_str!("../migrations/0005_open_data.sql"),
    ),
    (
        6,
        "data sets",
        include_str!("../migrations/0006_datasets.sql"),
    ),
    (
        7,
        "training runs and models",
        include_str!("../migrations/0007_training.sql"),
    ),
];

pub async fn run(pool: &AnyPool) -> Result<(), sqlx::migrate::MigrateError> {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect();
    let migrator = Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    };
    migrator.run(pool).await
}
