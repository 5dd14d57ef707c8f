//! Problems on pages in the reader's language: the domain crates' problems, which they keep
//! as data (`eapp::Issue`, workflow and decision errors), and the server's own details.
//!
//! English pages keep each problem's English `detail` and `message`, the same words the JSON
//! API gives; Chinese pages word the data here. Field names become the pages' labels.

use crate::Problem;
use crate::problem::Say;

use super::{Lang, aeo, eapp as words, vehicles};

/// A problem's detail and its per-field errors as one sentence for a page's alert.
pub(crate) fn problem_text(lang: Lang, p: &Problem) -> String {
    match lang {
        Lang::En => {
            let mut text = p.detail.clone();
            for e in &p.errors {
                text.push_str(&format!(" {}: {}.", e.field, e.message));
            }
            text
        }
        Lang::ZhTw => {
            let mut text = detail_text(lang, p);
            for e in &p.errors {
                text.push_str(&format!(
                    "{}：{}。",
                    field_name(lang, &e.field),
                    field_message(lang, e)
                ));
            }
            text
        }
    }
}

/// The problem's detail alone in the reader's language.
pub(crate) fn detail_text(lang: Lang, p: &Problem) -> String {
    match (&p.said, lang) {
        (Some(said), Lang::ZhTw) => said.say(lang),
        _ => p.detail.clone(),
    }
}

/// One field's problem in the reader's language.
pub(crate) fn field_message(lang: Lang, e: &crate::problem::FieldProblem) -> String {
    match (&e.said, lang) {
        (Some(said), Lang::ZhTw) => said.say(lang),
        _ => e.message.clone(),
    }
}

/// A field's name as the pages label it; unknown names stay as they are.
pub(crate) fn field_name(lang: Lang, name: &str) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    if let Some(profile) = name.strip_prefix("profile.") {
        return (aeo::t(lang).profile)(profile).map_or_else(|| name.to_string(), str::to_string);
    }
    if let Some(question) = name.strip_prefix("responses.") {
        return format!("自評問卷題目 {question}");
    }
    if let Some((label, _)) = (words::t(lang).field)(name) {
        return label.to_string();
    }
    if let Some(i) = ::vehicles::ClearanceInput::FIELDS
        .iter()
        .position(|f| *f == name)
    {
        return vehicles::t(lang).labels[i].to_string();
    }
    match name {
        "code" | "decision_code" => words::t(lang).decided_code.to_string(),
        "reasons" => "理由".into(),
        "findings" => "實地查核結果".into(),
        "visit_date" => "實地查核日期".into(),
        "grant" => "核定類別".into(),
        "operator_roles" => "業者類別".into(),
        "row" => "整列".into(),
        "file" => "檔案".into(),
        "name" => "名稱".into(),
        "source" => "來源".into(),
        _ => name.to_string(),
    }
}

/// A list in Chinese: 甲、乙、丙.
pub(crate) fn zh_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("、")
}

impl Say for ::eapp::Issue {
    fn say(&self, lang: Lang) -> String {
        use ::eapp::Issue as I;
        if lang == Lang::En {
            return self.to_string();
        }
        let t = words::t(lang);
        match self {
            I::Required => "必填".into(),
            I::RulingNeedsCode => "必填：核准稅則預先歸列須載明所核定的稅則號列".into(),
            I::CodeOnlyForRulings => "僅於核准稅則預先歸列申請時填寫".into(),
            I::NotAField { kind, known } => {
                let known: Vec<String> = known.iter().map(|f| field_name(lang, f)).collect();
                format!(
                    "不是「{}」的欄位；此類申請的欄位為：{}",
                    (t.title)(*kind),
                    zh_list(&known)
                )
            }
            I::HsCodeShape => "格式不正確，須為 6 位數 HS 號列，例如 0813.40 或 081340".into(),
            I::HsCodeNotInTariff { code } => format!("HS 號列 {code} 不在稅則中"),
            I::ControlCharacters => "不得包含控制字元".into(),
            I::NotOneLine => "須為單行文字，且不得包含控制字元".into(),
            I::TooLong { max, got } => format!("最多 {max} 個字（目前為 {got} 個字）"),
            I::DeclarationNumber { got } => {
                format!("格式不正確，須為 14 碼英文字母或數字（目前為 {got} 碼）")
            }
            I::NotPositive => "須大於零".into(),
            I::AmountShape => "格式不正確，須為金額，例如 12,500 或 12500.50".into(),
            I::TooManyDecimals => "小數最多 2 位".into(),
            I::TooManyDigits { max } => format!("整數部分最多 {max} 位"),
            I::DateShape => "格式不正確，須為 yyyy-mm-dd 格式的日期，例如 2026-03-31".into(),
            I::NotACalendarDate { raw } => format!("{raw} 不是有效的日期"),
            I::CountryShape => "格式不正確，須為兩碼 ISO 3166-1 國家代碼，例如 TW 或 JP".into(),
            I::UnknownCountry { code } => format!("{code} 不是有效的 ISO 3166-1 國家代碼"),
            I::NotInRange { min, max } => format!("須為 {min} 至 {max} 之間的整數"),
            I::NotAChoice { values } => {
                let labels: Vec<&str> =
                    values.iter().map(|v| (t.choice)(v).unwrap_or(*v)).collect();
                format!("須為下列之一：{}", zh_list(&labels))
            }
            I::ReasonsTooShort { action, min, got } => {
                let what = match action {
                    ::eapp::Action::RequestInfo => "須說明需補正的資料",
                    _ => "須說明駁回理由",
                };
                format!("{what}，至少 {min} 個字（目前為 {got} 個字）")
            }
        }
    }
}

fn eapp_party(party: ::eapp::Party) -> &'static str {
    match party {
        ::eapp::Party::Applicant => "申請人",
        ::eapp::Party::Officer => "海關關員",
    }
}

impl Say for ::eapp::TransitionError {
    fn say(&self, lang: Lang) -> String {
        use ::eapp::{TRANSITIONS, TransitionError as E};
        if lang == Lang::En {
            return self.to_string();
        }
        let t = words::t(lang);
        let step = |a: ::eapp::Action| (t.event)(a.as_str());
        match *self {
            E::WrongParty { action, party } => {
                let entitled: Vec<&str> = ::eapp::entitled_parties(action)
                    .into_iter()
                    .map(eapp_party)
                    .collect();
                format!(
                    "只有{}可以{}，{}不能",
                    entitled.join("或"),
                    step(action),
                    eapp_party(party)
                )
            }
            E::NotAllowed { from, action } => {
                let allowed: Vec<String> = TRANSITIONS
                    .iter()
                    .filter(|(f, _, _, _)| *f == from)
                    .map(|(_, a, p, _)| format!("{}（{}）", step(*a), eapp_party(*p)))
                    .collect();
                let head = format!("案件狀態為「{}」，不能{}", (t.status)(from), step(action));
                if allowed.is_empty() {
                    format!("{head}：已無後續步驟")
                } else {
                    format!("{head}；可執行的步驟：{}", zh_list(&allowed))
                }
            }
        }
    }
}

/// The server's own details of problems that reach pages.
#[derive(Debug, Clone)]
pub(crate) enum Detail {
    FormHasErrors,
    CompleteBeforeSubmitting,
    DecisionIncomplete,
    /// The record changed since it was read; now at this version.
    Stale(i64),
    NoSuchRecord,
    /// The store failed; nothing was changed.
    NotStored,
}

impl Say for Detail {
    fn say(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhTw;
        match self {
            Detail::FormHasErrors if zh => "表單有誤。".into(),
            Detail::FormHasErrors => "The form has errors.".into(),
            Detail::CompleteBeforeSubmitting if zh => "送件前請先填妥表單。".into(),
            Detail::CompleteBeforeSubmitting => "Complete the form before you submit it.".into(),
            Detail::DecisionIncomplete if zh => "決定內容不完整。".into(),
            Detail::DecisionIncomplete => "The decision is incomplete.".into(),
            Detail::Stale(current) if zh => {
                format!("您讀取後此筆資料已有變更，目前為第 {current} 版；請重新載入後再試。")
            }
            Detail::Stale(current) => format!(
                "The record changed since you read it; it is now at version {current}. Reload and try again."
            ),
            Detail::NoSuchRecord if zh => "查無此筆資料。".into(),
            Detail::NoSuchRecord => "No such record.".into(),
            Detail::NotStored if zh => "無法儲存此要求，未做任何變更。".into(),
            Detail::NotStored => "The request could not be stored; nothing was changed.".into(),
        }
    }
}

/// A domain problem said as a sentence of its own (a page's alert), not after a field's name.
#[derive(Debug)]
pub(crate) struct Sentence<T>(pub T);

impl<T: Say> Say for Sentence<T> {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.0.say(lang),
            Lang::ZhTw => format!("{}。", self.0.say(lang)),
        }
    }
}

/// The server's words about a refused upload (an attachment or AEO evidence).
#[derive(Debug, Clone)]
pub(crate) enum UploadSaid {
    /// The type sent, and those accepted.
    MediaType(String, Vec<&'static str>),
    /// The content does not start as this type's files do.
    Content(String),
    FileName,
    /// Only drafts and cases waiting for more information take attachments.
    NotNow,
    /// The most attachments one application holds.
    TooMany(usize),
}

impl Say for UploadSaid {
    fn say(&self, lang: Lang) -> String {
        use UploadSaid as U;
        match (self, lang) {
            (U::MediaType(sent, known), Lang::En) => format!(
                "Content-Type {sent:?} is not accepted; send one of {}.",
                known.join(", ")
            ),
            (U::MediaType(sent, known), Lang::ZhTw) => format!(
                "不接受檔案類型「{sent}」；請上傳下列類型之一：{}。",
                zh_list(known)
            ),
            (U::Content(media_type), Lang::En) => {
                format!("The file's content is not {media_type}.")
            }
            (U::Content(media_type), Lang::ZhTw) => {
                format!("檔案內容與類型 {media_type} 不符。")
            }
            (U::FileName, Lang::En) => {
                "filename: 1 to 200 characters, without path separators or control characters."
                    .into()
            }
            (U::FileName, Lang::ZhTw) => {
                "檔名須為 1 至 200 個字，且不得包含路徑分隔符號或控制字元。".into()
            }
            (U::NotNow, Lang::En) => {
                "Attachments can be added to drafts and to applications waiting for more information."
                    .into()
            }
            (U::NotNow, Lang::ZhTw) => "僅草稿及待補件的申請案件可以新增附件。".into(),
            (U::TooMany(n), Lang::En) => format!("An application holds at most {n} attachments."),
            (U::TooMany(n), Lang::ZhTw) => format!("每件申請案件最多 {n} 個附件。"),
        }
    }
}
