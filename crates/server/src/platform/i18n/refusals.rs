//! The last refusals pages used to show in English: the rate limit, an unknown application
//! type, and the error-analysis page's checks. The English is what the JSON API says.

use super::Lang;
use crate::problem::Say;

/// A client over its requests a minute.
#[derive(Debug, Clone)]
pub(crate) struct RateLimited {
    pub per_minute: u32,
    pub retry_secs: u64,
    pub anonymous: bool,
}

impl Say for RateLimited {
    fn say(&self, lang: Lang) -> String {
        let (n, retry) = (self.per_minute, self.retry_secs);
        match lang {
            Lang::En => {
                let who = match self.anonymous {
                    true => "from this address",
                    false => "with this credential",
                };
                format!(
                    "Too many requests {who}: the limit is {n} a minute. Retry in {retry} s \
                     (Retry-After); each API key has a limit of its own."
                )
            }
            Lang::ZhTw => {
                let who = match self.anonymous {
                    true => "此網路位址",
                    false => "此帳號或金鑰",
                };
                format!(
                    "{who}的請求過多：每分鐘上限 {n} 次。請於 {retry} 秒後再試（Retry-After）；\
                     每把 API 金鑰各有自己的上限。"
                )
            }
        }
    }
}

/// The error-analysis page's refusals.
#[derive(Debug, Clone)]
pub(crate) enum Analysis {
    NoModelVersion {
        version: String,
    },
    NoCase {
        version: String,
        case_id: String,
        set: String,
    },
    BadDatasetRef {
        reason: String,
    },
    NotVersionable {
        source: String,
    },
    RowChanged {
        name: String,
        version: i64,
        case_id: String,
    },
    CodeTooShort,
    BadCode {
        reason: String,
    },
    UnknownAction {
        action: String,
    },
}

impl Say for Analysis {
    fn say(&self, lang: Lang) -> String {
        use Analysis as A;
        match (self, lang) {
            (A::NoModelVersion { version }, Lang::En) => {
                format!("There is no model version {version:?}.")
            }
            (A::NoModelVersion { version }, Lang::ZhTw) => format!("沒有模型版本 {version}。"),
            (
                A::NoCase {
                    version,
                    case_id,
                    set,
                },
                Lang::En,
            ) => {
                format!("{version} has no case {case_id:?} on {set}.")
            }
            (
                A::NoCase {
                    version,
                    case_id,
                    set,
                },
                Lang::ZhTw,
            ) => {
                format!("{version} 在 {set} 上沒有案例 {case_id}。")
            }
            (A::NotVersionable { source }, Lang::En) => format!(
                "The case comes from {source:?}, which is not a data set this platform can version."
            ),
            (A::NotVersionable { source }, Lang::ZhTw) => {
                format!("此案例來自 {source}，不是本平台能建立版本的資料集。")
            }
            (
                A::RowChanged {
                    name,
                    version,
                    case_id,
                },
                Lang::En,
            ) => format!(
                "Version {version} of {name} no longer has row {case_id}; it was changed already."
            ),
            (
                A::RowChanged {
                    name,
                    version,
                    case_id,
                },
                Lang::ZhTw,
            ) => {
                format!("{name} 的第 {version} 版已沒有第 {case_id} 列：已有人先改過。")
            }
            (A::CodeTooShort, Lang::En) => {
                "code: give the subheading (6 digits) or a national line (8 to 11).".into()
            }
            (A::CodeTooShort, Lang::ZhTw) => {
                "稅則號別：請填六位數的目（subheading）或八至十一位數的國家稅則號列。".into()
            }
            (A::BadCode { reason }, Lang::En) => format!("code: {reason}"),
            (A::BadCode { reason }, Lang::ZhTw) => format!("稅則號別無效（{reason}）。"),
            (A::BadDatasetRef { reason }, Lang::En) => reason.clone(),
            (A::BadDatasetRef { reason }, Lang::ZhTw) => format!("資料集參照無效（{reason}）。"),
            (A::UnknownAction { action }, Lang::En) => {
                format!("action is relabel or vague, not {action:?}.")
            }
            (A::UnknownAction { action }, Lang::ZhTw) => {
                format!("動作只能是「改標」（relabel）或「標為描述不清」（vague），不是 {action}。")
            }
        }
    }
}

/// An application form naming a type the service does not offer.
#[derive(Debug, Clone)]
pub(crate) struct UnknownApplicationKind;

impl Say for UnknownApplicationKind {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => "kind: unknown application type".into(),
            Lang::ZhTw => "申請類別不存在，請從清單中選擇。".into(),
        }
    }
}

/// A problem with the English of `what` as its detail, worded per language on pages.
pub(crate) fn refusal(status: axum::http::StatusCode, what: impl Say + 'static) -> crate::Problem {
    crate::Problem::new(status, what.say(Lang::En)).saying(what)
}
