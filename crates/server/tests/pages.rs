mod common;

use common::start;
use settings::Profile;

#[tokio::test]
async fn home_lists_sections_and_a_labelled_search_box() {
    let s = start(Profile::Public).await;
    let res = s.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(r#"<label for="q">"#));
    assert_eq!(html.matches(r#"href="/sections/"#).count(), 21);
    assert!(html.contains(r#"href="/sections/XXI""#));
}

#[tokio::test]
async fn language_follows_the_switch_then_accept_language() {
    let s = start(Profile::Public).await;
    let zh = s
        .client
        .get(s.url("/"))
        .header("accept-language", "zh-TW,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(zh.headers()["content-language"], "zh-TW");
    let html = zh.text().await.unwrap();
    assert!(html.contains(r#"<html lang="zh-TW">"#) && html.contains("依類瀏覽"));

    let switched = s.get("/?lang=zh-TW").await;
    let cookie = switched.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("lang=zh-TW;"), "{cookie}");
    let remembered = s
        .client
        .get(s.url("/codes/0101"))
        .header("cookie", "lang=zh-TW")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert!(remembered.text().await.unwrap().contains("導覽路徑"));
}

#[tokio::test]
async fn search_page_marks_matches_and_links_codes() {
    let s = start(Profile::Public).await;
    let html = s.get("/search?q=laptop").await.text().await.unwrap();
    assert!(html.contains(r#"href="/codes/847130""#));
    assert!(html.contains("<mark>portable</mark>"));
    assert!(html.contains(r#"value="laptop""#));
    let none = s.get("/search?q=zzzqqq").await.text().await.unwrap();
    assert!(none.contains("No code matches"));
    // Markup in a query is shown, never run.
    let xss = s
        .get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
        .await
        .text()
        .await
        .unwrap();
    assert!(!xss.contains("<script>alert(1)</script>"));
    assert!(xss.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn code_page_has_breadcrumb_children_and_siblings() {
    let s = start(Profile::Public).await;
    let html = s.get("/codes/8471").await.text().await.unwrap();
    for link in [
        r#"href="/sections/XVI""#,
        r#"href="/codes/84""#,
        r#"href="/codes/847130""#,
    ] {
        assert!(html.contains(link), "{link}");
    }
    assert!(html.contains(r#"aria-current="page""#));
    assert!(html.contains("Other codes at this level") && html.contains(r#"href="/codes/8472""#));

    let moved = s.get("/codes/8471.30").await;
    assert_eq!(moved.status(), 308);
    assert_eq!(moved.headers()["location"], "/codes/847130");

    let bad = s.get("/codes/84x").await;
    assert_eq!(bad.status(), 400);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("could not be understood")
    );
    assert_eq!(s.get("/codes/999998").await.status(), 404);
    assert_eq!(s.get("/sections/XXII").await.status(), 404);
    assert_eq!(s.get("/no/such/page").await.status(), 404);
    let css = s.get("/assets/style.css").await;
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn the_tariff_and_the_duty_calculator_read_in_both_languages() {
    let s = start(Profile::Public).await;
    let zh = s
        .client
        .get(s.url("/tariff/85171300005"))
        .header("accept-language", "zh-TW")
        .send()
        .await
        .unwrap();
    assert_eq!(zh.status(), 200);
    let html = zh.text().await.unwrap();
    assert!(
        html.contains("智慧型手機") && html.contains("第三欄"),
        "{html}"
    );
    assert!(html.contains(r#"href="/duty?code=85171300005""#));
    assert!(
        html.contains(r#"href="/tariff/851713""#),
        "the breadcrumb walks up"
    );
    let en = s.get("/tariff/8517").await.text().await.unwrap();
    assert!(
        en.contains(r#"href="/tariff/851713""#) && en.contains("智慧型手機"),
        "children carry both names"
    );
    let res = s.get("/tariff?code=8517.13").await;
    assert_eq!(res.status(), 303);

    let res = s
        .get("/duty?code=02041000002&cif=100000&origin=AU&quantity=5000")
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("NT$ 64325"), "{html}");
    assert!(html.contains("whichever is higher"), "the steps are shown");
    let res = s
        .get("/duty?code=02041000002&cif=100000&origin=AU&lang=zh-TW")
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text().await.unwrap().contains("KGM"),
        "the missing quantity's unit is named"
    );

    let html = s
        .get("/tariff/851713/concordance")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("United States") && html.contains("85171300005"));
}

#[tokio::test]
async fn pages_link_the_lesson_that_covers_them_and_the_lessons_render() {
    let s = start(Profile::Public).await;
    for (page, lesson) in [
        ("/", "/course/en/01-hs-classification"),
        ("/search?q=laptop", "/course/en/02-searching-the-tariff"),
        ("/sections/II", "/course/en/02-searching-the-tariff"),
        ("/codes/0813", "/course/en/02-searching-the-tariff"),
        ("/tariff", "/course/en/02-searching-the-tariff"),
        ("/tariff/0813", "/course/en/02-searching-the-tariff"),
        ("/classify?d=laptop", "/course/en/03-reading-the-classifier"),
        ("/guide", "/course/en/03-reading-the-classifier"),
    ] {
        let html = s.get(page).await.text().await.unwrap();
        assert!(
            html.contains(&format!(r#"href="{lesson}""#)),
            "{page} links {lesson}"
        );
    }
    let zh = s
        .get("/classify?d=laptop&lang=zh-TW")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        zh.contains(r#"href="/course/zh-TW/03-reading-the-classifier""#) && zh.contains("第 3 課"),
        "a Chinese page links the Chinese lesson by its title"
    );

    // The lesson itself: markdown as HTML, links between lessons and to files rewritten.
    let res = s.get("/course/en/03-reading-the-classifier").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Lesson 3: How the classifier decides"));
    assert!(html.contains(r#"<pre><code class="language-console">"#));
    assert!(html.contains(r#"href="/course/en/02-searching-the-tariff""#));
    assert!(html.contains(r#"href="/course/zh-TW/03-reading-the-classifier""#));
    assert!(html.contains(r#"href="/course""#));
    let zh = s.get("/course/zh-TW/01-hs-classification").await;
    assert_eq!(zh.headers()["content-language"], "zh-TW");
    assert!(zh.text().await.unwrap().contains("解釋準則"));
    // The language switch leads to the twin lesson.
    let switched = s.get("/course/en/01-hs-classification?lang=zh-TW").await;
    assert_eq!(switched.status(), 303);
    assert_eq!(
        switched.headers()["location"],
        "/course/zh-TW/01-hs-classification"
    );
    let index = s.get("/course").await.text().await.unwrap();
    assert!(index.contains(r#"href="/course/en/08-checking-declarations""#));
    assert!(index.contains(r#"href="/course/zh-TW/04-data-sets""#));
    let file = s.get("/course/files/declarations.csv").await;
    assert_eq!(file.status(), 200);
    assert!(
        file.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        file.text()
            .await
            .unwrap()
            .starts_with("id,description,declared_code")
    );
    assert!(index.contains(r#"href="/course/en/05-training""#));
    assert!(index.contains(r#"href="/course/zh-TW/06-comparing-models""#));
    assert!(index.contains(r#"href="/course/en/07-promoting-and-rolling-back""#));
    assert_eq!(s.get("/course/en/09-no-such-lesson").await.status(), 404);
    assert_eq!(s.get("/course/fr/01-hs-classification").await.status(), 404);
    assert_eq!(s.get("/course/files/secret.txt").await.status(), 404);
}
