//! Keyspace notifications: the event classes commands report their writes
//! under, and the `notify-keyspace-events` flag string that selects them.
//! Events are published as pub/sub messages on `__keyspace@<db>__:<key>`
//! (flag K) and `__keyevent@<db>__:<event>` (flag E).

/// Event classes, one bit per `notify-keyspace-events` letter.
pub mod class {
    pub const KEYSPACE: u32 = 1 << 0; // K
    pub const KEYEVENT: u32 = 1 << 1; // E
    pub const GENERIC: u32 = 1 << 2; // g
    pub const STRING: u32 = 1 << 3; // $
    pub const LIST: u32 = 1 << 4; // l
    pub const SET: u32 = 1 << 5; // s
    pub const HASH: u32 = 1 << 6; // h
    pub const ZSET: u32 = 1 << 7; // z
    pub const EXPIRED: u32 = 1 << 8; // x
    pub const EVICTED: u32 = 1 << 9; // e
    pub const STREAM: u32 = 1 << 10; // t
    pub const KEY_MISS: u32 = 1 << 11; // m (not part of A)
    pub const MODULE: u32 = 1 << 12; // d
    pub const NEW: u32 = 1 << 13; // n (not part of A)
    /// `A`: every class except m and n.
    pub const ALL: u32 = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;
}

/// Parses a `notify-keyspace-events` value (already validated by CONFIG)
/// into class bits.
pub fn parse_flags(s: &str) -> u32 {
    let mut f = 0;
    for c in s.chars() {
        f |= match c {
            'A' => class::ALL,
            'g' => class::GENERIC,
            '$' => class::STRING,
            'l' => class::LIST,
            's' => class::SET,
            'h' => class::HASH,
            'z' => class::ZSET,
            'x' => class::EXPIRED,
            'e' => class::EVICTED,
            't' => class::STREAM,
            'm' => class::KEY_MISS,
            'd' => class::MODULE,
            'n' => class::NEW,
            'K' => class::KEYSPACE,
            'E' => class::KEYEVENT,
            _ => 0,
        };
    }
    f
}

/// True when events of `class` are published at all under `flags`: the class
/// is selected and at least one of K and E is on.
#[inline]
pub fn wanted(flags: u32, class: u32) -> bool {
    flags & class != 0 && flags & (class::KEYSPACE | class::KEYEVENT) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_classes() {
        assert_eq!(parse_flags(""), 0);
        let f = parse_flags("KEA");
        assert!(wanted(f, class::EXPIRED));
        assert!(!wanted(f, class::KEY_MISS));
        assert!(!wanted(parse_flags("A"), class::GENERIC), "no K or E: nothing is published");
        assert!(wanted(parse_flags("Kl"), class::LIST));
    }
}
