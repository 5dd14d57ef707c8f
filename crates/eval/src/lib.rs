//! Evaluation of ranked classifications against gold codes.
//!
//! Gold codes have 2 to 10 digits and are compared on their first 6, 4 and 2. Every report
//! carries the sha256 of the gold set, so figures are never compared across different sets.

mod cases;
mod guided;
mod html;
mod metrics;
mod svg;

pub use cases::{Case, CasesError, read_cases};
pub use guided::{GuidedReport, GuidedRun, write_guided_html};
pub use html::write_html;
pub use metrics::{Calibration, Confusion, Latency, Report, SystemMetrics, evaluate};

/// A ranked answer: codes (6 digits) with probabilities, best first.
pub type Ranked = Vec<(nomenclature::HsCode, f32)>;
