//! Who may start to log in, decided before any SSH is spoken: an allowance of new connections
//! per address (a token bucket; a login gives its token back, so a room of people behind one
//! address costs nothing), and random early drop under load in the style of OpenSSH's
//! `MaxStartups start:rate:full`, aimed at the addresses that spend their allowance without
//! logging in. A refused client is told why ([`refusal_bytes`]); the log gets one summary a
//! minute ([`Admission::summary`]) instead of a line per connection. See `docs/serve.md`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Addresses remembered at most; past it, those whose allowance is whole are forgotten (they
/// lose nothing), and if that is not enough, all are (a flood from that many addresses gets
/// fresh allowances, and random early drop and the caps of [`super::slots`] still hold).
pub const MAX_ADDRESSES: usize = 16_384;

/// The admission rules; part of [`super::Limits`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// New connections one address may open at once (its allowance when full).
    pub burst: u32,
    /// New connections per second the allowance of one address grows back by.
    pub per_second: f64,
    /// Unauthenticated connections held from which new ones may be dropped at random.
    pub start: usize,
    /// The chance of a drop at `start`, in percent; it grows linearly to 100 at `full`.
    pub rate: u32,
    /// Unauthenticated connections held at which the chance of a drop is 100 %.
    pub full: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            burst: 32,
            per_second: 1.0,
            start: 16,
            rate: 30,
            full: 64,
        }
    }
}

/// Why a new connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Its address has used up its allowance of new connections.
    Address,
    /// Dropped at random under load.
    Busy,
    /// Every place is held by people who have logged in.
    Full,
}

impl Refusal {
    /// What the client is told.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::Address => {
                "too many new connections from your address; wait a few seconds and connect again"
            }
            Refusal::Busy => {
                "the server is busy with many connections that are logging in; connect again in a few seconds"
            }
            Refusal::Full => {
                "the server holds as many people as it can; connect again when someone has left"
            }
        }
    }
}

/// What a refused client is sent before the connection closes: the reason as a line before the
/// SSH identification string (RFC 4253 allows such lines; `ssh -v` shows them), then an
/// identification string and an unencrypted `SSH_MSG_DISCONNECT` (code 12, too many
/// connections) with the same reason, which a plain `ssh` prints ("Received disconnect from
/// …: 12: …"). No key exchange: this costs the server nothing.
pub fn refusal_bytes(why: Refusal) -> Vec<u8> {
    let reason = why.reason().as_bytes();
    let mut payload = vec![1u8]; // SSH_MSG_DISCONNECT
    payload.extend_from_slice(&12u32.to_be_bytes()); // SSH_DISCONNECT_TOO_MANY_CONNECTIONS
    payload.extend_from_slice(&(reason.len() as u32).to_be_bytes());
    payload.extend_from_slice(reason);
    payload.extend_from_slice(&0u32.to_be_bytes()); // language tag: none
    // Packet length, padding length, payload and padding: a multiple of 8, padding 4 to 11.
    let mut pad = 8 - (5 + payload.len()) % 8;
    if pad < 4 {
        pad += 8;
    }
    let mut out = format!("microcred: {}\r\nSSH-2.0-microcred\r\n", why.reason()).into_bytes();
    out.extend_from_slice(&((1 + payload.len() + pad) as u32).to_be_bytes());
    out.push(pad as u8);
    out.extend_from_slice(&payload);
    out.extend(std::iter::repeat_n(0u8, pad));
    out
}

/// The part of an address that has one allowance: an IPv4 address, or an IPv6 /64 (one
/// host's share of a network).
fn key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
        }
        v4 => v4,
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
    /// Connections refused since the last summary.
    refused: u64,
}

impl Bucket {
    fn refill(&mut self, rules: &Rules, now: Instant) {
        let earned = now.saturating_duration_since(self.at).as_secs_f64() * rules.per_second;
        self.tokens = (self.tokens + earned).min(f64::from(rules.burst));
        self.at = now;
    }
}

/// What happened since the last summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Refused: the address had used up its allowance.
    pub over_allowance: u64,
    /// Refused: dropped at random under load.
    pub dropped: u64,
    /// Refused: every place was held by people who had logged in.
    pub full: u64,
    /// Unauthenticated connections closed to make room for newer ones.
    pub closed_for_room: u64,
    /// Unauthenticated connections closed because they did not log in in time.
    pub timed_out: u64,
}

/// The admission state of a server.
#[derive(Debug)]
pub struct Admission {
    rules: Rules,
    buckets: HashMap<IpAddr, Bucket>,
    counts: Counts,
    since: Instant,
}

impl Admission {
    /// Nothing remembered yet; the first summary covers from `now`.
    pub fn new(rules: Rules, now: Instant) -> Self {
        Admission {
            rules,
            buckets: HashMap::new(),
            counts: Counts::default(),
            since: now,
        }
    }

    /// Apply `rules` from now on (what was remembered is kept).
    pub fn set_rules(&mut self, rules: Rules) {
        self.rules = rules;
    }

    /// Decide on a new connection from `ip` at `now`, with `unauthenticated` connections held;
    /// `roll` is a random number in [0, 1). Every attempt takes one from the address's
    /// allowance (none left: refused). Past `start`, a connection is dropped with the chance
    /// of `MaxStartups` scaled by how much of the second half of its address's allowance is
    /// spent: an address that has not been opening connections without logging in (a person
    /// arriving, a room of people) is never dropped at random; one that keeps opening them
    /// almost always is.
    ///
    /// `Ok(true)` when the address is in good standing (at most half its allowance spent
    /// before this connection): the connection may close the oldest connection still logging
    /// in to make room (see [`super::slots`]); `Ok(false)` when it may only take a free place.
    pub fn decide(
        &mut self,
        ip: IpAddr,
        unauthenticated: usize,
        now: Instant,
        roll: f64,
    ) -> Result<bool, Refusal> {
        let rules = self.rules;
        let burst = f64::from(rules.burst.max(1));
        if !self.buckets.contains_key(&key(ip)) && self.buckets.len() >= MAX_ADDRESSES {
            self.forget(now);
        }
        let b = self.buckets.entry(key(ip)).or_insert(Bucket {
            tokens: burst,
            at: now,
            refused: 0,
        });
        b.refill(&rules, now);
        if b.tokens < 1.0 {
            b.refused += 1;
            self.count(Refusal::Address);
            return Err(Refusal::Address);
        }
        let spent = 1.0 - b.tokens / burst;
        let weight = (2.0 * spent - 1.0).clamp(0.0, 1.0);
        b.tokens -= 1.0;
        if roll < drop_chance(&rules, unauthenticated) * weight {
            b.refused += 1;
            self.count(Refusal::Busy);
            return Err(Refusal::Busy);
        }
        Ok(weight == 0.0)
    }

    /// A connection from `ip` has logged in: its token goes back to the address's allowance.
    pub fn logged_in(&mut self, ip: IpAddr, now: Instant) {
        let rules = self.rules;
        if let Some(b) = self.buckets.get_mut(&key(ip)) {
            b.refill(&rules, now);
            b.tokens = (b.tokens + 1.0).min(f64::from(rules.burst));
        }
    }

    /// Count a refusal made elsewhere ([`Refusal::Full`], from the caps of the slots).
    pub fn count(&mut self, r: Refusal) {
        match r {
            Refusal::Address => self.counts.over_allowance += 1,
            Refusal::Busy => self.counts.dropped += 1,
            Refusal::Full => self.counts.full += 1,
        }
    }

    /// Count `n` unauthenticated connections closed to make room.
    pub fn closed_for_room(&mut self, n: usize) {
        self.counts.closed_for_room += n as u64;
    }

    /// Count an unauthenticated connection closed for not logging in in time.
    pub fn timed_out(&mut self) {
        self.counts.timed_out += 1;
    }

    /// What happened since the last summary.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Addresses remembered.
    pub fn addresses(&self) -> usize {
        self.buckets.len()
    }

    /// One line for the log about what was refused or closed since the last summary, with the
    /// addresses refused most, and start counting afresh; `None` when nothing was.
    pub fn summary(&mut self, now: Instant) -> Option<String> {
        let c = std::mem::take(&mut self.counts);
        let took = now.saturating_duration_since(self.since);
        self.since = now;
        let refused = c.over_allowance + c.dropped + c.full;
        if refused + c.closed_for_room + c.timed_out == 0 {
            return None;
        }
        let mut top: Vec<(u64, IpAddr)> = self
            .buckets
            .iter_mut()
            .filter(|(_, b)| b.refused > 0)
            .map(|(ip, b)| (std::mem::take(&mut b.refused), *ip))
            .collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        let most: Vec<String> = top
            .iter()
            .take(3)
            .map(|(n, ip)| format!("{ip} ({n})"))
            .collect();
        let from = if most.is_empty() {
            String::new()
        } else {
            format!(
                "; refused most from {} (of {} addresses)",
                most.join(", "),
                top.len()
            )
        };
        Some(format!(
            "in the last {} s: refused {refused} new connection(s) ({} over their address's allowance, {} dropped at random under load, {} with every place taken), closed {} unauthenticated connection(s) to make room and {} that did not log in in time{from}",
            took.as_secs(),
            c.over_allowance,
            c.dropped,
            c.full,
            c.closed_for_room,
            c.timed_out,
        ))
    }

    /// Make room in the table: forget the addresses whose allowance is whole again, and all of
    /// them if that frees less than a quarter.
    fn forget(&mut self, now: Instant) {
        let rules = self.rules;
        let burst = f64::from(rules.burst);
        self.buckets.retain(|_, b| {
            b.refill(&rules, now);
            b.tokens < burst
        });
        if self.buckets.len() > MAX_ADDRESSES * 3 / 4 {
            self.buckets.clear();
        }
    }
}

/// `MaxStartups`: no drop below `start`, `rate` % at `start`, growing linearly to 100 % at
/// `full`; as a fraction.
pub fn drop_chance(rules: &Rules, unauthenticated: usize) -> f64 {
    if unauthenticated < rules.start {
        return 0.0;
    }
    if unauthenticated >= rules.full || rules.full <= rules.start {
        return 1.0;
    }
    let rate = f64::from(rules.rate.min(100)) / 100.0;
    let share = (unauthenticated - rules.start) as f64 / (rules.full - rules.start) as f64;
    rate + (1.0 - rate) * share
}

/// How often the log gets a summary.
pub const SUMMARY_EVERY: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(d: u8) -> IpAddr {
        IpAddr::from([127, 1, 0, d])
    }

    fn rules() -> Rules {
        Rules {
            burst: 4,
            per_second: 1.0,
            start: 2,
            rate: 50,
            full: 6,
        }
    }

    #[test]
    fn an_address_has_an_allowance_and_a_login_gives_its_token_back() {
        let t = Instant::now();
        let mut a = Admission::new(rules(), t);
        assert!((0..4).all(|_| a.decide(ip(1), 0, t, 0.5).is_ok()));
        assert_eq!(a.decide(ip(1), 0, t, 0.5), Err(Refusal::Address));
        assert!(a.decide(ip(2), 0, t, 0.5).is_ok(), "each address its own");
        assert_eq!(a.decide(ip(2), 0, t, 0.5), Ok(true));
        assert_eq!(
            a.decide(ip(2), 0, t, 0.5),
            Ok(true),
            "half spent: good standing"
        );
        assert_eq!(
            a.decide(ip(2), 0, t, 0.5),
            Ok(false),
            "more than half: may not make room"
        );
        // Forty people behind one address, each logging in before the next arrives.
        for _ in 0..40 {
            a.logged_in(ip(1), t);
            assert!(a.decide(ip(1), 0, t, 0.5).is_ok());
        }
        // The allowance grows back with time.
        let later = t + Duration::from_secs(2);
        assert!(a.decide(ip(1), 0, later, 0.5).is_ok());
        assert!(a.decide(ip(1), 0, later, 0.5).is_ok());
        assert_eq!(a.decide(ip(1), 0, later, 0.5), Err(Refusal::Address));
        assert_eq!(a.counts().over_allowance, 2);
    }

    #[test]
    fn random_early_drop_spares_addresses_that_have_not_been_connecting() {
        let r = rules();
        assert_eq!(drop_chance(&r, 1), 0.0);
        assert_eq!(drop_chance(&r, 2), 0.5);
        assert_eq!(drop_chance(&r, 4), 0.75);
        assert_eq!(drop_chance(&r, 6), 1.0);
        let t = Instant::now();
        let mut a = Admission::new(r, t);
        // Full load, but an address that has spent at most half its allowance (2 of 4) when
        // it connects: admitted whatever the roll.
        assert!((0..3).all(|_| a.decide(ip(1), 6, t, 0.0).is_ok()));
        // Three quarters spent: dropped with a chance of 1 × (2 × 3/4 − 1) = 1/2.
        assert_eq!(a.decide(ip(1), 6, t, 0.4), Err(Refusal::Busy));
        // A drop takes from the allowance too: none left.
        assert_eq!(a.decide(ip(1), 6, t, 0.9), Err(Refusal::Address));
        // Half the load: a chance of 0.75 × 1/2.
        let mut b = Admission::new(r, t);
        assert!((0..3).all(|_| b.decide(ip(2), 4, t, 0.0).is_ok()));
        assert!(b.decide(ip(2), 4, t, 0.4).is_ok());
        // Below `start` nothing is dropped at random.
        let mut c = Admission::new(r, t);
        assert!((0..4).all(|_| c.decide(ip(3), 1, t, 0.0).is_ok()));
        assert_eq!(
            a.counts().dropped + b.counts().dropped + c.counts().dropped,
            1
        );
    }

    #[test]
    fn the_summary_comes_once_and_names_the_addresses_refused_most() {
        let t = Instant::now();
        let mut a = Admission::new(rules(), t);
        for d in 1..=5 {
            for _ in 0..(4 + usize::from(d)) {
                let _ = a.decide(ip(d), 0, t, 0.5);
            }
        }
        a.closed_for_room(3);
        a.timed_out();
        let s = a.summary(t + Duration::from_secs(60)).expect("a summary");
        assert!(
            s.starts_with("in the last 60 s: refused 15 new connection(s) (15 over"),
            "{s}"
        );
        assert!(
            s.contains("closed 3 unauthenticated") && s.contains("and 1 that did not"),
            "{s}"
        );
        assert!(
            s.contains(
                "refused most from 127.1.0.5 (5), 127.1.0.4 (4), 127.1.0.3 (3) (of 5 addresses)"
            ),
            "{s}"
        );
        assert_eq!(a.summary(t + Duration::from_secs(120)), None, "nothing new");
    }

    #[test]
    fn the_table_of_addresses_is_bounded() {
        let t = Instant::now();
        let mut a = Admission::new(rules(), t);
        for i in 0..(MAX_ADDRESSES as u32 + 10) {
            let ip = IpAddr::from((0x7f00_0000u32 + i).to_be_bytes());
            let _ = a.decide(ip, 0, t, 0.5);
        }
        assert!(a.addresses() <= MAX_ADDRESSES, "{}", a.addresses());
        // IPv6: one allowance per /64.
        let v6 = |last: u16| IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, last]);
        let mut b = Admission::new(rules(), t);
        assert!((0..4).all(|i| b.decide(v6(i), 0, t, 0.5).is_ok()));
        assert_eq!(b.decide(v6(99), 0, t, 0.5), Err(Refusal::Address));
    }

    #[test]
    fn the_refusal_is_a_line_then_a_disconnect_packet() {
        let b = refusal_bytes(Refusal::Address);
        let text = String::from_utf8_lossy(&b);
        assert!(text.starts_with("microcred: too many new connections from your address"));
        let id = b"SSH-2.0-microcred\r\n";
        let at = b.windows(id.len()).position(|w| w == id).expect("id") + id.len();
        let pkt = &b[at..];
        let len = u32::from_be_bytes([pkt[0], pkt[1], pkt[2], pkt[3]]) as usize;
        assert_eq!(pkt.len(), 4 + len);
        assert_eq!(pkt.len() % 8, 0);
        assert!((4..12).contains(&usize::from(pkt[4])), "padding");
        assert_eq!(pkt[5], 1, "SSH_MSG_DISCONNECT");
        assert_eq!(&pkt[6..10], &12u32.to_be_bytes());
    }
}
