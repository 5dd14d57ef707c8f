//! The attributes that the nomenclature's texts split on, and the words that name each value.
//! Curated by hand from how HS 2022 words its distinctions; [`crate::attributes`] finds where
//! in the tree each one decides between branches.

pub struct Dimension {
    pub key: &'static str,
    pub question: &'static str,
    /// The label of the "none of the above" option.
    pub other: &'static str,
    pub values: &'static [Value],
}

pub struct Value {
    pub id: &'static str,
    pub label: &'static str,
    /// Word sequences, as [`crate::words::words`] splits them. Patterns that start with "not"
    /// or "non" name a negative value and are not themselves negated.
    pub patterns: &'static [&'static str],
}

const fn v(id: &'static str, label: &'static str, patterns: &'static [&'static str]) -> Value {
    Value {
        id,
        label,
        patterns,
    }
}

pub const DIMENSIONS: &[Dimension] = &[
    Dimension {
        key: "material",
        question: "What are the goods made of (the main material)?",
        other: "Another material",
        values: &[
            v("cotton", "Cotton", &["cotton"]),
            v(
                "wool",
                "Wool or fine animal hair",
                &["wool", "fine animal hair"],
            ),
            v(
                "synthetic",
                "Synthetic fibres (polyester, nylon, acrylic…)",
                &[
                    "synthetic fibres",
                    "synthetic fibre",
                    "synthetic filament",
                    "synthetic staple",
                ],
            ),
            v(
                "artificial",
                "Artificial fibres (viscose, rayon…)",
                &[
                    "artificial fibres",
                    "artificial filament",
                    "artificial staple",
                ],
            ),
            v("silk", "Silk", &["silk"]),
            v("flax", "Flax (linen)", &["flax"]),
            v("leather", "Leather", &["leather", "composition leather"]),
            v("plastics", "Plastics", &["plastics", "plastic"]),
            v("rubber", "Rubber", &["rubber", "vulcanised rubber"]),
            v("wood", "Wood", &["wood", "wooden"]),
            v("bamboo", "Bamboo or rattan", &["bamboo", "rattan"]),
            v("paper", "Paper or paperboard", &["paper", "paperboard"]),
            v("glass", "Glass", &["glass"]),
            v(
                "ceramic",
                "Ceramic or porcelain",
                &["ceramic", "porcelain", "stoneware", "earthenware"],
            ),
            v(
                "steel",
                "Iron or steel",
                &["iron or steel", "stainless steel", "steel", "cast iron"],
            ),
            v("aluminium", "Aluminium", &["aluminium"]),
            v("copper", "Copper", &["copper"]),
            v(
                "precious",
                "Precious metal (gold, silver, platinum)",
                &["precious metal", "gold", "silver", "platinum"],
            ),
            v("stone", "Stone or marble", &["stone", "marble", "granite"]),
        ],
    },
    Dimension {
        key: "state",
        question: "In what state are the goods?",
        other: "None of these",
        values: &[
            v("live", "Live (animals)", &["live"]),
            v("fresh", "Fresh or chilled", &["fresh", "chilled"]),
            v("frozen", "Frozen", &["frozen"]),
            v("dried", "Dried", &["dried", "dehydrated", "desiccated"]),
            v(
                "salted",
                "Salted, in brine or smoked",
                &["salted", "in brine", "smoked"],
            ),
            v("roasted", "Roasted", &["roasted"]),
            v("not_roasted", "Not roasted", &["not roasted"]),
            v(
                "prepared",
                "Cooked, prepared or preserved",
                &["prepared or preserved", "cooked", "preserved"],
            ),
            v(
                "ground",
                "Ground or powdered",
                &["crushed or ground", "powdered", "in powder", "powder"],
            ),
            v("unwrought", "Raw or unwrought", &["unwrought", "raw"]),
        ],
    },
    Dimension {
        key: "wearer",
        question: "Who are the goods for?",
        other: "Anyone / not made for a particular person",
        values: &[
            v("men", "Men or boys", &["mens", "boys"]),
            v("women", "Women or girls", &["womens", "girls"]),
            v("babies", "Babies", &["babies", "babys"]),
        ],
    },
    Dimension {
        key: "fabric",
        question: "Is the fabric knitted or crocheted?",
        other: "No fabric / not applicable",
        values: &[
            v("knitted", "Knitted or crocheted", &["knitted", "crocheted"]),
            v(
                "woven",
                "Not knitted or crocheted (woven)",
                &["not knitted", "woven"],
            ),
        ],
    },
    Dimension {
        key: "power",
        question: "Does it work with electricity?",
        other: "Not applicable",
        values: &[
            v(
                "electric",
                "Yes, electric",
                &["electric", "electrical", "electrically"],
            ),
            v(
                "non_electric",
                "No, not electric",
                &["non electric", "not electric", "non electrical"],
            ),
        ],
    },
    Dimension {
        key: "retail",
        question: "Is it put up for retail sale (packed for the final consumer)?",
        other: "Not applicable",
        values: &[
            v("retail", "Yes, for retail sale", &["for retail sale"]),
            v(
                "bulk",
                "No, in bulk / not for retail sale",
                &[
                    "not put up for retail sale",
                    "not for retail sale",
                    "in bulk",
                ],
            ),
        ],
    },
];
