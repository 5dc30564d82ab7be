//! Client state: the part only the connection task touches ([`Client`]) and
//! the part other clients read for CLIENT LIST / KILL and push messages to
//! ([`ClientHandle`], shared through the registry).

use bytes::Bytes;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, Notify};

/// Size of Redis's per-client reply buffer and of its reply-list blocks
/// (CLIENT LIST `rbs`, and how `obl`/`oll`/`omem` split pending output).
pub const REPLY_BLOCK: usize = 16 * 1024;

/// Fields CLIENT LIST / CLIENT INFO print that change while the client runs.
#[derive(Default, Clone)]
pub struct ClientInfo {
    pub name: Vec<u8>,
    pub db: usize,
    pub resp: u8,
    pub lib_name: Vec<u8>,
    pub lib_ver: Vec<u8>,
    pub monitor: bool,
    pub no_evict: bool,
    pub no_touch: bool,
    pub authenticated: bool,
    /// (channels, patterns, shard channels, queued MULTI commands or -1, blocked, watch dirty)
    pub state: ClientState,
}

/// The parts of a client's state CLIENT LIST shows as counts and flags.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub struct ClientState {
    pub sub: usize,
    pub psub: usize,
    pub ssub: usize,
    /// Queued commands inside MULTI, -1 outside.
    pub multi: i64,
    /// Bytes of the queued commands.
    pub multi_mem: usize,
    pub blocked: bool,
    pub dirty_cas: bool,
}

impl ClientState {
    /// Subscribed to anything (channels, patterns or shard channels): Redis's
    /// `P` flag and `pubsub` client type.
    pub fn subscribed(&self) -> bool {
        self.sub + self.psub + self.ssub > 0
    }
}

/// The shared half of a client.
pub struct ClientHandle {
    pub id: u64,
    pub addr: String,
    pub laddr: String,
    pub fd: i32,
    /// Creation time, Unix ms.
    pub created_ms: u64,
    pub info: Mutex<ClientInfo>,
    /// Last command time, Unix ms.
    pub last_interaction_ms: AtomicU64,
    killed: AtomicBool,
    kill_notify: Notify,
    push_tx: mpsc::UnboundedSender<Bytes>,
    /// Bytes pushed but not yet written (MONITOR lines, later pub/sub).
    pub push_pending: AtomicUsize,
    /// Query buffer: bytes received and not yet run, and the buffer's
    /// capacity (CLIENT LIST qbuf/qbuf-free, INFO's input-buffer figures).
    /// Relaxed stores by the connection task, once per read.
    pub qbuf: AtomicUsize,
    pub qbuf_cap: AtomicUsize,
    /// Largest query buffer capacity past 64 KiB since the cron last
    /// looked, so that a big request run between two cron ticks still
    /// shows in INFO's client_recent_max_input_buffer.
    pub qbuf_peak: AtomicUsize,
    /// Reply bytes the connection task is writing and the socket has not
    /// taken yet (nonzero while a client does not read its replies).
    pub out_pending: AtomicUsize,
    /// Command-table id + 1 of the client's last command (0: none, or an
    /// unknown one), for CLIENT LIST `cmd=`.
    pub last_cmd: AtomicUsize,
    /// The connection task waits for input with nothing buffered or
    /// half-parsed: a long script may serve this client (`busy.rs`).
    pub serviceable: AtomicBool,
    /// A command was refused (BUSY) while this client was in MULTI: its
    /// EXEC must abort (merged into `MultiState::error` by the dispatcher).
    pub busy_doomed: AtomicBool,
    /// AUTH or HELLO ran for this client while a script was busy: the task
    /// takes `authenticated` and the protocol back from `info`.
    pub busy_resync: AtomicBool,
}

impl ClientHandle {
    /// A new handle and the receiver its connection drains.
    pub fn new(
        id: u64,
        addr: String,
        laddr: String,
        fd: i32,
        now_ms: u64,
    ) -> (Arc<ClientHandle>, mpsc::UnboundedReceiver<Bytes>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let h = ClientHandle {
            id,
            addr,
            laddr,
            fd,
            created_ms: now_ms,
            info: Mutex::new(ClientInfo {
                resp: 2,
                state: ClientState { multi: -1, ..Default::default() },
                ..Default::default()
            }),
            last_interaction_ms: AtomicU64::new(now_ms),
            killed: AtomicBool::new(false),
            kill_notify: Notify::new(),
            push_tx: tx,
            push_pending: AtomicUsize::new(0),
            qbuf: AtomicUsize::new(0),
            qbuf_cap: AtomicUsize::new(0),
            qbuf_peak: AtomicUsize::new(0),
            out_pending: AtomicUsize::new(0),
            last_cmd: AtomicUsize::new(0),
            serviceable: AtomicBool::new(false),
            busy_doomed: AtomicBool::new(false),
            busy_resync: AtomicBool::new(false),
        };
        (Arc::new(h), rx)
    }

    /// Reply bytes waiting for the client: a write in progress plus
    /// queued pushes.
    pub fn output_bytes(&self) -> usize {
        self.out_pending.load(Ordering::Relaxed) + self.push_pending.load(Ordering::Relaxed)
    }

    /// Output as Redis's CLIENT LIST splits it: (obl, oll, omem). Redis
    /// fills a 16 KiB buffer first, then a list of 16 KiB blocks; pending
    /// bytes are shown the same way.
    pub fn output_split(&self) -> (usize, usize, usize) {
        let total = self.output_bytes();
        let obl = total.min(REPLY_BLOCK);
        let rest = total - obl;
        (obl, rest.div_ceil(REPLY_BLOCK), rest)
    }

    /// Memory the client holds (CLIENT LIST tot-mem, INFO's
    /// mem_clients_normal): its query buffer, pending output and state.
    pub fn memory(&self) -> usize {
        self.qbuf_cap.load(Ordering::Relaxed)
            + self.output_bytes()
            + std::mem::size_of::<ClientHandle>()
            + std::mem::size_of::<Client>()
    }

    /// True for clients connected from 127.0.0.1 or ::1 (what Redis's
    /// protected mode and `local` settings trust).
    pub fn is_local(&self) -> bool {
        self.is_unix() || self.addr.parse().is_ok_and(crate::conn::is_local)
    }

    /// Connected through `unixsocket` (its addr is the socket's path, as in Redis).
    pub fn is_unix(&self) -> bool {
        self.addr.starts_with('/')
    }

    /// Asks the connection to close as soon as it can.
    pub fn kill(&self) {
        self.killed.store(true, Ordering::Release);
        self.kill_notify.notify_one();
    }

    /// True once [`kill`](Self::kill) was called.
    pub fn is_killed(&self) -> bool {
        self.killed.load(Ordering::Acquire)
    }

    /// Resolves when the client is killed.
    pub async fn killed(&self) {
        if self.is_killed() {
            return;
        }
        self.kill_notify.notified().await
    }

    /// Queues pre-encoded bytes for the client. Kills the client instead
    /// when more than `limit` bytes are already waiting (0 = no limit), so a
    /// client that stops reading cannot grow server memory without bound.
    pub fn push(&self, msg: Bytes, limit: usize) {
        let pending = self.push_pending.fetch_add(msg.len(), Ordering::AcqRel) + msg.len();
        if limit != 0 && pending > limit {
            self.kill();
            return;
        }
        if self.push_tx.send(msg).is_err() {
            self.kill();
        }
    }
}

/// CLIENT REPLY mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    On,
    Off,
    /// Skip the next command's reply.
    SkipNext,
    /// Skipping the current command's reply.
    Skipping,
}

/// Requests a command makes of its connection, acted on after the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShutdownMode {
    Default,
    Save,
    NoSave,
    /// SHUTDOWN already saved under the lock; save again only if something changed since.
    Saved,
}

/// A MULTI block being queued.
#[derive(Default)]
pub struct MultiState {
    /// Queued commands with what they resolved to.
    pub queue: Vec<(Vec<Bytes>, crate::command::Resolved)>,
    /// A command was rejected while queueing: EXEC must answer EXECABORT.
    pub error: bool,
    /// CLIENT LIST `multi-mem`, counted as Redis counts it: argument
    /// bytes plus a pointer per argument.
    pub bytes: usize,
}

impl MultiState {
    /// Queues a command.
    pub fn push(&mut self, argv: &[Bytes], cmd: crate::command::Resolved) {
        self.bytes += argv.iter().map(|a| a.len() + std::mem::size_of::<usize>()).sum::<usize>();
        self.queue.push((argv.to_vec(), cmd));
    }
}

/// What a blocking command asked for (see `Ctx::block`); the dispatcher
/// turns it into a registration in the store.
pub struct BlockRequest {
    pub keys: Vec<Bytes>,
    pub timeout_ms: u64,
    /// The command to re-run when a key is ready, when it differs from the
    /// one that blocked (XREAD pins `$` to the ID it stood for).
    pub argv: Option<Vec<Bytes>>,
}

/// A client parked by a blocking command, waiting for its reply.
pub struct BlockedWait {
    /// The reply, sent by whoever serves the client (a writer, CLIENT UNBLOCK).
    pub rx: tokio::sync::oneshot::Receiver<Bytes>,
    /// Unix ms when the timeout reply (a null array) is due (0 = never).
    pub deadline_ms: u64,
}

/// Pub/Sub subscriptions of one client (channel names, patterns, shard channels).
#[derive(Default)]
pub struct Subscriptions {
    pub channels: std::collections::HashSet<Bytes>,
    pub patterns: std::collections::HashSet<Bytes>,
    pub shard: std::collections::HashSet<Bytes>,
}

impl Subscriptions {
    /// Channels plus patterns (the count SUBSCRIBE replies carry).
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }
    /// True when any subscription is active (RESP2 subscribed mode).
    pub fn any(&self) -> bool {
        !self.channels.is_empty() || !self.patterns.is_empty() || !self.shard.is_empty()
    }
}

/// The connection-local half of a client.
pub struct Client {
    pub handle: Arc<ClientHandle>,
    pub db: usize,
    pub authenticated: bool,
    pub close_after_reply: bool,
    pub reply_mode: ReplyMode,
    pub no_touch: bool,
    pub monitor: bool,
    pub shutdown: Option<ShutdownMode>,
    /// The connection speaks RESP3 (HELLO 3).
    pub resp3: bool,
    /// Inside MULTI: the queue.
    pub multi: Option<MultiState>,
    /// Running EXEC (or, later, a script): blocking commands must not block.
    pub in_exec: bool,
    /// WATCHed keys (db, key); the flag is set when one of them changes.
    pub watched: Vec<(usize, Bytes)>,
    pub watch_dirty: Arc<AtomicBool>,
    /// Set by a blocking command that found nothing to serve.
    pub block_req: Option<BlockRequest>,
    /// Set while the client is parked.
    pub blocked: Option<BlockedWait>,
    pub subs: Subscriptions,
    /// What CLIENT LIST last saw of `state()`.
    pub shown_state: ClientState,
    /// The last command name this client sent and what it resolved to.
    pub last_resolved: Option<(Vec<u8>, crate::command::Resolved)>,
    /// The client scripts run their commands with (MONITOR shows it as `lua`;
    /// its commands stay out of the slow log).
    pub lua: bool,
}

impl Client {
    pub fn new(handle: Arc<ClientHandle>, authenticated: bool) -> Client {
        handle.info.lock().authenticated = authenticated;
        Client::stand_in(handle, authenticated)
    }

    /// A client for `handle` that leaves its shared info alone: what a
    /// long script's poller (`busy.rs`) runs another client's commands with.
    pub fn stand_in(handle: Arc<ClientHandle>, authenticated: bool) -> Client {
        Client {
            handle,
            db: 0,
            authenticated,
            close_after_reply: false,
            reply_mode: ReplyMode::On,
            no_touch: false,
            monitor: false,
            shutdown: None,
            resp3: false,
            multi: None,
            in_exec: false,
            watched: Vec::new(),
            watch_dirty: Arc::new(AtomicBool::new(false)),
            block_req: None,
            blocked: None,
            subs: Subscriptions::default(),
            shown_state: ClientState { multi: -1, ..Default::default() },
            last_resolved: None,
            lua: false,
        }
    }

    /// Counts and flags for CLIENT LIST.
    pub fn state(&self) -> ClientState {
        ClientState {
            sub: self.subs.channels.len(),
            psub: self.subs.patterns.len(),
            ssub: self.subs.shard.len(),
            multi: self.multi.as_ref().map_or(-1, |m| m.queue.len() as i64),
            multi_mem: self.multi.as_ref().map_or(0, |m| m.bytes),
            blocked: self.blocked.is_some(),
            dirty_cas: self.watch_dirty.load(Ordering::Relaxed),
        }
    }

    /// Publishes `state()` to the shared handle when it changed (one
    /// comparison per command in the common case).
    pub fn sync_state(&mut self) {
        let st = self.state();
        if st != self.shown_state {
            self.shown_state = st;
            self.handle.info.lock().state = st;
        }
    }

    /// A stand-in for a parked client, used to run its command again when a
    /// key it waits on is written (the real `Client` belongs to its connection task).
    pub fn for_retry(handle: Arc<ClientHandle>, db: usize, resp3: bool) -> Client {
        let mut c = Client::new(handle, true);
        c.db = db;
        c.resp3 = resp3;
        c
    }

    pub fn id(&self) -> u64 {
        self.handle.id
    }

    /// Switches database and records it for CLIENT LIST.
    pub fn select(&mut self, db: usize) {
        self.db = db;
        self.handle.info.lock().db = db;
    }
}
