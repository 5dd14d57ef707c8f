//! Taiwan's national tariff and the foreign schedules it is compared with, loaded once at
//! start-up. Optional: a data directory without `tariffs/tw` serves HS 2022 alone.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use nomenclature::Nomenclature;
use tariff::concordance::Concordance;
use tariff::{NationalTariff, OriginPolicy, TwTariff};

/// The tariff under `data_dir/tariffs/tw`, or None when the folder is absent. A present but
/// invalid file is an error: a half-loaded tariff would quote wrong duties.
pub fn national_tariff(
    data_dir: &Path,
    hs: &Nomenclature,
) -> anyhow::Result<Option<Arc<NationalTariff>>> {
    if !tariff::tw_dir(data_dir).join(tariff::TARIFF_FILE).is_file() {
        tracing::warn!(
            "no Taiwan tariff under {}: national lines and the duty calculator are off",
            data_dir.display()
        );
        return Ok(None);
    }
    let tw = TwTariff::load_with(data_dir, hs)
        .with_context(|| format!("loading the Taiwan tariff from {}", data_dir.display()))?;
    let concordance = match Concordance::load(data_dir) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::warn!(error = %e, "foreign tariffs not loaded: the concordance shows Taiwan only");
            None
        }
    };
    Ok(Some(Arc::new(NationalTariff {
        tw: Arc::new(tw),
        concordance,
        policy: OriginPolicy::default(),
    })))
}

/// The Chinese leg over the national tariff's texts (about two seconds to index), blended
/// with the trained head when there is one.
pub fn chinese_leg(
    national: &NationalTariff,
    head: Option<Arc<head::Head>>,
) -> anyhow::Result<classify::ChineseLeg> {
    let index = search::TariffIndex::build(national.tw.clone())
        .context("indexing the Taiwan tariff's Chinese texts")?;
    let leg = classify::ChineseLeg::new(Arc::new(index));
    Ok(match head {
        Some(h) => leg.with_head(h, classify::zh::ZH_HEAD_WEIGHT),
        None => leg,
    })
}
