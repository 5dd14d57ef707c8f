//! Records a page's address names that do not exist, in the reader's language: the page
//! layer turns the problem into a 404 page (`web::problem_page`), the API keeps the English.

use super::Lang;
use crate::Problem;
use crate::problem::Say;

#[derive(Debug, Clone)]
pub(crate) enum Missing {
    DataSet {
        name: String,
    },
    /// A data set's version as the address gave it (`3`, `v3`, or something else).
    Version {
        name: String,
        version: String,
    },
    Vehicle {
        vin: String,
    },
    Run {
        id: String,
    },
    ModelVersion,
}

impl Missing {
    pub(crate) fn problem(self) -> Problem {
        Problem::not_found(self.say(Lang::En)).saying(self)
    }
}

impl Say for Missing {
    fn say(&self, lang: Lang) -> String {
        use Missing as M;
        match (self, lang) {
            (M::DataSet { name }, Lang::En) => format!("No data set {name}."),
            (M::DataSet { name }, Lang::ZhTw) => format!("沒有名為 {name} 的資料集。"),
            (M::Version { name, version }, Lang::En) => {
                format!("No version {version} of data set {name}.")
            }
            (M::Version { name, version }, Lang::ZhTw) => {
                format!("資料集 {name} 沒有版本 {version}。")
            }
            (M::Vehicle { vin }, Lang::En) => format!("No cleared vehicle {vin}."),
            (M::Vehicle { vin }, Lang::ZhTw) => format!("查無車身號碼 {vin} 的通關紀錄。"),
            (M::Run { id }, Lang::En) => format!("There is no run {id}."),
            (M::Run { id }, Lang::ZhTw) => format!("沒有訓練作業 {id}。"),
            (M::ModelVersion, Lang::En) => "No such model version.".into(),
            (M::ModelVersion, Lang::ZhTw) => "沒有此模型版本。".into(),
        }
    }
}
