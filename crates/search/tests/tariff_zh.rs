//! Chinese search over the real Taiwan tariff: clear everyday queries find their subheading,
//! codes walk the tariff, noise and synonyms behave, and the curated lists fit the tariff.
//! Skips (with a message) when the data set is absent.

use std::sync::{Arc, OnceLock};

use search::TariffIndex;
use tariff::TwTariff;

fn index() -> Option<&'static TariffIndex> {
    static INDEX: OnceLock<Option<TariffIndex>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
            if !dir.join("tariffs/tw").is_dir() {
                println!("skipping: no tariff data at {}", dir.display());
                return None;
            }
            let tariff = TwTariff::load(&dir).expect("the 2025 tariff loads");
            Some(TariffIndex::build(Arc::new(tariff)).expect("the index builds"))
        })
        .as_ref()
}

fn top_hs6(q: &str) -> Vec<String> {
    let index = index().expect("checked by the caller");
    index
        .search_hs6(q, 10)
        .into_iter()
        .map(|h| h.hs6.to_string())
        .collect()
}

#[test]
fn indexes_every_line() {
    let Some(index) = index() else { return };
    assert_eq!(index.documents(), 12_686);
}

#[test]
fn everyday_chinese_finds_the_subheading() {
    let Some(_) = index() else { return };
    for (query, hs6) in [
        ("冷凍去殼白蝦仁", "030617"),
        ("筆電", "847130"),
        ("手機", "851713"),
        ("行動電源", "850760"),
        ("泡麵", "190230"),
        ("保特瓶", "392330"),
        ("Frozen peeled shrimp 冷凍蝦仁", "030617"),
    ] {
        let top = top_hs6(query);
        assert!(top.contains(&hs6.to_string()), "{query}: {top:?}");
    }
    let aircon = top_hs6("分離式冷氣");
    assert!(
        aircon[..3].iter().any(|c| c.starts_with("8415")),
        "{aircon:?}"
    );
    let scooter = top_hs6("125cc 機車");
    assert!(
        scooter[..3].iter().any(|c| c.starts_with("8711")),
        "{scooter:?}"
    );
}

#[test]
fn shop_title_noise_does_not_change_the_answer() {
    let Some(_) = index() else { return };
    let clean = top_hs6("冷凍蝦仁");
    assert_eq!(top_hs6("🔥免運🔥【現貨】冷凍蝦仁 買一送一 ✨"), clean);
    assert_eq!(clean[0], "030617");
}

#[test]
fn hits_name_what_matched() {
    let Some(index) = index() else { return };
    let hits = index.search("冷凍蝦仁", 5);
    assert_eq!(hits[0].code.as_str(), "03061700404");
    assert_eq!(hits[0].hs6.as_str(), "030617");
    assert!(
        hits[0].matched.iter().any(|m| m == "冷凍蝦仁"),
        "{:?}",
        hits[0].matched
    );
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    let hs6 = index.search_hs6("冷凍蝦仁", 3);
    assert_eq!(hs6[0].lines[0].as_str(), "03061700404");
}

#[test]
fn codes_walk_the_tariff_by_prefix() {
    let Some(index) = index() else { return };
    let hits = index.search("8517.13", 10);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.code.as_str().starts_with("851713")));
    assert_eq!(
        index.search("85171300005", 10)[0].code.as_str(),
        "85171300005"
    );
    // A wrong check digit is read at the ten statistical digits.
    assert_eq!(
        index.search("8517.13.00.00-4", 10)[0].code.as_str(),
        "85171300005"
    );
    assert_eq!(
        index.search("０１０１．２１", 10)[0].code.as_str(),
        "01012100003"
    );
    let by_hs6: Vec<String> = index
        .search_hs6("0101", 10)
        .iter()
        .map(|h| h.hs6.to_string())
        .collect();
    assert_eq!(by_hs6, ["010121", "010129", "010130", "010190"]);
}

#[test]
fn queries_without_meaning_find_nothing() {
    let Some(index) = index() else { return };
    for q in ["", "🔥✨", "【免運】", "zzzqqq"] {
        assert!(index.search(q, 10).is_empty(), "{q}");
        assert!(index.search_hs6(q, 10).is_empty(), "{q}");
    }
    assert!(index.search("冷凍蝦仁", 0).is_empty());
}

#[test]
fn curated_lists_fit_the_tariff() {
    let Some(index) = index() else { return };
    let tariff = index.tariff();
    let texts: Vec<String> = tariff
        .lines()
        .iter()
        .map(|l| l.search_zh.clone())
        .chain(tariff.hs6_codes().filter_map(|c| {
            let name = tariff.zh_name(c)?;
            Some(tariff::search_form(&name.text))
        }))
        .collect();
    let occurs = |w: &str| texts.iter().any(|t| t.contains(w));
    // A noise phrase must never be tariff wording, or stripping it would hide real goods.
    for phrase in text::zh::noise_phrases() {
        assert!(
            !occurs(phrase),
            "noise phrase {phrase} occurs in the tariff"
        );
    }
    // Every synonym target is tariff wording, so an expansion always has something to match.
    let synonyms = text::ZhSynonyms::builtin();
    assert!(synonyms.len() >= 80);
    for (name, words) in synonyms.entries() {
        for w in words {
            assert!(occurs(w), "{name} => {w}: not in the tariff texts");
        }
    }
}

#[test]
fn passages_cover_every_line_and_subheading() {
    let Some(index) = index() else { return };
    let passages = search::zh_passages(index.tariff());
    let lines = passages.iter().filter(|p| p.line.is_some()).count();
    assert_eq!(lines, 12_686);
    assert!(passages.len() > lines + 5_000, "{}", passages.len());
    assert!(passages.iter().all(|p| !p.text.trim().is_empty()));
    // A subheading's passage carries its heading's name as context.
    let shrimp = passages
        .iter()
        .find(|p| p.line.is_none() && p.hs6.as_str() == "030617")
        .expect("030617 has a passage");
    assert!(shrimp.text.contains('；'), "{}", shrimp.text);
}
