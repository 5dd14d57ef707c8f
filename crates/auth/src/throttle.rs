//! Login throttling: after too many failures for one key (account or client address) within
//! a window, further attempts are refused until the oldest failure ages out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginThrottle {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

/// Bounds memory under a credential-stuffing flood: beyond this many keys the oldest go.
const MAX_KEYS: usize = 100_000;

impl LoginThrottle {
    pub fn new(max_failures: usize, window: Duration) -> LoginThrottle {
        LoginThrottle {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` while the key is locked out.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().expect("throttle lock");
        let Some(times) = map.get_mut(key) else {
            return Ok(());
        };
        times.retain(|t| now.duration_since(*t) < self.window);
        if times.len() < self.max_failures {
            return Ok(());
        }
        let oldest = times[0];
        Err(self.window.saturating_sub(now.duration_since(oldest)))
    }

    pub fn fail(&self, key: &str, now: Instant) {
        let mut map = self.failures.lock().expect("throttle lock");
        if map.len() >= MAX_KEYS && !map.contains_key(key) {
            let window = self.window;
            map.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        map.entry(key.to_string()).or_default().push(now);
    }

    pub fn succeed(&self, key: &str) {
        self.failures.lock().expect("throttle lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_the_limit_and_reopens_after_the_window() {
        let throttle = LoginThrottle::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(throttle.check("a@x", t0 + Duration::from_secs(i)).is_ok());
            throttle.fail("a@x", t0 + Duration::from_secs(i));
        }
        let wait = throttle
            .check("a@x", t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(
            throttle.check("b@x", t0).is_ok(),
            "other keys are not affected"
        );
        assert!(throttle.check("a@x", t0 + Duration::from_secs(61)).is_ok());
        throttle.succeed("a@x");
        assert!(throttle.check("a@x", t0 + Duration::from_secs(11)).is_ok());
    }
}
