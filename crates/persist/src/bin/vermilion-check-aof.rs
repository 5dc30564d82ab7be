//! `vermilion-check-aof [--fix] <file.manifest|file.aof>`: checks an
//! append-only file (a Redis 7 multi-part directory through its manifest,
//! or a single old-style file, with or without an RDB preamble) the way
//! `redis-check-aof` does: reports the offset up to which it is valid and,
//! with `--fix`, truncates a damaged last file there after asking. Exit
//! code 0 when valid (or fixed), 1 otherwise.

use bytes::Bytes;
use persist::aof::{is_rdb, Manifest, ReadError, Reader};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (fix, file) = match args.as_slice() {
        [f] if f != "--fix" => (false, f.clone()),
        [opt, f] if opt == "--fix" => (true, f.clone()),
        _ => {
            println!("Usage: vermilion-check-aof [--fix] <file.manifest|file.aof>");
            std::process::exit(1);
        }
    };
    let path = PathBuf::from(&file);
    let code = if file.ends_with(".manifest") { check_manifest(&path, fix) } else { check_old_style(&path, fix) };
    std::process::exit(code);
}

fn check_old_style(path: &Path, fix: bool) -> i32 {
    println!("Start checking Old-Style AOF");
    match check_file(path, fix, true, "AOF", true) {
        Ok(()) => 0,
        Err(()) => 1,
    }
}

fn check_manifest(path: &Path, fix: bool) -> i32 {
    println!("Start checking Multi Part AOF");
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) => {
            println!("Cannot open file {}: {e}", path.display());
            return 1;
        }
    };
    let m = match Manifest::parse(&text) {
        Ok(m) => m,
        Err(e) => {
            println!("Invalid AOF manifest file format: {e}");
            return 1;
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(b) = &m.base {
        let p = dir.join(&b.name);
        let rdb = std::fs::read(&p).map(|d| is_rdb(&d)).unwrap_or(false);
        println!("Start to check BASE AOF ({} format).", if rdb { "RDB" } else { "RESP" });
        if check_file(&p, fix, m.incrs.is_empty(), "BASE AOF", false).is_err() {
            return 1;
        }
    }
    if !m.incrs.is_empty() {
        println!("Start to check INCR files.");
        for (i, f) in m.incrs.iter().enumerate() {
            if check_file(&dir.join(&f.name), fix, i + 1 == m.incrs.len(), "INCR AOF", false).is_err() {
                return 1;
            }
        }
    }
    println!("All AOF files and manifest are valid");
    0
}

/// Checks one file; prints Redis's summary lines (`label`: "AOF", "BASE AOF",
/// "INCR AOF", false). `last` allows `--fix`.
fn check_file(path: &Path, fix: bool, last: bool, label: &str, full_name: bool) -> Result<(), ()> {
    // Redis names an old-style file as given, a multi-part one by file name.
    let name = if full_name {
        path.display().to_string()
    } else {
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    };
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) => {
            println!("Cannot open file {}: {e}", path.display());
            return Err(());
        }
    };
    let size = data.len() as u64;
    let mut start = 0usize;
    let mut ok_up_to = 0u64;
    let mut error = None;
    if is_rdb(&data) {
        match persist::rdb::load(&data[..], &Default::default(), |_| Ok(())) {
            Ok(sum) => start = sum.bytes as usize,
            Err(e) => error = Some(format!("RDB preamble is not valid: {e}")),
        }
    }
    if error.is_none() {
        let mut r = Reader::starting_at(Bytes::from(data.clone()), start);
        ok_up_to = start as u64;
        // A transaction is valid only whole: the valid prefix ends before its MULTI.
        let mut multi_at: Option<u64> = None;
        loop {
            let at = r.offset();
            match r.next_command() {
                Ok(Some(argv)) => {
                    let cmd = argv[0].to_ascii_lowercase();
                    if cmd == b"multi" {
                        if multi_at.is_some() {
                            println!("0x{at:16x}: Unexpected MULTI");
                            error = Some(String::new());
                            break;
                        }
                        multi_at = Some(at);
                    } else if cmd == b"exec" && multi_at.take().is_none() {
                        println!("0x{at:16x}: Unexpected EXEC");
                        error = Some(String::new());
                        break;
                    }
                    if multi_at.is_none() {
                        ok_up_to = r.offset();
                    }
                }
                Ok(None) => {
                    if multi_at.is_some() {
                        println!("0x{:16x}: Reached EOF before reading EXEC for MULTI", r.offset());
                        error = Some(String::new());
                    }
                    break;
                }
                Err(ReadError::Truncated { valid_up_to }) => {
                    if multi_at.is_none() {
                        ok_up_to = valid_up_to;
                    }
                    println!("0x{valid_up_to:16x}: Unexpected end of file");
                    error = Some(String::new());
                    break;
                }
                Err(ReadError::BadFormat { offset }) => {
                    println!("AOF {name} format error at offset {offset}");
                    error = Some(String::new());
                    break;
                }
            }
        }
    } else if let Some(e) = &error {
        println!("{e}");
    }
    let line = data[..ok_up_to as usize].iter().filter(|&&c| c == b'\n').count() + 1;
    let diff = size - ok_up_to;
    println!("AOF analyzed: filename={name}, size={size}, ok_up_to={ok_up_to}, ok_up_to_line={line}, diff={diff}");
    if diff == 0 && error.is_none() {
        println!("{label} {name} is valid");
        return Ok(());
    }
    if !fix {
        println!("AOF {name} is not valid. Use the --fix option to try fixing it.");
        return Err(());
    }
    if !last {
        println!("Failed to truncate AOF {name} because it is not the last file");
        return Err(());
    }
    println!("This will shrink the AOF {name} from {size} bytes, with {diff} bytes, to {ok_up_to} bytes");
    print!("Continue? [y/N]: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() || !answer.to_ascii_lowercase().starts_with('y') {
        println!("Aborting...");
        return Err(());
    }
    let ok = std::fs::OpenOptions::new().write(true).open(path).and_then(|f| {
        f.set_len(ok_up_to)?;
        f.sync_all()
    });
    match ok {
        Ok(()) => {
            println!("Successfully truncated AOF {name}");
            Ok(())
        }
        Err(e) => {
            println!("Failed to truncate AOF {name}: {e}");
            Err(())
        }
    }
}
