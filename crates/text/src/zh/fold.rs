//! Character-wise NFKC and lower case that remembers where each folded character came from.
//!
//! Folding char by char (not the whole string at once) is what lets every later step work on
//! clean text — "１公斤" is "1公斤", "（" is "(" — while tokens still point at the bytes the
//! user typed, so highlights land on the original text.

use unicode_normalization::UnicodeNormalization;

/// The folded text and, for each folded character, the original byte range it came from.
pub(crate) struct Folded {
    pub text: String,
    /// (byte offset in `text`, original from, original to), one per folded character.
    spans: Vec<(usize, usize, usize)>,
}

impl Folded {
    /// Folds `original`; with `drop_symbols`, emoji and decorative symbols become spaces
    /// first (NFKC would otherwise turn "™" into "tm" and "①" into "1").
    pub fn new(original: &str, drop_symbols: bool) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut spans = Vec::with_capacity(original.len());
        for (from, c) in original.char_indices() {
            let to = from + c.len_utf8();
            let mut push = |f: char| {
                spans.push((text.len(), from, to));
                text.push(f);
            };
            if c.is_ascii() {
                push(c.to_ascii_lowercase());
            } else if drop_symbols && is_symbol(c) {
                push(' ');
            } else {
                for f in std::iter::once(c).nfkc().flat_map(char::to_lowercase) {
                    push(f);
                }
            }
        }
        Folded { text, spans }
    }

    /// The original byte range of the folded range `from..to` (which must be non-empty and
    /// on character boundaries).
    pub fn origin(&self, from: usize, to: usize) -> (usize, usize) {
        let first = self.span_at(from);
        let last = self.span_at(to.saturating_sub(1).max(from));
        (first.1, last.2)
    }

    fn span_at(&self, byte: usize) -> (usize, usize, usize) {
        let i = match self.spans.binary_search_by_key(&byte, |s| s.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        self.spans[i]
    }

    /// Replaces `from..to` with spaces of the same byte length, so offsets stay valid.
    pub fn blank(&mut self, from: usize, to: usize) {
        self.text.replace_range(from..to, &" ".repeat(to - from));
        // The spans of the blanked characters now point at spaces; keep one per byte so
        // `span_at` still finds them.
        let start = self.spans.partition_point(|s| s.0 < from);
        let end = self.spans.partition_point(|s| s.0 < to);
        let (orig_from, orig_to) = (self.spans[start].1, self.spans[end - 1].2);
        let fresh: Vec<_> = (from..to).map(|b| (b, orig_from, orig_to)).collect();
        self.spans.splice(start..end, fresh);
    }
}

/// Emoji, pictographs, dingbats, stars and arrows, variation selectors and joiners, and the
/// trade-mark signs: decoration in shop titles, never part of a tariff text.
pub(crate) fn is_symbol(c: char) -> bool {
    matches!(c as u32,
        0x00A9 | 0x00AE | 0x2122 | 0x200D | 0x20E3 | 0xFE0E | 0xFE0F
        | 0x2190..=0x21FF   // arrows
        | 0x2460..=0x24FF   // enclosed alphanumerics (①, Ⓡ)
        | 0x25A0..=0x27BF   // geometric shapes, misc symbols, dingbats (★ ♥ ✨ ❄)
        | 0x2B00..=0x2BFF   // more arrows and stars (⭐)
        | 0x3297 | 0x3299   // circled 祝, 秘
        | 0x1F000..=0x1FAFF // emoji and pictographs
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_case_and_maps_back() {
        let original = "ＵＳＢ－Ｃ １公斤";
        let f = Folded::new(original, true);
        assert_eq!(f.text, "usb-c 1公斤");
        let at = f.text.find('1').unwrap();
        let (from, to) = f.origin(at, at + 1);
        assert_eq!(&original[from..to], "１");
        let at = f.text.find("公斤").unwrap();
        let (from, to) = f.origin(at, at + "公斤".len());
        assert_eq!(&original[from..to], "公斤");
    }

    #[test]
    fn drops_symbols_only_when_asked() {
        assert_eq!(Folded::new("🔥好™", true).text, " 好 ");
        assert_eq!(Folded::new("好™", false).text, "好tm");
    }

    #[test]
    fn blanking_keeps_offsets() {
        let original = "免運 冷凍蝦";
        let mut f = Folded::new(original, true);
        f.blank(0, "免運".len());
        assert_eq!(f.text.trim_start(), "冷凍蝦");
        let at = f.text.find('冷').unwrap();
        let (from, _) = f.origin(at, at + 3);
        assert_eq!(&original[from..], "冷凍蝦");
    }
}
