//! Evaluation of ranked classifications against gold codes.
//!
//! Gold codes have 2 to 11 digits and are compared on their first 6, 4 and 2. Every report
//! carries the sha256 of the gold set, so figures are never compared across different sets.

mod cases;
mod guided;
mod html;
mod metrics;
pub mod svg;
mod zh;
mod zh_dense;

pub use cases::{Case, CasesError, read_cases};
pub use guided::{GuidedReport, GuidedRun, RankBand, write_guided_html};
pub use html::write_html;
pub use metrics::{Calibration, Confusion, Latency, Report, SystemMetrics, evaluate};
pub use zh::{ZhAnswer, ZhCase, ZhReport, ZhRow, evaluate_zh, read_zh_cases, write_zh_html};
pub use zh_dense::{ZhDenseReport, ZhSystem, dense_html};

/// A ranked answer: codes (6 digits) with probabilities, best first.
pub type Ranked = Vec<(nomenclature::HsCode, f32)>;
