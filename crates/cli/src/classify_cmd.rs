//! `customs classify`, `customs check`, `customs train`, `customs corpus build`.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use classify::{Classifier, DeclarationCheck};
use indicatif::{ProgressBar, ProgressStyle};
use server::limits::MAX_DESCRIPTION_CHARS;
use settings::StateDir;

use crate::open::{self, Bars};
use crate::{BadInput, NotFound};

fn bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

pub fn classify_one(c: &Classifier, text: &str, limit: usize, json: bool) -> anyhow::Result<()> {
    let r = c.classify(text, limit);
    if json {
        let out = serde_json::json!({
            "flags": r.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            "reasons": r.reasons,
            "candidates": r.candidates.iter().map(|c| serde_json::json!({
                "code": c.code, "probability": c.probability,
                "matched_words": c.explanation.matched_words,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for reason in &r.reasons {
        println!("note: {reason}");
    }
    let hs = c.nomenclature();
    for cand in &r.candidates {
        let desc = hs.get(&cand.code).map_or("", |n| n.description.as_str());
        println!(
            "{:<8} {:>5.1}%  {}",
            cand.code.dotted(),
            cand.probability * 100.0,
            desc
        );
        if !cand.explanation.matched_words.is_empty() {
            println!(
                "{:>16} matched: {}",
                "",
                cand.explanation.matched_words.join(", ")
            );
        }
        for ex in &cand.explanation.examples {
            println!("{:>16} like: \"{}\" → {}", "", ex.text, ex.code.dotted());
        }
    }
    if r.candidates.is_empty() {
        return Err(NotFound("no candidate code".into()).into());
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct BatchLine {
    id: serde_json::Value,
    description: String,
}

/// Classifies a JSONL file. A bad line becomes an `error` line in the output (nothing is
/// dropped) and makes the exit code 2.
pub fn classify_batch(
    c: &Classifier,
    input: &Path,
    output: &Path,
    limit: usize,
) -> anyhow::Result<()> {
    let file = std::fs::File::open(input)
        .map_err(|e| BadInput(format!("cannot read {}: {e}", input.display())))?;
    let lines: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .collect::<Result<_, _>>()
        .map_err(|e| BadInput(format!("{} is not UTF-8 text: {e}", input.display())))?;
    let out =
        std::fs::File::create(output).with_context(|| format!("creating {}", output.display()))?;
    let mut out = BufWriter::new(out);
    let bar = bar(lines.len() as u64, "classify");
    let mut errors = 0;
    for (n, line) in lines.iter().enumerate() {
        bar.inc(1);
        if line.trim().is_empty() {
            continue;
        }
        let row = match serde_json::from_str::<BatchLine>(line) {
            Ok(row) if !row.description.trim().is_empty() => row,
            Ok(row) => {
                errors += 1;
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({"id": row.id, "line": n + 1, "error": "empty description"}),
                )?;
                out.write_all(b"\n")?;
                continue;
            }
            Err(e) => {
                errors += 1;
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({"line": n + 1, "error": format!("not a {{\"id\", \"description\"}} object: {e}")}),
                )?;
                out.write_all(b"\n")?;
                continue;
            }
        };
        let r = c.classify(&row.description, limit);
        let candidates: Vec<_> = r
            .candidates
            .iter()
            .map(|c| serde_json::json!({"code": c.code, "score": (c.probability * 1e4).round() / 1e4}))
            .collect();
        let flags: Vec<_> = r.flags.iter().map(|f| f.as_str()).collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"id": row.id, "candidates": candidates, "flags": flags}),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    bar.finish();
    eprintln!(
        "classified {} lines into {} ({errors} bad)",
        lines.len(),
        output.display()
    );
    if errors > 0 {
        return Err(BadInput(format!(
            "{errors} input lines were not valid; see their error lines in the output"
        ))
        .into());
    }
    Ok(())
}

/// Lines one `customs check` run takes: a day of a large broker's declarations. The API takes
/// [`server::limits::MAX_CHECK_LINES`] a request.
pub const MAX_DECLARATION_ROWS: usize = 100_000;

#[derive(serde::Deserialize)]
pub struct CheckRow {
    #[serde(default)]
    id: String,
    description: String,
    declared_code: String,
}

/// Reads and validates a CSV of declaration lines (`description,declared_code`, optional
/// `id`) whole, before any model loads: a bad file fails at once and writes nothing.
pub fn read_declarations(input: &Path) -> anyhow::Result<Vec<CheckRow>> {
    let mut reader = csv::Reader::from_path(input)
        .map_err(|e| BadInput(format!("cannot read {}: {e}", input.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| BadInput(e.to_string()))?
        .clone();
    for needed in ["description", "declared_code"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(BadInput(format!("{} has no column {needed:?}", input.display())).into());
        }
    }
    let mut rows = Vec::new();
    for (n, row) in reader.deserialize::<CheckRow>().enumerate() {
        let at = format!("{} row {}", input.display(), n + 2);
        let row: CheckRow = row.map_err(|e| BadInput(format!("{at}: {e}")))?;
        if rows.len() == MAX_DECLARATION_ROWS {
            return Err(BadInput(format!(
                "{} has more than {MAX_DECLARATION_ROWS} lines; split it",
                input.display()
            ))
            .into());
        }
        let chars = row.description.trim().chars().count();
        if chars == 0 {
            return Err(BadInput(format!("{at}: the description is empty")).into());
        }
        if chars > MAX_DESCRIPTION_CHARS {
            return Err(BadInput(format!(
                "{at}: the description has {chars} characters; the limit is {MAX_DESCRIPTION_CHARS}"
            ))
            .into());
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Checks declaration lines against their descriptions; writes one verdict a line.
pub fn check_declarations(
    c: &Classifier,
    rows: &[CheckRow],
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let sink: Box<dyn Write> = match output {
        Some(p) => Box::new(std::fs::File::create(p)?),
        None => Box::new(std::io::stdout()),
    };
    let mut w = csv::Writer::from_writer(sink);
    w.write_record([
        "id",
        "declared_code",
        "verdict",
        "risk",
        "declared_probability",
        "likelier",
        "reason",
    ])?;
    let (mut suspicious, mut invalid, mut total) = (0, 0, 0);
    for row in rows {
        let outcome = c.check(&DeclarationCheck {
            description: &row.description,
            declared_code: &row.declared_code,
        });
        total += 1;
        match outcome.verdict {
            classify::Verdict::Suspicious => suspicious += 1,
            classify::Verdict::InvalidCode => invalid += 1,
            classify::Verdict::Consistent => {}
        }
        let likelier: Vec<String> = outcome
            .likelier
            .iter()
            .map(|(c, p)| format!("{} ({:.0}%)", c.dotted(), p * 100.0))
            .collect();
        w.write_record([
            row.id.as_str(),
            row.declared_code.as_str(),
            outcome.verdict.as_str(),
            &format!("{:.2}", outcome.risk),
            &format!("{:.3}", outcome.declared_probability),
            &likelier.join("; "),
            &outcome.reason,
        ])?;
    }
    w.flush()?;
    eprintln!("{total} lines: {suspicious} suspicious, {invalid} with invalid codes");
    Ok(())
}

pub fn corpus_build(data_dir: &Path, state: &StateDir) -> anyhow::Result<()> {
    let hs = engine::nomenclature(data_dir)?;
    let bars = Bars::new();
    let corpus = engine::corpus(data_dir, &hs, state, true, &|s, d, t| bars.report(s, d, t))?;
    bars.finish();
    println!("{}", serde_json::to_string_pretty(&corpus.manifest)?);
    Ok(())
}

/// Rebuilds what is stale and re-tunes the fusion on the development split.
pub struct TrainOptions {
    pub epochs: Option<usize>,
    /// 0: no fine-tuned encoder.
    pub tune_epochs: usize,
    pub seed: Option<u64>,
    pub fusion_only: bool,
    pub if_missing: bool,
}

pub fn train(paths: &engine::Paths<'_>, options: &TrainOptions) -> anyhow::Result<()> {
    let hs = engine::nomenclature(paths.data_dir)?;
    let bars = Bars::new();
    let report = |s: &str, d, t| bars.report(s, d, t);
    let corpus = engine::corpus(paths.data_dir, &hs, paths.state, false, &report)?;
    let tuning = paths.models.is_some() && options.tune_epochs > 0 && !options.fusion_only;
    let tuned = engine::fitting_tuned_encoder(&corpus, paths.state);
    if options.if_missing
        && (tuned.is_some() || !tuning)
        && engine::load_head(&corpus, paths.state).is_some()
    {
        bars.finish();
        eprintln!(
            "a trained head for corpus {} is already saved",
            corpus.manifest.version
        );
        return Ok(());
    }
    if corpus.manifest.trained_on_corpus_only {
        eprintln!(
            "no labelled data found: the head trains on the corpus alone and the fusion keeps its untuned defaults"
        );
    }
    if let Some(models) = paths.models.filter(|_| tuning) {
        let config = encoder::tune::TuneConfig {
            epochs: options.tune_epochs,
            seed: options
                .seed
                .unwrap_or(encoder::tune::TuneConfig::default().seed),
            ..encoder::tune::TuneConfig::default()
        };
        let meta = engine::tune_encoder(&corpus, models, paths.state, &config, &report)?;
        bars.finish();
        let r = &meta.report;
        eprintln!(
            "encoder {} fine-tuned on {} pairs in {:.0} s; loss by epoch {}",
            meta.version,
            r.pairs,
            r.seconds,
            r.epoch_losses
                .iter()
                .map(|l| format!("{l:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    } else if options.tune_epochs == 0 && !options.fusion_only {
        engine::remove_tuned_encoder(paths.state)?;
    }
    let semantic = match paths.models {
        Some(m) => engine::semantic(&corpus, m, paths.state, &report)?,
        None => None,
    };
    let head = if options.fusion_only {
        engine::load_head(&corpus, paths.state)
    } else {
        let mut recipe = classify::trained::Recipe::default();
        if let Some(e) = options.epochs {
            recipe.config.epochs = e;
        }
        if let Some(s) = options.seed {
            recipe.config.seed = s;
        }
        let head = engine::train_head(
            paths.data_dir,
            &hs,
            &corpus,
            semantic.as_ref(),
            paths.state,
            &recipe,
            &report,
        )?;
        bars.finish();
        print_head_report(&head);
        Some(head)
    };
    let c = engine::classifier(hs, corpus, semantic, head, paths.state, true, &report)?;
    bars.finish();
    println!("{}", serde_json::to_string_pretty(c.fusion())?);
    Ok(())
}

fn print_head_report(head: &head::Head) {
    let meta = head.meta();
    let r = &meta.report;
    eprintln!(
        "head {} trained on {} rows ({}) in {:.0} s; seed {}",
        meta.version,
        r.rows,
        r.rows_by_source
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        r.seconds,
        meta.config.seed
    );
    for e in &r.epochs {
        let dev = match (e.dev_top1, e.dev_top5) {
            (Some(t1), Some(t5)) => format!("dev top-1 {t1:.3} top-5 {t5:.3}"),
            _ => "no dev split".into(),
        };
        eprintln!(
            "  epoch {:>2}: loss {:.3}, {dev} ({:.0} s)",
            e.epoch, e.loss, e.seconds
        );
    }
}

pub fn open_classifier(paths: &engine::Paths<'_>) -> anyhow::Result<std::sync::Arc<Classifier>> {
    Ok(open::engine(paths)?.classifier)
}
