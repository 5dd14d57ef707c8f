use super::*;

fn terms(s: &str) -> Vec<String> {
    analyze_zh(s, ZhOptions::default())
        .into_iter()
        .map(|t| t.text)
        .collect()
}

fn with(s: &str, segmenter: Segmenter, strip_noise: bool) -> Vec<String> {
    let options = ZhOptions {
        segmenter,
        strip_noise,
    };
    analyze_zh(s, options).into_iter().map(|t| t.text).collect()
}

#[test]
fn cuts_cjk_runs_into_characters_and_pairs() {
    assert_eq!(
        terms("冷凍蝦仁"),
        ["冷", "冷凍", "凍", "凍蝦", "蝦", "蝦仁", "仁"]
    );
    assert_eq!(
        with("冷凍蝦仁", Segmenter::Bigrams, true),
        ["冷凍", "凍蝦", "蝦仁"]
    );
    assert_eq!(with("蝦", Segmenter::Bigrams, true), ["蝦"]);
    // Punctuation ends a run: no pair straddles it.
    assert!(!terms("冷凍，蝦仁").contains(&"凍蝦".to_string()));
}

#[test]
fn folds_full_width_text_and_keeps_traditional_characters() {
    assert_eq!(terms("ＵＳＢ－Ｃ　６５Ｗ"), ["usb", "c", "65", "w"]);
    assert_eq!(terms("（ＩＳＯ）"), ["iso"]);
    assert_eq!(terms("鋼鐵"), ["鋼", "鋼鐵", "鐵"]);
}

#[test]
fn mixed_chinese_and_english_go_through_both_chains() {
    let t = terms("FROZEN SQUID WHOLE 冷凍魷魚 10KG/CTN");
    assert_eq!(&t[..3], ["frozen", "squid", "whole"]);
    assert!(t.contains(&"魷魚".to_string()));
    assert!(t.ends_with(&["10".to_string(), "kg".to_string(), "ctn".to_string()]));
    assert_eq!(&terms("Apple手機")[..2], ["appl", "手"]);
}

#[test]
fn chinese_units_after_a_number_read_as_symbols() {
    assert_eq!(terms("1公斤"), ["1", "kg", "公", "公斤", "斤"]);
    assert!(terms("每箱約20 公斤").contains(&"kg".to_string()));
    assert!(terms("５０立方公分").starts_with(&["50".to_string(), "cm3".to_string()]));
    assert!(!terms("公斤").contains(&"kg".to_string()));
}

#[test]
fn strips_shop_title_noise_only_when_asked() {
    let title = "🔥免運🔥【現貨】冷凍蝦仁 買一送一 ✨";
    assert_eq!(
        terms(title),
        ["冷", "冷凍", "凍", "凍蝦", "蝦", "蝦仁", "仁"]
    );
    let raw = with(title, Segmenter::CharNgrams, false);
    assert!(raw.contains(&"免運".to_string()) && raw.contains(&"買一".to_string()));
    // NFKC would make "™" a word; as a symbol it goes.
    assert_eq!(terms("Dyson™"), ["dyson"]);
}

#[test]
fn offsets_point_at_the_original_text() {
    let text = "【免運】冷凍蝦仁１公斤";
    for t in analyze_zh(text, ZhOptions::default()) {
        let original = &text[t.from..t.to];
        match t.text.as_str() {
            "蝦仁" => assert_eq!(original, "蝦仁"),
            "1" => assert_eq!(original, "１"),
            "kg" => assert_eq!(original, "公斤"),
            _ => {}
        }
    }
}

#[test]
fn unigrams_are_single_cjk_characters() {
    assert!(is_unigram("蝦"));
    assert!(!is_unigram("蝦仁") && !is_unigram("a") && !is_unigram(""));
}

#[test]
fn empty_and_symbol_only_texts_give_nothing() {
    assert!(terms("").is_empty());
    assert!(terms("🔥✨【】！").is_empty());
}

#[test]
fn synonyms_name_tariff_wording() {
    let s = ZhSynonyms::builtin();
    let words = |q: &str| -> Vec<String> {
        s.expand(q)
            .into_iter()
            .flat_map(|e| e.words)
            .collect::<Vec<_>>()
    };
    assert!(words("二手手機").contains(&"智慧型手機".to_string()));
    assert!(words("13吋筆電").contains(&"攜帶式自動資料處理機".to_string()));
    assert!(words("空的寶特瓶").contains(&"瓶子".to_string()));
    assert!(words("PET粒").contains(&"聚對苯二甲酸乙烯酯".to_string()));
    assert_eq!(words("冷氣機"), ["空氣調節器"]);
    assert!(words("電動機車").contains(&"機器腳踏車".to_string()));
}
