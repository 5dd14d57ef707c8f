//! The simulated user of `customs eval --guided`: it answers every question truthfully from
//! the gold code, never from the system's guesses, and the baseline it is compared with.

use nomenclature::{HsCode, Nomenclature};

use crate::dialogue::{Dialogue, EndReason, Guide};
use crate::questions::{Choice, MAX_CHOICES, NONE_OF_THESE, NOT_SURE, Question};
use crate::rule::Tables;

/// The choice a user whose goods are `gold` would pick, knowing only what the gold code's
/// path says: the one choice that admits it; when several do (the code does not decide the
/// question), the "none of these" kind if it admits it, since that claims least; otherwise
/// "not sure".
pub fn truthful_choice<'q>(question: &'q Question, tables: &Tables, gold: usize) -> &'q str {
    let admitting: Vec<&Choice> = question
        .choices
        .iter()
        .filter(|c| c.rule.is_informative() && c.rule.admits(tables, gold))
        .collect();
    match admitting.as_slice() {
        [one] => &one.id,
        [] => NOT_SURE,
        several => several
            .iter()
            .find(|c| c.id == NONE_OF_THESE)
            .map_or(NOT_SURE, |c| &c.id),
    }
}

#[derive(Debug, Clone)]
pub struct CaseRun {
    pub gold: HsCode,
    pub result: HsCode,
    pub questions: usize,
    pub reason: EndReason,
    /// Questions the top-down tree walk needs for the same gold code.
    pub baseline: usize,
    /// The same walk with at most eight choices a question.
    pub paged_baseline: usize,
    /// Where the classifier ranked the gold code before any answer (1 = first).
    pub prior_rank: usize,
    /// The same for the gold code's chapter and heading, by their summed probability.
    pub prior_branch_ranks: [usize; 2],
    /// Questions an optimal nine-answer questioner with the same prior would ask
    /// ([`crate::bound::ideal_questions`]).
    pub ideal_questions: usize,
    /// "question → answer" for each step.
    pub trace: Vec<String>,
}

impl CaseRun {
    pub fn correct(&self, digits: usize) -> bool {
        self.result.as_str().get(..digits) == self.gold.as_str().get(..digits)
    }
}

/// Runs one dialogue to its end; `None` when the gold code is not a subheading the guide
/// knows.
pub fn run_case(guide: &Guide, description: &str, gold: &HsCode) -> Option<CaseRun> {
    let leaf = guide.tables().position(gold)?;
    let mut dialogue = Dialogue::new(description);
    let ranks = guide.prior_ranks(description, leaf);
    let mut trace = Vec::new();
    loop {
        let step = guide.step(&dialogue);
        if let Some(outcome) = step.outcome {
            return Some(CaseRun {
                gold: gold.clone(),
                result: outcome.code,
                questions: step.asked,
                reason: outcome.reason,
                baseline: baseline_questions(guide.nomenclature(), gold),
                paged_baseline: paged_baseline_questions(guide.nomenclature(), gold),
                prior_rank: ranks.subheading,
                prior_branch_ranks: [ranks.chapter, ranks.heading],
                ideal_questions: ranks.ideal_questions,
                trace,
            });
        }
        let question = step.question?;
        let choice = truthful_choice(&question, guide.tables(), leaf);
        let label = question.choice(choice).map_or("", |c| c.label.as_str());
        trace.push(format!("{} → {label}", question.text));
        dialogue.answers.push(Guide::choose(&question, choice)?);
    }
}

/// At each level of the top-down walk, the number of branches and the gold branch's
/// position among them (code order).
fn walk(hs: &Nomenclature, gold: &HsCode) -> [(usize, usize); 4] {
    let chapter = gold.chapter();
    let section = hs.get(&chapter).and_then(|n| n.section);
    let position =
        |items: &[HsCode], wanted: &HsCode| items.iter().position(|c| c == wanted).unwrap_or(0);
    let sections: Vec<u8> = hs.sections().iter().map(|s| s.number.number()).collect();
    let section_at = section
        .and_then(|s| sections.iter().position(|&n| n == s.number()))
        .unwrap_or(0);
    let chapters = section
        .and_then(|s| hs.section(s))
        .map(|s| s.chapters.clone())
        .unwrap_or_default();
    let heading = gold.parent().unwrap_or_else(|| gold.clone());
    let headings = hs
        .get(&chapter)
        .map(|n| n.children.clone())
        .unwrap_or_default();
    let subheadings = hs
        .get(&heading)
        .map(|n| n.children.clone())
        .unwrap_or_default();
    [
        (sections.len(), section_at),
        (chapters.len(), position(&chapters, &chapter)),
        (headings.len(), position(&headings, &heading)),
        (subheadings.len(), position(&subheadings, gold)),
    ]
}

/// The questions of a top-down walk (section → chapter → heading → subheading): one per level
/// that has a choice to make. Generous to the baseline: a level with more branches than fit
/// on one screen still counts as one question.
pub fn baseline_questions(hs: &Nomenclature, gold: &HsCode) -> usize {
    walk(hs, gold).iter().filter(|(n, _)| *n > 1).count()
}

/// The same walk under the guide's own screen limit: at most eight branches a question, so a
/// level with more shows eight at a time (code order) and "more".
pub fn paged_baseline_questions(hs: &Nomenclature, gold: &HsCode) -> usize {
    walk(hs, gold)
        .iter()
        .filter(|(n, _)| *n > 1)
        .map(|&(n, at)| {
            if n <= MAX_CHOICES {
                1
            } else {
                at / MAX_CHOICES + 1
            }
        })
        .sum()
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub cases: usize,
    pub correct6: f64,
    pub correct4: f64,
    pub mean_questions: f64,
    pub median_questions: f64,
    /// `distribution[k]`: dialogues that took k questions.
    pub distribution: Vec<usize>,
    pub baseline_mean: f64,
    pub baseline_distribution: Vec<usize>,
    pub paged_baseline_mean: f64,
    pub ideal_mean: f64,
    /// (percentile, questions) of the optimal nine-answer questioner with the same prior.
    pub ideal_percentiles: Vec<(u8, usize)>,
    /// (percentile, guided, baseline, paged baseline) at 10, 25, 50, 75, 90, 95 and 100 (the
    /// longest).
    pub percentiles: Vec<(u8, usize, usize, usize)>,
    /// How the dialogues ended, with counts.
    pub reasons: Vec<(&'static str, usize)>,
    /// Questions by where the classifier ranked the gold code: what the long dialogues have
    /// in common.
    pub by_prior_rank: Vec<RankBand>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RankBand {
    /// "1", "2-5", …, "301+".
    pub ranks: String,
    pub cases: usize,
    pub mean_questions: f64,
    /// Dialogues that took four questions or more (the top-down walk's usual count).
    pub four_or_more: usize,
    /// The same for the optimal nine-answer questioner with the same prior.
    pub ideal_four_or_more: usize,
    pub max_questions: usize,
}

const RANK_BANDS: [(usize, usize); 8] = [
    (1, 1),
    (2, 5),
    (6, 10),
    (11, 20),
    (21, 50),
    (51, 100),
    (101, 300),
    (301, usize::MAX),
];

fn by_prior_rank(runs: &[CaseRun]) -> Vec<RankBand> {
    RANK_BANDS
        .iter()
        .filter_map(|&(lo, hi)| {
            let band: Vec<&CaseRun> = runs
                .iter()
                .filter(|r| (lo..=hi).contains(&r.prior_rank))
                .collect();
            let questions: Vec<usize> = band.iter().map(|r| r.questions).collect();
            (!questions.is_empty()).then(|| RankBand {
                ranks: match (lo, hi) {
                    (lo, usize::MAX) => format!("{lo}+"),
                    (lo, hi) if lo == hi => lo.to_string(),
                    (lo, hi) => format!("{lo}-{hi}"),
                },
                cases: questions.len(),
                mean_questions: questions.iter().sum::<usize>() as f64 / questions.len() as f64,
                four_or_more: questions.iter().filter(|&&q| q >= 4).count(),
                ideal_four_or_more: band.iter().filter(|r| r.ideal_questions >= 4).count(),
                max_questions: questions.iter().copied().max().unwrap_or(0),
            })
        })
        .collect()
}

const PERCENTILES: [u8; 7] = [10, 25, 50, 75, 90, 95, 100];

fn percentile(sorted: &[usize], pct: u8) -> usize {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (pct as f64 / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

fn distribution(values: &[usize]) -> Vec<usize> {
    let max = values.iter().copied().max().unwrap_or(0);
    let mut d = vec![0; max + 1];
    values.iter().for_each(|&v| d[v] += 1);
    d
}

pub fn summarise(runs: &[CaseRun]) -> Summary {
    let n = runs.len();
    if n == 0 {
        return Summary::default();
    }
    let share =
        |f: &dyn Fn(&CaseRun) -> bool| runs.iter().filter(|r| f(r)).count() as f64 / n as f64;
    let mut guided: Vec<usize> = runs.iter().map(|r| r.questions).collect();
    let mut baseline: Vec<usize> = runs.iter().map(|r| r.baseline).collect();
    let mut paged: Vec<usize> = runs.iter().map(|r| r.paged_baseline).collect();
    let mut ideal: Vec<usize> = runs.iter().map(|r| r.ideal_questions).collect();
    ideal.sort_unstable();
    guided.sort_unstable();
    baseline.sort_unstable();
    paged.sort_unstable();
    let mut reasons: Vec<(&'static str, usize)> = Vec::new();
    for r in runs {
        match reasons.iter_mut().find(|(k, _)| *k == r.reason.as_str()) {
            Some(entry) => entry.1 += 1,
            None => reasons.push((r.reason.as_str(), 1)),
        }
    }
    Summary {
        cases: n,
        correct6: share(&|r| r.correct(6)),
        correct4: share(&|r| r.correct(4)),
        mean_questions: guided.iter().sum::<usize>() as f64 / n as f64,
        median_questions: percentile(&guided, 50) as f64,
        distribution: distribution(&guided),
        baseline_mean: baseline.iter().sum::<usize>() as f64 / n as f64,
        baseline_distribution: distribution(&baseline),
        paged_baseline_mean: paged.iter().sum::<usize>() as f64 / n as f64,
        ideal_mean: ideal.iter().sum::<usize>() as f64 / n as f64,
        ideal_percentiles: PERCENTILES
            .into_iter()
            .map(|p| (p, percentile(&ideal, p)))
            .collect(),
        percentiles: PERCENTILES
            .into_iter()
            .map(|p| {
                (
                    p,
                    percentile(&guided, p),
                    percentile(&baseline, p),
                    percentile(&paged, p),
                )
            })
            .collect(),
        reasons,
        by_prior_rank: by_prior_rank(runs),
    }
}
