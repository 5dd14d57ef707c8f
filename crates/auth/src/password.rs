//! Passwords are stored as argon2id PHC strings; the plain text never leaves this module.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("a password may have at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
}

/// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): strong, and fast enough that a
/// login costs tens of milliseconds on a modest CPU.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS has randomness");
    let salt = SaltString::encode_b64(&bytes).expect("16 bytes make a salt");
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes")
        .to_string())
}

/// False for a wrong password and for a malformed stored hash alike.
pub fn verify_password(stored: &str, password: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(stored)
        .is_ok_and(|hash| hasher().verify_password(password.as_bytes(), &hash).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password(&a, "correct horse battery"));
        assert!(!verify_password(&a, "correct horse battery!"));
        assert!(!verify_password("not a hash", "correct horse battery"));
        assert_eq!(hash_password("short"), Err(PasswordError::TooShort));
    }
}
