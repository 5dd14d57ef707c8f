//! The open data query builder's refusals on the dataset page in the reader's language: the
//! `opendata` crate's `QueryError`, which keeps the parameter and what it allows as data.

use opendata::query::{MAX_SIZE, OPERATORS, RESERVED};
use opendata::{ColumnType, CursorFault, QueryError};

use super::Lang;
use super::badges::type_zh;
use super::problems::zh_list;
use crate::problem::Say;

const TYPES: [ColumnType; 5] = [
    ColumnType::Text,
    ColumnType::Integer,
    ColumnType::Decimal,
    ColumnType::Date,
    ColumnType::Boolean,
];

/// What a value should look like, from the crate's English example of a column type.
fn expected_zh(expected: &str) -> String {
    match TYPES.into_iter().find(|t| t.example() == expected) {
        Some(ColumnType::Text) => "任意文字".into(),
        Some(ColumnType::Integer) => "整數，例如 2024".into(),
        Some(ColumnType::Decimal) => "小數，例如 12.50".into(),
        Some(ColumnType::Date) => "日期，例如 2024-01-31".into(),
        Some(ColumnType::Boolean) => "true 或 false".into(),
        None => expected.to_string(),
    }
}

/// Why a `_next` cursor was refused.
fn cursor_fault_zh(fault: &CursorFault) -> String {
    match fault {
        CursorFault::TooLong => "過長".into(),
        CursorFault::NotBase64 => "不是 URL 安全的 base64 編碼".into(),
        CursorFault::NotAPayload => "內容不是分頁游標".into(),
        CursorFault::OtherSort { made_for, this } => {
            let said = |sort: &Option<String>| sort.clone().unwrap_or_else(|| "未排序".into());
            format!(
                "此游標是為 {} 產生的，本次查詢為 {}；請使用相同的排序",
                said(made_for),
                said(this)
            )
        }
        CursorFault::UnknownSortColumn => "排序欄位不存在".into(),
        CursorFault::SortValueType => "排序值的型別不符".into(),
        CursorFault::KeyLength => "主鍵欄位數不符".into(),
        CursorFault::KeyType => "主鍵值的型別不符".into(),
    }
}

impl Say for QueryError {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            QueryError::UnknownColumn {
                param,
                column,
                columns,
            } => format!(
                "參數「{param}」中的欄位「{column}」不存在；可用欄位：{}",
                zh_list(columns)
            ),
            QueryError::UnknownOperator { param, operator } => format!(
                "參數「{param}」中的運算子「{operator}」不存在；可用運算子：{}",
                zh_list(&OPERATORS)
            ),
            QueryError::UnknownParameter { param } => format!(
                "未知的參數「{param}」；以 _ 開頭的參數為：{}",
                zh_list(&RESERVED)
            ),
            QueryError::BadValue {
                param,
                value,
                expected,
            } => format!(
                "參數「{param}」須為{}，收到「{value}」",
                expected_zh(expected)
            ),
            QueryError::NotText {
                param,
                column,
                kind,
                text_columns,
            } => format!(
                "參數「{param}」的 contains 運算子僅適用於文字欄位；「{column}」為{}欄位；文字欄位為：{}",
                type_zh(*kind),
                zh_list(text_columns)
            ),
            QueryError::BadSize { param, value } => {
                format!("參數「{param}」須為 1 至 {MAX_SIZE} 的整數，收到「{value}」")
            }
            QueryError::BadFormat { param, value } => format!(
                "參數「{param}」的格式「{value}」不支援；可用格式：csv、json、jsonl、parquet"
            ),
            QueryError::Repeated { param } => {
                format!("參數「{param}」重複；排序只能指定一個：_sort=欄位 或 _sort_desc=欄位")
            }
            QueryError::BadCursor { param, reason } => format!(
                "參數「{param}」不是此資料集的分頁游標（{}）；請移除 {param} 後重新查詢",
                cursor_fault_zh(reason)
            ),
        }
    }
}
