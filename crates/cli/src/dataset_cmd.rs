//! `customs dataset`: labelled data sets registered, listed and described from the console,
//! straight against the database (like `customs user add`), with the same rules as the
//! server: the platform crate parses, hashes and computes the card; the store writes the
//! version, its rows and its audit entry in one transaction.

use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use platform::{CardContext, DataCard, LabelledRow, ParseError, Source};
use store::datasets::{Added, DatasetRow, DatasetVersion, VersionMeta};

use crate::BadInput;
use crate::platform_cmd::open;

/// Cards over at least this many rows show a progress bar.
const PROGRESS_FROM_ROWS: usize = 1000;

fn bad_rows(e: ParseError) -> anyhow::Error {
    let mut message = e.to_string();
    if let ParseError::Rows { errors, .. } = &e {
        for r in errors.iter().take(20) {
            message.push_str(&format!("\n  line {}: {}", r.line, r.reason));
        }
        if errors.len() > 20 {
            message.push_str(&format!("\n  … and {} more", errors.len() - 20));
        }
    }
    BadInput(message).into()
}

/// `customs dataset add FILE --name NAME`: a CSV or JSON Lines file as the next version.
pub fn add(url: &str, data_dir: &Path, file: &Path, name: &str) -> anyhow::Result<()> {
    let bytes = std::fs::read(file)
        .map_err(|e| BadInput(format!("cannot read {}: {e}", file.display())))?;
    let rows = platform::parse_rows(&bytes, platform::Format::detect(&bytes), "upload")
        .map_err(bad_rows)?;
    let filename = file.file_name().map(|f| f.to_string_lossy().into_owned());
    register(url, data_dir, name, rows, Source::Upload, filename)
}

/// `customs dataset register --name N --source shared:<folder>|rulings`.
pub fn register_source(url: &str, data_dir: &Path, name: &str, source: &str) -> anyhow::Result<()> {
    let source = Source::parse(source).map_err(|e| BadInput(format!("--source: {e}")))?;
    let rows = match &source {
        Source::Shared(folder) => {
            let (raw, _) = corpus::read_labelled_rows(data_dir, folder)?.ok_or_else(|| {
                let known = corpus::labelled_sets(data_dir).join(", ");
                BadInput(format!(
                    "no labelled folder {folder:?} under {}; known: {known}",
                    data_dir.join("labelled").display()
                ))
            })?;
            platform::from_shared(folder, raw).map_err(bad_rows)?
        }
        Source::Rulings => {
            let runtime = tokio::runtime::Runtime::new()?;
            let examples = runtime
                .block_on(async { anyhow::Ok(open(url).await?.labelled_examples().await?) })?;
            platform::from_rulings(examples.iter().map(|e| {
                (
                    e.reference.as_str(),
                    e.description.as_str(),
                    e.code.as_str(),
                )
            }))
            .map_err(|e| match e {
                ParseError::Empty => {
                    BadInput("there are no approved advance rulings yet".into()).into()
                }
                other => bad_rows(other),
            })?
        }
        Source::Upload => unreachable!("Source::parse never gives an upload"),
    };
    register(url, data_dir, name, rows, source, None)
}

fn card_context_parts(
    data_dir: &Path,
) -> anyhow::Result<(nomenclature::Nomenclature, Option<tariff::TwTariff>)> {
    let hs = nomenclature::load_dir(data_dir)?;
    let tw = if tariff::tw_dir(data_dir).join(tariff::TARIFF_FILE).is_file() {
        Some(tariff::TwTariff::load_with(data_dir, &hs).context("loading Taiwan's tariff")?)
    } else {
        eprintln!(
            "note: no Taiwan tariff in the data directory: 8- to 11-digit codes are checked against HS 2022 only"
        );
        None
    };
    Ok((hs, tw))
}

fn register(
    url: &str,
    data_dir: &Path,
    name: &str,
    mut rows: Vec<LabelledRow>,
    source: Source,
    filename: Option<String>,
) -> anyhow::Result<()> {
    platform::check_name(name).map_err(|m| BadInput(format!("--name: {m}")))?;
    platform::canonical_order(&mut rows);
    let sha256 = platform::content_hash(&rows);
    let runtime = tokio::runtime::Runtime::new()?;
    let store = runtime.block_on(open(url))?;
    let latest = runtime.block_on(store.dataset_version(name, None))?;
    if let Some(latest) = latest.filter(|l| l.meta.sha256 == sha256) {
        println!("{}", unchanged(&latest.meta));
        return Ok(());
    }
    let (hs, tw) = card_context_parts(data_dir)?;
    let bar = (rows.len() >= PROGRESS_FROM_ROWS).then(|| {
        ProgressBar::new(rows.len() as u64).with_style(
            ProgressStyle::with_template("data card {bar:30} {pos}/{len} rows, then pairs")
                .expect("template"),
        )
    });
    let computed = platform::compute_card(
        &rows,
        CardContext {
            hs: &hs,
            tariff: tw.as_ref(),
        },
        platform::SIMILARITY_THRESHOLD,
        &mut |done, _| {
            if let Some(bar) = &bar {
                bar.set_position(done as u64);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let stored: Vec<DatasetRow> = rows
        .into_iter()
        .zip(&computed.splits)
        .map(|(r, split)| DatasetRow {
            id: r.id,
            text: r.text,
            code: r.code,
            source: r.source,
            split: split.as_str().into(),
        })
        .collect();
    let version = DatasetVersion {
        meta: VersionMeta {
            name: name.to_string(),
            version: 0,
            sha256,
            source: source.label(),
            filename,
            row_count: stored.len() as i64,
            created_at: store::now(),
            created_by: "console".into(),
        },
        card: serde_json::to_string(&computed.card)?,
    };
    let added = runtime.block_on(async {
        let mut tx = store.write().await?;
        let added = tx.add_dataset_version(&version, &stored).await?;
        tx.commit().await?;
        anyhow::Ok(added)
    })?;
    match added {
        Added::New(meta) => {
            println!(
                "registered version {} of {}: {} rows, sha256 {}",
                meta.version, meta.name, meta.row_count, meta.sha256
            );
            print_findings(&computed.card);
        }
        Added::Unchanged(meta) => println!("{}", unchanged(&meta)),
    }
    Ok(())
}

fn unchanged(meta: &VersionMeta) -> String {
    format!(
        "identical to version {} of {} (sha256 {}): no new version",
        meta.version, meta.name, meta.sha256
    )
}

/// `customs dataset list`.
pub fn list(url: &str) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let sets = runtime.block_on(async { anyhow::Ok(open(url).await?.datasets().await?) })?;
    if sets.is_empty() {
        println!("no data sets yet: customs dataset add FILE --name NAME");
    }
    for d in sets {
        println!(
            "{:<32} v{:<3} {:>7} rows  {}  {}",
            d.name,
            d.latest.version,
            d.latest.row_count,
            d.latest.source,
            &d.latest.sha256[..12]
        );
    }
    Ok(())
}

/// `customs dataset card NAME[@N] [--json]`: the newest version unless `@N` names one.
pub fn card(url: &str, spec: &str, json: bool) -> anyhow::Result<()> {
    let (name, version) = match spec.split_once('@') {
        Some((name, n)) => {
            let n = n
                .trim_start_matches('v')
                .parse::<i64>()
                .map_err(|_| BadInput(format!("{spec:?}: the version after @ is a number")))?;
            (name, Some(n))
        }
        None => (spec, None),
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let stored = runtime
        .block_on(async { anyhow::Ok(open(url).await?.dataset_version(name, version).await?) })?
        .ok_or_else(|| crate::NotFound(format!("no data set {spec}")))?;
    let card: DataCard = serde_json::from_str(&stored.card).context("reading the stored card")?;
    if json {
        let out = serde_json::json!({ "version": stored.meta, "card": card });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let m = &stored.meta;
    println!(
        "{} v{}: {} rows from {}{}, sha256 {}",
        m.name,
        m.version,
        m.row_count,
        m.source,
        m.filename
            .as_deref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default(),
        m.sha256
    );
    print_findings(&card);
    Ok(())
}

fn print_findings(card: &DataCard) {
    let counts = |list: &[platform::card::Count]| {
        list.iter()
            .map(|c| format!("{} {}", c.label, c.rows))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("  languages: {}", counts(&card.languages));
    println!("  splits: {}", counts(&card.splits));
    let mut sections = card.sections.clone();
    sections.sort_by_key(|s| std::cmp::Reverse(s.rows));
    let top: Vec<String> = sections
        .iter()
        .take(5)
        .map(|s| format!("{} {}", s.label, s.rows))
        .collect();
    println!(
        "  sections: {} ({} chapters)",
        top.join(", "),
        card.chapters.len()
    );
    println!(
        "  invalid codes: {} rows, {} codes",
        card.invalid_codes.rows, card.invalid_codes.codes
    );
    for c in card.invalid_codes.examples.iter().take(5) {
        println!("    {} ({} rows): {}", c.code, c.rows, c.reason);
    }
    println!(
        "  conflicts: {} texts, {} rows",
        card.conflicts.texts, card.conflicts.rows
    );
    println!(
        "  exact duplicates: {} groups, {} extra rows",
        card.exact_duplicates.groups, card.exact_duplicates.extra_rows
    );
    println!(
        "  near duplicates (Jaccard >= {}): {} pairs",
        card.near_duplicates.threshold, card.near_duplicates.pairs
    );
    println!(
        "  leakage between splits: {} pairs, {} rows",
        card.leakage.pairs, card.leakage.rows
    );
    for p in card.leakage.examples.iter().take(3) {
        println!(
            "    {:.2}  {:?} ({}) ~ {:?} ({})",
            p.similarity,
            p.a.text,
            p.a.split.as_str(),
            p.b.text,
            p.b.split.as_str()
        );
    }
}
