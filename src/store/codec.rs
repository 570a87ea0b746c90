//! The small binary codec of the caches: little-endian integers and length-prefixed UTF-8
//! strings, written to a buffer and read back from a slice or a stream, never trusting a
//! length read back.

use std::io::Read;

/// FNV-1a over 8-byte words: fast, stable across runs and platforms (not against tampering).
pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(0x0100_0000_01b3);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^ bytes.len() as u64
}

/// Appends values to a byte buffer.
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(crate) fn opt(&mut self, s: Option<&str>) {
        match s {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
        }
    }
}

/// Reads values back from a byte slice; every method returns `None` past the end.
pub(crate) struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `b`.
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Reader { b, i: 0 }
    }
    /// Everything not read yet (the reader is then at its end).
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = &self.b[self.i..];
        self.i = self.b.len();
        rest
    }
    /// True when every byte has been read.
    pub(crate) fn at_end(&self) -> bool {
        self.i == self.b.len()
    }
    pub(crate) fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.b.get(self.i..self.i.checked_add(n)?)?;
        self.i += n;
        Some(s)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub(crate) fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    pub(crate) fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok().map(str::to_string)
    }
    pub(crate) fn opt(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }
    /// A count, bounded by the bytes left so a corrupt file cannot ask for a huge allocation.
    pub(crate) fn count(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= self.b.len() - self.i).then_some(n)
    }
    /// Skip a string (its UTF-8 is checked only when decoded).
    pub(crate) fn skip_string(&mut self) -> Option<()> {
        let n = self.u32()? as usize;
        self.take(n).map(drop)
    }
    /// A string, or an empty one skipped over when `keep` is false.
    pub(crate) fn string_if(&mut self, keep: bool) -> Option<String> {
        if keep {
            self.string()
        } else {
            self.skip_string().map(|()| String::new())
        }
    }
    pub(crate) fn opt_if(&mut self, keep: bool) -> Option<Option<String>> {
        if keep {
            return self.opt();
        }
        match self.u8()? {
            0 => Some(None),
            1 => self.skip_string().map(|()| None),
            _ => None,
        }
    }
}

/// A little-endian `u32` from a stream.
pub(crate) fn read_u32(r: &mut impl Read) -> Option<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b).ok()?;
    Some(u32::from_le_bytes(b))
}

/// A little-endian `u64` from a stream.
pub(crate) fn read_u64(r: &mut impl Read) -> Option<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).ok()?;
    Some(u64::from_le_bytes(b))
}
