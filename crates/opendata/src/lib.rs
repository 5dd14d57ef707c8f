//! Open data publishing for the customs platform.
//!
//! The server fetches rows from the database, builds a [`Table`] and calls this crate to
//! publish immutable releases ([`publish`], [`Manifest`]), describe them in a DCAT-AP
//! catalogue ([`to_dcat_jsonld`]), answer paged queries ([`parse_query`], [`execute`]),
//! show what changed ([`diff`]), and draw statistics ([`summarize`], [`bar_chart`]) and
//! quality badges ([`assess`]).
//!
//! Architecture invariant: this crate is pure. No HTTP, SQL, async, clock or network;
//! "today" and signing keys are parameters.
//!
//! ```
//! use opendata::{Column, ColumnType, Schema, Table, Value, parse_query, execute, to_csv};
//!
//! let schema = Schema::new(
//!     vec![
//!         Column::new("maker", ColumnType::Text, "Vehicle maker"),
//!         Column::new("count", ColumnType::Integer, "Vehicles cleared"),
//!     ],
//!     &["maker"],
//! )?;
//! let table = Table::new(schema, vec![
//!     vec![Value::text("Kia"), Value::Integer(3)],
//!     vec![Value::text("Toyota"), Value::Integer(12)],
//! ])?;
//! let pairs = vec![("count__gte".to_string(), "5".to_string())];
//! let page = execute(&table, &parse_query(&pairs, &table.schema)?)?;
//! assert_eq!(page.rows, vec![vec![Value::text("Toyota"), Value::Integer(12)]]);
//! assert_eq!(to_csv(&table), b"maker,count\r\nKia,3\r\nToyota,12\r\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod catalog;
pub mod dcat;
pub mod diff;
pub mod encode;
pub mod format;
pub mod manifest;
pub mod quality;
pub mod query;
pub mod release;
pub mod schema;
pub mod stats;
pub mod svg;
pub mod table;
pub mod value;

pub use catalog::{
    Agent, CatalogError, Contact, DatasetMeta, Distribution, Frequency, Licence, Period, Theme,
    distributions, download_url,
};
pub use dcat::{CatalogEntry, CatalogInfo, dataset_url, to_dcat_jsonld};
pub use diff::{CellChange, DiffError, RowDiff, SchemaChange, diff, schema_changes};
pub use encode::{ParquetError, encode, from_parquet, to_csv, to_json, to_json_lines, to_parquet};
pub use format::Format;
pub use manifest::{
    FileCheck, FileStatus, Manifest, ManifestError, Signature, Verification, verify_manifest,
};
pub use quality::{Badge, BadgeStatus, Finding, QualityBadges, assess};
pub use query::{
    Condition, Cursor, CursorFault, Filter, Page, Query, QueryError, Sort, execute, parse_query,
};
pub use release::{PublishError, Published, Release, ReleaseFile, publish, sha256_hex};
pub use schema::{Column, ColumnType, Schema, SchemaError};
pub use stats::{ColumnStats, summarize};
pub use svg::{bar_chart, line_chart};
pub use table::{Row, Table, TableError};
pub use value::{Decimal, Value};
