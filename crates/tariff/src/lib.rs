//! Taiwan's national customs tariff (海關進口稅則) as plain, validated data.
//!
//! Pure: no HTTP, no SQL, no global state. [`TwTariff::load`] reads the 2025 tariff file and
//! either returns every line validated (check digits, derived columns, HS 2022 subheadings,
//! parsed duty cells) or a [`LoadError`] naming the line; it never half-loads. Money is exact
//! decimal throughout ([`rust_decimal::Decimal`]).
//!
//! ```
//! use tariff::{CccCode, DutyCell, Rate};
//!
//! let code = CccCode::parse("0101.21.00.00-3").unwrap();
//! assert_eq!(code.tariff_no(), "01012100");
//! let err = CccCode::parse("0101.21.00.00-4").unwrap_err();
//! assert!(err.to_string().starts_with("check digit is 4, expected 3"));
//!
//! let cell = DutyCell::parse("NT$9.3/KGM or 30% whichever is higher (GT,NI) 0% (PA,NZ)").unwrap();
//! assert_eq!(cell.entries.len(), 2);
//! assert_eq!(cell.entries[1].rate, Rate::Free);
//! ```

mod ccc;
pub mod check;
pub mod concordance;
mod csvio;
pub mod duty;
pub mod edition;
mod labels;
mod origin;
pub mod rate;
mod tariff;
#[cfg(test)]
mod testutil;
mod unit;

use std::path::Path;

pub use ccc::{CccCode, CccParseError, check_digit};
pub use csvio::LoadError;
pub use duty::{DutyAssessment, DutyError, DutyInput, calculate, calculate_line};
pub use edition::{EditionDiff, diff, flag_codes_gone};
pub use labels::{Labels, TreeEntry, TreeLevel, ZhName, ZhSource};
pub use origin::{CountryCode, LEAST_DEVELOPED, LISTS_AS_OF, OriginPolicy, WTO_MEMBERS};
pub use rate::{Column, DutyCell, DutyEntry, Partner, Pick, Rate, RateParseError, SimpleRate};
pub use rust_decimal::Decimal;
pub use tariff::{
    HEADER, Hs6Node, Hs6Set, NATIONAL_CHAPTER, TARIFF_FILE, TariffLine, TariffNumberNode, TwTariff,
    search_form,
};
pub use unit::{Quantity, UnitCode};

/// `<data_dir>/tariffs/tw`, where the Taiwan files live.
pub fn tw_dir(data_dir: &Path) -> std::path::PathBuf {
    tariff::tw_dir(data_dir)
}

/// What a service needs of the national tariff, loaded once: the lines, the foreign
/// schedules to compare them with (when their files are present), and the origin lists.
pub struct NationalTariff {
    pub tw: std::sync::Arc<TwTariff>,
    pub concordance: Option<concordance::Concordance>,
    pub policy: OriginPolicy,
}
