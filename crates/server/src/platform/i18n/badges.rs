//! The open data quality badges in the reader's language: their names, results and the
//! findings behind them (which the `opendata` crate keeps as data).

use opendata::{Badge, BadgeStatus, ColumnType, Finding, TableError};

use super::Lang;
use super::problems::zh_list;

/// The badge's name: `complete`, `fresh` or `valid` in English.
pub(crate) fn name(lang: Lang, badge: &Badge) -> &'static str {
    match (lang, badge.name) {
        (Lang::ZhTw, "complete") => "完整性",
        (Lang::ZhTw, "fresh") => "即時性",
        (Lang::ZhTw, "valid") => "正確性",
        _ => badge.name,
    }
}

/// The badge's result as its SVG shows it.
pub(crate) fn result(lang: Lang, status: BadgeStatus) -> &'static str {
    match (lang, status) {
        (Lang::En, BadgeStatus::Pass) => "pass",
        (Lang::En, BadgeStatus::Fail) => "fail",
        (Lang::En, BadgeStatus::NotApplicable) => "n/a",
        (Lang::ZhTw, BadgeStatus::Pass) => "通過",
        (Lang::ZhTw, BadgeStatus::Fail) => "未通過",
        (Lang::ZhTw, BadgeStatus::NotApplicable) => "不適用",
    }
}

/// The sentence saying why.
pub(crate) fn detail(lang: Lang, badge: &Badge) -> String {
    match lang {
        Lang::En => badge.detail.clone(),
        Lang::ZhTw => finding_zh(&badge.finding),
    }
}

/// The badge as a small SVG in the reader's language.
pub(crate) fn svg(lang: Lang, badge: &Badge) -> String {
    match lang {
        Lang::En => badge.to_svg(),
        Lang::ZhTw => badge.to_svg_in(
            name(lang, badge),
            result(lang, badge.status),
            &detail(lang, badge),
        ),
    }
}

pub(crate) fn type_zh(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Text => "文字",
        ColumnType::Integer => "整數",
        ColumnType::Decimal => "小數",
        ColumnType::Date => "日期",
        ColumnType::Boolean => "布林值",
    }
}

fn table_error_zh(e: &TableError) -> String {
    match e {
        TableError::Arity {
            row,
            expected,
            found,
        } => format!("第 {row} 列有 {found} 個值，但結構定義有 {expected} 個欄位"),
        TableError::WrongType {
            row,
            column,
            expected,
            found,
        } => format!(
            "第 {row} 列「{column}」欄：應為{}，實為{}",
            type_zh(*expected),
            type_zh(*found)
        ),
        TableError::NullInRequired { row, column } => {
            format!("第 {row} 列「{column}」欄：必填欄位為空值")
        }
        TableError::DuplicateKey { row, first, key } => {
            format!("第 {row} 列的主鍵（{key}）與第 {first} 列重複")
        }
    }
}

fn finding_zh(finding: &Finding) -> String {
    match finding {
        Finding::NullsInRequired(columns) => {
            let listed: Vec<String> = columns
                .iter()
                .map(|(c, n)| format!("{c}（{n} 筆）"))
                .collect();
            format!("必填欄位有空值：{}。", zh_list(&listed))
        }
        Finding::NoNullsInRequired {
            optional_filled: None,
        } => "必填欄位皆無空值。".into(),
        Finding::NoNullsInRequired {
            optional_filled: Some(percent),
        } => format!("必填欄位皆無空值；選填欄位填寫率 {percent}%。"),
        Finding::NoSchedule => "未承諾更新頻率。".into(),
        Finding::NeverReleased => "尚未發布。".into(),
        Finding::DatedAfterToday { last } => format!("最近一次發布日期 {last} 晚於今天。"),
        Finding::Fresh { last, age, max_age } => {
            format!("{last} 發布（{age} 天前）；每 {max_age} 天更新。")
        }
        Finding::Overdue { last, age, max_age } => {
            format!("{last} 發布（{age} 天前）；已逾期，應每 {max_age} 天更新。")
        }
        Finding::AllRowsMatch { rows } => format!("全部 {rows} 列皆符合結構定義。"),
        Finding::RowsDoNotMatch(problems) => {
            let listed: Vec<String> = problems.iter().map(table_error_zh).collect();
            format!("部分資料列不符合結構定義：{}。", listed.join("；"))
        }
    }
}
