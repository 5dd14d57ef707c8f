//! Where a version's rows come from: an upload, a labelled folder of the shared data, or
//! customs' own approved advance rulings.

use crate::rows::{LabelledRow, ParseError, check_row, finish};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// CSV or JSON Lines sent by the analyst.
    Upload,
    /// `labelled/<folder>/labelled.csv` of the shared data directory.
    Shared(String),
    /// Approved advance rulings of the e-Application service.
    Rulings,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("source is \"shared:<folder>\" or \"rulings\", got {0:?}")]
    Unknown(String),
    #[error("{0:?} is not a labelled folder name")]
    BadFolder(String),
}

impl Source {
    /// `shared:<folder>` or `rulings` (what a registration names; uploads carry their rows).
    pub fn parse(s: &str) -> Result<Source, SourceError> {
        let s = s.trim();
        if s == "rulings" {
            return Ok(Source::Rulings);
        }
        let Some(folder) = s.strip_prefix("shared:") else {
            return Err(SourceError::Unknown(s.to_string()));
        };
        let plain = !folder.is_empty()
            && !folder.starts_with('.')
            && folder
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if plain {
            Ok(Source::Shared(folder.to_string()))
        } else {
            Err(SourceError::BadFolder(folder.to_string()))
        }
    }

    /// How versions record it: `upload`, `shared:<folder>`, `rulings`.
    pub fn label(&self) -> String {
        match self {
            Source::Upload => "upload".into(),
            Source::Shared(folder) => format!("shared:{folder}"),
            Source::Rulings => "rulings".into(),
        }
    }
}

/// Rows of a shared folder as `corpus::read_labelled_rows` reads them. Another country's
/// national code (UK, US-HTS) keeps its first six digits, the HS 2022 subheading, since
/// only HS and Taiwan's own codes can be checked here; line numbers are the file's.
pub fn from_shared(
    folder: &str,
    rows: Vec<corpus::LabelledRow>,
) -> Result<Vec<LabelledRow>, ParseError> {
    let parsed = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let line = i + 2;
            let foreign = !matches!(r.code_system.as_str(), "" | "HS" | "TW");
            let digits: String = r.code.chars().filter(char::is_ascii_digit).collect();
            let code = if foreign && digits.len() > 6 {
                digits[..6].to_string()
            } else {
                r.code.clone()
            };
            let row = check_row(
                line,
                Some(&r.id),
                Some(&r.description),
                Some(&code),
                None,
                folder,
            );
            (line, row)
        })
        .collect();
    finish(parsed)
}

/// Approved rulings as rows: `(reference, description, code)`, each ruling its own id.
pub fn from_rulings<'a>(
    rulings: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> Result<Vec<LabelledRow>, ParseError> {
    let parsed = rulings
        .into_iter()
        .enumerate()
        .map(|(i, (reference, description, code))| {
            let row = check_row(
                i + 1,
                Some(reference),
                Some(description),
                Some(code),
                None,
                "rulings",
            );
            (i + 1, row)
        })
        .collect();
    finish(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_and_refuse_paths() {
        assert_eq!(
            Source::parse("shared:uk-ott-fpo-parcels"),
            Ok(Source::Shared("uk-ott-fpo-parcels".into()))
        );
        assert_eq!(Source::parse("rulings"), Ok(Source::Rulings));
        assert!(Source::parse("shared:../etc").is_err());
        assert!(Source::parse("shared:a/b").is_err());
        assert!(Source::parse("http://x").is_err());
        assert_eq!(Source::Shared("x".into()).label(), "shared:x");
    }

    #[test]
    fn foreign_codes_keep_their_subheading() {
        let row = |code: &str, system: &str| corpus::LabelledRow {
            id: format!("r{code}"),
            description: "abalone".into(),
            code: code.into(),
            code_system: system.into(),
        };
        let rows = from_shared(
            "set",
            vec![row("0307810000", "UK"), row("03078100001", "TW")],
        )
        .unwrap();
        assert_eq!(rows[0].code, "030781");
        assert_eq!(rows[1].code, "03078100001");
        assert_eq!(rows[0].source, "set");
        let rulings = from_rulings([("AR-1", "dried mango", "081340")]).unwrap();
        assert_eq!(rulings[0].id, "AR-1");
        assert_eq!(rulings[0].source, "rulings");
    }
}
