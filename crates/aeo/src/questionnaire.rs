//! The self-assessment questionnaire an applicant fills in, organised by the
//! WCO SAFE Framework / EU AEO criteria, and its scoring.

mod assessment;
mod catalogue;

use serde::{Deserialize, Serialize};

pub use assessment::{AreaScore, Assessment, Change, assess, diff};
pub use catalogue::{question, questions};

/// A criterion area of the AEO programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Ord, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    ComplianceRecord,
    RecordsManagement,
    FinancialSolvency,
    PracticalCompetence,
    PremisesSecurity,
    CargoSecurity,
    PersonnelSecurity,
    BusinessPartners,
    InformationSecurity,
}

impl Area {
    pub const ALL: [Area; 9] = [
        Area::ComplianceRecord,
        Area::RecordsManagement,
        Area::FinancialSolvency,
        Area::PracticalCompetence,
        Area::PremisesSecurity,
        Area::CargoSecurity,
        Area::PersonnelSecurity,
        Area::BusinessPartners,
        Area::InformationSecurity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::ComplianceRecord => "compliance_record",
            Area::RecordsManagement => "records_management",
            Area::FinancialSolvency => "financial_solvency",
            Area::PracticalCompetence => "practical_competence",
            Area::PremisesSecurity => "premises_security",
            Area::CargoSecurity => "cargo_security",
            Area::PersonnelSecurity => "personnel_security",
            Area::BusinessPartners => "business_partners",
            Area::InformationSecurity => "information_security",
        }
    }

    pub fn parse(s: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|area| area.as_str() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            Area::ComplianceRecord => "Customs compliance record",
            Area::RecordsManagement => "Commercial and transport records",
            Area::FinancialSolvency => "Financial solvency",
            Area::PracticalCompetence => "Practical competence in customs matters",
            Area::PremisesSecurity => "Premises and access security",
            Area::CargoSecurity => "Cargo and conveyance security",
            Area::PersonnelSecurity => "Personnel security",
            Area::BusinessPartners => "Business partner security",
            Area::InformationSecurity => "Information security",
        }
    }

    /// True for the safety-and-security areas an AEO-S grant depends on; the
    /// others are the customs-simplification (AEO-C) criteria.
    pub fn for_security(self) -> bool {
        matches!(
            self,
            Area::PremisesSecurity
                | Area::CargoSecurity
                | Area::PersonnelSecurity
                | Area::BusinessPartners
                | Area::InformationSecurity
        )
    }
}

/// The operator's role in the supply chain; some questions only apply to some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Ord, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRole {
    Manufacturer,
    Importer,
    Exporter,
    CustomsBroker,
    FreightForwarder,
    WarehouseKeeper,
    Carrier,
}

impl OperatorRole {
    pub const ALL: [OperatorRole; 7] = [
        OperatorRole::Manufacturer,
        OperatorRole::Importer,
        OperatorRole::Exporter,
        OperatorRole::CustomsBroker,
        OperatorRole::FreightForwarder,
        OperatorRole::WarehouseKeeper,
        OperatorRole::Carrier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OperatorRole::Manufacturer => "manufacturer",
            OperatorRole::Importer => "importer",
            OperatorRole::Exporter => "exporter",
            OperatorRole::CustomsBroker => "customs_broker",
            OperatorRole::FreightForwarder => "freight_forwarder",
            OperatorRole::WarehouseKeeper => "warehouse_keeper",
            OperatorRole::Carrier => "carrier",
        }
    }

    pub fn parse(s: &str) -> Option<OperatorRole> {
        OperatorRole::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
    }
}

/// The shape of answer a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    YesNo,
    Text,
    Number,
}

/// One questionnaire item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: &'static str,
    pub area: Area,
    pub text: &'static str,
    pub kind: AnswerKind,
    /// The answer must carry at least one attachment id.
    pub evidence_required: bool,
    /// Roles the question applies to; empty means every operator.
    pub roles: &'static [OperatorRole],
    /// For yes/no questions, the answer that meets the criterion. `None` for
    /// informative text and number questions, which any answer satisfies.
    pub favourable: Option<bool>,
}

impl Question {
    pub fn applies_to(&self, roles: &[OperatorRole]) -> bool {
        self.roles.is_empty() || self.roles.iter().any(|role| roles.contains(role))
    }
}

/// An applicant's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Text(String),
    Number(f64),
}

impl Answer {
    pub fn kind(&self) -> AnswerKind {
        match self {
            Answer::Yes | Answer::No => AnswerKind::YesNo,
            Answer::Text(_) => AnswerKind::Text,
            Answer::Number(_) => AnswerKind::Number,
        }
    }
}

/// An answer together with the ids of the attachments that evidence it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub answer: Answer,
    pub evidence: Vec<String>,
}

impl Response {
    /// A response without attachments.
    pub fn new(answer: Answer) -> Response {
        Response {
            answer,
            evidence: Vec::new(),
        }
    }

    /// A response with attachment ids.
    pub fn with_evidence<I, S>(answer: Answer, evidence: I) -> Response
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Response {
            answer,
            evidence: evidence.into_iter().map(Into::into).collect(),
        }
    }
}
