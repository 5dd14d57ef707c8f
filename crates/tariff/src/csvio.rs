//! The CSV plumbing every loader here shares: one error type, header checks, line numbers.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{file} line {line}: {message}")]
    Invalid {
        file: &'static str,
        line: u64,
        message: String,
    },
    #[error("loading HS 2022 to check the tariff's codes: {0}")]
    Hs(#[from] nomenclature::LoadError),
}

pub(crate) fn invalid(file: &'static str, line: u64, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        file,
        line,
        message: message.into(),
    }
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })
}

pub(crate) fn read_all(mut r: impl std::io::Read, name: &str) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::new();
    r.read_to_end(&mut bytes).map_err(|source| LoadError::Io {
        path: name.to_string(),
        source,
    })?;
    Ok(bytes)
}

pub(crate) fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new().from_reader(bytes)
}

/// Maps the header's names to positions, failing on a missing column.
pub(crate) fn columns<const N: usize>(
    reader: &mut csv::Reader<&[u8]>,
    file: &'static str,
    wanted: [&str; N],
) -> Result<[usize; N], LoadError> {
    let headers = reader
        .headers()
        .map_err(|e| invalid(file, 1, format!("unreadable header: {e}")))?
        .clone();
    let mut out = [0; N];
    for (slot, name) in out.iter_mut().zip(wanted) {
        *slot = headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| invalid(file, 1, format!("missing column {name:?}")))?;
    }
    Ok(out)
}

/// Records with the (1-based, header = 1) line each starts on.
pub(crate) fn records<'r>(
    reader: &'r mut csv::Reader<&[u8]>,
    file: &'static str,
) -> impl Iterator<Item = Result<(u64, csv::StringRecord), LoadError>> + 'r {
    reader.records().map(move |r| match r {
        Ok(rec) => Ok((rec.position().map_or(0, |p| p.line()), rec)),
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Err(invalid(file, line, format!("malformed CSV: {e}")))
        }
    })
}

/// A `yes`/`no`/empty flag column.
pub(crate) fn flag(file: &'static str, line: u64, raw: &str) -> Result<Option<bool>, LoadError> {
    match raw.trim() {
        "" => Ok(None),
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        other => Err(invalid(
            file,
            line,
            format!("{other:?} is not yes, no or empty"),
        )),
    }
}
