//! The server's autosave: changes are coalesced and saves bounded in rate, so that saving
//! while people work costs a small share of a core however fast the changes come.
//!
//! Every change is in the journal before anyone sees it, so a save can wait without losing
//! anything. A save comes when the design has been quiet for the debounce (one second by
//! default), or at the latest [`MAX_DELAY`] after the first change it holds while changes go
//! on; and never sooner after the previous save than [`SHARE`] allows for what that save
//! cost (a save of 40 ms is followed by at least 0.8 s without one). Saving runs on a
//! blocking thread, and the hub writes the document out before taking its locks (see
//! [`crate::document::hub::Hub::save`]), so sessions answer keys while it runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::Shared;

/// The longest a change waits for a save while changes go on.
pub const MAX_DELAY: Duration = Duration::from_secs(10);

/// The largest share of a core that saving may take: after a save that cost `c`, the next
/// waits at least `c / SHARE`.
pub const SHARE: f64 = 0.05;

/// How long after a failed save the server tries again by itself (a disk that was full may
/// have room again); changes in between try at once.
const SAVE_RETRY: Duration = Duration::from_secs(10);

/// When to save, from when the unsaved changes came and what the last save cost.
#[derive(Debug, Clone)]
pub struct Pace {
    /// Quiet time after the last change before saving.
    pub quiet: Duration,
    /// The longest the first unsaved change waits.
    pub max_delay: Duration,
    /// The share of a core saving may take.
    pub share: f64,
    /// When the last save ended and what it cost.
    last: Option<(Instant, Duration)>,
}

impl Pace {
    /// A pace that saves after `quiet` without changes, within [`MAX_DELAY`], at most
    /// [`SHARE`] of a core.
    pub fn new(quiet: Duration) -> Pace {
        Pace {
            quiet,
            max_delay: MAX_DELAY.max(quiet),
            share: SHARE,
            last: None,
        }
    }

    /// When to save changes the first of which came at `first` and the last at `last`.
    pub fn due(&self, first: Instant, last: Instant) -> Instant {
        let wanted = (last + self.quiet).min(first + self.max_delay);
        match self.last {
            Some((ended, cost)) => wanted.max(ended + cost.div_f64(self.share)),
            None => wanted,
        }
    }

    /// A save ended at `ended` after costing `cost`.
    pub fn saved(&mut self, ended: Instant, cost: Duration) {
        self.last = Some((ended, cost));
    }
}

/// What saving has cost so far, for the log when the server stops.
#[derive(Debug, Default)]
pub struct Stats {
    saves: AtomicU64,
    micros: AtomicU64,
    longest: AtomicU64,
    /// CPU time of the saves (of the thread that wrote them), where the system tells it.
    cpu_micros: AtomicU64,
}

impl Stats {
    fn add(&self, cost: Duration, cpu: Option<Duration>) {
        let us = cost.as_micros() as u64;
        self.saves.fetch_add(1, Ordering::Relaxed);
        self.micros.fetch_add(us, Ordering::Relaxed);
        self.longest.fetch_max(us, Ordering::Relaxed);
        if let Some(cpu) = cpu {
            self.cpu_micros
                .fetch_add(cpu.as_micros() as u64, Ordering::Relaxed);
        }
    }

    /// One line: how many saves, their time in all, on average and at most, and the share of
    /// `over` (the time served) they took.
    pub fn summary(&self, over: Duration) -> String {
        let n = self.saves.load(Ordering::Relaxed);
        let total = self.micros.load(Ordering::Relaxed) as f64 / 1000.0;
        let longest = self.longest.load(Ordering::Relaxed) as f64 / 1000.0;
        let mean = if n == 0 { 0.0 } else { total / n as f64 };
        let share = total / 1000.0 / over.as_secs_f64().max(1e-3) * 100.0;
        let cpu = self.cpu_micros.load(Ordering::Relaxed) as f64 / 1000.0;
        format!(
            "autosave: {n} saves, {total:.0} ms in all (mean {mean:.1} ms, longest {longest:.1} ms; CPU {cpu:.0} ms), {share:.2}% of the time served"
        )
    }
}

/// The CPU time the calling thread has used so far, where the system tells it (Linux).
pub fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Save the document when it changed, paced by [`Pace`]; after a failed save, try again
/// every [`SAVE_RETRY`]. Runs until aborted.
pub async fn run(shared: Arc<Shared>, quiet: Duration, stats: Arc<Stats>) {
    let mut v = shared.version.subscribe();
    let mut pace = Pace::new(quiet);
    // A document that starts changed (recovered from a journal) is saved at once.
    timed(&shared, &mut pace, &stats).await;
    loop {
        let failing = shared.hub.save_status().1.is_some();
        tokio::select! {
            r = v.changed() => if r.is_err() { return },
            _ = tokio::time::sleep(SAVE_RETRY), if failing => {}
        }
        let first = Instant::now();
        let mut last = first;
        // Coalesce: every change that comes before the save is due moves it (within bounds).
        loop {
            let due = tokio::time::Instant::from_std(pace.due(first, last));
            tokio::select! {
                r = v.changed() => {
                    if r.is_err() {
                        return;
                    }
                    last = Instant::now();
                }
                _ = tokio::time::sleep_until(due) => break,
            }
        }
        timed(&shared, &mut pace, &stats).await;
    }
}

/// Save now if anything is to be saved, and record what it cost.
async fn timed(shared: &Arc<Shared>, pace: &mut Pace, stats: &Stats) {
    if let (false, None) = shared.hub.save_status() {
        return;
    }
    let t = Instant::now();
    let (_, cpu) = super::save_now_costing(shared).await;
    let cost = t.elapsed();
    pace.saved(Instant::now(), cost);
    stats.add(cost, cpu);
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn saves_after_a_quiet_second() {
        let p = Pace::new(1000 * MS);
        let t = Instant::now();
        assert_eq!(p.due(t, t + 300 * MS), t + 1300 * MS);
    }

    #[test]
    fn a_flood_of_changes_is_saved_within_the_longest_delay() {
        let p = Pace::new(1000 * MS);
        let t = Instant::now();
        // A change every 90 ms for a minute never leaves a quiet second.
        let mut due = p.due(t, t);
        for k in 1..600 {
            let now = t + 90 * k * MS;
            if now >= due {
                break;
            }
            due = p.due(t, now);
        }
        assert_eq!(due, t + MAX_DELAY);
    }

    #[test]
    fn a_costly_save_is_followed_by_a_long_pause() {
        let mut p = Pace::new(1000 * MS);
        let t = Instant::now();
        p.saved(t, 200 * MS);
        // 200 ms at 5 % of a core: no save for 4 s, however quiet.
        assert_eq!(p.due(t, t), t + 4000 * MS);
        // A cheap save leaves the quiet second in charge.
        p.saved(t, 10 * MS);
        assert_eq!(p.due(t, t), t + 1000 * MS);
    }

    #[test]
    fn saving_takes_at_most_its_share_under_any_flood() {
        // Changes every 20 ms for ten minutes; each save costs a whole second.
        let mut p = Pace::new(1000 * MS);
        let t0 = Instant::now();
        let end = t0 + Duration::from_secs(600);
        let (mut now, mut busy) = (t0, Duration::ZERO);
        while now < end {
            let first = now;
            let mut last = now;
            let mut due = p.due(first, last);
            while last + 20 * MS < due {
                last += 20 * MS;
                due = p.due(first, last);
            }
            let cost = 1000 * MS;
            busy += cost;
            now = due + cost;
            p.saved(now, cost);
        }
        let share = busy.as_secs_f64() / (now - t0).as_secs_f64();
        assert!(share <= SHARE + 0.001, "saving took {share:.3} of the time");
    }

    #[test]
    fn the_summary_names_count_and_share() {
        let s = Stats::default();
        s.add(40 * MS, Some(30 * MS));
        s.add(60 * MS, None);
        let line = s.summary(Duration::from_secs(10));
        assert!(line.contains("2 saves"), "{line}");
        assert!(line.contains("mean 50.0 ms"), "{line}");
        assert!(line.contains("CPU 30 ms"), "{line}");
        assert!(line.contains("1.00%"), "{line}");
    }

    #[test]
    fn a_thread_counts_its_own_cpu_time() {
        let Some(before) = thread_cpu() else {
            return; // not told on this system
        };
        let mut x = 0u64;
        let t = Instant::now();
        while t.elapsed() < 20 * MS {
            x = x.wrapping_mul(31).wrapping_add(7);
        }
        std::hint::black_box(x);
        let used = thread_cpu().expect("told before") - before;
        assert!(used >= 5 * MS && used <= 2000 * MS, "{used:?}");
    }
}
