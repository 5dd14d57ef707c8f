//! Platform commands: where the database is, the audit check, and accounts made from the
//! console (the first administrator has no one to create it over the web).

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::BadInput;

/// `--database-url`, else SQLite in the state directory.
pub fn database_url(given: Option<&str>, state: &settings::StateDir) -> anyhow::Result<String> {
    if let Some(url) = given {
        return Ok(url.to_string());
    }
    std::fs::create_dir_all(&state.0).with_context(|| format!("creating {}", state.0.display()))?;
    Ok(format!("sqlite://{}", state.0.join("customs.db").display()))
}

pub async fn open(url: &str) -> anyhow::Result<store::Store> {
    store::Store::connect(url).await.map_err(|e| match e {
        store::StoreError::Url(_) => BadInput(e.to_string()).into(),
        other => anyhow::anyhow!("opening the database: {other}"),
    })
}

/// Recomputes the audit chain; exit 1 when it is broken.
pub fn audit_verify(url: &str, json: bool) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let verification = runtime.block_on(async {
        let store = open(url).await?;
        let bar = ProgressBar::new(0).with_style(
            ProgressStyle::with_template("verifying audit log {bar:30} {pos}/{len} entries")
                .expect("template"),
        );
        let result = store
            .verify_audit(|done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
            .await;
        bar.finish_and_clear();
        anyhow::Ok(result?)
    })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&verification)?);
    } else if verification.is_intact() {
        println!(
            "audit log intact: {} entries, head at {}",
            verification.entries, verification.head_seq
        );
    }
    match (verification.broken_at, verification.reason) {
        (Some(seq), Some(reason)) => Err(crate::NotFound(format!(
            "audit log BROKEN at entry {seq}: {reason} ({} entries verified before it)",
            verification.entries
        ))
        .into()),
        _ => Ok(()),
    }
}

pub struct NewUserArgs<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub company: Option<&'a str>,
    pub company_name: Option<&'a str>,
}

/// Adds a user; the password comes from standard input (never from the command line, where
/// other users of the machine could read it).
pub fn add_user(url: &str, args: NewUserArgs<'_>) -> anyhow::Result<()> {
    let role = auth::Role::parse(args.role).ok_or_else(|| {
        BadInput(format!(
            "--role is one of {}, not {:?}",
            auth::Role::names(),
            args.role
        ))
    })?;
    if role.needs_company() != args.company.is_some() {
        return Err(BadInput(format!(
            "a {} {} --company",
            role.as_str(),
            if role.needs_company() {
                "needs"
            } else {
                "takes no"
            }
        ))
        .into());
    }
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']);
    let hash = auth::hash_password(password).map_err(|e| BadInput(e.to_string()))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = open(url).await?;
        let mut tx = store.write().await?;
        if let Some(company) = args.company {
            let id = auth::BusinessId::parse(company).map_err(|e| BadInput(e.to_string()))?;
            if store.company(id.as_str()).await?.is_none() {
                let name = args
                    .company_name
                    .ok_or_else(|| BadInput(format!("company {id} is new: give --company-name")))?;
                let kind = if role == auth::Role::Broker {
                    "broker"
                } else {
                    role.as_str()
                };
                tx.create_company(
                    "console",
                    &store::accounts::Company {
                        id: id.to_string(),
                        name: name.to_string(),
                        kind: kind.to_string(),
                    },
                )
                .await?;
            }
        }
        let user = tx
            .create_user(
                "console",
                store::accounts::NewUser {
                    email: args.email,
                    display_name: args.name,
                    password_hash: &hash,
                    role,
                    company_id: args.company,
                },
            )
            .await
            .map_err(|e| match e {
                store::StoreError::Duplicate(what) => {
                    anyhow::Error::from(BadInput(format!("{what} already exists")))
                }
                other => other.into(),
            })?;
        tx.commit().await?;
        println!("added {} {} ({})", role.as_str(), user.email, user.id);
        anyhow::Ok(())
    })
}

/// Approved advance rulings as a labelled set (`id,description,code` CSV) where the corpus
/// build finds customs' own decisions: the next `customs corpus build` (or start) learns
/// from them.
pub fn export_rulings(url: &str, out: &Path) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let examples =
        runtime.block_on(async { anyhow::Ok(open(url).await?.labelled_examples().await?) })?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut writer =
        csv::Writer::from_path(out).with_context(|| format!("writing {}", out.display()))?;
    writer.write_record(["id", "description", "code", "source", "decided_at"])?;
    for e in &examples {
        writer.write_record([
            &e.reference,
            &e.description,
            &e.code,
            &e.source,
            &e.decided_at,
        ])?;
    }
    writer.flush()?;
    println!(
        "{} approved rulings written to {}",
        examples.len(),
        out.display()
    );
    Ok(())
}
