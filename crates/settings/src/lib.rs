//! Deployment settings shared by the server and the CLI.
//!
//! The data directory is an input (read-only is fine); the state directory holds what the
//! service derives from it (search index, caches). Nothing here reads the network.

use std::fmt;
use std::path::{Path, PathBuf};

/// Which face of the hybrid cloud an instance serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Traders, agencies and the public: internal routes are not even mounted.
    Public,
    /// Officers and analysts inside the customs network: everything is mounted.
    Private,
}

impl Profile {
    pub fn parse(s: &str) -> Option<Profile> {
        match s.trim().to_ascii_lowercase().as_str() {
            "public" => Some(Profile::Public),
            "private" => Some(Profile::Private),
            _ => None,
        }
    }

    pub fn mounts_internal_routes(self) -> bool {
        self == Profile::Private
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::Public => "public",
            Profile::Private => "private",
        })
    }
}

/// The data directory when none is given: `../shared/data` when it exists (the air-gapped
/// mirror beside the checkout), else `./data` (what `scripts/fetch-data` fills).
pub fn default_data_dir() -> PathBuf {
    default_data_dir_from(Path::new("."))
}

pub fn default_data_dir_from(base: &Path) -> PathBuf {
    let shared = base.join("../shared/data");
    if shared.is_dir() {
        shared
    } else {
        base.join("data")
    }
}

/// The data directory for tests and benchmarks of a crate in this workspace: CUSTOMS_DATA_DIR
/// if set (relative paths taken from the workspace root), else `../shared/data` beside the
/// checkout. `crate_dir` is the caller's `env!("CARGO_MANIFEST_DIR")`.
pub fn data_dir_for_tests(crate_dir: &str) -> PathBuf {
    let workspace = Path::new(crate_dir).join("../..");
    match std::env::var_os("CUSTOMS_DATA_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => workspace.join(dir),
        None => workspace.join("../shared/data"),
    }
}

/// The model directory for tests and benchmarks: CUSTOMS_MODEL_DIR if set (relative paths
/// taken from the workspace root), else `models` in the workspace root, where
/// `scripts/fetch-model` puts the encoders. `crate_dir` is the caller's
/// `env!("CARGO_MANIFEST_DIR")`.
pub fn model_dir_for_tests(crate_dir: &str) -> PathBuf {
    let workspace = Path::new(crate_dir).join("../..");
    match std::env::var_os("CUSTOMS_MODEL_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => workspace.join(dir),
        None => workspace.join("models"),
    }
}

/// Derived state (indexes, caches) lives here unless told otherwise.
pub fn default_state_dir() -> PathBuf {
    PathBuf::from("var")
}

/// Paths derived from the state directory, named in one place.
#[derive(Debug, Clone)]
pub struct StateDir(pub PathBuf);

impl StateDir {
    pub fn search_index(&self) -> PathBuf {
        self.0.join("index").join("nomenclature")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_the_shared_mirror_when_present() {
        let root = tempfile::tempdir().unwrap();
        let checkout = root.path().join("repo");
        std::fs::create_dir_all(&checkout).unwrap();
        assert_eq!(default_data_dir_from(&checkout), checkout.join("data"));
        std::fs::create_dir_all(root.path().join("shared/data")).unwrap();
        assert_eq!(
            default_data_dir_from(&checkout),
            checkout.join("../shared/data")
        );
    }

    #[test]
    fn parses_profiles() {
        assert_eq!(Profile::parse(" Public"), Some(Profile::Public));
        assert!(Profile::Private.mounts_internal_routes());
        assert!(!Profile::Public.mounts_internal_routes());
        assert_eq!(Profile::parse("hybrid"), None);
    }
}
