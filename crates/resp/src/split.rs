//! Redis's quoted-argument splitter (`sdssplitargs`): turns one text line of
//! an inline request, a redis.conf line or a `redis-cli`-style command into
//! arguments. It is not the RESP multibulk parser and knows nothing of
//! commands or configuration directives.
//!
//! The rules, matched byte for byte against Redis 7:
//!
//! * Arguments are separated by runs of C `isspace` bytes (space, `\t`, `\n`,
//!   `\v`, `\f`, `\r`). Inside an unquoted argument only space, `\t`, `\n`
//!   and `\r` end it, so a `\v` or `\f` there is kept as part of the argument.
//! * A `"` or `'` anywhere in an unquoted argument opens a quoted section that
//!   is glued to what came before: `ab"c d"` is the single argument `abc d`.
//! * In double quotes: `\xHH` (two hex digits, either case) is that byte;
//!   `\n` `\r` `\t` `\b` `\a` are the usual control bytes; `\` before any
//!   other byte is that byte (`\"`, `\\`, `\q` -> `q`). A `\x` not followed by
//!   two hex digits is just `x`.
//! * In single quotes only `\'` is an escape; every other byte, including
//!   `\`, is literal.
//! * A closing quote must be followed by whitespace or the end of the line,
//!   otherwise the line is unbalanced (`"a"b`). An unterminated quote is
//!   unbalanced too.
//! * The line is a C string to Redis: a NUL byte ends it. The same holds
//!   here, so everything from the first `\0` on is ignored.

/// Splits `line` into arguments with Redis's `sdssplitargs` rules (see the
/// module documentation for the full grammar).
///
/// Returns `Some(args)` on success, `Some(vec![])` for an empty or
/// whitespace-only line, and `None` when quotes are unbalanced: an
/// unterminated quoted section, or a closing quote followed by something
/// other than whitespace or the end of the line.
///
/// ```
/// use resp::split_args;
/// assert_eq!(
///     split_args(b"set \"a b\" 'it\\'s'"),
///     Some(vec![b"set".to_vec(), b"a b".to_vec(), b"it's".to_vec()])
/// );
/// assert_eq!(split_args(b"\"a\"b"), None);
/// ```
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    // Redis sees a C string: the first NUL is the end of the line.
    let line = match line.iter().position(|&b| b == 0) {
        Some(nul) => &line[..nul],
        None => line,
    };
    let at = |i: usize| -> u8 { line.get(i).copied().unwrap_or(0) };

    let mut args = Vec::new();
    let mut p = 0usize;
    loop {
        while p < line.len() && is_c_space(line[p]) {
            p += 1;
        }
        if p >= line.len() {
            return Some(args);
        }

        let mut current = Vec::new();
        let mut quote = Quote::None;
        loop {
            let c = at(p);
            match quote {
                Quote::Double => {
                    if c == b'\\' && at(p + 1) == b'x' && is_hex(at(p + 2)) && is_hex(at(p + 3)) {
                        current.push(hex_value(at(p + 2)) * 16 + hex_value(at(p + 3)));
                        p += 4;
                    } else if c == b'\\' && p + 1 < line.len() {
                        current.push(match line[p + 1] {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => 0x08,
                            b'a' => 0x07,
                            other => other,
                        });
                        p += 2;
                    } else if c == b'"' {
                        if p + 1 < line.len() && !is_c_space(line[p + 1]) {
                            return None;
                        }
                        p += 1;
                        break;
                    } else if p >= line.len() {
                        return None;
                    } else {
                        current.push(c);
                        p += 1;
                    }
                }
                Quote::Single => {
                    if c == b'\\' && at(p + 1) == b'\'' {
                        current.push(b'\'');
                        p += 2;
                    } else if c == b'\'' {
                        if p + 1 < line.len() && !is_c_space(line[p + 1]) {
                            return None;
                        }
                        p += 1;
                        break;
                    } else if p >= line.len() {
                        return None;
                    } else {
                        current.push(c);
                        p += 1;
                    }
                }
                Quote::None => {
                    if p >= line.len() {
                        break;
                    }
                    match c {
                        // Deliberately narrower than `is_c_space`: Redis ends
                        // an unquoted argument only on these four bytes.
                        b' ' | b'\n' | b'\r' | b'\t' => {
                            p += 1;
                            break;
                        }
                        b'"' => quote = Quote::Double,
                        b'\'' => quote = Quote::Single,
                        _ => current.push(c),
                    }
                    p += 1;
                }
            }
        }
        args.push(current);
    }
}

/// Which kind of quoted section the splitter is inside.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Double,
    Single,
}

/// C `isspace` in the "C" locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Value of one hex digit; only called after `is_hex`.
fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::split_args;

    fn ok(line: &[u8]) -> Vec<Vec<u8>> {
        split_args(line).unwrap_or_else(|| panic!("unbalanced: {:?}", String::from_utf8_lossy(line)))
    }

    fn v(items: &[&[u8]]) -> Vec<Vec<u8>> {
        items.iter().map(|s| s.to_vec()).collect()
    }

    #[test]
    fn empty_and_blank_lines_give_no_arguments() {
        assert_eq!(ok(b""), v(&[]));
        assert_eq!(ok(b"   "), v(&[]));
        assert_eq!(ok(b" \t\r\n\x0b\x0c "), v(&[]));
    }

    #[test]
    fn plain_words_split_on_whitespace() {
        assert_eq!(ok(b"set foo bar"), v(&[b"set", b"foo", b"bar"]));
        assert_eq!(ok(b"  set\tfoo \r\n bar  "), v(&[b"set", b"foo", b"bar"]));
        assert_eq!(ok(b"one"), v(&[b"one"]));
    }

    #[test]
    fn vertical_tab_and_form_feed_separate_only_between_arguments() {
        // Leading \v / \f are skipped as blanks (isspace), but inside an
        // unquoted argument they are ordinary bytes.
        assert_eq!(ok(b"\x0ba\x0bb"), v(&[b"a\x0bb"]));
        assert_eq!(ok(b"a \x0cb"), v(&[b"a", b"b"]));
        assert_eq!(ok(b"a\x0c"), v(&[b"a\x0c"]));
    }

    #[test]
    fn double_quoted_argument_keeps_spaces() {
        assert_eq!(ok(b"set \"a b\" c"), v(&[b"set", b"a b", b"c"]));
        assert_eq!(ok(b"\"\""), v(&[b""]));
        assert_eq!(ok(b"save \"\""), v(&[b"save", b""]));
    }

    #[test]
    fn double_quote_escapes() {
        assert_eq!(ok(br#""\x41""#), v(&[b"A"]));
        assert_eq!(ok(br#""\x4a\x4A""#), v(&[b"JJ"]));
        assert_eq!(ok(br#""\x00\xff""#), v(&[b"\x00\xff"]));
        assert_eq!(ok(br#""\n\r\t\b\a""#), v(&[b"\n\r\t\x08\x07"]));
        assert_eq!(ok(br#""a\"b""#), v(&[b"a\"b"]));
        assert_eq!(ok(br#""a\\b""#), v(&[b"a\\b"]));
        assert_eq!(ok(br#""\q\'\ ""#), v(&[b"q' "]));
    }

    #[test]
    fn bad_hex_escape_is_a_plain_x() {
        assert_eq!(ok(br#""\x4""#), v(&[b"x4"]));
        assert_eq!(ok(br#""\xg1""#), v(&[b"xg1"]));
        assert_eq!(ok(br#""\x""#), v(&[b"x"]));
    }

    #[test]
    fn single_quotes_only_escape_the_single_quote() {
        assert_eq!(ok(br"'a\'b'"), v(&[b"a'b"]));
        assert_eq!(ok(br"'a\nb'"), v(&[b"a\\nb"]));
        assert_eq!(ok(br"'a\\b'"), v(&[b"a\\\\b"]));
        assert_eq!(ok(br#"'say "hi"'"#), v(&[b"say \"hi\""]));
        assert_eq!(ok(b"''"), v(&[b""]));
    }

    #[test]
    fn quote_inside_an_unquoted_word_glues_on() {
        assert_eq!(ok(b"ab\"c d\""), v(&[b"abc d"]));
        assert_eq!(ok(b"ab'c d' e"), v(&[b"abc d", b"e"]));
    }

    #[test]
    fn closing_quote_must_be_followed_by_space_or_end() {
        assert_eq!(split_args(b"\"a\"b"), None);
        assert_eq!(split_args(b"'a'b"), None);
        assert_eq!(split_args(b"set \"\"\"test-key\"\"\" test-value"), None);
        assert_eq!(ok(b"\"a\"\x0bb"), v(&[b"a", b"b"]));
        assert_eq!(ok(b"\"a\"\tb"), v(&[b"a", b"b"]));
    }

    #[test]
    fn unterminated_quotes_are_unbalanced() {
        assert_eq!(split_args(b"\"abc"), None);
        assert_eq!(split_args(b"'abc"), None);
        assert_eq!(split_args(b"set \"a"), None);
        assert_eq!(split_args(b"\"abc\\\""), None);
        assert_eq!(split_args(b"\"abc\\"), None);
        assert_eq!(split_args(b"'abc\\'"), None);
    }

    #[test]
    fn nul_ends_the_line() {
        assert_eq!(ok(b"a b\0c d"), v(&[b"a", b"b"]));
        assert_eq!(ok(b"ab\0"), v(&[b"ab"]));
        assert_eq!(split_args(b"\"ab\0\""), None);
        assert_eq!(ok(b"\"ab\"\0x"), v(&[b"ab"]));
    }

    #[test]
    fn non_ascii_bytes_pass_through() {
        assert_eq!(ok("héllo wörld".as_bytes()), v(&["héllo".as_bytes(), "wörld".as_bytes()]));
        assert_eq!(ok(b"\xff\xfe"), v(&[b"\xff\xfe"]));
    }

    #[test]
    fn config_style_lines() {
        assert_eq!(ok(b"bind 127.0.0.1 ::1"), v(&[b"bind", b"127.0.0.1", b"::1"]));
        assert_eq!(
            ok(b"user default on nopass ~* &* +@all"),
            v(&[b"user", b"default", b"on", b"nopass", b"~*", b"&*", b"+@all"])
        );
    }
}
