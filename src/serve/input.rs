//! Terminal input bytes from an SSH channel to crossterm events, with `terminput`'s parser
//! (crossterm's own, made public). Partial sequences are kept across reads.

use crossterm::event as ct;
use terminput as ti;

/// Largest pending sequence kept; past it the input is dropped. Also the most of a bracketed
/// paste kept: more than any text field holds (the rest is counted, for the message).
pub const MAX_PENDING: usize = 256 * 1024;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Decodes a byte stream into events, one session each.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Inside a bracketed paste.
    paste: Option<Paste>,
}

/// A bracketed paste being read: its first [`MAX_PENDING`] bytes (cut at a character's end),
/// and how many characters came after them. Each byte is looked at once (the general parser
/// read the whole paste again at each byte: quadratic).
#[derive(Debug, Default)]
struct Paste {
    text: Vec<u8>,
    /// All the bytes read since the start marker, the end marker's too.
    seen: usize,
    /// No byte is kept any more.
    full: bool,
    /// Characters (UTF-8 lead bytes) not kept.
    left_out: usize,
    /// The last bytes read, to find the end marker.
    tail: [u8; 6],
}

impl Paste {
    /// Take one byte; the paste's text and the characters left out once it is complete.
    fn take(&mut self, b: u8) -> Option<(String, usize)> {
        self.seen += 1;
        self.tail.rotate_left(1);
        self.tail[5] = b;
        let continuation = b & 0xC0 == 0x80;
        if !self.full && (self.text.len() < MAX_PENDING || continuation) {
            self.text.push(b);
        } else {
            self.full = true;
            if !continuation {
                self.left_out += 1;
            }
        }
        if self.seen < PASTE_END.len() || self.tail != PASTE_END {
            return None;
        }
        // The end marker is not text: drop the part of it kept, and do not count the rest.
        let content = self.seen - PASTE_END.len();
        let kept_of_marker = self.text.len().saturating_sub(content);
        self.text.truncate(content.min(self.text.len()));
        let left_out = self.left_out - (PASTE_END.len() - kept_of_marker);
        Some((String::from_utf8_lossy(&self.text).into_owned(), left_out))
    }
}

impl Decoder {
    /// A decoder with nothing pending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the bytes of one read; returns the events completed by them. A lone ESC at the end
    /// of a read is the Esc key (as crossterm decides); other partial sequences wait for more.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<ct::Event> {
        self.feed_counted(bytes)
            .into_iter()
            .map(|(e, _)| e)
            .collect()
    }

    /// [`Decoder::feed`], with each event the characters left out of it: a bracketed paste
    /// longer than [`MAX_PENDING`] bytes comes as its first part, and the number of characters
    /// that followed (0 for every other event).
    pub fn feed_counted(&mut self, bytes: &[u8]) -> Vec<(ct::Event, usize)> {
        let mut out = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            if let Some(p) = &mut self.paste {
                if let Some((text, left_out)) = p.take(b) {
                    self.paste = None;
                    out.push((ct::Event::Paste(text), left_out));
                }
                continue;
            }
            self.buf.push(b);
            if self.buf == PASTE_START {
                self.buf.clear();
                self.paste = Some(Paste::default());
                continue;
            }
            let more = i + 1 < bytes.len();
            if self.buf == [0x1b] && more {
                continue;
            }
            match ti::Event::parse_from(&self.buf) {
                Ok(Some(ev)) => {
                    self.buf.clear();
                    if let Some(ev) = to_crossterm(ev) {
                        out.push((ev, 0));
                    }
                }
                Ok(None) if self.buf.len() > MAX_PENDING => self.buf.clear(),
                Ok(None) => {}
                Err(_) => self.buf.clear(),
            }
        }
        out
    }

    /// Bytes waiting for the rest of a sequence (a paste being read counts what it keeps).
    pub fn pending(&self) -> usize {
        self.buf.len() + self.paste.as_ref().map_or(0, |p| p.text.len())
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
        assert!(d.feed(&long).is_empty(), "an overlong paste is not typed");
        assert!(d.pending() <= MAX_PENDING);
        let ev = d.feed_counted(b"yy\x1b[201~");
        assert!(
            matches!(ev.as_slice(), [(Event::Paste(t), 12)] if t.len() == MAX_PENDING),
            "its first part, and the 12 characters left out: {:?}",
            ev.iter().map(|(_, n)| n).collect::<Vec<_>>()
        );
        assert_eq!(d.feed(b"q"), [key(KeyCode::Char('q'), KeyModifiers::NONE)]);
    }

    /// A paste is cut at a character's end, and the end marker split across reads is found.
    #[test]
    fn an_overlong_paste_is_cut_between_characters() {
        let mut d = Decoder::new();
        let mut long = b"\x1b[200~".to_vec();
        long.extend(b"a");
        long.extend("é".repeat(MAX_PENDING / 2).as_bytes());
        long.extend("ü".repeat(5).as_bytes());
        long.extend(b"\x1b[20");
        assert!(d.feed(&long).is_empty());
        let ev = d.feed_counted(b"1~z");
        let [(Event::Paste(t), n), (z, 0)] = ev.as_slice() else {
            panic!("a paste and a key: {ev:?}");
        };
        assert_eq!(*z, key(KeyCode::Char('z'), KeyModifiers::NONE));
        assert!(t.starts_with("aé") && t.ends_with('é'), "whole characters");
        assert_eq!(t.chars().count() + n, 1 + MAX_PENDING / 2 + 5);
        // A short one, whole, with its marker split in the middle.
        assert!(d.feed(b"\x1b[200~hi \x1b").is_empty());
        assert_eq!(d.feed_counted(b"[201~"), [(Event::Paste("hi ".into()), 0)]);
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
