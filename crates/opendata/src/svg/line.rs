//! Line charts, for series over time (e.g. monthly counts).

use std::fmt::Write;

use super::{
    COLOUR, LEFT, RIGHT, Scale, WIDTH, chart_id, escape, extremes, fmt_value, open, x_label,
};

/// At most this many x labels are drawn; the rest stay in the point tooltips.
const MAX_X_LABELS: usize = 12;

/// A point per `(x label, value)`, evenly spaced in the order given. A non-finite value
/// breaks the line, so a gap in the data shows as a gap.
pub fn line_chart<L: AsRef<str>>(title: &str, data: &[(L, f64)]) -> String {
    let labels: Vec<&str> = data.iter().map(|(l, _)| l.as_ref()).collect();
    let id = chart_id("line", title, &labels);
    let range = match (labels.first(), labels.last()) {
        (Some(a), Some(b)) => format!(" from {a} to {b}"),
        _ => String::new(),
    };
    let desc = format!(
        "Line chart with {} points{range}.{}",
        data.len(),
        extremes(data)
    );
    let mut out = String::with_capacity(512 + 160 * data.len());
    if data.is_empty() {
        open(&mut out, &id, title, &desc, None);
        out.push_str("</svg>");
        return out;
    }
    let scale = Scale::new(data.iter().map(|(_, v)| *v).filter(|v| v.is_finite()));
    open(&mut out, &id, title, &desc, Some(&scale));
    let span = WIDTH - LEFT - RIGHT;
    let x = |i: usize| {
        if data.len() == 1 {
            LEFT + span / 2.0
        } else {
            LEFT + span * i as f64 / (data.len() - 1) as f64
        }
    };

    // One polyline per run of finite values.
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    for (i, (_, v)) in data.iter().enumerate() {
        if v.is_finite() {
            runs.last_mut()
                .expect("never empty")
                .push(format!("{:.1},{:.1}", x(i), scale.y(*v)));
        } else if !runs.last().expect("never empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    let _ = write!(
        out,
        r#"<g class="line" fill="none" stroke="{COLOUR}" stroke-width="2">"#
    );
    for run in runs.iter().filter(|r| r.len() > 1) {
        let _ = write!(out, r#"<polyline points="{}"/>"#, run.join(" "));
    }
    let _ = write!(out, r#"</g><g class="points" fill="{COLOUR}">"#);
    for (i, (label, v)) in data.iter().enumerate().filter(|(_, (_, v))| v.is_finite()) {
        let _ = write!(
            out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="3"><title>{}: {}</title></circle>"#,
            x(i),
            scale.y(*v),
            escape(label.as_ref()),
            fmt_value(*v)
        );
    }
    out.push_str("</g><g class=\"x-labels\" aria-hidden=\"true\">");
    let every = data.len().div_ceil(MAX_X_LABELS);
    let rotate = data.len().div_ceil(every) > 6;
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        x_label(&mut out, x(i), label, rotate);
    }
    out.push_str("</g></svg>");
    out
}
