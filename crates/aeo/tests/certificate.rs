//! Certificate numbers, validity and public status.

use aeo::certificate::{
    CertificateNumber, CertificateNumberError, PublicStatus, certificate_digest, expiry,
    next_review, public_status, reassessment_due, verify_certificate_digest,
};
use aeo::workflow::{Grant, Status};
use time::macros::date;

const ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

#[test]
fn numbers_round_trip_for_every_grant_and_serial_bound() {
    for grant in Grant::ALL {
        for serial in [0, 1, 123, 999_999] {
            let number = CertificateNumber::new(grant, serial).unwrap();
            assert_eq!(number.as_str().len(), 13);
            assert_eq!(number.to_string(), number.as_str());
            assert_eq!(number.grant(), grant);
            assert_eq!(number.serial(), serial);
            assert_eq!(CertificateNumber::parse(number.as_str()), Ok(number));
        }
    }
}

#[test]
fn layout_is_prefix_grant_letter_serial_check() {
    let number = CertificateNumber::new(Grant::Both, 42).unwrap();
    assert!(number.as_str().starts_with("TWAEOF000042"), "{number}");
    let customs = CertificateNumber::new(Grant::AeoC, 42).unwrap();
    assert!(customs.as_str().starts_with("TWAEOC000042"));
    let security = CertificateNumber::new(Grant::AeoS, 42).unwrap();
    assert!(security.as_str().starts_with("TWAEOS000042"));
}

#[test]
fn serial_must_fit_six_digits() {
    assert_eq!(
        CertificateNumber::new(Grant::AeoC, 1_000_000),
        Err(CertificateNumberError::SerialOutOfRange(1_000_000))
    );
}

#[test]
fn any_single_changed_character_is_rejected() {
    let number = CertificateNumber::new(Grant::AeoS, 70_531).unwrap();
    let original: Vec<char> = number.as_str().chars().collect();
    for position in 0..original.len() {
        for replacement in ALPHANUMERIC.chars().filter(|c| *c != original[position]) {
            let mut typo = original.clone();
            typo[position] = replacement;
            let typo: String = typo.into_iter().collect();
            assert!(
                CertificateNumber::parse(&typo).is_err(),
                "{typo} accepted as a variant of {number}"
            );
        }
    }
}

#[test]
fn parse_ignores_case_and_surrounding_whitespace() {
    let number = CertificateNumber::new(Grant::AeoC, 2_468).unwrap();
    let typed = format!("  {}\n", number.as_str().to_lowercase());
    assert_eq!(CertificateNumber::parse(&typed), Ok(number));
}

#[test]
fn parse_explains_what_is_wrong() {
    use CertificateNumberError::*;
    assert_eq!(CertificateNumber::parse("TWAEOC00001"), Err(WrongLength));
    assert_eq!(CertificateNumber::parse("TWAEOC00001é"), Err(WrongLength));
    assert_eq!(CertificateNumber::parse("TWAXOC0000010"), Err(WrongPrefix));
    assert_eq!(
        CertificateNumber::parse("TWAEOX0000010"),
        Err(UnknownGrantLetter('X'))
    );
    assert_eq!(
        CertificateNumber::parse("TWAEOC00A0010"),
        Err(SerialNotDigits)
    );
    let good = CertificateNumber::new(Grant::AeoC, 1).unwrap();
    let check = good.as_str().chars().last().unwrap();
    let wrong = if check == '0' { '1' } else { '0' };
    let mistyped = format!("{}{wrong}", &good.as_str()[..12]);
    assert_eq!(
        CertificateNumber::parse(&mistyped),
        Err(CheckCharacterMismatch)
    );
}

#[test]
fn validity_ends_the_day_before_the_third_anniversary() {
    assert_eq!(expiry(date!(2025 - 01 - 15)), date!(2028 - 01 - 14));
    assert_eq!(expiry(date!(2025 - 01 - 01)), date!(2027 - 12 - 31));
    assert_eq!(expiry(date!(2024 - 02 - 29)), date!(2027 - 02 - 28));
}

#[test]
fn reviews_fall_on_each_anniversary_of_issue() {
    let issued = date!(2024 - 06 - 10);
    assert_eq!(reassessment_due(issued), date!(2025 - 06 - 10));
    assert_eq!(
        next_review(issued, date!(2024 - 06 - 10)),
        date!(2025 - 06 - 10)
    );
    assert_eq!(
        next_review(issued, date!(2025 - 06 - 10)),
        date!(2025 - 06 - 10)
    );
    assert_eq!(
        next_review(issued, date!(2025 - 06 - 11)),
        date!(2026 - 06 - 10)
    );
    assert_eq!(
        next_review(issued, date!(2026 - 01 - 02)),
        date!(2026 - 06 - 10)
    );
    assert_eq!(
        next_review(issued, date!(2023 - 01 - 01)),
        date!(2025 - 06 - 10)
    );
}

#[test]
fn public_status_is_derived_from_dates() {
    let issued = date!(2025 - 03 - 01);
    let expires = expiry(issued);
    let status = |status, today| public_status(status, Some(issued), Some(expires), today);

    assert_eq!(status(Status::Certified, issued), PublicStatus::Valid);
    assert_eq!(status(Status::Certified, expires), PublicStatus::Valid);
    assert_eq!(status(Status::Reassessment, expires), PublicStatus::Valid);
    let day_after = expires.next_day().unwrap();
    assert_eq!(status(Status::Certified, day_after), PublicStatus::Expired);
    assert_eq!(
        status(Status::Reassessment, day_after),
        PublicStatus::Expired
    );
    let before = issued.previous_day().unwrap();
    assert_eq!(status(Status::Certified, before), PublicStatus::Unknown);
    assert_eq!(status(Status::Suspended, issued), PublicStatus::Suspended);
    assert_eq!(status(Status::Revoked, issued), PublicStatus::Revoked);
    for pending in [
        Status::Submitted,
        Status::OnSiteValidation,
        Status::Withdrawn,
    ] {
        assert_eq!(status(pending, issued), PublicStatus::Unknown);
    }
    assert_eq!(
        public_status(Status::Certified, None, None, issued),
        PublicStatus::Unknown
    );
}

#[test]
fn digest_binds_every_field() {
    let number = CertificateNumber::new(Grant::Both, 17).unwrap();
    let other_number = CertificateNumber::new(Grant::Both, 18).unwrap();
    let issued = date!(2025 - 04 - 01);
    let expires = expiry(issued);
    let digest = certificate_digest(&number, "12345675", Grant::Both, issued, expires);
    assert_eq!(digest.len(), 64);
    assert!(
        digest
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(
        digest,
        certificate_digest(&number, " 12345675 ", Grant::Both, issued, expires)
    );
    let variants = [
        certificate_digest(&other_number, "12345675", Grant::Both, issued, expires),
        certificate_digest(&number, "12345676", Grant::Both, issued, expires),
        certificate_digest(&number, "12345675", Grant::AeoS, issued, expires),
        certificate_digest(
            &number,
            "12345675",
            Grant::Both,
            date!(2025 - 04 - 02),
            expires,
        ),
        certificate_digest(
            &number,
            "12345675",
            Grant::Both,
            issued,
            date!(2028 - 04 - 01),
        ),
    ];
    for variant in variants {
        assert_ne!(variant, digest);
    }
    let printed = digest.to_uppercase();
    assert!(verify_certificate_digest(
        &printed,
        &number,
        "12345675",
        Grant::Both,
        issued,
        expires
    ));
    assert!(!verify_certificate_digest(
        &printed,
        &number,
        "12345675",
        Grant::AeoC,
        issued,
        expires
    ));
}
