//! How fast each person may change the document over SSH: a token bucket per person (by
//! name, so all their connections share it), full at the start.

use std::collections::HashMap;
use std::time::Instant;

/// An allowance: `burst` changes at once, then `per_second` as the bucket refills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Changes at once.
    pub burst: u32,
    /// Changes per second after that.
    pub per_second: u32,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// One bucket per person. Bounded: people come from PEOPLE.yaml.
#[derive(Debug, Default)]
pub struct Rates {
    buckets: HashMap<String, Bucket>,
}

impl Rates {
    /// Take one change from `who`'s allowance at `now`; false when it is used up.
    pub fn take(&mut self, who: &str, rate: Rate, now: Instant) -> bool {
        let burst = f64::from(rate.burst);
        let b = self.buckets.entry(who.to_string()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let earned = now.saturating_duration_since(b.at).as_secs_f64() * f64::from(rate.per_second);
        b.tokens = (b.tokens + earned).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const RATE: Rate = Rate {
        burst: 3,
        per_second: 2,
    };

    #[test]
    fn a_burst_then_the_sustained_rate_per_person() {
        let mut r = Rates::default();
        let t = Instant::now();
        assert!((0..3).all(|_| r.take("ana", RATE, t)));
        assert!(!r.take("ana", RATE, t), "burst used up");
        assert!(r.take("bo", RATE, t), "each person has their own");
        assert!(r.take("ana", RATE, t + Duration::from_millis(500)));
        assert!(!r.take("ana", RATE, t + Duration::from_millis(600)));
        // Refills up to the burst, no further.
        let later = t + Duration::from_secs(60);
        assert!((0..3).all(|_| r.take("ana", RATE, later)));
        assert!(!r.take("ana", RATE, later));
    }
}
