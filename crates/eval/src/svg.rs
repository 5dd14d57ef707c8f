//! Small SVG charts rendered as strings. Hand-written: two chart kinds with fixed layout, and
//! plotting crates would bring font handling for text we can leave to the browser.

use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 280.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 48.0;
const TOP: f64 = 24.0;
const PALETTE: [&str; 6] = [
    "#1d70b8", "#00703c", "#d4351c", "#f47738", "#4c2c92", "#505a5f",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn frame(out: &mut String, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-label="{t}" font-family="sans-serif" font-size="11"><title>{t}</title>"#,
        t = escape(title)
    );
    for i in 0..=4 {
        let y = TOP + (H - TOP - BOTTOM) * (1.0 - i as f64 / 4.0);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{x2}" y1="{y}" y2="{y}" stroke="#ddd"/><text x="{tx}" y="{ty}" text-anchor="end">{v:.2}</text>"##,
            x2 = W - 8.0,
            tx = LEFT - 4.0,
            ty = y + 4.0,
            v = i as f64 / 4.0
        );
    }
}

/// Grouped bars of values in 0..1: one group per label, one bar per series.
pub fn bars(title: &str, labels: &[String], series: &[(String, Vec<f64>)]) -> String {
    let mut out = String::new();
    frame(&mut out, title);
    let plot_w = W - LEFT - 8.0;
    let plot_h = H - TOP - BOTTOM;
    let group_w = plot_w / labels.len().max(1) as f64;
    let bar_w = (group_w * 0.8) / series.len().max(1) as f64;
    for (g, label) in labels.iter().enumerate() {
        let x0 = LEFT + g as f64 * group_w + group_w * 0.1;
        for (s, (name, values)) in series.iter().enumerate() {
            let v = values.get(g).copied().unwrap_or(0.0).clamp(0.0, 1.0);
            let h = plot_h * v;
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{c}"><title>{n} {l}: {v:.3}</title></rect>"#,
                x = x0 + s as f64 * bar_w,
                y = TOP + plot_h - h,
                w = bar_w.max(1.0) - 1.0,
                c = PALETTE[s % PALETTE.len()],
                n = escape(name),
                l = escape(label),
            );
        }
        if labels.len() <= 30 {
            let _ = write!(
                out,
                r#"<text x="{x:.1}" y="{y}" text-anchor="middle">{l}</text>"#,
                x = x0 + group_w * 0.4,
                y = H - BOTTOM + 14.0,
                l = escape(label)
            );
        }
    }
    for (s, (name, _)) in series.iter().enumerate() {
        let x = LEFT + s as f64 * 130.0;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{y}" width="10" height="10" fill="{c}"/><text x="{tx}" y="{ty}">{n}</text>"#,
            y = H - 18.0,
            c = PALETTE[s % PALETTE.len()],
            tx = x + 14.0,
            ty = H - 9.0,
            n = escape(name)
        );
    }
    out.push_str("</svg>");
    out
}

/// Reliability diagram: accuracy against confidence per bin, with the diagonal of perfect
/// calibration; dot area follows the bin's count.
pub fn reliability(title: &str, points: &[(f64, f64, usize)]) -> String {
    let mut out = String::new();
    frame(&mut out, title);
    let plot_w = W - LEFT - 8.0;
    let plot_h = H - TOP - BOTTOM;
    let px = |v: f64| LEFT + plot_w * v;
    let py = |v: f64| TOP + plot_h * (1.0 - v);
    let _ = write!(
        out,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#505a5f" stroke-dasharray="4 3"/>"##,
        px(0.0),
        py(0.0),
        px(1.0),
        py(1.0)
    );
    let max = points.iter().map(|p| p.2).max().unwrap_or(1).max(1) as f64;
    for &(conf, acc, n) in points.iter().filter(|p| p.2 > 0) {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{:.1}" fill="#1d70b8" fill-opacity="0.7"><title>confidence {conf:.2}, accuracy {acc:.2}, {n} cases</title></circle>"##,
            px(conf),
            py(acc),
            3.0 + 9.0 * (n as f64 / max).sqrt()
        );
    }
    for i in 0..=10 {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{:.1}</text>"#,
            px(i as f64 / 10.0),
            H - BOTTOM + 14.0,
            i as f64 / 10.0
        );
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle">confidence of the top candidate → (dashed: perfect calibration)</text></svg>"#,
        W / 2.0,
        H - 12.0
    );
    out
}
