//! British → American spelling and unit-word folding, so "colour"/"color", "fibre"/"fiber",
//! "kilograms"/"kg" meet. Applied to lower-cased tokens on both the index and the query side.

/// Whole-word replacements. Listed, not ruled, where a suffix rule would hurt ("four", "flour").
const WORDS: &[(&str, &str)] = &[
    ("colour", "color"),
    ("colours", "colors"),
    ("coloured", "colored"),
    ("flavour", "flavor"),
    ("flavoured", "flavored"),
    ("flavouring", "flavoring"),
    ("odour", "odor"),
    ("vapour", "vapor"),
    ("harbour", "harbor"),
    ("fibre", "fiber"),
    ("fibres", "fibers"),
    ("centre", "center"),
    ("centres", "centers"),
    ("metre", "meter"),
    ("metres", "meters"),
    ("litre", "liter"),
    ("litres", "liters"),
    ("aluminium", "aluminum"),
    ("sulphur", "sulfur"),
    ("sulphate", "sulfate"),
    ("sulphates", "sulfates"),
    ("sulphide", "sulfide"),
    ("sulphonic", "sulfonic"),
    ("tyre", "tire"),
    ("tyres", "tires"),
    ("jewellery", "jewelry"),
    ("grey", "gray"),
    ("mould", "mold"),
    ("moulds", "molds"),
    ("moulded", "molded"),
    ("moulding", "molding"),
    ("programme", "program"),
    ("yoghurt", "yogurt"),
    ("catalogue", "catalog"),
    ("ageing", "aging"),
    ("plough", "plow"),
    ("ploughs", "plows"),
    ("pyjamas", "pajamas"),
    ("moustache", "mustache"),
    ("manoeuvre", "maneuver"),
    ("oestrogen", "estrogen"),
    ("haemoglobin", "hemoglobin"),
    ("paediatric", "pediatric"),
    ("anaesthetic", "anesthetic"),
    ("anaesthetics", "anesthetics"),
    ("foetus", "fetus"),
    ("defence", "defense"),
    ("licence", "license"),
    ("draught", "draft"),
    ("storey", "story"),
    ("tonne", "ton"),
    ("tonnes", "tons"),
    // Unit words folded to the symbols the nomenclature uses ("weighing not more than 10kg").
    ("kilogram", "kg"),
    ("kilograms", "kg"),
    ("kilogramme", "kg"),
    ("kgs", "kg"),
    ("kilo", "kg"),
    ("kilos", "kg"),
    ("gram", "g"),
    ("grams", "g"),
    ("gramme", "g"),
    ("grammes", "g"),
    ("gr", "g"),
    ("cc", "cm3"),
    ("millilitre", "ml"),
    ("millilitres", "ml"),
    ("milliliter", "ml"),
    ("milliliters", "ml"),
    ("kilowatt", "kw"),
    ("kilowatts", "kw"),
    ("kilovolt", "kv"),
    ("kilovolts", "kv"),
    ("percent", "%"),
    ("pct", "%"),
];

/// Normalises one lower-cased word.
pub(crate) fn fold(word: &str) -> Option<&'static str> {
    WORDS
        .iter()
        .find(|(from, _)| *from == word)
        .map(|(_, to)| *to)
}

/// "-ised/-ising/-isation/-iser" → "-ized/…" (vulcanised, pasteurised, homogenised). Applied to
/// both sides, so the rare over-reach ("raised" → "raized") still matches itself.
pub(crate) fn ize(word: &str) -> Option<String> {
    const SUFFIXES: &[(&str, &str)] = &[
        ("isation", "ization"),
        ("isations", "izations"),
        ("ised", "ized"),
        ("ising", "izing"),
        ("iser", "izer"),
        ("isers", "izers"),
    ];
    SUFFIXES.iter().find_map(|(from, to)| {
        let stem = word.strip_suffix(from)?;
        (stem.len() >= 3).then(|| format!("{stem}{to}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_listed_words_and_ise_suffixes() {
        assert_eq!(fold("colour"), Some("color"));
        assert_eq!(fold("flour"), None);
        assert_eq!(ize("vulcanised").as_deref(), Some("vulcanized"));
        assert_eq!(ize("pasteurisation").as_deref(), Some("pasteurization"));
        assert_eq!(ize("used"), None);
        assert_eq!(ize("rise"), None);
    }
}
