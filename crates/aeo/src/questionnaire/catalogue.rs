//! The question catalogue. Ids are `<area prefix>.<n>` and never reused: a
//! stored answer keeps pointing at the question it was given for.

use super::{AnswerKind, Area, OperatorRole, Question};

use Area::*;
use OperatorRole::*;

const ALL_ROLES: &[OperatorRole] = &[];
const SHIPPERS: &[OperatorRole] = &[Exporter, Carrier, WarehouseKeeper];
const GOODS_HANDLERS: &[OperatorRole] = &[Manufacturer, Exporter, WarehouseKeeper, Carrier];
const TRADERS: &[OperatorRole] = &[Importer, Exporter, CustomsBroker];
const BONDED: &[OperatorRole] = &[Manufacturer, WarehouseKeeper];
const SITE_TRAFFIC: &[OperatorRole] = &[Manufacturer, WarehouseKeeper, Carrier];
const OUTSOURCERS: &[OperatorRole] = &[Manufacturer, Importer, Exporter, FreightForwarder];

/// A yes/no question whose criterion is met by answering `favourable`.
const fn yes_no(
    id: &'static str,
    area: Area,
    text: &'static str,
    favourable: bool,
    evidence_required: bool,
    roles: &'static [OperatorRole],
) -> Question {
    Question {
        id,
        area,
        text,
        kind: AnswerKind::YesNo,
        evidence_required,
        roles,
        favourable: Some(favourable),
    }
}

/// An informative question: any answer of the right kind satisfies it.
const fn info(
    id: &'static str,
    area: Area,
    text: &'static str,
    kind: AnswerKind,
    evidence_required: bool,
) -> Question {
    Question {
        id,
        area,
        text,
        kind,
        evidence_required,
        roles: ALL_ROLES,
        favourable: None,
    }
}

const YES: bool = true;
const NO: bool = false;
const EVIDENCE: bool = true;
const NO_EVIDENCE: bool = false;

// One line per question keeps the catalogue reviewable as a table.
#[rustfmt::skip]
static QUESTIONS: [Question; 41] = [
    // Compliance record
    yes_no("cr.1", ComplianceRecord, "Have you committed any serious infringement of customs rules in the last 3 years?", NO, NO_EVIDENCE, ALL_ROLES),
    yes_no("cr.2", ComplianceRecord, "Has any director, manager or person in charge of customs matters been convicted of a serious offence related to economic activity?", NO, NO_EVIDENCE, ALL_ROLES),
    info("cr.3", ComplianceRecord, "How many of your customs declarations were corrected at customs' initiative in the last 12 months?", AnswerKind::Number, NO_EVIDENCE),
    yes_no("cr.4", ComplianceRecord, "Do you have a documented procedure for disclosing errors and irregularities to customs?", YES, EVIDENCE, ALL_ROLES),
    info("cr.5", ComplianceRecord, "Describe any customs audits, rulings or penalties received in the last 3 years.", AnswerKind::Text, NO_EVIDENCE),
    // Records management
    yes_no("rm.1", RecordsManagement, "Do you keep commercial and transport records that allow a full audit trail?", YES, EVIDENCE, ALL_ROLES),
    yes_no("rm.2", RecordsManagement, "Can your accounting records be reconciled with your customs declarations?", YES, EVIDENCE, ALL_ROLES),
    yes_no("rm.3", RecordsManagement, "Are records kept for at least 5 years and protected against loss?", YES, NO_EVIDENCE, ALL_ROLES),
    yes_no("rm.4", RecordsManagement, "Does your stock records system distinguish bonded goods from duty-paid goods?", YES, EVIDENCE, BONDED),
    yes_no("rm.5", RecordsManagement, "Are import and export licences and certificates recorded against the shipments they cover?", YES, NO_EVIDENCE, TRADERS),
    // Financial solvency
    yes_no("fs.1", FinancialSolvency, "Is your net equity positive in the last two closed financial years?", YES, EVIDENCE, ALL_ROLES),
    yes_no("fs.2", FinancialSolvency, "Have you been subject to bankruptcy, insolvency or restructuring proceedings in the last 3 years?", NO, NO_EVIDENCE, ALL_ROLES),
    yes_no("fs.3", FinancialSolvency, "Are all customs duties, taxes and fees paid by their due date?", YES, NO_EVIDENCE, ALL_ROLES),
    info("fs.4", FinancialSolvency, "What was your turnover in the last closed financial year (NTD)?", AnswerKind::Number, EVIDENCE),
    // Practical competence
    yes_no("pc.1", PracticalCompetence, "Does the person responsible for customs matters have at least 3 years' practical experience in customs matters?", YES, EVIDENCE, ALL_ROLES),
    yes_no("pc.2", PracticalCompetence, "Does the person responsible for customs matters hold a customs broker licence or a recognised customs training certificate?", YES, EVIDENCE, ALL_ROLES),
    info("pc.3", PracticalCompetence, "How many staff handle customs formalities?", AnswerKind::Number, NO_EVIDENCE),
    yes_no("pc.4", PracticalCompetence, "Are staff trained on tariff classification, valuation and origin at least once a year?", YES, NO_EVIDENCE, ALL_ROLES),
    // Premises security
    yes_no("ps.1", PremisesSecurity, "Are access points to premises controlled and logged?", YES, EVIDENCE, ALL_ROLES),
    yes_no("ps.2", PremisesSecurity, "Is the perimeter fenced, lit and inspected regularly?", YES, NO_EVIDENCE, ALL_ROLES),
    yes_no("ps.3", PremisesSecurity, "Are loading and storage areas monitored by CCTV with recordings kept for at least 30 days?", YES, EVIDENCE, GOODS_HANDLERS),
    yes_no("ps.4", PremisesSecurity, "Are keys and access cards issued, recorded and withdrawn under a documented procedure?", YES, NO_EVIDENCE, ALL_ROLES),
    info("ps.5", PremisesSecurity, "List the premises covered by the application with their address and function.", AnswerKind::Text, NO_EVIDENCE),
    // Cargo security
    yes_no("cs.1", CargoSecurity, "Are containers sealed with ISO 17712 high-security seals and inspected (7-point) before loading?", YES, EVIDENCE, SHIPPERS),
    yes_no("cs.2", CargoSecurity, "Are seals stored securely and their issue and use recorded?", YES, NO_EVIDENCE, SHIPPERS),
    yes_no("cs.3", CargoSecurity, "Are discrepancies between documents and cargo reported to customs and investigated?", YES, NO_EVIDENCE, ALL_ROLES),
    yes_no("cs.4", CargoSecurity, "Are drivers identified and vehicle arrivals and departures logged?", YES, NO_EVIDENCE, SITE_TRAFFIC),
    yes_no("cs.5", CargoSecurity, "Is cargo protected from unauthorised interference during storage and loading?", YES, EVIDENCE, GOODS_HANDLERS),
    // Personnel security
    yes_no("pe.1", PersonnelSecurity, "Are employees in security-sensitive positions screened before hiring?", YES, EVIDENCE, ALL_ROLES),
    yes_no("pe.2", PersonnelSecurity, "Are access rights and credentials withdrawn promptly when employees leave?", YES, NO_EVIDENCE, ALL_ROLES),
    yes_no("pe.3", PersonnelSecurity, "Do employees receive security-awareness training at least once a year?", YES, EVIDENCE, ALL_ROLES),
    yes_no("pe.4", PersonnelSecurity, "Are temporary staff and contractors held to the same security requirements as employees?", YES, NO_EVIDENCE, ALL_ROLES),
    // Business partners
    yes_no("bp.1", BusinessPartners, "Do contracts require your business partners to meet security standards?", YES, EVIDENCE, ALL_ROLES),
    yes_no("bp.2", BusinessPartners, "Do you check the AEO status or security arrangements of partners before engaging them?", YES, NO_EVIDENCE, ALL_ROLES),
    yes_no("bp.3", BusinessPartners, "Do you subcontract transport or storage to parties that have made no security commitment?", NO, NO_EVIDENCE, OUTSOURCERS),
    info("bp.4", BusinessPartners, "How many of your supply-chain partners hold AEO or equivalent status?", AnswerKind::Number, NO_EVIDENCE),
    // Information security
    yes_no("is.1", InformationSecurity, "Are IT systems protected against unauthorised access with backups tested?", YES, EVIDENCE, ALL_ROLES),
    yes_no("is.2", InformationSecurity, "Are user accounts personal, password-protected and reviewed at least once a year?", YES, NO_EVIDENCE, ALL_ROLES),
    yes_no("is.3", InformationSecurity, "Is there a documented plan for recovering from the loss of data or systems?", YES, EVIDENCE, ALL_ROLES),
    yes_no("is.4", InformationSecurity, "Have you had an information-security incident affecting customs data in the last 3 years?", NO, NO_EVIDENCE, ALL_ROLES),
    info("is.5", InformationSecurity, "Describe how customs data exchanged electronically is protected (for example encryption, access logging).", AnswerKind::Text, NO_EVIDENCE),
];

/// The whole catalogue, in presentation order.
pub fn questions() -> &'static [Question] {
    &QUESTIONS
}

/// The question with this id, if it exists.
pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|question| question.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_prefixed_by_area() {
        let mut seen = BTreeSet::new();
        for question in questions() {
            assert!(seen.insert(question.id), "duplicate id {}", question.id);
            let prefix = match question.area {
                ComplianceRecord => "cr.",
                RecordsManagement => "rm.",
                FinancialSolvency => "fs.",
                PracticalCompetence => "pc.",
                PremisesSecurity => "ps.",
                CargoSecurity => "cs.",
                PersonnelSecurity => "pe.",
                BusinessPartners => "bp.",
                InformationSecurity => "is.",
            };
            assert!(question.id.starts_with(prefix), "{}", question.id);
        }
    }

    #[test]
    fn only_yes_no_questions_have_a_favourable_answer() {
        for question in questions() {
            assert_eq!(
                question.favourable.is_some(),
                question.kind == AnswerKind::YesNo,
                "{}",
                question.id
            );
        }
    }

    #[test]
    fn every_area_has_questions_for_every_role() {
        for area in Area::ALL {
            for role in OperatorRole::ALL {
                assert!(
                    questions()
                        .iter()
                        .any(|q| q.area == area && q.applies_to(&[role])),
                    "{area:?} has nothing for {role:?}"
                );
            }
        }
    }
}
