//! Identity and access for the service platform.
//!
//! Architecture invariant: this crate is pure. It decides *who may do what* and how secrets
//! are made and checked; it never reads a database or an HTTP request. `store` keeps the
//! records, `server` maps requests onto [`Actor`]s and [`Access`] rules.

mod access;
mod business_id;
mod password;
mod role;
mod secret;
mod throttle;

pub use access::{Access, Actor, Denied};
pub use business_id::{BusinessId, BusinessIdError};
pub use password::{PasswordError, hash_password, verify_password};
pub use role::Role;
pub use secret::{ApiKeySecret, SessionSecret, digest, random_id};
pub use throttle::LoginThrottle;
