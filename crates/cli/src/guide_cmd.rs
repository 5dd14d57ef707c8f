//! `customs guide` (the dialogue in a terminal) and `customs eval --guided` (the simulated
//! user over gold cases).

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use guide::simulate::{run_case, summarise};
use guide::{Dialogue, Guide, Settings, Step};
use nomenclature::{HsCode, Nomenclature};

use crate::BadInput;

pub fn settings(threshold: f64, max_questions: usize) -> anyhow::Result<Settings> {
    if !(0.0..=1.0).contains(&threshold) || threshold == 0.0 {
        return Err(BadInput(format!("--threshold must be in (0, 1], got {threshold}")).into());
    }
    if max_questions == 0 {
        return Err(BadInput("--max-questions must be at least 1".into()).into());
    }
    Ok(Settings {
        threshold,
        max_questions,
        ..Settings::default()
    })
}

/// The evaluation's knobs over the defaults: refused unless they make sense.
pub fn tuned(
    mut settings: Settings,
    prior_power: Option<f64>,
    branch_shares: Option<Vec<f64>>,
    aim: Option<Vec<f64>>,
) -> anyhow::Result<Settings> {
    if let Some(power) = prior_power {
        if !(power > 0.0 && power.is_finite()) {
            return Err(BadInput(format!("--prior-power must be above 0, got {power}")).into());
        }
        settings.prior_power = power;
    }
    if let Some(shares) = branch_shares {
        let [heading, chapter] = shares[..] else {
            return Err(
                BadInput("--branch-shares takes two numbers: HEADING,CHAPTER".into()).into(),
            );
        };
        if heading < 0.0 || chapter < 0.0 || heading + chapter >= 1.0 {
            return Err(BadInput(format!(
                "--branch-shares must be at least 0 and sum to less than 1, got {heading},{chapter}"
            ))
            .into());
        }
        settings.branch_shares = (heading, chapter);
    }
    if let Some(aim) = aim {
        let [questions, weight] = aim[..] else {
            return Err(BadInput("--aim takes two numbers: QUESTIONS,WEIGHT".into()).into());
        };
        if questions < 0.0 || questions.fract() != 0.0 || !(weight >= 0.0 && weight.is_finite()) {
            return Err(BadInput(format!(
                "--aim takes a whole number of questions and a weight of at least 0, got {questions},{weight}"
            ))
            .into());
        }
        settings.aim_questions = questions as usize;
        settings.aim_weight = weight;
    }
    Ok(settings)
}

fn print_step(step: &Step, hs: &Nomenclature, out: &mut impl Write) -> std::io::Result<()> {
    for k in &step.known {
        writeln!(
            out,
            "  known from the description: {} = {}",
            k.topic, k.label
        )?;
    }
    if !step.candidates.is_empty() {
        writeln!(out, "  best candidates:")?;
    }
    for c in &step.candidates {
        writeln!(
            out,
            "    {:>5.1}%  {}  {}",
            c.probability * 100.0,
            c.code.dotted(),
            c.description
        )?;
    }
    if let Some(q) = &step.question {
        writeln!(out, "\n{}", q.text)?;
        for (i, c) in q.choices.iter().enumerate() {
            writeln!(out, "  {}) {}", i + 1, c.label)?;
        }
        writeln!(
            out,
            "  (a number, or words to describe more; b = back, p N = pick candidate N, q = quit)"
        )?;
    }
    if let Some(o) = &step.outcome {
        writeln!(
            out,
            "\nResult: {} ({:.1}%, {})",
            o.code.dotted(),
            o.probability * 100.0,
            o.reason.as_str()
        )?;
        for r in &o.justification {
            writeln!(out, "  because: {} → {}", r.question, r.answer)?;
            for (code, text) in &r.matched {
                writeln!(out, "      {} {}", code.dotted(), text)?;
            }
        }
        // Grouped by the answer that ruled them out, each by its own text: the path repeated
        // on every line hid the codes.
        let mut answers: Vec<&str> = Vec::new();
        for r in &o.ruled_out {
            if !answers.contains(&r.by.as_str()) {
                answers.push(&r.by);
            }
        }
        for by in answers {
            writeln!(out, "  ruled out by \"{by}\":")?;
            for r in o.ruled_out.iter().filter(|r| r.by == by) {
                let own = hs.get(&r.code).map_or("", |n| n.description.as_str());
                writeln!(out, "      {} {}", r.code.dotted(), own)?;
            }
        }
    }
    Ok(())
}

/// The dialogue on stdin/stdout; works piped, so scripts and tests can drive it.
pub fn interactive(guide: &Guide, description: &str) -> anyhow::Result<()> {
    let mut dialogue = Dialogue::new(description);
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout().lock();
    loop {
        let step = guide.step(&dialogue);
        print_step(&step, guide.nomenclature(), &mut out)?;
        if step.outcome.is_some() {
            return Ok(());
        }
        let Some(question) = step.question else {
            return Ok(());
        };
        loop {
            write!(out, "> ")?;
            out.flush()?;
            let Some(line) = lines.next() else {
                return Ok(());
            };
            let line = line?;
            let line = line.trim();
            if line == "q" {
                return Ok(());
            }
            if line == "b" {
                if !dialogue.back() {
                    writeln!(out, "  nothing to take back")?;
                    continue;
                }
                break;
            }
            if let Some(n) = line
                .strip_prefix("p ")
                .and_then(|n| n.trim().parse::<usize>().ok())
            {
                match step.candidates.get(n.wrapping_sub(1)) {
                    Some(c) => {
                        dialogue.answers.push(guide::Answer::Pick(c.code.clone()));
                        break;
                    }
                    None => {
                        writeln!(out, "  no candidate {n}")?;
                        continue;
                    }
                }
            }
            if let Ok(n) = line.parse::<usize>() {
                match question.choices.get(n.wrapping_sub(1)) {
                    Some(c) => {
                        dialogue
                            .answers
                            .push(Guide::choose(&question, &c.id).expect("a listed choice"));
                        break;
                    }
                    None => {
                        writeln!(out, "  choose 1 to {}", question.choices.len())?;
                        continue;
                    }
                }
            }
            if line.is_empty() {
                continue;
            }
            dialogue.answers.push(Guide::interpret(&question, line));
            break;
        }
    }
}

/// The simulated user over `cases` with `guide` as `customs serve` would build it (with the
/// Chinese leg for Chinese cases).
pub fn evaluate(guide: Guide, cases_path: &Path, out_dir: &Path) -> anyhow::Result<()> {
    let settings = guide.settings().clone();
    let (cases, sha) = eval::read_cases(cases_path).map_err(|e| BadInput(e.to_string()))?;
    let corpus_version = guide.classifier().corpus().manifest.version.clone();
    let bar = crate::eval_cmd::cases_bar(cases.len(), "simulate");
    let mut runs = Vec::new();
    let mut step_ms = Vec::new();
    let mut skipped = 0;
    let mut traced = Vec::new();
    for case in &cases {
        let gold = HsCode::parse(&case.code[..case.code.len().min(6)]).ok();
        let t = Instant::now();
        match gold.and_then(|g| run_case(&guide, &case.description, &g)) {
            Some(run) => {
                traced.push(eval::GuidedRun {
                    description: case.description.clone(),
                    gold: run.gold.as_str().into(),
                    result: run.result.as_str().into(),
                    questions: run.questions,
                    prior_rank: run.prior_rank,
                    prior_chapter_rank: run.prior_branch_ranks[0],
                    prior_heading_rank: run.prior_branch_ranks[1],
                    ideal_questions: run.ideal_questions,
                    end: run.reason.as_str().into(),
                    trace: run.trace.clone(),
                });
                step_ms.push(t.elapsed().as_secs_f64() * 1000.0 / (run.questions + 1) as f64);
                runs.push(run);
            }
            None => skipped += 1,
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let s = summarise(&runs);
    step_ms.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        step_ms
            .get(((step_ms.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let report = eval::GuidedReport {
        cases_file: cases_path.display().to_string(),
        cases_sha256: sha,
        cases: s.cases,
        skipped,
        threshold: settings.threshold,
        max_questions: settings.max_questions,
        correct_at_6: s.correct6,
        correct_at_4: s.correct4,
        mean_questions: s.mean_questions,
        median_questions: s.median_questions,
        distribution: s.distribution.clone(),
        baseline_mean_questions: s.baseline_mean,
        baseline_distribution: s.baseline_distribution.clone(),
        paged_baseline_mean_questions: s.paged_baseline_mean,
        ideal_mean_questions: s.ideal_mean,
        ideal_percentiles: s.ideal_percentiles.clone(),
        percentiles: s.percentiles.clone(),
        end_reasons: s.reasons.iter().map(|(r, n)| (r.to_string(), *n)).collect(),
        by_prior_rank: s
            .by_prior_rank
            .iter()
            .map(|b| eval::RankBand {
                ranks: b.ranks.clone(),
                cases: b.cases,
                mean_questions: b.mean_questions,
                four_or_more: b.four_or_more,
                ideal_four_or_more: b.ideal_four_or_more,
                max_questions: b.max_questions,
            })
            .collect(),
        step_ms_p50: pct(0.5),
        step_ms_p95: pct(0.95),
        corpus_version,
        runs: traced,
    };
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let json_path = out_dir.join("guided.json");
    std::fs::write(&json_path, serde_json::to_vec_pretty(&report)?)?;
    let html_path = out_dir.join("guided.html");
    eval::write_guided_html(&report, &html_path)?;
    println!(
        "cases {} (skipped {}), correct@6 {:.3}, correct@4 {:.3}",
        s.cases, skipped, s.correct6, s.correct4
    );
    println!(
        "questions: mean {:.2}, median {} (top-down walk: mean {:.2}; with 8 choices a question: {:.2})",
        s.mean_questions, s.median_questions, s.baseline_mean, s.paged_baseline_mean
    );
    println!(
        "  an optimal questioner of nine answers with the same prior: mean {:.2}",
        s.ideal_mean
    );
    for ((p, g, b, pb), (_, ideal)) in s.percentiles.iter().zip(&s.ideal_percentiles) {
        println!("  p{p}: guided {g}, walk {b}, walk with 8 choices {pb}, optimal {ideal}");
    }
    println!("ended: {:?}", s.reasons);
    println!(
        "by the classifier's rank of the gold code (cases, mean questions, 4 or more, 4 or more for the optimal questioner, most):"
    );
    for b in &s.by_prior_rank {
        println!(
            "  rank {}: {}, {:.2}, {}, {}, {}",
            b.ranks,
            b.cases,
            b.mean_questions,
            b.four_or_more,
            b.ideal_four_or_more,
            b.max_questions
        );
    }
    println!(
        "step latency p50 {:.2} ms, p95 {:.2} ms",
        pct(0.5),
        pct(0.95)
    );
    eprintln!(
        "reports: {} and {}",
        json_path.display(),
        html_path.display()
    );
    Ok(())
}
