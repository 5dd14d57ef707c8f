//! How the check digit was found: candidate algorithms run against every code of the 2025
//! file; only the one `tariff::check_digit` implements holds on all 12,686.

mod common;

use tariff::{TARIFF_FILE, check_digit};

fn codes() -> Option<Vec<[u8; 11]>> {
    let dir = common::data_dir()?;
    let mut r = csv::Reader::from_path(dir.join("tariffs/tw").join(TARIFF_FILE)).unwrap();
    let out = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            let mut d = [0u8; 11];
            d.copy_from_slice(rec[0].as_bytes());
            d
        })
        .collect();
    Some(out)
}

fn digit(b: u8) -> u32 {
    u32::from(b - b'0')
}

fn luhn_double(d: u32) -> u32 {
    if 2 * d > 9 { 2 * d - 9 } else { 2 * d }
}

/// How many codes a candidate gets right.
fn score(codes: &[[u8; 11]], f: impl Fn(&[u8]) -> u32) -> usize {
    codes.iter().filter(|c| f(&c[..10]) == digit(c[10])).count()
}

fn complement(sum: u32) -> u32 {
    (10 - sum % 10) % 10
}

#[test]
fn only_the_documented_algorithm_fits_every_line() {
    let Some(codes) = codes() else { return };
    assert_eq!(codes.len(), 12_686);
    let chosen = score(&codes, |p| {
        let payload: [u8; 10] = p.try_into().unwrap();
        u32::from(check_digit(&payload))
    });
    assert_eq!(chosen, codes.len());

    // Standard Luhn, doubling from the right.
    let luhn_right = score(&codes, |p| {
        complement(
            p.iter()
                .rev()
                .enumerate()
                .map(|(i, &b)| {
                    if i % 2 == 0 {
                        luhn_double(digit(b))
                    } else {
                        digit(b)
                    }
                })
                .sum(),
        )
    });
    // Luhn doubling from the left, digit sum everywhere: wrong exactly on chapters 50-97.
    let luhn_left = score(&codes, |p| {
        complement(
            p.iter()
                .enumerate()
                .map(|(i, &b)| {
                    if i % 2 == 0 {
                        luhn_double(digit(b))
                    } else {
                        digit(b)
                    }
                })
                .sum(),
        )
    });
    let from_5 = codes.iter().filter(|c| c[0] >= b'5').count();
    assert_eq!(luhn_left, codes.len() - from_5);
    assert!(luhn_right < codes.len() / 5, "{luhn_right}");
    // Alternating weights without digit sums (EAN 1/3, 3/1, 2/1), and weighted mod-11 sums.
    for (a, b) in [(1, 3), (3, 1), (2, 1), (1, 2)] {
        let s = score(&codes, |p| {
            complement(
                p.iter()
                    .enumerate()
                    .map(|(i, &x)| digit(x) * if i % 2 == 0 { a } else { b })
                    .sum(),
            )
        });
        assert!(s < codes.len(), "weights {a}/{b}");
    }
    for rising in [true, false] {
        let s = score(&codes, |p| {
            let sum: u32 = p
                .iter()
                .enumerate()
                .map(|(i, &x)| digit(x) * if rising { i as u32 + 2 } else { 11 - i as u32 })
                .sum();
            (11 - sum % 11) % 11 % 10
        });
        assert!(s < codes.len() / 5, "mod 11 {rising}: {s}");
    }
}
