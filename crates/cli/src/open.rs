//! Loading the nomenclature and the index, with progress shown on the terminal.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use nomenclature::Nomenclature;
use search::SearchIndex;
use settings::StateDir;

pub fn nomenclature(data_dir: &Path) -> anyhow::Result<Arc<Nomenclature>> {
    let hs = nomenclature::load_dir(data_dir).with_context(|| {
        format!(
            "loading the HS nomenclature from {} (set --data-dir or CUSTOMS_DATA_DIR, or run scripts/fetch-data)",
            data_dir.display()
        )
    })?;
    Ok(Arc::new(hs))
}

fn bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} codes ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("indexing");
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Opens the stored index, rebuilding it (with a progress bar) if the data changed.
pub fn index(data_dir: &Path, state: &StateDir, force: bool) -> anyhow::Result<SearchIndex> {
    let hs = nomenclature(data_dir)?;
    let dir = state.search_index();
    let bar = bar();
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let index = if force {
        SearchIndex::build(&dir, hs, &progress)
    } else {
        SearchIndex::open_or_build(&dir, hs, &progress)
    }
    .with_context(|| format!("opening the search index in {}", dir.display()))?;
    if index.was_rebuilt() {
        bar.finish_with_message("indexed");
    } else {
        bar.finish_and_clear();
    }
    Ok(index)
}
