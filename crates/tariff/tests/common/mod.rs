//! Where the shared data set lives for tests: CUSTOMS_DATA_DIR, else `/work/shared/data`
//! beside the checkout (three levels above this crate).

use std::path::PathBuf;
use std::sync::OnceLock;

use tariff::TwTariff;

pub fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("CUSTOMS_DATA_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    if dir.join("tariffs/tw").is_dir() && dir.join("harmonized-system").is_dir() {
        Some(dir)
    } else {
        println!("skipping: no tariff data at {}", dir.display());
        None
    }
}

/// The real tariff, loaded once per test binary.
#[allow(dead_code)] // not every test binary walks the whole tariff
pub fn real_tariff() -> Option<&'static TwTariff> {
    static TARIFF: OnceLock<Option<TwTariff>> = OnceLock::new();
    TARIFF
        .get_or_init(|| data_dir().map(|d| TwTariff::load(&d).expect("the 2025 tariff loads")))
        .as_ref()
}
