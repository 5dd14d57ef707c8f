//! The shape of the mass the fused list leaves over: the fusion's softmax gives it to the
//! ~5,500 subheadings no leg ranked, and for a vague description that is most of it (0.45 for
//! "altimeters", 0.71 for "insulin"). The guide asks its questions over all of it, so where it
//! lies decides whether goods the classifier ranked low are found in three questions or six.

use crate::dense::Cosines;

/// Nats per unit of cosine that the best subheading row and the best training example add to
/// the head's log-probability. Measured with `customs eval --guided` on the development split
/// (head-6a09b16f11a8): without them, dialogues of four questions or more 62, the gold
/// chapter in the prior's top 8 0.898; with (20, 40) 55 and 0.918 (test 81 → 58, CBP 52 →
/// 37); (10, 10) and (30, 30) did less on development data.
pub const COSINE_NATS: (f32, f32) = (20.0, 40.0);

/// Nats per unit of cosine that every subheading of a chapter gains from the chapter's best
/// row (subheading or example): the encoder's view of which chapter the goods belong to, so
/// the rest is not drawn to one subheading the encoder happens to like. Development split
/// (with [`COSINE_NATS`]): 0, dialogues of four questions or more 56, gold chapter first /
/// top 3 / top 8 0.654 / 0.814 / 0.918; 10, 56; 25, 53 and 0.670 / 0.832 / 0.923; 40, 56;
/// 60, 64. Test 59 → 55, chapter in the top 8 0.908 → 0.922.
pub const CHAPTER_COSINE_NATS: f32 = 25.0;

/// Every subheading's score from the legs that score them all, before they are cut to their
/// top ([`crate::legs::LEG_DEPTH`]) for fusion.
#[derive(Default)]
pub struct FullScores {
    /// The trained head's log-probabilities.
    pub head_log_probs: Option<Vec<f32>>,
    /// The dense legs' best cosines (English descriptions only).
    pub cosines: Option<Cosines>,
}

impl FullScores {
    /// Log-weights for the unranked subheadings: the hierarchical head knows the likely
    /// chapters even when its leaves miss, and the encoder knows what a word it never saw in
    /// training ("kilims") is like. `chapter_of` gives each position's chapter (any number
    /// that groups them). `None` when no such leg ran: the rest is then even.
    pub fn rest_shape(&self, chapter_of: &[u8]) -> Option<Vec<f32>> {
        let (nom_nats, ex_nats) = COSINE_NATS;
        // A position with no example row has f32::MIN there: it adds nothing.
        let best = |c: &Cosines, i: usize| c.subheadings[i].max(c.examples[i]).max(0.0);
        let mut chapter_best = [0.0f32; 256];
        if let Some(c) = &self.cosines {
            for (i, &ch) in chapter_of.iter().enumerate().take(c.subheadings.len()) {
                let b = &mut chapter_best[ch as usize];
                *b = b.max(best(c, i));
            }
        }
        let cosine_part = |c: &Cosines, i: usize| {
            let chapter = chapter_of
                .get(i)
                .map_or(0.0, |&ch| chapter_best[ch as usize]);
            nom_nats * c.subheadings[i].max(0.0)
                + ex_nats * c.examples[i].max(0.0)
                + CHAPTER_COSINE_NATS * chapter
        };
        match (&self.head_log_probs, &self.cosines) {
            (Some(head), Some(c)) => Some(
                head.iter()
                    .enumerate()
                    .map(|(i, lp)| lp + cosine_part(c, i))
                    .collect(),
            ),
            (Some(head), None) => Some(head.clone()),
            (None, Some(c)) => Some(
                (0..c.subheadings.len())
                    .map(|i| cosine_part(c, i))
                    .collect(),
            ),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosines_reorder_what_the_head_left_close() {
        let full = FullScores {
            head_log_probs: Some(vec![-1.0, -1.1, -5.0, -5.0]),
            cosines: Some(Cosines {
                subheadings: vec![0.1, 0.3, 0.2, 0.05],
                examples: vec![f32::MIN, 0.2, -0.4, 0.0],
            }),
        };
        // Positions 0 and 1 in one chapter, 2 and 3 in another.
        let chapters = [1, 1, 2, 2];
        let shape = full.rest_shape(&chapters).unwrap();
        assert!(shape[1] > shape[0], "{shape:?}");
        // A missing example row and a negative cosine add nothing; each gains its chapter's
        // best cosine, the weakest subheading of a chapter too.
        let (s, c) = (COSINE_NATS.0, CHAPTER_COSINE_NATS);
        assert!((shape[0] - (-1.0 + s * 0.1 + c * 0.3)).abs() < 1e-4);
        assert!((shape[2] - (-5.0 + s * 0.2 + c * 0.2)).abs() < 1e-4);
        assert!((shape[3] - (-5.0 + s * 0.05 + c * 0.2)).abs() < 1e-4);
        assert!(FullScores::default().rest_shape(&chapters).is_none());
        let head_only = FullScores {
            head_log_probs: Some(vec![-2.0, -0.5]),
            cosines: None,
        };
        assert_eq!(head_only.rest_shape(&[1, 2]), Some(vec![-2.0, -0.5]));
    }
}
