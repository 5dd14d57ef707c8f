use std::path::Path;

use maud::{DOCTYPE, PreEscaped, html};

use crate::metrics::{DIGITS, KS};
use crate::{Report, svg};

pub(crate) const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#0b0c0c}table{border-collapse:collapse;margin:8px 0 20px;display:block;overflow-x:auto}td,th{border-bottom:1px solid #b1b4b6;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}code{background:#f3f2f1;padding:0 3px}.muted{color:#505a5f}";

/// Writes the report as a self-contained HTML page with inline SVG charts.
pub fn write_html(report: &Report, path: &Path) -> std::io::Result<()> {
    let labels: Vec<String> = DIGITS
        .iter()
        .flat_map(|d| [1, 5, 10].map(|k| format!("top{k}@{d}")))
        .collect();
    let series: Vec<(String, Vec<f64>)> = report
        .systems
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                labels.iter().map(|l| s.accuracy[l]).collect(),
            )
        })
        .collect();
    let big_chapters: Vec<_> = report.per_chapter.iter().filter(|c| c.cases >= 5).collect();
    let chapter_chart = svg::bars(
        "Top-1 and top-5 accuracy at 6 digits by chapter (chapters with 5 or more cases)",
        &big_chapters
            .iter()
            .map(|c| c.chapter.clone())
            .collect::<Vec<_>>(),
        &[
            (
                "top1@6".into(),
                big_chapters.iter().map(|c| c.top1_at_6).collect(),
            ),
            (
                "top5@6".into(),
                big_chapters.iter().map(|c| c.top5_at_6).collect(),
            ),
        ],
    );
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "Classification evaluation" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Classification evaluation" }
                p.muted {
                    (report.cases) " cases; gold set sha256 " code { (report.gold_sha256) }
                }
                pre.muted { (serde_json::to_string_pretty(&report.about).unwrap_or_default()) }
                h2 { "Accuracy" }
                (PreEscaped(svg::bars("Accuracy by system", &labels, &series)))
                table {
                    tr { th { "system" } @for d in DIGITS { @for k in KS { th { "top" (k) "@" (d) } } } th { "MRR@10 (6)" } th { "top-1@6, 95 % CI" } }
                    @for s in &report.systems {
                        tr {
                            td { (s.name) }
                            @for d in DIGITS { @for k in KS { td { (format!("{:.3}", s.accuracy[&format!("top{k}@{d}")])) } } }
                            td { (format!("{:.3}", s.mrr10_at_6)) }
                            td { (format!("{:.3}–{:.3}", s.top1_at_6_ci95.0, s.top1_at_6_ci95.1)) }
                        }
                    }
                }
                @if let Some(l) = &report.latency {
                    h2 { "Latency (" (report.systems.first().map_or("", |s| s.name.as_str())) ", one thread)" }
                    p { (format!("p50 {:.2} ms · p95 {:.2} ms · p99 {:.2} ms · mean {:.2} ms", l.p50_ms, l.p95_ms, l.p99_ms, l.mean_ms)) }
                }
                @if let Some(c) = &report.calibration {
                    h2 { "Calibration" }
                    p { "Expected calibration error: " (format!("{:.3}", c.ece)) }
                    (PreEscaped(svg::reliability("Reliability diagram", &c.bins.iter().map(|b| (b.mean_confidence, b.accuracy, b.count)).collect::<Vec<_>>())))
                }
                h2 { "By chapter" }
                (PreEscaped(chapter_chart))
                table {
                    tr { th { "chapter" } th { "cases" } th { "top1@6" } th { "top5@6" } }
                    @for c in &report.per_chapter {
                        tr { td { (c.chapter) } td { (c.cases) } td { (format!("{:.2}", c.top1_at_6)) } td { (format!("{:.2}", c.top5_at_6)) } }
                    }
                }
                h2 { "Most frequent confusions" }
                table {
                    tr { th { "gold" } th { "predicted" } th { "count" } th { "example" } }
                    @for c in &report.confusions {
                        tr { td { (c.gold) } td { (c.predicted) } td { (c.count) } td { (c.example) } }
                    }
                }
            }
        }
    };
    std::fs::write(path, page.into_string())
}
