//! The reply parser: reads one RESP2/RESP3 reply frame from bytes, for the
//! Lua bridge (`redis.call` results) and for tests. It is not the request
//! parser (see [`crate::parse`]) and is not built for hostile input at
//! request-parser speed: it re-parses an incomplete frame from the start on
//! every call, so feed it replies that are complete or nearly so.

use std::fmt;

/// Nesting deeper than this is rejected rather than risk the stack.
pub const MAX_DEPTH: usize = 1000;

/// Upper bound on elements preallocated for an aggregate, whatever its
/// header claims.
const PREALLOC_MAX: usize = 1024;

/// One decoded reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// `+text`
    Simple(Vec<u8>),
    /// `-text` or RESP3 `!len` blob error; the text includes the code.
    Error(Vec<u8>),
    /// `:n`
    Integer(i64),
    /// `$len` bulk string.
    Bulk(Vec<u8>),
    /// RESP2 `$-1` or RESP3 `_`.
    Null,
    /// RESP2 `*-1`.
    NullArray,
    /// `*n`
    Array(Vec<Frame>),
    /// RESP3 `%n`, pairs in wire order.
    Map(Vec<(Frame, Frame)>),
    /// RESP3 `~n`
    Set(Vec<Frame>),
    /// RESP3 `>n`
    Push(Vec<Frame>),
    /// RESP3 `,d` (`inf`, `-inf`, `nan` included).
    Double(f64),
    /// RESP3 `#t` / `#f`.
    Boolean(bool),
    /// RESP3 `=len`: the three-byte format (`txt`, `mkd`) and the text.
    Verbatim(String, Vec<u8>),
    /// RESP3 `(digits`.
    BigNumber(String),
}

/// Parses one complete reply frame at the start of `buf`.
///
/// Returns `Ok(Some((frame, consumed)))`, or `Ok(None)` when `buf` ends
/// before the frame does. RESP3 attributes (`|n`) are read and dropped: the
/// frame they annotate is returned, and `consumed` covers both.
///
/// # Errors
///
/// A description of the problem when the bytes are not RESP: an unknown
/// type byte, a line not ended by CRLF, a malformed number or length, a bulk
/// not followed by CRLF, or nesting deeper than [`MAX_DEPTH`].
pub fn parse_frame(buf: &[u8]) -> Result<Option<(Frame, usize)>, String> {
    let mut cursor = Cursor { buf, pos: 0 };
    match cursor.frame() {
        Ok(frame) => Ok(Some((frame, cursor.pos))),
        Err(Problem::Incomplete) => Ok(None),
        Err(Problem::Malformed(msg)) => Err(msg),
    }
}

enum Problem {
    Incomplete,
    Malformed(String),
}

impl Problem {
    fn malformed(msg: impl fmt::Display) -> Problem {
        Problem::Malformed(msg.to_string())
    }
}

type Step<T> = Result<T, Problem>;

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// The line starting at the cursor, without its CRLF; moves past it.
    fn line(&mut self) -> Step<&'a [u8]> {
        let rest = &self.buf[self.pos..];
        let Some(cr) = rest.iter().position(|&b| b == b'\r') else {
            return Err(Problem::Incomplete);
        };
        match rest.get(cr + 1) {
            None => Err(Problem::Incomplete),
            Some(b'\n') => {
                self.pos += cr + 2;
                Ok(&rest[..cr])
            }
            Some(_) => Err(Problem::malformed(format!("line at offset {} not ended by CRLF", self.pos))),
        }
    }

    /// `n` bytes of payload followed by CRLF.
    fn payload(&mut self, n: usize) -> Step<&'a [u8]> {
        let rest = &self.buf[self.pos..];
        let need = n.checked_add(2).ok_or_else(|| Problem::malformed("length overflow"))?;
        if rest.len() < need {
            return Err(Problem::Incomplete);
        }
        if &rest[n..need] != b"\r\n" {
            return Err(Problem::malformed(format!("payload at offset {} not followed by CRLF", self.pos)));
        }
        self.pos += need;
        Ok(&rest[..n])
    }

    /// Reads one whole frame. Aggregates are built on an explicit stack, not
    /// by recursion, so depth costs heap rather than thread stack.
    fn frame(&mut self) -> Step<Frame> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            let mut done = match self.item()? {
                Item::Done(frame) => frame,
                Item::Open(open) => match open.finish_if_empty() {
                    Ok(frame) => frame,
                    Err(open) => {
                        if stack.len() >= MAX_DEPTH {
                            return Err(Problem::malformed("reply nested too deeply"));
                        }
                        stack.push(open);
                        continue;
                    }
                },
            };
            // Hand the finished frame to its parent, closing every aggregate
            // it completes on the way up.
            loop {
                let Some(parent) = stack.last_mut() else {
                    return Ok(done);
                };
                match parent.add(done) {
                    None => break,
                    Some(frame) => {
                        stack.pop();
                        done = frame;
                    }
                }
            }
        }
    }

    /// Reads a scalar frame, or the header of an aggregate.
    fn item(&mut self) -> Step<Item> {
        let Some(&kind) = self.buf.get(self.pos) else {
            return Err(Problem::Incomplete);
        };
        self.pos += 1;
        let frame = match kind {
            b'+' => Frame::Simple(self.line()?.to_vec()),
            b'-' => Frame::Error(self.line()?.to_vec()),
            b':' => Frame::Integer(parse_i64(self.line()?)?),
            b'$' => match self.length()? {
                None => Frame::Null,
                Some(n) => Frame::Bulk(self.payload(n)?.to_vec()),
            },
            b'!' => match self.length()? {
                None => return Err(Problem::malformed("null blob error")),
                Some(n) => Frame::Error(self.payload(n)?.to_vec()),
            },
            b'*' => match self.length()? {
                None => Frame::NullArray,
                Some(n) => return Ok(Item::Open(Open::list(ListKind::Array, n))),
            },
            b'~' => return Ok(Item::Open(Open::list(ListKind::Set, self.count()?))),
            b'>' => return Ok(Item::Open(Open::list(ListKind::Push, self.count()?))),
            b'%' => {
                let n = self.count()?;
                return Ok(Item::Open(Open::Map {
                    pairs: Vec::with_capacity(n.min(PREALLOC_MAX)),
                    key: None,
                    left: n,
                }));
            }
            b'|' => {
                let n = self.count()?;
                let skip = n.checked_mul(2).ok_or_else(|| Problem::malformed("attribute length too large"))?;
                return Ok(Item::Open(Open::Attribute { skip }));
            }
            b'_' => {
                if !self.line()?.is_empty() {
                    return Err(Problem::malformed("null with a payload"));
                }
                Frame::Null
            }
            b'#' => match self.line()? {
                b"t" => Frame::Boolean(true),
                b"f" => Frame::Boolean(false),
                other => return Err(Problem::malformed(format!("bad boolean {:?}", String::from_utf8_lossy(other)))),
            },
            b',' => {
                let line = self.line()?;
                let d = std::str::from_utf8(line)
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                    .ok_or_else(|| Problem::malformed(format!("bad double {:?}", String::from_utf8_lossy(line))))?;
                Frame::Double(d)
            }
            b'(' => {
                let line = self.line()?;
                let digits = match line {
                    [b'-' | b'+', rest @ ..] => rest,
                    _ => line,
                };
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                    return Err(Problem::malformed("bad big number"));
                }
                // All ASCII, checked above.
                Frame::BigNumber(String::from_utf8_lossy(line).into_owned())
            }
            b'=' => {
                let n = self.length()?.ok_or_else(|| Problem::malformed("null verbatim string"))?;
                let body = self.payload(n)?;
                if body.len() < 4 || body[3] != b':' {
                    return Err(Problem::malformed("verbatim string without format"));
                }
                let format =
                    std::str::from_utf8(&body[..3]).map_err(|_| Problem::malformed("verbatim format not UTF-8"))?;
                Frame::Verbatim(format.to_string(), body[4..].to_vec())
            }
            other => {
                return Err(Problem::malformed(format!(
                    "unknown reply type byte 0x{other:02x} at offset {}",
                    self.pos - 1
                )))
            }
        };
        Ok(Item::Done(frame))
    }

    /// A length line: `-1` means null, other negatives are malformed.
    fn length(&mut self) -> Step<Option<usize>> {
        let n = parse_i64(self.line()?)?;
        match n {
            -1 => Ok(None),
            n if n < 0 => Err(Problem::malformed(format!("negative length {n}"))),
            n => usize::try_from(n).map(Some).map_err(|_| Problem::malformed("length too large")),
        }
    }

    /// A count line for a RESP3 aggregate, where null is not allowed.
    fn count(&mut self) -> Step<usize> {
        self.length()?.ok_or_else(|| Problem::malformed("null aggregate length"))
    }
}

/// What [`Cursor::item`] read.
enum Item {
    Done(Frame),
    Open(Open),
}

#[derive(Clone, Copy)]
enum ListKind {
    Array,
    Set,
    Push,
}

/// An aggregate whose elements are still being read.
enum Open {
    List {
        kind: ListKind,
        items: Vec<Frame>,
        left: usize,
    },
    Map {
        pairs: Vec<(Frame, Frame)>,
        key: Option<Frame>,
        left: usize,
    },
    /// `|n`: `skip` more frames to drop, then the frame they annotate.
    Attribute {
        skip: usize,
    },
}

impl Open {
    fn list(kind: ListKind, n: usize) -> Open {
        Open::List { kind, items: Vec::with_capacity(n.min(PREALLOC_MAX)), left: n }
    }

    /// The finished frame of an aggregate with no elements to read.
    fn finish_if_empty(self) -> Result<Frame, Open> {
        match self {
            Open::List { kind, items, left: 0 } => Ok(list_frame(kind, items)),
            Open::Map { pairs, left: 0, .. } => Ok(Frame::Map(pairs)),
            open => Err(open),
        }
    }

    /// Adds a finished child; returns this aggregate's frame once complete.
    fn add(&mut self, child: Frame) -> Option<Frame> {
        match self {
            Open::List { kind, items, left } => {
                items.push(child);
                *left -= 1;
                (*left == 0).then(|| list_frame(*kind, std::mem::take(items)))
            }
            Open::Map { pairs, key, left } => match key.take() {
                None => {
                    *key = Some(child);
                    None
                }
                Some(k) => {
                    pairs.push((k, child));
                    *left -= 1;
                    (*left == 0).then(|| Frame::Map(std::mem::take(pairs)))
                }
            },
            Open::Attribute { skip } => {
                if *skip == 0 {
                    Some(child)
                } else {
                    *skip -= 1;
                    None
                }
            }
        }
    }
}

fn list_frame(kind: ListKind, items: Vec<Frame>) -> Frame {
    match kind {
        ListKind::Array => Frame::Array(items),
        ListKind::Set => Frame::Set(items),
        ListKind::Push => Frame::Push(items),
    }
}

/// A signed decimal integer: optional sign, at least one digit.
fn parse_i64(line: &[u8]) -> Step<i64> {
    std::str::from_utf8(line)
        .ok()
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| Problem::malformed(format!("bad integer {:?}", String::from_utf8_lossy(line))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::Out;

    fn one(input: &[u8]) -> Frame {
        let (frame, used) = parse_frame(input).unwrap().expect("complete frame");
        assert_eq!(used, input.len());
        frame
    }

    fn bulk(s: &str) -> Frame {
        Frame::Bulk(s.as_bytes().to_vec())
    }

    #[test]
    fn resp2_scalars() {
        assert_eq!(one(b"+OK\r\n"), Frame::Simple(b"OK".to_vec()));
        assert_eq!(one(b"-ERR bad\r\n"), Frame::Error(b"ERR bad".to_vec()));
        assert_eq!(one(b":-12\r\n"), Frame::Integer(-12));
        assert_eq!(one(b"$5\r\nhello\r\n"), bulk("hello"));
        assert_eq!(one(b"$0\r\n\r\n"), bulk(""));
        assert_eq!(one(b"$-1\r\n"), Frame::Null);
        assert_eq!(one(b"*-1\r\n"), Frame::NullArray);
    }

    #[test]
    fn binary_bulk() {
        assert_eq!(one(b"$4\r\n\r\n\x00\xff\r\n"), Frame::Bulk(b"\r\n\x00\xff".to_vec()));
    }

    #[test]
    fn nested_arrays() {
        assert_eq!(
            one(b"*2\r\n*1\r\n:1\r\n$1\r\na\r\n"),
            Frame::Array(vec![Frame::Array(vec![Frame::Integer(1)]), bulk("a")])
        );
        assert_eq!(one(b"*0\r\n"), Frame::Array(vec![]));
    }

    #[test]
    fn resp3_types() {
        assert_eq!(one(b"_\r\n"), Frame::Null);
        assert_eq!(one(b"#t\r\n"), Frame::Boolean(true));
        assert_eq!(one(b"#f\r\n"), Frame::Boolean(false));
        assert_eq!(one(b",1.5\r\n"), Frame::Double(1.5));
        assert_eq!(one(b",-inf\r\n"), Frame::Double(f64::NEG_INFINITY));
        assert_eq!(one(b",1e+21\r\n"), Frame::Double(1e21));
        match one(b",nan\r\n") {
            Frame::Double(d) => assert!(d.is_nan()),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            one(b"(3492890328409238509324850943850943825024385\r\n"),
            Frame::BigNumber("3492890328409238509324850943850943825024385".into())
        );
        assert_eq!(one(b"=15\r\ntxt:Some string\r\n"), Frame::Verbatim("txt".into(), b"Some string".to_vec()));
        assert_eq!(
            one(b"%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n"),
            Frame::Map(vec![
                (Frame::Simple(b"a".to_vec()), Frame::Integer(1)),
                (Frame::Simple(b"b".to_vec()), Frame::Integer(2)),
            ])
        );
        assert_eq!(one(b"~2\r\n:1\r\n:2\r\n"), Frame::Set(vec![Frame::Integer(1), Frame::Integer(2)]));
        assert_eq!(one(b">2\r\n$7\r\nmessage\r\n$1\r\nx\r\n"), Frame::Push(vec![bulk("message"), bulk("x")]));
        assert_eq!(one(b"!21\r\nSYNTAX invalid syntax\r\n"), Frame::Error(b"SYNTAX invalid syntax".to_vec()));
    }

    #[test]
    fn attributes_are_skipped() {
        assert_eq!(one(b"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n:7\r\n"), Frame::Integer(7));
    }

    #[test]
    fn incomplete_frames() {
        let full: &[u8] = b"*3\r\n$3\r\nSET\r\n%1\r\n+k\r\n,1.5\r\n=7\r\ntxt:abc\r\n";
        assert!(parse_frame(full).unwrap().is_some());
        for cut in 0..full.len() {
            assert_eq!(parse_frame(&full[..cut]), Ok(None), "cut at {cut}");
        }
    }

    #[test]
    fn trailing_bytes_are_not_consumed() {
        let (frame, used) = parse_frame(b":1\r\n:2\r\n").unwrap().unwrap();
        assert_eq!(frame, Frame::Integer(1));
        assert_eq!(used, 4);
    }

    #[test]
    fn malformed_frames() {
        for bad in [
            &b"?\r\n"[..],
            b":abc\r\n",
            b":\r\n",
            b"$-2\r\n",
            b"$3\r\nabcd\r\n",
            b"*-2\r\n",
            b"~-1\r\n",
            b"#x\r\n",
            b",abc\r\n",
            b"+OK\rX",
            b"=3\r\nabc\r\n",
            b"_x\r\n",
            b"(12a\r\n",
        ] {
            assert!(parse_frame(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn huge_counts_do_not_preallocate() {
        assert_eq!(parse_frame(b"*2147483647\r\n:1\r\n"), Ok(None));
        assert_eq!(parse_frame(b"%9223372036854775807\r\n"), Ok(None));
    }

    #[test]
    fn depth_is_limited() {
        let deep = "*1\r\n".repeat(MAX_DEPTH + 10) + ":1\r\n";
        assert!(parse_frame(deep.as_bytes()).is_err());
        let ok = "*1\r\n".repeat(MAX_DEPTH) + ":1\r\n";
        assert!(parse_frame(ok.as_bytes()).unwrap().is_some());
    }

    #[test]
    fn round_trips_the_encoder() {
        for resp3 in [false, true] {
            let mut o = Out::new(resp3);
            o.array(7);
            o.bulk(b"a");
            o.int(-5);
            o.null();
            o.map(1);
            o.simple(b"k");
            o.double(0.25);
            o.boolean(true);
            o.verbatim("txt", b"hi");
            o.error("ERR x");
            let frame = one(o.as_bytes());
            let expected = if resp3 {
                Frame::Array(vec![
                    bulk("a"),
                    Frame::Integer(-5),
                    Frame::Null,
                    Frame::Map(vec![(Frame::Simple(b"k".to_vec()), Frame::Double(0.25))]),
                    Frame::Boolean(true),
                    Frame::Verbatim("txt".into(), b"hi".to_vec()),
                    Frame::Error(b"ERR x".to_vec()),
                ])
            } else {
                Frame::Array(vec![
                    bulk("a"),
                    Frame::Integer(-5),
                    Frame::Null,
                    Frame::Array(vec![Frame::Simple(b"k".to_vec()), bulk("0.25")]),
                    Frame::Integer(1),
                    bulk("hi"),
                    Frame::Error(b"ERR x".to_vec()),
                ])
            };
            assert_eq!(frame, expected, "resp3={resp3}");
        }
    }
}
