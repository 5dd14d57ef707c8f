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
    /// Word sequences that name the value only as the object of a use phrase ("for motor
    /// vehicles", "of a kind used in aircraft"; see [`crate::uses`]): elsewhere the same words
    /// say what the goods are, not what they serve.
    pub objects: &'static [&'static str],
}

const fn v(id: &'static str, label: &'static str, patterns: &'static [&'static str]) -> Value {
    Value {
        id,
        label,
        patterns,
        objects: &[],
    }
}

/// A use: words that name it anywhere, and words that name it after "for", "used in"….
const fn u(
    id: &'static str,
    label: &'static str,
    patterns: &'static [&'static str],
    objects: &'static [&'static str],
) -> Value {
    Value {
        id,
        label,
        patterns,
        objects,
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
        key: "use",
        question: "What is it used for?",
        other: "Something else / no particular use",
        values: &[
            u(
                "vehicles",
                "In motor vehicles, tractors or cycles",
                &[],
                &[
                    "motor vehicles",
                    "vehicles",
                    "motor cars",
                    "cars",
                    "car",
                    "trucks",
                    "lorries",
                    "tractors",
                    "cycles",
                    "bicycles",
                    "motorcycles",
                ],
            ),
            u(
                "craft",
                "In aircraft, ships or boats",
                &[],
                &[
                    "aircraft",
                    "civil aircraft",
                    "ships",
                    "boats",
                    "vessels",
                    "marine propulsion",
                ],
            ),
            u(
                "home",
                "In the home (household, domestic)",
                &["domestic", "household"],
                &["home", "kitchen"],
            ),
            u(
                "medical",
                "Medical, surgical, dental or veterinary",
                &["medical", "surgical", "dental", "veterinary"],
                &["therapeutic", "prophylactic"],
            ),
            u(
                "farming",
                "Farming, gardening or forestry",
                &[
                    "agricultural",
                    "horticultural",
                    "forestry",
                    "poultry keeping",
                    "dairy machinery",
                ],
                &["agriculture", "sowing", "animal feeding", "poultry"],
            ),
            u(
                "food",
                "Making food or drink",
                &[],
                &[
                    "food",
                    "drink",
                    "beverages",
                    "bakery",
                    "confectionery",
                    "milling industry",
                    "wine",
                    "tobacco",
                ],
            ),
            u(
                "textiles",
                "Making textiles, clothing or leather goods",
                &[
                    "textile machinery",
                    "weaving machines",
                    "knitting machines",
                    "sewing machines",
                ],
                &[
                    "textile", "textiles", "spinning", "weaving", "knitting", "sewing", "yarn",
                    "yarns", "hides", "leather", "footwear",
                ],
            ),
            u(
                "metal",
                "Working metal (machining, casting, welding)",
                &["metal rolling", "metal working"],
                &[
                    "working metal",
                    "metal",
                    "metallurgy",
                    "foundries",
                    "foundry",
                    "soldering",
                    "brazing",
                    "welding",
                ],
            ),
            u(
                "materials",
                "Working wood, stone, glass, rubber or plastics",
                &[],
                &[
                    "working wood",
                    "working stone",
                    "working rubber",
                    "cold working glass",
                ],
            ),
            u(
                "paper",
                "Making paper, printing or book-binding",
                &["printing machinery", "book binding"],
                &["printing", "paper", "paperboard", "pulp", "book binding"],
            ),
            u(
                "office",
                "Office work or data processing",
                &["office"],
                &["offices", "data processing", "calculating"],
            ),
            u(
                "lifting",
                "Lifting, handling, loading or unloading",
                &["lifting", "handling"],
                &[],
            ),
            u(
                "laboratory",
                "Laboratory or scientific work",
                &[],
                &["laboratory", "scientific"],
            ),
            u(
                "sport",
                "Sport or games",
                &["sports", "sport", "athletics", "gymnastics"],
                &["swimming", "games"],
            ),
            u(
                "goods",
                "Packing or carrying goods",
                &[],
                &[
                    "packing",
                    "conveyance",
                    "carriage of goods",
                    "transport of goods",
                ],
            ),
            u(
                "people",
                "Carrying people",
                &[],
                &["transport of persons", "persons", "passengers"],
            ),
            u(
                "measuring",
                "Measuring, checking or testing",
                &[],
                &["measuring", "checking", "testing"],
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
