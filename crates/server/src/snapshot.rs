//! RDB snapshots for the server: where the file lives, SAVE (synchronous,
//! under the store lock, as Redis's SAVE blocks), BGSAVE (see below), save
//! points checked by the periodic task, loading at start-up and DEBUG
//! RELOAD, and the state INFO persistence reports. The format itself is
//! `persist::rdb`; this file decides when and where.
//!
//! # BGSAVE without fork
//!
//! Redis forks and lets the kernel copy pages on write. We start a
//! point-in-time snapshot inside the keyspace (`keyspace::snapshot`: key
//! tables frozen, a pre-write hook keeps the old state of keys the walk has
//! not reached) and a thread walks it in slices of about a millisecond under
//! the store lock, encoding into memory; the bytes go to disk with the lock
//! released. Writes go on between slices. The extra memory is the values
//! overwritten during the save; the longest stall is one slice, or one
//! very large collection (measured in docs/benchmarks.md).
//!
//! Every file is written as Redis does since 7.0.3: a temp file, fsync,
//! rename over the target, fsync of the directory, so a crash at any point
//! leaves the previous good dump in place.

use crate::server::{now_ms, Shared, Store};
use crate::{notice, warning};
use keyspace::snapshot::SnapItem;
use persist::rdb::{self, LoadOptions, WriteOptions, Writer};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// What INFO persistence and the save policy need to know.
pub struct RdbState {
    /// A BGSAVE thread is running.
    pub in_progress: bool,
    /// When the running BGSAVE started.
    pub started: Option<Instant>,
    /// BGSAVE SCHEDULE (or BGSAVE inside EXEC) asked for one once possible.
    pub scheduled: bool,
    /// Outcome of the last background save (INFO rdb_last_bgsave_status).
    pub last_ok: bool,
    /// Duration of the last background save in seconds, -1 before any.
    pub last_time_sec: i64,
    /// Unix seconds of the last BGSAVE attempt (failed saves retry after 5 s).
    pub last_try_s: u64,
    /// Successful saves (INFO rdb_saves).
    pub saves: u64,
    /// `dirty` when the running BGSAVE copied the data.
    pub dirty_at_start: u64,
    /// Keys in the running save, and how many are written so far.
    pub keys_total: u64,
    pub keys_done: Arc<AtomicU64>,
    /// Keys loaded and skipped as expired by the last load.
    pub loaded_keys: u64,
    pub loaded_expired: u64,
    /// Set to stop the running BGSAVE.
    pub abort: Arc<AtomicBool>,
}

impl Default for RdbState {
    fn default() -> Self {
        RdbState {
            in_progress: false,
            started: None,
            scheduled: false,
            last_ok: true,
            last_time_sec: -1,
            last_try_s: 0,
            saves: 0,
            dirty_at_start: 0,
            keys_total: 0,
            keys_done: Arc::new(AtomicU64::new(0)),
            loaded_keys: 0,
            loaded_expired: 0,
            abort: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Seconds a failed BGSAVE waits before a save point may try again (Redis's CONFIG_BGSAVE_RETRY_DELAY).
const RETRY_DELAY_S: u64 = 5;

/// The dump file (dbfilename, relative to `dir`, which is the working directory).
pub fn rdb_path(shared: &Shared) -> PathBuf {
    PathBuf::from(shared.config.read().value("dbfilename").unwrap_or("dump.rdb"))
}

/// `save` as (seconds, changes) pairs; empty when saving is off.
pub fn save_points(shared: &Shared) -> Vec<(u64, u64)> {
    let cfg = shared.config.read();
    let words: Vec<u64> = cfg.value("save").unwrap_or("").split_whitespace().filter_map(|w| w.parse().ok()).collect();
    words.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// How a dump is written; the function libraries are those of this instant.
fn write_options(shared: &Shared, store: &Store) -> WriteOptions {
    let cfg = shared.config.read();
    WriteOptions {
        compress: cfg.value("rdbcompression") != Some("no"),
        checksum: cfg.value("rdbchecksum") != Some("no"),
        aux: WriteOptions::redis_aux(now_ms() / 1000, crate::memory::allocated() as u64, false),
        functions: crate::cmd::function::library_sources(store),
    }
}

/// Writes a file safely: temp file, `fill`, fsync, rename, fsync of the directory.
///
/// # Errors
/// Any I/O error; the temp file is removed and the target left untouched.
pub fn write_atomically(target: &Path, fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>) -> io::Result<()> {
    write_generation(target, next_generation(), fill)
}

/// Orders snapshots: taken under the store lock when the data is copied, so
/// a higher number always holds newer data.
fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::AcqRel) + 1
}

static GENERATION: AtomicU64 = AtomicU64::new(0);
/// The generation last renamed into place: a slow background save must not
/// replace the file a newer SAVE (or the shutdown save) already wrote.
static RENAMED: parking_lot::Mutex<u64> = parking_lot::const_mutex(0);

fn write_generation(
    target: &Path,
    gen: u64,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!("temp-{}-{}.rdb", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed)));
    let res = (|| {
        let f = File::create(&tmp).map_err(|e| {
            io::Error::new(e.kind(), format!("Failed opening the temp RDB file {} for saving: {e}", tmp.display()))
        })?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        fill(&mut w)?;
        w.flush()?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        drop(f);
        let mut last = RENAMED.lock();
        if *last > gen {
            return Err(io::Error::other("a newer snapshot was written meanwhile"));
        }
        std::fs::rename(&tmp, target)?;
        *last = gen;
        File::open(dir)?.sync_all()
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// SAVE: writes the whole keyspace now, under the caller's lock.
///
/// # Errors
/// The reason, already logged.
pub fn save_sync(shared: &Shared, store: &mut Store) -> Result<(), String> {
    store.ks.set_now(now_ms());
    let opts = write_options(shared, store);
    let path = rdb_path(shared);
    let ks = &store.ks;
    match write_atomically(&path, |w| rdb::write_keyspace(w, ks, &opts).map(|_| ())) {
        Ok(()) => {
            notice!("DB saved on disk");
            store.dirty = 0;
            store.lastsave = now_ms() / 1000;
            store.rdb.last_ok = true;
            store.rdb.saves += 1;
            Ok(())
        }
        Err(e) => {
            warning!("Write error saving DB on disk: {e}");
            Err(e.to_string())
        }
    }
}

/// Time one BGSAVE slice may hold the store lock. The entry budget of a
/// slice adapts to it (a big collection still takes one slice whole).
const SLICE_TARGET: std::time::Duration = std::time::Duration::from_micros(500);

/// BGSAVE: starts a point-in-time snapshot (see the module comment) and a
/// thread that walks it in short slices under the lock, writing the encoded
/// bytes to disk with the lock released.
///
/// # Errors
/// When the thread cannot be started.
pub fn start_bgsave(shared: &Arc<Shared>, store: &mut Store) -> Result<(), String> {
    let now = now_ms();
    store.ks.set_now(now);
    store.ks.snapshot_begin();
    let opts = write_options(shared, store);
    let path = rdb_path(shared);
    let gen = next_generation();
    let done = Arc::new(AtomicU64::new(0));
    let abort = Arc::new(AtomicBool::new(false));
    let st = &mut store.rdb;
    st.in_progress = true;
    st.scheduled = false;
    st.started = Some(Instant::now());
    st.dirty_at_start = store.dirty;
    st.last_try_s = now / 1000;
    st.keys_total = store.ks.total_keys() as u64;
    st.keys_done = done.clone();
    st.abort = abort.clone();
    let sh = shared.clone();
    let spawned = std::thread::Builder::new().name("bgsave".into()).spawn(move || {
        let res = write_generation(&path, gen, |file| {
            let mut wr = Writer::new(Vec::with_capacity(1 << 20), &opts)?;
            let mut budget = 256usize;
            let (mut slices, mut longest) = (0u64, std::time::Duration::ZERO);
            loop {
                let (finished, garbage, n) = {
                    let mut st = sh.store.lock();
                    let t = Instant::now();
                    if abort.load(Ordering::Acquire) {
                        return Err(io::Error::other("background save aborted"));
                    }
                    let mut n = 0u64;
                    let mut err = None;
                    let fin = st.ks.snapshot_step(budget, &mut |item| {
                        let r = match item {
                            SnapItem::Db { db, keys, expires } => wr.select_db(db, keys, expires),
                            SnapItem::Key { key, value, expire_at } => {
                                n += 1;
                                wr.key(key, value, expire_at)
                            }
                        };
                        if let Err(e) = r {
                            err.get_or_insert(e);
                            return false;
                        }
                        // The clock is read every 64 keys: cheap, and a slice of
                        // small keys overshoots its target by microseconds only.
                        n % 64 != 0 || t.elapsed() < SLICE_TARGET
                    });
                    if let Some(e) = err {
                        return Err(e);
                    }
                    let g = st.ks.take_snapshot_garbage();
                    // Hand the lock straight to a waiting client (the event
                    // loop) rather than racing it for the next slice.
                    parking_lot::MutexGuard::unlock_fair(st);
                    let took = t.elapsed();
                    slices += 1;
                    longest = longest.max(took);
                    let took = took.as_nanos().max(1) as usize;
                    budget = (budget * SLICE_TARGET.as_nanos() as usize / took).clamp(64, 2 * budget).min(1 << 16);
                    (fin, g, n)
                };
                // Off the lock: free released tables, write the slice's bytes,
                // then leave the lock (and a core) to clients for at least as long
                // as the slice held it. A thread that has just slept is also less
                // likely to be preempted in its next slice, i.e. while holding the lock.
                let rest = Instant::now();
                drop(garbage);
                done.fetch_add(n, Ordering::Relaxed);
                let buf = wr.inner_mut();
                file.write_all(buf)?;
                buf.clear();
                if finished {
                    break;
                }
                if let Some(pause) = SLICE_TARGET.checked_sub(rest.elapsed()) {
                    std::thread::sleep(pause);
                }
            }
            let tail = wr.finish()?;
            notice!("Background saving walked {slices} slices; the longest held the lock {} us", longest.as_micros());
            file.write_all(&tail)
        });
        finish_bgsave(&sh, res);
    });
    if let Err(e) = spawned {
        store.ks.snapshot_abort();
        drop(store.ks.take_snapshot_garbage());
        store.rdb.in_progress = false;
        store.rdb.last_ok = false;
        warning!("Can't save in background: {e}");
        return Err(e.to_string());
    }
    notice!("Background saving started");
    Ok(())
}

/// Stops a running BGSAVE (FLUSHALL does, as Redis kills its child); the
/// previous dump stays. Not counted as a failure.
pub fn abort_bgsave(store: &mut Store) {
    if store.rdb.in_progress {
        store.rdb.abort.store(true, Ordering::Release);
        store.ks.snapshot_abort();
        let g = store.ks.take_snapshot_garbage();
        if !g.is_empty() {
            std::thread::spawn(move || drop(g));
        }
    }
}

/// FLUSHALL's persistence side, as Redis's flushAllDataAndResetRDB: stop a
/// running BGSAVE and, when save points are set, save the now empty dataset.
pub fn after_flushall(shared: &Shared, store: &mut Store) -> bool {
    abort_bgsave(store);
    if save_points(shared).is_empty() {
        return false;
    }
    let _ = save_sync(shared, store);
    true
}

fn finish_bgsave(shared: &Shared, res: io::Result<()>) {
    let mut store = shared.store.lock();
    // A failed write leaves the snapshot mid-walk: end it so tables may resize again.
    if store.ks.snapshot_active() {
        store.ks.snapshot_abort();
    }
    let garbage = store.ks.take_snapshot_garbage();
    if !garbage.is_empty() {
        std::thread::spawn(move || drop(garbage));
    }
    let aborted = store.rdb.abort.load(Ordering::Acquire);
    let st = &mut store.rdb;
    st.in_progress = false;
    st.last_time_sec = st.started.take().map_or(-1, |t| t.elapsed().as_secs() as i64);
    match res {
        Ok(()) => {
            notice!("Background saving terminated with success");
            st.last_ok = true;
            st.saves += 1;
            let at_start = st.dirty_at_start;
            store.dirty = store.dirty.saturating_sub(at_start);
            store.lastsave = now_ms() / 1000;
        }
        Err(_) if aborted => notice!("Background saving terminated by FLUSHALL"),
        Err(e) => {
            warning!("Background saving error: {e}");
            st.last_ok = false;
        }
    }
}

/// True when writes must be refused with MISCONF (stop-writes-on-bgsave-error).
pub fn writes_denied(shared: &Shared, store: &Store) -> bool {
    !store.rdb.last_ok
        && shared.config.read().value("stop-writes-on-bgsave-error") != Some("no")
        && !save_points(shared).is_empty()
}

/// Called by the periodic task: starts a scheduled BGSAVE, or one a save point asks for.
pub fn cron(shared: &Arc<Shared>) {
    let points = save_points(shared);
    let mut store = shared.store.lock();
    // An AOF rewrite walking the keyspace snapshot: wait for it to end.
    if store.rdb.in_progress || store.ks.snapshot_active() {
        return;
    }
    if store.rdb.scheduled {
        let _ = start_bgsave(shared, &mut store);
        return;
    }
    let now_s = now_ms() / 1000;
    let elapsed = now_s.saturating_sub(store.lastsave);
    let may_retry = store.rdb.last_ok || now_s.saturating_sub(store.rdb.last_try_s) > RETRY_DELAY_S;
    if let Some((secs, changes)) =
        points.iter().find(|(secs, changes)| store.dirty >= *changes && elapsed >= *secs).copied()
    {
        if may_retry {
            notice!("{changes} changes in {secs} seconds. Saving...");
            let _ = start_bgsave(shared, &mut store);
        }
    }
}

/// Loads the dump file at start-up, if there is one.
///
/// # Errors
/// A message for the log when the file exists but cannot be loaded: the
/// server must then refuse to start, as Redis does, rather than start empty.
pub fn load_at_startup(shared: &Shared) -> Result<(), String> {
    let path = rdb_path(shared);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("Fatal error loading the DB: {e}. Exiting.")),
    };
    let started = Instant::now();
    let mut store = shared.store.lock();
    load_file(shared, &mut store, file)
        .map_err(|e| format!("Fatal error loading the DB {}: {e}. Exiting.", path.display()))?;
    notice!("DB loaded from disk: {:.3} seconds", started.elapsed().as_secs_f64());
    Ok(())
}

fn load_file(shared: &Shared, store: &mut Store, file: File) -> Result<(), rdb::RdbError> {
    let now = now_ms();
    store.ks.set_now(now);
    let opts = LoadOptions {
        enc: store.ks.enc,
        check_crc: shared.config.read().value("rdbchecksum") != Some("no"),
        now_ms: now,
    };
    let mut reader = io::BufReader::with_capacity(1 << 20, file);
    // Libraries compile after the keys, all or nothing, through FUNCTION LOAD's path.
    let res = rdb::load_into(&mut reader, &mut store.ks, &opts).and_then(|mut sum| {
        let libs = std::mem::take(&mut sum.functions);
        let n = libs.len();
        crate::cmd::function::load_libraries(store, libs).map_err(rdb::RdbError::Library)?;
        if n > 0 {
            notice!("Done loading RDB, function libraries loaded: {n}");
        }
        Ok(sum)
    });
    match res {
        Ok(sum) => {
            for (k, v) in &sum.aux {
                if k == b"redis-ver" {
                    notice!("Loading RDB produced by version {}", String::from_utf8_lossy(v));
                }
            }
            if sum.empty_skipped > 0 {
                warning!("Done loading RDB, empty keys skipped: {}", sum.empty_skipped);
            }
            notice!("Done loading RDB, keys loaded: {}, keys expired: {}.", sum.keys_loaded, sum.expired_skipped);
            store.rdb.loaded_keys = sum.keys_loaded;
            store.rdb.loaded_expired = sum.expired_skipped;
            Ok(())
        }
        Err(e) => {
            // Never keep part of a file.
            for db in 0..store.ks.db_count() {
                drop(store.ks.flush_db(db));
            }
            Err(e)
        }
    }
}

/// DEBUG RELOAD [NOSAVE]: saves (unless NOSAVE), empties every database and
/// loads the file back.
///
/// # Errors
/// The reply error text.
pub fn debug_reload(shared: &Shared, store: &mut Store, save: bool) -> Result<(), String> {
    if store.rdb.in_progress {
        return Err("ERR Background save already in progress".into());
    }
    if save && save_sync(shared, store).is_err() {
        return Err("ERR".into());
    }
    for db in 0..store.ks.db_count() {
        store.watches.touch_db(&store.ks, db, None);
        drop(store.ks.flush_db(db));
    }
    // The file holds the libraries too (Redis's emptyData drops them as well).
    store.functions = None;
    let file = File::open(rdb_path(shared)).map_err(|e| {
        warning!("Error trying to load the RDB dump: {e}");
        "ERR Error trying to load the RDB dump, check server logs.".to_string()
    })?;
    load_file(shared, store, file).map_err(|e| {
        warning!("Error trying to load the RDB dump: {e}");
        "ERR Error trying to load the RDB dump, check server logs.".to_string()
    })?;
    notice!("DB reloaded by DEBUG RELOAD");
    Ok(())
}

/// The save Redis does on shutdown: when `SHUTDOWN SAVE`, or when save
/// points are configured and NOSAVE was not given. Waits out nothing: a
/// running BGSAVE's thread renames its own temp file; this one is newer and
/// wins because it takes the lock after that thread's copy was taken.
///
/// # Errors
/// The reason, already logged.
pub fn shutdown_save(shared: &Shared, store: &mut Store, forced: bool) -> Result<(), String> {
    if !forced && save_points(shared).is_empty() {
        return Ok(());
    }
    notice!("Saving the final RDB snapshot before exiting.");
    save_sync(shared, store).map_err(|e| {
        warning!("Error trying to save the DB, can't exit.");
        e
    })
}
