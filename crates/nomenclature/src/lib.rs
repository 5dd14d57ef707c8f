//! The Harmonized System (HS 2022) nomenclature as plain data.
//!
//! Pure: no HTTP, no SQL, no global state. [`load::load_dir`] reads the two CSV files of the
//! `harmonized-system` data set and either returns a fully validated [`Nomenclature`] or a
//! [`load::LoadError`] naming the file and line; it never half-loads.

mod code;
pub mod load;
mod section;
mod tree;

pub use code::{CodeParseError, HsCode, Level};
pub use load::{LoadError, load_dir, load_from_bytes};
pub use section::{Section, SectionNumber};
pub use tree::{Node, Nomenclature};
