//! A training run's config: which data set versions it learns from, the recipe's weights,
//! the hyperparameters, the seed and what it is evaluated on. Written as TOML by an analyst
//! (`customs train --config run.toml`, or the page), checked here field by field.

use serde::{Deserialize, Serialize};

use crate::check_name;
use crate::config_problems::{ConfigProblem, EvalSetProblem, Hyper, RefProblem, TomlProblem};

/// In `[evaluate] sets`: the test split of every platform data set's newest version, resolved
/// when the run is queued.
pub const ALL_DATASETS: &str = "datasets";

/// Evaluation sets every installation has: the corpus's own development and test splits
/// and the held-out rulings of the US CBP sample.
pub const BUILTIN_EVAL_SETS: [&str; 3] = ["development", "test", "cbp"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    pub name: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
    pub data: DataConfig,
    #[serde(default)]
    pub recipe: RecipeConfig,
    #[serde(default)]
    pub train: HyperConfig,
    #[serde(default)]
    pub evaluate: EvalConfig,
}

fn default_seed() -> u64 {
    20261130
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// Platform data sets, as "name" (the newest version) or "name@version": their train
    /// split is learnt from, their development split measured each epoch.
    pub datasets: Vec<String>,
    /// Whether the labelled sets under the data directory (the corpus's training split)
    /// are learnt from too.
    pub shared_labelled: bool,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            datasets: Vec::new(),
            shared_labelled: true,
        }
    }
}

/// Loss weights by where a row comes from (0 leaves that source out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecipeConfig {
    pub labelled: f32,
    pub tariff: f32,
    pub extra_national: f32,
    pub chinese: f32,
    pub extra_national_per_subheading: usize,
}

impl Default for RecipeConfig {
    fn default() -> Self {
        RecipeConfig {
            labelled: 1.0,
            tariff: 0.5,
            extra_national: 0.3,
            chinese: 0.5,
            extra_national_per_subheading: 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HyperConfig {
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub hidden: usize,
    pub bag: usize,
    pub buckets: u32,
    pub dropout: f32,
    pub embedding_dropout: f32,
}

impl Default for HyperConfig {
    fn default() -> Self {
        HyperConfig {
            epochs: 6,
            batch: 256,
            learning_rate: 3e-3,
            weight_decay: 1e-5,
            hidden: 256,
            bag: 32,
            buckets: 1 << 16,
            dropout: 0.2,
            embedding_dropout: 0.3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EvalConfig {
    /// "development", "test", "cbp", or "dataset:name[@version]" (its test split).
    pub sets: Vec<String>,
    /// At most this many cases per set (the first in canonical order); none: all.
    pub max_cases: Option<usize>,
}

impl Default for EvalConfig {
    fn default() -> Self {
        EvalConfig {
            sets: BUILTIN_EVAL_SETS
                .iter()
                .chain(&[ALL_DATASETS])
                .map(|s| s.to_string())
                .collect(),
            max_cases: None,
        }
    }
}

/// A data set named in a config: the newest version when `version` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetRef {
    pub name: String,
    pub version: Option<i64>,
}

impl DatasetRef {
    pub fn parse(text: &str) -> Result<DatasetRef, RefProblem> {
        let (name, version) =
            match text.split_once('@') {
                Some((n, v)) => {
                    let v: i64 = v.parse().ok().filter(|v| *v >= 1).ok_or_else(|| {
                        RefProblem::BadVersion {
                            text: text.to_string(),
                        }
                    })?;
                    (n, Some(v))
                }
                None => (text, None),
            };
        check_name(name).map_err(RefProblem::Name)?;
        Ok(DatasetRef {
            name: name.to_string(),
            version,
        })
    }
}

impl std::fmt::Display for DatasetRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.version {
            Some(v) => write!(f, "{}@{v}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// What an evaluation set names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvalSet {
    Builtin(String),
    Dataset(DatasetRef),
    /// Every data set (expanded to `Dataset`s when the run is queued).
    AllDatasets,
}

impl EvalSet {
    pub fn parse(text: &str) -> Result<EvalSet, EvalSetProblem> {
        if let Some(rest) = text.strip_prefix("dataset:") {
            return DatasetRef::parse(rest)
                .map(EvalSet::Dataset)
                .map_err(EvalSetProblem::Ref);
        }
        if text == ALL_DATASETS {
            return Ok(EvalSet::AllDatasets);
        }
        if BUILTIN_EVAL_SETS.contains(&text) {
            return Ok(EvalSet::Builtin(text.to_string()));
        }
        Err(EvalSetProblem::Unknown {
            text: text.to_string(),
        })
    }
}

/// Problems in a config, each naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct ConfigErrors(pub Vec<ConfigProblem>);

impl RunConfig {
    /// Reads and checks a TOML config.
    pub fn from_toml(text: &str) -> Result<RunConfig, ConfigErrors> {
        let config: RunConfig = toml::from_str(text)
            .map_err(|e| ConfigErrors(vec![ConfigProblem::Toml(TomlProblem::new(text, &e))]))?;
        config.check()?;
        Ok(config)
    }

    /// The config as TOML again (what a rerun starts from).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a config serialises")
    }

    pub fn dataset_refs(&self) -> Result<Vec<DatasetRef>, ConfigErrors> {
        let mut errors = Vec::new();
        let refs: Vec<DatasetRef> = self
            .data
            .datasets
            .iter()
            .filter_map(|d| {
                DatasetRef::parse(d)
                    .map_err(|e| errors.push(ConfigProblem::Dataset(e)))
                    .ok()
            })
            .collect();
        if errors.is_empty() {
            Ok(refs)
        } else {
            Err(ConfigErrors(errors))
        }
    }

    pub fn eval_sets(&self) -> Result<Vec<EvalSet>, ConfigErrors> {
        let mut errors = Vec::new();
        let sets: Vec<EvalSet> = self
            .evaluate
            .sets
            .iter()
            .filter_map(|s| {
                EvalSet::parse(s)
                    .map_err(|e| errors.push(ConfigProblem::EvalSet(e)))
                    .ok()
            })
            .collect();
        if errors.is_empty() {
            Ok(sets)
        } else {
            Err(ConfigErrors(errors))
        }
    }

    pub fn check(&self) -> Result<(), ConfigErrors> {
        let mut errors = Vec::new();
        if let Err(e) = check_name(&self.name) {
            errors.push(ConfigProblem::RunName(e));
        }
        let t = &self.train;
        let mut range = |hyper: Hyper, ok: bool| {
            if !ok {
                errors.push(ConfigProblem::Hyper(hyper));
            }
        };
        range(Hyper::Epochs, (1..=50).contains(&t.epochs));
        range(Hyper::Batch, (1..=4096).contains(&t.batch));
        range(
            Hyper::LearningRate,
            t.learning_rate > 0.0 && t.learning_rate <= 1.0,
        );
        range(Hyper::WeightDecay, (0.0..=1.0).contains(&t.weight_decay));
        range(Hyper::Hidden, (8..=2048).contains(&t.hidden));
        range(Hyper::Bag, (4..=256).contains(&t.bag));
        range(
            Hyper::Buckets,
            t.buckets.is_power_of_two() && (1 << 10..=1 << 20).contains(&t.buckets),
        );
        range(Hyper::Dropout, (0.0..0.9).contains(&t.dropout));
        range(
            Hyper::EmbeddingDropout,
            (0.0..=1.0).contains(&t.embedding_dropout),
        );
        let r = &self.recipe;
        for (field, w) in [
            ("labelled", r.labelled),
            ("tariff", r.tariff),
            ("extra_national", r.extra_national),
            ("chinese", r.chinese),
        ] {
            if !(0.0..=10.0).contains(&w) {
                errors.push(ConfigProblem::Weight(field));
            }
        }
        if r.extra_national_per_subheading > 50 {
            errors.push(ConfigProblem::TooManyPerSubheading);
        }
        let learns_labelled =
            (self.data.shared_labelled || !self.data.datasets.is_empty()) && r.labelled > 0.0;
        if !learns_labelled && r.tariff <= 0.0 && r.extra_national <= 0.0 && r.chinese <= 0.0 {
            errors.push(ConfigProblem::LearnsNothing);
        }
        if self.evaluate.sets.is_empty() {
            errors.push(ConfigProblem::NoEvalSets);
        }
        if self.evaluate.max_cases == Some(0) {
            errors.push(ConfigProblem::NoCases);
        }
        if let Err(e) = self.dataset_refs() {
            errors.extend(e.0);
        }
        if let Err(e) = self.eval_sets() {
            errors.extend(e.0);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigErrors(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_config_takes_the_defaults() {
        let c = RunConfig::from_toml("name = \"baseline\"\n").unwrap();
        assert_eq!(c.seed, 20261130);
        assert_eq!(c.train, HyperConfig::default());
        assert!(c.data.shared_labelled);
        assert_eq!(c.eval_sets().unwrap().len(), 4);
        assert_eq!(c.eval_sets().unwrap()[3], EvalSet::AllDatasets);
        // It round-trips through TOML.
        assert_eq!(RunConfig::from_toml(&c.to_toml()).unwrap(), c);
    }

    #[test]
    fn every_bad_field_is_named() {
        let text = "name = \"Bad Name\"\n[train]\nepochs = 0\nbuckets = 1000\n[data]\ndatasets = [\"parcels@x\"]\n[evaluate]\nsets = [\"dev\"]\n";
        let errors = RunConfig::from_toml(text).unwrap_err();
        let joined = errors.to_string();
        for field in [
            "name:",
            "train.epochs",
            "train.buckets",
            "data.datasets",
            "evaluate.sets",
        ] {
            assert!(joined.contains(field), "{field} missing from {joined}");
        }
    }

    #[test]
    fn unknown_keys_and_bad_toml_are_errors() {
        let e = RunConfig::from_toml("name = \"a\"\n[train]\nepoch = 3\n").unwrap_err();
        assert!(e.to_string().contains("epoch"), "{e}");
        let [ConfigProblem::Toml(toml)] = &e.0[..] else {
            panic!("{e:?}")
        };
        assert_eq!(
            toml.fault,
            crate::TomlFault::UnknownField("epoch".into()),
            "{toml:?}"
        );
        assert_eq!(toml.at, Some((3, 1)), "the key's line and column");
        assert!(RunConfig::from_toml("name = ").is_err());
    }

    #[test]
    fn references_parse() {
        assert_eq!(
            DatasetRef::parse("parcels@2").unwrap(),
            DatasetRef {
                name: "parcels".into(),
                version: Some(2)
            }
        );
        assert_eq!(DatasetRef::parse("parcels").unwrap().version, None);
        assert!(DatasetRef::parse("parcels@0").is_err());
        assert_eq!(
            EvalSet::parse("dataset:parcels@1").unwrap(),
            EvalSet::Dataset(DatasetRef {
                name: "parcels".into(),
                version: Some(1)
            })
        );
    }
}
