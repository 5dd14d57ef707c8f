//! Guided-dialogue sessions as signed tokens: the dialogue itself (description and answers),
//! deflated, base64url, with an HMAC-SHA256 tag and an expiry. Any instance that shares the
//! key can continue any session, so the server stays stateless and horizontally scalable.
//!
//! Written here rather than with a JWT crate: one symmetric algorithm, our own payload, and
//! no header negotiation to get wrong.

use std::io::{Read, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use guide::{Answer, Dialogue, Rule};
use hmac::{Hmac, Mac};
use nomenclature::HsCode;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// An unfinished dialogue lives a day; a finished one, a shareable result, ninety.
pub const OPEN_TTL_SECS: u64 = 24 * 3600;
pub const FINISHED_TTL_SECS: u64 = 90 * 24 * 3600;
/// Bytes of the HMAC tag kept: 128 bits.
const TAG_BYTES: usize = 16;
/// Refuse to inflate past this: a token is small by construction.
const MAX_PAYLOAD: u64 = 64 * 1024;

#[derive(Clone)]
pub struct TokenKey([u8; 32]);

impl TokenKey {
    pub fn new(bytes: [u8; 32]) -> TokenKey {
        TokenKey(bytes)
    }

    pub fn random() -> TokenKey {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source");
        TokenKey(bytes)
    }

    fn tag(&self, payload: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(payload);
        mac.finalize().into_bytes()[..TAG_BYTES].to_vec()
    }
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Malformed, or signed with another key, or altered.
    Invalid,
    Expired,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    /// Format version.
    v: u8,
    /// Expiry, seconds since the epoch.
    x: u64,
    d: String,
    a: Vec<WireAnswer>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "k")]
enum WireAnswer {
    C {
        key: String,
        t: String,
        q: String,
        c: String,
        l: String,
        r: WireRule,
    },
    T {
        text: String,
    },
    P {
        code: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "k")]
enum WireRule {
    Keep {
        p: Vec<String>,
    },
    Exclude {
        p: Vec<String>,
    },
    Within {
        p: Vec<String>,
        x: Vec<String>,
    },
    Value {
        d: String,
        v: String,
    },
    OtherThan {
        d: String,
        v: Vec<String>,
    },
    Range {
        u: String,
        lo: Option<f64>,
        hi: Option<f64>,
    },
    Measure {
        u: String,
        x: f64,
    },
    NotSure,
}

fn to_wire(rule: &Rule) -> WireRule {
    match rule.clone() {
        Rule::Keep(p) => WireRule::Keep { p },
        Rule::Exclude(p) => WireRule::Exclude { p },
        Rule::Within { keep, except } => WireRule::Within { p: keep, x: except },
        Rule::Value { dimension, value } => WireRule::Value {
            d: dimension,
            v: value,
        },
        Rule::OtherThan { dimension, values } => WireRule::OtherThan {
            d: dimension,
            v: values,
        },
        Rule::Range { unit, lo, hi } => WireRule::Range { u: unit, lo, hi },
        Rule::Measure { unit, value } => WireRule::Measure { u: unit, x: value },
        Rule::NotSure => WireRule::NotSure,
    }
}

fn from_wire(rule: WireRule) -> Rule {
    match rule {
        WireRule::Keep { p } => Rule::Keep(p),
        WireRule::Exclude { p } => Rule::Exclude(p),
        WireRule::Within { p, x } => Rule::Within { keep: p, except: x },
        WireRule::Value { d, v } => Rule::Value {
            dimension: d,
            value: v,
        },
        WireRule::OtherThan { d, v } => Rule::OtherThan {
            dimension: d,
            values: v,
        },
        WireRule::Range { u, lo, hi } => Rule::Range { unit: u, lo, hi },
        WireRule::Measure { u, x } => Rule::Measure { unit: u, value: x },
        WireRule::NotSure => Rule::NotSure,
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub fn encode(key: &TokenKey, dialogue: &Dialogue, expires: u64) -> String {
    let wire = Wire {
        v: 1,
        x: expires,
        d: dialogue.description.clone(),
        a: dialogue
            .answers
            .iter()
            .map(|a| match a {
                Answer::Choice {
                    key,
                    topic,
                    question,
                    choice,
                    label,
                    rule,
                } => WireAnswer::C {
                    key: key.clone(),
                    t: topic.clone(),
                    q: question.clone(),
                    c: choice.clone(),
                    l: label.clone(),
                    r: to_wire(rule),
                },
                Answer::Text(text) => WireAnswer::T { text: text.clone() },
                Answer::Pick(code) => WireAnswer::P {
                    code: code.as_str().into(),
                },
            })
            .collect(),
    };
    let json = serde_json::to_vec(&wire).expect("plain data serialises");
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflater.write_all(&json).expect("writing to memory");
    let payload = URL_SAFE_NO_PAD.encode(deflater.finish().expect("writing to memory"));
    let tag = URL_SAFE_NO_PAD.encode(key.tag(payload.as_bytes()));
    format!("{payload}.{tag}")
}

/// The dialogue and its expiry, if the token is ours, intact and current.
pub fn decode(key: &TokenKey, token: &str, now: u64) -> Result<(Dialogue, u64), TokenError> {
    let (payload, tag) = token.split_once('.').ok_or(TokenError::Invalid)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| TokenError::Invalid)?;
    if tag.len() != TAG_BYTES {
        return Err(TokenError::Invalid);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("any key length");
    mac.update(payload.as_bytes());
    // Constant-time comparison of the truncated tag.
    mac.verify_truncated_left(&tag)
        .map_err(|_| TokenError::Invalid)?;
    let deflated = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TokenError::Invalid)?;
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(deflated.as_slice())
        .take(MAX_PAYLOAD)
        .read_to_end(&mut json)
        .map_err(|_| TokenError::Invalid)?;
    let wire: Wire = serde_json::from_slice(&json).map_err(|_| TokenError::Invalid)?;
    if wire.v != 1 {
        return Err(TokenError::Invalid);
    }
    if wire.x < now {
        return Err(TokenError::Expired);
    }
    let answers = wire
        .a
        .into_iter()
        .map(|a| {
            Ok(match a {
                WireAnswer::C { key, t, q, c, l, r } => Answer::Choice {
                    key,
                    topic: t,
                    question: q,
                    choice: c,
                    label: l,
                    rule: from_wire(r),
                },
                WireAnswer::T { text } => Answer::Text(text),
                WireAnswer::P { code } => {
                    Answer::Pick(HsCode::parse(&code).map_err(|_| TokenError::Invalid)?)
                }
            })
        })
        .collect::<Result<Vec<_>, TokenError>>()?;
    Ok((
        Dialogue {
            description: wire.d,
            answers,
        },
        wire.x,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialogue() -> Dialogue {
        Dialogue {
            description: "dried fruit".into(),
            answers: vec![
                Answer::Choice {
                    key: "tree:heading:0813,none".into(),
                    topic: "tree:heading".into(),
                    question: "Which?".into(),
                    choice: "0813".into(),
                    label: "Fruit, dried".into(),
                    rule: Rule::Keep(vec!["0813".into()]),
                },
                Answer::Choice {
                    key: "tree:any:0813,rest:08,none".into(),
                    topic: "tree:any".into(),
                    question: "Which of these are the goods?".into(),
                    choice: "rest:08".into(),
                    label: "Something else in chapter 08".into(),
                    rule: Rule::Within {
                        keep: vec!["08".into()],
                        except: vec!["0813".into()],
                    },
                },
                Answer::Text("figs".into()),
                Answer::Choice {
                    key: "unit:cc".into(),
                    topic: "unit:cc".into(),
                    question: "What is its cylinder capacity?".into(),
                    choice: "125".into(),
                    label: "125 cc".into(),
                    rule: Rule::Range {
                        unit: "cc".into(),
                        lo: Some(50.0),
                        hi: None,
                    },
                },
            ],
        }
    }

    #[test]
    fn round_trips_and_refuses_tampering_other_keys_and_expiry() {
        let key = TokenKey::new([7; 32]);
        let token = encode(&key, &dialogue(), 1000);
        assert_eq!(decode(&key, &token, 999), Ok((dialogue(), 1000)));
        assert_eq!(decode(&key, &token, 1001), Err(TokenError::Expired));
        assert_eq!(
            decode(&TokenKey::new([8; 32]), &token, 0),
            Err(TokenError::Invalid)
        );
        let mut altered = token.clone().into_bytes();
        altered[3] = if altered[3] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert_eq!(decode(&key, &altered, 0), Err(TokenError::Invalid));
        assert_eq!(decode(&key, "nonsense", 0), Err(TokenError::Invalid));
        let (payload, _) = token.split_once('.').unwrap();
        assert_eq!(
            decode(&key, &format!("{payload}.AAAA"), 0),
            Err(TokenError::Invalid),
            "a short tag is not a shortcut"
        );
    }

    #[test]
    fn garbage_never_panics_and_is_never_accepted() {
        let key = TokenKey::new([7; 32]);
        let good = encode(&key, &dialogue(), u64::MAX);
        // A deterministic stream of mutations: truncations, flipped characters, junk.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet: Vec<char> = "ABCxyz019-_.=%/+ é".chars().collect();
        for _ in 0..2000 {
            let mut chars: Vec<char> = good.chars().collect();
            match next() % 3 {
                0 => chars.truncate((next() as usize) % chars.len()),
                1 => {
                    let at = (next() as usize) % chars.len();
                    chars[at] = alphabet[(next() as usize) % alphabet.len()];
                }
                _ => {
                    chars = (0..(next() % 200))
                        .map(|_| alphabet[(next() as usize) % alphabet.len()])
                        .collect()
                }
            }
            let token: String = chars.into_iter().collect();
            if token != good {
                assert!(decode(&key, &token, 0).is_err(), "{token}");
            }
        }
    }
}
