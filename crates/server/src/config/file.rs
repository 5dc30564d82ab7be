//! Reading configuration *text* the way redis-server does: redis.conf files
//! (with `include`), config text from stdin, the `--name value` command
//! line, and the value syntaxes they share (memory amounts, yes/no). It
//! turns text into [`Directive`]s; it does not know which directives exist
//! or validate their arguments — that is `config/mod.rs`.
//!
//! Line rules (Redis 7 `loadServerConfigFromString`): the text is split on
//! `\n`; each line is trimmed of space, `\t`, `\r` and `\n`; lines that are
//! then empty or start with `#` are skipped; the rest are split with
//! [`resp::split_args`] and the first word, ASCII-lowercased, is the
//! directive name. `include <path>` is replaced, in place, by the
//! directives of that file.

use std::path::{Path, PathBuf};

/// The Redis version named in fatal config errors, as redis-server prints it.
const REDIS_VERSION: &str = "7.0.15";

/// How deep `include` may nest. Redis has no limit (an include loop
/// exhausts its stack); a loop here is reported as an error instead. No
/// real configuration comes close to this.
const MAX_INCLUDE_DEPTH: usize = 16;

/// The label used in origins and errors for directives from the command line.
pub const COMMAND_LINE_ORIGIN: &str = "(command line)";

/// One configuration line, split and ready to apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The first word, ASCII-lowercased (invalid UTF-8 replaced by U+FFFD).
    pub name: String,
    /// The remaining words, unescaped, binary-safe.
    pub args: Vec<Vec<u8>>,
    /// Where it came from, as `path:line` (1-based line), `stdin:line` or
    /// `(command line):line`; for error messages.
    pub origin: String,
}

/// What redis-server's arguments ask for: see [`parse_argv`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// The config file, if the first argument does not start with `-`.
    pub config_path: Option<String>,
    /// A lone `-` as the first or last argument: also read config from
    /// stdin (after the file, before the command-line directives).
    pub config_from_stdin: bool,
    /// The `--name value ...` options, in order, includes already followed.
    pub directives: Vec<Directive>,
}

/// Reads the config file at `path`, following `include` directives
/// (recursively, at most 16 levels, relative paths resolved against the
/// process's current directory as Redis does).
///
/// A path containing `*`, `?` or `[` is expanded like Redis's `glob(3)` call
/// (every component may hold wildcards, matched with Redis glob rules; a
/// leading `.` in a name must be matched explicitly); the matching files
/// are read in sorted order, and no match at all is not an error (so
/// `include /etc/redis/conf.d/*.conf` may match nothing). Unlike Redis,
/// matched files are parsed one at a time, so a file without a final
/// newline does not run into the next one and line numbers stay per file.
///
/// # Errors
///
/// A file that cannot be read: `Fatal error, can't open config file
/// '<path>': <reason>`, plus where it was included from. A line with
/// unbalanced quotes, or an `include` without exactly one argument: Redis's
/// fatal block, naming the file and line (see [`fatal_error`]).
pub fn read_config_file(path: &Path) -> Result<Vec<Directive>, String> {
    let mut out = Vec::new();
    read_path(path, 0, None, &mut out)?;
    Ok(out)
}

/// Parses config text (a test fixture, or what was read from stdin for
/// `redis-server -`) with the same rules as [`read_config_file`]; `origin`
/// names the source in [`Directive::origin`] and errors (e.g. `"stdin"`).
/// `include` lines in it read files.
///
/// # Errors
///
/// As for [`read_config_file`].
pub fn parse_config_text(text: &[u8], origin: &str) -> Result<Vec<Directive>, String> {
    let mut out = Vec::new();
    parse_text(text, origin, 0, &mut out)?;
    Ok(out)
}

/// Turns the redis-server options that follow the optional config path into
/// directives: `--port 7000 --save "" --bind 127.0.0.1 ::1` gives `[port
/// 7000]`, `[save ""]`, `[bind 127.0.0.1 ::1]`.
///
/// Redis 7's rules, reproduced exactly:
/// * `--name` starts a new directive and the words after it are its
///   arguments, but only once the previous directive has at least one
///   argument: right after a bare `--name`, the next word is its argument
///   even if it starts with `--` (`--masterauth --secret`).
/// * Exceptions kept from before 7.0: `--save` directly followed by another
///   `--option`, or last, gets the argument `""`; `--sentinel` directly
///   followed by another `--option`, or last, gets no argument.
/// * One argv word may hold a whole line: `"--port 7000"` is `[port 7000]`,
///   because the name part is pasted into the config text unquoted while
///   arguments are quoted. So an empty argument stays an empty argument,
///   and `--#x` comments itself out, as in Redis.
/// * A lone `-` as the first or last word means "also read stdin"; it is
///   skipped here (use [`parse_argv`] to learn about it).
///
/// # Errors
///
/// Unbalanced quotes inside an option name word, a bad `include`, or an
/// unreadable included file, formatted as by [`parse_config_text`] with the
/// origin `(command line)` and the line counted among the options.
pub fn parse_command_line(args: &[String]) -> Result<Vec<Directive>, String> {
    let (directives, _) = parse_options(args, true)?;
    Ok(directives)
}

/// Interprets redis-server's whole argument list (everything after the
/// program name): an optional config path first (any first word not
/// starting with `-`), then the options as in [`parse_command_line`], and
/// the stdin marker `-` (first or last word). `-v`, `--version`, `-h`,
/// `--help`, `--test-memory` and `--check-system` are the caller's to
/// handle before calling this.
///
/// # Errors
///
/// As for [`parse_command_line`].
pub fn parse_argv(args: &[String]) -> Result<CommandLine, String> {
    let (config_path, rest, first_is_argv1) = match args.first() {
        Some(first) if !first.starts_with('-') => (Some(first.clone()), &args[1..], false),
        _ => (None, args, true),
    };
    let (directives, config_from_stdin) = parse_options(rest, first_is_argv1)?;
    Ok(CommandLine { config_path, config_from_stdin, directives })
}

/// Parses a memory amount the way redis.conf and CONFIG SET take them
/// (Redis 7 `memtoull`): ASCII digits, then an optional case-insensitive
/// unit: `b` (1), `k` (1000), `kb` (1024), `m` (10^6), `mb` (2^20), `g`
/// (10^9), `gb` (2^30). `"1gb"` and `"1GB"` are 1073741824, `"100k"` is
/// 100000.
///
/// Returns `None` for anything else: a sign (Redis 7 rejects negative
/// memory values everywhere, and `+` too), spaces, an unknown unit, 128 or
/// more digits, or a value above `i64::MAX` (where Redis would wrap). Like
/// Redis, no digits at all reads as 0: `""` and `"kb"` are `Some(0)`.
pub fn parse_memory(s: &[u8]) -> Option<i64> {
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let unit = &s[digits..];
    let mul: u64 = match unit.to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    // Redis copies the digits into a 128-byte buffer and gives up beyond.
    if digits >= 128 {
        return None;
    }
    let mut value: u64 = 0;
    for &d in &s[..digits] {
        value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    i64::try_from(value.checked_mul(mul)?).ok()
}

/// `yes` -> `Some(true)`, `no` -> `Some(false)`, ASCII case-insensitive;
/// anything else (including surrounding spaces) is `None`.
pub fn parse_yes_no(s: &[u8]) -> Option<bool> {
    if s.eq_ignore_ascii_case(b"yes") {
        Some(true)
    } else if s.eq_ignore_ascii_case(b"no") {
        Some(false)
    } else {
        None
    }
}

/// Formats Redis's fatal configuration error for a directive that parsed
/// but was rejected (unknown name, wrong arity, bad value), e.g.
///
/// ```text
/// *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
/// Reading the configuration file, at line 3 of /etc/redis.conf
/// >>> 'port "abc"'
/// argument couldn't be parsed into an integer
/// ```
///
/// The quoted line is rebuilt from the directive (arguments that need it
/// are quoted), so it may differ in spacing and quoting from the original.
/// Print it to stderr and exit with status 1, as redis-server does.
pub fn fatal_error(directive: &Directive, err: &str) -> String {
    let mut line = directive.name.clone();
    for arg in &directive.args {
        line.push(' ');
        line.push_str(&display_arg(arg));
    }
    let (label, number) = split_origin(&directive.origin);
    format_fatal(label, number, &line, err)
}

/// Splits `"path:line"` at its last colon.
fn split_origin(origin: &str) -> (&str, usize) {
    match origin.rsplit_once(':') {
        Some((label, n)) => match n.parse() {
            Ok(n) => (label, n),
            Err(_) => (origin, 0),
        },
        None => (origin, 0),
    }
}

/// Redis's fatal block, with the source named after the line number.
fn format_fatal(label: &str, line_number: usize, line: &str, err: &str) -> String {
    format!(
        "*** FATAL CONFIG FILE ERROR (Redis {REDIS_VERSION}) ***\n\
         Reading the configuration file, at line {line_number} of {label}\n\
         >>> '{line}'\n\
         {err}"
    )
}

/// An argument as it could be written back into a config line: bare if
/// that splits back to the same bytes, otherwise double-quoted and escaped.
fn display_arg(arg: &[u8]) -> String {
    let bare_ok = !arg.is_empty() && arg.iter().all(|&b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
    if bare_ok {
        String::from_utf8_lossy(arg).into_owned()
    } else {
        String::from_utf8_lossy(&quote_repr(arg)).into_owned()
    }
}

/// Redis's `sdscatrepr`: `"..."` with `\\`, `\"`, `\n`, `\r`, `\t`, `\a`,
/// `\b` and `\xHH` for other non-printable bytes. [`resp::split_args`]
/// turns it back into exactly `bytes`.
fn quote_repr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'"');
    for &b in bytes {
        match b {
            b'\\' | b'"' => out.extend_from_slice(&[b'\\', b]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    out.push(b'"');
    out
}

/// Builds the option text exactly as redis-server's `main` does (names
/// pasted raw, arguments through `sdscatrepr`) and parses it. Returns the
/// directives and whether a stdin marker was seen. `first_is_argv1`: the
/// first word is argv[1] (no config path before it), where `-` also means
/// stdin.
fn parse_options(args: &[String], first_is_argv1: bool) -> Result<(Vec<Directive>, bool), String> {
    let mut options: Vec<u8> = Vec::new();
    let mut from_stdin = false;
    // "The previous directive already has an argument": only then does a
    // `--word` start a new directive.
    let mut handled_last = true;
    let last = args.len().saturating_sub(1);
    for (j, arg) in args.iter().enumerate() {
        let a = arg.as_bytes();
        let next_is_option = j != last && args[j + 1].starts_with("--");
        if a == b"-" && ((j == 0 && first_is_argv1) || j == last) {
            from_stdin = true;
        } else if handled_last && a.starts_with(b"--") {
            if !options.is_empty() {
                options.push(b'\n');
            }
            options.extend_from_slice(&a[2..]);
            options.push(b' ');
            // Redis splits the whole word, dashes included, to see whether
            // it carried its own value ("--port 6380"); unbalanced counts
            // as "has a value" and fails when the text is parsed.
            let words = resp::split_args(a).map_or(0, |w| w.len());
            if words == 1 {
                handled_last = false;
                if a.eq_ignore_ascii_case(b"--save") && (next_is_option || j == last) {
                    options.extend_from_slice(b"\"\"");
                    handled_last = next_is_option;
                } else if a.eq_ignore_ascii_case(b"--sentinel") && next_is_option {
                    handled_last = true;
                }
            } else {
                handled_last = true;
            }
        } else {
            options.extend_from_slice(&quote_repr(a));
            options.push(b' ');
            handled_last = true;
        }
    }
    let mut out = Vec::new();
    parse_text(&options, COMMAND_LINE_ORIGIN, 0, &mut out)?;
    Ok((out, from_stdin))
}

/// Parses config `text` labelled `label` into `out`, expanding includes at
/// nesting `depth`.
fn parse_text(text: &[u8], label: &str, depth: usize, out: &mut Vec<Directive>) -> Result<(), String> {
    for (index, raw) in text.split(|&b| b == b'\n').enumerate() {
        let line_number = index + 1;
        // Redis accumulates the file through C strings: a NUL ends the line.
        let raw = match raw.iter().position(|&b| b == 0) {
            Some(nul) => &raw[..nul],
            None => raw,
        };
        let line = trim(raw);
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let shown = || String::from_utf8_lossy(line).into_owned();
        let Some(mut words) = resp::split_args(line) else {
            return Err(format_fatal(label, line_number, &shown(), "Unbalanced quotes in configuration line"));
        };
        if words.is_empty() {
            continue;
        }
        let mut name = words.remove(0);
        name.make_ascii_lowercase();
        let origin = format!("{label}:{line_number}");
        if name == b"include" {
            if words.len() != 1 {
                return Err(format_fatal(label, line_number, &shown(), "Bad directive or wrong number of arguments"));
            }
            if depth >= MAX_INCLUDE_DEPTH {
                let err = format!(
                    "Too many nested include directives (more than {MAX_INCLUDE_DEPTH}): is there an include loop?"
                );
                return Err(format_fatal(label, line_number, &shown(), &err));
            }
            let target = PathBuf::from(String::from_utf8_lossy(&words[0]).into_owned());
            read_path(&target, depth + 1, Some(&origin), out)?;
            continue;
        }
        out.push(Directive { name: String::from_utf8_lossy(&name).into_owned(), args: words, origin });
    }
    Ok(())
}

/// Reads the file (or wildcard pattern) `path` and parses it into `out`.
/// `included_at` is the origin of the `include` line that named it, if any.
fn read_path(path: &Path, depth: usize, included_at: Option<&str>, out: &mut Vec<Directive>) -> Result<(), String> {
    let text = path.to_string_lossy();
    let files = if text.contains(['*', '?', '[']) { expand_wildcards(path) } else { vec![path.to_path_buf()] };
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| {
            let mut msg = format!("Fatal error, can't open config file '{}': {}", file.display(), io_reason(&e));
            if let Some(site) = included_at {
                msg.push_str(&format!(" (included at {site})"));
            }
            msg
        })?;
        parse_text(&bytes, &file.to_string_lossy(), depth, out)?;
    }
    Ok(())
}

/// An I/O error's reason without Rust's " (os error N)" suffix, so it reads
/// like C's `strerror`.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Redis's `sdstrim(line, " \t\r\n")`.
fn trim(mut s: &[u8]) -> &[u8] {
    let strip = |b: &u8| matches!(*b, b' ' | b'\t' | b'\r' | b'\n');
    while let Some(first) = s.first() {
        if !strip(first) {
            break;
        }
        s = &s[1..];
    }
    while let Some(last) = s.last() {
        if !strip(last) {
            break;
        }
        s = &s[..s.len() - 1];
    }
    s
}

/// Expands a path whose components may contain Redis glob wildcards, like
/// `glob(3)` with no flags: existing paths only, sorted, names starting
/// with `.` matched only by a pattern starting with `.`.
fn expand_wildcards(pattern: &Path) -> Vec<PathBuf> {
    use std::path::Component;

    let mut candidates = vec![PathBuf::new()];
    for component in pattern.components() {
        let name = match component {
            Component::Normal(name) => name.to_string_lossy().into_owned(),
            other => {
                for c in &mut candidates {
                    c.push(other.as_os_str());
                }
                continue;
            }
        };
        if !name.contains(['*', '?', '[']) {
            for c in &mut candidates {
                c.push(&name);
            }
            continue;
        }
        let matcher = keyspace::glob::Glob::new(name.as_bytes(), false);
        let mut next = Vec::new();
        for dir in &candidates {
            let listing = if dir.as_os_str().is_empty() { Path::new(".") } else { dir.as_path() };
            let Ok(entries) = std::fs::read_dir(listing) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| (!n.starts_with('.') || name.starts_with('.')) && matcher.is_match(n.as_bytes()))
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|n| dir.join(n)));
        }
        candidates = next;
    }
    candidates.retain(|c| !c.as_os_str().is_empty() && std::fs::symlink_metadata(c).is_ok());
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_args(ds: &[Directive]) -> Vec<(String, Vec<String>)> {
        ds.iter()
            .map(|d| (d.name.clone(), d.args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect()))
            .collect()
    }

    fn na(name: &str, args: &[&str]) -> (String, Vec<String>) {
        (name.to_string(), args.iter().map(|s| s.to_string()).collect())
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> TempDir {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "vermilion-conf-{}-{}-{}",
                tag,
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
        fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, text).unwrap();
            path
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn text_skips_comments_and_blank_lines() {
        let text = b"# a comment\n\n   \n  # indented comment\nport 7000\r\n\tbind 127.0.0.1 ::1  \n";
        let ds = parse_config_text(text, "t.conf").unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["7000"]), na("bind", &["127.0.0.1", "::1"])]);
        assert_eq!(ds[0].origin, "t.conf:5");
        assert_eq!(ds[1].origin, "t.conf:6");
    }

    #[test]
    fn names_are_lowercased_arguments_are_not() {
        let ds = parse_config_text(b"MaxMemory-Policy AllKeys-LRU", "x").unwrap();
        assert_eq!(names_args(&ds), vec![na("maxmemory-policy", &["AllKeys-LRU"])]);
    }

    #[test]
    fn quoted_arguments_and_empty_strings() {
        let ds = parse_config_text(b"save \"\"\nrequirepass \"a b\\x41\"\nlogfile ''", "x").unwrap();
        assert_eq!(names_args(&ds), vec![na("save", &[""]), na("requirepass", &["a bA"]), na("logfile", &[""])]);
    }

    #[test]
    fn hash_after_a_word_is_not_a_comment() {
        let ds = parse_config_text(b"requirepass foo#bar # trailing", "x").unwrap();
        assert_eq!(names_args(&ds), vec![na("requirepass", &["foo#bar", "#", "trailing"])]);
    }

    #[test]
    fn unbalanced_quotes_are_fatal_with_line_number() {
        let err = parse_config_text(b"port 1\n\nrequirepass \"abc\n", "my.conf").unwrap_err();
        assert!(err.starts_with("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"), "{err}");
        assert!(err.contains("Reading the configuration file, at line 3 of my.conf\n"), "{err}");
        assert!(err.contains(">>> 'requirepass \"abc'\n"), "{err}");
        assert!(err.ends_with("Unbalanced quotes in configuration line"), "{err}");
    }

    #[test]
    fn include_is_expanded_in_place() {
        let dir = TempDir::new("inc");
        let inner = dir.write("inner.conf", "port 7001\nmaxmemory 1mb\n");
        let outer = dir.write("outer.conf", &format!("port 7000\ninclude {}\ndatabases 4\n", inner.display()));
        let ds = read_config_file(&outer).unwrap();
        assert_eq!(
            names_args(&ds),
            vec![na("port", &["7000"]), na("port", &["7001"]), na("maxmemory", &["1mb"]), na("databases", &["4"])]
        );
        assert_eq!(ds[1].origin, format!("{}:1", inner.display()));
        assert_eq!(ds[3].origin, format!("{}:3", outer.display()));
    }

    #[test]
    fn nested_includes_and_uppercase_include() {
        let dir = TempDir::new("nest");
        let c = dir.write("c.conf", "databases 2\n");
        let b = dir.write("b.conf", &format!("INCLUDE \"{}\"\n", c.display()));
        let a = dir.write("a.conf", &format!("include {}\n", b.display()));
        assert_eq!(names_args(&read_config_file(&a).unwrap()), vec![na("databases", &["2"])]);
    }

    #[test]
    fn include_loop_is_an_error_not_a_crash() {
        let dir = TempDir::new("loop");
        let path = dir.0.join("self.conf");
        std::fs::write(&path, format!("port 1\ninclude {}\n", path.display())).unwrap();
        let err = read_config_file(&path).unwrap_err();
        assert!(err.contains("Too many nested include directives"), "{err}");
    }

    #[test]
    fn include_needs_exactly_one_argument() {
        let err = parse_config_text(b"include\n", "x").unwrap_err();
        assert!(err.ends_with("Bad directive or wrong number of arguments"), "{err}");
        let err = parse_config_text(b"include a b\n", "x").unwrap_err();
        assert!(err.contains("at line 1 of x"), "{err}");
    }

    #[test]
    fn missing_file_names_the_file() {
        let dir = TempDir::new("missing");
        let err = read_config_file(&dir.0.join("nope.conf")).unwrap_err();
        assert!(err.starts_with("Fatal error, can't open config file '"), "{err}");
        assert!(err.contains("nope.conf': No such file or directory"), "{err}");

        let outer = dir.write("outer.conf", &format!("\ninclude {}\n", dir.0.join("gone.conf").display()));
        let err = read_config_file(&outer).unwrap_err();
        assert!(err.contains("gone.conf"), "{err}");
        assert!(err.contains(&format!("included at {}:2", outer.display())), "{err}");
    }

    #[test]
    fn wildcard_include_reads_matches_in_order_and_allows_none() {
        let dir = TempDir::new("glob");
        std::fs::create_dir(dir.0.join("conf.d")).unwrap();
        dir.write("conf.d/20-b.conf", "port 2");
        dir.write("conf.d/10-a.conf", "port 1");
        dir.write("conf.d/.hidden.conf", "port 99\n");
        dir.write("conf.d/readme.txt", "port 98\n");
        let main = dir.write(
            "main.conf",
            &format!(
                "include {}/conf.d/*.conf\ninclude {}/empty.d/*.conf\ndatabases 3\n",
                dir.0.display(),
                dir.0.display()
            ),
        );
        let ds = read_config_file(&main).unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["1"]), na("port", &["2"]), na("databases", &["3"])]);
    }

    #[test]
    fn stdin_style_text_can_include() {
        let dir = TempDir::new("stdin");
        let inc = dir.write("x.conf", "appendonly yes\n");
        let ds = parse_config_text(format!("include {}\nport 1\n", inc.display()).as_bytes(), "stdin").unwrap();
        assert_eq!(names_args(&ds), vec![na("appendonly", &["yes"]), na("port", &["1"])]);
        assert_eq!(ds[1].origin, "stdin:2");
    }

    #[test]
    fn nul_byte_ends_a_line() {
        let ds = parse_config_text(b"port 1\0junk \"\nbind x\n", "x").unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["1"]), na("bind", &["x"])]);
    }

    #[test]
    fn command_line_basic() {
        let ds = parse_command_line(&strings(&["--port", "7000", "--save", "", "--bind", "127.0.0.1", "::1"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["7000"]), na("save", &[""]), na("bind", &["127.0.0.1", "::1"])]);
        assert_eq!(ds[0].origin, "(command line):1");
        assert_eq!(ds[2].origin, "(command line):3");
    }

    #[test]
    fn command_line_value_may_start_with_dashes_after_a_bare_name() {
        let ds = parse_command_line(&strings(&["--masterauth", "--secret", "--port", "1"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("masterauth", &["--secret"]), na("port", &["1"])]);
    }

    #[test]
    fn command_line_save_special_cases() {
        let ds = parse_command_line(&strings(&["--save", "--port", "1"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("save", &[""]), na("port", &["1"])]);
        let ds = parse_command_line(&strings(&["--port", "1", "--save"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["1"]), na("save", &[""])]);
        let ds = parse_command_line(&strings(&["--SAVE", "--port", "1"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("save", &[""]), na("port", &["1"])]);
        let ds = parse_command_line(&strings(&["--save", "60", "1", "--save", "900", "1"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("save", &["60", "1"]), na("save", &["900", "1"])]);
    }

    #[test]
    fn command_line_sentinel_special_cases() {
        let ds = parse_command_line(&strings(&["--sentinel", "--port", "26379"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("sentinel", &[]), na("port", &["26379"])]);
        let ds = parse_command_line(&strings(&["--port", "26379", "--sentinel"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["26379"]), na("sentinel", &[])]);
    }

    #[test]
    fn command_line_bare_name_at_end_has_no_arguments() {
        let ds = parse_command_line(&strings(&["--port", "1", "--appendonly"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["1"]), na("appendonly", &[])]);
    }

    #[test]
    fn command_line_name_word_may_carry_its_value() {
        let ds = parse_command_line(&strings(&["--port 6380", "--save 60 1", "--loglevel", "debug"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["6380"]), na("save", &["60", "1"]), na("loglevel", &["debug"])]);
    }

    #[test]
    fn command_line_arguments_are_taken_verbatim() {
        let ds = parse_command_line(&strings(&["--requirepass", "a \"b\" \\ 'c'\n\t#x", "--logfile", "é"])).unwrap();
        assert_eq!(ds[0].args, vec![b"a \"b\" \\ 'c'\n\t#x".to_vec()]);
        assert_eq!(ds[1].args, vec!["é".as_bytes().to_vec()]);
    }

    #[test]
    fn command_line_hash_name_is_a_comment_like_in_redis() {
        let ds = parse_command_line(&strings(&["--#port", "1", "--databases", "2"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("databases", &["2"])]);
    }

    #[test]
    fn command_line_unbalanced_name_word_is_fatal() {
        let err = parse_command_line(&strings(&["--port \"1"])).unwrap_err();
        assert!(err.contains("Unbalanced quotes"), "{err}");
        assert!(err.contains("of (command line)"), "{err}");
    }

    #[test]
    fn command_line_names_are_lowercased() {
        let ds = parse_command_line(&strings(&["--Port", "1"])).unwrap();
        assert_eq!(names_args(&ds), vec![na("port", &["1"])]);
    }

    #[test]
    fn argv_with_config_path_and_stdin_marker() {
        let cl = parse_argv(&strings(&["/etc/redis.conf", "--port", "1", "-"])).unwrap();
        assert_eq!(cl.config_path.as_deref(), Some("/etc/redis.conf"));
        assert!(cl.config_from_stdin);
        assert_eq!(names_args(&cl.directives), vec![na("port", &["1"])]);

        let cl = parse_argv(&strings(&["-", "--port", "1"])).unwrap();
        assert_eq!(cl.config_path, None);
        assert!(cl.config_from_stdin);
        assert_eq!(names_args(&cl.directives), vec![na("port", &["1"])]);

        let cl = parse_argv(&strings(&["--port", "1"])).unwrap();
        assert_eq!(cl, CommandLine { config_path: None, config_from_stdin: false, directives: cl.directives.clone() });

        assert_eq!(parse_argv(&[]).unwrap(), CommandLine::default());
    }

    #[test]
    fn argv_dash_after_config_path_but_not_last_is_a_word() {
        // Redis: argv[2] is neither argv[1] nor last, so "-" is pasted in as
        // a quoted word and becomes a directive named "-".
        let cl = parse_argv(&strings(&["redis.conf", "-", "--port", "1"])).unwrap();
        assert!(!cl.config_from_stdin);
        assert_eq!(names_args(&cl.directives), vec![na("-", &[]), na("port", &["1"])]);
    }

    #[test]
    fn memory_units() {
        assert_eq!(parse_memory(b"0"), Some(0));
        assert_eq!(parse_memory(b"12345"), Some(12345));
        assert_eq!(parse_memory(b"10b"), Some(10));
        assert_eq!(parse_memory(b"100k"), Some(100_000));
        assert_eq!(parse_memory(b"100kb"), Some(102_400));
        assert_eq!(parse_memory(b"1m"), Some(1_000_000));
        assert_eq!(parse_memory(b"1mb"), Some(1_048_576));
        assert_eq!(parse_memory(b"512mb"), Some(536_870_912));
        assert_eq!(parse_memory(b"1g"), Some(1_000_000_000));
        assert_eq!(parse_memory(b"1gb"), Some(1_073_741_824));
        assert_eq!(parse_memory(b"1GB"), Some(1_073_741_824));
        assert_eq!(parse_memory(b"1Gb"), Some(1_073_741_824));
        assert_eq!(parse_memory(b"007"), Some(7));
    }

    #[test]
    fn memory_rejects_what_redis_rejects() {
        for bad in
            [&b"-1"[..], b"-1gb", b"+1", b" 1", b"1 ", b"1 gb", b"1tb", b"1kib", b"1.5gb", b"0x10", b"abc", b"1gbb"]
        {
            assert_eq!(parse_memory(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        let long = vec![b'1'; 128];
        assert_eq!(parse_memory(&long), None);
    }

    #[test]
    fn memory_overflow_is_invalid() {
        assert_eq!(parse_memory(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_memory(b"9223372036854775808"), None);
        assert_eq!(parse_memory(b"99999999999999999999"), None);
        assert_eq!(parse_memory(b"10000000000gb"), None);
        assert_eq!(parse_memory(b"8589934591gb"), Some(8_589_934_591 * 1_073_741_824));
    }

    #[test]
    fn memory_without_digits_reads_as_zero_like_redis() {
        assert_eq!(parse_memory(b""), Some(0));
        assert_eq!(parse_memory(b"kb"), Some(0));
        assert_eq!(parse_memory(b"GB"), Some(0));
    }

    #[test]
    fn yes_no() {
        assert_eq!(parse_yes_no(b"yes"), Some(true));
        assert_eq!(parse_yes_no(b"YES"), Some(true));
        assert_eq!(parse_yes_no(b"No"), Some(false));
        assert_eq!(parse_yes_no(b"y"), None);
        assert_eq!(parse_yes_no(b"1"), None);
        assert_eq!(parse_yes_no(b" yes"), None);
        assert_eq!(parse_yes_no(b""), None);
    }

    #[test]
    fn fatal_error_rebuilds_the_line() {
        let d = Directive {
            name: "requirepass".into(),
            args: vec![b"a b".to_vec(), b"".to_vec(), b"plain".to_vec()],
            origin: "/etc/redis.conf:12".into(),
        };
        let err = fatal_error(&d, "Bad directive or wrong number of arguments");
        assert_eq!(
            err,
            "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n\
             Reading the configuration file, at line 12 of /etc/redis.conf\n\
             >>> 'requirepass \"a b\" \"\" plain'\n\
             Bad directive or wrong number of arguments"
        );
    }

    #[test]
    fn quote_repr_round_trips_through_split_args() {
        let samples: [&[u8]; 5] = [b"", b"plain", b"a \"q\" \\ \n\r\t\x07\x08", b"\x00\x01\x7f\x80\xff", b"'single'"];
        for s in samples {
            let line = quote_repr(s);
            assert_eq!(resp::split_args(&line), Some(vec![s.to_vec()]), "{:?}", String::from_utf8_lossy(&line));
        }
    }
}
