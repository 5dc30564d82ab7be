//! The resumable, bounded request parser: turns the bytes a client sends
//! (RESP multibulk or inline commands) into argument vectors, with Redis 7's
//! limits and exact protocol-error texts. It is not a reply parser (see
//! [`crate::frame`]), and it knows nothing of commands, auth or sockets: the
//! caller says whether the client is authenticated through [`Limits`].
//!
//! # Fidelity to Redis
//!
//! The state machine follows `processInlineBuffer` / `processMultibulkBuffer`
//! in Redis 7 `networking.c`, including behaviour a stricter parser would
//! not have:
//!
//! * Line terminators are searched the way Redis's `strchr` does: a NUL byte
//!   ends the search. A line with a NUL before its `\r` (multibulk) or `\n`
//!   (inline) therefore never completes, and the request fails once the
//!   64 KiB line limit is passed. This is what turns the protocol-desync
//!   inputs (`\x00`, `*\x00`, `$\x00` followed by endless text) into a
//!   protocol error instead of a stream of bogus commands.
//! * In count and bulk-length lines, the byte after `\r` is assumed to be
//!   `\n` and is not checked; the two bytes after a bulk's payload are
//!   skipped unchecked too (`$4\r\nPINGxx` is the argument `PING`).
//! * Numbers are read like `string2ll`: optional `-`, no `+`, no leading
//!   zeros, no spaces; `-0` is invalid.
//! * The 64 KiB line limit applies to the whole unparsed buffer while no
//!   terminator has been found, so a long line that arrives in one piece with
//!   its terminator is accepted, as in Redis.

use bytes::{Buf, Bytes, BytesMut};
use std::fmt;

/// `PROTO_INLINE_MAX_SIZE`: the longest inline request, multibulk count line
/// or bulk length line Redis waits for before giving up.
pub const PROTO_INLINE_MAX_SIZE: usize = 64 * 1024;

/// Default `proto-max-bulk-len` (512 MB).
pub const DEFAULT_MAX_BULK_LEN: usize = 512 * 1024 * 1024;

/// Largest multibulk count an unauthenticated client may announce
/// (CVE-2021-32675).
pub const UNAUTHENTICATED_MAX_ARGS: i64 = 10;

/// Largest bulk an unauthenticated client may announce (CVE-2021-32675).
pub const UNAUTHENTICATED_MAX_BULK_LEN: usize = 16384;

/// The argument vector is preallocated for at most this many arguments, so a
/// header claiming two billion arguments costs nothing until they arrive.
const ARGV_PREALLOC_MAX: usize = 1024;

/// `PROTO_MBULK_BIG_ARG`: from this size on, the parser grows the caller's
/// buffer ahead of the payload so reads can land in one region.
const BIG_ARG: usize = 32 * 1024;

/// How far ahead the parser reserves for a big bulk. The header is attacker
/// controlled, so memory is committed as data arrives, never on the promise
/// of 512 MB; growth beyond this step is BytesMut's usual doubling, which
/// keeps a huge bulk arriving in small chunks linear overall.
const BULK_RESERVE_AHEAD: usize = 1024 * 1024;

/// Limits in force for the next request; they can change between requests
/// (AUTH, CONFIG SET proto-max-bulk-len).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `proto-max-bulk-len`: longest bulk argument accepted.
    pub max_bulk_len: usize,
    /// `false` while the client still has to authenticate: at most 10
    /// arguments and 16384-byte bulks, as in Redis's `authRequired` checks.
    /// Set it to `true` when no password is required.
    pub authenticated: bool,
}

impl Default for Limits {
    /// Redis defaults for an authenticated client.
    fn default() -> Self {
        Limits { max_bulk_len: DEFAULT_MAX_BULK_LEN, authenticated: true }
    }
}

/// A malformed request. Redis replies with [`ProtocolError::message`] and
/// closes the connection after the reply (`CLIENT_CLOSE_AFTER_REPLY`); the
/// parser's state is unusable afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    /// `*` count not a number or above `INT_MAX`.
    InvalidMultibulkLength,
    /// `$` length not a number, negative, or above `max_bulk_len`.
    InvalidBulkLength,
    /// A multibulk element did not start with `$`; holds the byte found.
    ExpectedDollar(u8),
    /// An inline request that `split_args` rejects.
    UnbalancedQuotes,
    /// No newline within 64 KiB of an inline request.
    TooBigInline,
    /// No `\r` within 64 KiB of a `*` count line.
    TooBigMbulkCount,
    /// No `\r` within 64 KiB of a `$` length line.
    TooBigBulkCount,
    /// More than 10 arguments before authentication.
    UnauthenticatedMultibulkLength,
    /// A bulk above 16384 bytes before authentication.
    UnauthenticatedBulkLength,
}

impl ProtocolError {
    /// Redis's error text, without the leading `-`, e.g.
    /// `Protocol error: expected '$', got 'f'`.
    ///
    /// For [`ProtocolError::ExpectedDollar`] the byte is printed the way
    /// Redis's `%c` plus reply sanitising prints it: `\r` and `\n` become a
    /// space, and a NUL ends the text (Redis formats into a C string). A byte
    /// of 0x80 or above cannot be sent raw in a `&str`, so it is printed as
    /// the Unicode character of the same number (Latin-1); Redis would send
    /// the raw byte.
    pub fn message(&self) -> String {
        match self {
            ProtocolError::InvalidMultibulkLength => "Protocol error: invalid multibulk length".to_string(),
            ProtocolError::InvalidBulkLength => "Protocol error: invalid bulk length".to_string(),
            ProtocolError::ExpectedDollar(b) => {
                let mut s = String::from("Protocol error: expected '$', got '");
                match *b {
                    0 => return s,
                    b'\r' | b'\n' => s.push(' '),
                    other => s.push(char::from(other)),
                }
                s.push('\'');
                s
            }
            ProtocolError::UnbalancedQuotes => "Protocol error: unbalanced quotes in request".to_string(),
            ProtocolError::TooBigInline => "Protocol error: too big inline request".to_string(),
            ProtocolError::TooBigMbulkCount => "Protocol error: too big mbulk count string".to_string(),
            ProtocolError::TooBigBulkCount => "Protocol error: too big bulk count string".to_string(),
            ProtocolError::UnauthenticatedMultibulkLength => {
                "Protocol error: unauthenticated multibulk length".to_string()
            }
            ProtocolError::UnauthenticatedBulkLength => "Protocol error: unauthenticated bulk length".to_string(),
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ProtocolError {}

/// Outcome of reading a `*` count line.
enum Header {
    Incomplete,
    Empty,
    Started,
}

/// Resumable request parser; one per connection.
///
/// It consumes bytes from the caller's buffer as soon as a piece of a
/// request (a count line, a bulk) is complete, and remembers where it is, so
/// a 500 MB bulk arriving in chunks or a 20 000-argument MSET is never
/// re-scanned: total work is linear in the bytes received.
#[derive(Debug, Default)]
pub struct RequestParser {
    /// Arguments of the multibulk request being assembled.
    args: Vec<Bytes>,
    /// An emptied argument vector handed back by [`RequestParser::recycle`],
    /// reused for the next request to save an allocation per request.
    spare: Vec<Bytes>,
    /// Bulks the current multibulk request still expects; 0 between requests.
    remaining: usize,
    /// Length from the last `$` line whose payload has not fully arrived.
    bulk_len: Option<usize>,
    /// Where the search for the current line's terminator resumes; the bytes
    /// before it were already searched and hold none.
    scan_from: usize,
    /// A NUL came before the current line's terminator: like Redis's
    /// `strchr`, the search can never succeed.
    nul_seen: bool,
    /// Bytes already taken out of the caller's buffer for the request being
    /// assembled.
    pending: usize,
}

impl RequestParser {
    /// A parser waiting for the first byte of a request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Hands back a request's argument vector once the caller is done with
    /// it, so the next request can reuse its allocation.
    pub fn recycle(&mut self, mut args: Vec<Bytes>) {
        args.clear();
        if args.capacity() <= ARGV_PREALLOC_MAX {
            self.spare = args;
        }
    }

    /// Takes the next complete request out of `buf`, consuming its bytes.
    ///
    /// Returns `Ok(Some(args))` with at least one argument, or `Ok(None)` when
    /// more bytes are needed (what was parsed so far is kept; call again after
    /// appending to `buf`). Between calls the caller may only append to `buf`.
    /// Empty requests (`\r\n`, a blank inline line, `*0\r\n`, `*-10\r\n`)
    /// are skipped silently. `limits` are read for the request being parsed,
    /// so execute each request (say, AUTH) before asking for the next one.
    ///
    /// Arguments of multibulk requests are cut from `buf` without copying and
    /// share its allocation: a small argument kept for long (stored as a
    /// value) pins the whole read buffer it came from. Copy small arguments
    /// (`Bytes::copy_from_slice`) before storing them.
    ///
    /// The parser never holds more than `buf` plus the completed arguments of
    /// the current request, but `buf` itself may grow to the size of the
    /// largest accepted bulk: the caller enforces `client-query-buffer-limit`
    /// on `buf.len() + self.pending_bytes()`.
    ///
    /// # Errors
    ///
    /// A [`ProtocolError`] for a malformed request or a broken limit. The
    /// caller sends the error's message and closes the connection; the
    /// parser is reset but the stream is out of sync.
    pub fn next(&mut self, buf: &mut BytesMut, limits: &Limits) -> Result<Option<Vec<Bytes>>, ProtocolError> {
        let result = self.next_inner(buf, limits);
        if result.is_err() {
            *self = RequestParser::new();
        }
        result
    }

    /// Bytes of the request being assembled that were already taken out of
    /// the caller's buffer (its count line, length lines and complete
    /// arguments). Bytes still in the buffer are not counted: the query
    /// buffer's size is `buf.len() + pending_bytes()`.
    pub fn pending_bytes(&self) -> usize {
        self.pending
    }

    fn next_inner(&mut self, buf: &mut BytesMut, limits: &Limits) -> Result<Option<Vec<Bytes>>, ProtocolError> {
        loop {
            if self.remaining == 0 {
                let Some(&first) = buf.first() else {
                    return Ok(None);
                };
                if first != b'*' {
                    match self.inline(buf)? {
                        None => return Ok(None),
                        Some(args) if args.is_empty() => continue,
                        Some(args) => return Ok(Some(args)),
                    }
                }
                match self.multibulk_header(buf, limits)? {
                    Header::Incomplete => return Ok(None),
                    Header::Empty => continue,
                    Header::Started => {}
                }
            }

            while self.remaining > 0 {
                let len = match self.bulk_len {
                    Some(len) => len,
                    None => match self.bulk_header(buf, limits)? {
                        Some(len) => len,
                        None => return Ok(None),
                    },
                };
                // `len` came from an i64 no greater than a usize, so adding
                // the two CRLF bytes cannot overflow on 64-bit targets.
                let need = len.saturating_add(2);
                if buf.len() < need {
                    if len >= BIG_ARG {
                        let missing = need - buf.len();
                        buf.reserve(missing.min(BULK_RESERVE_AHEAD));
                    }
                    return Ok(None);
                }
                let arg = if len == 0 { Bytes::new() } else { buf.split_to(len).freeze() };
                buf.advance(2);
                self.pending += need;
                self.args.push(arg);
                self.bulk_len = None;
                self.remaining -= 1;
            }

            self.pending = 0;
            return Ok(Some(std::mem::take(&mut self.args)));
        }
    }

    /// Finds the current line's terminator `term` in `buf`, resuming where
    /// the previous call stopped. A NUL byte stops the search for good, as
    /// Redis's `strchr` does.
    fn find_terminator(&mut self, buf: &[u8], term: u8) -> Option<usize> {
        if self.nul_seen {
            return None;
        }
        let from = self.scan_from.min(buf.len());
        match buf[from..].iter().position(|&b| b == term || b == 0) {
            Some(i) => {
                let at = from + i;
                if buf[at] == 0 {
                    self.nul_seen = true;
                    None
                } else {
                    self.scan_from = at;
                    Some(at)
                }
            }
            None => {
                self.scan_from = buf.len();
                None
            }
        }
    }

    /// Forgets the search state once a line has been consumed.
    fn line_done(&mut self) {
        self.scan_from = 0;
        self.nul_seen = false;
    }

    /// Parses one inline request line. `Some(vec![])` for a blank line.
    fn inline(&mut self, buf: &mut BytesMut) -> Result<Option<Vec<Bytes>>, ProtocolError> {
        let Some(newline) = self.find_terminator(buf, b'\n') else {
            if buf.len() > PROTO_INLINE_MAX_SIZE {
                return Err(ProtocolError::TooBigInline);
            }
            return Ok(None);
        };
        let end = if newline > 0 && buf[newline - 1] == b'\r' { newline - 1 } else { newline };
        // Fast path for the common line without quotes (or the \v \f that
        // sdssplitargs treats specially): split on its separators and slice
        // the arguments out of the line without copying them.
        if !buf[..end].iter().any(|&c| matches!(c, b'"' | b'\'' | 0x0b | 0x0c)) {
            let line = buf.split_to(newline + 1).freeze();
            self.line_done();
            let is_sep = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
            let mut args = std::mem::take(&mut self.spare);
            let mut i = 0;
            while i < end {
                while i < end && is_sep(line[i]) {
                    i += 1;
                }
                let start = i;
                while i < end && !is_sep(line[i]) {
                    i += 1;
                }
                if i > start {
                    args.push(line.slice(start..i));
                }
            }
            return Ok(Some(args));
        }
        let parts = crate::split::split_args(&buf[..end]).ok_or(ProtocolError::UnbalancedQuotes)?;
        buf.advance(newline + 1);
        self.line_done();
        Ok(Some(parts.into_iter().map(Bytes::from).collect()))
    }

    /// Parses the `*<count>\r\n` line at the start of `buf`.
    fn multibulk_header(&mut self, buf: &mut BytesMut, limits: &Limits) -> Result<Header, ProtocolError> {
        let Some(cr) = self.find_terminator(buf, b'\r') else {
            if buf.len() > PROTO_INLINE_MAX_SIZE {
                return Err(ProtocolError::TooBigMbulkCount);
            }
            return Ok(Header::Incomplete);
        };
        if cr + 2 > buf.len() {
            return Ok(Header::Incomplete);
        }
        let count = match string2ll(&buf[1..cr]) {
            Some(n) if n <= i64::from(i32::MAX) => n,
            _ => return Err(ProtocolError::InvalidMultibulkLength),
        };
        if count > UNAUTHENTICATED_MAX_ARGS && !limits.authenticated {
            return Err(ProtocolError::UnauthenticatedMultibulkLength);
        }
        buf.advance(cr + 2);
        self.line_done();
        if count <= 0 {
            return Ok(Header::Empty);
        }
        // count <= i32::MAX, so it fits a usize on every supported target.
        let count = count as usize;
        self.remaining = count;
        let mut args = std::mem::take(&mut self.spare);
        args.reserve_exact(count.min(ARGV_PREALLOC_MAX));
        self.args = args;
        self.pending = cr + 2;
        Ok(Header::Started)
    }

    /// Parses a `$<len>\r\n` line at the start of `buf`; `None` if incomplete.
    fn bulk_header(&mut self, buf: &mut BytesMut, limits: &Limits) -> Result<Option<usize>, ProtocolError> {
        let Some(cr) = self.find_terminator(buf, b'\r') else {
            if buf.len() > PROTO_INLINE_MAX_SIZE {
                return Err(ProtocolError::TooBigBulkCount);
            }
            return Ok(None);
        };
        if cr + 2 > buf.len() {
            return Ok(None);
        }
        if buf[0] != b'$' {
            return Err(ProtocolError::ExpectedDollar(buf[0]));
        }
        let len = match string2ll(&buf[1..cr]) {
            Some(n) if n >= 0 && (n as u64) <= limits.max_bulk_len as u64 => n as usize,
            _ => return Err(ProtocolError::InvalidBulkLength),
        };
        if len > UNAUTHENTICATED_MAX_BULK_LEN && !limits.authenticated {
            return Err(ProtocolError::UnauthenticatedBulkLength);
        }
        buf.advance(cr + 2);
        self.line_done();
        self.pending += cr + 2;
        self.bulk_len = Some(len);
        Ok(Some(len))
    }
}

/// Parses a whole byte string as an `i64` with Redis's `string2ll` rules:
/// an optional `-`, then `0` alone or digits not starting with `0`; no `+`,
/// no spaces, no `-0`, no overflow.
fn string2ll(s: &[u8]) -> Option<i64> {
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    match digits {
        [b'0'] if !negative => return Some(0),
        [b'1'..=b'9', ..] => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if negative {
        if v > 1u64 << 63 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else {
        i64::try_from(v).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    const AUTHED: Limits = Limits { max_bulk_len: DEFAULT_MAX_BULK_LEN, authenticated: true };
    const PREAUTH: Limits = Limits { max_bulk_len: DEFAULT_MAX_BULK_LEN, authenticated: false };

    type Requests = Vec<Vec<Vec<u8>>>;

    fn to_vecs(args: Vec<Bytes>) -> Vec<Vec<u8>> {
        args.into_iter().map(|a| a.to_vec()).collect()
    }

    /// Feeds `input` in one piece; returns the requests parsed and the error
    /// that stopped parsing, if any.
    fn parse_whole(input: &[u8], limits: &Limits) -> (Requests, Option<ProtocolError>) {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match p.next(&mut buf, limits) {
                Ok(Some(args)) => out.push(to_vecs(args)),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    /// Feeds `input` in pieces of `step` bytes, draining after each.
    fn parse_chunked(input: &[u8], step: usize, limits: &Limits) -> (Requests, Option<ProtocolError>) {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for chunk in input.chunks(step) {
            buf.extend_from_slice(chunk);
            loop {
                match p.next(&mut buf, limits) {
                    Ok(Some(args)) => out.push(to_vecs(args)),
                    Ok(None) => break,
                    Err(e) => return (out, Some(e)),
                }
            }
        }
        (out, None)
    }

    fn req(parts: &[&str]) -> Vec<Vec<u8>> {
        parts.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn first_error(input: &[u8], limits: &Limits) -> ProtocolError {
        let (_, err) = parse_whole(input, limits);
        err.expect("expected a protocol error")
    }

    // ---- tests/unit/protocol.tcl rows -------------------------------------

    #[test]
    fn empty_query_is_ignored() {
        let (reqs, err) = parse_whole(b"\r\nPING\r\n", &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs, vec![req(&["PING"])]);
    }

    #[test]
    fn negative_multibulk_length_is_ignored() {
        let (reqs, err) = parse_whole(b"*-10\r\n*1\r\n$4\r\nPING\r\n", &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs, vec![req(&["PING"])]);
    }

    #[test]
    fn zero_multibulk_length_is_ignored() {
        let (reqs, err) = parse_whole(b"*0\r\nPING\r\n", &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs, vec![req(&["PING"])]);
    }

    #[test]
    fn out_of_range_multibulk_length() {
        let e = first_error(b"*3000000000\r\n", &AUTHED);
        assert_eq!(e, ProtocolError::InvalidMultibulkLength);
        assert_eq!(e.message(), "Protocol error: invalid multibulk length");
    }

    #[test]
    fn multibulk_length_int_max_is_accepted_lazily() {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"*2147483647\r\n$1\r\na\r\n"[..]);
        assert_eq!(p.next(&mut buf, &AUTHED), Ok(None));
        // The announced count did not turn into a giant allocation.
        assert!(p.args.capacity() <= ARGV_PREALLOC_MAX);
        assert_eq!(first_error(b"*2147483648\r\n", &AUTHED), ProtocolError::InvalidMultibulkLength);
    }

    #[test]
    fn wrong_multibulk_payload_header() {
        let e = first_error(b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", &AUTHED);
        assert_eq!(e, ProtocolError::ExpectedDollar(b'f'));
        assert_eq!(e.message(), "Protocol error: expected '$', got 'f'");
    }

    #[test]
    fn negative_multibulk_payload_length() {
        let e = first_error(b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", &AUTHED);
        assert_eq!(e, ProtocolError::InvalidBulkLength);
        assert_eq!(e.message(), "Protocol error: invalid bulk length");
    }

    #[test]
    fn out_of_range_multibulk_payload_length() {
        let e = first_error(b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n", &AUTHED);
        assert_eq!(e, ProtocolError::InvalidBulkLength);
    }

    #[test]
    fn non_number_multibulk_payload_length() {
        let e = first_error(b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", &AUTHED);
        assert_eq!(e, ProtocolError::InvalidBulkLength);
    }

    #[test]
    fn multibulk_request_not_followed_by_bulk_arguments() {
        let e = first_error(b"*1\r\nfoo\r\n", &AUTHED);
        assert_eq!(e, ProtocolError::ExpectedDollar(b'f'));
        assert_eq!(e.message(), "Protocol error: expected '$', got 'f'");
    }

    #[test]
    fn inline_unbalanced_quotes() {
        let e = first_error(b"set \"\"\"test-key\"\"\" test-value\r\nping\r\n", &AUTHED);
        assert_eq!(e, ProtocolError::UnbalancedQuotes);
        assert_eq!(e.message(), "Protocol error: unbalanced quotes in request");
    }

    /// Protocol desync regression tests #1-#3: a bad first byte followed by
    /// an endless stream of 1 KB lines must end in a protocol error once the
    /// 64 KiB line limit is passed, with the buffer bounded meanwhile.
    fn desync(prefix: &[u8]) -> ProtocolError {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(prefix);
        let mut chunk = vec![b'A'; 1024];
        chunk.push(b'\n');
        for _ in 0..1000 {
            buf.extend_from_slice(&chunk);
            match p.next(&mut buf, &AUTHED) {
                Ok(Some(args)) => panic!("desync produced a command: {args:?}"),
                Ok(None) => assert!(buf.len() <= PROTO_INLINE_MAX_SIZE + chunk.len() + 8),
                Err(e) => return e,
            }
        }
        panic!("no protocol error after 1000 chunks");
    }

    #[test]
    fn protocol_desync_nul() {
        assert_eq!(desync(b"\x00"), ProtocolError::TooBigInline);
    }

    #[test]
    fn protocol_desync_star_nul() {
        assert_eq!(desync(b"*\x00"), ProtocolError::TooBigMbulkCount);
    }

    #[test]
    fn protocol_desync_dollar_nul() {
        assert_eq!(desync(b"$\x00"), ProtocolError::TooBigInline);
    }

    #[test]
    fn desync_inside_multibulk_hits_bulk_count_limit() {
        let mut input = b"*1\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'A', PROTO_INLINE_MAX_SIZE + 1));
        assert_eq!(first_error(&input, &AUTHED), ProtocolError::TooBigBulkCount);
    }

    #[test]
    fn mset_with_20002_arguments() {
        let n = 20002;
        let mut input = format!("*{n}\r\n$4\r\nMSET\r\n").into_bytes();
        for i in 0..(n - 1) {
            let a = format!("k{i}");
            input.extend_from_slice(format!("${}\r\n{}\r\n", a.len(), a).as_bytes());
        }
        for step in [input.len(), 7, 1] {
            let (reqs, err) = parse_chunked(&input, step, &AUTHED);
            assert_eq!(err, None);
            assert_eq!(reqs.len(), 1);
            assert_eq!(reqs[0].len(), n);
            assert_eq!(reqs[0][0], b"MSET");
            assert_eq!(reqs[0][n - 1], format!("k{}", n - 2).into_bytes());
        }
    }

    // ---- limits -------------------------------------------------------------

    #[test]
    fn unauthenticated_multibulk_length() {
        let e = first_error(b"*100\r\n", &PREAUTH);
        assert_eq!(e, ProtocolError::UnauthenticatedMultibulkLength);
        assert_eq!(e.message(), "Protocol error: unauthenticated multibulk length");
        // Ten arguments are still fine before AUTH.
        let mut input = b"*10\r\n".to_vec();
        for _ in 0..10 {
            input.extend_from_slice(b"$1\r\nx\r\n");
        }
        let (reqs, err) = parse_whole(&input, &PREAUTH);
        assert_eq!(err, None);
        assert_eq!(reqs[0].len(), 10);
        // And more than ten once authenticated.
        assert_eq!(parse_whole(b"*100\r\n", &AUTHED).1, None);
    }

    #[test]
    fn unauthenticated_bulk_length() {
        let e = first_error(b"*1\r\n$100000000\r\n", &PREAUTH);
        assert_eq!(e, ProtocolError::UnauthenticatedBulkLength);
        assert_eq!(e.message(), "Protocol error: unauthenticated bulk length");
        assert_eq!(first_error(b"*1\r\n$16385\r\n", &PREAUTH), ProtocolError::UnauthenticatedBulkLength);
        let mut input = b"*1\r\n$16384\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 16384));
        input.extend_from_slice(b"\r\n");
        let (reqs, err) = parse_whole(&input, &PREAUTH);
        assert_eq!(err, None);
        assert_eq!(reqs[0][0].len(), 16384);
    }

    #[test]
    fn limits_apply_per_request() {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"AUTH pw\r\n*11\r\n"[..]);
        let auth = p.next(&mut buf, &PREAUTH).unwrap().unwrap();
        assert_eq!(to_vecs(auth), req(&["AUTH", "pw"]));
        // After a successful AUTH the caller passes the relaxed limits.
        assert_eq!(p.next(&mut buf, &AUTHED), Ok(None));
    }

    #[test]
    fn configured_max_bulk_len() {
        let limits = Limits { max_bulk_len: 1024 * 1024, authenticated: true };
        assert_eq!(first_error(b"*1\r\n$1048577\r\n", &limits), ProtocolError::InvalidBulkLength);
        assert_eq!(parse_whole(b"*1\r\n$1048576\r\n", &limits).1, None);
    }

    #[test]
    fn too_big_inline_request() {
        let input = vec![b'A'; PROTO_INLINE_MAX_SIZE + 1];
        let e = first_error(&input, &AUTHED);
        assert_eq!(e, ProtocolError::TooBigInline);
        assert_eq!(e.message(), "Protocol error: too big inline request");
        // Exactly at the limit Redis still waits.
        let input = vec![b'A'; PROTO_INLINE_MAX_SIZE];
        assert_eq!(parse_whole(&input, &AUTHED), (vec![], None));
    }

    #[test]
    fn long_inline_line_arriving_whole_is_accepted() {
        let mut input = b"ECHO ".to_vec();
        input.extend(std::iter::repeat_n(b'a', 100_000));
        input.extend_from_slice(b"\r\n");
        let (reqs, err) = parse_whole(&input, &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs[0][1].len(), 100_000);
    }

    #[test]
    fn too_big_mbulk_count_string() {
        let mut input = b"*".to_vec();
        input.extend(std::iter::repeat_n(b'1', PROTO_INLINE_MAX_SIZE + 1));
        let e = first_error(&input, &AUTHED);
        assert_eq!(e, ProtocolError::TooBigMbulkCount);
        assert_eq!(e.message(), "Protocol error: too big mbulk count string");
    }

    #[test]
    fn too_big_bulk_count_string_message() {
        assert_eq!(ProtocolError::TooBigBulkCount.message(), "Protocol error: too big bulk count string");
    }

    // ---- number syntax --------------------------------------------------------

    #[test]
    fn counts_follow_string2ll() {
        for bad in [&b"*+1\r\n"[..], b"*01\r\n", b"*-0\r\n", b"* 1\r\n", b"*1 \r\n", b"*\r\n"] {
            assert_eq!(
                first_error(bad, &AUTHED),
                ProtocolError::InvalidMultibulkLength,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        for bad in [&b"$+1\r\n"[..], b"$01\r\n", b"$-0\r\n", b"$\r\n", b"$1x\r\n"] {
            let mut input = b"*1\r\n".to_vec();
            input.extend_from_slice(bad);
            assert_eq!(
                first_error(&input, &AUTHED),
                ProtocolError::InvalidBulkLength,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn string2ll_edges() {
        assert_eq!(string2ll(b"0"), Some(0));
        assert_eq!(string2ll(b"-1"), Some(-1));
        assert_eq!(string2ll(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(string2ll(b"9223372036854775808"), None);
        assert_eq!(string2ll(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(string2ll(b"-9223372036854775809"), None);
        assert_eq!(string2ll(b"99999999999999999999999"), None);
        assert_eq!(string2ll(b"-"), None);
        assert_eq!(string2ll(b""), None);
        assert_eq!(string2ll(b"00"), None);
    }

    // ---- framing details --------------------------------------------------------

    #[test]
    fn expected_dollar_message_sanitises_the_byte() {
        assert_eq!(first_error(b"*1\r\n\r\n", &AUTHED), ProtocolError::ExpectedDollar(b'\r'));
        assert_eq!(ProtocolError::ExpectedDollar(b'\r').message(), "Protocol error: expected '$', got ' '");
        assert_eq!(ProtocolError::ExpectedDollar(b'\n').message(), "Protocol error: expected '$', got ' '");
        assert_eq!(ProtocolError::ExpectedDollar(0).message(), "Protocol error: expected '$', got '");
    }

    #[test]
    fn inline_forms() {
        let (reqs, err) = parse_whole(b"PING\nSET a b\r\n   \r\n\n  GET   a  \r\n", &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs, vec![req(&["PING"]), req(&["SET", "a", "b"]), req(&["GET", "a"])]);
    }

    #[test]
    fn inline_with_nul_never_completes() {
        let (reqs, err) = parse_whole(b"PI\x00NG\r\nPING\r\n", &AUTHED);
        assert_eq!((reqs, err), (vec![], None));
    }

    #[test]
    fn bulk_payload_may_hold_any_byte() {
        let (reqs, err) = parse_whole(b"*2\r\n$3\r\nGET\r\n$5\r\na\r\n\x00b\r\n", &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs[0][1], b"a\r\n\x00b");
    }

    #[test]
    fn empty_bulk() {
        let (reqs, err) = parse_whole(b"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs, vec![vec![b"ECHO".to_vec(), vec![]]]);
    }

    #[test]
    fn bytes_after_payload_are_skipped_unchecked_like_redis() {
        let (reqs, err) = parse_whole(b"*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs, vec![req(&["PING"]), req(&["PING"])]);
    }

    #[test]
    fn arguments_are_cut_without_copying() {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"[..]);
        let base = buf.as_ptr() as usize;
        let end = base + buf.len();
        let args = p.next(&mut buf, &AUTHED).unwrap().unwrap();
        for a in &args {
            let at = a.as_ptr() as usize;
            assert!(at >= base && at + a.len() <= end);
        }
    }

    // ---- delivery patterns ------------------------------------------------------

    fn mixed_pipeline() -> Vec<u8> {
        let mut s = Vec::new();
        s.extend_from_slice(b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
        s.extend_from_slice(b"\r\n");
        s.extend_from_slice(b"PING\r\n");
        s.extend_from_slice(b"*-1\r\n*0\r\n");
        s.extend_from_slice(b"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n");
        s.extend_from_slice(b"set a \"b c\"\n");
        s.extend_from_slice(b"*1\r\n$0\r\n\r\n");
        let big = vec![b'z'; 70_000];
        s.extend_from_slice(format!("*2\r\n$4\r\nECHO\r\n${}\r\n", big.len()).as_bytes());
        s.extend_from_slice(&big);
        s.extend_from_slice(b"\r\n");
        s
    }

    #[test]
    fn byte_by_byte_delivery_matches_whole_delivery() {
        let input = mixed_pipeline();
        let whole = parse_whole(&input, &AUTHED);
        assert_eq!(whole.1, None);
        assert_eq!(whole.0.len(), 6);
        assert_eq!(whole.0[3], req(&["set", "a", "b c"]));
        for step in [1, 2, 3, 5, 13, 4096] {
            assert_eq!(parse_chunked(&input, step, &AUTHED), whole, "step {step}");
        }
    }

    #[test]
    fn byte_by_byte_delivery_reports_the_same_errors() {
        for input in [
            &b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"[..],
            b"*3000000000\r\n",
            b"*1\r\n$-10\r\n",
            b"PING\r\n*1\r\nfoo\r\n",
        ] {
            let whole = parse_whole(input, &AUTHED);
            assert!(whole.1.is_some());
            assert_eq!(parse_chunked(input, 1, &AUTHED), whole);
        }
    }

    #[test]
    fn pipeline_of_many_requests() {
        let mut input = Vec::new();
        for i in 0..10_000 {
            let k = format!("key:{i}");
            input.extend_from_slice(format!("*2\r\n$3\r\nGET\r\n${}\r\n{}\r\n", k.len(), k).as_bytes());
        }
        let (reqs, err) = parse_whole(&input, &AUTHED);
        assert_eq!(err, None);
        assert_eq!(reqs.len(), 10_000);
        assert_eq!(reqs[9_999][1], b"key:9999");
    }

    #[test]
    fn large_bulk_in_chunks_is_linear() {
        let size = 8 * 1024 * 1024;
        let mut header = format!("*2\r\n$3\r\nSET\r\n${size}\r\n").into_bytes();
        header.splice(0..0, b"PING\r\n".iter().copied());
        let mut p = RequestParser::new();
        let mut buf = BytesMut::new();
        buf.extend_from_slice(&header);
        let ping = p.next(&mut buf, &AUTHED).unwrap().unwrap();
        assert_eq!(to_vecs(ping), req(&["PING"]));
        assert_eq!(p.next(&mut buf, &AUTHED), Ok(None));
        let chunk = vec![b'v'; 1024];
        let started = Instant::now();
        let mut sent = 0;
        while sent < size {
            buf.extend_from_slice(&chunk);
            sent += chunk.len();
            assert_eq!(p.next(&mut buf, &AUTHED), Ok(None));
            // The parser itself holds only the consumed header lines.
            assert!(p.pending_bytes() < 64);
        }
        buf.extend_from_slice(b"\r\n");
        let args = p.next(&mut buf, &AUTHED).unwrap().unwrap();
        assert_eq!(args[1].len(), size);
        assert!(args[1].iter().all(|&b| b == b'v'));
        assert_eq!(p.pending_bytes(), 0);
        assert!(buf.is_empty());
        // 8192 calls on an 8 MB bulk: quadratic rescanning would take
        // seconds even in release builds.
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn header_promising_huge_bulk_does_not_reserve_it() {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"*1\r\n$536870912\r\nabc"[..]);
        assert_eq!(p.next(&mut buf, &AUTHED), Ok(None));
        assert!(buf.capacity() <= 2 * BULK_RESERVE_AHEAD);
    }

    #[test]
    fn pending_bytes_counts_consumed_parts() {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"*2\r\n$3\r\nGET\r\n$3\r\nk"[..]);
        assert_eq!(p.next(&mut buf, &AUTHED), Ok(None));
        assert_eq!(p.pending_bytes(), 4 + 4 + 5 + 4);
        assert_eq!(buf.len(), 1);
        buf.extend_from_slice(b"ey\r\n");
        assert!(p.next(&mut buf, &AUTHED).unwrap().is_some());
        assert_eq!(p.pending_bytes(), 0);
    }

    #[test]
    fn parser_resets_after_error() {
        let mut p = RequestParser::new();
        let mut buf = BytesMut::from(&b"*2\r\n$3\r\nGET\r\nxx\r\n"[..]);
        assert!(p.next(&mut buf, &AUTHED).is_err());
        assert_eq!(p.pending_bytes(), 0);
    }
}
