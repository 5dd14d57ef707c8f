//! The report of a guided-dialogue evaluation: the simulated user's success and how many
//! questions it took, next to the top-down tree walk.

use std::path::Path;

use maud::{DOCTYPE, PreEscaped, html};
use serde::Serialize;

use crate::svg;

#[derive(Debug, Clone, Serialize)]
pub struct GuidedReport {
    pub cases_file: String,
    pub cases_sha256: String,
    pub cases: usize,
    /// Cases whose gold code is not a subheading of the corpus: not run.
    pub skipped: usize,
    pub threshold: f64,
    pub max_questions: usize,
    pub correct_at_6: f64,
    pub correct_at_4: f64,
    pub mean_questions: f64,
    pub median_questions: f64,
    pub distribution: Vec<usize>,
    pub baseline_mean_questions: f64,
    pub baseline_distribution: Vec<usize>,
    /// The walk with at most eight choices a question, as the guide itself is limited.
    pub paged_baseline_mean_questions: f64,
    /// An optimal questioner of nine answers (a Huffman code) with the same prior: how much
    /// of a long dialogue the classifier's prior leaves to any questioner.
    pub ideal_mean_questions: f64,
    pub ideal_percentiles: Vec<(u8, usize)>,
    /// (percentile, guided, baseline, paged baseline).
    pub percentiles: Vec<(u8, usize, usize, usize)>,
    pub end_reasons: Vec<(String, usize)>,
    /// Questions by where the classifier ranked the gold code before any answer.
    pub by_prior_rank: Vec<RankBand>,
    /// Milliseconds per dialogue step (classifier replay and question choice).
    pub step_ms_p50: f64,
    pub step_ms_p95: f64,
    pub corpus_version: String,
    /// Every dialogue: what analysts read to see where the questions go wrong.
    pub runs: Vec<GuidedRun>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankBand {
    /// The classifier's ranks of the gold code: "1", "2-5", …, "301+".
    pub ranks: String,
    pub cases: usize,
    pub mean_questions: f64,
    pub four_or_more: usize,
    pub ideal_four_or_more: usize,
    pub max_questions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GuidedRun {
    pub description: String,
    pub gold: String,
    pub result: String,
    pub questions: usize,
    /// Where the classifier ranked the gold code before any answer.
    pub prior_rank: usize,
    /// The gold chapter's and heading's ranks by the prior's summed mass.
    pub prior_chapter_rank: usize,
    pub prior_heading_rank: usize,
    /// Questions the optimal nine-answer questioner with the same prior would ask.
    pub ideal_questions: usize,
    pub end: String,
    /// The questions asked, in order, with the simulated user's answer.
    pub trace: Vec<String>,
}

fn shares(counts: &[usize], len: usize) -> Vec<f64> {
    let total: usize = counts.iter().sum::<usize>().max(1);
    (0..len)
        .map(|k| counts.get(k).copied().unwrap_or(0) as f64 / total as f64)
        .collect()
}

pub fn write_guided_html(r: &GuidedReport, path: &Path) -> std::io::Result<()> {
    let len = r.distribution.len().max(r.baseline_distribution.len());
    let chart = svg::bars(
        "Share of dialogues by number of questions",
        &(0..len).map(|k| k.to_string()).collect::<Vec<_>>(),
        &[
            ("guided".into(), shares(&r.distribution, len)),
            (
                "top-down walk".into(),
                shares(&r.baseline_distribution, len),
            ),
        ],
    );
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Guided classification evaluation" }
                style { (PreEscaped(crate::html::STYLE)) } }
            body {
                h1 { "Guided classification evaluation" }
                p.muted { "Cases " code { (r.cases_file) } " (sha256 " code { (r.cases_sha256) } "), corpus "
                    code { (r.corpus_version) } ". A simulated user answers every question truthfully from the gold code." }
                table {
                    tr { th { "measure" } th { "guided" } th { "top-down walk, a level a question" } th { "top-down walk, 8 choices a question" } th { "optimal questioner, same prior" } }
                    tr { td { "cases run (skipped)" } td { (r.cases) " (" (r.skipped) ")" } td { (r.cases) } td { (r.cases) } td { (r.cases) } }
                    tr { td { "correct at 6 digits" } td { (format!("{:.3}", r.correct_at_6)) } td { "1.000" } td { "1.000" } td { "1.000" } }
                    tr { td { "correct at 4 digits" } td { (format!("{:.3}", r.correct_at_4)) } td { "1.000" } td { "1.000" } td { "1.000" } }
                    tr { td { "mean questions" } td { (format!("{:.2}", r.mean_questions)) } td { (format!("{:.2}", r.baseline_mean_questions)) } td { (format!("{:.2}", r.paged_baseline_mean_questions)) } td { (format!("{:.2}", r.ideal_mean_questions)) } }
                    @for ((p, g, b, pb), (_, ideal)) in r.percentiles.iter().zip(&r.ideal_percentiles) {
                        tr { td { "questions at p" (p) } td { (g) } td { (b) } td { (pb) } td { (ideal) } }
                    }
                }
                (PreEscaped(chart))
                h2 { "Questions by the classifier's rank of the gold code" }
                p.muted { "Before any answer. The long dialogues are those whose goods the classifier ranked far off. "
                    "The optimal questioner asks questions of nine answers (eight choices and \"none of these\") as a Huffman code over the same prior, "
                    "stopping where the gold code holds the threshold: no questioner does better on average with this prior, "
                    "so what it needs four questions for is the classifier's to shorten, not the questions'." }
                table {
                    tr { th { "rank" } th { "cases" } th { "mean questions" } th { "4 or more" } th { "4 or more, optimal questioner" } th { "most" } }
                    @for b in &r.by_prior_rank {
                        tr { td { (b.ranks) } td { (b.cases) } td { (format!("{:.2}", b.mean_questions)) } td { (b.four_or_more) } td { (b.ideal_four_or_more) } td { (b.max_questions) } }
                    }
                }
                h2 { "How dialogues ended" }
                table {
                    @for (reason, n) in &r.end_reasons { tr { td { (reason) } td { (n) } } }
                }
                p.muted { "Threshold " (r.threshold) ", at most " (r.max_questions) " questions. Step latency p50 "
                    (format!("{:.2}", r.step_ms_p50)) " ms, p95 " (format!("{:.2}", r.step_ms_p95)) " ms." }
            }
        }
    };
    std::fs::write(path, page.into_string())
}
