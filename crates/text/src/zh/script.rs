//! Which characters are read as CJK (one token per character or pair) and which go through
//! the English chain, and the Chinese unit words folded to the symbols the English side uses.

/// Han ideographs (with extensions and compatibility forms), kana and Hangul: scripts
/// written without spaces, so they are cut into characters rather than words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007       // 々 〆 〇
        | 0x3040..=0x30FF     // hiragana, katakana
        | 0x3400..=0x4DBF     // ext A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0x20000..=0x3134F   // ext B–G
    )
}

/// Whether a text is written (mostly) in Chinese: two or more CJK characters, or more CJK
/// characters than Latin letters. The classifier routes on it; data cards count languages by it.
pub fn is_chinese(text: &str) -> bool {
    let cjk = text.chars().filter(|&c| is_cjk(c)).count();
    let latin = text.chars().filter(char::is_ascii_alphabetic).count();
    cjk >= 2 || (cjk > 0 && cjk >= latin)
}

/// Unit words after a number, longest first, and the symbol the English chain folds them to,
/// so "1公斤" and "1 kg", "50立方公分" and "50cc" meet.
const UNITS: &[(&str, &str)] = &[
    ("立方公分", "cm3"),
    ("平方公尺", "m2"),
    ("公斤", "kg"),
    ("千克", "kg"),
    ("公克", "g"),
    ("毫克", "mg"),
    ("公升", "l"),
    ("毫升", "ml"),
    ("西西", "cm3"),
    ("公分", "cm"),
    ("釐米", "cm"),
    ("公釐", "mm"),
    ("公厘", "mm"),
    ("毫米", "mm"),
    ("公尺", "m"),
    ("千瓦", "kw"),
    ("瓦特", "w"),
    ("伏特", "v"),
    ("英吋", "inch"),
    ("克", "g"),
    ("瓦", "w"),
    ("磅", "lb"),
];

/// The unit word that `run` starts with and its symbol.
pub(crate) fn leading_unit(run: &str) -> Option<(&'static str, &'static str)> {
    UNITS
        .iter()
        .copied()
        .find(|(word, _)| run.starts_with(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_scripts() {
        assert!(is_cjk('蝦') && is_cjk('の') && is_cjk('〇'));
        assert!(!is_cjk('a') && !is_cjk('1') && !is_cjk('，'));
        assert_eq!(leading_unit("公斤裝"), Some(("公斤", "kg")));
        assert_eq!(leading_unit("立方公分"), Some(("立方公分", "cm3")));
        assert_eq!(leading_unit("冷凍"), None);
    }
}
