//! Training on a small labelled problem: it learns, it is reproducible, it round-trips through
//! its files, and it refuses tampered weights.

use head::{Head, LabelSpace, TrainConfig, TrainRow, train};
use nomenclature::HsCode;

const CODES: [&str; 5] = ["030617", "030616", "080420", "610910", "851762"];

fn labels() -> LabelSpace {
    LabelSpace::new(CODES.map(|c| HsCode::parse(c).unwrap()).to_vec())
}

fn row(text: &str, leaf: usize, embedding: Option<Vec<f32>>) -> TrainRow {
    TrainRow {
        text: text.into(),
        leaf,
        embedding,
        weight: 1.0,
        source: "fixture".into(),
    }
}

/// A tiny "sentence embedding": one axis per meaning.
fn axis(i: usize) -> Option<Vec<f32>> {
    let mut v = vec![0.0; 4];
    v[i % 4] = 1.0;
    Some(v)
}

fn rows() -> Vec<TrainRow> {
    let texts: [(&str, usize); 14] = [
        ("frozen shrimps peeled", 0),
        ("frozen prawns in bags", 0),
        ("冷凍蝦仁", 0),
        ("冷凍去殼白蝦", 0),
        ("cold water shrimp frozen", 1),
        ("frozen cold-water prawns pandalus", 1),
        ("dried figs", 2),
        ("sun dried fig fruit", 2),
        ("無花果乾", 2),
        ("cotton t-shirt", 3),
        ("men's cotton tee shirts knitted", 3),
        ("純棉T恤", 3),
        ("wifi router", 4),
        ("無線路由器 分享器", 4),
    ];
    texts
        .iter()
        .map(|&(t, l)| row(t, l, if t.is_ascii() { axis(l) } else { None }))
        .collect()
}

fn config() -> TrainConfig {
    TrainConfig {
        epochs: 40,
        batch: 4,
        hidden: 32,
        bag: 16,
        buckets: 1 << 12,
        learning_rate: 0.02,
        dropout: 0.0,
        embedding_dropout: 0.3,
        ..TrainConfig::default()
    }
}

fn trained() -> Head {
    let (head, report) = train(labels(), &rows(), &rows()[..4], 4, &config(), &|_| {}).unwrap();
    let first = &report.epochs[0];
    let last = report.epochs.last().unwrap();
    assert!(
        last.loss < first.loss * 0.2,
        "{} → {}",
        first.loss,
        last.loss
    );
    assert_eq!(report.rows_by_source["fixture"], 14);
    head
}

#[test]
fn learns_reproducibly_and_round_trips() {
    let mut head = trained();
    let (top1, _) = head.accuracy(&rows()).unwrap();
    assert_eq!(top1, 1.0);
    // Unseen wordings: Chinese without an embedding, English with or without one.
    let best = |text: &str, e: Option<Vec<f32>>| head.top(text, e.as_deref(), 1).unwrap()[0].0;
    assert_eq!(best("冷凍白蝦仁 1公斤", None), 0);
    assert_eq!(best("無花果", None), 2);
    assert_eq!(best("dried figs from turkey", None), 2);
    assert_eq!(best("router", axis(4)), 4);
    let probs = head.top("cotton shirt", None, 5).unwrap();
    let total: f32 = probs.iter().map(|p| p.1).sum();
    assert!((total - 1.0).abs() < 1e-4, "{total}");

    // Same seed, same weights.
    let again = trained();
    assert_eq!(
        head.log_probs("frozen shrimp", axis(0).as_deref()).unwrap(),
        again
            .log_probs("frozen shrimp", axis(0).as_deref())
            .unwrap()
    );

    let dir = tempfile::tempdir().unwrap();
    head.set_trained_for("corpus-x");
    let version = head.save(dir.path()).unwrap();
    assert!(
        version.starts_with("head-") && version.len() == 17,
        "{version}"
    );
    let loaded = Head::load(dir.path()).unwrap();
    assert_eq!(loaded.meta().trained_for, "corpus-x");
    assert_eq!(loaded.meta().report.epochs.len(), 40);
    assert_eq!(
        loaded.log_probs("純棉短袖T恤", None).unwrap(),
        head.log_probs("純棉短袖T恤", None).unwrap()
    );

    // A changed byte in the weights is caught.
    let weights = dir.path().join(head::WEIGHTS_FILE);
    let mut bytes = std::fs::read(&weights).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&weights, bytes).unwrap();
    let err = Head::load(dir.path()).err().unwrap().to_string();
    assert!(err.contains("sha256"), "{err}");
}

#[test]
fn a_different_seed_gives_different_weights() {
    let mut c = config();
    c.epochs = 2;
    let (a, _) = train(labels(), &rows(), &[], 4, &c, &|_| {}).unwrap();
    c.seed += 1;
    let (b, _) = train(labels(), &rows(), &[], 4, &c, &|_| {}).unwrap();
    assert_ne!(
        a.log_probs("dried figs", None).unwrap(),
        b.log_probs("dried figs", None).unwrap()
    );
}

#[test]
fn bad_rows_are_refused() {
    assert!(matches!(
        train(labels(), &[], &[], 4, &config(), &|_| {}),
        Err(head::HeadError::NoData)
    ));
    let err = train(labels(), &[row("x", 9, None)], &[], 4, &config(), &|_| {})
        .err()
        .unwrap();
    assert!(err.to_string().contains("outside"), "{err}");
    let err = train(
        labels(),
        &[row("x", 1, Some(vec![1.0; 3]))],
        &[],
        4,
        &config(),
        &|_| {},
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("embedding of 3"), "{err}");
}

#[test]
fn a_run_stopped_after_an_epoch_resumes_to_the_same_weights() {
    use std::cell::Cell;
    let mut c = config();
    c.epochs = 4;
    c.dropout = 0.2;
    let (straight, straight_report) =
        train(labels(), &rows(), &rows()[..4], 4, &c, &|_| {}).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let epochs_seen = Cell::new(0);
    let stop_after = Cell::new(Some(2));
    let count = |_: &head::EpochReport| epochs_seen.set(epochs_seen.get() + 1);
    let stop = || stop_after.get().is_some_and(|n| epochs_seen.get() >= n);
    let hooks = head::Hooks {
        progress: &|_| {},
        epoch: &count,
        stop: &stop,
        checkpoint: Some(dir.path()),
    };
    // The "crash": told to stop once two epochs are checkpointed.
    let stopped = head::train_with(labels(), &rows(), &rows()[..4], 4, &c, hooks).unwrap();
    assert!(matches!(stopped, head::Outcome::Stopped { epochs_done: 2 }));
    assert_eq!(head::checkpoint_epochs(dir.path()), Some(2));
    // Resumed: epochs 3 and 4 only, and the same weights as the run that never stopped.
    epochs_seen.set(0);
    stop_after.set(None);
    let head::Outcome::Done {
        head: resumed,
        report,
        resumed_after,
    } = head::train_with(labels(), &rows(), &rows()[..4], 4, &c, hooks).unwrap()
    else {
        panic!("not stopped")
    };
    assert_eq!((resumed_after, epochs_seen.get()), (2, 2));
    let losses = |r: &head::TrainReport| -> Vec<(usize, f64, Option<f64>)> {
        r.epochs
            .iter()
            .map(|e| (e.epoch, e.loss, e.dev_top1))
            .collect()
    };
    assert_eq!(losses(&report), losses(&straight_report));
    assert_eq!(
        resumed
            .log_probs("frozen shrimp", axis(0).as_deref())
            .unwrap(),
        straight
            .log_probs("frozen shrimp", axis(0).as_deref())
            .unwrap()
    );

    // A checkpoint for another config is not used: it starts afresh.
    c.hidden = 16;
    let head::Outcome::Done { resumed_after, .. } =
        head::train_with(labels(), &rows(), &[], 4, &c, hooks).unwrap()
    else {
        panic!("not stopped")
    };
    assert_eq!(resumed_after, 0);
}
