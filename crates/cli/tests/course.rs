//! The analysts' course (docs/course) as CI runs it: every exercise of every lesson, in both
//! languages, against the real `customs` binary and a real server.
//!
//! An exercise is a fenced block whose info string holds the word `exercise`
//! (docs/course/README.md describes the convention for authors):
//!
//! - ```` ```console exercise ````: lines `$ customs …` (also `cat` and `head`, and
//!   `printf '…' |` or `echo '…' |` in front to give standard input), each followed by lines
//!   its output must contain; `[exit N]` expects exit status N (default 0); `...` is skipped.
//! - ```` ```http exercise ````: a request line (`POST /api/v1/classify`), headers
//!   (`Authorization: as <role>` signs in as the course account of that role), a blank line
//!   and a body (or `< docs/course/files/…` to send a file), then `HTTP <status>` and lines
//!   the response must contain: plain text, or a JSON value on one line that must match part
//!   of the JSON response (objects by their named keys, arrays by some element).
//!   `{{name}}` in a request is the field `name` of the latest JSON response of the lesson
//!   that has it; `{{result.model}}` a nested field, `{{runs.0.id}}` a list's item.
//!   `[keep as NAME]` keeps the response under NAME (`{{NAME.result.model}}`), whatever
//!   comes after; `{{…}}` also works in the expected lines. `[repeat until it matches]` sends the request again (every half second,
//!   up to a step's time) until the status and the expected lines match.
//! - `<!-- course: runs alone -->` in a lesson: no other lesson runs meanwhile (the other
//!   language waits between its lessons), for lessons that change what the whole server
//!   serves (promotion and rollback).
//!
//! One server (private profile, SQLite in a temporary state directory, no sentence encoder)
//! serves the whole course; the command line shares its data and state directories. The
//! expected lines hold with or without the encoder and the trained head.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The course accounts: `Authorization: as <role>` signs in as these. docs/course/README.md
/// lists them for readers who create them with `customs user add`.
const ACCOUNTS: &[(&str, &str, &str)] = &[
    ("data_scientist", "dana@course.example", "Dana Lin"),
    ("reviewer", "rey@course.example", "Rey Chen"),
    ("officer", "olivia@course.example", "Olivia Wu"),
    ("admin", "root@course.example", "Root"),
];
/// The marker of a lesson that runs while no other lesson does.
const RUNS_ALONE: &str = "<!-- course: runs alone -->";
const PASSWORD: &str = "course password 2026";
const LANGUAGES: &[&str] = &["en", "zh-TW"];
/// The first start builds the search index and the corpus and tunes the fusion: minutes in a
/// debug build on a busy machine.
const STARTUP: Duration = Duration::from_secs(600);
/// One command or request; the command line opens the classifier each time.
const STEP: Duration = Duration::from_secs(300);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn course_dir() -> PathBuf {
    workspace().join("docs/course")
}

// ---------------------------------------------------------------------------------------
// Parsing the lessons.

#[derive(Debug)]
struct Lesson {
    /// Relative to the workspace, for messages: docs/course/en/01-….md.
    path: String,
    /// The file name, the same in every language.
    file: String,
    exercises: Vec<Exercise>,
    /// `<!-- course: runs alone -->`.
    alone: bool,
}

#[derive(Debug)]
struct Exercise {
    /// Line of the opening fence, 1-based.
    line: usize,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Console(Vec<Cmd>),
    Http(Box<Http>),
}

#[derive(Debug)]
struct Cmd {
    line: usize,
    text: String,
    program: String,
    args: Vec<String>,
    stdin: Option<String>,
    exit: i32,
    expect: Vec<String>,
}

#[derive(Debug)]
struct Http {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    role: Option<String>,
    body: Body,
    status: u16,
    expect: Vec<Expect>,
    /// `[keep as NAME]`.
    keep: Option<String>,
    /// `[repeat until it matches]`.
    repeat: bool,
}

#[derive(Debug)]
enum Body {
    None,
    Text(String),
    File(String),
}

#[derive(Debug)]
enum Expect {
    Text(String),
    Json(Value),
}

/// The lessons of one language, sorted by file name.
fn lessons(lang: &str) -> Result<Vec<Lesson>, String> {
    let dir = course_dir().join(lang);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let path = format!("docs/course/{lang}/{file}");
            let text = std::fs::read_to_string(dir.join(&file))
                .map_err(|e| format!("reading {path}: {e}"))?;
            let exercises = parse_exercises(&text).map_err(|e| format!("{path}:{e}"))?;
            Ok(Lesson {
                path,
                file,
                exercises,
                alone: text.lines().any(|l| l.trim() == RUNS_ALONE),
            })
        })
        .collect()
}

/// Every fenced block whose info string holds `exercise`. Errors are "line: message".
fn parse_exercises(markdown: &str) -> Result<Vec<Exercise>, String> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        if ticks < 3 {
            i += 1;
            continue;
        }
        let fence = &trimmed[..ticks];
        let info: Vec<&str> = trimmed[ticks..].split_whitespace().collect();
        let start = i;
        let mut end = i + 1;
        while end < lines.len() && !lines[end].trim().starts_with(fence) {
            end += 1;
        }
        if end == lines.len() {
            return Err(format!("{}: the block never closes", start + 1));
        }
        if info.contains(&"exercise") {
            let body = &lines[start + 1..end];
            let first = start + 2;
            let kind = match info.first() {
                Some(&"console") => Kind::Console(parse_console(body, first)?),
                Some(&"http") => Kind::Http(Box::new(parse_http(body, first)?)),
                other => {
                    return Err(format!(
                        "{}: an exercise is `console` or `http`, not {other:?}",
                        start + 1
                    ));
                }
            };
            out.push(Exercise {
                line: start + 1,
                kind,
            });
        }
        i = end + 1;
    }
    Ok(out)
}

fn parse_console(body: &[&str], first: usize) -> Result<Vec<Cmd>, String> {
    let mut cmds: Vec<Cmd> = Vec::new();
    for (n, raw) in body.iter().enumerate() {
        let line = first + n;
        let text = raw.trim();
        if let Some(command) = text.strip_prefix("$ ") {
            cmds.push(parse_command(command, line).map_err(|e| format!("{line}: {e}"))?);
            continue;
        }
        let Some(cmd) = cmds.last_mut() else {
            if text.is_empty() {
                continue;
            }
            return Err(format!("{line}: output before the first `$ ` command"));
        };
        if text.is_empty() || text == "..." || text == "…" {
            continue;
        }
        if let Some(code) = text
            .strip_prefix("[exit ")
            .and_then(|r| r.strip_suffix(']'))
        {
            cmd.exit = code
                .trim()
                .parse()
                .map_err(|_| format!("{line}: [exit N] takes a number"))?;
            continue;
        }
        cmd.expect.push(text.to_string());
    }
    if cmds.is_empty() {
        return Err(format!("{first}: a console exercise has no `$ ` command"));
    }
    Ok(cmds)
}

/// Shell words: '…' literal, "…" with \" and \\, \x outside quotes; `|` is its own word.
/// Anything that needs a real shell (redirection, variables, several commands) is refused.
fn shell_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("an unclosed ' quote".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            w.push(chars.next().unwrap_or_default());
                        }
                        Some('$' | '`') => {
                            return Err("the course runner does not expand $ or `".into());
                        }
                        Some(c) => w.push(c),
                        None => return Err("an unclosed \" quote".into()),
                    }
                }
            }
            '\\' => {
                let next = chars.next().ok_or("a trailing backslash")?;
                word.get_or_insert_with(String::new).push(next);
            }
            '|' => {
                words.extend(word.take());
                words.push("|".into());
            }
            c if c.is_whitespace() => words.extend(word.take()),
            '<' | '>' | ';' | '&' | '$' | '`' | '*' | '?' => {
                return Err(format!("the course runner does not run shell syntax ({c})"));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

/// printf's escapes the course uses: \n, \t, \\.
fn printf_text(format: &str) -> String {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn parse_command(text: &str, line: usize) -> Result<Cmd, String> {
    let mut words = shell_words(text)?;
    let mut stdin = None;
    if let Some(bar) = words.iter().position(|w| w == "|") {
        let feed: Vec<String> = words.drain(..=bar).collect();
        stdin = Some(match feed.as_slice() {
            [p, fmt, _] if p == "printf" => printf_text(fmt),
            [e, s, _] if e == "echo" => format!("{s}\n"),
            _ => return Err("only `printf '…' |` or `echo '…' |` may feed a command".into()),
        });
        if words.contains(&"|".to_string()) {
            return Err("one pipe at most".into());
        }
    }
    let Some((program, args)) = words.split_first() else {
        return Err("an empty command".into());
    };
    if !["customs", "cat", "head"].contains(&program.as_str()) {
        return Err(format!(
            "the course runs `customs`, `cat` and `head`, not {program:?}"
        ));
    }
    Ok(Cmd {
        line,
        text: text.to_string(),
        program: program.clone(),
        args: args.to_vec(),
        stdin,
        exit: 0,
        expect: Vec::new(),
    })
}

/// "HTTP 200", "HTTP/1.1 404 Not Found": the status.
fn status_line(text: &str) -> Option<u16> {
    let rest = text.strip_prefix("HTTP")?;
    let rest = rest
        .strip_prefix('/')
        .map_or(Some(rest), |v| v.split_once(' ').map(|(_, r)| r))?;
    rest.split_whitespace().next()?.parse().ok()
}

fn parse_http(body: &[&str], first: usize) -> Result<Http, String> {
    let mut lines = body.iter().enumerate().map(|(n, l)| (first + n, *l));
    let (line, request) = lines
        .by_ref()
        .find(|(_, l)| !l.trim().is_empty())
        .ok_or(format!("{first}: an http exercise without a request"))?;
    let mut parts = request.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return Err(format!("{line}: the first line is `METHOD /path`"));
    };
    if !["GET", "POST", "PUT", "DELETE"].contains(&method) || !path.starts_with('/') {
        return Err(format!(
            "{line}: the first line is `METHOD /path`, not {request:?}"
        ));
    }
    let mut http = Http {
        method: method.into(),
        path: path.into(),
        headers: Vec::new(),
        role: None,
        body: Body::None,
        status: 0,
        expect: Vec::new(),
        keep: None,
        repeat: false,
    };
    // Headers, until a blank line or the status line.
    let mut body_lines: Vec<&str> = Vec::new();
    let mut in_body = false;
    let mut status_seen = false;
    for (line, raw) in lines {
        let text = raw.trim();
        if !status_seen && let Some(status) = status_line(text) {
            http.status = status;
            status_seen = true;
            continue;
        }
        if status_seen {
            if text.is_empty() || text == "..." || text == "…" {
                continue;
            }
            if text == "[repeat until it matches]" {
                http.repeat = true;
                continue;
            }
            if let Some(name) = text
                .strip_prefix("[keep as ")
                .and_then(|r| r.strip_suffix(']'))
            {
                let name = name.trim();
                if name.is_empty() || name.contains(['.', '{', '}', ' ']) {
                    return Err(format!("{line}: [keep as NAME] takes a plain name"));
                }
                http.keep = Some(name.to_string());
                continue;
            }
            let json = (text.starts_with('{') || text.starts_with('['))
                .then(|| serde_json::from_str::<Value>(text));
            http.expect.push(match json {
                Some(Ok(v)) => Expect::Json(v),
                Some(Err(e)) => return Err(format!("{line}: not one JSON value: {e}")),
                None => Expect::Text(text.to_string()),
            });
            continue;
        }
        if in_body {
            body_lines.push(raw);
            continue;
        }
        if text.is_empty() {
            in_body = true;
            continue;
        }
        let (name, value) = text
            .split_once(':')
            .ok_or(format!("{line}: a header is `Name: value`, not {text:?}"))?;
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("authorization")
            && let Some(role) = value.strip_prefix("as ")
        {
            let role = role.trim();
            if !ACCOUNTS.iter().any(|(r, _, _)| *r == role) {
                return Err(format!("{line}: no course account has the role {role:?}"));
            }
            http.role = Some(role.to_string());
        } else {
            http.headers.push((name.to_string(), value.to_string()));
        }
    }
    if !status_seen {
        return Err(format!(
            "{first}: an http exercise ends with `HTTP <status>` and what the response contains"
        ));
    }
    let body = body_lines.join("\n");
    let body = body.trim();
    http.body = if body.is_empty() {
        Body::None
    } else if let Some(file) = body.strip_prefix("< ").filter(|f| !f.contains('\n')) {
        Body::File(file.trim().to_string())
    } else {
        Body::Text(body.to_string())
    };
    Ok(http)
}

// ---------------------------------------------------------------------------------------
// Checking output.

/// Runs of white space count as one space.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn json_matches(pattern: &Value, actual: &Value) -> bool {
    match (pattern, actual) {
        (Value::Object(p), Value::Object(a)) => p
            .iter()
            .all(|(k, pv)| a.get(k).is_some_and(|av| json_matches(pv, av))),
        (Value::Array(p), Value::Array(a)) => {
            p.iter().all(|pv| a.iter().any(|av| json_matches(pv, av)))
        }
        (Value::Number(p), Value::Number(a)) => p.as_f64() == a.as_f64(),
        (p, a) => p == a,
    }
}

/// The pattern matches the value or any value inside it.
fn json_found(pattern: &Value, actual: &Value) -> bool {
    json_matches(pattern, actual)
        || match actual {
            Value::Object(m) => m.values().any(|v| json_found(pattern, v)),
            Value::Array(a) => a.iter().any(|v| json_found(pattern, v)),
            _ => false,
        }
}

fn excerpt(text: &str) -> String {
    const MAX: usize = 3000;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n… ({} bytes in all)", &text[..end], text.len())
}

// ---------------------------------------------------------------------------------------
// The classroom: a state directory, the accounts, one server.

struct Classroom {
    /// Temporary: the state directory and a working directory per language.
    dir: tempfile::TempDir,
    state: PathBuf,
    data: PathBuf,
    base: String,
    server: Child,
    log: PathBuf,
    tokens: BTreeMap<String, String>,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl Drop for Classroom {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// `CUSTOMS_COURSE_ENCODER=1` runs the course with the sentence encoder (the model files in
/// the workspace's models/, from scripts/fetch-model), to check that the expected output
/// holds with it too. The first start then embeds the corpus: many minutes in a debug build.
fn with_encoder() -> bool {
    std::env::var("CUSTOMS_COURSE_ENCODER").is_ok_and(|v| v == "1")
}

fn customs(state: &Path, data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_customs"));
    if with_encoder() {
        cmd.arg("--model-dir").arg(workspace().join("models"));
    } else {
        cmd.arg("--no-encoder");
    }
    cmd.arg("--data-dir")
        .arg(data)
        .arg("--state-dir")
        .arg(state)
        // The flags are given; inherited settings must not override them.
        .env_remove("CUSTOMS_NO_ENCODER")
        .env_remove("CUSTOMS_DATABASE_URL")
        .env_remove("CUSTOMS_MODEL_DIR")
        .env("RUST_LOG", "warn");
    cmd
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Classroom {
    fn open() -> Classroom {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("var");
        // Commands run where a reader runs them, beside docs/course/files; each language in
        // a folder of its own, so that their output files do not meet.
        for lang in LANGUAGES {
            copy_dir(
                &course_dir().join("files"),
                &dir.path().join(lang).join("docs/course/files"),
            );
        }
        let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
        for (role, email, name) in ACCOUNTS {
            let mut child = customs(&state, &data)
                .args([
                    "user", "add", "--email", email, "--name", name, "--role", role,
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "customs user add {email}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = dir.path().join("serve.log");
        let file = std::fs::File::create(&log).unwrap();
        let server = customs(&state, &data)
            .args(["serve", "--profile", "private"])
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(["--rate-limit", "1000000"])
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .expect("customs serve starts");
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(STEP)
            .build()
            .unwrap();
        let mut room = Classroom {
            dir,
            state,
            data,
            base: format!("http://127.0.0.1:{port}"),
            server,
            log,
            tokens: BTreeMap::new(),
            http,
            runtime,
        };
        room.wait_until_ready();
        for (role, email, _) in ACCOUNTS {
            let token = room.runtime.block_on(async {
                let res = room
                    .http
                    .post(format!("{}/api/v1/auth/login", room.base))
                    .json(&serde_json::json!({"email": email, "password": PASSWORD}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "signing in as {email}");
                let body: Value = res.json().await.unwrap();
                body["token"].as_str().unwrap().to_string()
            });
            room.tokens.insert(role.to_string(), token);
        }
        room
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.server.try_wait().unwrap() {
                panic!(
                    "customs serve exited with {status}:\n{}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            let ready = self.runtime.block_on(async {
                self.http
                    .get(format!("{}/healthz", self.base))
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            });
            if ready {
                eprintln!(
                    "course: server ready in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
                return;
            }
            let limit = if with_encoder() { 6 * STARTUP } else { STARTUP };
            assert!(
                started.elapsed() < limit,
                "customs serve not ready after {limit:?}:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Runs one command; the differences, if any.
    fn work(&self, lang: &str) -> PathBuf {
        self.dir.path().join(lang)
    }

    fn run(&self, cmd: &Cmd, lang: &str) -> Result<(), String> {
        let mut command = match cmd.program.as_str() {
            "customs" => customs(&self.state, &self.data),
            other => Command::new(other),
        };
        let mut child = command
            .args(&cmd.args)
            .current_dir(self.work(lang))
            .stdin(if cmd.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start it: {e}"))?;
        if let Some(input) = &cmd.stdin {
            // A command may stop reading early (a dialogue that ended).
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        // Read both pipes while waiting, and give up on a command that hangs.
        let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut bytes);
                }
                bytes
            })
        };
        let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break Some(status);
            }
            if started.elapsed() > STEP {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&stdout.join().unwrap_or_default()),
            String::from_utf8_lossy(&stderr.join().unwrap_or_default())
        );
        let squashed = squash(&text);
        let mut problems = Vec::new();
        match status {
            None => problems.push(format!("still running after {STEP:?}: killed")),
            Some(s) if s.code() != Some(cmd.exit) => {
                problems.push(format!("exit status {:?}, expected {}", s.code(), cmd.exit))
            }
            Some(_) => {}
        }
        for e in &cmd.expect {
            if !squashed.contains(&squash(e)) {
                problems.push(format!("no output line contains {e:?}"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{}\n--- output ---\n{}",
                problems.join("\n"),
                excerpt(&text)
            ))
        }
    }

    /// Sends one request (again and again with `[repeat until it matches]`); the
    /// differences, if any. JSON responses stay in `answers` for later requests' `{{…}}`.
    fn send(&self, h: &Http, lang: &str, answers: &mut Answers) -> Result<(), String> {
        let started = Instant::now();
        loop {
            let (status, text) = self.send_once(h, lang, answers)?;
            let json: Option<Value> = serde_json::from_str(&text).ok();
            let problems = check_response(h, status, &text, json.as_ref(), answers)?;
            let again = h.repeat && !problems.is_empty() && started.elapsed() < STEP;
            if again {
                std::thread::sleep(Duration::from_millis(500));
                continue;
            }
            if let Some(v) = &json {
                answers.latest.push(v.clone());
                if let Some(name) = &h.keep {
                    answers.kept.insert(name.clone(), v.clone());
                }
            }
            if problems.is_empty() {
                return Ok(());
            }
            let shown = json
                .as_ref()
                .and_then(|v| serde_json::to_string_pretty(v).ok())
                .unwrap_or(text);
            let waited = if h.repeat {
                format!(" (repeated for {STEP:?})")
            } else {
                String::new()
            };
            return Err(format!(
                "{}{waited}\n--- response ---\n{}",
                problems.join("\n"),
                excerpt(&shown)
            ));
        }
    }

    /// Sends the request once: the status and the body.
    fn send_once(&self, h: &Http, lang: &str, answers: &Answers) -> Result<(u16, String), String> {
        let fill = |text: &str| answers.fill(text);
        let url = format!("{}{}", self.base, fill(&h.path)?);
        let method = reqwest::Method::from_bytes(h.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut req = self.http.request(method, &url);
        let mut typed = false;
        for (name, value) in &h.headers {
            typed |= name.eq_ignore_ascii_case("content-type");
            req = req.header(name.as_str(), fill(value)?);
        }
        if let Some(role) = &h.role {
            req = req.bearer_auth(&self.tokens[role]);
        }
        match &h.body {
            Body::None => {}
            Body::Text(text) => {
                let text = fill(text)?;
                if !typed && (text.starts_with('{') || text.starts_with('[')) {
                    req = req.header("content-type", "application/json");
                }
                req = req.body(text);
            }
            Body::File(path) => {
                let bytes = std::fs::read(self.work(lang).join(path))
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                req = req.body(bytes);
            }
        }
        self.runtime.block_on(async {
            let res = req.send().await.map_err(|e| e.to_string())?;
            let status = res.status().as_u16();
            let text = res.text().await.map_err(|e| e.to_string())?;
            Ok::<_, String>((status, text))
        })
    }
}

/// What a response lacks of what the exercise expects (`{{…}}` in the expected lines
/// filled in from the earlier answers).
fn check_response(
    h: &Http,
    status: u16,
    text: &str,
    json: Option<&Value>,
    answers: &Answers,
) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    if status != h.status {
        problems.push(format!("status {status}, expected {}", h.status));
    }
    let squashed = squash(text);
    for e in &h.expect {
        match e {
            Expect::Text(t) => {
                let t = answers.fill(t)?;
                if !squashed.contains(&squash(&t)) {
                    problems.push(format!("the response does not contain {t:?}"));
                }
            }
            Expect::Json(pattern) => {
                let pattern: Value = serde_json::from_str(&answers.fill(&pattern.to_string())?)
                    .map_err(|e| format!("{pattern} filled in is no longer JSON: {e}"))?;
                match json {
                    Some(v) if json_found(&pattern, v) => {}
                    Some(_) => problems.push(format!("no part of the JSON matches {pattern}")),
                    None => problems.push(format!("not JSON, so nothing matches {pattern}")),
                }
            }
        }
    }
    Ok(problems)
}

/// The JSON answers of a lesson so far, for `{{…}}` in later requests.
#[derive(Default)]
struct Answers {
    /// In the order they came.
    latest: Vec<Value>,
    /// `[keep as NAME]`.
    kept: BTreeMap<String, Value>,
}

/// A string, number or boolean at a dotted path (`result.model`, `runs.0.id`).
fn at_path<'v>(value: &'v Value, path: &[&str]) -> Option<String> {
    let mut v: &'v Value = value;
    for key in path {
        v = match v {
            Value::Object(m) => m.get(*key)?,
            Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Answers {
    /// `{{name}}`: from the answer kept as the first part of the name, otherwise from the
    /// latest answer that has the field.
    fn lookup(&self, name: &str) -> Option<String> {
        let path: Vec<&str> = name.split('.').collect();
        if let (Some(kept), [_, rest @ ..]) = (self.kept.get(path[0]), path.as_slice())
            && !rest.is_empty()
        {
            return at_path(kept, rest);
        }
        self.latest.iter().rev().find_map(|v| at_path(v, &path))
    }

    fn fill(&self, text: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let end = rest[start..].find("}}").ok_or("an unclosed {{")?;
            let name = rest[start + 2..start + end].trim();
            let value = self.lookup(name).ok_or(format!(
                "no earlier response of the lesson gave {{{{{name}}}}}"
            ))?;
            out.push_str(&rest[..start]);
            out.push_str(&value);
            rest = &rest[start + end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------
// The tests.

#[test]
fn every_lesson_has_exercises_and_its_twin() {
    let by_lang: Vec<(&str, Vec<Lesson>)> = LANGUAGES
        .iter()
        .map(|l| (*l, lessons(l).unwrap_or_else(|e| panic!("{e}"))))
        .collect();
    let (_, en) = &by_lang[0];
    assert!(!en.is_empty(), "no lessons under docs/course/en");
    let mut problems = Vec::new();
    for (lang, list) in &by_lang {
        for lesson in list {
            if lesson.exercises.is_empty() {
                problems.push(format!("{} has no exercise", lesson.path));
            }
        }
        let names = |l: &[Lesson]| l.iter().map(|x| x.file.clone()).collect::<Vec<_>>();
        if names(list) != names(en) {
            problems.push(format!(
                "docs/course/{lang} has lessons {:?}, docs/course/en has {:?}",
                names(list),
                names(en)
            ));
        }
        for (a, b) in en.iter().zip(list) {
            let kinds = |l: &Lesson| {
                l.exercises
                    .iter()
                    .map(|e| match e.kind {
                        Kind::Console(_) => "console",
                        Kind::Http(_) => "http",
                    })
                    .collect::<Vec<_>>()
            };
            if a.file == b.file && a.exercises.len() == b.exercises.len() && kinds(a) != kinds(b) {
                problems.push(format!(
                    "{} and {} have their exercises in a different order: {:?} and {:?}",
                    a.path,
                    b.path,
                    kinds(a),
                    kinds(b)
                ));
            }
            if a.file == b.file && a.exercises.len() != b.exercises.len() {
                problems.push(format!(
                    "{} has {} exercises, {} has {}",
                    a.path,
                    a.exercises.len(),
                    b.path,
                    b.exercises.len()
                ));
            }
        }
    }
    // Readers create the course accounts from the README's list.
    let readme = std::fs::read_to_string(course_dir().join("README.md")).unwrap();
    for (role, email, _) in ACCOUNTS {
        if !readme.contains(email) || !readme.contains(role) {
            problems.push(format!(
                "docs/course/README.md does not list the account {email} ({role})"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs the lessons in order; the failures, and how many commands and requests ran.
/// `gate` lets lessons of the two languages run side by side, and a lesson that runs alone
/// (`<!-- course: runs alone -->`) only while no other lesson runs.
fn run_lessons(
    room: &Classroom,
    gate: &RwLock<()>,
    lang: &str,
    lessons: &[Lesson],
) -> (Vec<String>, usize, usize) {
    let mut failures = Vec::new();
    let (mut commands, mut requests) = (0, 0);
    for lesson in lessons {
        let (_shared, _alone) = if lesson.alone {
            (None, Some(gate.write().unwrap_or_else(|e| e.into_inner())))
        } else {
            (Some(gate.read().unwrap_or_else(|e| e.into_inner())), None)
        };
        let lesson_started = Instant::now();
        let mut answers = Answers::default();
        for ex in &lesson.exercises {
            match &ex.kind {
                Kind::Console(cmds) => {
                    for cmd in cmds {
                        commands += 1;
                        if let Err(e) = room.run(cmd, lang) {
                            failures.push(format!(
                                "{}:{} (exercise at line {}): $ {}\n{e}",
                                lesson.path, cmd.line, ex.line, cmd.text
                            ));
                        }
                    }
                }
                Kind::Http(h) => {
                    requests += 1;
                    if let Err(e) = room.send(h, lang, &mut answers) {
                        failures.push(format!(
                            "{}:{}: {} {}\n{e}",
                            lesson.path, ex.line, h.method, h.path
                        ));
                    }
                }
            }
        }
        eprintln!(
            "course: {} ({} exercises) in {:.1} s",
            lesson.path,
            lesson.exercises.len(),
            lesson_started.elapsed().as_secs_f64()
        );
    }
    (failures, commands, requests)
}

#[test]
fn the_course_runs() {
    let started = Instant::now();
    let by_lang: Vec<Vec<Lesson>> = LANGUAGES
        .iter()
        .map(|l| lessons(l).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let room = Classroom::open();
    let gate = RwLock::new(());
    let ready = started.elapsed();
    // The languages run side by side (they use different data set, run and model names);
    // each language's lessons run in order, as a reader does them; a lesson marked to run
    // alone waits for the other language's current lesson, which waits for it.
    let results: Vec<(Vec<String>, usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = LANGUAGES
            .iter()
            .zip(&by_lang)
            .map(|(lang, lessons)| scope.spawn(|| run_lessons(&room, &gate, lang, lessons)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a language's run does not panic"))
            .collect()
    });
    let mut failures: Vec<String> = results.iter().flat_map(|r| r.0.clone()).collect();
    let commands: usize = results.iter().map(|r| r.1).sum();
    let requests: usize = results.iter().map(|r| r.2).sum();
    let all: Vec<&Lesson> = by_lang.iter().flatten().collect();
    // Every lesson is also served as a page (embedded in the binary).
    for lesson in &all {
        let path = lesson
            .path
            .trim_start_matches("docs")
            .trim_end_matches(".md")
            .to_string();
        let status = room.runtime.block_on(async {
            room.http
                .get(format!("{}{path}", room.base))
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
        if status.as_ref().ok() != Some(&200) {
            failures.push(format!(
                "{}: GET {path} gives {status:?}: add the lesson to server/src/web/course.rs",
                lesson.path
            ));
        }
    }
    eprintln!(
        "course: {} lessons, {commands} commands, {requests} requests; server ready after {:.1} s, all done in {:.1} s",
        all.len(),
        ready.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} course exercise steps failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_runner_reads_its_convention() {
    let md = "Text\n\n```console exercise\n$ printf '1\\nq\\n' | customs guide \"dried fruit\"\nbest candidates:\n...\n[exit 0]\n$ customs lookup 9999.99\n[exit 1]\n```\n\n```sh\nnot an exercise\n```\n\n```http exercise\nPOST /api/v1/guide/{{session}}/answer\nAuthorization: as reviewer\n\n{\"text\": \"apricots\"}\n\nHTTP 200\n{\"candidates\": [{\"code\": \"081310\"}]}\nsession\n```\n";
    let ex = parse_exercises(md).unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0].line, 3);
    let Kind::Console(cmds) = &ex[0].kind else {
        panic!("console")
    };
    assert_eq!(cmds[0].args, ["guide", "dried fruit"]);
    assert_eq!(cmds[0].stdin.as_deref(), Some("1\nq\n"));
    assert_eq!(cmds[0].expect, ["best candidates:"]);
    assert_eq!((cmds[1].exit, cmds[1].line), (1, 8));
    let Kind::Http(h) = &ex[1].kind else {
        panic!("http")
    };
    assert_eq!(h.role.as_deref(), Some("reviewer"));
    assert_eq!(h.status, 200);
    assert!(matches!(&h.body, Body::Text(t) if t == "{\"text\": \"apricots\"}"));
    assert_eq!(h.expect.len(), 2);

    let response: Value = serde_json::json!({"candidates": [{"code": "030617", "x": 1}, {"code": "081310", "confidence": 0.4}]});
    assert!(json_found(
        &serde_json::json!({"code": "081310"}),
        &response
    ));
    assert!(json_found(
        &serde_json::json!({"candidates": [{"code": "081310"}]}),
        &response
    ));
    assert!(!json_found(&serde_json::json!({"code": "0813"}), &response));
    assert_eq!(status_line("HTTP/1.1 404 Not Found"), Some(404));
    assert!(parse_command("customs search x > out.txt", 1).is_err());
    assert!(parse_command("rm -rf /", 1).is_err());
    assert!(parse_exercises("```python exercise\nx\n```\n").is_err());

    // Polling, keeping an answer, nested fields.
    let md = "```http exercise\nGET /api/v1/runs/{{id}}\n\nHTTP 200\n{\"status\": \"succeeded\"}\n[repeat until it matches]\n[keep as a]\n```\n";
    let Kind::Http(h) = &parse_exercises(md).unwrap()[0].kind else {
        panic!("http")
    };
    assert!(h.repeat && h.keep.as_deref() == Some("a") && h.expect.len() == 1);
    assert!(parse_exercises("```http exercise\nGET /x\n\nHTTP 200\n[keep as a.b]\n```\n").is_err());
    let mut answers = Answers::default();
    answers
        .latest
        .push(serde_json::json!({"id": 1, "result": {"model": "head-a"}}));
    answers.kept.insert("a".into(), answers.latest[0].clone());
    answers
        .latest
        .push(serde_json::json!({"id": 2, "runs": [{"id": 7}], "result": {"model": "head-b"}}));
    assert_eq!(
        answers.fill("{{id}} {{result.model}} {{a.result.model}} {{runs.0.id}}"),
        Ok("2 head-b head-a 7".to_string())
    );
    assert!(answers.fill("{{runs.1.id}}").is_err());
}
