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
    /// training ("kilims") is like. `None` when no such leg ran: the rest is then even.
    pub fn rest_shape(&self) -> Option<Vec<f32>> {
        let (nom_nats, ex_nats) = COSINE_NATS;
        let cosine_part = |c: &Cosines, i: usize| {
            // A position with no example row has f32::MIN there: it adds nothing.
            nom_nats * c.subheadings[i].max(0.0) + ex_nats * c.examples[i].max(0.0)
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
            head_log_probs: Some(vec![-1.0, -1.1, -5.0]),
            cosines: Some(Cosines {
                subheadings: vec![0.1, 0.3, 0.2],
                examples: vec![f32::MIN, 0.2, -0.4],
            }),
        };
        let shape = full.rest_shape().unwrap();
        assert!(shape[1] > shape[0], "{shape:?}");
        // A missing example row and a negative cosine add nothing.
        assert_eq!(shape[0], -1.0 + 20.0 * 0.1);
        assert_eq!(shape[2], -5.0 + 20.0 * 0.2);
        assert!(FullScores::default().rest_shape().is_none());
        let head_only = FullScores {
            head_log_probs: Some(vec![-2.0, -0.5]),
            cosines: None,
        };
        assert_eq!(head_only.rest_shape(), Some(vec![-2.0, -0.5]));
    }
}
