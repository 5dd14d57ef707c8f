//! The analysts' data set pages: the list with its forms, a set's versions and a
//! version's data card.

use std::fmt::Display;

use super::Lang;

pub(crate) struct Data {
    pub register: &'static str,
    pub register_intro: &'static str,
    pub name: &'static str,
    pub file_label: fn(&dyn Display, &dyn Display) -> String,
    pub source: &'static str,
    pub register_from_source: &'static str,
    pub give_name_and_file: &'static str,
    pub use_the_form: &'static str,
    pub title: &'static str,
    pub heading: &'static str,
    pub none_yet: &'static str,
    pub versions: &'static str,
    pub rows_latest: &'static str,
    pub registered: &'static str,
    /// The message after registering: created or not, version, name, rows, sha256 prefix.
    pub outcome: fn(bool, i64, &str, i64, &str) -> String,
    pub data_set: &'static str,
    pub version: &'static str,
    pub rows: &'static str,
    pub by: &'static str,
    pub data_card: &'static str,
    pub from: fn(&str, &str, &str) -> String,
    pub language: fn(&str) -> String,
    pub split_of: fn(&str) -> String,
    pub invalid_rows: &'static str,
    pub conflicting: &'static str,
    pub exact_rows: &'static str,
    pub near_pairs: &'static str,
    pub leaking_pairs: &'static str,
    pub download: &'static str,
    pub all_rows: &'static str,
    pub card_json: &'static str,
    pub leakage_json: &'static str,
    pub labels: &'static str,
    pub per_section: &'static str,
    pub per_chapter: &'static str,
    pub per_language: &'static str,
    pub per_split: &'static str,
    pub invalid_codes: &'static str,
    pub invalid_text: fn(&dyn Display, &dyn Display, bool) -> String,
    pub code: &'static str,
    pub why: &'static str,
    pub ids: &'static str,
    pub conflicts: &'static str,
    pub conflicts_text: fn(&dyn Display, &dyn Display) -> String,
    pub text: &'static str,
    pub codes_rows_ids: &'static str,
    pub duplicates: &'static str,
    pub duplicates_text: fn(&dyn Display, &dyn Display) -> String,
    pub near_text: fn(&dyn Display) -> String,
    pub leakage: &'static str,
    pub leakage_text: fn(&dyn Display, &dyn Display, &dyn Display) -> String,
    pub sample: &'static str,
    pub id: &'static str,
    pub split: &'static str,
    pub similar_text: &'static str,
}

pub(crate) static EN: Data = Data {
    register: "Register a data set",
    register_intro: "A new upload under an existing name is its next version; identical content adds no version.",
    name: "Name ",
    file_label: |mib, rows| {
        format!(
            "File: CSV (columns text or description, code; id and source optional) or JSON Lines, at most {mib} MiB and {rows} rows "
        )
    },
    source: "Source ",
    register_from_source: "Register from source",
    give_name_and_file: "Give a name and choose a file.",
    use_the_form: "Send the form from the data sets page.",
    title: "Data sets",
    heading: "Labelled data sets",
    none_yet: "No data set is registered yet.",
    versions: "Versions",
    rows_latest: "Rows (latest)",
    registered: "Registered",
    outcome: |created, version, name, rows, sha| {
        if created {
            format!("Version {version} of {name} registered: {rows} rows.")
        } else {
            format!("Identical to version {version} of {name} (sha256 {sha}…): no new version.")
        }
    },
    data_set: "Data set ",
    version: "Version",
    rows: "Rows",
    by: "By",
    data_card: "Data card: ",
    from: |source, at, by| format!("From {source}, registered {at} by {by}."),
    language: |l| format!("Language {l}"),
    split_of: |l| format!("Split {l}"),
    invalid_rows: "Invalid codes (rows)",
    conflicting: "Conflicting texts",
    exact_rows: "Exact duplicate rows",
    near_pairs: "Near-duplicate pairs",
    leaking_pairs: "Leaking pairs",
    download: "Download (JSON Lines): ",
    all_rows: "all rows",
    card_json: "The card as JSON",
    leakage_json: "leakage as JSON",
    labels: "Labels",
    per_section: "Rows per section",
    per_chapter: "Rows per chapter",
    per_language: "Rows per language",
    per_split: "Rows per split",
    invalid_codes: "Invalid codes",
    invalid_text: |rows, codes, national| {
        format!(
            "{rows} rows carry {codes} codes that are not in HS 2022{}.",
            if national {
                " or, for 8 to 11 digits, not in Taiwan's tariff"
            } else {
                ""
            }
        )
    },
    code: "Code",
    why: "Why",
    ids: "Ids",
    conflicts: "Conflicts",
    conflicts_text: |texts, rows| {
        format!("{texts} normalised texts ({rows} rows) carry codes that disagree.")
    },
    text: "Text",
    codes_rows_ids: "Codes (rows: ids)",
    duplicates: "Duplicates",
    duplicates_text: |groups, extra| {
        format!(
            "{groups} groups of exact duplicates (same normalised text and code): {extra} rows beyond the first of each."
        )
    },
    near_text: |pairs| format!("{pairs} pairs of near duplicates: "),
    leakage: "Leakage between splits",
    leakage_text: |pairs, threshold, rows| {
        format!(
            "{pairs} near-duplicate pairs (Jaccard ≥ {threshold}) fall into different splits, touching {rows} rows. Split rule: "
        )
    },
    sample: "Sample",
    id: "Id",
    split: "Split",
    similar_text: "Similar text",
};

pub(crate) static ZH_TW: Data = Data {
    register: "登錄資料集",
    register_intro: "以既有名稱上傳，即成為該資料集的下一個版本；內容完全相同則不新增版本。",
    name: "名稱 ",
    file_label: |mib, rows| {
        format!(
            "檔案：CSV（欄位 text 或 description、code；id 與 source 可省略）或 JSON Lines，上限 {mib} MiB、{rows} 筆 "
        )
    },
    source: "來源 ",
    register_from_source: "從來源登錄",
    give_name_and_file: "請輸入名稱並選擇檔案。",
    use_the_form: "請從資料集頁面送出表單。",
    title: "資料集",
    heading: "已標註資料集",
    none_yet: "尚未登錄任何資料集。",
    versions: "版本數",
    rows_latest: "筆數（最新版）",
    registered: "登錄時間",
    outcome: |created, version, name, rows, sha| {
        if created {
            format!("已登錄 {name} 第 {version} 版：共 {rows} 筆。")
        } else {
            format!("與 {name} 第 {version} 版相同（sha256 {sha}…）：未新增版本。")
        }
    },
    data_set: "資料集 ",
    version: "版本",
    rows: "筆數",
    by: "登錄者",
    data_card: "資料卡：",
    from: |source, at, by| format!("來源：{source}；由 {by} 於 {at} 登錄。"),
    language: |l| format!("語言 {l}"),
    split_of: |l| format!("切分 {l}"),
    invalid_rows: "無效號列（筆數）",
    conflicting: "互相衝突的文字",
    exact_rows: "完全重複的筆數",
    near_pairs: "近似重複組數",
    leaking_pairs: "跨切分洩漏組數",
    download: "下載（JSON Lines）：",
    all_rows: "全部資料",
    card_json: "資料卡 JSON",
    leakage_json: "洩漏分析 JSON",
    labels: "標籤分布",
    per_section: "各類筆數",
    per_chapter: "各章筆數",
    per_language: "各語言筆數",
    per_split: "各切分筆數",
    invalid_codes: "無效號列",
    invalid_text: |rows, codes, national| {
        format!(
            "{rows} 筆資料使用了 {codes} 個不在 HS 2022 中{}的號列。",
            if national {
                "（8 至 11 位數者則為不在我國稅則中）"
            } else {
                ""
            }
        )
    },
    code: "號列",
    why: "原因",
    ids: "編號",
    conflicts: "標註衝突",
    conflicts_text: |texts, rows| {
        format!("{texts} 則正規化後的文字（{rows} 筆）標註了互相矛盾的號列。")
    },
    text: "文字",
    codes_rows_ids: "號列（筆數：編號）",
    duplicates: "重複資料",
    duplicates_text: |groups, extra| {
        format!(
            "完全重複（正規化文字與號列皆相同）共 {groups} 組：扣除每組第一筆後多出 {extra} 筆。"
        )
    },
    near_text: |pairs| format!("近似重複共 {pairs} 組："),
    leakage: "切分間的資料洩漏",
    leakage_text: |pairs, threshold, rows| {
        format!(
            "{pairs} 組近似重複（Jaccard ≥ {threshold}）分屬不同切分，涉及 {rows} 筆。切分規則："
        )
    },
    sample: "樣本",
    id: "編號",
    split: "切分",
    similar_text: "相似文字",
};

pub(crate) fn t(lang: Lang) -> &'static Data {
    match lang {
        Lang::En => &EN,
        Lang::ZhTw => &ZH_TW,
    }
}
