//! The append-only file service: command propagation (what each write is
//! logged as), the multi-part AOF directory (manifest, base, incr files),
//! `appendfsync` (group commit before replies for `always`, a background
//! fsync thread for `everysec`), loading at start-up, and rewrites.
//! The file format itself (RESP encoding, strict reading, the manifest
//! text) is `persist::aof`; this module owns files, timing and policy.
//!
//! Propagation: every command run through `dispatch::call` is logged as it
//! ran when it changed something (`dirty > 0`), unless its handler replaced
//! its logged form ([`Ctx::propagate_as`](crate::ctx::Ctx::propagate_as),
//! e.g. SPOP as SREM) or it ran other commands itself (EXEC, scripts), in
//! which case only those are logged. Keys deleted by expiry are logged as
//! DEL (UNLINK with `lazyfree-lazy-expire yes`) before the command that
//! noticed them. All ops of one client request form one unit, wrapped in
//! MULTI/EXEC when there are several, as Redis 7.0 does.
//!
//! Rewrites do not fork: the keyspace is serialized to commands in memory
//! under the store lock (a stall proportional to the dataset), the new incr
//! file is opened at that instant, and a thread writes the new base and
//! swaps the manifest, so the manifest on disk always names a complete,
//! consistent set of files.

use crate::client::{Client, ClientHandle};
use crate::server::{now_ms, Shared, Store};
use crate::{notice, warning};
use bytes::Bytes;
use parking_lot::Mutex;
use persist::aof::{encode_command, AofFile, FileType, Manifest, ReadError, Reader};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Elements per command when a rewrite writes a collection (Redis's
/// AOF_REWRITE_ITEMS_PER_CMD), so replaying never builds a huge argv.
const ITEMS_PER_CMD: usize = 64;

/// What the running command and the current request will be logged as.
#[derive(Default)]
pub struct Propagation {
    /// True while something consumes propagated commands (the AOF is on).
    pub on: bool,
    /// Ops of the current unit (client request or expiry slice): (db, argv).
    pending: Vec<(usize, Vec<Bytes>)>,
    /// The running command's replacement form, if its handler set one.
    rewrite: Option<Vec<Vec<Bytes>>>,
    /// Commands started so far: a command during which this moved ran
    /// nested commands (EXEC, a script) and is logged as their effects.
    calls: u64,
    /// The database the AOF stream last SELECTed (None: emit SELECT).
    selected: Option<usize>,
    /// `lazyfree-lazy-expire`: expired keys are logged as UNLINK, not DEL.
    pub lazy_expire: bool,
    /// `lazyfree-lazy-server-del`: server-side whole-key deletions as UNLINK.
    pub lazy_server_del: bool,
}

/// Saved state of an outer command while a nested one runs.
pub struct CallMark {
    rewrite: Option<Vec<Vec<Bytes>>>,
    calls: u64,
    db: usize,
}

impl Propagation {
    /// Called by `dispatch::call` before a handler runs.
    #[inline]
    pub fn begin(&mut self, db: usize) -> CallMark {
        self.calls += 1;
        CallMark { rewrite: self.rewrite.take(), calls: self.calls, db }
    }

    /// Called by `dispatch::call` after the handler: records what the
    /// command is logged as.
    pub fn end(&mut self, mark: CallMark, argv: &[Bytes], dirty: u64) {
        let rewrite = std::mem::replace(&mut self.rewrite, mark.rewrite);
        if !self.on {
            return;
        }
        let nested = self.calls != mark.calls;
        match rewrite {
            Some(list) => self.pending.extend(list.into_iter().map(|a| (mark.db, a))),
            None if dirty > 0 && !nested => self.pending.push((mark.db, argv.to_vec())),
            None => {}
        }
    }

    /// Replaces (first call) or extends the running command's logged form.
    pub fn propagate_as(&mut self, argv: Vec<Bytes>) {
        if self.on {
            self.rewrite.get_or_insert_with(Vec::new).push(argv);
        }
    }

    /// Ops logged so far in the current unit (see [`forget_since`](Self::forget_since)).
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Drops what was logged after [`pending_len`](Self::pending_len)
    /// returned `n`: a script's commands under `redis.set_repl(REPL_NONE)`.
    pub fn forget_since(&mut self, n: usize) {
        self.pending.truncate(n);
    }

    /// The running command is not logged (its effects were, or it had none).
    pub fn suppress(&mut self) {
        self.rewrite = Some(Vec::new());
    }

    /// Logs `argv` in `db` now, ahead of the running command (Redis's
    /// alsoPropagate): expiry and eviction deletions, script effects.
    pub fn push(&mut self, db: usize, argv: Vec<Bytes>) {
        if self.on {
            self.pending.push((db, argv));
        }
    }

    /// A key removed because its TTL passed.
    pub fn expired(&mut self, db: usize, key: &[u8]) {
        if self.on {
            let cmd: &'static [u8] = if self.lazy_expire { b"UNLINK" } else { b"DEL" };
            self.pending.push((db, vec![Bytes::from_static(cmd), Bytes::copy_from_slice(key)]));
        }
    }

    /// Logs an evicted key as DEL (`lazyfree-lazy-eviction` is not
    /// supported: evicted keys are always freed at once).
    pub fn evicted(&mut self, db: usize, key: &[u8]) {
        if self.on {
            self.pending.push((db, vec![Bytes::from_static(b"DEL"), Bytes::copy_from_slice(key)]));
        }
    }

    /// True when the current unit has ops to write.
    #[inline]
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Encodes the unit's ops, SELECT where the db changes, MULTI/EXEC
    /// around several when `wrap`.
    fn encode_unit(&mut self, out: &mut Vec<u8>, wrap: bool) {
        let ops = std::mem::take(&mut self.pending);
        let wrap = wrap && ops.len() > 1;
        for (i, (db, argv)) in ops.iter().enumerate() {
            if self.selected != Some(*db) {
                encode_command(out, &[&b"SELECT"[..], db.to_string().as_bytes()]);
                self.selected = Some(*db);
            }
            if wrap && i == 0 {
                encode_command(out, &[&b"MULTI"[..]]);
            }
            encode_command(out, argv);
        }
        if wrap {
            encode_command(out, &[&b"EXEC"[..]]);
        }
        self.pending = ops;
        self.pending.clear();
    }

    /// Forgets which db the stream selected: a new file starts with SELECT.
    fn reset_stream(&mut self) {
        self.selected = None;
    }
}

/// `appendfsync`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Fsync {
    Always = 0,
    EverySec = 1,
    No = 2,
}

impl Fsync {
    fn parse(s: &str) -> Fsync {
        match s {
            "always" => Fsync::Always,
            "no" => Fsync::No,
            _ => Fsync::EverySec,
        }
    }
}

/// The open incr file.
struct Incr {
    file: Arc<File>,
}

/// Directory state and statistics, behind one small lock.
#[derive(Default)]
pub struct State {
    /// `appenddirname` joined to the working directory (`dir`).
    dir: PathBuf,
    /// `appendfilename`, the prefix of every file name.
    prefix: String,
    manifest: Manifest,
    /// Sizes of the files in the manifest other than the open incr file.
    closed_size: u64,
    /// aof_current_size when the last rewrite ended (aof_base_size).
    pub base_size: u64,
    pub rewrite_in_progress: bool,
    /// BGREWRITEAOF asked while a BGSAVE ran (or inside EXEC): started by the cron.
    pub rewrite_scheduled: bool,
    pub rewrite_started_ms: u64,
    pub last_rewrite_secs: i64,
    pub last_rewrite_ok: bool,
    pub rewrites: u64,
    pub consecutive_failures: u64,
    pub last_write_ok: bool,
    /// strerror() text of the last failed write or fsync (the MISCONF reply).
    pub last_write_error: String,
    pub delayed_fsync: u64,
}

/// The AOF service shared by every connection and background task.
pub struct Aof {
    /// Encoded ops not yet written, appended under the store lock.
    buf: Mutex<Vec<u8>>,
    /// Bytes ever appended to `buf`, written to the file, and fsynced.
    appended: AtomicU64,
    written: AtomicU64,
    synced: AtomicU64,
    /// Bytes written to the open incr file.
    incr_size: AtomicU64,
    file: Mutex<Option<Incr>>,
    pub state: Mutex<State>,
    /// True while the AOF is on (quick check off the store lock).
    pub enabled: AtomicBool,
    /// The last write or fsync failed: writes are refused with MISCONF.
    pub write_failed: AtomicBool,
    fsync: AtomicU8,
    fsync_thread: AtomicBool,
}

impl Default for Aof {
    fn default() -> Self {
        Aof {
            buf: Mutex::new(Vec::new()),
            appended: AtomicU64::new(0),
            written: AtomicU64::new(0),
            synced: AtomicU64::new(0),
            incr_size: AtomicU64::new(0),
            file: Mutex::new(None),
            state: Mutex::new(State {
                last_rewrite_ok: true,
                last_write_ok: true,
                last_rewrite_secs: -1,
                ..Default::default()
            }),
            enabled: AtomicBool::new(false),
            write_failed: AtomicBool::new(false),
            fsync: AtomicU8::new(Fsync::EverySec as u8),
            fsync_thread: AtomicBool::new(false),
        }
    }
}

impl Aof {
    fn policy(&self) -> Fsync {
        match self.fsync.load(Ordering::Relaxed) {
            0 => Fsync::Always,
            2 => Fsync::No,
            _ => Fsync::EverySec,
        }
    }

    /// Total size of the AOF (INFO aof_current_size).
    pub fn current_size(&self) -> u64 {
        self.state.lock().closed_size + self.incr_size.load(Ordering::Relaxed)
    }

    /// Bytes encoded but not yet written (INFO aof_buffer_length).
    pub fn buffer_len(&self) -> usize {
        self.buf.lock().len()
    }

    /// True when written data is waiting for the background fsync.
    pub fn pending_fsync(&self) -> bool {
        self.written.load(Ordering::Relaxed) > self.synced.load(Ordering::Relaxed)
    }
}

/// Ends the current unit: encodes its ops and queues them for the file.
/// Called with the store locked at the end of every request (`wrap`) and
/// after each active-expiry slice.
pub fn commit(shared: &Shared, store: &mut Store, wrap: bool) {
    if !store.prop.has_pending() {
        return;
    }
    let mut buf = shared.aof.buf.lock();
    let before = buf.len();
    store.prop.encode_unit(&mut buf, wrap);
    shared.aof.appended.fetch_add((buf.len() - before) as u64, Ordering::Release);
}

/// Makes everything committed so far durable as `appendfsync` promises,
/// before replies are written: written to the file always, fsynced too
/// with `always`. Called by connections after running a batch of requests
/// and before writing their replies, so one write (and one fsync) covers
/// the whole pipeline.
pub fn before_reply(shared: &Shared) {
    if !shared.aof.enabled.load(Ordering::Relaxed) {
        return;
    }
    let aof = &shared.aof;
    let target = aof.appended.load(Ordering::Acquire);
    let always = aof.policy() == Fsync::Always;
    let done = if always { aof.synced.load(Ordering::Acquire) } else { aof.written.load(Ordering::Acquire) };
    if done >= target {
        return;
    }
    write_pending(shared, always);
}

/// Writes the buffer to the open incr file (and fsyncs it when `sync`).
/// Under `always`, a failed write or fsync ends the process, as Redis does:
/// a reply must never claim a write the disk does not hold.
fn write_pending(shared: &Shared, sync: bool) {
    let aof = &shared.aof;
    let file = aof.file.lock();
    let data = std::mem::take(&mut *aof.buf.lock());
    let Some(incr) = file.as_ref() else { return };
    let always = aof.policy() == Fsync::Always;
    if !data.is_empty() {
        if let Err(e) = (&*incr.file).write_all(&data) {
            if always {
                warning!("Can't persist AOF for fsync error when the AOF fsync policy is 'always': {e}. Exiting...");
                std::process::exit(1);
            }
            record_error(aof, &e);
            warning!("Error writing to the AOF file: {}", strerror(&e));
            // Keep the data for the next attempt rather than lose it.
            let mut b = aof.buf.lock();
            let rest = std::mem::take(&mut *b);
            *b = data;
            b.extend_from_slice(&rest);
            return;
        }
        if aof.write_failed.swap(false, Ordering::Relaxed) {
            notice!("AOF write error looks solved, Redis can write again.");
        }
        aof.state.lock().last_write_ok = true;
        aof.incr_size.fetch_add(data.len() as u64, Ordering::Relaxed);
        aof.written.fetch_add(data.len() as u64, Ordering::Release);
    }
    if sync {
        let upto = aof.written.load(Ordering::Acquire);
        if let Err(e) = incr.file.sync_data() {
            if always {
                warning!("Can't persist AOF for fsync error when the AOF fsync policy is 'always': {e}. Exiting...");
                std::process::exit(1);
            }
            record_error(aof, &e);
            warning!("Error syncing the AOF file: {}", strerror(&e));
            return;
        }
        aof.synced.fetch_max(upto, Ordering::Release);
    }
}

fn record_error(aof: &Aof, e: &std::io::Error) {
    let mut s = aof.state.lock();
    s.last_write_ok = false;
    s.last_write_error = strerror(e);
    aof.write_failed.store(true, Ordering::Relaxed);
}

/// The C library's text for an I/O error ("No space left on device"), as
/// Redis prints it, without Rust's "(os error N)" suffix.
fn strerror(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Writes what is buffered and fsyncs it whatever the policy (shutdown,
/// before switching files).
fn flush_all(shared: &Shared) {
    write_pending(shared, true);
}

/// The `everysec` fsync thread: once a second, fsyncs what was written.
/// It runs off the store lock and off the file lock, so writers never wait
/// for the disk (Redis's bio fsync).
fn spawn_fsync_thread(shared: &Arc<Shared>) {
    if shared.aof.fsync_thread.swap(true, Ordering::AcqRel) {
        return;
    }
    let weak = Arc::downgrade(shared);
    let _ = std::thread::Builder::new().name("aof-fsync".into()).spawn(move || loop {
        std::thread::sleep(Duration::from_secs(1));
        let Some(shared) = weak.upgrade() else { return };
        let aof = &shared.aof;
        if !aof.enabled.load(Ordering::Relaxed) || aof.policy() != Fsync::EverySec {
            continue;
        }
        // Data still in the buffer (a quiet connection, expiry) is written first.
        if aof.buffer_len() > 0 {
            write_pending(&shared, false);
        }
        let upto = aof.written.load(Ordering::Acquire);
        if upto <= aof.synced.load(Ordering::Acquire) {
            continue;
        }
        let file = aof.file.lock().as_ref().map(|i| i.file.clone());
        if let Some(f) = file {
            match f.sync_data() {
                Ok(()) => {
                    aof.synced.fetch_max(upto, Ordering::Release);
                }
                Err(e) => {
                    record_error(aof, &e);
                    warning!("Error syncing the AOF file: {}", strerror(&e));
                }
            }
        }
    });
}

/// Called by the periodic task: writes buffered expiry deletions, and
/// starts an automatic rewrite when the file grew past
/// `auto-aof-rewrite-percentage` over its size after the last rewrite.
pub fn cron(shared: &Arc<Shared>) {
    let scheduled = {
        let s = shared.aof.state.lock();
        s.rewrite_scheduled && !s.rewrite_in_progress
    };
    if scheduled {
        let mut st = shared.store.lock();
        if !st.rdb.in_progress && !st.ks.snapshot_active() {
            shared.aof.state.lock().rewrite_scheduled = false;
            // A CONFIG SET appendonly yes that had to wait turns the AOF on now.
            let want_on = shared.config.read().value("appendonly") == Some("yes");
            let r = if shared.aof.enabled.load(Ordering::Relaxed) {
                start_rewrite(shared, &mut st)
            } else {
                prepare_dir(shared).and_then(|_| rewrite(shared, &mut st, want_on))
            };
            if let Err(e) = r {
                warning!("Can't start the scheduled AOF rewrite: {e}");
            }
        }
    }
    if !shared.aof.enabled.load(Ordering::Relaxed) {
        return;
    }
    if shared.aof.buffer_len() > 0 {
        let sync = shared.aof.policy() == Fsync::Always;
        write_pending(shared, sync);
    }
    let (pct, min) = {
        let c = shared.config.read();
        let pct: u64 = c.value("auto-aof-rewrite-percentage").and_then(|v| v.parse().ok()).unwrap_or(100);
        let min: u64 = c.value("auto-aof-rewrite-min-size").and_then(|v| v.parse().ok()).unwrap_or(64 << 20);
        (pct, min)
    };
    if pct == 0 {
        return;
    }
    let (busy, base, backoff) = {
        let s = shared.aof.state.lock();
        // After 3 failed rewrites in a row, wait 1 min, doubling up to 1 h,
        // as Redis does, instead of opening a new incr file every tick.
        let backoff = s.consecutive_failures >= 3 && {
            let delay = (60_000u64 << (s.consecutive_failures - 3).min(6)).min(3_600_000);
            now_ms().saturating_sub(s.rewrite_started_ms) < delay
        };
        (s.rewrite_in_progress, s.base_size, backoff)
    };
    let size = shared.aof.current_size();
    if busy || backoff || size < min {
        return;
    }
    let base = base.max(1);
    let growth = (size.saturating_sub(base)) * 100 / base;
    if growth >= pct {
        notice!("Starting automatic rewriting of AOF on {growth}% growth");
        let mut st = shared.store.lock();
        let _ = start_rewrite(shared, &mut st);
    }
}

fn fsync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes `data` to `dir/name` atomically: temp file, fsync, rename, fsync
/// of the directory.
fn write_atomic(dir: &Path, name: &str, data: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!("temp-{name}"));
    {
        let mut f = File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(name))?;
    fsync_dir(dir)
}

fn manifest_name(prefix: &str) -> String {
    format!("{prefix}.manifest")
}

fn persist_manifest(st: &State) -> std::io::Result<()> {
    write_atomic(&st.dir, &manifest_name(&st.prefix), st.manifest.to_text().as_bytes())
}

fn file_len(dir: &Path, name: &str) -> u64 {
    std::fs::metadata(dir.join(name)).map(|m| m.len()).unwrap_or(0)
}

/// Opens (creating) `name` in the AOF directory for appending, and makes
/// its directory entry durable.
fn open_incr(dir: &Path, name: &str) -> std::io::Result<File> {
    let f = OpenOptions::new().create(true).append(true).open(dir.join(name))?;
    fsync_dir(dir)?;
    Ok(f)
}

/// Reads the directives the AOF uses into the service (start-up and CONFIG SET).
pub fn apply_config(shared: &Shared, store: &mut Store) {
    let c = shared.config.read();
    shared.aof.fsync.store(Fsync::parse(c.value("appendfsync").unwrap_or("everysec")) as u8, Ordering::Relaxed);
    store.prop.lazy_expire = c.value("lazyfree-lazy-expire") == Some("yes");
    store.prop.lazy_server_del = c.value("lazyfree-lazy-server-del") == Some("yes");
}

fn dir_and_prefix(shared: &Shared) -> (PathBuf, String) {
    let c = shared.config.read();
    let dir = PathBuf::from(c.value("appenddirname").unwrap_or("appendonlydir"));
    (dir, c.value("appendfilename").unwrap_or("appendonly.aof").to_string())
}

/// After CONFIG SET: turns the AOF on (writing a base of the current
/// dataset first, as Redis's startAppendOnly does) or off.
///
/// # Errors
/// When the AOF cannot be started (the reply to CONFIG SET).
pub fn config_changed(shared: &Arc<Shared>, store: &mut Store) -> Result<(), String> {
    apply_config(shared, store);
    let want = shared.config.read().value("appendonly") == Some("yes");
    let on = shared.aof.enabled.load(Ordering::Relaxed);
    if want && !on {
        let (dir, prefix) = dir_and_prefix(shared);
        {
            let mut s = shared.aof.state.lock();
            s.dir = dir.clone();
            s.prefix = prefix;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("Can't open the append-only file: {e}"))?;
        // The manifest on disk may name files of an older run: the new base
        // replaces them all.
        let mpath = dir.join(manifest_name(&shared.aof.state.lock().prefix));
        if let Ok(text) = std::fs::read(mpath) {
            if let Ok(m) = Manifest::parse(&text) {
                let mut s = shared.aof.state.lock();
                s.manifest = m;
            }
        }
        spawn_fsync_thread(shared);
        rewrite(shared, store, true).map_err(|e| format!("Can't open the append-only file: {e}"))?;
    } else if !want && on {
        stop(shared, store);
    }
    Ok(())
}

/// Turns the AOF off: what is buffered is written and fsynced, then the
/// file is closed.
fn stop(shared: &Shared, store: &mut Store) {
    crate::aof::commit(shared, store, true);
    flush_all(shared);
    store.prop.on = false;
    store.prop.reset_stream();
    shared.aof.enabled.store(false, Ordering::Release);
    *shared.aof.file.lock() = None;
}

/// Flushes and fsyncs the AOF before the process exits.
pub fn shutdown(shared: &Shared) {
    if shared.aof.enabled.load(Ordering::Relaxed) {
        flush_all(shared);
    }
}

/// Points the service at the configured directory (creating it) before a
/// rewrite while the AOF is off (BGREWRITEAOF with `appendonly no`).
///
/// # Errors
/// The directory cannot be created.
pub fn prepare_dir(shared: &Shared) -> Result<(), String> {
    let (dir, prefix) = dir_and_prefix(shared);
    std::fs::create_dir_all(&dir).map_err(|e| format!("ERR Can't create the AOF directory: {e}"))?;
    let mut s = shared.aof.state.lock();
    if s.dir != dir || s.prefix != prefix {
        s.dir = dir;
        s.prefix = prefix;
        s.manifest = Manifest::default();
    }
    Ok(())
}

/// BGREWRITEAOF (and CONFIG SET appendonly yes, and automatic rewrites):
/// opens a new incr file now, serializes the dataset, and writes the new
/// base and manifest on a thread.
///
/// # Errors
/// A rewrite already running (`Err(None)`), or an I/O error opening the new incr file.
pub fn start_rewrite(shared: &Arc<Shared>, store: &mut Store) -> Result<(), String> {
    let on = shared.aof.enabled.load(Ordering::Relaxed);
    rewrite(shared, store, on)
}

/// A rewrite; `enable` turns the AOF on with it (CONFIG SET appendonly
/// yes). With the AOF off and `enable` false only a base and a manifest
/// naming it are written.
fn rewrite(shared: &Arc<Shared>, store: &mut Store, enable: bool) -> Result<(), String> {
    let aof = &shared.aof;
    {
        let mut s = aof.state.lock();
        if s.rewrite_in_progress {
            return Err(crate::errors::AOF_REWRITE_IN_PROGRESS.into());
        }
        // One snapshot at a time: while a BGSAVE walks its own, the rewrite
        // waits for the periodic task.
        if store.ks.snapshot_active() {
            s.rewrite_scheduled = true;
            return Ok(());
        }
        s.rewrite_scheduled = false;
    }
    let was_on = aof.enabled.load(Ordering::Relaxed);
    // Everything before this instant belongs to the old files.
    commit(shared, store, true);
    if was_on {
        flush_all(shared);
    }
    let (dir, prefix, base_seq, incr_seq) = {
        let s = aof.state.lock();
        let base_seq = s.manifest.base.as_ref().map_or(0, |b| b.seq) + 1;
        let incr_seq = s.manifest.incrs.last().map_or(0, |f| f.seq) + 1;
        (s.dir.clone(), s.prefix.clone(), base_seq, incr_seq)
    };
    let incr_name = format!("{prefix}.{incr_seq}.incr.aof");
    if !enable {
        // AOF off: just a new base from the current dataset.
        aof.state.lock().rewrite_in_progress = true;
        aof.state.lock().rewrite_started_ms = now_ms();
        let image = Image::begin(shared, store);
        return spawn_finish(shared, dir, prefix, base_seq, incr_name, incr_seq, image);
    }
    let file = open_incr(&dir, &incr_name).map_err(|e| e.to_string())?;
    {
        let mut s = aof.state.lock();
        let mut m = s.manifest.clone();
        m.incrs.push(AofFile { name: incr_name.clone(), seq: incr_seq, kind: FileType::Incr });
        if was_on {
            // While the base is written, the old files plus the new incr file are the AOF.
            let old = std::mem::replace(&mut s.manifest, m);
            if let Err(e) = persist_manifest(&s) {
                s.manifest = old;
                return Err(e.to_string());
            }
        } else {
            s.manifest = m;
        }
        s.closed_size += aof.incr_size.swap(0, Ordering::Relaxed);
        s.rewrite_in_progress = true;
        s.rewrite_started_ms = now_ms();
    }
    *aof.file.lock() = Some(Incr { file: Arc::new(file) });
    store.prop.reset_stream();
    store.prop.on = true;
    aof.enabled.store(true, Ordering::Release);
    // The point-in-time image starts at this instant (see the module doc).
    let image = Image::begin(shared, store);
    spawn_finish(shared, dir, prefix, base_seq, incr_name, incr_seq, image)
}

fn spawn_finish(
    shared: &Arc<Shared>,
    dir: PathBuf,
    prefix: String,
    base_seq: u64,
    incr_name: String,
    incr_seq: u64,
    image: Image,
) -> Result<(), String> {
    let aof = &shared.aof;
    let sh = shared.clone();
    let spawned = std::thread::Builder::new().name("aof-rewrite".into()).spawn(move || {
        let r = finish_rewrite(&sh, &dir, &prefix, base_seq, &incr_name, incr_seq, image);
        {
            // A failed write leaves the walk midway: end it so tables may resize again.
            let mut st = sh.store.lock();
            if r.is_err() && st.ks.snapshot_active() {
                st.ks.snapshot_abort();
            }
            let garbage = st.ks.take_snapshot_garbage();
            drop(st);
            drop(garbage);
        }
        let mut s = sh.aof.state.lock();
        s.rewrite_in_progress = false;
        s.last_rewrite_secs = ((now_ms().saturating_sub(s.rewrite_started_ms)) / 1000) as i64;
        match r {
            Ok(()) => {
                s.last_rewrite_ok = true;
                s.rewrites += 1;
                s.consecutive_failures = 0;
                notice!("Background AOF rewrite finished successfully");
            }
            Err(e) => {
                s.last_rewrite_ok = false;
                s.consecutive_failures += 1;
                warning!("Background AOF rewrite failed: {e}");
            }
        }
    });
    if spawned.is_err() {
        let mut s = aof.state.lock();
        s.rewrite_in_progress = false;
        s.last_rewrite_ok = false;
        return Err("Can't start the AOF rewrite thread".into());
    }
    notice!("Background append only file rewriting started");
    Ok(())
}

/// The thread half of a rewrite: new base file, new manifest, old files removed.
fn finish_rewrite(
    shared: &Shared,
    dir: &Path,
    prefix: &str,
    base_seq: u64,
    incr_name: &str,
    incr_seq: u64,
    image: Image,
) -> std::io::Result<()> {
    let ext = if image.preamble { "rdb" } else { "aof" };
    let base_name = format!("{prefix}.{base_seq}.base.{ext}");
    let tmp = format!("temp-rewriteaof-bg-{}.aof", std::process::id());
    {
        let f = File::create(dir.join(&tmp))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        image.write(shared, &mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
    }
    std::fs::rename(dir.join(&tmp), dir.join(&base_name))?;
    fsync_dir(dir)?;
    notice!("Successfully renamed the temporary AOF base file {tmp} into {base_name}");
    let mut s = shared.aof.state.lock();
    let mut m = s.manifest.clone();
    let mut old: Vec<AofFile> = m.base.take().into_iter().collect();
    // Incr files before the one opened at the start of this rewrite are in the new base.
    let (keep, gone): (Vec<_>, Vec<_>) = m.incrs.into_iter().partition(|f| f.seq >= incr_seq);
    old.extend(gone);
    old.append(&mut m.history);
    m.incrs = keep;
    m.base = Some(AofFile { name: base_name.clone(), seq: base_seq, kind: FileType::Base });
    let prev = std::mem::replace(&mut s.manifest, m);
    if let Err(e) = persist_manifest(&s) {
        s.manifest = prev;
        return Err(e);
    }
    let base_size = file_len(dir, &base_name);
    // Sizes: the new base plus incr files other than the open one.
    let others: u64 = s.manifest.incrs.iter().filter(|f| f.name != incr_name).map(|f| file_len(dir, &f.name)).sum();
    s.closed_size = base_size + others;
    s.base_size = s.closed_size + shared.aof.incr_size.load(Ordering::Relaxed);
    for f in old {
        if f.name != base_name {
            notice!("Removing the history file {} in the background", f.name);
            let _ = std::fs::remove_file(dir.join(&f.name));
        }
    }
    Ok(())
}

/// A rewrite's point-in-time image: the keyspace's snapshot (the same
/// machinery BGSAVE uses, `keyspace::snapshot`) started under the store lock
/// at the instant the new incr file opens, then walked in short slices by
/// the rewrite thread, which encodes each slice off the lock.
pub struct Image {
    preamble: bool,
    opts: persist::rdb::WriteOptions,
}

/// Time one rewrite slice may hold the store lock (as BGSAVE's).
const SLICE_TARGET: Duration = Duration::from_micros(500);

impl Image {
    fn begin(shared: &Shared, store: &mut Store) -> Image {
        let (preamble, opts) = base_options(shared, store);
        store.ks.set_now(now_ms());
        store.ks.snapshot_begin();
        Image { preamble, opts }
    }

    /// Walks the snapshot slice by slice, writing the encoded base to `w`.
    fn write<W: Write>(&self, shared: &Shared, w: &mut W) -> std::io::Result<()> {
        enum Enc {
            Rdb(persist::rdb::Writer<Vec<u8>>),
            Aof(Vec<u8>),
        }
        let mut enc = if self.preamble {
            Enc::Rdb(persist::rdb::Writer::new(Vec::with_capacity(1 << 20), &self.opts)?)
        } else {
            let mut out = Vec::with_capacity(1 << 20);
            serialize_functions(&mut out, &self.opts.functions);
            Enc::Aof(out)
        };
        let mut budget = 256usize;
        loop {
            let (finished, garbage) = {
                let mut st = shared.store.lock();
                let t = std::time::Instant::now();
                let mut err = None;
                let mut n = 0u64;
                let fin = st.ks.snapshot_step(budget, &mut |item| {
                    let r = match (&mut enc, item) {
                        (Enc::Rdb(wr), keyspace::snapshot::SnapItem::Db { db, keys, expires }) => {
                            wr.select_db(db, keys, expires)
                        }
                        (Enc::Rdb(wr), keyspace::snapshot::SnapItem::Key { key, value, expire_at }) => {
                            n += 1;
                            wr.key(key, value, expire_at)
                        }
                        (Enc::Aof(out), keyspace::snapshot::SnapItem::Db { db, .. }) => {
                            encode_command(out, &[&b"SELECT"[..], db.to_string().as_bytes()]);
                            Ok(())
                        }
                        (Enc::Aof(out), keyspace::snapshot::SnapItem::Key { key, value, expire_at }) => {
                            n += 1;
                            serialize_entry(out, key, value, expire_at)
                        }
                    };
                    if let Err(e) = r {
                        err.get_or_insert(e);
                        return false;
                    }
                    !n.is_multiple_of(64) || t.elapsed() < SLICE_TARGET
                });
                if let Some(e) = err {
                    return Err(e);
                }
                let g = st.ks.take_snapshot_garbage();
                parking_lot::MutexGuard::unlock_fair(st);
                let took = t.elapsed().as_nanos().max(1) as usize;
                budget = (budget * SLICE_TARGET.as_nanos() as usize / took).clamp(64, 2 * budget).min(1 << 16);
                (fin, g)
            };
            let rest = std::time::Instant::now();
            drop(garbage);
            let buf = match &mut enc {
                Enc::Rdb(wr) => wr.inner_mut(),
                Enc::Aof(out) => out,
            };
            w.write_all(buf)?;
            buf.clear();
            if finished {
                break;
            }
            // Leave the lock (and a core) to clients at least as long as the slice held it.
            if let Some(pause) = SLICE_TARGET.checked_sub(rest.elapsed()) {
                std::thread::sleep(pause);
            }
        }
        if let Enc::Rdb(wr) = enc {
            w.write_all(&wr.finish()?)?;
        }
        Ok(())
    }
}

/// Whether the base is an RDB image, and how to write it (with the
/// function libraries of this instant).
fn base_options(shared: &Shared, store: &Store) -> (bool, persist::rdb::WriteOptions) {
    let c = shared.config.read();
    let opts = persist::rdb::WriteOptions {
        compress: c.value("rdbcompression") != Some("no"),
        checksum: c.value("rdbchecksum") != Some("no"),
        aux: persist::rdb::WriteOptions::redis_aux(now_ms() / 1000, crate::memory::allocated() as u64, true),
        functions: crate::cmd::function::library_sources(store),
    };
    (c.value("aof-use-rdb-preamble") != Some("no"), opts)
}

/// A base file's content: an RDB image with `aof-use-rdb-preamble yes`
/// (Redis's default), else commands.
fn base_image(shared: &Shared, store: &Store) -> std::io::Result<Vec<u8>> {
    let (preamble, opts) = base_options(shared, store);
    if preamble {
        persist::rdb::write_keyspace(Vec::new(), &store.ks, &opts)
    } else {
        serialize_keyspace(&store.ks, &opts.functions)
    }
}

/// The libraries at the start of a command-form base, one `FUNCTION LOAD`
/// each, as Redis's rewriteFunctions writes them.
fn serialize_functions(out: &mut Vec<u8>, functions: &[Vec<u8>]) {
    for code in functions {
        encode_command(out, &[&b"FUNCTION"[..], b"LOAD", code]);
    }
}

/// The dataset as commands (a base file in AOF form): the function
/// libraries, then per database a SELECT, then per key the commands that
/// rebuild it and its TTL.
///
/// # Errors
/// A value type with no command form here.
pub fn serialize_keyspace(ks: &keyspace::Keyspace, functions: &[Vec<u8>]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    serialize_functions(&mut out, functions);
    let mut err = None;
    for db in 0..ks.db_count() {
        if ks.db(db).is_empty() {
            continue;
        }
        encode_command(&mut out, &[&b"SELECT"[..], db.to_string().as_bytes()]);
        ks.db(db).dict.for_each(|e| {
            if err.is_none() && !ks.entry_expired(e) {
                if let Err(x) = serialize_entry(&mut out, &e.key, &e.value, e.expire_at()) {
                    err = Some(x);
                }
            }
        });
    }
    match err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// The commands that rebuild one key (and its TTL).
///
/// # Errors
/// None today: every type has a command form. A type added later without
/// one must fail here, so the rewrite fails and the previous files stay
/// (never a base that silently lacks a key).
fn serialize_entry(
    out: &mut Vec<u8>,
    key: &[u8],
    value: &keyspace::value::Value,
    expire_at: u64,
) -> std::io::Result<()> {
    use keyspace::value::Value;
    match value {
        Value::Str(s) => s.with_bytes(|v| encode_command(out, &[&b"SET"[..], key, v])),
        Value::List(l) => batched(out, b"RPUSH", key, l.iter().map(|v| vec![v.to_vec()])),
        Value::Set(s) => batched(
            out,
            b"SADD",
            key,
            s.iter().map(|m| match m {
                keyspace::set::Member::Int(i) => vec![i.to_string().into_bytes()],
                keyspace::set::Member::Bytes(b) => vec![b.to_vec()],
            }),
        ),
        Value::ZSet(z) => {
            let mut items = Vec::with_capacity(z.len());
            // One scan step with no count limit visits every member.
            z.scan(0, usize::MAX, |ze| {
                items.push(vec![resp::format_double(ze.score).into_bytes(), ze.member.to_vec()])
            });
            batched(out, b"ZADD", key, items.into_iter())
        }
        Value::Hash(h) => batched(out, b"HMSET", key, h.iter().map(|p| vec![p.field().to_vec(), p.value().to_vec()])),
        Value::Stream(st) => serialize_stream(out, key, st),
    }
    if expire_at != 0 {
        encode_command(out, &[&b"PEXPIREAT"[..], key, expire_at.to_string().as_bytes()]);
    }
    Ok(())
}

/// A stream as commands, the form Redis 7.0's rewriteStreamObject writes:
/// one XADD per entry with its ID (an empty stream is made by XADD MAXLEN 0
/// of a throw-away 0-1 entry), XSETID restoring the last ID, entries-added
/// and max-deleted-ID counters, then per group XGROUP CREATE at its last
/// delivered ID with ENTRIESREAD, and per consumer either XGROUP
/// CREATECONSUMER (no pending entries) or one XCLAIM ... TIME RETRYCOUNT
/// JUSTID FORCE per pending entry, which rebuilds the PEL with its
/// delivery times and counts. As in Redis, consumers' seen-times become
/// the load time, and pending entries whose stream entry was deleted are
/// dropped on load (XCLAIM removes them).
fn serialize_stream(out: &mut Vec<u8>, key: &[u8], st: &keyspace::stream::Stream) {
    use keyspace::stream::StreamId;
    let id = |i: StreamId| i.to_string().into_bytes();
    if st.length > 0 {
        st.range(StreamId::MIN, StreamId::MAX, false, |e| {
            let idb = id(e.id);
            let mut argv: Vec<&[u8]> = Vec::with_capacity(3 + 2 * e.pairs.len());
            argv.extend([&b"XADD"[..], key, &idb]);
            for (f, v) in &e.pairs {
                argv.push(f);
                argv.push(v);
            }
            encode_command(out, &argv);
            true
        });
    } else {
        encode_command(out, &[&b"XADD"[..], key, b"MAXLEN", b"0", b"0-1", b"x", b"y"]);
    }
    encode_command(
        out,
        &[
            &b"XSETID"[..],
            key,
            &id(st.last_id),
            b"ENTRIESADDED",
            st.entries_added.to_string().as_bytes(),
            b"MAXDELETEDID",
            &id(st.max_deleted),
        ],
    );
    for (gname, g) in &st.groups {
        encode_command(
            out,
            &[
                &b"XGROUP"[..],
                b"CREATE",
                key,
                gname,
                &id(g.last_id),
                b"ENTRIESREAD",
                g.entries_read.to_string().as_bytes(),
            ],
        );
        for (cname, c) in &g.consumers {
            if c.pel.is_empty() {
                encode_command(out, &[&b"XGROUP"[..], b"CREATECONSUMER", key, gname, cname]);
                continue;
            }
            for pid in &c.pel {
                let Some(nack) = g.pel.get(pid) else { continue };
                encode_command(
                    out,
                    &[
                        &b"XCLAIM"[..],
                        key,
                        gname,
                        cname,
                        b"0",
                        &id(*pid),
                        b"TIME",
                        nack.delivery_time.to_string().as_bytes(),
                        b"RETRYCOUNT",
                        nack.delivery_count.to_string().as_bytes(),
                        b"JUSTID",
                        b"FORCE",
                    ],
                );
            }
        }
    }
}

fn batched(out: &mut Vec<u8>, cmd: &[u8], key: &[u8], items: impl Iterator<Item = Vec<Vec<u8>>>) {
    let mut argv: Vec<Vec<u8>> = Vec::new();
    let mut n = 0;
    for item in items {
        if n == 0 {
            argv.clear();
            argv.push(cmd.to_vec());
            argv.push(key.to_vec());
        }
        argv.extend(item);
        n += 1;
        if n == ITEMS_PER_CMD {
            encode_command(out, &argv);
            n = 0;
        }
    }
    if n > 0 {
        encode_command(out, &argv);
    }
}

// ---------------------------------------------------------------------------
// Loading at start-up.

/// How loading one file ended.
enum Loaded {
    Ok,
    /// A torn tail was cut at this offset (only the last file may have one).
    Truncated(u64),
}

/// Loads the AOF at start-up when `appendonly yes`, then opens it for
/// appending (creating the directory, a base and an incr file on a fresh
/// start). Returns an error, and the server refuses to start, on anything
/// it cannot load exactly: it never starts empty by mistake.
///
/// # Errors
/// The message to log before exiting.
pub fn load_at_startup(shared: &Arc<Shared>) -> Result<(), String> {
    {
        let mut st = shared.store.lock();
        apply_config(shared, &mut st);
    }
    if shared.config.read().value("appendonly") != Some("yes") {
        return Ok(());
    }
    let (dir, prefix) = dir_and_prefix(shared);
    {
        let mut s = shared.aof.state.lock();
        s.dir = dir.clone();
        s.prefix = prefix.clone();
    }
    let mpath = dir.join(manifest_name(&prefix));
    let manifest = match std::fs::read(&mpath) {
        Ok(text) => Some(Manifest::parse(&text)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("Can't open the AOF manifest file {}: {e}", mpath.display())),
    };
    let manifest = match manifest {
        Some(m) => m,
        None => {
            if Path::new(&prefix).exists() {
                upgrade_single_file(&dir, &prefix)?
            } else {
                return fresh_start(shared, &dir, &prefix);
            }
        }
    };
    let files: Vec<AofFile> = manifest.load_order().into_iter().cloned().collect();
    if files.is_empty() {
        return Err("Found an empty AOF manifest".into());
    }
    for f in &files {
        if !dir.join(&f.name).exists() {
            return Err(format!("The AOF file {} doesn't exist", f.name));
        }
    }
    let start = std::time::Instant::now();
    let mut total = 0u64;
    let truncated_ok = shared.config.read().value("aof-load-truncated") != Some("no");
    for (i, f) in files.iter().enumerate() {
        let last = i + 1 == files.len();
        let path = dir.join(&f.name);
        match load_file(shared, &path, &f.name, f.kind == FileType::Base)? {
            Loaded::Ok => {}
            Loaded::Truncated(at) => {
                if !last {
                    return Err(format!(
                        "Fatal error: the truncated file {} is not the last file (offset {at})",
                        f.name
                    ));
                }
                if !truncated_ok {
                    return Err(format!(
                        "Unexpected end of file reading the append only file {} at offset {at}. You can: \
                         1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. \
                         2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
                        f.name
                    ));
                }
                warning!("!!! Warning: short read while loading the AOF file {}!!!", f.name);
                warning!("!!! Truncating the AOF {} at offset {at} !!!", f.name);
                let file = OpenOptions::new().write(true).open(&path).map_err(|e| e.to_string())?;
                file.set_len(at)
                    .and_then(|_| file.sync_all())
                    .map_err(|e| format!("Error truncating the AOF file {}: {e}", f.name))?;
                warning!("AOF {} loaded anyway because aof-load-truncated is enabled", f.name);
            }
        }
        total += file_len(&dir, &f.name);
    }
    notice!("DB loaded from append only file: {:.3} seconds", start.elapsed().as_secs_f64());
    // Append to the last incr file, or start one if the manifest has none.
    let last_incr = manifest.incrs.last().cloned();
    let (incr_name, mut manifest) = match last_incr {
        Some(f) => (f.name.clone(), manifest),
        None => {
            let mut m = manifest;
            let name = format!("{prefix}.1.incr.aof");
            m.incrs.push(AofFile { name: name.clone(), seq: 1, kind: FileType::Incr });
            (name, m)
        }
    };
    let file = open_incr(&dir, &incr_name).map_err(|e| format!("Can't open the append-only file {incr_name}: {e}"))?;
    manifest.history.clear();
    let incr_size = file_len(&dir, &incr_name);
    {
        let mut s = shared.aof.state.lock();
        s.manifest = manifest;
        persist_manifest(&s).map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
        s.closed_size = total.saturating_sub(incr_size);
        s.base_size = total;
    }
    shared.aof.incr_size.store(incr_size, Ordering::Relaxed);
    *shared.aof.file.lock() = Some(Incr { file: Arc::new(file) });
    let mut st = shared.store.lock();
    st.dirty = 0;
    // Replaying ran through the dispatcher; what clients see in INFO and
    // the slow log starts from zero, as after Redis's loading.
    for c in st.cmd_stats.iter_mut() {
        *c = Default::default();
    }
    st.total_commands = 0;
    st.total_error_replies = 0;
    st.error_stats.clear();
    st.slowlog.clear();
    st.prop.on = true;
    st.prop.reset_stream();
    shared.aof.enabled.store(true, Ordering::Release);
    spawn_fsync_thread(shared);
    Ok(())
}

/// A directory with no manifest and no old single-file AOF: an empty base,
/// the first incr file and the manifest.
fn fresh_start(shared: &Arc<Shared>, dir: &Path, prefix: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("Can't create the AOF directory {}: {e}", dir.display()))?;
    let image = base_image(shared, &shared.store.lock()).map_err(|e| format!("Can't create the AOF base file: {e}"))?;
    let ext = if persist::aof::is_rdb(&image) { "rdb" } else { "aof" };
    let base = format!("{prefix}.1.base.{ext}");
    write_atomic(dir, &base, &image).map_err(|e| format!("Can't create the AOF base file {base}: {e}"))?;
    notice!("Creating AOF base file {base} on server start");
    let incr = format!("{prefix}.1.incr.aof");
    let file = open_incr(dir, &incr).map_err(|e| format!("Can't open the append-only file {incr}: {e}"))?;
    notice!("Creating AOF incr file {incr} on server start");
    {
        let mut s = shared.aof.state.lock();
        s.manifest = Manifest {
            base: Some(AofFile { name: base, seq: 1, kind: FileType::Base }),
            incrs: vec![AofFile { name: incr, seq: 1, kind: FileType::Incr }],
            history: vec![],
        };
        persist_manifest(&s).map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
    }
    *shared.aof.file.lock() = Some(Incr { file: Arc::new(file) });
    shared.store.lock().prop.on = true;
    shared.aof.enabled.store(true, Ordering::Release);
    spawn_fsync_thread(shared);
    Ok(())
}

/// Redis < 7's single `appendonly.aof` in `dir`: moved into the AOF
/// directory as the base, with a manifest naming it (Redis 7's upgrade).
fn upgrade_single_file(dir: &Path, prefix: &str) -> Result<Manifest, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("Can't create the AOF directory {}: {e}", dir.display()))?;
    let m = Manifest {
        base: Some(AofFile { name: prefix.to_string(), seq: 1, kind: FileType::Base }),
        incrs: vec![],
        history: vec![],
    };
    std::fs::rename(prefix, dir.join(prefix)).map_err(|e| format!("Error moving the old AOF file: {e}"))?;
    write_atomic(dir, &manifest_name(prefix), m.to_text().as_bytes())
        .map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
    notice!("Successfully migrated an old-style AOF into the AOF directory");
    Ok(m)
}

/// Replays one file through the dispatcher as a client of its own.
fn load_file(shared: &Arc<Shared>, path: &Path, name: &str, is_base: bool) -> Result<Loaded, String> {
    let data = std::fs::read(path).map_err(|e| format!("Can't open the append only file {name}: {e}"))?;
    if data.is_empty() {
        return Ok(Loaded::Ok);
    }
    let mut st = shared.store.lock();
    let mut start = 0usize;
    if persist::aof::is_rdb(&data) {
        // An RDB preamble (a base written with aof-use-rdb-preamble yes, or
        // an old single-file AOF); commands may follow it.
        if !is_base {
            return Err(format!("Bad file format reading the append only file {name}: RDB data in an incr file"));
        }
        let now = now_ms();
        st.ks.set_now(now);
        let opts = persist::rdb::LoadOptions {
            enc: st.ks.enc,
            check_crc: shared.config.read().value("rdbchecksum") != Some("no"),
            now_ms: now,
        };
        let bad = |e: persist::rdb::RdbError| {
            format!("Bad file format reading the RDB preamble of the append only file {name}: {e}")
        };
        let mut sum = persist::rdb::load_into(&data[..], &mut st.ks, &opts).map_err(bad)?;
        crate::cmd::function::load_libraries(&mut st, std::mem::take(&mut sum.functions))
            .map_err(|e| bad(persist::rdb::RdbError::Library(e)))?;
        notice!("Reading RDB base file on AOF loading...");
        start = sum.bytes as usize;
    }
    let (handle, _rx) = ClientHandle::new(0, "aof".into(), String::new(), -1, now_ms());
    let mut client = Client::new(handle, true);
    let mut out = resp::Out::new(false);
    let mut reader = Reader::starting_at(Bytes::from(data), start);
    // The open transaction (its queue) and the offset of its MULTI.
    let mut multi: Option<(u64, Queue)> = None;
    // Like Redis's fake AOF client: never blocks (a blocking pop on an empty
    // list answers at once), and skips the dispatcher's policy checks (OOM,
    // MISCONF, ...), which are about clients, not about the saved dataset.
    client.in_exec = true;
    loop {
        let at = reader.offset();
        let argv = match reader.next_command() {
            Ok(Some(a)) => a,
            Ok(None) => break,
            Err(ReadError::Truncated { valid_up_to }) => {
                let cut = multi.as_ref().map_or(valid_up_to, |m| m.0);
                return Ok(Loaded::Truncated(cut));
            }
            Err(ReadError::BadFormat { offset }) => {
                return Err(format!(
                    "Bad file format reading the append only file {name} at offset {offset}: make a backup of \
                     your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
                ));
            }
        };
        let Ok(cmd) = crate::dispatch::resolve(&argv) else {
            return Err(format!(
                "Unknown command '{}' reading the append only file {name} at offset {at}",
                String::from_utf8_lossy(&argv[0])
            ));
        };
        if !cmd.spec.arity_ok(argv.len()) {
            return Err(format!(
                "Wrong number of arguments for '{}' reading the append only file {name} at offset {at}",
                cmd.fullname()
            ));
        }
        let cname = if cmd.parent.is_none() { cmd.spec.name } else { "" };
        match (cname, multi.as_mut()) {
            ("multi", None) => multi = Some((at, Vec::new())),
            ("exec", Some(_)) => {
                let (_, queue) = multi.take().expect("matched");
                for (argv, cmd) in &queue {
                    run_loaded(shared, &mut client, &mut st, &mut out, argv, *cmd);
                }
            }
            ("multi" | "exec" | "discard", _) => {}
            (_, Some((_, queue))) => queue.push((argv, cmd)),
            (_, None) => run_loaded(shared, &mut client, &mut st, &mut out, &argv, cmd),
        }
    }
    if let Some((before_multi, _)) = multi {
        // An unfinished MULTI at the end: the transaction never happened.
        return Ok(Loaded::Truncated(before_multi));
    }
    Ok(Loaded::Ok)
}

/// Commands queued by a MULTI in the file.
type Queue = Vec<(Vec<Bytes>, crate::command::Resolved)>;

/// Runs one loaded command as the loading client.
fn run_loaded(
    shared: &Arc<Shared>,
    client: &mut Client,
    st: &mut Store,
    out: &mut resp::Out,
    argv: &[Bytes],
    cmd: crate::command::Resolved,
) {
    out.clear();
    crate::dispatch::call(shared, client, st, out, argv, cmd);
    client.in_exec = true;
    client.block_req = None;
    st.drain_ks_events();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    fn unit(p: &mut Propagation, wrap: bool) -> String {
        let mut out = Vec::new();
        p.encode_unit(&mut out, wrap);
        String::from_utf8(out).unwrap().replace("\r\n", " ")
    }

    #[test]
    fn default_rewrite_and_nested_propagation() {
        let mut p = Propagation { on: true, ..Default::default() };
        let m = p.begin(0);
        p.end(m, &[b("SET"), b("k"), b("v")], 1);
        assert_eq!(unit(&mut p, true), "*2 $6 SELECT $1 0 *3 $3 SET $1 k $1 v ");
        // Nothing changed: nothing logged.
        let m = p.begin(0);
        p.end(m, &[b("DEL"), b("nope")], 0);
        assert!(!p.has_pending());
        // A replaced form.
        let m = p.begin(0);
        p.propagate_as(vec![b("SREM"), b("s"), b("a")]);
        p.end(m, &[b("SPOP"), b("s")], 1);
        assert_eq!(unit(&mut p, true), "*3 $4 SREM $1 s $1 a ");
        // EXEC: only the nested commands, wrapped, with SELECT on db change.
        let outer = p.begin(0);
        let m = p.begin(1);
        p.end(m, &[b("INCR"), b("a")], 1);
        let m = p.begin(1);
        p.end(m, &[b("INCR"), b("b")], 1);
        p.end(outer, &[b("EXEC")], 2);
        assert_eq!(unit(&mut p, true), "*2 $6 SELECT $1 1 *1 $5 MULTI *2 $4 INCR $1 a *2 $4 INCR $1 b *1 $4 EXEC ");
        // Expired keys come before the command that found them.
        let m = p.begin(1);
        p.expired(1, b"old");
        p.end(m, &[b("SET"), b("old"), b("v")], 1);
        assert_eq!(unit(&mut p, false), "*2 $3 DEL $3 old *3 $3 SET $3 old $1 v ");
        p.lazy_expire = true;
        p.expired(1, b"x");
        assert_eq!(unit(&mut p, false), "*2 $6 UNLINK $1 x ");
    }

    #[test]
    fn off_means_nothing_is_kept() {
        let mut p = Propagation::default();
        let m = p.begin(0);
        p.propagate_as(vec![b("X")]);
        p.expired(0, b"k");
        p.end(m, &[b("SET"), b("k"), b("v")], 1);
        assert!(!p.has_pending());
    }
}
