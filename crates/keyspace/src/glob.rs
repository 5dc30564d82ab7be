//! Redis-compatible glob matching (`stringmatchlen`) for KEYS, SCAN MATCH,
//! PSUBSCRIBE, ACL key/channel patterns and the like. It is not a filesystem
//! glob (no `/` or leading-dot rules, no `{a,b}`) and not a regex engine.
//!
//! # Grammar (Redis 7, byte for byte)
//!
//! * `*` matches any run of bytes; consecutive stars act as one.
//! * `?` matches exactly one byte.
//! * `[...]` matches one byte from a set: single bytes, ranges `a-z` (a
//!   reversed range `z-a` means the same), `\c` for the literal byte `c`,
//!   and a leading `^` negates the set. `]` right after `[` or `[^` closes
//!   an empty set, so `[]` never matches and `[^]` matches any byte. A `-`
//!   only forms a range when two more pattern bytes follow it, and then the
//!   second one is taken literally even if it is `]`: `[a-]` is the range
//!   `]`..`a` and the set is still open. A set left open at the end of the
//!   pattern simply ends there: `[ab` is the set `{a, b}`.
//! * `\c` outside a set is the literal byte `c`; a trailing lone `\` is a
//!   literal backslash.
//! * With `nocase`, literals and set members compare after ASCII lowercasing
//!   (bytes >= 0x80 are never folded). Escaped members *inside* a set still
//!   compare exactly, as in Redis.
//! * Range ends compare as C `char`s, which are signed on x86-64, the
//!   platform Redis is built and tested on: bytes >= 0x80 sort *below*
//!   `0x00`. So `[\x80-\xff]` is still every high byte, but `[a-\xff]`
//!   (i.e. -1..='a') holds `\0`..=`a` and `\xff`, but not `b` or `\xfe`.
//!   Under `nocase` the swapped ends and the candidate byte then go through
//!   glibc's C-locale `tolower`, which maps negative chars other than -1 back
//!   to their unsigned value; the sets reproduce that too.
//! * The empty string matches only the empty pattern (`*` does not match
//!   it): Redis's matcher never enters its loop for an empty string. Redis's
//!   KEYS and SCAN skip matching for the exact pattern `*`, which is why an
//!   empty key is still listed there; see [`glob_is_match_all`].
//! * Abuse guard: Redis gives up (no match) when a match would need more
//!   than 1000 nested `*` expansions (CVE-2024-31228), i.e. when the
//!   pattern has more than 1000 star runs that are not its final element.
//!   We reproduce that answer exactly.
//!
//! # Algorithm
//!
//! Redis recurses on every `*` and bounds the work with a nesting limit and a
//! "skip longer matches" flag. We instead compile the pattern once into
//! tokens (every non-star token matches exactly one byte; each `[...]` set
//! becomes a 256-bit table) and run the classic greedy matcher that only
//! remembers the most recent star. Because every token has width one, a
//! failed attempt after star k never needs an earlier star to absorb more
//! input, so the answer equals the recursive one while the work is
//! O(len(pattern) * len(string)) in the worst case and usually linear.

/// Redis's recursion limit: a match needing more nested star expansions than
/// this is reported as no match.
const MAX_STAR_NESTING: usize = 1000;

/// One compiled pattern element.
#[derive(Clone, Debug)]
enum Token {
    /// A run of one or more `*`.
    Star,
    /// `?`
    Any,
    /// A literal byte (already unescaped). Folded at compare time if nocase.
    Byte(u8),
    /// Index into [`Glob::sets`].
    Set(usize),
}

/// A compiled glob pattern, for matching one pattern against many strings
/// (KEYS and SCAN over a whole database, PUBLISH against every PSUBSCRIBE
/// pattern) without re-parsing it each time.
#[derive(Clone, Debug)]
pub struct Glob {
    tokens: Vec<Token>,
    /// 256-bit membership tables for the `[...]` sets, negation applied.
    sets: Vec<[u64; 4]>,
    nocase: bool,
    /// Star runs that are not the last token: the nesting a match needs.
    nested_stars: usize,
    /// Number of one-byte tokens: the minimum length of a matching string.
    min_len: usize,
    /// The pattern was empty.
    empty: bool,
    /// The pattern is one or more `*` and nothing else.
    match_all: bool,
}

impl Glob {
    /// Compiles `pattern`. Never fails: every byte string is a valid Redis
    /// glob. Cost is O(len(pattern)) plus 256 steps per `[...]` range.
    pub fn new(pattern: &[u8], nocase: bool) -> Glob {
        let mut tokens = Vec::new();
        let mut sets = Vec::new();
        let mut i = 0;
        while i < pattern.len() {
            match pattern[i] {
                b'*' => {
                    while i < pattern.len() && pattern[i] == b'*' {
                        i += 1;
                    }
                    tokens.push(Token::Star);
                    continue;
                }
                b'?' => tokens.push(Token::Any),
                b'[' => {
                    let (set, next) = compile_set(pattern, i + 1, nocase);
                    sets.push(set);
                    tokens.push(Token::Set(sets.len() - 1));
                    i = next;
                    continue;
                }
                b'\\' if i + 1 < pattern.len() => {
                    i += 1;
                    tokens.push(Token::Byte(pattern[i]));
                }
                b => tokens.push(Token::Byte(b)),
            }
            i += 1;
        }

        let stars = tokens.iter().filter(|t| matches!(t, Token::Star)).count();
        let ends_with_star = matches!(tokens.last(), Some(Token::Star));
        Glob {
            nested_stars: stars - usize::from(ends_with_star),
            min_len: tokens.len() - stars,
            empty: pattern.is_empty(),
            match_all: !pattern.is_empty() && pattern.iter().all(|&b| b == b'*'),
            tokens,
            sets,
            nocase,
        }
    }

    /// True if `string` matches, with exactly Redis's answer (see the module
    /// documentation). Worst case O(len(pattern) * len(string)), no
    /// recursion, no allocation.
    pub fn is_match(&self, string: &[u8]) -> bool {
        if string.is_empty() {
            return self.empty;
        }
        if self.match_all {
            return true;
        }
        if self.nested_stars > MAX_STAR_NESTING || self.min_len > string.len() {
            return false;
        }

        let tokens = &self.tokens;
        let (mut t, mut s) = (0usize, 0usize);
        // Where to resume after the most recent star: the token after it and
        // the string position that star's expansion currently ends at.
        let mut resume: Option<(usize, usize)> = None;
        while s < string.len() {
            match tokens.get(t) {
                Some(Token::Star) => {
                    t += 1;
                    if t == tokens.len() {
                        return true;
                    }
                    resume = Some((t, s));
                    continue;
                }
                Some(tok) if self.matches_one(tok, string[s]) => {
                    t += 1;
                    s += 1;
                    continue;
                }
                _ => {}
            }
            // Mismatch (or pattern exhausted): let the last star eat one
            // more byte and retry the tokens after it.
            match resume {
                Some((rt, rs)) => {
                    t = rt;
                    s = rs + 1;
                    resume = Some((rt, rs + 1));
                }
                None => return false,
            }
        }
        tokens[t..].iter().all(|tok| matches!(tok, Token::Star))
    }

    /// True if the pattern is one or more `*` and nothing else, so every
    /// non-empty string matches. See [`glob_is_match_all`].
    pub fn is_match_all(&self) -> bool {
        self.match_all
    }

    /// Does one-byte token `tok` accept byte `c`?
    fn matches_one(&self, tok: &Token, c: u8) -> bool {
        match *tok {
            Token::Any => true,
            Token::Byte(b) => {
                if self.nocase {
                    b.eq_ignore_ascii_case(&c)
                } else {
                    b == c
                }
            }
            Token::Set(k) => set_has(&self.sets[k], c),
            Token::Star => unreachable!("stars are handled by the matcher loop"),
        }
    }
}

/// Compiles the set whose body starts at `pattern[start]` (just past the
/// `[`). Returns the membership table and the index of the first pattern
/// byte after the set.
fn compile_set(pattern: &[u8], start: usize, nocase: bool) -> ([u64; 4], usize) {
    let mut set = [0u64; 4];
    let mut i = start;
    let negate = pattern.get(i) == Some(&b'^');
    if negate {
        i += 1;
    }
    loop {
        let rest = pattern.len().saturating_sub(i);
        if rest == 0 {
            // Unterminated: the set ends with the pattern.
            break;
        }
        let b = pattern[i];
        if b == b'\\' && rest >= 2 {
            // Escaped member: exact compare even under nocase.
            set_add(&mut set, pattern[i + 1]);
            i += 2;
        } else if b == b']' {
            i += 1;
            break;
        } else if rest >= 3 && pattern[i + 1] == b'-' {
            add_range(&mut set, b, pattern[i + 2], nocase);
            i += 3;
        } else {
            if nocase {
                set_add(&mut set, b.to_ascii_lowercase());
                set_add(&mut set, b.to_ascii_uppercase());
            } else {
                set_add(&mut set, b);
            }
            i += 1;
        }
    }
    if negate {
        for word in &mut set {
            *word = !*word;
        }
    }
    (set, i)
}

/// Adds the range `from-to` with Redis's semantics: ends swapped if
/// reversed, compared as signed C chars, and under nocase the ends and the
/// candidate byte are each ASCII-lowercased before comparing.
fn add_range(set: &mut [u64; 4], from: u8, to: u8, nocase: bool) {
    let (mut lo, mut hi) = (c_char(from), c_char(to));
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    if nocase {
        lo = c_tolower(lo);
        hi = c_tolower(hi);
    }
    for c in 0..=255u8 {
        let mut v = c_char(c);
        if nocase {
            v = c_tolower(v);
        }
        if lo <= v && v <= hi {
            set_add(set, c);
        }
    }
}

/// A byte as a signed C `char` widened to `int` (x86-64 semantics).
fn c_char(b: u8) -> i32 {
    i32::from(b as i8)
}

/// glibc's `tolower` in the "C" locale, applied to a signed `char` value:
/// `A`..=`Z` become lowercase, and negative values other than `EOF` (-1)
/// come back as their unsigned byte value (the table glibc keeps so that
/// signed chars index it safely). That quirk decides which high bytes a
/// nocase range holds, so it is reproduced rather than "fixed".
fn c_tolower(v: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&v) {
        v + 32
    } else if (-128..=-2).contains(&v) {
        v + 256
    } else {
        v
    }
}

fn set_add(set: &mut [u64; 4], b: u8) {
    set[usize::from(b >> 6)] |= 1u64 << (b & 63);
}

fn set_has(set: &[u64; 4], b: u8) -> bool {
    set[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0
}

/// Matches `string` against the Redis glob `pattern` with exactly Redis's
/// `stringmatchlen` answer (grammar in the module documentation). To match
/// one pattern against many strings, compile it once with [`Glob::new`].
pub fn glob_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    Glob::new(pattern, nocase).is_match(string)
}

/// True if `pattern` is one or more `*` and nothing else (`*`, `**`, ...),
/// so callers may skip matching entirely.
///
/// Caveat for exactness: such a pattern matches every *non-empty* string,
/// but under Redis's rules no non-empty pattern matches the empty string.
/// Redis's KEYS and SCAN skip matching only for the exact pattern `*`, so
/// an empty key is listed by `KEYS *` but not by `KEYS **`. A caller that
/// wants that corner exact should skip only when `pattern == b"*"`, or also
/// check that the string is non-empty.
pub fn glob_is_match_all(pattern: &[u8]) -> bool {
    !pattern.is_empty() && pattern.iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::{glob_is_match_all, glob_match, Glob};
    use std::time::{Duration, Instant};

    /// (pattern, string, nocase, expected)
    const TABLE: &[(&[u8], &[u8], bool, bool)] = &[
        // Plain literals.
        (b"", b"", false, true),
        (b"", b"a", false, false),
        (b"a", b"", false, false),
        (b"hello", b"hello", false, true),
        (b"hello", b"hell", false, false),
        (b"hello", b"helloo", false, false),
        (b"HELLO", b"hello", false, false),
        (b"HELLO", b"hello", true, true),
        // Stars.
        (b"*", b"", false, false),
        (b"**", b"", false, false),
        (b"*", b"anything", false, true),
        (b"a*", b"a", false, true),
        (b"a**", b"a", false, true),
        (b"a*", b"abc", false, true),
        (b"*c", b"abc", false, true),
        (b"*b*", b"abc", false, true),
        (b"*b*", b"ac", false, false),
        (b"a*b*c", b"aXbYc", false, true),
        (b"a*b*c", b"aXbY", false, false),
        (b"*a*", b"a", false, true),
        (b"h*llo", b"hllo", false, true),
        (b"h*llo", b"heeeello", false, true),
        (b"*ab", b"aab", false, true),
        (b"*ab", b"abab", false, true),
        (b"*aab", b"aaab", false, true),
        (b"a*a*a", b"aa", false, false),
        (b"a*a*a", b"aaa", false, true),
        // Question mark.
        (b"?", b"", false, false),
        (b"?", b"a", false, true),
        (b"?", b"ab", false, false),
        (b"h?llo", b"hello", false, true),
        (b"h?llo", b"hllo", false, false),
        (b"*?", b"a", false, true),
        (b"?*", b"a", false, true),
        (b"*?*?*", b"a", false, false),
        (b"*?*?*", b"ab", false, true),
        // keyspace.tcl-style KEYS cases.
        (b"foo*", b"foo_a", false, true),
        (b"foo*", b"key_x", false, false),
        (b"key*", b"key_x", false, true),
        (b"h[ae]llo", b"hello", false, true),
        (b"h[ae]llo", b"hallo", false, true),
        (b"h[ae]llo", b"hillo", false, false),
        (b"h[^e]llo", b"hallo", false, true),
        (b"h[^e]llo", b"hello", false, false),
        (b"h[a-b]llo", b"hallo", false, true),
        (b"h[a-b]llo", b"hbllo", false, true),
        (b"h[a-b]llo", b"hcllo", false, false),
        // Sets.
        (b"[abc]", b"b", false, true),
        (b"[abc]", b"d", false, false),
        (b"[abc]", b"", false, false),
        (b"[a-z]", b"m", false, true),
        (b"[z-a]", b"m", false, true),
        (b"[a-z]", b"M", false, false),
        (b"[a-z]", b"M", true, true),
        (b"[A-Z]", b"m", true, true),
        (b"[^a-z]", b"m", false, false),
        (b"[^a-z]", b"0", false, true),
        (b"[a-cx-z]", b"y", false, true),
        (b"[a-cx-z]", b"m", false, false),
        (b"[]", b"]", false, false),
        (b"[]", b"a", false, false),
        (b"[]a]", b"a", false, false),
        (b"[]a]", b"]", false, false),
        (b"[]a]", b"a]", false, false),
        (b"[^]", b"x", false, true),
        (b"[^]", b"", false, false),
        (b"[^]a", b"xa", false, true),
        (b"[]]", b"]", false, false),
        (b"[\\]]", b"]", false, true),
        (b"[\\]a]", b"a", false, true),
        (b"[\\^a]", b"^", false, true),
        (b"[^\\^]", b"^", false, false),
        (b"[a\\-z]", b"-", false, true),
        (b"[a\\-z]", b"m", false, false),
        (b"[-a]", b"-", false, true),
        (b"[a-]", b"-", false, false),
        // `[a-]` is the range ']'..='a' and the set stays open to the end.
        (b"[a-]", b"^", false, true),
        (b"[a-]", b"a", false, true),
        (b"[a-]x", b"x", false, true),
        (b"[a-]x", b"b", false, false),
        (b"[a-]x", b"a", false, true),
        (b"[a-]]", b"a", false, true),
        (b"[a-]]", b"a]", false, false),
        (b"[^-]", b"-", false, false),
        (b"[^-]", b"a", false, true),
        // Unterminated sets end with the pattern.
        (b"[", b"[", false, false),
        (b"[", b"a", false, false),
        (b"[^", b"a", false, true),
        (b"[^", b"", false, false),
        (b"[abc", b"b", false, true),
        (b"[abc", b"d", false, false),
        (b"[abc", b"bc", false, false),
        (b"a[bc", b"ac", false, true),
        (b"[ab\\", b"\\", false, true),
        (b"[ab\\", b"c", false, false),
        (b"[a-", b"-", false, true),
        (b"[a-", b"b", false, false),
        (b"*[abc", b"xxc", false, true),
        // Stars inside sets are members, not wildcards.
        (b"[*]", b"*", false, true),
        (b"[*]", b"a", false, false),
        (b"[?]", b"?", false, true),
        (b"[?]", b"a", false, false),
        // Escapes outside sets.
        (b"\\*", b"*", false, true),
        (b"\\*", b"a", false, false),
        (b"\\?", b"?", false, true),
        (b"\\?", b"a", false, false),
        (b"\\[a]", b"[a]", false, true),
        (b"\\[a]", b"a", false, false),
        (b"\\a", b"a", false, true),
        (b"\\\\", b"\\", false, true),
        (b"a\\", b"a\\", false, true),
        (b"a\\", b"a", false, false),
        (b"\\", b"\\", false, true),
        (b"\\*\\*", b"**", false, true),
        (b"*\\*", b"abc*", false, true),
        (b"*\\*", b"abc", false, false),
        (b"\\A", b"a", true, true),
        // nocase.
        (b"h*LLO", b"HeLlo", true, true),
        (b"[ab]", b"B", true, true),
        (b"[AB]", b"b", true, true),
        (b"[^ab]", b"B", true, false),
        (b"[Z-a]", b"_", false, true),
        (b"[Z-a]", b"z", false, false),
        // nocase folds the range ends: 'z'..'a' is empty.
        (b"[Z-a]", b"_", true, false),
        (b"[Z-a]", b"z", true, false),
        // Escaped set members compare exactly even under nocase.
        (b"[\\A]", b"a", true, false),
        (b"[\\A]", b"A", true, true),
        (b"\xc9", b"\xe9", true, false),
        // Binary safety and signed-char ranges.
        (b"a\x00b", b"a\x00b", false, true),
        (b"?", b"\x00", false, true),
        (b"[\x00-\x02]", b"\x01", false, true),
        (b"[\x80-\xff]", b"\xc0", false, true),
        (b"[\x80-\xff]", b"a", false, false),
        (b"[a-\xff]", b"b", false, false),
        (b"[a-\xff]", b"A", false, true),
        (b"[a-\xff]", b"\xfe", false, false),
        (b"[a-\xff]", b"\xff", false, true),
        (b"[a-\xff]", b"\x00", false, true),
        // 0x7f..0x80 is 127..-128: swapped, it spans every byte.
        (b"[\x7f-\x80]", b"a", false, true),
        (b"[\x7f-\x80]", b"\x81", false, true),
        (b"*\xff", b"ab\xff", false, true),
    ];

    #[test]
    fn table_matches_redis() {
        for &(pattern, string, nocase, expected) in TABLE {
            assert_eq!(
                glob_match(pattern, string, nocase),
                expected,
                "pattern {:?} string {:?} nocase {}",
                String::from_utf8_lossy(pattern),
                String::from_utf8_lossy(string),
                nocase
            );
        }
    }

    #[test]
    fn compiled_glob_is_reusable() {
        let g = Glob::new(b"user:[0-9]*", false);
        assert!(g.is_match(b"user:1"));
        assert!(g.is_match(b"user:42:name"));
        assert!(!g.is_match(b"user:x"));
        assert!(!g.is_match(b"user:"));
    }

    #[test]
    fn match_all_patterns() {
        assert!(glob_is_match_all(b"*"));
        assert!(glob_is_match_all(b"***"));
        assert!(!glob_is_match_all(b""));
        assert!(!glob_is_match_all(b"*a"));
        assert!(!glob_is_match_all(b"\\*"));
        assert!(!glob_is_match_all(b"*?"));
        assert!(Glob::new(b"**", true).is_match_all());
    }

    /// Redis test "Regression for pattern matching long nested loops"
    /// (CVE-2022-36021).
    #[test]
    fn many_stars_against_long_run_is_fast() {
        let key = vec![b'a'; 40];
        let start = Instant::now();
        assert!(!glob_match(b"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", &key, false));
        assert!(glob_match(b"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", &key, false));
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    /// Redis test "Regression for pattern matching very long nested loops"
    /// (CVE-2024-31228): the nesting guard makes this a non-match.
    #[test]
    fn fifty_thousand_star_question_pairs_is_fast_and_gives_up() {
        let key = vec![b'a'; 50000];
        let pattern = b"*?".repeat(50000);
        let start = Instant::now();
        assert!(!glob_match(&pattern, &key, false));
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn nesting_limit_counts_non_final_star_runs() {
        let key = vec![b'a'; 3000];
        // 1000 nested expansions are allowed ...
        let ok = b"*a".repeat(1000);
        assert!(glob_match(&ok, &key, false));
        let ok_final = [b"*a".repeat(1000), b"*".to_vec()].concat();
        assert!(glob_match(&ok_final, &key, false));
        // ... 1001 are not, whatever the string.
        let too_deep = b"*a".repeat(1001);
        assert!(!glob_match(&too_deep, &key, false));
        // Runs of stars count once.
        let collapsed = b"**a".repeat(1000);
        assert!(glob_match(&collapsed, &key, false));
    }

    #[test]
    fn long_segment_after_star_is_bounded() {
        let key = vec![b'a'; 20000];
        let mut pattern = b"*".to_vec();
        pattern.extend(vec![b'a'; 2000]);
        pattern.push(b'b');
        let start = Instant::now();
        assert!(!glob_match(&pattern, &key, false));
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn huge_set_compiles_once_and_matches_fast() {
        let mut pattern = b"*[".to_vec();
        pattern.extend(vec![b'z'; 40000]);
        pattern.push(b']');
        let key = vec![b'a'; 40000];
        let start = Instant::now();
        assert!(!glob_match(&pattern, &key, false));
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    /// A small independent matcher written straight from the grammar, for
    /// cross-checking the greedy algorithm on random short inputs.
    fn reference(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
        fn go(g: &Glob, t: usize, s: &[u8]) -> bool {
            match g.tokens.get(t) {
                None => s.is_empty(),
                Some(super::Token::Star) => (0..=s.len()).any(|k| go(g, t + 1, &s[k..])),
                Some(tok) => !s.is_empty() && g.matches_one(tok, s[0]) && go(g, t + 1, &s[1..]),
            }
        }
        if string.is_empty() {
            return pattern.is_empty();
        }
        let g = Glob::new(pattern, nocase);
        g.nested_stars <= super::MAX_STAR_NESTING && go(&g, 0, string)
    }

    #[test]
    fn greedy_agrees_with_exhaustive_search() {
        // Deterministic xorshift so failures reproduce.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pat_alphabet = b"ab*?[]^-\\A";
        let str_alphabet = b"abAB-]";
        for _ in 0..50_000 {
            let plen = (next() % 9) as usize;
            let slen = (next() % 8) as usize;
            let p: Vec<u8> = (0..plen).map(|_| pat_alphabet[(next() % pat_alphabet.len() as u64) as usize]).collect();
            let s: Vec<u8> = (0..slen).map(|_| str_alphabet[(next() % str_alphabet.len() as u64) as usize]).collect();
            let nocase = next() % 2 == 0;
            assert_eq!(
                glob_match(&p, &s, nocase),
                reference(&p, &s, nocase),
                "pattern {:?} string {:?} nocase {}",
                String::from_utf8_lossy(&p),
                String::from_utf8_lossy(&s),
                nocase
            );
        }
    }
}
