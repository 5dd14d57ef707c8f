//! Charts are well-formed XML, accessible, and escape every label.

use opendata::{bar_chart, line_chart};
use quick_xml::Reader;
use quick_xml::events::Event;

/// Parses the whole document, checking tag balance; returns (element names, text nodes).
fn parse(svg: &str) -> (Vec<String>, Vec<String>) {
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let (mut names, mut texts, mut depth) = (Vec::new(), Vec::new(), 0i32);
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
        {
            Event::Start(e) => {
                depth += 1;
                names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
            }
            Event::Empty(e) => names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap()),
            Event::End(_) => depth -= 1,
            Event::Text(t) => texts.push(t.decode().unwrap().into_owned()),
            Event::GeneralRef(r) => {
                // Entity references arrive as separate events; resolve the five XML ones.
                let s = match r.as_ref() {
                    b"lt" => "<",
                    b"gt" => ">",
                    b"amp" => "&",
                    b"quot" => "\"",
                    b"apos" => "'",
                    other => panic!("unexpected entity {other:?}"),
                };
                texts.push(s.to_owned());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced tags");
    (names, texts)
}

#[test]
fn bar_chart_escapes_labels_and_parses_as_xml() {
    let data = [("<&> Motors", 12.0), ("Kia", 3.5), ("Audi \"A\"", -2.0)];
    let svg = bar_chart("Imports <by> maker & year", &data);
    assert!(
        !svg.contains("<&>") && !svg.contains("<by>"),
        "raw markup leaked"
    );
    assert!(svg.contains("&lt;&amp;&gt; Motors: 12"), "{svg}");
    assert!(svg.contains("Imports &lt;by&gt; maker &amp; year"));
    let (names, texts) = parse(&svg);
    assert_eq!(names[0], "svg");
    assert_eq!(names[1], "title", "title comes first for screen readers");
    assert_eq!(names.iter().filter(|n| *n == "rect").count(), 3);
    assert!(texts.concat().contains("Imports <by> maker & year"));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains("aria-labelledby=\""));
}

#[test]
fn description_summarises_for_screen_readers() {
    let svg = bar_chart("Top makers", &[("Toyota", 1200.0), ("Kia", 30.0)]);
    assert!(
        svg.contains("Bar chart with 2 bars. Highest: Toyota (1,200). Lowest: Kia (30)."),
        "{svg}"
    );
    // Axis labels include zero and a tick at or above the maximum.
    assert!(
        svg.contains(">0</text>") && svg.contains(">1,500</text>"),
        "{svg}"
    );
}

#[test]
fn line_chart_parses_breaks_on_gaps_and_thins_labels() {
    let data: Vec<(String, f64)> = (1..=24)
        .map(|m| {
            (
                format!("{}-{:02}", 2022 + (m - 1) / 12, (m - 1) % 12 + 1),
                if m == 10 { f64::NAN } else { m as f64 },
            )
        })
        .collect();
    let svg = line_chart("Monthly <imports>", &data);
    let (names, _) = parse(&svg);
    assert_eq!(
        names.iter().filter(|n| *n == "polyline").count(),
        2,
        "the gap splits the line"
    );
    assert_eq!(names.iter().filter(|n| *n == "circle").count(), 23);
    let x_labels = svg
        .split("class=\"x-labels\"")
        .nth(1)
        .unwrap()
        .matches("<text")
        .count();
    assert!(x_labels <= 12, "{x_labels} labels");
    assert!(svg.contains("from 2022-01 to 2023-12"));
}

#[test]
fn empty_and_single_point_charts_are_still_valid() {
    let none: [(&str, f64); 0] = [];
    for svg in [bar_chart("Nothing", &none), line_chart("Nothing", &none)] {
        parse(&svg);
        assert!(svg.contains("No data"));
    }
    parse(&line_chart("One", &[("2024-01", 5.0)]));
    parse(&bar_chart("Flat", &[("a", 0.0), ("b", 0.0)]));
}

#[test]
fn two_charts_on_one_page_have_distinct_ids() {
    let a = bar_chart("A", &[("x", 1.0)]);
    let b = bar_chart("B", &[("x", 1.0)]);
    let id = |s: &str| {
        s.split("<title id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_ne!(id(&a), id(&b));
}
