//! Labelled data sets, shared by the API and the pages: registering a version (from an
//! upload, a shared labelled folder or the approved rulings), reading versions and cards.
//! The rules (parsing, hashing, the card, splits) are the `platform` crate's.

use axum::http::StatusCode;
use platform::{CardContext, DataCard, LabelledRow, ParseError, Source, SourceError};
use store::datasets::{Added, DatasetRow, DatasetVersion, VersionMeta};

use super::i18n::Lang;
use super::i18n::data_problems::Registering;
use super::i18n::missing::Missing;
use super::i18n::problems::Sentence;
use super::{Caller, platform};
use crate::problem::{FieldProblem, Say};
use crate::{AppState, Problem};

/// What a registration is made from.
pub(crate) enum Input {
    Upload {
        bytes: Vec<u8>,
        filename: Option<String>,
    },
    Source(Source),
    /// Rows made here (a correction of the newest version), with what made them.
    Rows {
        rows: Vec<LabelledRow>,
        source: String,
    },
}

/// The version a registration made, or the newest one when the content was identical.
pub(crate) struct Outcome {
    pub created: bool,
    pub meta: VersionMeta,
}

impl Outcome {
    pub fn message(&self) -> String {
        if self.created {
            format!(
                "Version {} of {} registered: {} rows.",
                self.meta.version, self.meta.name, self.meta.row_count
            )
        } else {
            format!(
                "Identical to version {} of {} (sha256 {}…): no new version.",
                self.meta.version,
                self.meta.name,
                &self.meta.sha256[..12]
            )
        }
    }
}

pub(crate) fn parse_problem(e: ParseError) -> Problem {
    match e {
        ParseError::TooManyRows { .. } => {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string()).saying(e)
        }
        ParseError::Rows { ref errors, .. } => {
            let lines = errors
                .iter()
                .map(|r| {
                    FieldProblem::new("row", r.reason.clone())
                        .at_line(r.line)
                        .saying(r.problem.clone())
                })
                .collect();
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{e}."))
                .with_errors(lines)
                .saying(Sentence(e))
        }
        other => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{other}."))
            .saying(Sentence(other)),
    }
}

fn check_name(name: &str) -> Result<(), Problem> {
    platform::check_name(name).map_err(|m| {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("name: {m}."))
            .saying(Sentence(m.clone()))
            .with_errors(vec![FieldProblem::new("name", m.to_string()).saying(m)])
    })
}

/// A registration's `source` that names no source.
pub(crate) fn source_problem(e: SourceError) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("source: {e}.")).saying(Sentence(e))
}

/// The shared labelled folders one may register, as `shared:<folder>`, and `rulings`.
pub(crate) fn sources(state: &AppState) -> Vec<String> {
    corpus::labelled_sets(&state.data_dir)
        .into_iter()
        .map(|f| format!("shared:{f}"))
        .chain(["rulings".to_string()])
        .collect()
}

fn refused(said: Registering) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, said.say(Lang::En)).saying(said)
}

async fn rows_of(
    state: &AppState,
    input: Input,
) -> Result<(Vec<LabelledRow>, String, Option<String>), Problem> {
    match input {
        Input::Upload { bytes, filename } => {
            let format = platform::Format::detect(&bytes);
            let rows = platform::parse_rows(&bytes, format, "upload").map_err(parse_problem)?;
            Ok((rows, Source::Upload.label(), filename))
        }
        Input::Source(Source::Shared(folder)) => {
            let read = corpus::read_labelled_rows(&state.data_dir, &folder).map_err(|e| {
                tracing::error!(error = %e, "reading a shared labelled set");
                refused(Registering::SharedUnreadable(e.to_string()))
            })?;
            let Some((raw, _)) = read else {
                return Err(refused(Registering::NoSuchFolder {
                    folder,
                    known: sources(state),
                }));
            };
            let rows = platform::from_shared(&folder, raw).map_err(parse_problem)?;
            Ok((rows, Source::Shared(folder).label(), None))
        }
        Input::Source(Source::Rulings) => {
            let examples = platform(state).store.labelled_examples().await?;
            let rows = platform::from_rulings(examples.iter().map(|e| {
                (
                    e.reference.as_str(),
                    e.description.as_str(),
                    e.code.as_str(),
                )
            }))
            .map_err(|e| match e {
                ParseError::Empty => refused(Registering::NoRulingsYet),
                other => parse_problem(other),
            })?;
            Ok((rows, Source::Rulings.label(), None))
        }
        Input::Rows { rows, source } => Ok((rows, source, None)),
        Input::Source(Source::Upload) => {
            let said = Registering::UploadIsNoSource;
            Err(Problem::bad_request(said.say(Lang::En)).saying(said))
        }
    }
}

/// Registers `input` as the next version of `name`, unless the newest version holds the
/// same rows. The card is computed off the async workers; the write is one audited
/// transaction.
pub(crate) async fn register(
    state: &AppState,
    caller: &Caller,
    name: &str,
    input: Input,
) -> Result<Outcome, Problem> {
    check_name(name)?;
    let (mut rows, source, filename) = rows_of(state, input).await?;
    platform::canonical_order(&mut rows);
    let sha256 = platform::content_hash(&rows);
    let store = &platform(state).store;
    if let Some(latest) = store.dataset_version(name, None).await?
        && latest.meta.sha256 == sha256
    {
        return Ok(Outcome {
            created: false,
            meta: latest.meta,
        });
    }
    let index = state.index.clone();
    let national = state.tariff.clone();
    let (rows, computed) = tokio::task::spawn_blocking(move || {
        let ctx = CardContext {
            hs: index.nomenclature(),
            tariff: national.as_deref().map(|n| n.tw.as_ref()),
        };
        let computed =
            platform::compute_card(&rows, ctx, platform::SIMILARITY_THRESHOLD, &mut |_, _| {});
        (rows, computed)
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "computing a data card");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The data card could not be computed.",
        )
    })?;
    let stored: Vec<DatasetRow> = rows
        .into_iter()
        .zip(&computed.splits)
        .map(|(r, split)| DatasetRow {
            id: r.id,
            text: r.text,
            code: r.code,
            source: r.source,
            split: split.as_str().into(),
        })
        .collect();
    let version = DatasetVersion {
        meta: VersionMeta {
            name: name.to_string(),
            version: 0,
            sha256,
            source,
            filename,
            row_count: stored.len() as i64,
            created_at: store::now(),
            created_by: caller.audit_name(),
        },
        card: serde_json::to_string(&computed.card).expect("a card serialises"),
    };
    let mut tx = store.write().await?;
    let added = tx.add_dataset_version(&version, &stored).await?;
    tx.commit().await?;
    Ok(match added {
        Added::New(meta) => Outcome {
            created: true,
            meta,
        },
        Added::Unchanged(meta) => Outcome {
            created: false,
            meta,
        },
    })
}

/// A version number from the path: digits, or `v` and digits.
pub(crate) fn version_number(name: &str, raw: &str) -> Result<i64, Problem> {
    raw.trim_start_matches('v')
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| {
            Missing::Version {
                name: name.to_string(),
                version: format!("{raw:?}"),
            }
            .problem()
        })
}

/// A version's metadata and card.
pub(crate) async fn load_card(
    state: &AppState,
    name: &str,
    version: &str,
) -> Result<(VersionMeta, DataCard), Problem> {
    let n = version_number(name, version)?;
    let stored = platform(state)
        .store
        .dataset_version(name, Some(n))
        .await?
        .ok_or_else(|| {
            Missing::Version {
                name: name.to_string(),
                version: n.to_string(),
            }
            .problem()
        })?;
    let card = serde_json::from_str(&stored.card).map_err(|e| {
        tracing::error!(error = %e, name, version = n, "a stored data card does not parse");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The stored data card cannot be read.",
        )
    })?;
    Ok((stored.meta, card))
}

/// Whether the caller may register data sets (the pages show the forms only then).
pub(crate) fn may_register(caller: &Caller) -> bool {
    super::access::endpoint("POST", "/api/v1/datasets")
        .is_some_and(|e| e.access.admits(caller.actor.role()))
}
