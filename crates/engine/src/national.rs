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
    Ok(chinese_leg_over(chinese_index(national)?, head))
}

/// The index half of [`chinese_leg`]: it needs no head, so start-up builds it beside the
/// classifier.
pub fn chinese_index(national: &NationalTariff) -> anyhow::Result<Arc<search::TariffIndex>> {
    let index = search::TariffIndex::build(national.tw.clone())
        .context("indexing the Taiwan tariff's Chinese texts")?;
    Ok(Arc::new(index))
}

/// The Chinese leg over an index built by [`chinese_index`].
pub fn chinese_leg_over(
    index: Arc<search::TariffIndex>,
    head: Option<Arc<head::Head>>,
) -> classify::ChineseLeg {
    let leg = classify::ChineseLeg::new(index);
    match head {
        Some(h) => leg.with_head(h, classify::zh::ZH_HEAD_WEIGHT),
        None => leg,
    }
}
