//! Long-running scripts (`busy-reply-threshold`, alias `lua-time-limit`):
//! once a script or function has run past the threshold, the Lua hook
//! (`Host::interrupt`, every 100 000 instructions) serves the other
//! clients itself, the way Redis's processEventsWhileBlocked does, so they
//! get `BUSY ...`, and SCRIPT KILL, FUNCTION KILL, FUNCTION STATS and
//! SHUTDOWN NOSAVE work. It is not an event loop: it polls idle clients'
//! sockets with raw non-blocking syscalls and never awaits.
//!
//! Which clients it may serve: a connection task publishes
//! `ClientHandle::serviceable` while it waits for input with nothing
//! buffered or half-parsed (not while writing, parked by BLPOP & co, or
//! paused). The poller peeks at the socket, parses one complete request at
//! a time and consumes its bytes only once it answered it; what it leaves
//! (an incomplete request, or a command it cannot run here) stays in the
//! socket for the task, after the script. Replies go out with a
//! non-blocking send; what does not fit (or would overtake pushed pub/sub
//! messages) goes through the client's push queue, which its task writes.
//!
//! Commands run here use a stand-in client built from the shared
//! `ClientInfo`; AUTH, HELLO and MULTI change only what is mirrored there,
//! and the task takes it back (`resync`). Commands that need more of the
//! connection's own state (DISCARD, WATCH, UNWATCH, RESET, QUIT,
//! and anything sent inside MULTI that passes the checks) wait, with the
//! rest of that client's input, until the script ends; Redis runs them at once.
//!
//! This works fully with `io-threads 1` (the default: one current-thread
//! runtime, so every other connection task is suspended while the script
//! runs). With a multi-thread runtime other threads may touch these sockets
//! concurrently, so the poller does nothing there: other clients wait for
//! the store lock as before, and the script cannot be killed.

use crate::client::{ClientHandle, MultiState, ShutdownMode};
use crate::cmd::scripting::ScriptHost;
use crate::errors::{self, CmdResult};
use crate::server::{Shared, Store};
use crate::{notice, warning};
use bytes::{Bytes, BytesMut};
use resp::{Limits, Out, RequestParser};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The poller runs at most this often (Redis polls on every hook call,
/// about once a millisecond as well).
const POLL_EVERY_NS: u64 = 1_000_000;
/// Bytes peeked per request: a longer request waits for the script's end.
const PEEK_MAX: usize = 64 * 1024;
/// Requests served per client per poll.
const MAX_PER_CLIENT: usize = 256;
/// Replies queued for a client that does not read them: past this, its
/// input is left alone (its kernel buffer then fills), so memory stays bounded.
const PENDING_CAP: usize = 1 << 20;
/// Connections accepted per listener per poll.
const ACCEPT_PER_POLL: usize = 16;

/// Process-wide settings.
pub struct BusyShared {
    /// `busy-reply-threshold` in ms.
    pub threshold_ms: AtomicU64,
}

impl Default for BusyShared {
    fn default() -> Self {
        BusyShared { threshold_ms: AtomicU64::new(5000) }
    }
}

/// The script that timed out, as SCRIPT KILL, FUNCTION KILL, FUNCTION
/// STATS, SHUTDOWN and the dispatcher's BUSY rule see it (`Store::busy`).
pub struct Running {
    /// EVAL & co (true) or FCALL.
    pub eval: bool,
    /// The script's SHA, or the function's name.
    pub name: String,
    /// The command that runs it (FUNCTION STATS shows it).
    pub argv: Vec<Bytes>,
    pub started: crate::clock::Stamp,
    /// A write command ran: SCRIPT KILL can no longer stop it.
    pub wrote: bool,
    /// SCRIPT KILL or FUNCTION KILL asked it to stop.
    pub kill: bool,
    /// Libraries and functions loaded (the function engine is out of the
    /// store while a function runs).
    pub fn_counts: (usize, usize),
}

/// What a script host knows about its run, for the threshold check.
pub struct Watch<'a> {
    eval: bool,
    name: &'a str,
    argv: &'a [Bytes],
    started: crate::clock::Stamp,
    threshold_ms: u64,
    timed_out: bool,
    last_poll: crate::clock::Stamp,
    fn_counts: (usize, usize),
    /// [`SIGNALS`] when the script started.
    signals: u64,
}

impl<'a> Watch<'a> {
    /// Starts the clock for a script (`eval`) or function named `name`,
    /// run by `argv`.
    pub fn new(shared: &Shared, eval: bool, name: &'a str, argv: &'a [Bytes]) -> Self {
        let now = crate::clock::stamp();
        Watch {
            eval,
            name,
            argv,
            started: now,
            threshold_ms: shared.busy.threshold_ms.load(Ordering::Relaxed),
            timed_out: false,
            last_poll: now,
            fn_counts: (0, 0),
            signals: SIGNALS.load(Ordering::Relaxed),
        }
    }

    /// Libraries and functions loaded, for FUNCTION STATS during an FCALL.
    pub fn with_fn_counts(mut self, libs: usize, funcs: usize) -> Self {
        self.fn_counts = (libs, funcs);
        self
    }

    /// True once the run went past the threshold (the host clears
    /// `Store::busy` when it ends).
    pub fn timed_out(&self) -> bool {
        self.timed_out
    }
}

/// Redis's BUSY reply for the kind of script running.
pub fn busy_error(eval: bool) -> &'static str {
    if eval {
        errors::BUSY_EVAL
    } else {
        errors::BUSY_FUNCTION
    }
}

/// The interrupt hook's work: past the threshold, mark the server busy
/// (logging once, as Redis), then poll other clients at most every
/// [`POLL_EVERY_NS`]. True when SCRIPT KILL / FUNCTION KILL stopped the script.
pub fn interrupt(host: &mut ScriptHost<'_>) -> bool {
    let Some(w) = host.watch.as_mut() else { return false };
    let now = crate::clock::stamp();
    if !w.timed_out {
        let ms = w.started.nanos_until(now) / 1_000_000;
        // 0 turns the limit off (Redis then installs no hook at all).
        if w.threshold_ms == 0 || ms < w.threshold_ms {
            return false;
        }
        w.timed_out = true;
        warning!(
            "Slow script detected: still in execution after {ms} milliseconds. You can try killing the script using the {} command. Script name is: {}.",
            if w.eval { "SCRIPT KILL" } else { "FUNCTION KILL" },
            w.name
        );
        host.store.busy = Some(Box::new(Running {
            eval: w.eval,
            name: w.name.to_string(),
            argv: w.argv.to_vec(),
            started: w.started,
            wrote: host.wrote,
            kill: false,
            fn_counts: w.fn_counts,
        }));
    } else if w.last_poll.nanos_until(now) < POLL_EVERY_NS {
        return false;
    }
    w.last_poll = now;
    let Some(r) = host.store.busy.as_deref_mut() else { return false };
    r.wrote = host.wrote;
    let (shared, store) = (host.shared, &mut *host.store);
    // As Redis, SIGTERM or SIGINT only schedule a shutdown (tokio's handler
    // runs it once the script ends); a SIGINT on top of a scheduled one exits at once.
    if LAST_SIGINT.load(Ordering::Relaxed) > w.signals + 1 {
        warning!("You insist... exiting now.");
        std::process::exit(1);
    }
    // The hook is called from Lua's C code: a panic must not unwind through it.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll(shared, store)));
    let kill = host.store.busy.as_ref().is_some_and(|r| r.kill);
    if kill {
        warning!("Lua script killed by user with SCRIPT KILL.");
    }
    kill
}

/// SCRIPT KILL (`eval_cmd`) and FUNCTION KILL.
///
/// # Errors
/// NOTBUSY when no script timed out, UNKILLABLE once it wrote, BUSY when
/// the wrong one of the two commands names the running kind.
pub fn kill(store: &mut Store, out: &mut Out, eval_cmd: bool) -> CmdResult {
    let Some(r) = store.busy.as_deref_mut() else { return Err(errors::NOTBUSY.into()) };
    if r.wrote {
        return Err(errors::UNKILLABLE.into());
    }
    if eval_cmd != r.eval {
        return Err(busy_error(r.eval).into());
    }
    r.kill = true;
    out.ok();
    Ok(())
}

fn single_thread() -> bool {
    tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread)
}

/// One pass over the listeners and the idle clients, without waiting.
fn poll(shared: &Arc<Shared>, store: &mut Store) {
    if !single_thread() {
        return;
    }
    let handles: Vec<Arc<ClientHandle>> = match shared.clients.try_lock() {
        Some(c) => c.values().filter(|h| h.serviceable.load(Ordering::Relaxed) && !h.is_killed()).cloned().collect(),
        None => return,
    };
    // The listeners too, so that a fresh connection (`redis-cli SCRIPT KILL`)
    // is accepted: the TCP ones, then the unix socket's (with its path).
    let mut listeners: Vec<(i32, Option<String>)> =
        shared.listen_fds.try_lock().map(|v| v.iter().map(|&fd| (fd, None)).collect()).unwrap_or_default();
    if let Some(Some((fd, path))) = shared.unix_listen.try_lock().map(|u| u.clone()) {
        listeners.push((fd, Some(path)));
    }
    let mut fds: Vec<libc::pollfd> = listeners
        .iter()
        .map(|(fd, _)| *fd)
        .chain(handles.iter().map(|h| h.fd))
        .map(|fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 })
        .collect();
    // SAFETY: `fds` is a valid array of `fds.len()` pollfd entries.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 0) };
    if n <= 0 {
        return;
    }
    let mut buf = vec![0u8; PEEK_MAX];
    for (i, p) in fds.iter().enumerate() {
        if p.revents & libc::POLLIN == 0 {
            continue;
        }
        if i < listeners.len() {
            accept_some(shared, store, p.fd, listeners[i].1.as_deref(), &mut buf);
        } else {
            serve_client(shared, store, &handles[i - listeners.len()], &mut buf);
        }
    }
}

/// Accepts waiting connections on listener `lfd` (a unix socket when
/// `unix` names its path), hands each to tokio as the accept loop would,
/// and serves it at once.
fn accept_some(shared: &Arc<Shared>, store: &mut Store, lfd: i32, unix: Option<&str>, buf: &mut [u8]) {
    for _ in 0..ACCEPT_PER_POLL {
        // SAFETY: plain accept4 on a listening socket we own; the address is not needed.
        let fd = unsafe {
            libc::accept4(lfd, std::ptr::null_mut(), std::ptr::null_mut(), libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC)
        };
        if fd < 0 {
            return;
        }
        if let Some(path) = unix {
            // SAFETY: `fd` is a fresh connected socket nobody else owns.
            let std_stream = unsafe { <std::os::unix::net::UnixStream as std::os::fd::FromRawFd>::from_raw_fd(fd) };
            let Ok(stream) = tokio::net::UnixStream::from_std(std_stream) else { continue };
            adopt(shared, store, stream, |s| crate::conn::admit_unix(shared, s, path), buf);
            continue;
        }
        // SAFETY: `fd` is a fresh connected socket nobody else owns.
        let std_stream = unsafe { <std::net::TcpStream as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        let Ok(peer) = std_stream.peer_addr() else { continue };
        let Ok(stream) = tokio::net::TcpStream::from_std(std_stream) else { continue };
        adopt(shared, store, stream, |s| crate::conn::admit(shared, s, peer), buf);
    }
}

/// Admits a connection the poller accepted, hands it to tokio as the
/// accept loop would, and serves its waiting requests at once.
fn adopt<S: crate::conn::ClientStream>(
    shared: &Arc<Shared>,
    store: &mut Store,
    stream: S,
    admit: impl FnOnce(&S) -> Option<(crate::client::Client, tokio::sync::mpsc::UnboundedReceiver<Bytes>)>,
    buf: &mut [u8],
) {
    if shared.shutting_down.load(Ordering::Acquire) {
        return;
    }
    if let Some((client, push_rx)) = admit(&stream) {
        // Its task runs after the script; until then the socket is ours.
        let handle = client.handle.clone();
        tokio::spawn(crate::conn::run_client(shared.clone(), stream, client, push_rx));
        serve_client(shared, store, &handle, buf);
    }
}

/// What to do with one request from an idle client.
enum Action {
    /// Answer it here with what is in the reply buffer.
    Reply,
    /// Leave it, and the rest of the client's input, to its task.
    Defer,
}

/// Serves the complete requests waiting on `h`'s socket, in order, until
/// one must wait for the script's end.
fn serve_client(shared: &Arc<Shared>, store: &mut Store, h: &Arc<ClientHandle>, buf: &mut [u8]) {
    let max_bulk = shared.config.read().hot.proto_max_bulk_len;
    for _ in 0..MAX_PER_CLIENT {
        if h.push_pending.load(Ordering::Acquire) > PENDING_CAP {
            return;
        }
        // SAFETY: `buf` is writable for its length; the fd belongs to a
        // registered client whose task is suspended.
        let n = unsafe { libc::recv(h.fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_PEEK | libc::MSG_DONTWAIT) };
        if n <= 0 {
            return;
        }
        let n = n as usize;
        let (authenticated, db, resp3, in_multi, subscribed, monitor) = {
            let i = h.info.lock();
            (i.authenticated, i.db, i.resp == 3, i.state.multi >= 0, i.state.subscribed(), i.monitor)
        };
        if monitor {
            return;
        }
        let mut input = BytesMut::from(&buf[..n]);
        let mut parser = RequestParser::new();
        let argv = match parser.next(&mut input, &Limits { max_bulk_len: max_bulk, authenticated }) {
            Ok(Some(a)) => a,
            // Incomplete, too long to peek, or malformed: the task deals with it.
            _ => return,
        };
        let used = n - input.len();
        // A stand-in with what the dispatcher's checks read of the client.
        let mut client = crate::client::Client::stand_in(h.clone(), authenticated);
        client.db = db;
        client.resp3 = resp3;
        if in_multi {
            client.multi = Some(MultiState::default());
        }
        if subscribed {
            client.subs.channels.insert(Bytes::new());
        }
        let mut out = Out::new(resp3);
        let action = match crate::dispatch::check(shared, &mut client, store, &argv) {
            Ok(cmd) => {
                let name = (cmd.parent.map(|p| p.name), cmd.spec.name);
                let here = matches!(
                    name,
                    (Some("script"), "kill")
                        | (Some("function"), "kill" | "stats")
                        | (None, "shutdown" | "auth" | "hello" | "multi")
                );
                if here && !in_multi {
                    crate::dispatch::call(shared, &mut client, store, &mut out, &argv, cmd);
                    if client.multi.is_some() {
                        // MULTI: later requests see it through the info, the task through resync.
                        h.info.lock().state.multi = 0;
                    }
                    if matches!(name, (None, "auth" | "hello" | "multi")) {
                        h.busy_resync.store(true, Ordering::Relaxed);
                    }
                    Action::Reply
                } else {
                    Action::Defer
                }
            }
            // A refused EXEC discards the transaction: the task's job.
            Err((Some(cmd), _)) if in_multi && cmd.parent.is_none() && cmd.spec.name == "exec" => Action::Defer,
            Err((cmd, e)) => {
                if let Some(cmd) = cmd {
                    store.cmd_stats[cmd.id].rejected += 1;
                }
                // As Redis's rejectCommand: the transaction is doomed.
                if in_multi {
                    h.busy_doomed.store(true, Ordering::Relaxed);
                }
                crate::dispatch::count_error_code(store, e.code());
                out.error(&e.0);
                Action::Reply
            }
        };
        if let Action::Defer = action {
            return;
        }
        // SAFETY: as above; the bytes were just peeked, so this takes exactly them.
        let got = unsafe { libc::recv(h.fd, buf.as_mut_ptr().cast(), used, libc::MSG_DONTWAIT) };
        if got != used as isize {
            // Cannot happen for peeked bytes; stop touching this client.
            warning!("Lost sync with client id={} while a script was running", h.id);
            h.kill();
            return;
        }
        shared.net.net_input_bytes.fetch_add(used as u64, Ordering::Relaxed);
        h.last_interaction_ms.store(crate::server::now_ms(), Ordering::Relaxed);
        if client.shutdown == Some(ShutdownMode::NoSave) {
            exit_now(shared, store);
        }
        send(shared, h, out.as_bytes());
    }
}

/// Takes what AUTH, HELLO or MULTI, run from [`poll`] on a stand-in,
/// changed in the client's shared info into the connection's own state.
pub fn resync(client: &mut crate::client::Client, out: &mut Out) {
    client.handle.busy_resync.store(false, Ordering::Relaxed);
    let (authenticated, resp3, multi) = {
        let i = client.handle.info.lock();
        (i.authenticated, i.resp == 3, i.state.multi >= 0)
    };
    if multi && client.multi.is_none() {
        client.multi = Some(MultiState::default());
    }
    client.authenticated = authenticated;
    client.resp3 = resp3;
    out.set_resp3(resp3);
}

/// Writes `bytes` to the client without blocking; the rest (or all of it,
/// when pushed messages wait and must go first) goes through its push queue.
fn send(shared: &Shared, h: &ClientHandle, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let mut off = 0;
    if h.push_pending.load(Ordering::Acquire) == 0 {
        // SAFETY: `bytes` is readable for its length; the fd is the client's.
        let n =
            unsafe { libc::send(h.fd, bytes.as_ptr().cast(), bytes.len(), libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
        if n > 0 {
            off = n as usize;
        }
    }
    shared.net.net_output_bytes.fetch_add(off as u64, Ordering::Relaxed);
    if off < bytes.len() {
        h.push(Bytes::copy_from_slice(&bytes[off..]), 0);
    }
}

/// SHUTDOWN NOSAVE while busy: the script never ends, so the process exits
/// from here, after what a normal shutdown does without saving (the AOF's
/// last bytes reach the disk, the pidfile goes).
fn exit_now(shared: &Shared, store: &mut Store) -> ! {
    notice!("User requested shutdown...");
    crate::server::shutdown_locked(shared, store, ShutdownMode::NoSave);
    std::process::exit(crate::server::shutdown_finish(shared))
}

/// SIGTERMs and SIGINTs received so far, and that count as of the last
/// SIGINT. Tokio's handler task cannot run while a script holds the
/// thread, so the hook looks here.
static SIGNALS: AtomicU64 = AtomicU64::new(0);
static LAST_SIGINT: AtomicU64 = AtomicU64::new(0);

/// Counts SIGTERM and SIGINT (next to tokio's own handling of them).
pub fn watch_signals() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: the actions only touch atomics (async-signal-safe).
        unsafe {
            let _ = signal_hook_registry::register(libc::SIGTERM, || {
                SIGNALS.fetch_add(1, Ordering::Relaxed);
            });
            let _ = signal_hook_registry::register(libc::SIGINT, || {
                let n = SIGNALS.fetch_add(1, Ordering::Relaxed) + 1;
                LAST_SIGINT.store(n, Ordering::Relaxed);
            });
        }
    });
}
