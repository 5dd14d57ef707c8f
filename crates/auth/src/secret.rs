//! Session tokens and API keys: random secrets handed out once and stored only as digests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// sha256 hex of a secret: what the database keeps. Secrets have 256 bits of entropy, so a
/// fast hash is enough (argon2 is for low-entropy passwords).
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the OS has randomness");
    bytes
}

/// A random identifier (128 bits, hex) for rows that must not be guessable.
pub fn random_id() -> String {
    hex::encode(random_bytes::<16>())
}

/// A session token: the cookie value (or bearer token) of a signed-in user.
pub struct SessionSecret(pub String);

impl SessionSecret {
    pub fn generate() -> SessionSecret {
        SessionSecret(URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
    }

    pub fn digest(&self) -> String {
        digest(&self.0)
    }
}

/// An API key as its holder sees it: `ck_<id>_<secret>`. The id finds the row; the secret's
/// digest proves possession. Only the digest is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeySecret {
    pub id: String,
    pub secret: String,
}

impl ApiKeySecret {
    const PREFIX: &'static str = "ck_";

    pub fn generate() -> ApiKeySecret {
        ApiKeySecret {
            id: hex::encode(random_bytes::<8>()),
            secret: URL_SAFE_NO_PAD.encode(random_bytes::<32>()),
        }
    }

    pub fn token(&self) -> String {
        format!("{}{}_{}", Self::PREFIX, self.id, self.secret)
    }

    pub fn parse(token: &str) -> Option<ApiKeySecret> {
        let rest = token.trim().strip_prefix(Self::PREFIX)?;
        let (id, secret) = rest.split_once('_')?;
        let id_ok = id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit());
        (id_ok && secret.len() == 43).then(|| ApiKeySecret {
            id: id.to_string(),
            secret: secret.to_string(),
        })
    }

    pub fn digest(&self) -> String {
        digest(&self.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_round_trip_and_reject_junk() {
        let key = ApiKeySecret::generate();
        let token = key.token();
        assert_eq!(ApiKeySecret::parse(&token), Some(key.clone()));
        assert_eq!(ApiKeySecret::parse("ck_zz_abc"), None);
        assert_eq!(ApiKeySecret::parse(&token[1..]), None);
        assert_ne!(key.digest(), ApiKeySecret::generate().digest());
        assert_eq!(key.digest().len(), 64);
    }

    #[test]
    fn session_secrets_are_fresh() {
        assert_ne!(SessionSecret::generate().0, SessionSecret::generate().0);
        assert_eq!(random_id().len(), 32);
    }
}
