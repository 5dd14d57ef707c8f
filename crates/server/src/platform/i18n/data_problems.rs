//! A labelled data set's refused rows on the data set pages in the reader's language: the
//! `platform` crate's `ParseError` and `RowProblem`, which keep what is wrong as data.

use ::platform::{HeaderError, ParseError, RowProblem};

use super::Lang;
use crate::problem::Say;

impl Say for RowProblem {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            RowProblem::NotUtf8 => "不是 UTF-8 文字".into(),
            RowProblem::IdUsed { id, first } => format!("id「{id}」已用於第 {first} 行"),
            RowProblem::Unreadable(error) => format!("無法讀取此列：{error}"),
            RowProblem::FieldCount { found, header } => {
                format!("有 {found} 個欄位，標題列有 {header} 個")
            }
            RowProblem::NotJson(error) => format!("不是 JSON：{error}"),
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
                format!("第 1 行：{error}")
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
