//! When to try a failed call again: exponential backoff with jitter, at least as long as the
//! platform's `Retry-After`, a bounded number of times.

use std::time::Duration;

use rand::RngExt;

use crate::platform_api::CallError;

/// How failed calls are retried within one sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most tries of one call, the first included (at least 1).
    pub tries: u32,
    /// The wait before the second try; each further wait doubles, up to `longest_delay`.
    pub first_delay: Duration,
    pub longest_delay: Duration,
    /// A `Retry-After` longer than this ends the sync instead: the next sync tries again.
    pub longest_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            tries: 5,
            first_delay: Duration::from_millis(500),
            longest_delay: Duration::from_secs(30),
            longest_retry_after: Duration::from_secs(120),
        }
    }
}

/// The retries of one call.
#[derive(Debug)]
pub(crate) struct Backoff {
    policy: RetryPolicy,
    tries: u32,
}

impl Backoff {
    pub(crate) fn new(policy: RetryPolicy) -> Backoff {
        Backoff { policy, tries: 0 }
    }

    /// Called after each failed try: how long to wait before the next one, or `None` when the
    /// call must not be tried again now (not retryable, tries used up, or asked to wait too long).
    pub(crate) fn next_delay(&mut self, error: &CallError) -> Option<Duration> {
        self.tries += 1;
        if !error.is_retryable() || self.tries >= self.policy.tries.max(1) {
            return None;
        }
        let retry_after = error.retry_after().unwrap_or_default();
        if retry_after > self.policy.longest_retry_after {
            return None;
        }
        let exponent = self.tries.saturating_sub(1).min(30);
        let ceiling = self
            .policy
            .first_delay
            .saturating_mul(1_u32 << exponent)
            .min(self.policy.longest_delay);
        // "Equal jitter": half the ceiling for sure, the other half at random, so that clients
        // that failed together do not come back together.
        let half = ceiling / 2;
        let jitter = Duration::from_nanos(
            rand::rng().random_range(0..=u64::try_from(half.as_nanos()).unwrap_or(u64::MAX)),
        );
        Some((half + jitter).max(retry_after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unavailable(retry_after: Option<Duration>) -> CallError {
        CallError::Unavailable { status: 503, retry_after, message: String::new() }
    }

    #[test]
    fn delays_grow_within_bounds_and_stop_after_the_last_try() {
        let policy = RetryPolicy {
            tries: 5,
            first_delay: Duration::from_millis(100),
            longest_delay: Duration::from_millis(300),
            longest_retry_after: Duration::from_secs(1),
        };
        let mut backoff = Backoff::new(policy);
        let ceilings = [100, 200, 300, 300];
        for ceiling in ceilings {
            let delay = backoff.next_delay(&unavailable(None)).unwrap();
            let ceiling = Duration::from_millis(ceiling);
            assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay:?} for {ceiling:?}");
        }
        assert_eq!(backoff.next_delay(&unavailable(None)), None);
    }

    #[test]
    fn retry_after_is_honoured_unless_too_long() {
        let policy = RetryPolicy {
            tries: 3,
            first_delay: Duration::from_millis(1),
            longest_delay: Duration::from_millis(2),
            longest_retry_after: Duration::from_secs(10),
        };
        let mut backoff = Backoff::new(policy);
        assert_eq!(
            backoff.next_delay(&unavailable(Some(Duration::from_secs(4)))),
            Some(Duration::from_secs(4))
        );
        let mut backoff = Backoff::new(policy);
        assert_eq!(backoff.next_delay(&unavailable(Some(Duration::from_secs(11)))), None);
    }

    #[test]
    fn refusals_and_bad_answers_are_not_retried() {
        let mut backoff = Backoff::new(RetryPolicy::default());
        let refused = CallError::Rejected {
            status: 409,
            code: "rule_violation".into(),
            message: "no".into(),
        };
        assert_eq!(backoff.next_delay(&refused), None);
        let bad = CallError::BadResponse { method: "m".into(), message: "x".into() };
        assert_eq!(Backoff::new(RetryPolicy::default()).next_delay(&bad), None);
    }
}
