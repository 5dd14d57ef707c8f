//! `customs`: the Smart Customs command line.
//!
//! Exit codes: 0 success, 1 not found or failure, 2 bad input (clap's usage errors too).

mod bench;
mod classify_cmd;
mod commands;
mod dataset_cmd;
mod eval_cmd;
mod eval_zh_dense;
mod guide_cmd;
mod load_cmd;
mod open;
mod platform_cmd;
mod runs_cmd;
mod tariff_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "customs",
    version,
    about = "Smart Customs: HS tariff browse, search and service"
)]
struct Cli {
    /// Data directory (holds harmonized-system/). Default: ../shared/data if it exists, else ./data.
    #[arg(long, global = true, env = "CUSTOMS_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Where derived state (the search index) is kept.
    #[arg(long, global = true, env = "CUSTOMS_STATE_DIR", default_value = "var")]
    state_dir: PathBuf,
    /// Model files (scripts/fetch-model puts the sentence encoder there). Without them the
    /// classifier runs its lexical legs only.
    #[arg(
        long,
        global = true,
        env = "CUSTOMS_MODEL_DIR",
        default_value = "models"
    )]
    model_dir: PathBuf,
    /// The platform database: sqlite://PATH or postgres://… (default: SQLite in the state
    /// directory).
    #[arg(long, global = true, env = "CUSTOMS_DATABASE_URL")]
    database_url: Option<String>,
    /// Run without the sentence encoder even if its files are there (the variable takes
    /// 1/0, true/false, yes/no or on/off).
    #[arg(
        long,
        global = true,
        env = "CUSTOMS_NO_ENCODER",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    no_encoder: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and the JSON API.
    Serve {
        #[arg(long, env = "CUSTOMS_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// public: traders and the public (no internal routes); private: officers and analysts.
        #[arg(long, env = "CUSTOMS_PROFILE", default_value = "public")]
        profile: String,
        /// Guided dialogues end when one subheading reaches this probability.
        #[arg(long, env = "CUSTOMS_GUIDE_THRESHOLD", default_value_t = 0.9)]
        guide_threshold: f64,
        /// Guided dialogues ask at most this many questions.
        #[arg(long, env = "CUSTOMS_GUIDE_MAX_QUESTIONS", default_value_t = 8)]
        guide_max_questions: usize,
        /// Requests per minute one platform client (key, user or address) may make.
        #[arg(long, env = "CUSTOMS_RATE_LIMIT", default_value_t = 600)]
        rate_limit: u32,
        /// Cores one request's matrix products (the encoder's) may use. 1 lets concurrent
        /// requests run side by side; RAYON_NUM_THREADS, when set, wins.
        #[arg(long, env = "CUSTOMS_INFERENCE_THREADS", default_value_t = 1)]
        inference_threads: usize,
        /// Blend multilingual-e5-small into Chinese classification. Off by default: it adds
        /// about 30 ms a Chinese query for about one point of top-1 (see the README), and its
        /// first start embeds the tariff's 18,331 Chinese passages (minutes; cached).
        #[arg(
            long,
            env = "CUSTOMS_ZH_ENCODER",
            value_parser = clap::builder::BoolishValueParser::new()
        )]
        zh_encoder: bool,
    },
    /// The hash-chained audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Platform accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Approved advance rulings.
    Rulings {
        #[command(subcommand)]
        action: RulingsAction,
    },
    /// Labelled data sets: register versions, list them, read their data cards.
    Dataset {
        #[command(subcommand)]
        action: DatasetAction,
    },
    /// Taiwan's national tariff: check the file, show lines, compare editions.
    Tariff {
        #[command(subcommand)]
        action: TariffAction,
    },
    /// Duty and import business tax on goods, every step explained.
    Duty {
        /// The 11-digit CCC code (10 digits: the check digit is computed).
        #[arg(long)]
        code: String,
        /// Customs value (CIF) in TWD.
        #[arg(long)]
        cif: String,
        /// Country of origin, ISO 3166 alpha-2.
        #[arg(long)]
        origin: String,
        /// Quantity, for specific rates (NT$ per unit).
        #[arg(long)]
        quantity: Option<String>,
        /// The quantity's unit (KGM, TNE, LTR…); the line's own unit by default.
        #[arg(long)]
        unit: Option<String>,
        /// Explain in Traditional Chinese.
        #[arg(long)]
        zh: bool,
    },
    /// Show one code with its path and children: "8471.30" or "847130".
    Lookup {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Search the nomenclature by words or code.
    Search {
        text: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index now (it is otherwise rebuilt when the data changes).
    Index,
    /// Classify a description, or a JSONL batch (`{"id", "description"}` lines).
    Classify {
        text: Vec<String>,
        #[arg(long, requires = "out")]
        batch: Option<PathBuf>,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 5)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Check declared codes against descriptions: a CSV with description,declared_code[,id].
    Check {
        file: PathBuf,
        /// Write the results CSV here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The tariff text corpus.
    Corpus {
        #[command(subcommand)]
        action: CorpusAction,
    },
    /// Fine-tune the sentence encoder on the training pairs, train the classification head
    /// (seeded; progress bars), then tune the fusion and calibration on the development
    /// split; writes var/models.
    Train {
        /// Passes over the training rows (default: the recipe's).
        #[arg(long)]
        epochs: Option<usize>,
        /// Fine-tune the sentence encoder first, this many passes over the training pairs
        /// (about eleven minutes each on two cores); 0 trains on the pretrained weights.
        #[arg(long, default_value_t = encoder::tune::TuneConfig::default().epochs)]
        tune_epochs: usize,
        /// Seed for initialisation, shuffling and dropout: the same seed, the same model.
        #[arg(long)]
        seed: Option<u64>,
        /// Keep the saved head; only tune the fusion again.
        #[arg(long)]
        fusion_only: bool,
        /// Do nothing when a head for the current corpus is already saved (`make run`).
        #[arg(long)]
        if_missing: bool,
        /// A training run on the platform from this TOML config: queued, trained here with a
        /// progress bar, measured and registered as a model version (see docs/course).
        #[arg(long, conflicts_with_all = ["epochs", "seed", "fusion_only", "if_missing", "tune_epochs"])]
        config: Option<PathBuf>,
        /// With --config: only queue the run (a server's or `customs worker`'s worker runs it);
        /// prints its id.
        #[arg(long, requires = "config")]
        detach: bool,
    },
    /// Run queued training runs in a process of their own (low priority), then wait for more.
    Worker {
        /// Stop once the queue is empty.
        #[arg(long)]
        once: bool,
    },
    /// Evaluate on gold cases (`{"description", "code"}` lines); writes JSON and HTML reports.
    Eval {
        /// Default: the test split written by `customs corpus build`.
        #[arg(long)]
        cases: Option<PathBuf>,
        #[arg(long, default_value = "reports/eval")]
        out: PathBuf,
        /// Run the guided dialogue with a simulated user who answers from the gold code.
        #[arg(long)]
        guided: bool,
        /// Guided: end when one subheading reaches this probability.
        #[arg(long, default_value_t = 0.9)]
        threshold: f64,
        /// Guided: ask at most this many questions.
        #[arg(long, default_value_t = 8)]
        max_questions: usize,
        /// Guided: flatten the classifier's probabilities by this power before asking.
        #[arg(long)]
        prior_power: Option<f64>,
        /// Guided: shares of the prior lent evenly to each heading's and each chapter's
        /// subheadings, as HEADING,CHAPTER (default 0.05,0.04).
        #[arg(
            long,
            value_delimiter = ',',
            num_args = 1,
            value_name = "HEADING,CHAPTER"
        )]
        branch_shares: Option<Vec<f64>>,
        /// Guided: end within QUESTIONS if it can, charging a question WEIGHT bits for the
        /// chance its answer leaves that out of reach (default 3,40; 0,0 asks by information
        /// gain alone).
        #[arg(
            long,
            value_delimiter = ',',
            num_args = 1,
            value_name = "QUESTIONS,WEIGHT"
        )]
        aim: Option<Vec<f64>>,
        /// Chinese descriptions against the national tariff (default cases: the zh-TW
        /// development set in crates/eval/fixtures).
        /// With --guided: the simulated user on Chinese descriptions, the prior from the
        /// Chinese leg.
        #[arg(long)]
        zh: bool,
        /// Chinese: the trained head's share of the blend with the index (0: index alone;
        /// default: the built-in weight when a head is saved).
        #[arg(long, requires = "zh")]
        head_weight: Option<f32>,
        /// Chinese: also measure multilingual-e5-small (from --model-dir) over the tariff's
        /// Chinese texts, alone and blended with the leg, and its load time, memory and
        /// latency (passage embeddings are cached in the state dir). With --guided: blend it
        /// into the prior, as `serve --zh-encoder` does.
        #[arg(long, requires = "zh")]
        zh_encoder: bool,
    },
    /// Find the code step by step: a question at a time, in the terminal.
    Guide {
        /// What the goods are, in your own words (optional).
        text: Vec<String>,
        #[arg(long, default_value_t = 0.9)]
        threshold: f64,
        #[arg(long, default_value_t = 8)]
        max_questions: usize,
    },
    /// Create and submit applications against a running platform; reports throughput and
    /// latency.
    Load(load_cmd::LoadArgs),
    /// Measure index build time and search latency; writes a JSON report.
    Bench {
        /// How many queries to time.
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        /// Where to write the JSON report.
        #[arg(long, default_value = "reports/bench-search.json")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Recompute the chain; exit 1 and name the first broken entry if it was tampered with.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add a user; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// trader, broker, officer, agency, admin, data_scientist or reviewer.
        #[arg(long)]
        role: String,
        /// The company's business ID (traders, brokers and agencies).
        #[arg(long)]
        company: Option<String>,
        /// Registers the company too when it is new.
        #[arg(long)]
        company_name: Option<String>,
    },
}

#[derive(Subcommand)]
enum RulingsAction {
    /// Write approved rulings as a labelled set where the corpus build reads customs' own
    /// decisions (default: <state-dir>/labelled/customs-rulings/labelled.csv).
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DatasetAction {
    /// Register a CSV (text or description, code; id and source optional) or JSON Lines file
    /// as the next version of NAME; identical content adds no version.
    Add {
        file: PathBuf,
        #[arg(long)]
        name: String,
    },
    /// Register a version from a shared labelled folder (shared:<folder>) or the approved
    /// advance rulings (rulings).
    Register {
        #[arg(long)]
        name: String,
        #[arg(long)]
        source: String,
    },
    /// Every data set with its newest version.
    List,
    /// A version's data card: NAME (the newest) or NAME@N.
    Card {
        spec: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TariffAction {
    /// Parse every duty cell; exit 1 naming any cell that does not parse.
    Check,
    /// The lines under a 6- or 8-digit code, or one 11-digit line.
    Show { code: String },
    /// Compare two editions of the tariff file; with a database, flag approved advance
    /// rulings whose code is gone.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Also check the platform's approved rulings (uses --database-url or the default).
        #[arg(long)]
        rulings: bool,
    },
}

#[derive(Subcommand)]
enum CorpusAction {
    /// Build the corpus artifact now (it is otherwise rebuilt when its inputs change).
    Build,
}

/// An error caused by what the user typed: reported with exit code 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Nothing matched what the user asked for: exit code 1.
#[derive(Debug)]
pub struct NotFound(pub String);

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotFound {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Serve {
        inference_threads, ..
    } = &cli.command
    {
        limit_inference_threads(*inference_threads);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tantivy=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let data_dir = cli.data_dir.unwrap_or_else(settings::default_data_dir);
    let state = settings::StateDir(cli.state_dir);
    let models = (!cli.no_encoder).then_some(cli.model_dir.as_path());
    let paths = engine::Paths {
        data_dir: &data_dir,
        state: &state,
        models,
    };
    let result = match cli.command {
        Command::Serve {
            bind,
            profile,
            guide_threshold,
            guide_max_questions,
            rate_limit,
            zh_encoder,
            ..
        } => guide_cmd::settings(guide_threshold, guide_max_questions).and_then(|g| {
            let url = platform_cmd::database_url(cli.database_url.as_deref(), &state)?;
            let options = commands::ServeOptions {
                bind,
                profile,
                rate_limit,
                zh_encoder,
            };
            commands::serve(&paths, &options, g, &url)
        }),
        Command::Audit {
            action: AuditAction::Verify { json },
        } => platform_cmd::database_url(cli.database_url.as_deref(), &state)
            .and_then(|url| platform_cmd::audit_verify(&url, json)),
        Command::User {
            action:
                UserAction::Add {
                    email,
                    name,
                    role,
                    company,
                    company_name,
                },
        } => platform_cmd::database_url(cli.database_url.as_deref(), &state).and_then(|url| {
            platform_cmd::add_user(
                &url,
                platform_cmd::NewUserArgs {
                    email: &email,
                    name: &name,
                    role: &role,
                    company: company.as_deref(),
                    company_name: company_name.as_deref(),
                },
            )
        }),
        Command::Rulings {
            action: RulingsAction::Export { out },
        } => platform_cmd::database_url(cli.database_url.as_deref(), &state).and_then(|url| {
            let out = out.unwrap_or_else(|| state.0.join("labelled/customs-rulings/labelled.csv"));
            platform_cmd::export_rulings(&url, &out)
        }),
        Command::Dataset { action } => {
            platform_cmd::database_url(cli.database_url.as_deref(), &state).and_then(|url| {
                match action {
                    DatasetAction::Add { file, name } => {
                        dataset_cmd::add(&url, &data_dir, &file, &name)
                    }
                    DatasetAction::Register { name, source } => {
                        dataset_cmd::register_source(&url, &data_dir, &name, &source)
                    }
                    DatasetAction::List => dataset_cmd::list(&url),
                    DatasetAction::Card { spec, json } => dataset_cmd::card(&url, &spec, json),
                }
            })
        }
        Command::Tariff { action } => match action {
            TariffAction::Check => tariff_cmd::check(&data_dir),
            TariffAction::Show { code } => tariff_cmd::show(&data_dir, &code),
            TariffAction::Diff { old, new, rulings } => {
                let url = if rulings {
                    Some(platform_cmd::database_url(
                        cli.database_url.as_deref(),
                        &state,
                    ))
                    .transpose()
                } else {
                    Ok(None)
                };
                url.and_then(|url| tariff_cmd::diff(&data_dir, &old, &new, url.as_deref()))
            }
        },
        Command::Duty {
            code,
            cif,
            origin,
            quantity,
            unit,
            zh,
        } => tariff_cmd::duty(
            &data_dir,
            &tariff_cmd::DutyArgs {
                code: &code,
                cif: &cif,
                origin: &origin,
                quantity: quantity.as_deref(),
                unit: unit.as_deref(),
                chinese: zh,
            },
        ),
        Command::Lookup { code, json } => commands::lookup(&data_dir, &code, json),
        Command::Search { text, limit, json } => {
            commands::search(&data_dir, &state, &text.join(" "), limit, json)
        }
        Command::Index => commands::index(&data_dir, &state),
        Command::Classify {
            text,
            batch,
            out,
            limit,
            json,
        } => commands::classify(&paths, &text.join(" "), batch, out, limit, json),
        Command::Check { file, out } => classify_cmd::read_declarations(&file).and_then(|rows| {
            let c = classify_cmd::open_classifier(&paths)?;
            classify_cmd::check_declarations(&c, &rows, out.as_deref())
        }),
        Command::Corpus {
            action: CorpusAction::Build,
        } => classify_cmd::corpus_build(&data_dir, &state),
        Command::Train {
            config: Some(file),
            detach,
            ..
        } => platform_cmd::database_url(cli.database_url.as_deref(), &state)
            .and_then(|url| runs_cmd::train_config(&paths, &url, &file, detach)),
        Command::Worker { once } => platform_cmd::database_url(cli.database_url.as_deref(), &state)
            .and_then(|url| runs_cmd::worker(&paths, &url, once)),
        Command::Train {
            epochs,
            tune_epochs,
            seed,
            fusion_only,
            if_missing,
            ..
        } => classify_cmd::train(
            &paths,
            &classify_cmd::TrainOptions {
                epochs,
                tune_epochs,
                seed,
                fusion_only,
                if_missing,
            },
        ),
        Command::Eval {
            cases,
            out,
            guided: true,
            zh: true,
            threshold,
            max_questions,
            prior_power,
            branch_shares,
            aim,
            zh_encoder,
            ..
        } => {
            let cases = cases.unwrap_or_else(|| "crates/eval/fixtures/zh_tw_dev.jsonl".into());
            guide_cmd::settings(threshold, max_questions)
                .and_then(|s| guide_cmd::tuned(s, prior_power, branch_shares, aim))
                .and_then(|s| {
                    let classifier = classify_cmd::open_classifier(&paths)?;
                    // The Chinese leg as `customs serve` builds it: with e5's dense part when asked
                    // for and its files are there.
                    let (mut leg, national) = eval_cmd::chinese_leg(&data_dir, &state, None)?;
                    if zh_encoder {
                        let bars = open::Bars::new();
                        leg = engine::with_zh_dense(
                            leg,
                            &national,
                            paths.models,
                            &state,
                            &|s, d, t| bars.report(s, d, t),
                        );
                        bars.finish();
                    }
                    let guide = guide::Guide::new(classifier, s)
                        .with_chinese(Some(std::sync::Arc::new(leg)));
                    guide_cmd::evaluate(guide, &cases, &out)
                })
        }
        Command::Eval {
            cases,
            out,
            zh: true,
            head_weight,
            zh_encoder,
            ..
        } => {
            let cases = cases.unwrap_or_else(|| "crates/eval/fixtures/zh_tw_dev.jsonl".into());
            eval_cmd::chinese_leg(&data_dir, &state, head_weight).and_then(|(leg, national)| {
                let dense = zh_encoder.then(|| eval_cmd::DenseSetup {
                    national: &national,
                    models: &cli.model_dir,
                    state: &state,
                });
                eval_cmd::run_zh(&leg, &cases, &out, dense)
            })
        }
        Command::Eval {
            cases,
            out,
            guided: false,
            ..
        } => {
            let cases = cases.unwrap_or_else(|| state.0.join("corpus/cases-test.jsonl"));
            classify_cmd::open_classifier(&paths).and_then(|c| eval_cmd::run(&c, &cases, &out))
        }
        Command::Eval {
            cases,
            out,
            guided: true,
            threshold,
            max_questions,
            prior_power,
            branch_shares,
            aim,
            ..
        } => {
            let cases = cases.unwrap_or_else(|| state.0.join("corpus/cases-dev.jsonl"));
            guide_cmd::settings(threshold, max_questions)
                .and_then(|s| guide_cmd::tuned(s, prior_power, branch_shares, aim))
                .and_then(|s| {
                    classify_cmd::open_classifier(&paths)
                        .and_then(|c| guide_cmd::evaluate(guide::Guide::new(c, s), &cases, &out))
                })
        }
        Command::Guide {
            text,
            threshold,
            max_questions,
        } => guide_cmd::settings(threshold, max_questions).and_then(|s| {
            classify_cmd::open_classifier(&paths)
                .map(|c| guide::Guide::new(c, s))
                .and_then(|g| guide_cmd::interactive(&g, &text.join(" ")))
        }),
        Command::Bench { queries, out } => bench::run(&data_dir, &state, queries, &out),
        Command::Load(args) => load_cmd::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<BadInput>() => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// candle splits every matrix product across `RAYON_NUM_THREADS` threads (read at each
/// product) and rayon sizes its pool from it. A request's products are small: splitting them
/// costs more in hand-offs than it gains once requests run side by side. Measured with
/// scripts/bench-classify on 2 cores: one thread took one connection's p50 from 16.5 to
/// 13.6 ms and eight connections from 82 to 107 classifications/s.
fn limit_inference_threads(threads: usize) {
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        // SAFETY: called first thing in main, before any thread exists.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", threads.max(1).to_string()) };
    }
}
