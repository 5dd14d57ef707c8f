//! The vehicle clearance problems on pages: the `vehicles` crate's issues (kept as data) and
//! the server's own details of a refused record or CSV import, in the reader's language.

use ::vehicles::{FileError, HeaderProblem, Issue, VinError};

use super::Lang;
use super::problems::{field_name, zh_list};
use crate::problem::Say;

impl Say for VinError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (VinError::Length(found), Lang::ZhTw) => {
                format!("車身號碼須為 17 碼，目前為 {found} 碼")
            }
            (VinError::InvalidChar { position, ch }, Lang::ZhTw) => format!(
                "第 {position} 碼「{ch}」不得用於車身號碼（僅限 A-Z（不含 I、O、Q）及 0-9）"
            ),
            (VinError::CheckDigit { expected, found }, Lang::ZhTw) => {
                format!("第 9 碼檢查碼為「{found}」，依車身號碼應為「{expected}」")
            }
        }
    }
}

impl Say for Issue {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Issue::Required => "必填".into(),
            Issue::TooLong { max } => format!("最多 {max} 個字"),
            Issue::ControlCharacters => "不得包含控制字元".into(),
            Issue::NotWholeNumber { value } => format!("「{value}」不是整數"),
            Issue::OutOfRange { value } => format!("「{value}」超出範圍"),
            Issue::DeclarationLength { expected, found } => {
                format!("格式不正確，須為 {expected} 碼英文字母或數字（目前為 {found} 碼）")
            }
            Issue::DeclarationCharacter { ch } => {
                format!("格式不正確，僅能包含英文字母及數字（含有「{ch}」）")
            }
            Issue::DateShape { value } => {
                format!("「{value}」格式不正確，日期須為 YYYY-MM-DD")
            }
            Issue::DateBefore1900 { value } => format!("「{value}」早於 1900 年"),
            Issue::NotACalendarDate { value } => format!("「{value}」不是有效的日期"),
            Issue::AmountShape { value } => {
                format!("「{value}」格式不正確，金額須如 1234 或 1234.56")
            }
            Issue::TooManyDecimals { value } => format!("「{value}」小數超過兩位"),
            Issue::ImplausiblyLarge { value } => format!("「{value}」金額過大，不合理"),
            Issue::Vin(e) => e.say(lang),
            Issue::ModelYearOutside { year, min, max } => {
                format!("{year} 不在 {min} 至 {max} 年之間")
            }
            Issue::UnknownFuel { value } => format!("「{value}」不是可辨識的燃料種類"),
            Issue::EngineCapacityRequired => "內燃機車輛必填".into(),
            Issue::EngineCapacityOutside { cc, max } => format!("{cc} 不在 1 至 {max} 之間"),
            Issue::DuplicateVin { vin, first_line } => {
                format!("車身號碼 {vin} 已出現在第 {first_line} 行")
            }
            Issue::UnreadableRow { error } => format!("無法以 CSV 格式讀取此列（{error}）"),
            Issue::FieldCount { expected, found } => {
                format!("應有 {expected} 個欄位，實有 {found} 個")
            }
            Issue::NotUtf8 => "不是有效的 UTF-8 文字".into(),
            Issue::UnknownField { field } => format!("未知的欄位 {field}"),
        }
    }
}

impl Say for FileError {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            FileError::UnreadableHeader(error) => format!("無法以 CSV 格式讀取標題列（{error}）"),
            FileError::NoHeader => "檔案為空或沒有標題列".into(),
            FileError::InvalidHeader(problems) => {
                let said: Vec<String> = problems
                    .iter()
                    .map(|p| match p {
                        HeaderProblem::Duplicate(name) => format!("欄位「{name}」重複"),
                        HeaderProblem::Unknown(name) => format!("未知的欄位「{name}」"),
                        HeaderProblem::Missing(names) => {
                            let labels: Vec<String> =
                                names.iter().map(|n| field_name(lang, n)).collect();
                            format!("缺少欄位：{}", zh_list(&labels))
                        }
                    })
                    .collect();
                format!("標題列有誤：{}", said.join("；"))
            }
        }
    }
}

/// The server's own words about a refused clearance or import.
#[derive(Debug, Clone)]
pub(crate) enum VehicleDetail {
    RecordHasErrors,
    /// The file as a whole cannot be read.
    Unreadable(FileError),
    NoDataRows,
    /// Rows in the file, and the most one file may have.
    TooManyRows(usize, usize),
    /// Lines with problems, of all rows: none was imported.
    RowsRefused(usize, usize),
    /// A VIN already on record.
    VinOnRecord,
    /// A certificate number another clearance has.
    CertificateUsed,
}

impl Say for VehicleDetail {
    fn say(&self, lang: Lang) -> String {
        use VehicleDetail as D;
        match (self, lang) {
            (D::RecordHasErrors, Lang::En) => "The clearance record has errors.".into(),
            (D::RecordHasErrors, Lang::ZhTw) => "通關資料有誤。".into(),
            (D::Unreadable(e), Lang::En) => format!("The file cannot be read: {e}"),
            (D::Unreadable(e), Lang::ZhTw) => format!("無法讀取檔案：{}。", e.say(lang)),
            (D::NoDataRows, Lang::En) => "The file has no data rows.".into(),
            (D::NoDataRows, Lang::ZhTw) => "檔案沒有資料列。".into(),
            (D::TooManyRows(rows, max), Lang::En) => {
                format!("{rows} rows: at most {max} per file; split it.")
            }
            (D::TooManyRows(rows, max), Lang::ZhTw) => {
                format!("共 {rows} 列：每個檔案最多 {max} 列，請分割檔案。")
            }
            (D::RowsRefused(bad, rows), Lang::En) => format!(
                "{bad} of {rows} rows cannot be imported, so none was; fix them and send the whole file again."
            ),
            (D::RowsRefused(bad, rows), Lang::ZhTw) => format!(
                "{rows} 列中有 {bad} 列無法匯入，因此全部未匯入；請更正後重新上傳整個檔案。"
            ),
            (D::VinOnRecord, Lang::En) => "already on record; amend it instead".into(),
            (D::VinOnRecord, Lang::ZhTw) => "已有通關紀錄，請改為更正該筆資料".into(),
            (D::CertificateUsed, Lang::En) => "already used by another clearance".into(),
            (D::CertificateUsed, Lang::ZhTw) => "已被另一筆通關資料使用".into(),
        }
    }
}
