use std::fmt;

/// The depth of an HS code: chapter (2 digits), heading (4) or subheading (6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Chapter,
    Heading,
    Subheading,
}

impl Level {
    pub fn digits(self) -> usize {
        match self {
            Level::Chapter => 2,
            Level::Heading => 4,
            Level::Subheading => 6,
        }
    }

    pub fn from_digits(n: usize) -> Option<Level> {
        match n {
            2 => Some(Level::Chapter),
            4 => Some(Level::Heading),
            6 => Some(Level::Subheading),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Chapter => "chapter",
            Level::Heading => "heading",
            Level::Subheading => "subheading",
        }
    }
}

/// A syntactically valid HS code of 2, 4 or 6 digits. Whether it exists is the
/// [`crate::Nomenclature`]'s business; this type only guarantees the shape.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HsCode {
    // Invariant: 2, 4 or 6 ASCII digits.
    digits: Box<str>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeParseError {
    #[error("an HS code cannot be empty")]
    Empty,
    #[error("an HS code contains only digits, dots and spaces; found {0:?}")]
    BadCharacter(char),
    #[error("an HS code has 2, 4 or 6 digits; {0:?} has {1}")]
    BadLength(String, usize),
}

impl HsCode {
    /// Parses "8471.30", "847130", "84.71", "8471 30" and the like. Separators (dot, space,
    /// hyphen) are ignored; everything else must be a digit.
    pub fn parse(input: &str) -> Result<HsCode, CodeParseError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(CodeParseError::Empty);
        }
        let mut digits = String::with_capacity(6);
        for c in trimmed.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '.' | ' ' | '-' => {}
                other => return Err(CodeParseError::BadCharacter(other)),
            }
        }
        if Level::from_digits(digits.len()).is_none() {
            let n = digits.len();
            return Err(CodeParseError::BadLength(trimmed.to_string(), n));
        }
        Ok(HsCode {
            digits: digits.into_boxed_str(),
        })
    }

    /// True when `input` looks like someone typed a code rather than words.
    pub fn looks_like_code(input: &str) -> bool {
        let t = input.trim();
        !t.is_empty()
            && t.chars().any(|c| c.is_ascii_digit())
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ' ' | '-'))
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn level(&self) -> Level {
        Level::from_digits(self.digits.len()).expect("invariant: 2, 4 or 6 digits")
    }

    /// The enclosing code: heading for a subheading, chapter for a heading, none for a chapter.
    pub fn parent(&self) -> Option<HsCode> {
        match self.level() {
            Level::Chapter => None,
            level => Some(self.truncate(level.digits() - 2)),
        }
    }

    pub fn chapter(&self) -> HsCode {
        self.truncate(2)
    }

    /// Whether `self` is `other` or lies below it in the tree.
    pub fn starts_with(&self, other: &HsCode) -> bool {
        self.digits.starts_with(&*other.digits)
    }

    fn truncate(&self, n: usize) -> HsCode {
        HsCode {
            digits: self.digits[..n].into(),
        }
    }

    /// The customary written form: "84" for a chapter, "84.71" for a heading, "8471.30" for a
    /// subheading.
    pub fn dotted(&self) -> String {
        let d = &*self.digits;
        match self.level() {
            Level::Chapter => d.to_string(),
            Level::Heading => format!("{}.{}", &d[..2], &d[2..]),
            Level::Subheading => format!("{}.{}", &d[..4], &d[4..]),
        }
    }
}

impl fmt::Display for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl fmt::Debug for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HsCode({})", self.digits)
    }
}

impl std::str::FromStr for HsCode {
    type Err = CodeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HsCode::parse(s)
    }
}

impl serde::Serialize for HsCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.digits)
    }
}

impl<'de> serde::Deserialize<'de> for HsCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        HsCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_spellings() {
        for input in ["847130", "8471.30", " 8471 30 ", "84.71.30"] {
            assert_eq!(HsCode::parse(input).unwrap().as_str(), "847130", "{input}");
        }
        assert_eq!(HsCode::parse("84.71").unwrap().level(), Level::Heading);
        assert_eq!(HsCode::parse("01").unwrap().level(), Level::Chapter);
    }

    #[test]
    fn rejects_bad_shapes() {
        assert_eq!(HsCode::parse("  "), Err(CodeParseError::Empty));
        assert!(matches!(
            HsCode::parse("84713"),
            Err(CodeParseError::BadLength(_, 5))
        ));
        assert!(matches!(
            HsCode::parse("8471x0"),
            Err(CodeParseError::BadCharacter('x'))
        ));
        assert!(matches!(
            HsCode::parse("84713012"),
            Err(CodeParseError::BadLength(_, 8))
        ));
    }

    #[test]
    fn walks_up_the_tree_and_formats() {
        let c = HsCode::parse("847130").unwrap();
        assert_eq!(c.parent().unwrap().as_str(), "8471");
        assert_eq!(c.parent().unwrap().parent().unwrap().as_str(), "84");
        assert_eq!(c.chapter().parent(), None);
        assert_eq!(c.dotted(), "8471.30");
        assert_eq!(c.parent().unwrap().dotted(), "84.71");
        assert!(c.starts_with(&c.chapter()));
    }

    #[test]
    fn tells_codes_from_words() {
        assert!(HsCode::looks_like_code("8471.30"));
        assert!(!HsCode::looks_like_code("laptop 15 inch"));
        assert!(!HsCode::looks_like_code("..."));
    }
}
