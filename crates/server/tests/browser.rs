//! End to end in a real headless Chromium, driven through WebDriver (chromedriver): a person
//! searches, opens a result and browses up the breadcrumb.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Set
//! CUSTOMS_SKIP_BROWSER=1 to skip on a machine without them; CI never sets it.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use settings::Profile;

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find(name: &str, fallbacks: &[&str]) -> Option<PathBuf> {
    let from_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    from_path.or_else(|| fallbacks.iter().map(PathBuf::from).find(|p| p.is_file()))
}

async fn start_driver() -> Option<Driver> {
    let Some(driver) = find("chromedriver", &["/usr/bin/chromedriver"]) else {
        if std::env::var_os("CUSTOMS_SKIP_BROWSER").is_some() {
            return None;
        }
        panic!(
            "chromedriver not found: install Debian's chromium and chromium-driver (see .ci/run)"
        );
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let status = format!("http://127.0.0.1:{port}/status");
    for _ in 0..100 {
        if reqwest::get(&status).await.is_ok() {
            return Some(driver);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on port {port}");
}

async fn browser(driver: &Driver) -> Client {
    let chromium = find("chromium", &["/usr/bin/chromium"]).expect("chromium installed");
    // One profile per browser: two Chromiums on one profile directory trip over each other.
    static BROWSERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = BROWSERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let profile_dir = std::env::temp_dir().join(format!("customs-e2e-{}-{n}", std::process::id()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,900",
                format!("--user-data-dir={}", profile_dir.display()),
            ]
        }),
    );
    // reqwest (webhooks) brings rustls's ring backend and fantoccini its aws-lc one; with both
    // compiled in, rustls wants the process to choose.
    let _ = rustls::crypto::ring::default_provider().install_default();
    ClientBuilder::rustls()
        .expect("TLS config")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}

async fn screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn click_link(client: &Client, text: &str) {
    let link = client.find(Locator::LinkText(text)).await;
    link.unwrap_or_else(|e| panic!("no link {text:?}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn click_css(client: &Client, css: &str) {
    let el = client.find(Locator::Css(css)).await;
    el.unwrap_or_else(|e| panic!("nothing matches {css:?}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn h1(client: &Client) -> String {
    client
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// chromedriver, a public server and a browser on it; `None` (skip) only where
/// CUSTOMS_SKIP_BROWSER allows a machine without chromedriver.
async fn session() -> Option<(Driver, common::TestServer, Client)> {
    let Some(driver) = start_driver().await else {
        eprintln!("skipped: CUSTOMS_SKIP_BROWSER is set and chromedriver is missing");
        return None;
    };
    let server = common::start(Profile::Public).await;
    let c = browser(&driver).await;
    Some((driver, server, c))
}

#[tokio::test]
async fn a_reader_browses_the_tariff_and_works_out_the_duty_in_chinese() {
    let Some((_driver, server, c)) = session().await else {
        return;
    };
    c.goto(&server.url("/tariff/851713?lang=zh-TW"))
        .await
        .unwrap();
    assert!(h1(&c).await.contains("智慧型手機"));
    click_css(&c, "ul.codes li a").await;
    c.wait()
        .for_url(url(&server, "/tariff/85171300"))
        .await
        .unwrap();
    click_css(&c, "ul.codes li a").await;
    c.wait()
        .for_url(url(&server, "/tariff/85171300005"))
        .await
        .unwrap();
    let rates = c.find(Locator::Css("table.rates")).await.unwrap();
    assert!(
        rates.text().await.unwrap().contains("10%"),
        "column 3 shown"
    );

    // The calculator from the line's link: lamb from Australia, 5,000 kg at NT$100,000.
    c.goto(&server.url("/duty")).await.unwrap();
    fill(&c, "input[name=code]", "0204.10.00.00-2").await;
    fill(&c, "input[name=cif]", "100000").await;
    fill(&c, "input[name=origin]", "AU").await;
    fill(&c, "input[name=quantity]", "5000").await;
    submit(&c, "form.stack button").await;
    let result = c
        .wait()
        .for_element(Locator::Css("section.result"))
        .await
        .unwrap();
    let text = result.text().await.unwrap();
    assert!(text.contains("64325"), "{text}");
    assert!(
        text.contains("營業稅") || text.contains("Business tax"),
        "{text}"
    );
    screenshot(&c, "duty").await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn search_open_a_result_and_browse_up_the_breadcrumb() {
    let Some((_driver, server, c)) = session().await else {
        return;
    };

    c.goto(&server.url("/")).await.unwrap();
    let input = c.find(Locator::Css("input#q")).await.unwrap();
    input.send_keys("laptop").await.unwrap();
    click_css(&c, "form.search button").await;
    let first = c
        .wait()
        .for_element(Locator::Css("ol.results li a.code"))
        .await
        .unwrap();
    assert_eq!(first.text().await.unwrap(), "8471.30");
    let first_item = c.find(Locator::Css("ol.results li")).await.unwrap();
    let mut marked = Vec::new();
    for m in first_item.find_all(Locator::Css("mark")).await.unwrap() {
        marked.push(m.text().await.unwrap());
    }
    assert!(marked.contains(&"portable".to_string()), "{marked:?}");
    screenshot(&c, "search").await;

    first.click().await.unwrap();
    c.wait()
        .for_url(url(&server, "/codes/847130"))
        .await
        .unwrap();
    assert!(h1(&c).await.starts_with("8471.30"));
    screenshot(&c, "code").await;

    // Up the breadcrumb: heading, chapter, section, home.
    for (link, expected_path, title_start) in [
        ("Heading 84.71", "/codes/8471", "84.71"),
        ("Chapter 84", "/codes/84", "84"),
        ("Section XVI", "/sections/XVI", "Section XVI"),
    ] {
        click_link(&c, link).await;
        c.wait().for_url(url(&server, expected_path)).await.unwrap();
        assert!(h1(&c).await.starts_with(title_start), "{expected_path}");
    }
    click_link(&c, "Home").await;
    c.wait().for_url(url(&server, "/")).await.unwrap();

    // Classify in the person's own words: suggestions come grouped by heading.
    click_link(&c, "Classify goods").await;
    let area = c
        .wait()
        .for_element(Locator::Css("textarea#d"))
        .await
        .unwrap();
    area.send_keys("laptop computer").await.unwrap();
    click_css(&c, "form.classify button").await;
    let group = c
        .wait()
        .for_element(Locator::Css("section.heading-group"))
        .await
        .unwrap();
    assert!(!group.text().await.unwrap().is_empty());
    let codes = c
        .find_all(Locator::Css("li.candidate a.code"))
        .await
        .unwrap();
    let mut found = Vec::new();
    for code in codes {
        found.push(code.text().await.unwrap());
    }
    assert!(found.contains(&"8471.30".to_string()), "{found:?}");
    screenshot(&c, "classify").await;
    click_link(&c, "Smart Customs Tariff").await;
    c.wait().for_url(url(&server, "/")).await.unwrap();

    // The language switch turns the whole UI to Traditional Chinese and is remembered.
    click_link(&c, "繁體中文").await;
    c.wait()
        .for_element(Locator::Css("html[lang='zh-TW']"))
        .await
        .unwrap();
    c.goto(&server.url("/codes/0101")).await.unwrap();
    let crumbs = c.find(Locator::Css("nav.breadcrumb")).await.unwrap();
    assert_eq!(
        crumbs.attr("aria-label").await.unwrap().as_deref(),
        Some("導覽路徑")
    );
    screenshot(&c, "zh-tw").await;
    c.close().await.unwrap();
}

fn url(server: &common::TestServer, path: &str) -> url::Url {
    url::Url::parse(&server.url(path)).unwrap()
}

/// The guided wizard with JavaScript: each answer swaps in the next step without a full page
/// load, the address follows, and the dialogue ends on the code with its reasons.
#[tokio::test]
async fn guided_wizard_answers_without_reloading() {
    let Some((_driver, server, c)) = session().await else {
        return;
    };
    c.goto(&server.url("/")).await.unwrap();
    click_link(&c, "Step by step").await;
    let area = c
        .wait()
        .for_element(Locator::Css("textarea#d"))
        .await
        .unwrap();
    area.send_keys("dried fruit").await.unwrap();
    click_css(&c, "form.classify button").await;
    c.wait()
        .for_element(Locator::Css("form.choices button"))
        .await
        .unwrap();
    screenshot(&c, "guide-question").await;
    // A marker that only survives if the page is never reloaded.
    c.execute("window.stillHere = true;", vec![]).await.unwrap();
    let gold = "081310";
    for round in 0..6 {
        if c.find(Locator::Css("#result")).await.is_ok() {
            break;
        }
        let before = c.current_url().await.unwrap();
        // The choice that leads to the gold code, read from the buttons' data-keeps and
        // data-excludes, as any client can.
        let mut target = None;
        let mut fallback = None;
        for b in c
            .find_all(Locator::Css("form.choices button"))
            .await
            .unwrap()
        {
            let list = |name: &'static str| {
                let b = b.clone();
                async move { b.attr(name).await.unwrap().unwrap_or_default() }
            };
            let keeps = list("data-keeps").await;
            let excludes = list("data-excludes").await;
            let under = |prefixes: &str| {
                prefixes
                    .split(' ')
                    .any(|p| !p.is_empty() && gold.starts_with(p))
            };
            if under(&keeps) {
                target = Some(b);
                break;
            }
            if !excludes.is_empty() && !under(&excludes) {
                fallback = Some(b);
            }
        }
        let target = target.or(fallback);
        target
            .unwrap_or_else(|| panic!("no choice leads to {gold} in round {round}"))
            .click()
            .await
            .unwrap();
        for _ in 0..100 {
            if c.current_url().await.unwrap() != before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_ne!(
            c.current_url().await.unwrap(),
            before,
            "the address follows the step"
        );
    }
    let result = c.wait().for_element(Locator::Css("#result")).await.unwrap();
    assert!(result.text().await.unwrap().contains("0813.10"));
    let kept = c
        .execute("return window.stillHere === true;", vec![])
        .await
        .unwrap();
    assert_eq!(kept, serde_json::Value::Bool(true), "no full reload");
    screenshot(&c, "guide-result").await;
    c.close().await.unwrap();
}

#[path = "platform/harness.rs"]
mod harness;

async fn fill(client: &Client, css: &str, text: &str) {
    let el = client.find(Locator::Css(css)).await;
    el.unwrap_or_else(|e| panic!("nothing matches {css:?}: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

/// Clicks a form's button and waits until the browser has left the page (POST, then the
/// redirect), so the next lookup sees the new page, never the old one.
async fn submit(client: &Client, css: &str) {
    let old = client.find(Locator::Css("html")).await.unwrap();
    click_css(client, css).await;
    for _ in 0..200 {
        if old.tag_name().await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    client.wait().for_element(Locator::Css("h1")).await.unwrap();
}

async fn sign_in(client: &Client, email: &str) {
    fill(client, "#email", email).await;
    fill(client, "#password", harness::PASSWORD).await;
    submit(client, "form[action='/login'] button").await;
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A trader files an advance ruling through the forms; an officer takes it from the queue
/// and approves it; the trader sees the decision. No JavaScript needed anywhere.
#[tokio::test]
async fn a_trader_files_and_an_officer_decides_in_the_browser() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let p = harness::start(harness::Options::default()).await;

    let trader = browser(&driver).await;
    trader
        .goto(&p.server.url("/applications/new?kind=advance_ruling"))
        .await
        .unwrap();
    let at = trader.current_url().await.unwrap();
    assert_eq!(
        at.path(),
        "/login",
        "signed-out visitors sign in first: {at} {}",
        h1(&trader).await
    );
    sign_in(&trader, "amy@formosa.example").await;
    assert_eq!(
        h1(&trader).await,
        "Advance tariff classification ruling",
        "and come back to the form"
    );
    fill(
        &trader,
        "#f-goods_description",
        "Freeze-dried strawberry slices, 30 g pouches",
    )
    .await;
    fill(&trader, "#f-intended_code", "0813.99").await;
    submit(&trader, "button[value='submit']").await;
    let alert = text_of(&trader, ".alert").await;
    assert!(
        alert.contains("intended_code"),
        "the form comes back with the error: {alert}"
    );
    trader
        .find(Locator::Css("#f-intended_code"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    fill(&trader, "#f-intended_code", "0813.40").await;
    submit(&trader, "button[value='submit']").await;
    assert!(
        h1(&trader).await.starts_with("EA-"),
        "{}",
        h1(&trader).await
    );
    assert_eq!(text_of(&trader, ".badge").await, "Submitted");
    let case_url = trader.current_url().await.unwrap();
    screenshot(&trader, "eapp-submitted").await;

    let officer = browser(&driver).await;
    officer.goto(&p.server.url("/review-queue")).await.unwrap();
    sign_in(&officer, "olivia@customs.example").await;
    assert_eq!(h1(&officer).await, "Review queue");
    let reference = h1(&trader).await.split(' ').next().unwrap().to_string();
    click_link(&officer, &reference).await;
    submit(&officer, "button[value='start_review']").await;
    assert_eq!(text_of(&officer, ".badge").await, "Under review");
    fill(
        &officer,
        "#msg-approve",
        "GIR 1 and 6: dried strawberries, heading 08.13.",
    )
    .await;
    submit(&officer, "button[value='approve']").await;
    assert_eq!(text_of(&officer, ".badge").await, "Approved");
    screenshot(&officer, "eapp-approved").await;

    trader.goto(case_url.as_str()).await.unwrap();
    assert_eq!(text_of(&trader, ".badge").await, "Approved");
    assert!(
        text_of(&trader, ".decision strong")
            .await
            .contains("081340")
    );
    trader.close().await.unwrap();
    officer.close().await.unwrap();
}
