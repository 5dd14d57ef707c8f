//! Server-side SVG charts: self-contained, no script, readable by screen readers
//! (`role="img"`, `<title>`, a `<desc>` summary, and a tooltip title on every mark).

mod bar;
mod line;

pub use bar::bar_chart;
pub use line::line_chart;

use std::fmt::Write;

pub(crate) const WIDTH: f64 = 640.0;
pub(crate) const HEIGHT: f64 = 360.0;
pub(crate) const LEFT: f64 = 72.0;
pub(crate) const RIGHT: f64 = 16.0;
pub(crate) const TOP: f64 = 40.0;
pub(crate) const BOTTOM: f64 = 80.0;
pub(crate) const COLOUR: &str = "#1f5fa8";

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Long axis labels are cut for display; the full text stays in each mark's tooltip.
pub(crate) fn short(label: &str) -> String {
    const MAX: usize = 18;
    match label.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &label[..i]),
        None => label.to_owned(),
    }
}

/// A stable id prefix so several charts can share one page without id clashes.
pub(crate) fn chart_id(kind: &str, title: &str, labels: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in std::iter::once(kind)
        .chain(std::iter::once(title))
        .chain(labels.iter().copied())
    {
        for b in part.bytes().chain(std::iter::once(0)) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{kind}-{h:016x}")
}

/// Numbers as people read them: thousands grouped, at most `decimals` fraction digits.
pub(crate) fn fmt_num(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = frac.trim_end_matches('0');
    let sign = if x < 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Value formatting for tooltips and summaries.
pub(crate) fn fmt_value(x: f64) -> String {
    fmt_num(x, 2)
}

/// The value axis: a "nice" range including zero and its ticks.
pub(crate) struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub decimals: usize,
}

impl Scale {
    pub fn new(values: impl Iterator<Item = f64>) -> Scale {
        let (mut lo, mut hi) = values.fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
        // Only when every value is zero (the fold starts at zero).
        if hi <= lo {
            hi = lo + 1.0;
        }
        let raw = (hi - lo) / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        lo = (lo / step).floor() * step;
        hi = (hi / step).ceil() * step;
        // The epsilon keeps 0.1 at one decimal whichever way log10 rounds.
        let decimals = (-step.log10() - 1e-9).ceil().max(0.0) as usize;
        Scale {
            lo,
            hi,
            step,
            decimals,
        }
    }

    /// Y coordinate of `v` in the plot area.
    pub fn y(&self, v: f64) -> f64 {
        let plot = HEIGHT - TOP - BOTTOM;
        TOP + plot * (self.hi - v) / (self.hi - self.lo)
    }

    pub fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n).map(|i| self.lo + self.step * i as f64).collect()
    }
}

/// Opening tag, title, description, grid lines and y-axis labels.
pub(crate) fn open(out: &mut String, id: &str, title: &str, desc: &str, scale: Option<&Scale>) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(out, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = write!(out, r#"<desc id="{id}-desc">{}</desc>"#, escape(desc));
    let _ = write!(
        out,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="16" font-weight="bold" aria-hidden="true">{}</text>"#,
        WIDTH / 2.0,
        escape(title)
    );
    let Some(scale) = scale else {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle">No data</text>"#,
            WIDTH / 2.0,
            HEIGHT / 2.0
        );
        return;
    };
    out.push_str(r##"<g class="y-axis" stroke="#d0d7de">"##);
    for t in scale.ticks() {
        let y = scale.y(t);
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/>"#,
            WIDTH - RIGHT
        );
    }
    out.push_str("</g><g class=\"y-labels\" text-anchor=\"end\" aria-hidden=\"true\">");
    for t in scale.ticks() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{:.1}">{}</text>"#,
            LEFT - 8.0,
            scale.y(t) + 4.0,
            fmt_num(t, scale.decimals)
        );
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        r##"<line class="x-axis" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#57606a"/>"##,
        WIDTH - RIGHT,
        y = scale.y(0.0)
    );
}

/// One x-axis label, rotated when labels are many so they do not overlap.
pub(crate) fn x_label(out: &mut String, x: f64, label: &str, rotate: bool) {
    let y = HEIGHT - BOTTOM + 16.0;
    if rotate {
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y}" text-anchor="end" transform="rotate(-40 {x:.1} {y})">{}</text>"#,
            escape(&short(label))
        );
    } else {
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y}" text-anchor="middle">{}</text>"#,
            escape(&short(label))
        );
    }
}

/// "Highest: A (3). Lowest: B (1)." for the description.
pub(crate) fn extremes<L: AsRef<str>>(data: &[(L, f64)]) -> String {
    let finite = || data.iter().filter(|(_, v)| v.is_finite());
    let hi = finite().max_by(|a, b| a.1.total_cmp(&b.1));
    let lo = finite().min_by(|a, b| a.1.total_cmp(&b.1));
    match (hi, lo) {
        (Some(h), Some(l)) => format!(
            " Highest: {} ({}). Lowest: {} ({}).",
            h.0.as_ref(),
            fmt_value(h.1),
            l.0.as_ref(),
            fmt_value(l.1)
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape(r#"<a & 'b' "c">"#),
            "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;"
        );
        assert_eq!(escape("a\u{1}b"), "a b");
    }

    #[test]
    fn numbers_are_grouped_and_trimmed() {
        assert_eq!(fmt_num(1234567.0, 0), "1,234,567");
        assert_eq!(fmt_num(-1234.5, 2), "-1,234.5");
        assert_eq!(fmt_num(0.26, 1), "0.3");
        assert_eq!(fmt_num(-0.001, 0), "0");
        assert_eq!(fmt_num(100.0, 2), "100");
    }

    #[test]
    fn scale_is_nice_and_includes_zero() {
        let s = Scale::new([3.0, 97.0].into_iter());
        assert_eq!((s.lo, s.hi, s.step), (0.0, 100.0, 20.0));
        assert_eq!(s.ticks().len(), 6);
        let s = Scale::new([-3.0, 7.0].into_iter());
        assert_eq!((s.lo, s.hi, s.step), (-4.0, 8.0, 2.0));
        let s = Scale::new([0.12, 0.3].into_iter());
        assert_eq!(s.decimals, 1);
        let flat = Scale::new([0.0].into_iter());
        assert!(flat.hi > flat.lo);
    }

    #[test]
    fn ids_differ_per_chart_and_are_stable() {
        assert_eq!(chart_id("bar", "A", &["x"]), chart_id("bar", "A", &["x"]));
        assert_ne!(chart_id("bar", "A", &["x"]), chart_id("bar", "A", &["y"]));
        assert_ne!(chart_id("bar", "Ab", &[]), chart_id("bar", "A", &["b"]));
    }
}
