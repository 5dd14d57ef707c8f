//! A training run's config problems on the training pages, and a data set name's, in the
//! reader's language: the `platform` crate's `ConfigProblem` and `NameProblem`, which keep
//! the field, the rule and the TOML reader's position as data.

use ::platform::{
    ConfigProblem, EvalSetProblem, Hyper, NameProblem, RefProblem, TomlFault, TomlProblem,
};

use super::Lang;
use crate::problem::Say;

/// The server's own words about a refused config.
#[derive(Debug, Clone)]
pub(crate) enum RunSaid {
    /// How many problems the config has; nothing was queued.
    ConfigProblems(usize),
}

impl Say for RunSaid {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (RunSaid::ConfigProblems(n), Lang::En) => {
                format!("The run config has {n} problem(s); nothing was queued.")
            }
            (RunSaid::ConfigProblems(n), Lang::ZhTw) => {
                format!("訓練設定有 {n} 個問題，未排入佇列。")
            }
        }
    }
}

const NAME_RULE_ZH: &str =
    "須為 1 至 64 個小寫英文字母、數字、「.」、「_」或「-」，且以字母或數字開頭";

impl Say for NameProblem {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhTw => format!("資料集名稱{NAME_RULE_ZH}；收到「{}」", self.got),
        }
    }
}

fn ref_zh(problem: &RefProblem) -> String {
    match problem {
        RefProblem::BadVersion { text } => {
            format!("「{text}」中 @ 之後的版本須為 1 以上的整數")
        }
        RefProblem::Name(name) => name.say(Lang::ZhTw),
    }
}

fn hyper_rule_zh(hyper: Hyper) -> &'static str {
    match hyper {
        Hyper::Epochs => "須為 1 至 50",
        Hyper::Batch => "須為 1 至 4096",
        Hyper::LearningRate => "須大於 0 且不超過 1",
        Hyper::WeightDecay | Hyper::EmbeddingDropout => "須為 0 至 1",
        Hyper::Hidden => "須為 8 至 2048",
        Hyper::Bag => "須為 4 至 256",
        Hyper::Buckets => "須為 1024 至 1048576 之間的 2 的次方",
        Hyper::Dropout => "須為 0 以上、未滿 0.9",
    }
}

/// Where the TOML reader stopped and why, in a sentence; its own words follow in
/// parentheses when they add something (what it expected there).
fn toml_zh(problem: &TomlProblem) -> String {
    let at = match problem.at {
        Some((line, column)) => format!("第 {line} 行第 {column} 欄"),
        None => "設定中".into(),
    };
    match &problem.fault {
        TomlFault::UnknownField(name) => {
            format!(
                "{at}：沒有「{name}」這個設定項目，請檢查拼字（{}）",
                problem.detail
            )
        }
        TomlFault::MissingField(name) => format!("{at}：缺少必填的設定項目「{name}」"),
        TomlFault::Other => format!(
            "{at}：不是有效的 TOML，或值的型別不符（{}）",
            problem.detail
        ),
    }
}

impl Say for ConfigProblem {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let field = self.field();
        match self {
            ConfigProblem::Toml(toml) => toml_zh(toml),
            ConfigProblem::RunName(name) => {
                format!("name：訓練名稱{NAME_RULE_ZH}；收到「{}」", name.got)
            }
            ConfigProblem::Hyper(hyper) => format!("{field}：{}", hyper_rule_zh(*hyper)),
            ConfigProblem::Weight(_) => format!("{field}：權重須為 0 至 10"),
            ConfigProblem::TooManyPerSubheading => format!("{field}：最多 50"),
            ConfigProblem::LearnsNothing => {
                format!("{field}：所有資料來源的權重皆為 0 或沒有資料列，訓練將學不到任何東西")
            }
            ConfigProblem::NoEvalSets => {
                format!("{field}：請至少指定一個評估集（通常為 development）")
            }
            ConfigProblem::NoCases => format!("{field}：至少為 1（或省略以評估全部案例）"),
            ConfigProblem::Dataset(problem) => format!("{field}：{}", ref_zh(problem)),
            ConfigProblem::EvalSet(EvalSetProblem::Unknown { text }) => format!(
                "{field}：「{text}」不是評估集；可用 development、test、cbp、datasets（全部資料集）或 dataset:名稱[@版本]"
            ),
            ConfigProblem::EvalSet(EvalSetProblem::Ref(problem)) => {
                format!("{field}：{}", ref_zh(problem))
            }
            ConfigProblem::NoSuchVersion { reference, .. } => {
                format!("{field}：沒有資料集版本 {reference}")
            }
            ConfigProblem::Lookup { error, .. } => {
                format!("{field}：目前無法查詢資料集（{error}）")
            }
        }
    }
}
