//! Assessment of responses, the grant rule built on it, and reassessment diffs.

use std::collections::BTreeMap;

use aeo::questionnaire::{
    Answer, AnswerKind, Area, Change, OperatorRole, Response, assess, diff, question, questions,
};
use aeo::workflow::{Grant, grantable};

use OperatorRole::{Carrier, Exporter, Importer};

/// Answers every question that applies to `roles` so that it meets its
/// criterion, with evidence where required.
fn favourable_responses(roles: &[OperatorRole]) -> BTreeMap<String, Response> {
    questions()
        .iter()
        .filter(|q| q.applies_to(roles))
        .map(|q| {
            let answer = match (q.kind, q.favourable) {
                (AnswerKind::YesNo, Some(true)) => Answer::Yes,
                (AnswerKind::YesNo, _) => Answer::No,
                (AnswerKind::Text, _) => Answer::Text("Documented in the manual".into()),
                (AnswerKind::Number, _) => Answer::Number(3.0),
            };
            let evidence = if q.evidence_required {
                vec![format!("att-{}", q.id)]
            } else {
                Vec::new()
            };
            (q.id.to_owned(), Response { answer, evidence })
        })
        .collect()
}

fn set(responses: &mut BTreeMap<String, Response>, id: &str, answer: Answer) {
    responses.insert(id.to_owned(), Response::new(answer));
}

#[test]
fn catalogue_is_about_forty_questions_over_every_area() {
    assert!((35..=45).contains(&questions().len()));
    for area in Area::ALL {
        assert!(questions().iter().any(|q| q.area == area), "{area:?}");
        assert_eq!(Area::parse(area.as_str()), Some(area));
        assert!(!area.title().is_empty());
    }
    for role in OperatorRole::ALL {
        assert_eq!(OperatorRole::parse(role.as_str()), Some(role));
    }
    assert_eq!(question("cr.1").map(|q| q.favourable), Some(Some(false)));
    assert!(question("zz.1").is_none());
}

#[test]
fn security_areas_are_the_safety_and_security_criteria() {
    let security: Vec<Area> = Area::ALL.into_iter().filter(|a| a.for_security()).collect();
    assert_eq!(
        security,
        [
            Area::PremisesSecurity,
            Area::CargoSecurity,
            Area::PersonnelSecurity,
            Area::BusinessPartners,
            Area::InformationSecurity
        ]
    );
}

#[test]
fn fully_favourable_answers_are_complete_and_grant_both() {
    let roles = [Exporter, Carrier];
    let assessment = assess(&roles, &favourable_responses(&roles));
    assert!(assessment.complete);
    assert!(assessment.missing.is_empty() && assessment.unfavourable.is_empty());
    assert_eq!(assessment.per_area.len(), Area::ALL.len());
    for score in assessment.per_area.values() {
        assert!(score.is_met(), "{score:?}");
        assert_eq!(score.answered, score.applicable);
    }
    assert_eq!(grantable(&assessment), Some(Grant::Both));
}

#[test]
fn unanswered_questions_are_missing_and_block_completion() {
    let mut responses = favourable_responses(&[Importer]);
    responses.remove("fs.1");
    set(&mut responses, "cr.5", Answer::Text("   ".into()));
    let assessment = assess(&[Importer], &responses);
    assert_eq!(assessment.missing, ["cr.5", "fs.1"]);
    assert!(!assessment.complete);
    let solvency = assessment.per_area[&Area::FinancialSolvency];
    assert_eq!(solvency.answered + 1, solvency.applicable);
    // Security status also rests on compliance, records and solvency.
    assert_eq!(grantable(&assessment), None);

    let mut responses = favourable_responses(&[Importer]);
    responses.remove("pc.1");
    assert_eq!(
        grantable(&assess(&[Importer], &responses)),
        Some(Grant::AeoS)
    );
}

#[test]
fn unfavourable_answers_are_listed_but_do_not_make_it_incomplete() {
    let mut responses = favourable_responses(&[Importer]);
    set(&mut responses, "cr.1", Answer::Yes);
    set(&mut responses, "is.4", Answer::Yes);
    set(&mut responses, "rm.3", Answer::No);
    let assessment = assess(&[Importer], &responses);
    assert_eq!(assessment.unfavourable, ["cr.1", "rm.3", "is.4"]);
    assert!(assessment.complete);
    let compliance = assessment.per_area[&Area::ComplianceRecord];
    assert_eq!(compliance.answered, compliance.applicable);
    assert_eq!(compliance.favourable + 1, compliance.applicable);
    assert_eq!(grantable(&assessment), None);
}

#[test]
fn missing_evidence_is_reported_and_withholds_the_area() {
    let mut responses = favourable_responses(&[Importer]);
    responses.insert("ps.1".into(), Response::with_evidence(Answer::Yes, ["  "]));
    let assessment = assess(&[Importer], &responses);
    assert_eq!(assessment.missing_evidence, ["ps.1"]);
    assert!(assessment.unfavourable.is_empty());
    assert!(!assessment.complete);
    assert!(!assessment.per_area[&Area::PremisesSecurity].is_met());
    assert_eq!(grantable(&assessment), Some(Grant::AeoC));
}

#[test]
fn role_specific_questions_apply_only_to_their_roles() {
    let seals = question("cs.1").unwrap();
    assert!(seals.applies_to(&[Exporter]) && !seals.applies_to(&[Importer]));

    // An importer is never asked about seals, and an answer to it is ignored.
    let mut importer = favourable_responses(&[Importer]);
    assert!(!importer.contains_key("cs.1"));
    set(&mut importer, "cs.1", Answer::No);
    let assessment = assess(&[Importer], &importer);
    assert!(assessment.complete && assessment.unfavourable.is_empty());
    assert!(assessment.unknown.is_empty());

    // The same answers leave an exporter with the seal questions open.
    let exporter = assess(&[Exporter], &favourable_responses(&[Importer]));
    assert!(exporter.missing.contains(&"cs.1"));
    assert!(exporter.missing.contains(&"cs.2"));
    let cargo = |a: &aeo::Assessment| a.per_area[&Area::CargoSecurity].applicable;
    assert!(cargo(&exporter) > cargo(&assessment));
}

#[test]
fn unknown_ids_are_reported_without_affecting_the_score() {
    let mut responses = favourable_responses(&[Importer]);
    set(&mut responses, "cr.99", Answer::Yes);
    set(&mut responses, "bogus", Answer::Number(1.0));
    let assessment = assess(&[Importer], &responses);
    assert_eq!(assessment.unknown, ["bogus", "cr.99"]);
    assert!(assessment.complete);
    assert_eq!(grantable(&assessment), Some(Grant::Both));
}

#[test]
fn answers_of_the_wrong_kind_are_rejected() {
    let mut responses = favourable_responses(&[Importer]);
    set(&mut responses, "cr.1", Answer::Text("no".into()));
    set(&mut responses, "pc.3", Answer::Yes);
    set(&mut responses, "bp.4", Answer::Number(f64::NAN));
    let assessment = assess(&[Importer], &responses);
    assert_eq!(assessment.wrong_kind, ["cr.1", "pc.3", "bp.4"]);
    assert!(assessment.missing.is_empty());
    assert!(!assessment.complete);
    let compliance = assessment.per_area[&Area::ComplianceRecord];
    assert_eq!(compliance.answered + 1, compliance.applicable);
    assert_eq!(grantable(&assessment), None);
}

#[test]
fn nothing_answered_grants_nothing() {
    let assessment = assess(&[Carrier], &BTreeMap::new());
    let applicable = questions()
        .iter()
        .filter(|q| q.applies_to(&[Carrier]))
        .count();
    assert_eq!(assessment.missing.len(), applicable);
    assert!(!assessment.complete);
    assert_eq!(grantable(&assessment), None);
}

#[test]
fn diff_lists_added_removed_and_changed_responses_by_id() {
    let mut previous = BTreeMap::new();
    set(&mut previous, "cr.1", Answer::No);
    set(&mut previous, "fs.4", Answer::Number(100.0));
    previous.insert("ps.1".into(), Response::with_evidence(Answer::Yes, ["a1"]));
    set(&mut previous, "rm.1", Answer::Yes);

    let mut current = previous.clone();
    current.remove("rm.1");
    set(&mut current, "fs.4", Answer::Number(120.0));
    current.insert("ps.1".into(), Response::with_evidence(Answer::Yes, ["a2"]));
    set(&mut current, "bp.1", Answer::Yes);

    let changes = diff(&previous, &current);
    let ids: Vec<&str> = changes.iter().map(Change::id).collect();
    assert_eq!(ids, ["bp.1", "fs.4", "ps.1", "rm.1"]);
    assert_eq!(
        changes[0],
        Change::Added {
            id: "bp.1".into(),
            current: Response::new(Answer::Yes)
        }
    );
    assert_eq!(
        changes[1],
        Change::Changed {
            id: "fs.4".into(),
            previous: Response::new(Answer::Number(100.0)),
            current: Response::new(Answer::Number(120.0)),
        }
    );
    assert!(matches!(changes[2], Change::Changed { .. }));
    assert_eq!(
        changes[3],
        Change::Removed {
            id: "rm.1".into(),
            previous: Response::new(Answer::Yes)
        }
    );
    assert!(diff(&current, &current).is_empty());
}
