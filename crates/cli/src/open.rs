//! Opening the engine with progress bars on the terminal.

use std::cell::RefCell;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// One bar per stage ("index", "corpus", "tuning"), created on the stage's first report.
/// Where stderr is not a terminal (CI logs, `nohup`), a line at every tenth instead.
pub struct Bars {
    current: RefCell<Option<(String, ProgressBar)>>,
    /// (stage, last tenth logged) when not on a terminal.
    logged: RefCell<(String, u64)>,
    started: std::time::Instant,
}

impl Bars {
    pub fn new() -> Bars {
        Bars {
            current: RefCell::new(None),
            logged: RefCell::new((String::new(), u64::MAX)),
            started: std::time::Instant::now(),
        }
    }

    fn log_line(&self, stage: &str, done: u64, total: u64) {
        let tenth = (done * 10).checked_div(total).unwrap_or(10);
        let mut logged = self.logged.borrow_mut();
        if logged.0 != stage || logged.1 != tenth {
            *logged = (stage.to_string(), tenth);
            eprintln!(
                "{stage}: {done}/{total} ({:.0} s)",
                self.started.elapsed().as_secs_f64()
            );
        }
    }

    pub fn report(&self, stage: &str, done: u64, total: u64) {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return self.log_line(stage, done, total);
        }
        let mut current = self.current.borrow_mut();
        if current.as_ref().is_none_or(|(s, _)| s != stage) {
            if let Some((_, bar)) = current.take() {
                bar.finish();
            }
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({elapsed})")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(stage.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            *current = Some((stage.to_string(), bar));
        }
        if let Some((_, bar)) = current.as_ref() {
            bar.set_length(total);
            bar.set_position(done);
        }
    }

    pub fn finish(&self) {
        if let Some((_, bar)) = self.current.borrow_mut().take() {
            bar.finish();
        }
    }
}

pub fn engine(paths: &engine::Paths<'_>) -> anyhow::Result<engine::Engine> {
    let bars = Bars::new();
    let e = engine::open(paths, &|s, d, t| bars.report(s, d, t));
    bars.finish();
    e
}
