//! The guided dialogue in Traditional Chinese. The guide phrases its questions in English;
//! here they are put into Chinese for the reader: tree choices by the zh-TW names of their
//! codes (from the national tariff), attribute questions and values from a fixed table, and
//! the candidates' names. Anything without a translation stays in English rather than being
//! guessed.

use nomenclature::HsCode;

use super::guide::GuideResponse;
use crate::AppState;

const QUESTIONS: &[(&str, &str)] = &[
    (
        "Which broad group do the goods belong to?",
        "貨品屬於哪一大類？",
    ),
    ("Which kind of goods is it?", "貨品屬於哪一類？"),
    (
        "Which of these describes the goods best?",
        "下列何者最能描述貨品？",
    ),
    (
        "Which of these matches the goods exactly?",
        "下列何者與貨品完全相符？",
    ),
    ("Which of these are the goods?", "貨品是下列何者？"),
    (
        "Which group of headings holds the goods?",
        "貨品屬於下列哪一組號列？",
    ),
    ("What is it used for?", "貨品的用途為何？"),
    (
        "What are the goods made of (the main material)?",
        "貨品的主要材質為何？",
    ),
    ("In what state are the goods?", "貨品是何種狀態？"),
    ("Who are the goods for?", "貨品供何人使用？"),
    (
        "Is the fabric knitted or crocheted?",
        "布料是針織或鉤編的嗎？",
    ),
    ("Does it work with electricity?", "是否用電操作？"),
    (
        "Is it put up for retail sale (packed for the final consumer)?",
        "是否為零售包裝（供最終消費者）？",
    ),
];

const LABELS: &[(&str, &str)] = &[
    ("Not sure", "不確定"),
    ("None of these", "以上皆非"),
    ("Another material", "其他材質"),
    ("Anyone / not made for a particular person", "不限對象"),
    ("No fabric / not applicable", "非布料／不適用"),
    ("Not applicable", "不適用"),
    ("Cotton", "棉"),
    ("Wool or fine animal hair", "羊毛或動物細毛"),
    (
        "Synthetic fibres (polyester, nylon, acrylic…)",
        "合成纖維（聚酯、耐綸、壓克力…）",
    ),
    ("Artificial fibres (viscose, rayon…)", "再生纖維（嫘縈…）"),
    ("Silk", "絲"),
    ("Flax (linen)", "亞麻"),
    ("Leather", "皮革"),
    ("Plastics", "塑膠"),
    ("Rubber", "橡膠"),
    ("Wood", "木"),
    ("Bamboo or rattan", "竹或藤"),
    ("Paper or paperboard", "紙或紙板"),
    ("Glass", "玻璃"),
    ("Ceramic or porcelain", "陶瓷"),
    ("Iron or steel", "鋼鐵"),
    ("Aluminium", "鋁"),
    ("Copper", "銅"),
    (
        "Precious metal (gold, silver, platinum)",
        "貴金屬（金、銀、鉑）",
    ),
    ("Stone or marble", "石料或大理石"),
    ("Live (animals)", "活的（動物）"),
    ("Fresh or chilled", "生鮮或冷藏"),
    ("Frozen", "冷凍"),
    ("Dried", "乾燥"),
    ("Salted, in brine or smoked", "鹽漬、浸鹵或燻製"),
    ("Roasted", "焙炒"),
    ("Not roasted", "未焙炒"),
    ("Cooked, prepared or preserved", "調製或保藏"),
    ("Ground or powdered", "磨碎或粉狀"),
    ("Raw or unwrought", "未加工（生料）"),
    ("Men or boys", "男用或男童用"),
    ("Women or girls", "女用或女童用"),
    ("Babies", "嬰兒用"),
    ("Knitted or crocheted", "針織或鉤編"),
    ("Not knitted or crocheted (woven)", "非針織或鉤編（梭織）"),
    ("Yes, electric", "是，用電"),
    ("No, not electric", "否，不用電"),
    ("Yes, for retail sale", "是，零售包裝"),
    ("Something else / no particular use", "其他用途／無特定用途"),
    (
        "In motor vehicles, tractors or cycles",
        "用於汽車、曳引車或自行車",
    ),
    ("In aircraft, ships or boats", "用於航空器或船舶"),
    ("In the home (household, domestic)", "家用"),
    (
        "Medical, surgical, dental or veterinary",
        "醫療、外科、牙科或獸醫用",
    ),
    ("Farming, gardening or forestry", "農業、園藝或林業用"),
    ("Making food or drink", "食品或飲料製造用"),
    (
        "Making textiles, clothing or leather goods",
        "紡織品、衣著或皮革製品製造用",
    ),
    (
        "Working metal (machining, casting, welding)",
        "金屬加工用（切削、鑄造、焊接）",
    ),
    (
        "Working wood, stone, glass, rubber or plastics",
        "木材、石材、玻璃、橡膠或塑膠加工用",
    ),
    (
        "Making paper, printing or book-binding",
        "造紙、印刷或裝訂用",
    ),
    ("Office work or data processing", "辦公或資料處理用"),
    (
        "Lifting, handling, loading or unloading",
        "升降、搬運或裝卸用",
    ),
    ("Laboratory or scientific work", "實驗室或科學用"),
    ("Sport or games", "運動或遊戲用"),
    ("Packing or carrying goods", "包裝或載運貨物用"),
    ("Carrying people", "載運人員用"),
    ("Measuring, checking or testing", "量測、檢查或試驗用"),
    ("No, in bulk / not for retail sale", "否，散裝／非零售"),
];

/// The 21 sections of the Harmonized System, as the Taiwan tariff names them.
const SECTIONS: [&str; 21] = [
    "活動物；動物產品",
    "植物產品",
    "動植物油脂及其分解物；調製食用油脂；動植物蠟",
    "調製食品；飲料；酒類及醋；菸類及已製菸類代用品",
    "礦產品",
    "化學或有關工業產品",
    "塑膠及其製品；橡膠及其製品",
    "生皮、皮革、毛皮及其製品；鞍具及輓具；旅行用物品、手袋及其類似容器",
    "木及木製品；木炭；軟木及軟木製品；編結品",
    "木漿或其他纖維素材料之紙漿；紙及紙板",
    "紡織品及紡織製品",
    "鞋、帽、雨傘、遮陽傘、手杖、鞭、馬鞭及其零件；羽毛製品；人造花",
    "石料、膠泥、水泥、石棉、雲母或類似材料之製品；陶瓷產品；玻璃及玻璃器",
    "天然珍珠或養珠、寶石或次寶石、貴金屬及其製品；仿首飾；鑄幣",
    "卑金屬及卑金屬製品",
    "機器及機械用具；電機設備；錄音機及聲音重放機",
    "車輛、航空器、船舶及有關運輸設備",
    "光學、照相、電影、計量、檢查、精密、內科或外科儀器及器具；鐘錶；樂器",
    "武器與彈藥；及其零件與附件",
    "雜項製品",
    "藝術品、珍藏品及古董",
];

fn lookup(table: &[(&str, &'static str)], text: &str) -> Option<&'static str> {
    table.iter().find(|(en, _)| *en == text).map(|(_, zh)| *zh)
}

fn zh_name(state: &AppState, code: &str) -> Option<String> {
    let code = HsCode::parse(code).ok()?;
    state.tariff.as_ref()?.tw.zh_name(&code).map(|z| z.text)
}

fn section_name(state: &AppState, keeps: &[String]) -> Option<String> {
    let chapter = HsCode::parse(keeps.first()?.get(..2)?).ok()?;
    let section = state.index.nomenclature().get(&chapter)?.section?;
    let n = usize::from(section.number());
    Some(format!("第{}類：{}", section.roman(), SECTIONS.get(n - 1)?))
}

/// A run of headings: "84.37–84.40：穀類清潔機器；食品工業用機器；…", each name cut short.
fn range_name(state: &AppState, headings: &[String]) -> Option<String> {
    const NAME_CHARS: usize = 12;
    let names: Vec<String> = headings
        .iter()
        .map(|h| {
            let name = zh_name(state, h)?;
            let mut short: String = name.chars().take(NAME_CHARS).collect();
            if name.chars().count() > NAME_CHARS {
                short.push('…');
            }
            Some(short)
        })
        .collect::<Option<_>>()?;
    let dotted = |h: &str| Some(format!("{}.{}", h.get(..2)?, h.get(2..)?));
    let first = dotted(headings.first()?)?;
    let last = dotted(headings.last()?)?;
    Some(format!("{first}–{last}：{}", names.join("；")))
}

/// Puts a step into Traditional Chinese, in place.
pub fn localise(state: &AppState, r: &mut GuideResponse) {
    if let Some(q) = &mut r.question {
        if let Some(zh) = lookup(QUESTIONS, &q.text) {
            q.text = zh.to_string();
        } else if q.topic.starts_with("unit:") {
            q.text = format!("{}（{}）", "數值為何", q.topic.trim_start_matches("unit:"));
        }
        for c in &mut q.choices {
            let translated = if let Some(zh) = lookup(LABELS, &c.label) {
                Some(zh.to_string())
            } else if q.topic == "tree:range" && c.keeps.len() > 1 {
                range_name(state, &c.keeps)
            } else if let Some(branch) = c.id.strip_prefix("rest:") {
                let name = if branch.starts_with('S') {
                    section_name(state, &c.keeps)
                } else {
                    zh_name(state, branch)
                };
                name.map(|n| format!("其他屬於「{n}」的貨品"))
            } else if q.topic == "tree:section" || (q.topic == "tree:any" && c.id.starts_with('S'))
            {
                section_name(state, &c.keeps)
            } else if q.topic.starts_with("tree:") && c.keeps.len() == 1 {
                zh_name(state, &c.keeps[0])
            } else {
                None
            };
            if let Some(zh) = translated {
                // The English stays as the detail, so nothing is lost.
                c.detail = Some(c.detail.take().unwrap_or_else(|| c.label.clone()));
                c.label = zh;
            }
        }
    }
    for c in &mut r.candidates {
        if let Some(zh) = zh_name(state, &c.code) {
            c.description = format!("{zh}（{}）", c.description);
        }
    }
    if let Some(o) = &mut r.outcome
        && let Some(zh) = zh_name(state, &o.code)
    {
        o.description = format!("{zh}（{}）", o.description);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A missing entry would show English to a Chinese reader without anyone noticing.
    #[test]
    fn every_attribute_question_and_value_reads_in_chinese() {
        for d in guide::lexicon::DIMENSIONS {
            assert!(lookup(QUESTIONS, d.question).is_some(), "{}", d.question);
            assert!(lookup(LABELS, d.other).is_some(), "{}", d.other);
            for v in d.values {
                assert!(lookup(LABELS, v.label).is_some(), "{}", v.label);
            }
        }
    }
}
