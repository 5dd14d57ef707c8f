//! Bar charts.

use std::fmt::Write;

use super::{
    COLOUR, LEFT, RIGHT, Scale, WIDTH, chart_id, escape, extremes, fmt_value, open, x_label,
};

/// A bar per `(label, value)`, in the order given. Non-finite values draw no bar.
pub fn bar_chart<L: AsRef<str>>(title: &str, data: &[(L, f64)]) -> String {
    let labels: Vec<&str> = data.iter().map(|(l, _)| l.as_ref()).collect();
    let id = chart_id("bar", title, &labels);
    let desc = format!("Bar chart with {} bars.{}", data.len(), extremes(data));
    let mut out = String::with_capacity(512 + 200 * data.len());
    if data.is_empty() {
        open(&mut out, &id, title, &desc, None);
        out.push_str("</svg>");
        return out;
    }
    let scale = Scale::new(data.iter().map(|(_, v)| *v).filter(|v| v.is_finite()));
    open(&mut out, &id, title, &desc, Some(&scale));
    let band = (WIDTH - LEFT - RIGHT) / data.len() as f64;
    let width = band * 0.7;
    let zero = scale.y(0.0);
    let _ = write!(out, r#"<g class="bars" fill="{COLOUR}">"#);
    for (i, (label, value)) in data.iter().enumerate() {
        if !value.is_finite() {
            continue;
        }
        let x = LEFT + band * i as f64 + (band - width) / 2.0;
        let y = scale.y(*value);
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{:.1}" width="{width:.1}" height="{:.1}"><title>{}: {}</title></rect>"#,
            y.min(zero),
            (zero - y).abs(),
            escape(label.as_ref()),
            fmt_value(*value)
        );
    }
    out.push_str("</g><g class=\"x-labels\" aria-hidden=\"true\">");
    let rotate = data.len() > 8;
    for (i, label) in labels.iter().enumerate() {
        x_label(&mut out, LEFT + band * (i as f64 + 0.5), label, rotate);
    }
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}
