//! Server log lines in Redis's format (`pid:M 25 Nov 2026 22:04:20.123 * text`),
//! to stdout or the `logfile`, filtered by `loglevel`.

use parking_lot::Mutex;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

/// Log levels, as `loglevel` names them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug = 0,
    Verbose = 1,
    Notice = 2,
    Warning = 3,
}

static LEVEL: AtomicU8 = AtomicU8::new(2);
static SINK: Mutex<Option<std::fs::File>> = Mutex::new(None);

/// Sets the minimum level written (4 = nothing).
pub fn set_level(l: u8) {
    LEVEL.store(l, Ordering::Relaxed);
}

/// Sends the log to `path` instead of stdout ("" = stdout).
pub fn set_file(path: &str) -> std::io::Result<()> {
    if path.is_empty() {
        *SINK.lock() = None;
    } else {
        let f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        *SINK.lock() = Some(f);
    }
    Ok(())
}

/// Writes one line if `level` passes the filter.
pub fn log(level: Level, msg: &str) {
    if (level as u8) < LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let mark = match level {
        Level::Debug => '.',
        Level::Verbose => '-',
        Level::Notice => '*',
        Level::Warning => '#',
    };
    let line = format!("{}:M {} {} {}\n", std::process::id(), timestamp(), mark, msg);
    let mut sink = SINK.lock();
    match sink.as_mut() {
        Some(f) => {
            let _ = f.write_all(line.as_bytes());
        }
        None => {
            let _ = std::io::stdout().lock().write_all(line.as_bytes());
        }
    }
}

/// `25 Nov 2026 22:04:20.123` in UTC.
fn timestamp() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86400));
    let sod = secs.rem_euclid(86400);
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{:02} {} {} {:02}:{:02}:{:02}.{:03}",
        d,
        MONTHS[(m - 1) as usize],
        y,
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        now.subsec_millis()
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

/// `notice!("...")`-style helpers.
#[macro_export]
macro_rules! notice { ($($t:tt)*) => { $crate::log::log($crate::log::Level::Notice, &format!($($t)*)) } }
#[macro_export]
macro_rules! warning { ($($t:tt)*) => { $crate::log::log($crate::log::Level::Warning, &format!($($t)*)) } }
#[macro_export]
macro_rules! verbose { ($($t:tt)*) => { $crate::log::log($crate::log::Level::Verbose, &format!($($t)*)) } }

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20417), (2025, 11, 25));
        assert_eq!(super::civil_from_days(11016), (2000, 2, 29));
    }
}
