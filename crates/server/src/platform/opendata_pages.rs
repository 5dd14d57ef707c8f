//! The open data pages: the catalogue, and a page per dataset with its quality badges,
//! downloads, summary statistics, charts (SVG drawn on the server), a query builder that
//! works without JavaScript (a GET form over the same query API) and its versions.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use maud::{Markup, PreEscaped, html};
use opendata::{ColumnStats, ColumnType, Page, Table, Value};

use super::i18n::{Lang, badges as badge_words, opendata as words};
use super::opendata_api::{
    api_base, badges, entries, origin, query_pairs, query_problem, query_string, release_summary,
    take_version,
};
use super::opendata_charts::charts;
use super::opendata_datasets::{DATASETS, DatasetDef, meta};
use super::opendata_releases::{Loaded, changes_of, load, release_date};
use super::pages::problem_text;
use super::platform;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

/// Rows a page shows when the form does not say.
const PAGE_SIZE: &str = "25";
/// Changed cells listed per version on the page (the API has up to 1000).
const CHANGES_SHOWN: usize = 20;

fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / (1 << 10) as f64),
        b => format!("{b} bytes"),
    }
}

fn format_label(name: &str) -> &'static str {
    match name {
        "csv" => "CSV",
        "json" => "JSON",
        "jsonl" => "JSON Lines",
        _ => "Parquet",
    }
}

/// A dataset's title and description in the reader's language.
fn titled(lang: Lang, def: &DatasetDef) -> (&'static str, &'static str) {
    (words::t(lang).dataset_words)(def.id).unwrap_or((def.title, def.description))
}

fn frequency(lang: Lang, f: impl std::fmt::Debug) -> String {
    (words::t(lang).frequency)(&format!("{f:?}").to_lowercase())
}

fn downloads(lang: Lang, base: &str, l: &Loaded) -> Markup {
    let t = words::t(lang);
    let summary = release_summary(base, l);
    html! {
        ul.downloads {
            @for d in &summary.distributions {
                li {
                    a href=(d.download_url) { (format_label(d.format.name())) }
                    " (" (size_text(d.byte_size)) ", sha256 " code { (d.sha256.get(..12).unwrap_or_default()) "…" } ")"
                }
            }
            li { a href=(summary.manifest) { (t.manifest_signed) } (t.manifest_what) }
        }
    }
}

pub(crate) async fn catalog_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let origin = origin(&headers);
    let base = api_base(&origin);
    let found = entries(&state).await?;
    let t = words::t(ctx.lang);
    Ok(page(
        &ctx,
        StatusCode::OK,
        t.title,
        html! {
            h1 { (t.title) }
            p { (t.intro) }
            p { (t.machine_readable) a href="/api/v1/opendata" { "JSON" } " · " a href="/api/v1/opendata/catalog.jsonld" { "DCAT-AP (JSON-LD)" } }
            table.cases {
                thead { tr { th { (t.dataset) } th { (t.updated) } th { (t.latest) } th { (t.downloads) } } }
                tbody {
                    @for (def, latest) in &found {
                        @let (title, description) = titled(ctx.lang, def);
                        tr {
                            td {
                                a href=(format!("/open-data/{}", def.id)) { strong { (title) } }
                                p.hint { (description) }
                            }
                            td { (frequency(ctx.lang, def.frequency)) }
                            td {
                                @match latest {
                                    Some(l) => { ((t.version_of)(l.record.version, &release_date(&l.record))) br; ((t.rows)(l.record.row_count)) }
                                    None => { (t.not_published) }
                                }
                            }
                            td {
                                @if let Some(l) = latest {
                                    @for d in release_summary(&base, l).distributions.iter().filter(|d| d.format.name() != "jsonl") {
                                        a href=(d.download_url) { (format_label(d.format.name())) } " "
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// The page's query string as the API's: empty fields dropped, `_desc` folded into
/// `_sort_desc`, a default page size. Page-only parameters (`lang`) are left out.
fn api_pairs(raw: Vec<(String, String)>) -> Vec<(String, String)> {
    let desc = raw.iter().any(|(k, v)| k == "_desc" && !v.is_empty());
    let mut pairs: Vec<(String, String)> = raw
        .into_iter()
        .filter(|(k, v)| !v.trim().is_empty() && k != "lang" && k != "_desc")
        .map(|(k, v)| {
            if desc && k == "_sort" {
                ("_sort_desc".to_string(), v)
            } else {
                (k, v)
            }
        })
        .collect();
    if !pairs.iter().any(|(k, _)| k == "_size") {
        pairs.push(("_size".into(), PAGE_SIZE.into()));
    }
    pairs
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

fn not_found(ctx: &PageCtx, detail: &str) -> Response {
    let t = words::t(ctx.lang);
    page(
        ctx,
        StatusCode::NOT_FOUND,
        t.not_found,
        html! { h1 { (t.not_found) } p { (detail) } p { a href="/open-data" { (t.all_datasets) } } },
    )
}

pub(crate) async fn dataset_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let Some(def) = DATASETS.iter().find(|d| d.id == id) else {
        return Ok(not_found(&ctx, &(words::t(ctx.lang).no_dataset)(&id)));
    };
    let origin = origin(&headers);
    let base = api_base(&origin);
    let pairs = api_pairs(query_pairs(&uri)?);
    let (version, pairs, bad_version) = match take_version(pairs.clone()) {
        Ok((v, rest)) => (v, rest, None),
        Err(p) => {
            let rest = pairs.into_iter().filter(|(k, _)| k != "_version").collect();
            (None, rest, Some(p))
        }
    };
    let latest = load(&state, def.id, None).await?;
    let shown = match version {
        Some(v) if latest.as_ref().is_none_or(|l| l.record.version != v) => {
            match load(&state, def.id, Some(v)).await? {
                Some(l) => Some(l),
                None => return Ok(not_found(&ctx, &(words::t(ctx.lang).no_version)(def.id, v))),
            }
        }
        _ => latest,
    };
    let result = match (bad_version, &shown) {
        (Some(p), _) => Err(p),
        (None, Some(l)) => opendata::parse_query(&pairs, &l.table.schema)
            .and_then(|q| opendata::execute(&l.table, &q))
            .map(Some)
            .map_err(query_problem),
        (None, None) => Ok(None),
    };
    dataset_view(
        &ctx,
        &state,
        def,
        &base,
        &origin,
        shown.as_ref(),
        result,
        &pairs,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn dataset_view(
    ctx: &PageCtx,
    state: &AppState,
    def: &DatasetDef,
    base: &str,
    origin: &str,
    shown: Option<&Loaded>,
    result: Result<Option<Page>, Problem>,
    pairs: &[(String, String)],
) -> Result<Response, Problem> {
    let releases = platform(state).store.releases(def.id).await?;
    let m = meta(def, origin, shown.map(|l| l.table.as_ref()));
    let status = if result.is_err() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let version_pair = shown.map(|l| l.record.version.to_string());
    let with_version = |extra: &[(&str, &str)]| -> String {
        let mut all: Vec<(&str, &str)> = Vec::new();
        if let (Some(v), true) = (&version_pair, releases.len() > 1) {
            all.push(("_version", v.as_str()));
        }
        all.extend_from_slice(extra);
        query_string(pairs, &all)
    };
    let lang = ctx.lang;
    let t = words::t(lang);
    let (title, description) = titled(lang, def);
    let body = html! {
        p { a href="/open-data" { (t.title) } " › " (def.id) }
        h1 { (title) }
        p { (description) }
        dl.fields {
            dt { (t.publisher) } dd { (m.publisher.name) }
            dt { (t.licence) } dd { a href=(m.licence.url) { (m.licence.name) } }
            dt { (t.updated) } dd { (frequency(lang, m.frequency)) }
            @if let Some(span) = &m.temporal {
                dt { (t.covers) } dd { (span.start.map(|d| d.to_string()).unwrap_or_default()) (t.to) (span.end.map(|d| d.to_string()).unwrap_or_else(|| t.now.into())) }
            }
            dt { "API" } dd { a href=(format!("{base}/{}", def.id)) { (t.metadata) } " · " a href=(format!("{base}/{}/rows", def.id)) { (t.rows_link) } " · " a href=(format!("{base}/{}/changes", def.id)) { (t.changes) } }
        }
        @match shown {
            None => { p.alert { (t.not_published_alert) } }
            Some(l) => {
                p.badges {
                    @for b in badges(def, l).all() { (PreEscaped(badge_words::svg(lang, b))) " " }
                }
                ul.hint { @for b in badges(def, l).all() { li { strong { (badge_words::name(lang, b)) } (t.badge_colon) (badge_words::detail(lang, b)) } } }
                h2 { ((t.version_heading)(l.record.version, &release_date(&l.record), l.record.row_count)) }
                (downloads(lang, base, l))
                h2 { (t.charts) }
                @for svg in charts(def, &l.table, &t.chart_titles) { figure.chart { (PreEscaped(svg)) } }
                h2 { (t.summary) }
                (stats_table(lang, &opendata::summarize(&l.table, 3)))
                h2 #query { (t.query) }
                (query_form(lang, def, &l.table, pairs, &releases.iter().map(|r| r.version).collect::<Vec<_>>(), l.record.version))
                @match &result {
                    Err(p) => { div.alert role="alert" { (problem_text(lang, p)) } }
                    Ok(None) => {}
                    Ok(Some(page)) => {
                        p { ((t.matching)(page.matched, page.rows.len())) }
                        (rows_table(&l.table, &page.rows))
                        @if let Some(token) = &page.next {
                            p { a rel="next" href=(format!("/open-data/{}?{}#query", def.id, with_version(&[("_next", token.as_str())]))) { (t.next_page) } }
                        }
                        p.hint { (t.same_query) code { a href=(format!("/api/v1/opendata/{}/rows?{}", def.id, with_version(&[]))) { "/api/v1/opendata/" (def.id) "/rows?" (with_version(&[])) } } }
                    }
                }
            }
        }
        h2 { (t.versions) }
        @if releases.is_empty() { p { (t.none_yet) } }
        @for r in releases.iter().rev() {
            @let c = changes_of(r);
            details {
                summary { ((t.version_summary)(r.version, &release_date(r))) (words::headline(lang, &c)) }
                p { a href=(format!("{base}/{}/v{}/manifest.json", def.id, r.version)) { (t.manifest) } " · " a href=(format!("/open-data/{}?_version={}#query", def.id, r.version)) { (t.browse_version) } }
                @if !c.cells.is_empty() {
                    table.cases {
                        thead { tr { th { (t.row) } th { (t.column) } th { (t.before) } th { (t.after) } } }
                        tbody { @for cell in c.cells.iter().take(CHANGES_SHOWN) { tr { td { (key_text(&cell["key"])) } td { (cell["column"].as_str().unwrap_or_default()) } td { (cell["old"].to_string()) } td { (cell["new"].to_string()) } } } }
                    }
                }
                @if c.from_version.is_some() && !c.added_rows.is_empty() {
                    p { (t.added_rows) } (object_table(&c.added_rows))
                }
                @if !c.removed_rows.is_empty() {
                    p { (t.removed_rows) } (object_table(&c.removed_rows))
                }
            }
        }
    };
    Ok(page(ctx, status, title, body))
}

/// A row key (`{"maker": "Kia", …}`) as `maker=Kia, …`.
fn key_text(key: &serde_json::Value) -> String {
    key.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().map_or(v.to_string(), String::from)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Rows given as JSON objects, as a table (the first few; the API has them all).
fn object_table(rows: &[serde_json::Value]) -> Markup {
    let columns: Vec<&String> = rows
        .first()
        .and_then(|r| r.as_object())
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    let cell = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    html! {
        table.cases {
            thead { tr { @for c in &columns { th { (c) } } } }
            tbody {
                @for r in rows.iter().take(CHANGES_SHOWN) {
                    tr { @for c in &columns { td { (cell(&r[c.as_str()])) } } }
                }
            }
        }
    }
}

fn stats_table(lang: Lang, stats: &[ColumnStats]) -> Markup {
    let headings = words::t(lang).stats;
    let opt = |v: &Option<Value>| v.as_ref().map(Value::to_string).unwrap_or_default();
    let num = |v: Option<f64>| v.map(|x| format!("{x:.2}")).unwrap_or_default();
    html! {
        table.cases {
            thead { tr { @for h in headings { th { (h) } } } }
            tbody {
                @for s in stats {
                    tr {
                        td { (s.column) } td { (s.kind.name()) } td { (s.count) } td { (s.nulls) } td { (s.distinct) }
                        td { (opt(&s.min)) } td { (opt(&s.max)) } td { (num(s.mean)) } td { (num(s.median)) }
                        td { @for (v, n) in &s.top { (v) " (" (n) ") " } }
                    }
                }
            }
        }
    }
}

fn rows_table(t: &Table, rows: &[Vec<Value>]) -> Markup {
    html! {
        table.cases {
            thead { tr { @for c in t.schema.columns() { th title=(c.description) { (c.name) } } } }
            tbody { @for r in rows { tr { @for v in r { td { (v.to_string()) } } } } }
        }
    }
}

fn query_form(
    lang: Lang,
    def: &DatasetDef,
    t: &Table,
    pairs: &[(String, String)],
    versions: &[i64],
    current: i64,
) -> Markup {
    let sort = match get(pairs, "_sort") {
        "" => get(pairs, "_sort_desc"),
        s => s,
    };
    let desc = !get(pairs, "_sort_desc").is_empty();
    let size = get(pairs, "_size");
    let w = words::t(lang);
    html! {
        form.stack method="get" action=(format!("/open-data/{}#query", def.id)) {
            @for c in t.schema.columns() {
                @match c.kind {
                    ColumnType::Text => {
                        @let name = format!("{}__contains", c.name);
                        label for=(name) { (c.name) (w.contains) }
                        input id=(name) type="text" name=(name) value=(get(pairs, &name));
                    }
                    ColumnType::Boolean => {
                        label for=(c.name) { (c.name) }
                        select id=(c.name) name=(c.name) {
                            @for v in ["", "true", "false"] { option value=(v) selected[get(pairs, &c.name) == v] { (if v.is_empty() { w.any } else { v }) } }
                        }
                    }
                    _ => {
                        @let (lo, hi) = (format!("{}__gte", c.name), format!("{}__lte", c.name));
                        label for=(lo) { (c.name) (w.from_to) }
                        div.row {
                            input id=(lo) type="text" name=(lo) value=(get(pairs, &lo)) placeholder=(c.kind.example());
                            input type="text" name=(hi) value=(get(pairs, &hi)) aria-label=(format!("{}{}", c.name, w.to_suffix));
                        }
                    }
                }
            }
            label for="q-sort" { (w.sort_by) }
            div.row {
                select #q-sort name="_sort" {
                    option value="" selected[sort.is_empty()] { (w.primary_key) }
                    @for c in t.schema.columns() { option value=(c.name) selected[sort == c.name] { (c.name) } }
                }
                label { input type="checkbox" name="_desc" value="1" checked[desc]; (w.descending) }
            }
            label for="q-size" { (w.rows_per_page) }
            select #q-size name="_size" {
                @for n in ["10", "25", "50", "100"] { option value=(n) selected[size == n] { (n) } }
            }
            @if versions.len() > 1 {
                label for="q-version" { (w.version) }
                select #q-version name="_version" {
                    @for v in versions.iter().rev() { option value=(*v) selected[*v == current] { (*v) } }
                }
            }
            button type="submit" { (w.show_rows) }
        }
    }
}
