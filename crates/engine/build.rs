//! Records what reproduces a training run: the git revision and the versions of the numeric
//! libraries in Cargo.lock, as compile-time environment variables.

use std::process::Command;

fn main() {
    let revision = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=CUSTOMS_GIT_REVISION={revision}");
    if let Ok(out) = Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .output()
    {
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !dir.is_empty() {
            println!("cargo:rerun-if-changed={dir}/HEAD");
            println!("cargo:rerun-if-changed={dir}/refs/heads");
        }
    }
    let lock = std::fs::read_to_string("../../Cargo.lock").unwrap_or_default();
    println!("cargo:rerun-if-changed=../../Cargo.lock");
    let wanted = [
        "candle-core",
        "candle-nn",
        "tokenizers",
        "tantivy",
        "safetensors",
    ];
    let mut found = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let Some(v) = line.strip_prefix("version = ")
            && let Some(n) = name.take()
            && wanted.contains(&n.as_str())
        {
            found.push(format!("{n} {}", v.trim_matches('"')));
        }
    }
    println!(
        "cargo:rustc-env=CUSTOMS_LIBRARY_VERSIONS={}",
        found.join(", ")
    );
}
