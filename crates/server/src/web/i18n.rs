//! UI strings in English and Traditional Chinese.
//!
//! Written by hand rather than with a message-catalogue crate: two languages, a few dozen
//! strings, and a struct makes a missing translation a compile error.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhTw,
}

impl Lang {
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhTw => "zh-TW",
        }
    }

    pub fn parse(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        if t == "en" || t.starts_with("en-") {
            Some(Lang::En)
        } else if t == "zh" || t.starts_with("zh-") {
            Some(Lang::ZhTw)
        } else {
            None
        }
    }

    /// `?lang=` wins, then the `lang` cookie, then Accept-Language (by q-value), then English.
    pub fn negotiate(query_lang: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(l) = query_lang.and_then(Lang::parse) {
            return l;
        }
        let cookie = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().strip_prefix("lang="))
            .find_map(Lang::parse);
        if let Some(l) = cookie {
            return l;
        }
        let accept = headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mut best: Option<(f32, Lang)> = None;
        for part in accept.split(',') {
            let mut bits = part.split(';');
            let Some(lang) = bits.next().and_then(Lang::parse) else {
                continue;
            };
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    pub fn t(self) -> &'static Messages {
        match self {
            Lang::En => &EN,
            Lang::ZhTw => &ZH_TW,
        }
    }
}

pub struct Messages {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub home: &'static str,
    pub language: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search_button: &'static str,
    pub browse_sections: &'static str,
    pub section: &'static str,
    pub chapter: &'static str,
    pub heading: &'static str,
    pub subheading: &'static str,
    pub chapters: &'static str,
    pub unsectioned: &'static str,
    pub results_for: &'static str,
    pub results_count: &'static str,
    pub codes_starting: &'static str,
    pub no_results: &'static str,
    pub also_searched: &'static str,
    pub contents: &'static str,
    pub siblings: &'static str,
    pub no_children: &'static str,
    pub breadcrumb: &'static str,
    pub english_only: &'static str,
    pub not_found: &'static str,
    pub not_found_detail: &'static str,
    pub bad_request: &'static str,
    pub footer: &'static str,
    pub classify_nav: &'static str,
    pub classify_title: &'static str,
    pub classify_lead: &'static str,
    pub classify_label: &'static str,
    pub classify_hint: &'static str,
    pub classify_button: &'static str,
    pub confidence: &'static str,
    pub matched: &'static str,
    pub similar_rulings: &'static str,
    pub evidence: &'static str,
    pub guide_cta: &'static str,
    pub candidates_by_heading: &'static str,
    pub flag_too_vague: &'static str,
    pub flag_low_confidence: &'static str,
    pub flag_code_typed: &'static str,
    pub flag_no_match: &'static str,
    pub flag_not_english: &'static str,
    pub guide_nav: &'static str,
    pub tariff_nav: &'static str,
    pub duty_nav: &'static str,
    pub datasets_nav: &'static str,
    pub guide_title: &'static str,
    pub guide_lead: &'static str,
    pub guide_label: &'static str,
    pub guide_start: &'static str,
    pub guide_known: &'static str,
    pub guide_question: &'static str,
    pub guide_own_words: &'static str,
    pub guide_send: &'static str,
    pub guide_back: &'static str,
    pub guide_answers: &'static str,
    pub guide_candidates: &'static str,
    pub guide_pick: &'static str,
    pub guide_result: &'static str,
    pub guide_because: &'static str,
    pub guide_ruled_out: &'static str,
    pub guide_share: &'static str,
    pub guide_again: &'static str,
    pub guide_reason_confident: &'static str,
    pub guide_reason_picked: &'static str,
    pub guide_reason_no_more: &'static str,
    pub guide_reason_limit: &'static str,
    pub guide_texts_english: &'static str,
}

impl Messages {
    pub fn guide_reason(&self, reason: &str) -> &'static str {
        match reason {
            "confident" => self.guide_reason_confident,
            "picked" => self.guide_reason_picked,
            "no_more_questions" => self.guide_reason_no_more,
            _ => self.guide_reason_limit,
        }
    }

    pub fn flag(&self, flag: &str) -> Option<&'static str> {
        Some(match flag {
            "too_vague" => self.flag_too_vague,
            "low_confidence" => self.flag_low_confidence,
            "code_typed" => self.flag_code_typed,
            "no_match" => self.flag_no_match,
            "not_english" => self.flag_not_english,
            _ => return None,
        })
    }

    pub fn level(&self, level: nomenclature::Level) -> &'static str {
        match level {
            nomenclature::Level::Chapter => self.chapter,
            nomenclature::Level::Heading => self.heading,
            nomenclature::Level::Subheading => self.subheading,
        }
    }
}

pub static EN: Messages = Messages {
    site_name: "Smart Customs Tariff",
    tagline: "Find the Harmonized System (HS 2022) code for your goods.",
    skip_to_content: "Skip to main content",
    home: "Home",
    language: "Language",
    search_label: "Describe the goods, or type a code",
    search_hint: "For example: laptop, frozen shrimp, 8471.30",
    search_button: "Search",
    browse_sections: "Browse by section",
    section: "Section",
    chapter: "Chapter",
    heading: "Heading",
    subheading: "Subheading",
    chapters: "Chapters",
    unsectioned: "Outside the sections",
    results_for: "Results for “{q}”",
    results_count: "{n} codes found",
    codes_starting: "Codes starting with {q}",
    no_results: "No code matches these words. Try other words, a broader term, or browse the sections.",
    also_searched: "Also searched for",
    contents: "Contents",
    siblings: "Other codes at this level",
    no_children: "This is the most detailed level of the HS.",
    breadcrumb: "Breadcrumb",
    english_only: "Nomenclature texts are shown in English.",
    not_found: "Page not found",
    not_found_detail: "There is nothing at this address. Check the code or search again.",
    bad_request: "That request could not be understood",
    footer: "HS 2022 nomenclature from UN Comtrade, public domain (ODC PDDL).",
    classify_nav: "Classify goods",
    classify_title: "Classify goods",
    classify_lead: "Describe the goods in your own words; the service suggests the HS subheading and explains why.",
    classify_label: "Describe the goods",
    classify_hint: "What they are, what they are made of, what they are for. For example: freeze-dried strawberry slices in 30 g pouches",
    classify_button: "Find the code",
    confidence: "confidence",
    matched: "Matched",
    similar_rulings: "Similar classified goods",
    evidence: "Why: the texts that matched",
    guide_cta: "Not sure? Answer a few questions",
    candidates_by_heading: "Suggestions, grouped by heading",
    flag_too_vague: "This description is too vague to classify. Say what the goods are, what they are made of and what they are for.",
    flag_low_confidence: "No suggestion is certain yet. Add detail, or check the candidates below.",
    flag_code_typed: "You typed a code; here it is.",
    flag_no_match: "No word of the description occurs in the tariff. Try other words.",
    flag_not_english: "The classifier reads English descriptions; Chinese support is coming.",
    guide_nav: "Step by step",
    tariff_nav: "Tariff",
    duty_nav: "Duty calculator",
    datasets_nav: "Data sets",
    guide_title: "Find the code step by step",
    guide_lead: "Answer a few questions; each one is chosen to settle the code fastest. You can go back at any time.",
    guide_label: "What are the goods? (optional)",
    guide_start: "Start",
    guide_known: "From your description",
    guide_question: "Question",
    guide_own_words: "Or answer in your own words",
    guide_send: "Send",
    guide_back: "Back",
    guide_answers: "Your answers",
    guide_candidates: "Most likely codes now",
    guide_pick: "This is it",
    guide_result: "Result",
    guide_because: "Why",
    guide_ruled_out: "Ruled out",
    guide_share: "Link to this result",
    guide_again: "Start again",
    guide_reason_confident: "The answers settle the code.",
    guide_reason_picked: "You picked this code.",
    guide_reason_no_more: "No further question tells the remaining codes apart; check the candidates below.",
    guide_reason_limit: "The question limit was reached; this is the most likely code.",
    guide_texts_english: "Questions and nomenclature texts are in English.",
};

pub static ZH_TW: Messages = Messages {
    site_name: "智慧關務稅則查詢",
    tagline: "查詢貨品的國際商品統一分類制度（HS 2022）號列。",
    skip_to_content: "跳到主要內容",
    home: "首頁",
    language: "語言",
    search_label: "描述貨品，或輸入號列",
    search_hint: "例如：laptop、frozen shrimp、8471.30",
    search_button: "搜尋",
    browse_sections: "依類瀏覽",
    section: "類",
    chapter: "章",
    heading: "節",
    subheading: "目",
    chapters: "章",
    unsectioned: "不屬任何類",
    results_for: "「{q}」的搜尋結果",
    results_count: "共找到 {n} 個號列",
    codes_starting: "以 {q} 開頭的號列",
    no_results: "沒有符合的號列。請換個說法、用較廣的詞，或依類瀏覽。",
    also_searched: "同時搜尋",
    contents: "下層分類",
    siblings: "同層其他號列",
    no_children: "這是 HS 最細的層級。",
    breadcrumb: "導覽路徑",
    english_only: "號列說明目前以英文顯示。",
    not_found: "找不到頁面",
    not_found_detail: "這個網址沒有內容。請檢查號列或重新搜尋。",
    bad_request: "無法理解這個請求",
    footer: "HS 2022 號列資料來自 UN Comtrade，屬公眾領域（ODC PDDL）。",
    classify_nav: "貨品歸類",
    classify_title: "貨品歸類",
    classify_lead: "用自己的話描述貨品，系統會建議 HS 目並說明理由。",
    classify_label: "描述貨品",
    classify_hint: "是什麼、用什麼材料做的、做什麼用。例如：freeze-dried strawberry slices in 30 g pouches",
    classify_button: "查詢號列",
    confidence: "信心度",
    matched: "符合字詞",
    similar_rulings: "相似的已歸類貨品",
    evidence: "依據：相符的文字",
    guide_cta: "不確定？回答幾個問題",
    candidates_by_heading: "建議號列（依節分組）",
    flag_too_vague: "描述過於籠統，無法歸類。請說明貨品是什麼、材料與用途。",
    flag_low_confidence: "目前沒有確定的建議。請補充描述，或檢視下列候選號列。",
    flag_code_typed: "您輸入的是號列，顯示如下。",
    flag_no_match: "描述中的字詞不在稅則中，請換個說法。",
    flag_not_english: "歸類模型目前讀取英文描述；中文支援即將推出。",
    guide_nav: "逐步歸類",
    tariff_nav: "稅則",
    duty_nav: "稅費試算",
    datasets_nav: "資料集",
    guide_title: "逐步找出稅則號別",
    guide_lead: "回答幾個問題；每個問題都經過挑選，能最快確定號別。您隨時可以返回上一步。",
    guide_label: "貨品是什麼？（可不填）",
    guide_start: "開始",
    guide_known: "從您的描述得知",
    guide_question: "問題",
    guide_own_words: "或用您自己的話回答",
    guide_send: "送出",
    guide_back: "上一步",
    guide_answers: "您的回答",
    guide_candidates: "目前最可能的號別",
    guide_pick: "就是這個",
    guide_result: "結果",
    guide_because: "理由",
    guide_ruled_out: "已排除",
    guide_share: "此結果的連結",
    guide_again: "重新開始",
    guide_reason_confident: "您的回答已確定號別。",
    guide_reason_picked: "您選擇了此號別。",
    guide_reason_no_more: "已沒有問題能再區分剩下的號別，請查看下列候選號別。",
    guide_reason_limit: "已達問題上限；這是最可能的號別。",
    guide_texts_english: "問題與稅則文字目前以英文顯示。",
};

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn negotiates_in_order_of_precedence() {
        let zh = headers(&[("accept-language", "en;q=0.5, zh-TW;q=0.9")]);
        assert_eq!(Lang::negotiate(None, &zh), Lang::ZhTw);
        assert_eq!(Lang::negotiate(Some("en"), &zh), Lang::En);
        let cookie = headers(&[("cookie", "a=b; lang=zh-TW"), ("accept-language", "en")]);
        assert_eq!(Lang::negotiate(None, &cookie), Lang::ZhTw);
        assert_eq!(Lang::negotiate(None, &HeaderMap::new()), Lang::En);
        assert_eq!(
            Lang::negotiate(Some("fr"), &headers(&[("accept-language", "fr, de")])),
            Lang::En
        );
    }
}
