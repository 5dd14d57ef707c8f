//! Numeric thresholds in the nomenclature texts: "cylinder capacity exceeding 50cc but not
//! exceeding 250cc", "for a voltage not exceeding 1000 volts", "weighing more than 10 kg".
//! Each becomes an interval on a unit; a subheading's intervals on the same unit intersect.

use crate::words::{BREAKS, words};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub lo_closed: bool,
    pub hi: f64,
    pub hi_closed: bool,
}

impl Interval {
    pub const ALL: Interval = Interval {
        lo: f64::NEG_INFINITY,
        lo_closed: false,
        hi: f64::INFINITY,
        hi_closed: false,
    };

    pub fn contains(&self, x: f64) -> bool {
        (x > self.lo || (self.lo_closed && x == self.lo))
            && (x < self.hi || (self.hi_closed && x == self.hi))
    }

    /// Whether the two share more than a boundary point.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.lo.max(other.lo) < self.hi.min(other.hi)
    }

    fn and(self, other: Interval) -> Interval {
        let (lo, lo_closed) = if other.lo > self.lo {
            (other.lo, other.lo_closed)
        } else {
            (self.lo, self.lo_closed)
        };
        let (hi, hi_closed) = if other.hi < self.hi {
            (other.hi, other.hi_closed)
        } else {
            (self.hi, self.hi_closed)
        };
        Interval {
            lo,
            lo_closed,
            hi,
            hi_closed,
        }
    }
}

/// One measured property of a subheading.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// Normalised unit: "cc", "kg", "g", "g/m2", "%", "kw", "w", "v", "kva", "mm", "cm", "m",
    /// "t", "l", "decitex", "years".
    pub unit: String,
    /// The words before the comparison ("cylinder capacity"), for the question.
    pub quantity: String,
    pub interval: Interval,
}

fn unit_of(tokens: &[String], at: usize) -> Option<(String, usize)> {
    let t = tokens.get(at)?.as_str();
    let next = |k: usize| tokens.get(at + k).map(String::as_str);
    let unit = match t {
        "cc" => "cc",
        "cm" if next(1) == Some("3") => return Some(("cc".into(), 2)),
        "g" if next(1) == Some("m") && next(2) == Some("2") => {
            return Some(("g/m2".into(), 3));
        }
        "kg" | "g" | "kw" | "w" | "kva" | "mm" | "cm" | "m" | "decitex" | "years" | "%" => t,
        "volts" | "volt" | "v" => "v",
        "metric" | "tonnes" | "tonne" | "t" => "t",
        "litres" | "litre" | "l" => "l",
        _ => return None,
    };
    Some((unit.into(), 1))
}

#[derive(Clone, Copy)]
enum Compare {
    Above,
    AtLeast,
    Below,
    AtMost,
}

/// The comparison starting at `at`, and how many words it takes.
fn comparison(tokens: &[String], at: usize) -> Option<(Compare, usize)> {
    let t = |k: usize| tokens.get(at + k).map(String::as_str).unwrap_or("");
    Some(match (t(0), t(1), t(2)) {
        ("not", "exceeding" | "over", _) => (Compare::AtMost, 2),
        ("not", "more" | "greater", "than") => (Compare::AtMost, 3),
        ("not", "less", "than") => (Compare::AtLeast, 3),
        ("at", "least", _) => (Compare::AtLeast, 2),
        ("exceeding" | "over" | "above", _, _) => (Compare::Above, 1),
        ("more" | "greater", "than", _) => (Compare::Above, 2),
        ("less", "than", _) => (Compare::Below, 2),
        ("under" | "below", _, _) => (Compare::Below, 1),
        _ => return None,
    })
}

fn number(token: &str) -> Option<f64> {
    token
        .chars()
        .next()
        .filter(char::is_ascii_digit)
        .and_then(|_| token.parse().ok())
}

const FILLER: &[&str] = &["of", "a", "an", "the", "with", "for", "by", "and", "its"];

fn quantity_before(tokens: &[String], at: usize) -> String {
    let mut start = at;
    while start > 0 && at - start < 4 && !BREAKS.contains(&tokens[start - 1].as_str()) {
        if number(&tokens[start - 1]).is_some() || tokens[start - 1] == "but" {
            break;
        }
        start -= 1;
    }
    let kept: Vec<&str> = tokens[start..at]
        .iter()
        .map(String::as_str)
        .skip_while(|w| FILLER.contains(w))
        .collect();
    match kept.join(" ").as_str() {
        "weighing" | "weight" => "weight".into(),
        other => other.to_string(),
    }
}

/// The thresholds named in `text`, intersected per unit.
pub fn thresholds(text: &str) -> Vec<Threshold> {
    let tokens = words(text);
    let mut found: Vec<Threshold> = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let Some((cmp, len)) = comparison(&tokens, at) else {
            at += 1;
            continue;
        };
        let Some(x) = tokens.get(at + len).and_then(|t| number(t)) else {
            at += len;
            continue;
        };
        // The unit follows the number, or ends the clause ("over 1000 but not over 1500cc").
        let unit = unit_of(&tokens, at + len + 1).map(|u| u.0).or_else(|| {
            (at + len + 1..tokens.len())
                .take_while(|&k| !BREAKS.contains(&tokens[k].as_str()))
                .find_map(|k| number(&tokens[k]).and(unit_of(&tokens, k + 1)).map(|u| u.0))
        });
        let Some(unit) = unit else {
            at += len + 1;
            continue;
        };
        let interval = match cmp {
            Compare::Above => Interval {
                lo: x,
                lo_closed: false,
                ..Interval::ALL
            },
            Compare::AtLeast => Interval {
                lo: x,
                lo_closed: true,
                ..Interval::ALL
            },
            Compare::Below => Interval {
                hi: x,
                hi_closed: false,
                ..Interval::ALL
            },
            Compare::AtMost => Interval {
                hi: x,
                hi_closed: true,
                ..Interval::ALL
            },
        };
        let quantity = quantity_before(&tokens, at);
        match found.iter_mut().find(|t| t.unit == unit) {
            Some(t) => t.interval = t.interval.and(interval),
            None => found.push(Threshold {
                unit,
                quantity,
                interval,
            }),
        }
        at += len + 1;
    }
    found
}

/// Measurements stated in a description ("125cc", "65 W", "2 kg"): a value per unit.
pub fn measurements(text: &str) -> Vec<(String, f64)> {
    let tokens = words(text);
    let mut out: Vec<(String, f64)> = Vec::new();
    for at in 0..tokens.len() {
        if let Some(x) = number(&tokens[at])
            && let Some((unit, _)) = unit_of(&tokens, at + 1)
            && !out.iter().any(|(u, _)| *u == unit)
        {
            out.push((unit, x));
        }
    }
    out
}

/// "up to 50 cc", "50–250 cc", "more than 800 cc".
pub fn describe(interval: &Interval, unit: &str) -> String {
    let unit = match unit {
        "%" => "%".to_string(),
        u => format!(" {u}"),
    };
    match (interval.lo.is_finite(), interval.hi.is_finite()) {
        (false, true) => format!("up to {}{unit}", interval.hi),
        (true, false) => format!("more than {}{unit}", interval.lo),
        (true, true) => format!("{}–{}{unit}", interval.lo, interval.hi),
        (false, false) => "any".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ranges_with_a_shared_unit() {
        let t =
            thresholds("Motorcycles; of cylinder capacity exceeding 50cc but not exceeding 250cc");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].unit, "cc");
        assert_eq!(t[0].quantity, "cylinder capacity");
        assert!(!t[0].interval.contains(50.0));
        assert!(t[0].interval.contains(250.0));
        assert!(t[0].interval.contains(125.0));
        let t = thresholds("Vehicles; cylinder capacity over 1000 but not over 1500cc");
        assert_eq!((t[0].interval.lo, t[0].interval.hi), (1000.0, 1500.0));
        let t = thresholds("Insulated electric conductors; for a voltage exceeding 1000 volts");
        assert_eq!(t[0].unit, "v");
        assert_eq!(t[0].quantity, "voltage");
        let t = thresholds("Fabrics; weighing more than 200 g/m2, of cotton");
        assert_eq!(t[0].unit, "g/m2");
        assert_eq!(t[0].quantity, "weight");
    }

    #[test]
    fn reads_measurements_from_a_description() {
        assert_eq!(
            measurements("125cc scooter, 2,000 W motor"),
            [("cc".to_string(), 125.0), ("w".to_string(), 2000.0)]
        );
        assert_eq!(
            describe(
                &Interval {
                    lo: 50.0,
                    hi: 250.0,
                    ..Interval::ALL
                },
                "cc"
            ),
            "50–250 cc"
        );
    }
}
