//! A design's identity: the stable id (`urn:uuid:…`, minted once when the design is first
//! saved, see `document::Hub::save`) and the id of one version of it.

use sha2::{Digest, Sha256};

/// A `urn:uuid:` URN of 16 bytes, with the RFC 9562 version and variant bits set.
pub fn urn_uuid(mut bytes: [u8; 16], version: u8) -> String {
    bytes[6] = (bytes[6] & 0x0f) | (version << 4);
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A new stable id from 16 random bytes: a version 4 (random) UUID URN.
pub fn stable_id(random: [u8; 16]) -> String {
    urn_uuid(random, 4)
}

/// The id of version `version` of the design `stable`: a version 8 UUID URN made from the
/// SHA-256 of both, so the same design and version always get the same id, and another
/// version another one (Open Badges' `related` names the previous version by it).
pub fn version_id(stable: &str, version: &str) -> String {
    let digest = Sha256::new()
        .chain_update(stable.as_bytes())
        .chain_update([0u8])
        .chain_update(version.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    urn_uuid(bytes, 8)
}

/// Is `s` usable as a stable id: a URN (`urn:NID:…`) or an `https:` URI, with no spaces or
/// control characters?
pub fn is_valid_id(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let scheme_ok = match lower.strip_prefix("urn:") {
        Some(rest) => rest
            .split_once(':')
            .is_some_and(|(nid, nss)| !nid.is_empty() && !nss.is_empty()),
        None => lower.starts_with("https://") && s.len() > "https://".len(),
    };
    scheme_ok && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_their_version_and_variant() {
        let id = stable_id([0xff; 16]);
        assert_eq!(id, "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_valid_id(&id));
        let v = version_id(&id, "2027.1");
        assert_eq!(v.as_bytes()["urn:uuid:".len() + 14], b'8');
        assert_eq!(v, version_id(&id, "2027.1"), "deterministic");
        assert_ne!(v, version_id(&id, "2027.2"));
        assert_ne!(v, version_id("urn:uuid:other", "2027.1"));
    }

    #[test]
    fn valid_ids() {
        assert!(is_valid_id("urn:uuid:123"));
        assert!(is_valid_id("https://example.org/c/1"));
        assert!(!is_valid_id("urn:uuid"));
        assert!(!is_valid_id("urn::x"));
        assert!(!is_valid_id("http://x"));
        assert!(!is_valid_id("urn:x:a b"));
        assert!(!is_valid_id("C1"));
    }
}
