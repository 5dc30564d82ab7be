//! The append-only file: Redis 7 multi-part layout (manifest, base and
//! incremental files). This module is the pure format: encoding commands as
//! RESP arrays, reading them back strictly (with byte offsets, to tell a torn
//! tail from garbage), and the manifest's text form. It never touches the
//! file system; the server's `aof.rs` decides what is written where and when.

use bytes::Bytes;

/// Longest manifest line Redis accepts (AOF_MANIFEST_MAX_LINE).
pub const MANIFEST_MAX_LINE: usize = 1024;

/// Appends `argv` as a RESP array of bulk strings, the only form an AOF holds.
pub fn encode_command<A: AsRef<[u8]>>(out: &mut Vec<u8>, argv: &[A]) {
    out.push(b'*');
    push_num(out, argv.len());
    for a in argv {
        let a = a.as_ref();
        out.push(b'$');
        push_num(out, a.len());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

fn push_num(out: &mut Vec<u8>, n: usize) {
    let mut buf = itoa_buf(n);
    out.append(&mut buf);
    out.extend_from_slice(b"\r\n");
}

fn itoa_buf(n: usize) -> Vec<u8> {
    n.to_string().into_bytes()
}

/// Why reading stopped before the end of the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The data ends inside a command: a torn tail. `valid_up_to` is the
    /// offset just past the last complete command.
    Truncated { valid_up_to: u64 },
    /// Bytes that are not an AOF command at `offset` (Redis's "Bad file format").
    BadFormat { offset: u64 },
}

/// Largest argument count and bulk length the reader accepts. Redis's loader
/// takes any size a file holds; these bounds only stop a corrupt header from
/// asking for more memory than the file could back (a length past the end of
/// the data is a torn tail anyway).
const MAX_ARGC: u64 = i32::MAX as u64;

/// A strict reader of RESP commands from an in-memory file image: `*N`,
/// then N `$len` bulk strings, each followed by CRLF. `#` lines (Redis's
/// `#TS:` annotations) are skipped. Anything else is [`ReadError::BadFormat`].
pub struct Reader {
    data: Bytes,
    pos: usize,
}

impl Reader {
    /// Reads from the whole of `data`.
    pub fn new(data: Bytes) -> Reader {
        Reader { data, pos: 0 }
    }

    /// Reads from `data` starting at `pos` (after an RDB preamble).
    pub fn starting_at(data: Bytes, pos: usize) -> Reader {
        Reader { pos: pos.min(data.len()), data }
    }

    /// Offset just past the last command returned.
    pub fn offset(&self) -> u64 {
        self.pos as u64
    }

    /// The next command, `Ok(None)` at a clean end of data.
    ///
    /// # Errors
    /// A torn tail or bytes that are not a command; the reader stays at the
    /// start of the failing command.
    pub fn next_command(&mut self) -> Result<Option<Vec<Bytes>>, ReadError> {
        loop {
            if self.pos >= self.data.len() {
                return Ok(None);
            }
            if self.data[self.pos] == b'#' {
                // An annotation: skip the line (a torn one is a torn tail).
                match find_crlf(&self.data, self.pos) {
                    Some(end) => {
                        self.pos = end + 2;
                        continue;
                    }
                    None => return Err(ReadError::Truncated { valid_up_to: self.pos as u64 }),
                }
            }
            break;
        }
        let start = self.pos;
        let trunc = ReadError::Truncated { valid_up_to: start as u64 };
        let bad = |at: usize| ReadError::BadFormat { offset: at as u64 };
        if self.data[start] != b'*' {
            return Err(bad(start));
        }
        let (argc, mut p) = match read_len(&self.data, start + 1) {
            Line::Num(n, next) => (n, next),
            Line::Short => return Err(trunc),
            Line::Bad => return Err(bad(start)),
        };
        if !(1..=MAX_ARGC).contains(&argc) {
            return Err(bad(start));
        }
        let mut argv = Vec::with_capacity((argc as usize).min(1024));
        for _ in 0..argc {
            if p >= self.data.len() {
                return Err(trunc);
            }
            if self.data[p] != b'$' {
                return Err(bad(p));
            }
            let (len, next) = match read_len(&self.data, p + 1) {
                Line::Num(n, next) => (n, next),
                Line::Short => return Err(trunc),
                Line::Bad => return Err(bad(p)),
            };
            let end = next as u64 + len;
            if end + 2 > self.data.len() as u64 {
                return Err(trunc);
            }
            let end = end as usize;
            if &self.data[end..end + 2] != b"\r\n" {
                return Err(bad(end));
            }
            argv.push(self.data.slice(next..end));
            p = end + 2;
        }
        self.pos = p;
        Ok(Some(argv))
    }
}

enum Line {
    Num(u64, usize),
    Short,
    Bad,
}

/// Reads the decimal number of a `*N` / `$N` header starting at `at` (after
/// the type byte) up to its CRLF.
fn read_len(data: &[u8], at: usize) -> Line {
    let Some(end) = find_crlf(data, at) else {
        // No line end yet: torn if what is there could still become a number.
        let rest = &data[at.min(data.len())..];
        let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
        return if rest.len() <= 20 && rest.iter().all(u8::is_ascii_digit) { Line::Short } else { Line::Bad };
    };
    let digits = &data[at..end];
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return Line::Bad;
    }
    let n = std::str::from_utf8(digits).ok().and_then(|s| s.parse().ok());
    match n {
        Some(n) => Line::Num(n, end + 2),
        None => Line::Bad,
    }
}

fn find_crlf(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < data.len() {
        match data[i..].iter().position(|&c| c == b'\r') {
            Some(off) => {
                let j = i + off;
                if j + 1 < data.len() && data[j + 1] == b'\n' {
                    return Some(j);
                }
                i = j + 1;
            }
            None => return None,
        }
    }
    None
}

/// A file's role in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// The base: a full image (RDB or AOF form).
    Base,
    /// A file kept only until it is deleted after a rewrite.
    History,
    /// An incremental file of commands.
    Incr,
}

impl FileType {
    fn letter(self) -> char {
        match self {
            FileType::Base => 'b',
            FileType::History => 'h',
            FileType::Incr => 'i',
        }
    }
}

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AofFile {
    pub name: String,
    pub seq: u64,
    pub kind: FileType,
}

/// The manifest: which files make up the AOF, in load order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub base: Option<AofFile>,
    pub incrs: Vec<AofFile>,
    pub history: Vec<AofFile>,
}

impl Manifest {
    /// Parses the manifest text with Redis 7.0's rules. The error is the
    /// message Redis logs before refusing to start.
    ///
    /// # Errors
    /// Blank or malformed lines, a line over 1024 bytes, a duplicate base,
    /// an unknown type, non-increasing incr sequence numbers, an empty file.
    pub fn parse(text: &[u8]) -> Result<Manifest, String> {
        let mut m = Manifest::default();
        let mut lines = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let (line, next) = match rest.iter().position(|&c| c == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            if line.len() >= MANIFEST_MAX_LINE {
                return Err("The AOF manifest file contains too long line".into());
            }
            if line.first() == Some(&b'#') {
                continue;
            }
            let args = split_args(line).ok_or("Invalid AOF manifest file format")?;
            if args.len() < 6 || args.len() % 2 != 0 {
                return Err("Invalid AOF manifest file format".into());
            }
            let (mut name, mut seq, mut kind) = (None, None, None);
            for kv in args.chunks(2) {
                match kv[0].as_slice() {
                    b"file" => name = Some(String::from_utf8_lossy(&kv[1]).into_owned()),
                    b"seq" => seq = std::str::from_utf8(&kv[1]).ok().and_then(|s| s.parse::<u64>().ok()),
                    b"type" => kind = kv[1].first().copied(),
                    // Unknown keys are for later versions; Redis ignores them too.
                    _ => {}
                }
            }
            let (Some(name), Some(seq), Some(kind)) = (name, seq, kind) else {
                return Err("Invalid AOF manifest file format".into());
            };
            let kind = match kind {
                b'b' => FileType::Base,
                b'h' => FileType::History,
                b'i' => FileType::Incr,
                _ => return Err("Unknown AOF file type".into()),
            };
            let f = AofFile { name, seq, kind };
            match kind {
                FileType::Base => {
                    if m.base.is_some() {
                        return Err("Found duplicate base file information".into());
                    }
                    m.base = Some(f);
                }
                FileType::History => m.history.push(f),
                FileType::Incr => {
                    if m.incrs.last().is_some_and(|l| l.seq >= seq) {
                        return Err("Found a non-monotonic sequence number".into());
                    }
                    m.incrs.push(f);
                }
            }
            lines += 1;
        }
        if lines == 0 {
            return Err("Found an empty AOF manifest".into());
        }
        Ok(m)
    }

    /// The manifest's text, base first, then history, then incr files.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for f in self.base.iter().chain(&self.history).chain(&self.incrs) {
            s.push_str(&format!("file {} seq {} type {}\n", quote_name(&f.name), f.seq, f.kind.letter()));
        }
        s
    }

    /// Files to load, in order: the base, then the incr files.
    pub fn load_order(&self) -> Vec<&AofFile> {
        self.base.iter().chain(&self.incrs).collect()
    }
}

/// A file name as the manifest writes it: bare, or quoted when it holds
/// spaces, quotes or unprintable bytes (Redis's sdscatrepr).
fn quote_name(name: &str) -> String {
    if !name.is_empty() && name.bytes().all(|c| c.is_ascii_graphic() && c != b'"' && c != b'\'' && c != b'\\') {
        return name.to_string();
    }
    let mut s = String::from("\"");
    for c in name.bytes() {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            c if c.is_ascii_graphic() || c == b' ' => s.push(c as char),
            c => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push('"');
    s
}

/// Splits a line like Redis's sdssplitargs: words separated by spaces,
/// double quotes with escapes, single quotes. None on unbalanced quotes.
fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < line.len() && line[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= line.len() {
            return Some(out);
        }
        let mut cur = Vec::new();
        if line[i] == b'"' {
            i += 1;
            loop {
                let c = *line.get(i)?;
                match c {
                    b'"' => {
                        i += 1;
                        if i < line.len() && !line[i].is_ascii_whitespace() {
                            return None;
                        }
                        break;
                    }
                    b'\\' => {
                        let e = *line.get(i + 1)?;
                        i += 2;
                        match e {
                            b'n' => cur.push(b'\n'),
                            b'r' => cur.push(b'\r'),
                            b't' => cur.push(b'\t'),
                            b'b' => cur.push(8),
                            b'a' => cur.push(7),
                            b'x' if i + 1 < line.len()
                                && line[i].is_ascii_hexdigit()
                                && line[i + 1].is_ascii_hexdigit() =>
                            {
                                let h = std::str::from_utf8(&line[i..i + 2]).ok()?;
                                cur.push(u8::from_str_radix(h, 16).ok()?);
                                i += 2;
                            }
                            e => cur.push(e),
                        }
                    }
                    c => {
                        cur.push(c);
                        i += 1;
                    }
                }
            }
        } else if line[i] == b'\'' {
            i += 1;
            loop {
                let c = *line.get(i)?;
                i += 1;
                if c == b'\'' {
                    if i < line.len() && !line[i].is_ascii_whitespace() {
                        return None;
                    }
                    break;
                }
                cur.push(c);
            }
        } else {
            while i < line.len() && !line[i].is_ascii_whitespace() {
                cur.push(line[i]);
                i += 1;
            }
        }
        out.push(cur);
    }
}

/// True when a base file holds an RDB image (an RDB preamble) rather than commands.
pub fn is_rdb(data: &[u8]) -> bool {
    data.starts_with(b"REDIS")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(data: &[u8]) -> (Vec<Vec<Vec<u8>>>, Option<ReadError>) {
        let mut r = Reader::new(Bytes::copy_from_slice(data));
        let mut v = Vec::new();
        loop {
            match r.next_command() {
                Ok(Some(a)) => v.push(a.iter().map(|b| b.to_vec()).collect()),
                Ok(None) => return (v, None),
                Err(e) => return (v, Some(e)),
            }
        }
    }

    #[test]
    fn encodes_and_reads_back() {
        let mut out = Vec::new();
        encode_command(&mut out, &[&b"SET"[..], b"k", b"a\r\nb"]);
        encode_command(&mut out, &[&b"DEL"[..], b""]);
        assert_eq!(&out[..20], b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n");
        let (v, e) = cmds(&out);
        assert_eq!(e, None);
        assert_eq!(v, vec![vec![b"SET".to_vec(), b"k".to_vec(), b"a\r\nb".to_vec()], vec![b"DEL".to_vec(), vec![]]]);
    }

    #[test]
    fn every_prefix_of_a_command_is_a_torn_tail() {
        let mut out = Vec::new();
        encode_command(&mut out, &[&b"INCR"[..], b"foo"]);
        let first = out.len();
        encode_command(&mut out, &[&b"INCR"[..], b"foo"]);
        for cut in first + 1..out.len() {
            let (v, e) = cmds(&out[..cut]);
            assert_eq!(v.len(), 1, "cut at {cut}");
            assert_eq!(e, Some(ReadError::Truncated { valid_up_to: first as u64 }), "cut at {cut}");
        }
    }

    #[test]
    fn garbage_is_bad_format_with_its_offset() {
        let mut out = Vec::new();
        encode_command(&mut out, &[&b"SET"[..], b"k", b"v"]);
        let at = out.len();
        out.extend_from_slice(b"!!!\r\n");
        encode_command(&mut out, &[&b"SET"[..], b"k", b"v"]);
        let (v, e) = cmds(&out);
        assert_eq!(v.len(), 1);
        assert_eq!(e, Some(ReadError::BadFormat { offset: at as u64 }));
        assert_eq!(cmds(b"*0\r\n").1, Some(ReadError::BadFormat { offset: 0 }));
        assert_eq!(cmds(b"*1\r\n$1\r\nab\r\n").1, Some(ReadError::BadFormat { offset: 9 }));
        assert_eq!(cmds(b"*x\r\n").1, Some(ReadError::BadFormat { offset: 0 }));
    }

    #[test]
    fn annotations_are_skipped() {
        let (v, e) = cmds(b"#TS:1700000000\r\n*1\r\n$4\r\nPING\r\n");
        assert_eq!(e, None);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn manifest_round_trip_and_errors() {
        let text = b"file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n";
        let m = Manifest::parse(text).unwrap();
        assert_eq!(m.base.as_ref().unwrap().name, "appendonly.aof.1.base.rdb");
        assert_eq!(m.incrs.len(), 1);
        assert_eq!(m.to_text().as_bytes(), text);
        let err = |t: &[u8]| Manifest::parse(t).unwrap_err();
        assert_eq!(err(b""), "Found an empty AOF manifest");
        assert_eq!(err(b"\n"), "Invalid AOF manifest file format");
        assert_eq!(err(b"file a seq 1 type x\n"), "Unknown AOF file type");
        assert_eq!(err(b"file a seq 1\n"), "Invalid AOF manifest file format");
        assert_eq!(err(b"file a seq 1 type b\nfile b seq 2 type b\n"), "Found duplicate base file information");
        assert_eq!(err(b"file a seq 2 type i\nfile b seq 1 type i\n"), "Found a non-monotonic sequence number");
        assert_eq!(err(b"file a seq 1 typo i\n"), "Invalid AOF manifest file format");
        let long = format!("file {} seq 1 type i\n", "a".repeat(1100));
        assert_eq!(err(long.as_bytes()), "The AOF manifest file contains too long line");
        let q = Manifest {
            base: None,
            incrs: vec![AofFile { name: "a b.aof".into(), seq: 3, kind: FileType::Incr }],
            history: vec![],
        };
        assert_eq!(Manifest::parse(q.to_text().as_bytes()).unwrap(), q);
    }
}
