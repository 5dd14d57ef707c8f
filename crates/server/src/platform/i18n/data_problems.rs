//! A labelled data set's refused rows on the data set pages in the reader's language: the
//! `platform` crate's `ParseError` and `RowProblem`, which keep what is wrong as data, and
//! the server's own words about a registration it refused.

use ::platform::{HeaderError, ParseError, RowProblem, SourceError};

use super::Lang;
use super::problems::zh_list;
use crate::problem::Say;

impl Say for RowProblem {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            RowProblem::NotUtf8 => "不是 UTF-8 文字".into(),
            RowProblem::IdUsed { id, first } => format!("id「{id}」已用於第 {first} 行"),
            RowProblem::Unreadable(error) => format!("無法以 CSV 格式讀取此列（{error}）"),
            RowProblem::FieldCount { found, header } => {
                format!("有 {found} 個欄位，標題列有 {header} 個")
            }
            RowProblem::NotJson {
                column,
                cut_short: true,
                ..
            } => {
                format!("不是完整的 JSON：此行在第 {column} 個字元處提前結束，缺少結尾的引號或括號")
            }
            RowProblem::NotJson { column, detail, .. } => {
                format!("不是有效的 JSON：第 {column} 個字元處有語法錯誤（{detail}）")
            }
            RowProblem::NotAnObject => "不是 JSON 物件".into(),
            RowProblem::CodeAsNumber => "code 須為字串：以數字表示會遺失開頭的 0".into(),
            RowProblem::NotAString { key } => format!("{key} 須為字串"),
            RowProblem::TextEmpty => "text 為空白".into(),
            RowProblem::TextTooLong { chars, max } => {
                format!("text 有 {chars} 個字，最多 {max} 個字")
            }
            RowProblem::IdTooLong { max } => format!("id 最多 {max} 個可列印字元"),
            RowProblem::SourceTooLong { max } => format!("source 最多 {max} 個字"),
            RowProblem::CodeEmpty => "code 為空白".into(),
            RowProblem::CodeDigits { raw } => format!("code「{raw}」不是 2 至 11 位數字"),
        }
    }
}

impl Say for ParseError {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ParseError::Empty => "檔案沒有資料列".into(),
            ParseError::Header(HeaderError::Unreadable(error)) => {
                format!("第 1 行：無法以 CSV 格式讀取標題列（{error}）")
            }
            ParseError::Header(HeaderError::MissingColumns) => {
                "第 1 行：標題列須有 text（或 description）欄位及 code 欄位；id 與 source 欄位可省略"
                    .into()
            }
            ParseError::TooManyRows { rows, max } => {
                format!("共 {rows} 列：每個資料集最多 {max} 列")
            }
            ParseError::Rows {
                bad_lines, rows, ..
            } => format!(
                "{rows} 列中有 {bad_lines} 列無法使用，因此全部未採用；請更正後重新上傳整個檔案"
            ),
        }
    }
}

impl Say for SourceError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (SourceError::Unknown(got), Lang::ZhTw) => {
                format!("來源須為「shared:資料夾」或「rulings」，收到「{got}」")
            }
            (SourceError::BadFolder(folder), Lang::ZhTw) => {
                format!("「{folder}」不是有效的標註資料夾名稱")
            }
        }
    }
}

/// Why a registration was refused, in the server's words.
#[derive(Debug, Clone)]
pub(crate) enum Registering {
    /// The shared folder exists but cannot be read; the reader's error.
    SharedUnreadable(String),
    NoSuchFolder {
        folder: String,
        known: Vec<String>,
    },
    NoRulingsYet,
    /// `upload` named as a source: uploads send their rows.
    UploadIsNoSource,
    /// The most one file may hold.
    TooLarge {
        mib: usize,
        rows: usize,
    },
    /// The form's multipart body did not parse; the parser's words.
    BadMultipart(String),
}

impl Say for Registering {
    fn say(&self, lang: Lang) -> String {
        use Registering as R;
        match (self, lang) {
            (R::SharedUnreadable(e), Lang::En) => format!("The shared set cannot be read: {e}."),
            (R::SharedUnreadable(e), Lang::ZhTw) => format!("無法讀取共用資料集（{e}）。"),
            (R::NoSuchFolder { folder, known }, Lang::En) => format!(
                "source: no labelled folder {folder:?} in the shared data; known: {}.",
                known.join(", ")
            ),
            (R::NoSuchFolder { folder, known }, Lang::ZhTw) => format!(
                "來源：共用資料中沒有標註資料夾「{folder}」；可用的來源：{}。",
                zh_list(known)
            ),
            (R::NoRulingsYet, Lang::En) => "There are no approved advance rulings yet.".into(),
            (R::NoRulingsYet, Lang::ZhTw) => "目前尚無已核准的稅則預先歸列。".into(),
            (R::UploadIsNoSource, Lang::En) => {
                "Send the rows to upload them; a source is shared:<folder> or rulings.".into()
            }
            (R::UploadIsNoSource, Lang::ZhTw) => {
                "上傳資料請直接送出資料列；來源須為「shared:資料夾」或「rulings」。".into()
            }
            (R::TooLarge { mib, rows }, Lang::En) => {
                format!("A data set file may have at most {mib} MiB and {rows} rows; split it.")
            }
            (R::TooLarge { mib, rows }, Lang::ZhTw) => {
                format!("資料集檔案最大 {mib} MiB、{rows} 列；請分割後再上傳。")
            }
            (R::BadMultipart(e), Lang::En) => format!("Bad multipart form: {e}"),
            (R::BadMultipart(e), Lang::ZhTw) => format!("無法讀取上傳的表單內容（{e}）。"),
        }
    }
}
