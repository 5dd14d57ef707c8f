//! The guided dialogue over JSON: POST /api/v1/guide starts one, then `answer`, `back` and
//! GET on the session token. The token carries the whole dialogue (see `guide_token`).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use guide::{Answer, Dialogue, Guide, Step};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::guide_token::{self, FINISHED_TTL_SECS, OPEN_TTL_SECS, TokenError};
use crate::limits::{MAX_ANSWER_TEXT_CHARS, MAX_GUIDE_ANSWERS, MAX_GUIDE_DESCRIPTION_CHARS};
use crate::problem::Say;
use crate::web::Lang;
use crate::{AppState, Problem};

#[derive(Deserialize, ToSchema, Default)]
pub struct StartRequest {
    /// The goods in the user's own words (optional; without it the dialogue starts from the
    /// top of the tree). Up to 1,000 characters.
    #[schema(example = "dried fruit")]
    pub description: Option<String>,
}

/// Exactly one of `choice`, `text` or `pick`.
#[derive(Deserialize, ToSchema, Default)]
pub struct AnswerRequest {
    /// The id of one of the question's choices (`not_sure` included).
    pub choice: Option<String>,
    /// Free text: a value ("cotton", "125 cc") or more description. Up to 300 characters.
    pub text: Option<String>,
    /// Ends the dialogue with one of the current candidates' codes.
    pub pick: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GuideChoice {
    pub id: String,
    pub label: String,
    /// The full nomenclature text behind a shortened label.
    pub detail: Option<String>,
    /// Code prefixes this choice keeps (for an attribute: the likely codes it keeps).
    pub keeps: Vec<String>,
    /// Code prefixes this choice rules out ("none of these"; "something else" in a branch:
    /// the branch's parts shown beside it).
    pub excludes: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GuideQuestion {
    pub key: String,
    /// tree:section|chapter|heading|subheading, tree:any (branches of mixed levels; a choice
    /// `rest:<branch>` is the branch less the choices shown under it), tree:range (runs of
    /// consecutive headings of one chapter), an attribute (material, state, wearer, fabric,
    /// use, power, retail) or unit:<unit> for a measured quantity.
    pub topic: String,
    pub text: String,
    pub choices: Vec<GuideChoice>,
}

#[derive(Serialize, ToSchema)]
pub struct GuideCandidate {
    pub code: String,
    pub dotted: String,
    pub probability: f64,
    /// The subheading with its chapter and heading.
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct KnownFact {
    pub topic: String,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct GivenAnswer {
    pub question: String,
    pub answer: String,
}

#[derive(Serialize, ToSchema)]
pub struct MatchedText {
    pub code: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct Justification {
    pub question: String,
    pub answer: String,
    /// The nomenclature texts on the result's path that this answer agrees with.
    pub matched: Vec<MatchedText>,
}

#[derive(Serialize, ToSchema)]
pub struct RuledOutCode {
    pub code: String,
    pub description: String,
    /// Its probability before any answer.
    pub prior: f64,
    pub by: String,
}

#[derive(Serialize, ToSchema)]
pub struct GuideOutcome {
    pub code: String,
    pub dotted: String,
    pub description: String,
    pub probability: f64,
    /// confident, picked, no_more_questions or question_limit.
    pub reason: String,
    pub justification: Vec<Justification>,
    pub ruled_out: Vec<RuledOutCode>,
}

#[derive(Serialize, ToSchema)]
pub struct GuideLinks {
    #[serde(rename = "self")]
    pub this: String,
    pub answer: String,
    pub back: String,
    /// The same step as a web page, to share.
    pub page: String,
}

#[derive(Serialize, ToSchema)]
pub struct GuideResponse {
    /// The session token: pass it back to answer. Each step returns a new one; older ones
    /// stay valid, so a token is also a permanent link to its step.
    pub session: String,
    /// Seconds since the epoch after which the token is refused (410).
    pub expires_at: u64,
    pub description: String,
    pub question: Option<GuideQuestion>,
    pub candidates: Vec<GuideCandidate>,
    /// Characteristics read from the description, applied without asking.
    pub known: Vec<KnownFact>,
    pub answers: Vec<GivenAnswer>,
    /// Questions answered so far.
    pub asked: usize,
    /// The probability one subheading must reach to end the dialogue.
    pub threshold: f64,
    pub outcome: Option<GuideOutcome>,
    pub links: GuideLinks,
}

pub(crate) enum Action {
    Start(String),
    Show,
    Answer(AnswerRequest),
    Back,
}

fn token_problem(e: TokenError) -> Problem {
    let status = match e {
        TokenError::Invalid => StatusCode::NOT_FOUND,
        TokenError::Expired => StatusCode::GONE,
    };
    Problem::new(status, e.say(Lang::En)).saying(e)
}

fn unprocessable(detail: String) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
}

fn answer_for(dialogue: &Dialogue, step: &Step, req: AnswerRequest) -> Result<Answer, Problem> {
    let given = [req.choice.is_some(), req.text.is_some(), req.pick.is_some()];
    if given.iter().filter(|&&g| g).count() != 1 {
        return Err(Problem::bad_request(
            "Give exactly one of `choice`, `text` or `pick`.",
        ));
    }
    if let Some(code) = req.pick {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        return step
            .candidates
            .iter()
            .find(|c| c.code.as_str() == digits)
            .map(|c| Answer::Pick(c.code.clone()))
            .ok_or_else(|| {
                unprocessable(format!(
                    "{code} is not one of the current candidates: {}.",
                    step.candidates
                        .iter()
                        .map(|c| c.code.dotted())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
    }
    let Some(question) = &step.question else {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "The dialogue has ended; go back to change an answer, or start again.",
        ));
    };
    if let Some(id) = req.choice {
        return Guide::choose(question, &id).ok_or_else(|| {
            unprocessable(format!(
                "`{id}` is not a choice of this question; the choices are: {}.",
                question
                    .choices
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        });
    }
    let text = req.text.unwrap_or_default();
    let text = text.trim();
    let n = text.chars().count();
    if n == 0 || n > MAX_ANSWER_TEXT_CHARS {
        return Err(Problem::bad_request(format!(
            "`text` must have 1 to {MAX_ANSWER_TEXT_CHARS} characters; it has {n}."
        )));
    }
    let total = dialogue.text().chars().count() + n;
    if total > MAX_GUIDE_DESCRIPTION_CHARS {
        return Err(Problem::bad_request(format!(
            "The description and the text answers together may have {MAX_GUIDE_DESCRIPTION_CHARS} characters; this answer would make {total}."
        )));
    }
    Ok(Guide::interpret(question, text))
}

/// Runs one action on a session (or starts one) and describes the resulting step.
pub(crate) async fn run(
    state: &AppState,
    token: Option<String>,
    action: Action,
) -> Result<GuideResponse, Problem> {
    let dialogue = match (&action, token) {
        (Action::Start(description), _) => {
            let n = description.trim().chars().count();
            if n > MAX_GUIDE_DESCRIPTION_CHARS {
                return Err(Problem::bad_request(format!(
                    "The description has {n} characters; the limit is {MAX_GUIDE_DESCRIPTION_CHARS}."
                )));
            }
            Dialogue::new(description)
        }
        (_, Some(token)) => {
            guide_token::decode(&state.guide_key, &token, guide_token::now())
                .map_err(token_problem)?
                .0
        }
        (_, None) => return Err(Problem::not_found("No session given.")),
    };
    let guide = state.guide.clone();
    let outcome = tokio::task::spawn_blocking(move || -> Result<(Dialogue, Step), Problem> {
        let mut dialogue = dialogue;
        match action {
            Action::Start(_) | Action::Show => {}
            Action::Back => {
                if !dialogue.back() {
                    return Err(Problem::new(
                        StatusCode::CONFLICT,
                        "There is no answer to take back.",
                    ));
                }
            }
            Action::Answer(req) => {
                if dialogue.answers.len() >= MAX_GUIDE_ANSWERS {
                    return Err(unprocessable(format!(
                        "A dialogue takes at most {MAX_GUIDE_ANSWERS} answers."
                    )));
                }
                let current = guide.step(&dialogue);
                let answer = answer_for(&dialogue, &current, req)?;
                dialogue.answers.push(answer);
            }
        }
        let step = guide.step(&dialogue);
        Ok((dialogue, step))
    })
    .await
    .map_err(|_| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "The dialogue failed."))??;
    let (dialogue, step) = outcome;
    state.metrics.classifications.inc();
    Ok(response(state, &dialogue, step))
}

fn response(state: &AppState, dialogue: &Dialogue, step: Step) -> GuideResponse {
    let ttl = if step.outcome.is_some() {
        FINISHED_TTL_SECS
    } else {
        OPEN_TTL_SECS
    };
    let expires_at = guide_token::now() + ttl;
    let session = guide_token::encode(&state.guide_key, dialogue, expires_at);
    let hs = state.index.nomenclature();
    let links = GuideLinks {
        this: format!("/api/v1/guide/{session}"),
        answer: format!("/api/v1/guide/{session}/answer"),
        back: format!("/api/v1/guide/{session}/back"),
        page: format!("/guide/{session}"),
    };
    GuideResponse {
        expires_at,
        description: dialogue.description.clone(),
        question: step.question.map(|q| GuideQuestion {
            key: q.key,
            topic: q.topic,
            text: q.text,
            choices: q
                .choices
                .into_iter()
                .map(|c| GuideChoice {
                    excludes: match &c.rule {
                        guide::Rule::Exclude(p) | guide::Rule::Within { except: p, .. } => {
                            p.clone()
                        }
                        _ => Vec::new(),
                    },
                    id: c.id,
                    label: c.label,
                    detail: c.detail,
                    keeps: c.keeps,
                })
                .collect(),
        }),
        candidates: step
            .candidates
            .into_iter()
            .map(|c| GuideCandidate {
                dotted: c.code.dotted(),
                code: c.code.as_str().into(),
                probability: c.probability,
                description: c.description,
            })
            .collect(),
        known: step
            .known
            .into_iter()
            .map(|k| KnownFact {
                topic: k.topic,
                label: k.label,
            })
            .collect(),
        answers: dialogue
            .answers
            .iter()
            .map(|a| match a {
                Answer::Choice {
                    question, label, ..
                } => GivenAnswer {
                    question: question.clone(),
                    answer: label.clone(),
                },
                Answer::Text(t) => GivenAnswer {
                    question: "More detail".into(),
                    answer: t.clone(),
                },
                Answer::Pick(code) => GivenAnswer {
                    question: "Picked".into(),
                    answer: code.dotted(),
                },
            })
            .collect(),
        asked: step.asked,
        threshold: state.guide.settings().threshold,
        outcome: step.outcome.map(|o| GuideOutcome {
            description: hs.path_text(&o.code),
            dotted: o.code.dotted(),
            code: o.code.as_str().into(),
            probability: o.probability,
            reason: o.reason.as_str().into(),
            justification: o
                .justification
                .into_iter()
                .map(|r| Justification {
                    question: r.question,
                    answer: r.answer,
                    matched: r
                        .matched
                        .into_iter()
                        .map(|(code, text)| MatchedText {
                            code: code.as_str().into(),
                            text,
                        })
                        .collect(),
                })
                .collect(),
            ruled_out: o
                .ruled_out
                .into_iter()
                .map(|r| RuledOutCode {
                    code: r.code.as_str().into(),
                    description: r.description,
                    prior: r.prior,
                    by: r.by,
                })
                .collect(),
        }),
        session,
        links,
    }
}

fn reply(
    state: &AppState,
    headers: &HeaderMap,
    result: Result<GuideResponse, Problem>,
) -> Response {
    let lang = Lang::negotiate(None, headers);
    match result {
        Ok(r) => Json(in_lang(state, lang, r)).into_response(),
        Err(p) => p.into_response(),
    }
}

/// The step in the reader's language (the guide speaks English; Chinese is put on top).
pub(crate) fn in_lang(state: &AppState, lang: Lang, mut r: GuideResponse) -> GuideResponse {
    if lang == Lang::ZhTw {
        super::guide_zh::localise(state, &mut r);
    }
    r
}

#[utoipa::path(
    post,
    path = "/api/v1/guide",
    tag = "classification",
    request_body = StartRequest,
    responses(
        (status = 200, description = "The first step: a question, or already the result", body = GuideResponse),
        (status = 400, description = "Description over 1,000 characters, malformed JSON", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<StartRequest>, JsonRejection>,
) -> Response {
    let req = match body {
        Ok(Json(b)) => b,
        Err(e) => return Problem::new(e.status(), e.body_text()).into_response(),
    };
    let description = req.description.unwrap_or_default();
    reply(
        &state,
        &headers,
        run(&state, None, Action::Start(description)).await,
    )
}

#[utoipa::path(
    get,
    path = "/api/v1/guide/{session}",
    tag = "classification",
    params(("session" = String, Path, description = "The session token of a step")),
    responses(
        (status = 200, description = "That step again", body = GuideResponse),
        (status = 404, description = "Not a session token of this service", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The session has expired", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(session): Path<String>,
) -> Response {
    reply(
        &state,
        &headers,
        run(&state, Some(session), Action::Show).await,
    )
}

#[utoipa::path(
    post,
    path = "/api/v1/guide/{session}/answer",
    tag = "classification",
    params(("session" = String, Path, description = "The session token of the step answered")),
    request_body = AnswerRequest,
    responses(
        (status = 200, description = "The next step", body = GuideResponse),
        (status = 400, description = "Not exactly one of choice, text, pick; text too long", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a session token of this service", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dialogue has already ended", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such choice, or a pick that is not a candidate", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(session): Path<String>,
    body: Result<Json<AnswerRequest>, JsonRejection>,
) -> Response {
    let req = match body {
        Ok(Json(b)) => b,
        Err(e) => return Problem::new(e.status(), e.body_text()).into_response(),
    };
    reply(
        &state,
        &headers,
        run(&state, Some(session), Action::Answer(req)).await,
    )
}

#[utoipa::path(
    post,
    path = "/api/v1/guide/{session}/back",
    tag = "classification",
    params(("session" = String, Path, description = "The session token of the current step")),
    responses(
        (status = 200, description = "The step before the last answer", body = GuideResponse),
        (status = 404, description = "Not a session token of this service", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing to take back", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The session has expired", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn back(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(session): Path<String>,
) -> Response {
    reply(
        &state,
        &headers,
        run(&state, Some(session), Action::Back).await,
    )
}
