use std::sync::{Arc, OnceLock};

use classify::{Classifier, DeclarationCheck, Flag, Verdict};
use corpus::Corpus;

type Parts = (Arc<nomenclature::Nomenclature>, Arc<Corpus>);

fn parts() -> &'static Parts {
    static P: OnceLock<Parts> = OnceLock::new();
    P.get_or_init(|| {
        let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
        let hs = Arc::new(nomenclature::load_dir(&data).unwrap());
        let corpus = Corpus::build(&data, &hs, &text::Synonyms::builtin(), &|_, _, _| {}).unwrap();
        (hs, Arc::new(corpus))
    })
}

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| {
        let (hs, corpus) = parts().clone();
        let mut c = Classifier::new(corpus, hs, None, None).unwrap();
        c.tune();
        c
    })
}

fn top(text: &str, k: usize) -> Vec<String> {
    classifier()
        .classify(text, k)
        .candidates
        .iter()
        .map(|c| c.code.to_string())
        .collect()
}

#[test]
fn everyday_descriptions_find_their_subheading() {
    assert!(
        top("laptop computer", 3).contains(&"847130".to_string()),
        "{:?}",
        top("laptop computer", 3)
    );
    assert!(
        top("frozen peeled shrimps", 5)
            .iter()
            .any(|c| c.starts_with("0306")),
        "{:?}",
        top("frozen peeled shrimps", 5)
    );
    assert!(
        top("men's cotton t-shirt", 5)
            .iter()
            .any(|c| c.starts_with("6109")),
        "{:?}",
        top("men's cotton t-shirt", 5)
    );
}

#[test]
fn probabilities_are_ordered_and_sum_below_one() {
    let r = classifier().classify("dried apricots", 20);
    let p: Vec<f32> = r.candidates.iter().map(|c| c.probability).collect();
    assert!(p.windows(2).all(|w| w[0] >= w[1]), "{p:?}");
    let sum: f32 = p.iter().sum();
    assert!(sum > 0.0 && sum <= 1.0001, "{sum}");
}

#[test]
fn candidates_are_explained() {
    let r = classifier().classify("laptop", 5);
    let c = r
        .candidates
        .iter()
        .find(|c| c.code.as_str() == "847130")
        .unwrap();
    assert!(!c.explanation.matched_words.is_empty());
    assert!(
        c.explanation
            .evidence
            .iter()
            .any(|e| e.source == "subheading")
    );
    assert!(!c.legs.is_empty());
    assert_eq!(r.expansions[0].matched, "laptop");
}

#[test]
fn explanations_quote_their_texts_and_stay_the_same_once_analysed() {
    let c = classifier();
    let first = c.classify("frozen peeled shrimps", 10);
    let again = c.classify("frozen peeled shrimps", 10);
    assert_eq!(first.candidates.len(), again.candidates.len());
    for (a, b) in first.candidates.iter().zip(&again.candidates) {
        assert_eq!(
            format!("{:?}", a.explanation.evidence),
            format!("{:?}", b.explanation.evidence)
        );
        for e in &a.explanation.evidence {
            assert!(!e.words.is_empty());
            for w in &e.words {
                assert!(
                    e.text.contains(w.as_str()),
                    "{w:?} quoted from {:?}",
                    e.text
                );
            }
        }
        let count = |source: &str| {
            let found = a.explanation.evidence.iter();
            found.filter(|e| e.source == source).count()
        };
        assert!(count("subheading") <= 1 && count("national line") <= 2 && count("example") <= 2);
    }
    let shrimp = first
        .candidates
        .iter()
        .find(|c| c.code.as_str().starts_with("0306"))
        .expect("a crustacean among the candidates");
    let words = &shrimp.explanation.matched_words;
    assert!(
        words.iter().any(|w| w.to_lowercase().starts_with("shrimp")),
        "{words:?}"
    );
}

#[test]
fn fusion_was_tuned_on_the_development_split() {
    let f = classifier().fusion();
    let t = f.tuning.as_ref().expect("tuned");
    assert!(t.dev_cases > 300);
    assert!(t.dev_mrr10 > 0.2, "{t:?}");
    assert!(f.temperature > 0.5);
}

#[test]
fn vague_code_and_foreign_inputs_are_flagged() {
    let c = classifier();
    assert!(c.classify("gift", 5).flags.contains(&Flag::TooVague));
    let code = c.classify("8471.30", 5);
    assert!(code.flags.contains(&Flag::CodeTyped));
    assert_eq!(code.candidates[0].code.as_str(), "847130");
    assert!(c.classify("0101", 10).candidates.len() == 4);
    assert!(c.classify("冷凍蝦仁", 5).flags.contains(&Flag::NotEnglish));
    assert!(c.classify("zzzqqq xyzzy", 5).flags.contains(&Flag::NoMatch));
    assert!(c.classify("", 5).flags.contains(&Flag::TooVague));
}

#[test]
fn declarations_are_checked_against_the_description() {
    let c = classifier();
    let ok = c.check(&DeclarationCheck {
        description: "laptop computer",
        declared_code: "8471.30.0000",
    });
    assert_eq!(ok.verdict, Verdict::Consistent, "{ok:?}");
    let bad = c.check(&DeclarationCheck {
        description: "laptop computer",
        declared_code: "010121",
    });
    assert_eq!(bad.verdict, Verdict::Suspicious);
    assert!(bad.risk > 0.5 && !bad.likelier.is_empty(), "{bad:?}");
    let invalid = c.check(&DeclarationCheck {
        description: "laptop",
        declared_code: "12AB",
    });
    assert_eq!(invalid.verdict, Verdict::InvalidCode);
    let unknown = c.check(&DeclarationCheck {
        description: "laptop",
        declared_code: "999998",
    });
    assert_eq!(unknown.verdict, Verdict::InvalidCode);
}

#[test]
fn the_trained_leg_learns_from_the_corpus_and_joins_the_fusion() {
    use classify::LegName;
    use classify::trained::{Recipe, dev_rows, label_space, training_rows};
    let (hs, corpus) = parts().clone();
    let code = |c: &str| nomenclature::HsCode::parse(c).unwrap();
    let chinese = vec![
        ("冷凍去殼蝦仁".to_string(), code("030617")),
        ("筆記型電腦".to_string(), code("847130")),
    ];
    let rows = training_rows(&corpus, None, &chinese, &Recipe::default());
    let count = |source: &str| rows.iter().filter(|r| r.source == source).count();
    assert!(
        count("labelled") > 1000 && count("tariff") > 5000,
        "{}",
        rows.len()
    );
    assert!(count("national") > 1000);
    assert_eq!(count("tariff-zh"), 2);
    // The dev split is measured, never learned from.
    let dev = dev_rows(&corpus, None);
    assert!(dev.iter().all(|d| {
        !rows
            .iter()
            .any(|r| r.source != "tariff" && r.text == d.text)
    }));

    // A small, quick head over four chapters' rows: this proves the wiring and that it
    // learns; `customs train` gives the figures.
    let labels = label_space(&corpus);
    let in_scope =
        |leaf: usize| ["03", "61", "84", "85"].contains(&&labels.leaves()[leaf].as_str()[..2]);
    let rows: Vec<_> = rows.into_iter().filter(|r| in_scope(r.leaf)).collect();
    let dev: Vec<_> = dev.into_iter().filter(|r| in_scope(r.leaf)).collect();
    let config = head::TrainConfig {
        epochs: 4,
        hidden: 48,
        bag: 16,
        buckets: 1 << 14,
        batch: 128,
        learning_rate: 0.01,
        ..head::TrainConfig::default()
    };
    let (mut head, report) = head::train(labels, &rows, &dev, 0, &config, &|_| {}).unwrap();
    assert!(report.epochs[3].loss < report.epochs[0].loss, "{report:?}");
    // Far above chance (1/5612) on development cases it never saw.
    assert!(report.epochs[3].dev_top1.unwrap() > 0.15, "{report:?}");
    head.set_trained_for(&corpus.manifest.version);
    let dir = tempfile::tempdir().unwrap();
    let version = head.save(dir.path()).unwrap();

    let mut c = Classifier::new(corpus.clone(), hs.clone(), None, None).unwrap();
    c.set_trained(Arc::new(head)).unwrap();
    assert!(c.legs().contains(&LegName::Trained));
    c.tune();
    let tuning = c.fusion().tuning.clone().unwrap();
    assert_eq!(tuning.head_version.as_deref(), Some(version.as_str()));
    assert!(c.fusion().weights.contains_key(&LegName::Trained));
    let legs = c.run_legs("laptop computer");
    let trained = &legs.iter().find(|(l, _)| *l == LegName::Trained).unwrap().1;
    assert!(
        trained.len() >= 10 && trained[0].1 > trained[9].1,
        "{trained:?}"
    );
    // Chinese goes to the head as n-grams; it learnt the line names.
    let zh = c.run_legs("冷凍蝦仁");
    let zh_hits = &zh.iter().find(|(l, _)| *l == LegName::Trained).unwrap().1;
    assert!(!zh_hits.is_empty());

    // A head over other subheadings is refused, and the classifier comes back unchanged.
    let small = head::LabelSpace::new(vec![code("030617"), code("847130")]);
    let rows = vec![head::TrainRow {
        text: "shrimp".into(),
        leaf: 0,
        embedding: None,
        weight: 1.0,
        source: "x".into(),
    }];
    let mut tiny = config.clone();
    tiny.epochs = 1;
    let (other, _) = head::train(small, &rows, &[], 0, &tiny, &|_| {}).unwrap();
    let mut plain = Classifier::new(corpus.clone(), hs, None, None).unwrap();
    let why = plain.set_trained(Arc::new(other)).unwrap_err();
    assert!(why.contains("other subheadings"), "{why}");
    assert!(!plain.legs().contains(&LegName::Trained));
}
