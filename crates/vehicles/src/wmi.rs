//! World Manufacturer Identifiers (ISO 3780): who made a vehicle and where
//! the WMI was assigned, decoded from the first three VIN characters.

/// A manufacturer known by its WMI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Maker {
    pub wmi: &'static str,
    pub name: &'static str,
    /// ISO 3166 alpha-2 code of the country the WMI is assigned to (which may
    /// differ from the brand's home, e.g. Mini's WMW is German).
    pub country: &'static str,
}

const fn maker(wmi: &'static str, name: &'static str, country: &'static str) -> Maker {
    Maker { wmi, name, country }
}

/// Only WMIs we are confident of; an unknown WMI is simply not decoded.
static MAKERS: &[Maker] = &[
    // Japan
    maker("JT2", "Toyota", "JP"),
    maker("JT3", "Toyota", "JP"),
    maker("JTD", "Toyota", "JP"),
    maker("JTE", "Toyota", "JP"),
    maker("JTM", "Toyota", "JP"),
    maker("JTN", "Toyota", "JP"),
    maker("JTH", "Lexus", "JP"),
    maker("JTJ", "Lexus", "JP"),
    maker("JHM", "Honda", "JP"),
    maker("JHL", "Honda", "JP"),
    maker("JH4", "Acura", "JP"),
    maker("JN1", "Nissan", "JP"),
    maker("JN8", "Nissan", "JP"),
    maker("JNK", "Infiniti", "JP"),
    maker("JM1", "Mazda", "JP"),
    maker("JM3", "Mazda", "JP"),
    maker("JF1", "Subaru", "JP"),
    maker("JF2", "Subaru", "JP"),
    maker("JA3", "Mitsubishi", "JP"),
    maker("JA4", "Mitsubishi", "JP"),
    maker("JMB", "Mitsubishi", "JP"),
    maker("JS2", "Suzuki", "JP"),
    // Korea
    maker("KMH", "Hyundai", "KR"),
    maker("KM8", "Hyundai", "KR"),
    maker("KNA", "Kia", "KR"),
    maker("KND", "Kia", "KR"),
    maker("KPT", "SsangYong", "KR"),
    maker("KL1", "Chevrolet", "KR"),
    // China
    maker("LSV", "Volkswagen", "CN"),
    maker("LFV", "Volkswagen", "CN"),
    maker("LRW", "Tesla", "CN"),
    // Germany
    maker("WBA", "BMW", "DE"),
    maker("WBS", "BMW", "DE"),
    maker("WBY", "BMW", "DE"),
    maker("WMW", "Mini", "DE"),
    maker("WDB", "Mercedes-Benz", "DE"),
    maker("WDD", "Mercedes-Benz", "DE"),
    maker("WDC", "Mercedes-Benz", "DE"),
    maker("W1K", "Mercedes-Benz", "DE"),
    maker("W1N", "Mercedes-Benz", "DE"),
    maker("WME", "Smart", "DE"),
    maker("WVW", "Volkswagen", "DE"),
    maker("WVG", "Volkswagen", "DE"),
    maker("WV1", "Volkswagen", "DE"),
    maker("WV2", "Volkswagen", "DE"),
    maker("WAU", "Audi", "DE"),
    maker("WUA", "Audi", "DE"),
    maker("WP0", "Porsche", "DE"),
    maker("WP1", "Porsche", "DE"),
    maker("W0L", "Opel", "DE"),
    maker("WF0", "Ford", "DE"),
    // France, Spain
    maker("VF1", "Renault", "FR"),
    maker("VF3", "Peugeot", "FR"),
    maker("VF7", "Citroen", "FR"),
    maker("VF9", "Bugatti", "FR"),
    maker("VSS", "SEAT", "ES"),
    // Italy
    maker("ZFA", "Fiat", "IT"),
    maker("ZFF", "Ferrari", "IT"),
    maker("ZHW", "Lamborghini", "IT"),
    maker("ZAM", "Maserati", "IT"),
    maker("ZAR", "Alfa Romeo", "IT"),
    maker("ZLA", "Lancia", "IT"),
    // United Kingdom
    maker("SAL", "Land Rover", "GB"),
    maker("SAJ", "Jaguar", "GB"),
    maker("SCA", "Rolls-Royce", "GB"),
    maker("SCB", "Bentley", "GB"),
    maker("SCC", "Lotus", "GB"),
    maker("SCF", "Aston Martin", "GB"),
    maker("SBM", "McLaren", "GB"),
    maker("SB1", "Toyota", "GB"),
    maker("SHH", "Honda", "GB"),
    maker("SJN", "Nissan", "GB"),
    // Sweden, Czechia
    maker("YV1", "Volvo", "SE"),
    maker("YV4", "Volvo", "SE"),
    maker("YS3", "Saab", "SE"),
    maker("TMB", "Skoda", "CZ"),
    // United States
    maker("1HG", "Honda", "US"),
    maker("19U", "Acura", "US"),
    maker("5FN", "Honda", "US"),
    maker("4T1", "Toyota", "US"),
    maker("5TD", "Toyota", "US"),
    maker("5TF", "Toyota", "US"),
    maker("1N4", "Nissan", "US"),
    maker("5N1", "Nissan", "US"),
    maker("4S3", "Subaru", "US"),
    maker("4S4", "Subaru", "US"),
    maker("5NP", "Hyundai", "US"),
    maker("5XY", "Kia", "US"),
    maker("5UX", "BMW", "US"),
    maker("4US", "BMW", "US"),
    maker("4JG", "Mercedes-Benz", "US"),
    maker("1VW", "Volkswagen", "US"),
    maker("1FA", "Ford", "US"),
    maker("1FM", "Ford", "US"),
    maker("1FT", "Ford", "US"),
    maker("1G1", "Chevrolet", "US"),
    maker("1GC", "Chevrolet", "US"),
    maker("1G4", "Buick", "US"),
    maker("1G6", "Cadillac", "US"),
    maker("1GT", "GMC", "US"),
    maker("1C4", "Jeep", "US"),
    maker("1J4", "Jeep", "US"),
    maker("5YJ", "Tesla", "US"),
    // Canada, Mexico
    maker("2HG", "Honda", "CA"),
    maker("2T1", "Toyota", "CA"),
    maker("2FA", "Ford", "CA"),
    maker("2G1", "Chevrolet", "CA"),
    maker("3VW", "Volkswagen", "MX"),
    maker("3FA", "Ford", "MX"),
];

/// Looks up a WMI (case-insensitive) in the table of known makers.
pub fn decode_wmi(wmi: &str) -> Option<&'static Maker> {
    MAKERS
        .iter()
        .find(|maker| maker.wmi.eq_ignore_ascii_case(wmi))
}

/// ISO 3780 region of a VIN's first character.
pub fn region(first: char) -> &'static str {
    match first.to_ascii_uppercase() {
        'A'..='H' => "Africa",
        'J'..='R' => "Asia",
        'S'..='Z' => "Europe",
        '1'..='5' => "North America",
        '6' | '7' => "Oceania",
        '8' | '9' => "South America",
        _ => "Unknown",
    }
}

/// Country (ISO alpha-2) for the first two WMI characters, only for ranges
/// assigned to a single country that we are confident of.
pub fn country_hint(wmi: &str) -> Option<&'static str> {
    let mut chars = wmi.chars().map(|ch| ch.to_ascii_uppercase());
    let first = chars.next()?;
    let second = chars.next();
    // Second-character ranges follow the ISO 3780 order A-Z then 1-9, 0;
    // all ranges used below stay within letters.
    let second_in = |from: char, to: char| second.is_some_and(|ch| (from..=to).contains(&ch));
    let country = match first {
        'J' => "JP",
        'L' => "CN",
        'W' => "DE",
        '1' | '4' | '5' => "US",
        '2' => "CA",
        'K' if second_in('L', 'R') => "KR",
        'R' if second_in('F', 'K') => "TW",
        'S' if second_in('A', 'M') => "GB",
        'T' if second_in('J', 'P') => "CZ",
        'V' if second_in('F', 'R') => "FR",
        'V' if second_in('S', 'W') => "ES",
        'Y' if second_in('S', 'W') => "SE",
        'Z' if second_in('A', 'R') => "IT",
        '3' if second_in('A', 'W') => "MX",
        _ => return None,
    };
    Some(country)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_is_large_and_has_no_duplicate_wmis() {
        assert!(MAKERS.len() >= 60, "only {} makers", MAKERS.len());
        let unique: HashSet<_> = MAKERS.iter().map(|maker| maker.wmi).collect();
        assert_eq!(unique.len(), MAKERS.len());
    }

    #[test]
    fn table_wmis_are_valid_vin_prefixes() {
        for maker in MAKERS {
            assert_eq!(maker.wmi.len(), 3);
            assert!(
                maker.wmi.chars().all(|ch| ch.is_ascii_digit()
                    || (ch.is_ascii_uppercase() && !matches!(ch, 'I' | 'O' | 'Q'))),
                "{}",
                maker.wmi
            );
        }
    }

    #[test]
    fn table_countries_agree_with_country_ranges() {
        for maker in MAKERS {
            assert_eq!(
                country_hint(maker.wmi),
                Some(maker.country),
                "{}",
                maker.wmi
            );
        }
    }

    #[test]
    fn decodes_known_makers_case_insensitively() {
        assert_eq!(decode_wmi("1HG").unwrap().name, "Honda");
        assert_eq!(decode_wmi("wdd").unwrap().name, "Mercedes-Benz");
        assert_eq!(decode_wmi("5YJ").unwrap().country, "US");
        assert!(decode_wmi("ZZZ").is_none());
    }

    #[test]
    fn regions_follow_iso_3780() {
        assert_eq!(region('A'), "Africa");
        assert_eq!(region('H'), "Africa");
        assert_eq!(region('J'), "Asia");
        assert_eq!(region('R'), "Asia");
        assert_eq!(region('s'), "Europe");
        assert_eq!(region('Z'), "Europe");
        assert_eq!(region('1'), "North America");
        assert_eq!(region('5'), "North America");
        assert_eq!(region('7'), "Oceania");
        assert_eq!(region('9'), "South America");
        assert_eq!(region('0'), "Unknown");
    }

    #[test]
    fn country_hint_respects_second_character_ranges() {
        assert_eq!(country_hint("KNA"), Some("KR"));
        assert_eq!(country_hint("KAA"), None);
        assert_eq!(country_hint("RFB"), Some("TW"));
        assert_eq!(country_hint("RAA"), None);
        assert_eq!(country_hint("SZ1"), None);
        assert_eq!(country_hint("3ZZ"), None);
        assert_eq!(country_hint("3VW"), Some("MX"));
        assert_eq!(country_hint("V"), None);
        assert_eq!(country_hint(""), None);
    }
}
