//! The figures of `customs eval --zh --zh-encoder`: a sentence encoder's dense retrieval over
//! the national tariff's Chinese passages, alone and blended with the Chinese leg, and what
//! the encoder costs (load time, memory, per-query latency).

use serde::Serialize;

use crate::zh::ZhRow;

/// One ranking system's accuracy per kind of writer.
#[derive(Debug, Clone, Serialize)]
pub struct ZhSystem {
    pub name: String,
    pub rows: Vec<ZhRow>,
    /// Cases (ids) whose HS6 this system puts first and the leg does not, and the reverse.
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZhDenseReport {
    pub model: String,
    pub passages: usize,
    pub load_s: f64,
    /// Resident memory before loading the encoder and after, MiB.
    pub rss_before_mib: f64,
    pub rss_after_load_mib: f64,
    /// Embedding the passages (or reading them from the cache), seconds.
    pub passages_s: f64,
    pub passages_cached: bool,
    /// The compute threads the encoder ran on (RAYON_NUM_THREADS, or the default).
    pub threads: String,
    /// Encoding one short query, repeated.
    pub query: String,
    pub query_p50_ms: f64,
    pub query_p99_ms: f64,
    pub systems: Vec<ZhSystem>,
}

impl ZhDenseReport {
    /// The row of `kind` ("all", "public", ...) of the system named `name`.
    pub fn row(&self, name: &str, kind: &str) -> Option<&ZhRow> {
        self.systems
            .iter()
            .find(|s| s.name == name)?
            .rows
            .iter()
            .find(|r| r.kind == kind)
    }
}

/// An HTML section: one table per measure, systems down, kinds across.
pub fn dense_html(report: &ZhDenseReport) -> String {
    let kinds: Vec<String> = report
        .systems
        .first()
        .map(|s| s.rows.iter().map(|r| r.kind.clone()).collect())
        .unwrap_or_default();
    let mut out = format!(
        "<h2>Dense retrieval with {} ({} passages)</h2>\
         <p>Load {:.2} s; RSS {:.0} MiB before, {:.0} MiB after loading; passages {:.1} s{}; \
         one query ({}) on {} threads: p50 {:.1} ms, p99 {:.1} ms.</p>",
        report.model,
        report.passages,
        report.load_s,
        report.rss_before_mib,
        report.rss_after_load_mib,
        report.passages_s,
        if report.passages_cached {
            " (cached)"
        } else {
            ""
        },
        report.query,
        report.threads,
        report.query_p50_ms,
        report.query_p99_ms,
    );
    type Measure = fn(&ZhRow) -> f64;
    let measures: [(&str, Measure); 4] = [
        ("HS6 top-1", |r| r.hs6_top1),
        ("HS6 top-10", |r| r.hs6_top10),
        ("11-digit top-1", |r| r.line_top1),
        ("11-digit top-10", |r| r.line_top10),
    ];
    for (title, value) in measures {
        out.push_str(&format!("<h3>{title}</h3><table><tr><th>system</th>"));
        for k in &kinds {
            out.push_str(&format!("<th>{k}</th>"));
        }
        out.push_str("</tr>");
        for s in &report.systems {
            out.push_str(&format!("<tr><td>{}</td>", s.name));
            for k in &kinds {
                let v = s.rows.iter().find(|r| r.kind == *k).map_or(0.0, value);
                out.push_str(&format!("<td>{v:.3}</td>"));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }
    out
}
