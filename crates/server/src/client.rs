//! Client state: the part only the connection task touches ([`Client`]) and
//! the part other clients read for CLIENT LIST / KILL and push messages to
//! ([`ClientHandle`], shared through the registry).

use bytes::Bytes;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, Notify};

/// Fields CLIENT LIST / CLIENT INFO print that change while the client runs.
#[derive(Default, Clone)]
pub struct ClientInfo {
    pub name: Vec<u8>,
    pub db: usize,
    pub resp: u8,
    pub lib_name: Vec<u8>,
    pub lib_ver: Vec<u8>,
    /// Full name of the last command (`client|list`).
    pub last_cmd: String,
    pub monitor: bool,
    pub no_evict: bool,
    pub no_touch: bool,
    pub qbuf: usize,
    pub authenticated: bool,
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
            info: Mutex::new(ClientInfo { resp: 2, ..Default::default() }),
            last_interaction_ms: AtomicU64::new(now_ms),
            killed: AtomicBool::new(false),
            kill_notify: Notify::new(),
            push_tx: tx,
            push_pending: AtomicUsize::new(0),
        };
        (Arc::new(h), rx)
    }

    /// True for clients connected from 127.0.0.1 or ::1 (what Redis's
    /// protected mode and `local` settings trust).
    pub fn is_local(&self) -> bool {
        self.addr.parse().is_ok_and(crate::conn::is_local)
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
}

impl Client {
    pub fn new(handle: Arc<ClientHandle>, authenticated: bool) -> Client {
        handle.info.lock().authenticated = authenticated;
        Client {
            handle,
            db: 0,
            authenticated,
            close_after_reply: false,
            reply_mode: ReplyMode::On,
            no_touch: false,
            monitor: false,
            shutdown: None,
        }
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
