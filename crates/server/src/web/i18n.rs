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
}

impl Messages {
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
