use std::path::Path;

use anyhow::Context;
use nomenclature::HsCode;
use search::SearchRequest;
use settings::{Profile, StateDir};

use crate::{BadInput, NotFound, open};

/// How `customs serve` was asked to run.
pub struct ServeOptions {
    pub bind: String,
    pub profile: String,
    pub rate_limit: u32,
    /// Blend multilingual-e5-small into Chinese classification.
    pub zh_encoder: bool,
}

pub fn serve(
    paths: &engine::Paths<'_>,
    options: &ServeOptions,
    guide_settings: guide::Settings,
    database_url: &str,
) -> anyhow::Result<()> {
    let (bind, rate_limit) = (options.bind.as_str(), options.rate_limit);
    let profile = Profile::parse(&options.profile).ok_or_else(|| {
        let given = &options.profile;
        BadInput(format!("--profile is public or private, not {given:?}"))
    })?;
    // Start-up is timed by phase: the cold-start target is 3 s.
    let started = std::time::Instant::now();
    // The national tariff and its Chinese index load on a second thread while the classifier
    // builds: each takes about two seconds, and there are two cores.
    let (engine, national) = std::thread::scope(|scope| -> anyhow::Result<_> {
        let national = scope.spawn(|| -> anyhow::Result<_> {
            let hs = engine::nomenclature(paths.data_dir)?;
            let Some(national) = engine::national_tariff(paths.data_dir, &hs)? else {
                return Ok(None);
            };
            let index = engine::chinese_index(&national)?;
            Ok(Some((national, index, started.elapsed().as_millis())))
        });
        let engine = open::engine(paths)?;
        let engine_ms = started.elapsed().as_millis();
        let national = national.join().expect("the tariff thread does not panic")?;
        Ok(((engine, engine_ms), national))
    })?;
    let (engine, engine_ms) = engine;
    let tariff_ms = national.as_ref().map_or(0, |(_, _, ms)| *ms);
    let (national, chinese_index) = match national {
        Some((n, index, _)) => (Some(n), Some(index)),
        None => (None, None),
    };
    let key = engine::guide_key(
        paths.state,
        std::env::var("CUSTOMS_GUIDE_KEY").ok().as_deref(),
    )
    .map_err(|e| BadInput(e.to_string()))?;
    let head = engine.classifier.head().cloned();
    let bars = open::Bars::new();
    let chinese = national
        .as_deref()
        .zip(chinese_index)
        .map(|(n, index)| {
            let leg = engine::chinese_leg_over(index, head.clone());
            match options.zh_encoder {
                true => engine::with_zh_dense(leg, n, paths.models, paths.state, &|s, d, t| {
                    bars.report(s, d, t)
                }),
                false => leg,
            }
        })
        .map(std::sync::Arc::new);
    bars.finish();
    // Promotions swap what serves; the classifier built here stays the fallback.
    let serving = classify::Serving::new(engine.classifier.clone());
    let guide = std::sync::Arc::new(
        guide::Guide::serving(serving.clone(), guide_settings).with_chinese(chinese.clone()),
    );
    let training = server::platform::training::Training::new(
        paths.state.0.clone(),
        engine.classifier.clone(),
        profile == Profile::Private,
    );
    let app = server::AppState::new(
        engine.search,
        serving,
        guide,
        profile,
        paths.data_dir.to_path_buf(),
    )
    .with_guide_key(server::guide_token::TokenKey::new(key))
    .with_tariff(national.clone())
    .with_chinese(chinese);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let store = crate::platform_cmd::open(database_url).await?;
        let app = app.with_platform(server::platform::Platform::new(
            store,
            server::platform::PlatformSettings {
                requests_per_minute: rate_limit,
                opendata_key: server::platform::SigningKey::derived_from(&key),
                ..Default::default()
            },
        ));
        let app = app.with_training(training);
        tracing::info!(
            engine_ms,
            tariff_and_chinese_index_ms = tariff_ms,
            total_ms = started.elapsed().as_millis(),
            "loaded"
        );
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .with_context(|| format!("binding {bind}"))?;
        tracing::info!(
            address = %listener.local_addr()?,
            %profile,
            "Smart Customs is serving; open http://{}",
            listener.local_addr()?
        );
        // Ctrl-C or SIGTERM (what service managers send): finish in-flight requests, then
        // exit, so no acknowledged write is cut off.
        server::serve(listener, app, async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("a SIGTERM handler installs");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            tracing::info!("shutting down");
        })
        .await?;
        Ok(())
    })
}

pub fn lookup(data_dir: &Path, raw: &str, json: bool) -> anyhow::Result<()> {
    let code = HsCode::parse(raw).map_err(|e| BadInput(e.to_string()))?;
    let hs = engine::nomenclature(data_dir)?;
    let node = hs
        .get(&code)
        .ok_or_else(|| NotFound(format!("{} is not a code of HS 2022", code.dotted())))?;
    let ancestors = hs.ancestors(&code);
    let children = hs.children(&code);
    if json {
        let refs = |nodes: &[&nomenclature::Node]| -> Vec<serde_json::Value> {
            nodes
                .iter()
                .map(|n| serde_json::json!({"code": n.code, "description": n.description}))
                .collect()
        };
        let out = serde_json::json!({
            "code": code,
            "dotted": code.dotted(),
            "level": node.level(),
            "description": node.description,
            "section": node.section.map(|s| s.roman()),
            "ancestors": refs(&ancestors),
            "children": refs(&children),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if let Some(s) = node.section.and_then(|s| hs.section(s)) {
        println!("Section {}  {}", s.number, s.title);
    }
    for (depth, a) in ancestors.iter().enumerate() {
        println!(
            "{:indent$}{}  {}",
            "",
            a.code.dotted(),
            a.description,
            indent = depth * 2 + 2
        );
    }
    let depth = ancestors.len() * 2 + 2;
    println!("{:depth$}{}  {}  <", "", code.dotted(), node.description);
    for c in &children {
        println!(
            "{:indent$}{}  {}",
            "",
            c.code.dotted(),
            c.description,
            indent = depth + 2
        );
    }
    Ok(())
}

pub fn search(
    data_dir: &Path,
    state: &StateDir,
    text: &str,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    if text.trim().is_empty() {
        return Err(BadInput("give the words to search for".into()).into());
    }
    if !(1..=server::limits::MAX_RESULTS).contains(&limit) {
        let max = server::limits::MAX_RESULTS;
        return Err(BadInput(format!("--limit must be between 1 and {max}")).into());
    }
    let index = search_index(data_dir, state, false)?;
    let hs = index.nomenclature();
    let found = index.search(&SearchRequest {
        text,
        limit,
        level: None,
    });
    if json {
        let hits: Vec<_> = found
            .hits
            .iter()
            .filter_map(|h| {
                let n = hs.get(&h.code)?;
                Some(serde_json::json!({
                    "code": h.code, "level": n.level(), "description": n.description,
                    "score": h.score, "matched_words": h.matched_words,
                }))
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(());
    }
    if found.hits.is_empty() {
        return Err(NotFound(format!("no code matches {text:?}")).into());
    }
    for e in &found.expansions {
        println!("(also searched: {} → {})", e.matched, e.words.join(" "));
    }
    for h in &found.hits {
        if let Some(n) = hs.get(&h.code) {
            println!("{:<8} {:>6.2}  {}", h.code.dotted(), h.score, n.description);
        }
    }
    Ok(())
}

pub fn index(data_dir: &Path, state: &StateDir) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let index = search_index(data_dir, state, true)?;
    eprintln!(
        "indexed {} codes into {} in {:.2} s",
        index.documents(),
        state.search_index().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn search_index(
    data_dir: &Path,
    state: &StateDir,
    force: bool,
) -> anyhow::Result<search::SearchIndex> {
    let hs = engine::nomenclature(data_dir)?;
    let bars = open::Bars::new();
    let index = engine::search_index(hs, state, force, &|s, d, t| bars.report(s, d, t));
    bars.finish();
    index
}

pub fn classify(
    paths: &engine::Paths<'_>,
    text: &str,
    batch: Option<std::path::PathBuf>,
    out: Option<std::path::PathBuf>,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    if !(1..=server::limits::MAX_RESULTS).contains(&limit) {
        let max = server::limits::MAX_RESULTS;
        return Err(BadInput(format!("--limit must be between 1 and {max}")).into());
    }
    match (batch, out) {
        (Some(input), Some(output)) => {
            let c = crate::classify_cmd::open_classifier(paths)?;
            crate::classify_cmd::classify_batch(&c, &input, &output, limit)
        }
        _ if text.trim().is_empty() => Err(BadInput(
            "give a description to classify, or --batch FILE --out FILE".into(),
        )
        .into()),
        _ => {
            let c = crate::classify_cmd::open_classifier(paths)?;
            crate::classify_cmd::classify_one(&c, text, limit, json)
        }
    }
}
