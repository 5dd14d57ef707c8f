//! Refused writes on pages in the reader's language: the store's `Taken` (a unique key found
//! a record already there) and `Clash` (a change that does not fit a record's state), which
//! keep the record and its state as data.

use store::{Clash, Taken};

use super::{Lang, training};
use crate::problem::Say;

/// A model version's or a run's stored status, as the training pages call it.
fn status_zh(status: &str) -> &str {
    (training::t(Lang::ZhTw).status)(status)
}

/// What already exists, as a whole sentence.
impl Say for Taken {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return format!("{self} already exists.");
        }
        let what = match self {
            Taken::Company { id } => format!("公司 {id}"),
            Taken::User { email } => format!("使用者 {email}"),
            Taken::ApiKey => "此 API 金鑰".into(),
            Taken::AeoApplication { reference } => format!("AEO 申請案 {reference}"),
            Taken::AeoCertificateNumber => "此 AEO 證書號碼".into(),
            Taken::Dataset { name } => format!("資料集 {name}"),
            Taken::Version { name, version } => format!("{name} 的第 {version} 版"),
            Taken::ModelVersion { version } => format!("模型版本 {version}"),
            Taken::Clearance { vin, certificate } => {
                format!("車身號碼 {vin} 或完稅證明書號碼 {certificate} 的通關紀錄")
            }
            Taken::Certificate => "使用此完稅證明書號碼的通關紀錄".into(),
        };
        format!("{what}已存在。")
    }
}

impl Say for Clash {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Clash::RunNotCancellable { id, status } => format!(
                "訓練作業 #{id} 目前為「{}」；只有排隊中或訓練中的作業可以取消",
                status_zh(status)
            ),
            Clash::NotRegistered { version, status } => format!(
                "{version} 目前為「{}」；須為已登錄的版本才能提請審核",
                status_zh(status)
            ),
            Clash::AlreadyServes { version } => format!("{version} 已在服務中"),
            Clash::NotProposed { version, status } => format!(
                "{version} 目前為「{}」；只有待審核的版本可以核准",
                status_zh(status)
            ),
            Clash::SameReviewer => "雙人覆核：提議此版本的人不能核准它".into(),
            Clash::NotAProposal { version, status } => format!(
                "{version} 目前為「{}」；只有待審核的版本可以駁回",
                status_zh(status)
            ),
            Clash::NothingToRollBack => "沒有可復原的版本：目前使用的是系統內建模型".into(),
        }
    }
}
