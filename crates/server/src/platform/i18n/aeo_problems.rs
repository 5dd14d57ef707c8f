//! The AEO problems on pages: the `aeo` crate's workflow and decision errors (kept as data)
//! and the server's own words about a refused application or step, in the reader's language.

use ::aeo::{DecisionError, Grant, Party, TransitionError};

use super::problems::zh_list;
use super::{Lang, aeo};
use crate::problem::Say;

fn party(p: Party) -> &'static str {
    match p {
        Party::Applicant => "申請人",
        Party::Officer => "海關關員",
    }
}

impl Say for TransitionError {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let t = aeo::t(lang);
        match self {
            TransitionError::WrongParty {
                from,
                action,
                required,
                ..
            } => format!(
                "案件狀態為「{}」時，只有{}可以{}",
                (t.status)(*from),
                party(*required),
                (t.action)(*action)
            ),
            TransitionError::NotAllowed {
                from,
                action,
                party: who,
                allowed,
            } => {
                let head = format!(
                    "案件狀態為「{}」，不能{}",
                    (t.status)(*from),
                    (t.action)(*action)
                );
                if allowed.is_empty() {
                    format!("{head}；{}目前無可執行的步驟", party(*who))
                } else {
                    let steps: Vec<String> = allowed.iter().map(|a| (t.action)(*a)).collect();
                    format!("{head}；{}可執行：{}", party(*who), zh_list(&steps))
                }
            }
        }
    }
}

impl Say for DecisionError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DecisionError::GrantRequired, Lang::ZhTw) => {
                "核發認證須選定核定類別（aeo_c、aeo_s 或 both）".into()
            }
            (DecisionError::ReasonsTooShort { action }, Lang::ZhTw) => format!(
                "{}須說明理由，至少 {} 個字",
                (aeo::t(lang).action)(*action),
                ::aeo::MIN_REASON_CHARS
            ),
        }
    }
}

/// The server's own words about a refused AEO application or step: details and fields'
/// messages alike.
#[derive(Debug, Clone)]
pub(crate) enum AeoSaid {
    ApplicationHasErrors,
    RolesNeeded,
    /// Field message: one or more of these roles.
    OneOrMoreRoles(Vec<&'static str>),
    /// Field message: a profile field left empty, with its English description.
    GiveProfile(&'static str),
    UnknownProfileField,
    NoSuchQuestion,
    AnswerYesNo,
    AnswerNumber,
    AnswerText,
    AnswerEveryQuestion,
    Unanswered,
    EvidenceNeeded,
    /// Field message: evidence cited that is not one of the company's uploads.
    NotYourEvidence(String),
    UnknownGrant,
    GrantChoices,
    GrantNotSupported,
    /// Field message: what the assessment supports, if anything.
    AssessmentSupports(Option<Grant>),
    VisitNeedsDate,
    VisitDate,
    RecordFindings,
    FindingsTooShort,
    /// An open case (reference, stored status) already exists.
    CaseOpen(String, String),
    /// The refused or revoked case, and the years to wait.
    MustWait(String, i32),
    /// Field message: the decision lacks something (the error words it).
    Decision(DecisionError),
    /// The same as the problem's detail, a sentence of its own.
    DecisionSentence(DecisionError),
}

impl Say for AeoSaid {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::ZhTw => self.chinese(),
        }
    }
}

impl AeoSaid {
    fn english(&self) -> String {
        use AeoSaid as S;
        match self {
            S::ApplicationHasErrors => "The application has errors.".into(),
            S::RolesNeeded => "The operator's roles are needed.".into(),
            S::OneOrMoreRoles(known) => format!("one or more of {}", known.join(", ")),
            S::GiveProfile(label) => format!("give the {label}"),
            S::UnknownProfileField => "unknown profile field".into(),
            S::NoSuchQuestion => "no such question".into(),
            S::AnswerYesNo => "answer yes or no".into(),
            S::AnswerNumber => "answer with a number".into(),
            S::AnswerText => "answer with text".into(),
            S::AnswerEveryQuestion => {
                "Answer every question that applies to your roles, with evidence where asked."
                    .into()
            }
            S::Unanswered => "unanswered".into(),
            S::EvidenceNeeded => "evidence needed".into(),
            S::NotYourEvidence(cited) => format!("evidence {cited:?} is not one of your uploads"),
            S::UnknownGrant => "Unknown grant.".into(),
            S::GrantChoices => "one of aeo_c, aeo_s, both".into(),
            S::GrantNotSupported => "The self-assessment does not support this grant.".into(),
            S::AssessmentSupports(g) => format!(
                "the assessment supports {}",
                g.map_or("nothing", |g| g.as_str())
            ),
            S::VisitNeedsDate => "A visit needs a date.".into(),
            S::VisitDate => "a date from today on, YYYY-MM-DD".into(),
            S::RecordFindings => "Record what the visit found.".into(),
            S::FindingsTooShort => "at least 10 characters".into(),
            S::CaseOpen(reference, status) => {
                format!("Your company already has AEO case {reference} ({status}).")
            }
            S::MustWait(reference, years) => format!(
                "After a refusal or revocation ({reference}), a new application waits {years} years."
            ),
            S::Decision(e) | S::DecisionSentence(e) => e.to_string(),
        }
    }

    fn chinese(&self) -> String {
        use AeoSaid as S;
        let t = aeo::t(Lang::ZhTw);
        match self {
            S::ApplicationHasErrors => "申請資料有誤。".into(),
            S::RolesNeeded => "請選擇業者類別。".into(),
            S::OneOrMoreRoles(known) => {
                let roles: Vec<String> = known
                    .iter()
                    .map(|r| ::aeo::OperatorRole::parse(r).map_or(r.to_string(), t.role))
                    .collect();
                format!("須為下列一項或多項：{}", zh_list(&roles))
            }
            S::GiveProfile(_) => "必填".into(),
            S::UnknownProfileField => "不是公司基本資料的欄位".into(),
            S::NoSuchQuestion => "查無此題".into(),
            S::AnswerYesNo => "請回答是或否".into(),
            S::AnswerNumber => "請以數字回答".into(),
            S::AnswerText => "請以文字回答".into(),
            S::AnswerEveryQuestion => {
                "請回答與貴公司業者類別相關的每一題，並於需要時附上佐證文件。".into()
            }
            S::Unanswered => "尚未作答".into(),
            S::EvidenceNeeded => "須附佐證文件".into(),
            S::NotYourEvidence(cited) => format!("佐證文件「{cited}」不是貴公司上傳的檔案"),
            S::UnknownGrant => "核定類別不正確。".into(),
            S::GrantChoices => "須為下列之一：aeo_c、aeo_s、both".into(),
            S::GrantNotSupported => "自評結果不支持此核定類別。".into(),
            S::AssessmentSupports(g) => match g {
                Some(g) => format!("自評結果支持{}", (t.grant_name)(*g)),
                None => "自評結果不支持任何核定類別".into(),
            },
            S::VisitNeedsDate => "實地訪查須有日期。".into(),
            S::VisitDate => "須為今天或之後的日期，格式為 YYYY-MM-DD".into(),
            S::RecordFindings => "請登錄實地訪查結果。".into(),
            S::FindingsTooShort => "至少 10 個字".into(),
            S::CaseOpen(reference, status) => {
                let status = ::aeo::Status::parse(status).map_or(status.as_str(), t.status);
                format!("貴公司已有優質企業認證案件 {reference}（{status}）。")
            }
            S::MustWait(reference, years) => {
                format!("經不予認證或廢止認證（{reference}）後，須滿 {years} 年才能重新申請。")
            }
            S::Decision(e) => e.say(Lang::ZhTw),
            S::DecisionSentence(e) => format!("{}。", e.say(Lang::ZhTw)),
        }
    }
}
