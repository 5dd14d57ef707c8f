//! Data cards on a fixture whose every finding is known, and on a real labelled set.

use std::path::PathBuf;
use std::sync::OnceLock;

use platform::{
    CardContext, Format, SIMILARITY_THRESHOLD, Split, compute_card, content_hash, parse_rows,
};

fn data_dir() -> PathBuf {
    settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> &'static (nomenclature::Nomenclature, tariff::TwTariff) {
    static DATA: OnceLock<(nomenclature::Nomenclature, tariff::TwTariff)> = OnceLock::new();
    DATA.get_or_init(|| {
        let hs = nomenclature::load_dir(&data_dir()).expect("HS 2022 loads");
        let tw = tariff::TwTariff::load(&data_dir()).expect("Taiwan's tariff loads");
        (hs, tw)
    })
}

fn ctx() -> CardContext<'static> {
    let (hs, tw) = reference();
    CardContext {
        hs,
        tariff: Some(tw),
    }
}

fn counts(list: &[platform::card::Count]) -> Vec<(String, usize)> {
    list.iter().map(|c| (c.label.clone(), c.rows)).collect()
}

fn labels(list: &[platform::card::LabelCount]) -> Vec<(String, usize)> {
    list.iter().map(|c| (c.label.clone(), c.rows)).collect()
}

fn owned(pairs: &[(&str, usize)]) -> Vec<(String, usize)> {
    pairs.iter().map(|(l, n)| (l.to_string(), *n)).collect()
}

#[test]
fn the_fixture_card_finds_what_was_planted() {
    let bytes = include_bytes!("fixtures/card.csv");
    let rows = parse_rows(bytes, Format::detect(bytes), "upload").unwrap();
    let mut reported = Vec::new();
    let computed = compute_card(&rows, ctx(), SIMILARITY_THRESHOLD, &mut |done, total| {
        reported.push((done, total))
    });
    assert_eq!(reported.last(), Some(&(15, 15)));
    let card = &computed.card;
    assert_eq!(card.rows, 15);
    assert_eq!(counts(&card.languages), owned(&[("en", 13), ("zh", 2)]));
    assert_eq!(
        counts(&card.code_lengths),
        owned(&[
            ("2 digits", 1),
            ("4 digits", 1),
            ("6 digits", 10),
            ("8 digits", 1),
            ("11 digits", 2)
        ])
    );
    assert_eq!(
        labels(&card.sections),
        owned(&[("I", 6), ("XI", 2), ("XVI", 4), ("XX", 2)])
    );
    assert_eq!(
        labels(&card.chapters),
        owned(&[
            ("01", 1),
            ("03", 5),
            ("61", 2),
            ("84", 2),
            ("85", 2),
            ("95", 2)
        ])
    );

    let invalid: Vec<&str> = card
        .invalid_codes
        .examples
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(invalid, ["010111", "77", "85171399999"]);
    assert!(card.invalid_codes.national_tariff_checked);
    assert!(
        card.invalid_codes.examples[2]
            .reason
            .contains("Taiwan tariff")
    );

    // "laptop computer" and "Laptop computer!" disagree; "Laptop computers" (8471) is another
    // text, and 8471 would agree with 847130 anyway.
    assert_eq!((card.conflicts.texts, card.conflicts.rows), (1, 2));
    let codes: Vec<&str> = card.conflicts.examples[0]
        .codes
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(codes, ["847130", "852351"]);

    assert_eq!(
        (
            card.exact_duplicates.groups,
            card.exact_duplicates.extra_rows
        ),
        (1, 1)
    );
    assert_eq!(card.exact_duplicates.examples[0].ids, ["r01", "r02"]);

    // Same key terms (prawns, laptops, the reordered Chinese) and 3 of 4 terms (t-shirts,
    // toy trains).
    assert_eq!(card.near_duplicates.pairs, 5);
    assert_eq!(card.near_duplicates.threshold, 0.75);

    // The two 3-of-4 pairs straddle dev and train; equal keys never do.
    assert_eq!((card.leakage.pairs, card.leakage.rows), (2, 4));
    for leak in &card.leakage.examples {
        assert_ne!(leak.a.split, leak.b.split);
        assert!(leak.similarity >= 0.75 && leak.similarity < 1.0);
    }
    let splits: Vec<Split> = computed.splits.clone();
    assert_eq!(splits[0], splits[2], "near duplicates share a split");
    assert_eq!(splits[6], splits[7], "reordered Chinese shares a split");

    assert!(!card.sample.is_empty() && card.sample.len() <= 10);
    assert_eq!(card.sample[0].id, "r01");
}

#[test]
fn a_real_labelled_set_gets_an_honest_card() {
    let (raw, _) = corpus::read_labelled_rows(&data_dir(), "uk-ott-fpo-parcels")
        .unwrap()
        .expect("the shared data has the FPO parcels set");
    let mut rows = platform::from_shared("uk-ott-fpo-parcels", raw).unwrap();
    platform::canonical_order(&mut rows);
    let computed = compute_card(&rows, ctx(), SIMILARITY_THRESHOLD, &mut |_, _| {});
    let card = &computed.card;
    // PROVENANCE: 2,475 rows; 13 carry a UK code whose first six digits are no HS 2022
    // subheading (checked separately against harmonized-system.csv).
    assert_eq!(card.rows, 2475);
    assert_eq!(card.invalid_codes.rows, 13);
    assert_eq!(card.splits.iter().map(|c| c.rows).sum::<usize>(), 2475);
    // English texts split exactly as the corpus splits them.
    for (row, split) in rows.iter().zip(&computed.splits) {
        if platform::language(&row.text) == platform::Language::En {
            assert_eq!(*split, corpus::split_of(&row.text), "{}", row.text);
        }
    }
    let train = card.splits[0].rows as f64 / 2475.0;
    assert!((0.75..0.85).contains(&train), "train share {train}");
    for leak in &card.leakage.examples {
        assert_ne!(leak.a.split, leak.b.split);
        assert!(leak.similarity >= SIMILARITY_THRESHOLD);
    }
    // Real parcel texts repeat: the card must see it.
    assert!(card.exact_duplicates.groups > 0 || card.near_duplicates.pairs > 0);
    // Content-addressed: the same rows in another order hash alike.
    let mut reversed = rows.clone();
    reversed.reverse();
    assert_eq!(content_hash(&rows), content_hash(&reversed));
}
