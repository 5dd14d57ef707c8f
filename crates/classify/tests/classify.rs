use std::sync::{Arc, OnceLock};

use classify::{Classifier, DeclarationCheck, Flag, Verdict};
use corpus::Corpus;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| {
        let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
        let hs = Arc::new(nomenclature::load_dir(&data).unwrap());
        let corpus = Corpus::build(&data, &hs, &text::Synonyms::builtin(), &|_, _, _| {}).unwrap();
        let mut c = Classifier::new(Arc::new(corpus), hs, None, None).unwrap();
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
