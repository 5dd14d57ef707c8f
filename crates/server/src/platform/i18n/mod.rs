//! The platform pages' words in English and Traditional Chinese, one module per page family.
//!
//! The same pattern as `web::i18n`: a struct per family, so a missing translation is a
//! compile error, and the language comes from `Lang::negotiate` through `PageCtx`. Only
//! pages use these; JSON APIs and problem bodies stay English.

pub(crate) mod aeo;
pub(crate) mod aeo_problems;
mod aeo_questions;
pub(crate) mod badges;
pub(crate) mod data;
pub(crate) mod data_problems;
pub(crate) mod eapp;
pub(crate) mod missing;
pub(crate) mod opendata;
pub(crate) mod problems;
pub(crate) mod query_problems;
pub(crate) mod refusals;
pub(crate) mod run_problems;
pub(crate) mod session;
mod store_problems;
pub(crate) mod training;
pub(crate) mod vehicle_problems;
pub(crate) mod vehicles;

pub(crate) use crate::web::Lang;

/// Words every platform page family uses.
pub(crate) struct Common {
    pub not_allowed: &'static str,
    pub not_found: &'static str,
    pub as_json: &'static str,
    pub history: &'static str,
    pub next_steps: &'static str,
    pub status: &'static str,
    pub reference: &'static str,
    pub company: &'static str,
    pub updated: &'static str,
    pub search: &'static str,
    pub upload: &'static str,
    pub bytes: fn(i64) -> String,
    pub confidential: &'static str,
}

pub(crate) static COMMON_EN: Common = Common {
    not_allowed: "Not allowed",
    not_found: "Not found",
    as_json: "As JSON",
    history: "History",
    next_steps: "Next steps",
    status: "Status",
    reference: "Reference",
    company: "Company",
    updated: "Updated",
    search: "Search",
    upload: "Upload",
    bytes: |n| format!("{n} bytes"),
    confidential: "confidential",
};

pub(crate) static COMMON_ZH_TW: Common = Common {
    not_allowed: "無權限",
    not_found: "找不到",
    as_json: "JSON 格式",
    history: "處理紀錄",
    next_steps: "下一步",
    status: "狀態",
    reference: "案號",
    company: "公司",
    updated: "更新日期",
    search: "搜尋",
    upload: "上傳",
    bytes: |n| format!("{n} 位元組"),
    confidential: "機密",
};

pub(crate) fn common(lang: Lang) -> &'static Common {
    match lang {
        Lang::En => &COMMON_EN,
        Lang::ZhTw => &COMMON_ZH_TW,
    }
}

/// The page's message for a sign-in or access problem in the reader's language.
pub(crate) fn denied_text(lang: Lang, denied: &auth::Denied) -> String {
    match lang {
        Lang::En => format!("{denied}."),
        Lang::ZhTw => match denied {
            auth::Denied::Unauthenticated => "請先登入或提供 API 金鑰。".into(),
            auth::Denied::Forbidden => "您的角色無權執行此操作。".into(),
            auth::Denied::MissingScope(scope) => format!("此 API 金鑰缺少權限範圍 {scope}。"),
        },
    }
}
