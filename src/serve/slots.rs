//! The connections a server holds: from which address, authenticated or not, each with a way
//! to close its socket from outside the task that owns it. Admitting a connection past a cap
//! closes the oldest unauthenticated connection in the way rather than refusing the new one,
//! so that connections which only hold a place (a flood that sends a banner, or nothing) never
//! keep a person out; see `docs/serve.md`.

use std::net::{IpAddr, Shutdown, TcpStream};

use super::Limits;

/// One counted connection.
struct Entry {
    id: u64,
    ip: IpAddr,
    authed: bool,
    /// A second handle on the connection's socket (russh owns the first, in a task of its
    /// own); shutting it down ends the connection at once.
    sock: TcpStream,
}

impl Entry {
    fn close(&self) {
        let _ = self.sock.shutdown(Shutdown::Both);
    }
}

/// Why a connection that may not make room was not admitted.
pub const NO_ROOM: &str = "no room without closing a connection that is logging in";

/// Every connection being served, oldest first.
#[derive(Default)]
pub struct Slots {
    next: u64,
    open: Vec<Entry>,
}

/// How a connection was admitted.
#[derive(Debug, PartialEq, Eq)]
pub struct Admitted {
    /// Its id, for [`Slots::promote`], [`Slots::close_unauthenticated`] and [`Slots::release`].
    pub id: u64,
    /// How many unauthenticated connections were closed to make room for it.
    pub closed: usize,
}

impl Slots {
    /// (unauthenticated, authenticated) connections.
    pub fn counts(&self) -> (usize, usize) {
        let authed = self.open.iter().filter(|e| e.authed).count();
        (self.open.len() - authed, authed)
    }

    /// Admit a connection from `ip` whose socket `sock` is (a second handle on), within
    /// `limits`: unauthenticated per address, in total, and unauthenticated in total. Past a
    /// cap the oldest unauthenticated connection within it is closed if `make_room` (else
    /// `Err(`[`NO_ROOM`]`)`: an address that keeps connecting without logging in may not push
    /// others out); `Err` names the cap when every connection within it has authenticated.
    pub fn admit(
        &mut self,
        ip: IpAddr,
        sock: TcpStream,
        limits: &Limits,
        make_room: bool,
    ) -> Result<Admitted, &'static str> {
        if !make_room && self.at_a_cap(ip, limits) {
            return Err(NO_ROOM);
        }
        let mut closed = 0;
        // Only connections still logging in count against an address: people who have logged
        // in do not (a room behind one address all get in).
        while self.open.iter().filter(|e| e.ip == ip && !e.authed).count() >= limits.max_per_address
        {
            self.close_oldest(|e| e.ip == ip)
                .ok_or("too many connections from this address")?;
            closed += 1;
        }
        while self.open.len() >= limits.max_connections {
            self.close_oldest(|_| true).ok_or("too many connections")?;
            closed += 1;
        }
        while self.counts().0 >= limits.max_unauthenticated {
            self.close_oldest(|_| true)
                .ok_or("no room for unauthenticated connections")?;
            closed += 1;
        }
        self.next += 1;
        self.open.push(Entry {
            id: self.next,
            ip,
            authed: false,
            sock,
        });
        Ok(Admitted {
            id: self.next,
            closed,
        })
    }

    /// Would a new connection from `ip` pass a cap?
    fn at_a_cap(&self, ip: IpAddr, limits: &Limits) -> bool {
        let (unauthenticated, _) = self.counts();
        let from_ip = self.open.iter().filter(|e| e.ip == ip && !e.authed).count();
        from_ip >= limits.max_per_address
            || self.open.len() >= limits.max_connections
            || unauthenticated >= limits.max_unauthenticated
    }

    /// Close the oldest unauthenticated connection for which `within` holds.
    fn close_oldest(&mut self, within: impl Fn(&Entry) -> bool) -> Option<()> {
        let i = self.open.iter().position(|e| !e.authed && within(e))?;
        self.open.remove(i).close();
        Some(())
    }

    /// The address connection `id` came from.
    pub fn ip(&self, id: u64) -> Option<IpAddr> {
        self.open.iter().find(|e| e.id == id).map(|e| e.ip)
    }

    /// Count connection `id` as authenticated from now on; false when it was closed already.
    pub fn promote(&mut self, id: u64) -> bool {
        match self.open.iter_mut().find(|e| e.id == id) {
            Some(e) => {
                e.authed = true;
                true
            }
            None => false,
        }
    }

    /// Close connection `id` if it has not authenticated; true when it was closed here.
    pub fn close_unauthenticated(&mut self, id: u64) -> bool {
        match self.open.iter().position(|e| e.id == id && !e.authed) {
            Some(i) => {
                self.open.remove(i).close();
                true
            }
            None => false,
        }
    }

    /// Stop counting connection `id` (it has ended).
    pub fn release(&mut self, id: u64) {
        self.open.retain(|e| e.id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// A connected pair on loopback: (the server's side, the client's side).
    fn pair(l: &TcpListener) -> (TcpStream, TcpStream) {
        let c = TcpStream::connect(l.local_addr().expect("addr")).expect("connect");
        let (s, _) = l.accept().expect("accept");
        (s, c)
    }

    fn limits() -> Limits {
        Limits {
            max_connections: 6,
            max_per_address: 3,
            max_unauthenticated: 4,
            ..Limits::default()
        }
    }

    fn ip(d: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, d])
    }

    #[test]
    fn caps_close_the_oldest_unauthenticated_connection_first() {
        let l = TcpListener::bind("127.0.0.1:0").expect("listen");
        let mut slots = Slots::default();
        let mut clients = Vec::new();
        let mut ids = Vec::new();
        for _ in 0..3 {
            let (s, c) = pair(&l);
            ids.push(slots.admit(ip(1), s, &limits(), true).expect("admitted").id);
            clients.push(c);
        }
        assert!(slots.promote(ids[1]));
        // A fourth from the same address: the one logged in does not count against it.
        let (s, c) = pair(&l);
        let a = slots.admit(ip(1), s, &limits(), true).expect("admitted");
        assert_eq!(a.closed, 0);
        clients.push(c);
        // A fifth closes the oldest unauthenticated one (the first).
        let (s, c) = pair(&l);
        let a = slots.admit(ip(1), s, &limits(), true).expect("admitted");
        assert_eq!(a.closed, 1);
        clients.push(c);
        let mut buf = [0u8; 1];
        assert_eq!(clients[0].read(&mut buf).expect("eof"), 0, "closed: EOF");
        assert_eq!(slots.counts(), (3, 1));
        // Unauthenticated in total: 4 at most, whatever the addresses.
        for d in 2..5 {
            let (s, c) = pair(&l);
            slots.admit(ip(d), s, &limits(), true).expect("admitted");
            clients.push(c);
        }
        assert_eq!(slots.counts(), (4, 1));
        // A connection that may not make room is refused at a cap, and closes nothing.
        let (s, _c) = pair(&l);
        assert_eq!(slots.admit(ip(9), s, &limits(), false), Err(NO_ROOM));
        assert_eq!(slots.counts(), (4, 1));
        assert!(!slots.close_unauthenticated(ids[1]), "authenticated: kept");
        slots.release(ids[1]);
        assert_eq!(slots.counts(), (4, 0));
    }

    #[test]
    fn authenticated_connections_are_never_closed_to_make_room() {
        let l = TcpListener::bind("127.0.0.1:0").expect("listen");
        let mut slots = Slots::default();
        let mut clients = Vec::new();
        for _ in 0..3 {
            let (s, c) = pair(&l);
            let id = slots.admit(ip(1), s, &limits(), true).expect("admitted").id;
            assert!(slots.promote(id));
            clients.push(c);
        }
        // People who have logged in do not count against their address: three more get in
        // from it, up to the cap in total (6), which people are never closed to make room for.
        for _ in 0..3 {
            let (s, c) = pair(&l);
            let id = slots.admit(ip(1), s, &limits(), true).expect("admitted").id;
            assert!(slots.promote(id));
            clients.push(c);
        }
        assert_eq!(slots.counts(), (0, 6));
        let (s, _c) = pair(&l);
        assert_eq!(
            slots.admit(ip(1), s, &limits(), true),
            Err("too many connections"),
            "all places taken by people"
        );
        assert_eq!(slots.counts(), (0, 6));
    }
}
