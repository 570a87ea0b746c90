//! How often a session redraws for other people's changes. Every change is drawn for every
//! session, so a full room pays the cost of a frame once per session per change: the sessions
//! share what their frames cost (a running mean), and each waits between two redraws for others'
//! changes long enough that the room's redraws together take at most [`BUDGET`] of a core.
//! A change that comes after a quiet spell is drawn at once; only changes that follow one just
//! drawn wait, and are drawn together.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// The shortest time between two redraws for others' changes (also with few sessions).
pub const MIN_INTERVAL: Duration = Duration::from_millis(25);
/// The longest: a change is on every screen within about this, however full the room.
pub const MAX_INTERVAL: Duration = Duration::from_millis(150);
/// The share of a core the room's redraws for others' changes may take together.
pub const BUDGET: f64 = 1.0;

/// The sessions drawing and what a frame costs them, shared by all sessions.
#[derive(Debug, Default)]
pub struct Frames {
    sessions: AtomicUsize,
    /// A running mean of a frame's cost, in nanoseconds.
    mean_nanos: AtomicU64,
}

impl Frames {
    /// A session starts drawing; it stops when the guard is dropped.
    pub fn join(&self) -> Drawing<'_> {
        self.sessions.fetch_add(1, Ordering::Relaxed);
        Drawing(self)
    }

    /// Record what one frame cost.
    pub fn drew(&self, cost: Duration) {
        let sample = cost.as_nanos().min(u64::MAX as u128) as u64;
        // A mean over about the last 16 frames; a lost update between sessions is harmless.
        let old = self.mean_nanos.load(Ordering::Relaxed);
        let new = if old == 0 {
            sample
        } else {
            old - old / 16 + sample / 16
        };
        self.mean_nanos.store(new, Ordering::Relaxed);
    }

    /// How long a session waits between two redraws for others' changes now.
    pub fn interval(&self) -> Duration {
        interval(
            self.sessions.load(Ordering::Relaxed),
            Duration::from_nanos(self.mean_nanos.load(Ordering::Relaxed)),
        )
    }
}

/// One session counted as drawing (see [`Frames::join`]).
pub struct Drawing<'a>(&'a Frames);

impl Drop for Drawing<'_> {
    fn drop(&mut self) {
        self.0.sessions.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The time between two redraws for others' changes with `sessions` drawing frames that cost
/// `frame` each: long enough that all of them redrawing once in it take [`BUDGET`] of a core,
/// within [`MIN_INTERVAL`] and [`MAX_INTERVAL`].
pub fn interval(sessions: usize, frame: Duration) -> Duration {
    frame
        .mul_f64(sessions as f64 / BUDGET)
        .clamp(MIN_INTERVAL, MAX_INTERVAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_small_room_redraws_at_the_shortest_interval() {
        assert_eq!(interval(1, MS), MIN_INTERVAL);
        assert_eq!(interval(10, MS), MIN_INTERVAL);
        assert_eq!(interval(0, Duration::ZERO), MIN_INTERVAL);
    }

    #[test]
    fn a_full_room_waits_so_that_redraws_keep_to_their_budget() {
        // 60 sessions at 1.5 ms a frame: 90 ms of frames per round.
        assert_eq!(interval(60, 3 * MS / 2), 90 * MS);
        // 200 at 2 ms: 400 ms, capped.
        assert_eq!(interval(200, 2 * MS), MAX_INTERVAL);
        let share = (60.0 * 1.5) / interval(60, 3 * MS / 2).as_secs_f64() / 1000.0;
        assert!(share <= BUDGET + 1e-9, "{share}");
    }

    #[test]
    fn sessions_are_counted_while_they_draw_and_the_cost_is_a_running_mean() {
        let f = Frames::default();
        let a = f.join();
        let b = f.join();
        f.drew(40 * MS);
        // Two sessions at 40 ms: 80 ms.
        assert_eq!(f.interval(), 80 * MS);
        drop(a);
        drop(b);
        assert_eq!(f.interval(), MIN_INTERVAL, "nobody draws");
        let _c: Vec<_> = (0..50).map(|_| f.join()).collect();
        for _ in 0..200 {
            f.drew(MS);
        }
        // 50 sessions at about 1 ms (the 40 ms long forgotten): about 50 ms.
        let i = f.interval();
        assert!(i >= 49 * MS && i <= 51 * MS, "{i:?}");
    }
}
