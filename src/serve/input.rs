//! Terminal input bytes from an SSH channel to crossterm events, with `terminput`'s parser
//! (crossterm's own, made public). Partial sequences are kept across reads.

use crossterm::event as ct;
use terminput as ti;

/// Largest pending sequence kept (a bracketed paste can be long); past it the input is dropped.
pub const MAX_PENDING: usize = 256 * 1024;

/// Decodes a byte stream into events, one session each.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Inside an overlong paste: bytes are dropped until its end marker.
    discarding: bool,
}

impl Decoder {
    /// A decoder with nothing pending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the bytes of one read; returns the events completed by them. A lone ESC at the end
    /// of a read is the Esc key (as crossterm decides); other partial sequences wait for more.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<ct::Event> {
        let mut out = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            if self.discarding {
                self.buf.push(b);
                if self.buf.ends_with(b"\x1b[201~") {
                    self.discarding = false;
                    self.buf.clear();
                } else if self.buf.len() > 16 {
                    self.buf.drain(..self.buf.len() - 6);
                }
                continue;
            }
            self.buf.push(b);
            let more = i + 1 < bytes.len();
            if self.buf == [0x1b] && more {
                continue;
            }
            match ti::Event::parse_from(&self.buf) {
                Ok(Some(ev)) => {
                    self.buf.clear();
                    if let Some(ev) = to_crossterm(ev) {
                        out.push(ev);
                    }
                }
                Ok(None) if self.buf.len() > MAX_PENDING => {
                    self.discarding = self.buf.starts_with(b"\x1b[200~");
                    self.buf.clear();
                }
                Ok(None) => {}
                Err(_) => self.buf.clear(),
            }
        }
        out
    }

    /// Bytes waiting for the rest of a sequence.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }
}

fn mods(m: ti::KeyModifiers) -> ct::KeyModifiers {
    let mut r = ct::KeyModifiers::empty();
    for (a, b) in [
        (ti::KeyModifiers::SHIFT, ct::KeyModifiers::SHIFT),
        (ti::KeyModifiers::ALT, ct::KeyModifiers::ALT),
        (ti::KeyModifiers::CTRL, ct::KeyModifiers::CONTROL),
        (ti::KeyModifiers::SUPER, ct::KeyModifiers::SUPER),
        (ti::KeyModifiers::HYPER, ct::KeyModifiers::HYPER),
        (ti::KeyModifiers::META, ct::KeyModifiers::META),
    ] {
        if m.contains(a) {
            r |= b;
        }
    }
    r
}

fn button(b: ti::MouseButton) -> ct::MouseButton {
    match b {
        ti::MouseButton::Right => ct::MouseButton::Right,
        ti::MouseButton::Middle => ct::MouseButton::Middle,
        ti::MouseButton::Left | ti::MouseButton::Unknown => ct::MouseButton::Left,
    }
}

/// The crossterm event for a terminput event; `None` for what the app has no use for.
pub fn to_crossterm(ev: ti::Event) -> Option<ct::Event> {
    Some(match ev {
        ti::Event::FocusGained => ct::Event::FocusGained,
        ti::Event::FocusLost => ct::Event::FocusLost,
        ti::Event::Paste(s) => ct::Event::Paste(s),
        ti::Event::Resize { .. } => return None,
        ti::Event::Mouse(m) => {
            use ti::MouseEventKind as K;
            let kind = match m.kind {
                K::Down(b) => ct::MouseEventKind::Down(button(b)),
                K::Up(b) => ct::MouseEventKind::Up(button(b)),
                K::Drag(b) => ct::MouseEventKind::Drag(button(b)),
                K::Moved => ct::MouseEventKind::Moved,
                K::Scroll(ti::ScrollDirection::Up) => ct::MouseEventKind::ScrollUp,
                K::Scroll(ti::ScrollDirection::Down) => ct::MouseEventKind::ScrollDown,
                K::Scroll(ti::ScrollDirection::Left) => ct::MouseEventKind::ScrollLeft,
                K::Scroll(ti::ScrollDirection::Right) => ct::MouseEventKind::ScrollRight,
            };
            ct::Event::Mouse(ct::MouseEvent {
                kind,
                column: m.column,
                row: m.row,
                modifiers: mods(m.modifiers),
            })
        }
        ti::Event::Key(k) => {
            use ti::KeyCode as C;
            let mut modifiers = mods(k.modifiers);
            let code = match k.code {
                C::Backspace => ct::KeyCode::Backspace,
                C::Enter => ct::KeyCode::Enter,
                C::Left => ct::KeyCode::Left,
                C::Right => ct::KeyCode::Right,
                C::Up => ct::KeyCode::Up,
                C::Down => ct::KeyCode::Down,
                C::Home => ct::KeyCode::Home,
                C::End => ct::KeyCode::End,
                C::PageUp => ct::KeyCode::PageUp,
                C::PageDown => ct::KeyCode::PageDown,
                C::Tab if modifiers.contains(ct::KeyModifiers::SHIFT) => ct::KeyCode::BackTab,
                C::Tab => ct::KeyCode::Tab,
                C::Delete => ct::KeyCode::Delete,
                C::Insert => ct::KeyCode::Insert,
                C::F(n) => ct::KeyCode::F(n),
                C::Char(c) => ct::KeyCode::Char(c),
                C::Esc => ct::KeyCode::Esc,
                C::CapsLock => ct::KeyCode::CapsLock,
                C::ScrollLock => ct::KeyCode::ScrollLock,
                C::NumLock => ct::KeyCode::NumLock,
                C::PrintScreen => ct::KeyCode::PrintScreen,
                C::Pause => ct::KeyCode::Pause,
                C::Menu => ct::KeyCode::Menu,
                C::KeypadBegin => ct::KeyCode::KeypadBegin,
                C::Media(_) | C::Modifier(..) => return None,
            };
            if code == ct::KeyCode::BackTab {
                modifiers |= ct::KeyModifiers::SHIFT;
            }
            let kind = match k.kind {
                ti::KeyEventKind::Press => ct::KeyEventKind::Press,
                ti::KeyEventKind::Repeat => ct::KeyEventKind::Repeat,
                ti::KeyEventKind::Release => ct::KeyEventKind::Release,
            };
            ct::Event::Key(ct::KeyEvent::new_with_kind(code, modifiers, kind))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ct::{Event, KeyCode, KeyEvent, KeyModifiers};

    fn key(c: KeyCode, m: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(c, m))
    }

    #[test]
    fn keys_utf8_and_sequences_split_across_reads() {
        let mut d = Decoder::new();
        assert_eq!(
            d.feed(b"a\r"),
            [
                key(KeyCode::Char('a'), KeyModifiers::NONE),
                key(KeyCode::Enter, KeyModifiers::NONE)
            ]
        );
        assert!(d.feed(b"\x1b[").is_empty());
        assert_eq!(d.feed(b"A"), [key(KeyCode::Up, KeyModifiers::NONE)]);
        let e = "é".as_bytes();
        assert!(d.feed(&e[..1]).is_empty());
        assert_eq!(
            d.feed(&e[1..]),
            [key(KeyCode::Char('é'), KeyModifiers::NONE)]
        );
        assert_eq!(
            d.feed(b"\x03"),
            [key(KeyCode::Char('c'), KeyModifiers::CONTROL)]
        );
        assert_eq!(
            d.feed(b"\x1b[1;5C"),
            [key(KeyCode::Right, KeyModifiers::CONTROL)]
        );
        assert_eq!(
            d.feed(b"\x1b[Z"),
            [key(KeyCode::BackTab, KeyModifiers::SHIFT)]
        );
        assert_eq!(
            d.feed(b"\x1bx"),
            [key(KeyCode::Char('x'), KeyModifiers::ALT)]
        );
        assert_eq!(d.feed(b"\x1b"), [key(KeyCode::Esc, KeyModifiers::NONE)]);
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn paste_and_mouse() {
        let mut d = Decoder::new();
        assert!(d.feed(b"\x1b[200~hello ").is_empty());
        assert_eq!(
            d.feed(b"world\x1b[201~"),
            [Event::Paste("hello world".into())]
        );
        let ev = d.feed(b"\x1b[<0;3;4M");
        assert!(
            matches!(
                ev.as_slice(),
                [Event::Mouse(ct::MouseEvent {
                    kind: ct::MouseEventKind::Down(ct::MouseButton::Left),
                    column: 2,
                    row: 3,
                    ..
                })]
            ),
            "{ev:?}"
        );
    }

    #[test]
    fn garbage_is_dropped_and_decoding_goes_on() {
        let mut d = Decoder::new();
        let _ = d.feed(&[0xff, 0xfe, 0x80]);
        assert_eq!(d.feed(b"q"), [key(KeyCode::Char('q'), KeyModifiers::NONE)]);
        let big = vec![b'x'; MAX_PENDING + 10];
        let mut long = b"\x1b[200~".to_vec();
        long.extend(big);
        assert!(
            d.feed(&long).is_empty(),
            "an overlong paste is dropped, not typed"
        );
        assert!(d.pending() < MAX_PENDING);
        assert!(d.feed(b"yy\x1b[201~").is_empty());
        assert_eq!(d.feed(b"q"), [key(KeyCode::Char('q'), KeyModifiers::NONE)]);
    }
}
#[cfg(test)]
mod line_breaks {
    use super::ct::{Event, KeyCode, KeyEvent, KeyModifiers};

    /// The keys that break a line in a multi-line form field (C-j, Alt-Enter) reach a served
    /// session as such, not as a plain Enter (which saves the form).
    #[test]
    fn ctrl_j_and_alt_enter_are_not_enter() {
        let mut d = super::Decoder::new();
        assert_eq!(
            d.feed(b"\n"),
            [Event::Key(KeyEvent::new(
                KeyCode::Char('j'),
                KeyModifiers::CONTROL
            ))]
        );
        assert_eq!(
            d.feed(b"\x1b\r"),
            [Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT))]
        );
    }
}
