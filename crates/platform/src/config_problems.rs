//! What can be wrong with a data set name or a training run's config, as data. `Display` is
//! the English text (what the API and the CLI show); the server's pages word the same data
//! in the reader's language.

/// A data set (or run) name that is not 1 to 64 lower-case letters, digits, `.`, `_` or `-`
/// starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a data set name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit; got {got:?}"
)]
pub struct NameProblem {
    pub got: String,
}

/// A data set reference ("name" or "name@version") that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefProblem {
    #[error("{text:?}: the version after '@' is a number from 1")]
    BadVersion { text: String },
    #[error(transparent)]
    Name(NameProblem),
}

/// An evaluation set that is none of those a run can name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalSetProblem {
    #[error(
        "{text:?} is not an evaluation set: use development, test, cbp, datasets (all of them) or dataset:NAME[@VERSION]"
    )]
    Unknown { text: String },
    #[error(transparent)]
    Ref(RefProblem),
}

/// What the TOML reader's complaint is about, when it is one a reader can act on directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TomlFault {
    /// A key the config does not have (a typo such as `epoch` for `epochs`).
    UnknownField(String),
    /// A key the config must have.
    MissingField(String),
    /// Bad TOML or a value of the wrong type; the reader's own words say which.
    Other,
}

/// A config's TOML that does not parse or does not fit the config's shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{report}")]
pub struct TomlProblem {
    /// 1-based line and column where the reader stopped, when it says.
    pub at: Option<(usize, usize)>,
    pub fault: TomlFault,
    /// The reader's message alone, without the position and the quoted source.
    pub detail: String,
    /// The reader's full report (position, the quoted line, the message): the English text.
    pub report: String,
}

impl TomlProblem {
    pub(crate) fn new(text: &str, e: &toml::de::Error) -> TomlProblem {
        let at = e.span().map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, column)
        });
        let detail = e.message().trim().to_string();
        let quoted = |prefix: &str| {
            detail
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
        };
        // serde's wording of these two is stable: "unknown field `x`, expected …" and
        // "missing field `x`".
        let fault = if let Some(name) = quoted("unknown field `") {
            TomlFault::UnknownField(name)
        } else if let Some(name) = quoted("missing field `") {
            TomlFault::MissingField(name)
        } else {
            TomlFault::Other
        };
        TomlProblem {
            at,
            fault,
            detail,
            report: e.to_string().trim().to_string(),
        }
    }
}

/// A `train.*` hyperparameter and the range it must be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hyper {
    Epochs,
    Batch,
    LearningRate,
    WeightDecay,
    Hidden,
    Bag,
    Buckets,
    Dropout,
    EmbeddingDropout,
}

impl Hyper {
    pub fn field(self) -> &'static str {
        match self {
            Hyper::Epochs => "epochs",
            Hyper::Batch => "batch",
            Hyper::LearningRate => "learning_rate",
            Hyper::WeightDecay => "weight_decay",
            Hyper::Hidden => "hidden",
            Hyper::Bag => "bag",
            Hyper::Buckets => "buckets",
            Hyper::Dropout => "dropout",
            Hyper::EmbeddingDropout => "embedding_dropout",
        }
    }

    /// The allowed values in English.
    pub fn rule(self) -> &'static str {
        match self {
            Hyper::Epochs => "from 1 to 50",
            Hyper::Batch => "from 1 to 4096",
            Hyper::LearningRate => "above 0 and at most 1",
            Hyper::WeightDecay | Hyper::EmbeddingDropout => "from 0 to 1",
            Hyper::Hidden => "from 8 to 2048",
            Hyper::Bag => "from 4 to 256",
            Hyper::Buckets => "a power of two from 1024 to 1048576",
            Hyper::Dropout => "from 0 to below 0.9",
        }
    }
}

/// One problem in a run config, naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigProblem {
    #[error(transparent)]
    Toml(TomlProblem),
    #[error("name: {}", .0.to_string().replace("data set name", "run name"))]
    RunName(NameProblem),
    #[error("train.{}: {}", .0.field(), .0.rule())]
    Hyper(Hyper),
    /// A `recipe.*` loss weight outside 0 to 10.
    #[error("recipe.{0}: a weight from 0 to 10")]
    Weight(&'static str),
    #[error("recipe.extra_national_per_subheading: at most 50")]
    TooManyPerSubheading,
    #[error("recipe: every source has weight 0 or no rows; the run would learn nothing")]
    LearnsNothing,
    #[error("evaluate.sets: name at least one set (development is the usual)")]
    NoEvalSets,
    #[error("evaluate.max_cases: at least 1 (or leave it out for all)")]
    NoCases,
    #[error("data.datasets: {0}")]
    Dataset(RefProblem),
    #[error("evaluate.sets: {0}")]
    EvalSet(EvalSetProblem),
    /// A named data set version that is not registered (found when the run is queued).
    #[error("{field}: there is no data set version {reference}")]
    NoSuchVersion {
        field: &'static str,
        reference: String,
    },
    /// The registry could not be read while resolving a data set; the store's words.
    #[error("{field}: {error}")]
    Lookup { field: &'static str, error: String },
}

impl ConfigProblem {
    /// The config field at fault (`config` for the TOML as a whole).
    pub fn field(&self) -> String {
        match self {
            ConfigProblem::Toml(_) => "config".into(),
            ConfigProblem::RunName(_) => "name".into(),
            ConfigProblem::Hyper(h) => format!("train.{}", h.field()),
            ConfigProblem::Weight(w) => format!("recipe.{w}"),
            ConfigProblem::TooManyPerSubheading => "recipe.extra_national_per_subheading".into(),
            ConfigProblem::LearnsNothing => "recipe".into(),
            ConfigProblem::NoEvalSets | ConfigProblem::EvalSet(_) => "evaluate.sets".into(),
            ConfigProblem::NoCases => "evaluate.max_cases".into(),
            ConfigProblem::Dataset(_) => "data.datasets".into(),
            ConfigProblem::NoSuchVersion { field, .. } | ConfigProblem::Lookup { field, .. } => {
                (*field).into()
            }
        }
    }
}
