//! Connections: admission (maxclients, protected mode), then the per-client
//! loop that reads, parses every complete request in the buffer, runs them
//! under one store lock, and writes all replies with one syscall.

use crate::client::{Client, ClientHandle};
use crate::command::flags;
use crate::dispatch;
use crate::errors;
use crate::server::{now_ms, Shared};
use crate::{verbose, warning};
use bytes::{Bytes, BytesMut};
use resp::{Limits, Out, RequestParser};
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Query buffer cap for clients that have not authenticated yet (CVE-2021-32675).
const UNAUTH_QUERY_LIMIT: usize = 1024 * 1024;
/// Commands run per lock hold before letting other clients in.
const BATCH_PER_LOCK: usize = 256;
/// Reply bytes after which a long pipeline's replies are written out
/// before the rest of it runs, so a pipeline never holds more than about
/// this much reply memory.
const FLUSH_AT: usize = 64 * 1024;
/// Largest reply buffer when `client-output-buffer-limit normal` sets no
/// hard limit: a single reply past 1 GiB (`HRANDFIELD h -999999999`,
/// `SRANDMEMBER s -9223372036854775807`) closes the connection instead of
/// exhausting memory.
const REPLY_SAFETY_CAP: usize = 1 << 30;
/// Read buffer growth step.
const READ_CHUNK: usize = 16 * 1024;
/// Query/reply buffer capacity a connection keeps between requests; larger
/// allocations are released once drained.
const IDLE_BUF_KEEP: usize = 64 * 1024;
/// Longest `addr=`/`laddr=` of a unix socket client (Redis's NET_ADDR_STR_LEN - 1).
const UNIX_ADDR_MAX: usize = 77;
/// Time a TLS client has to complete its handshake; one that stalls would
/// otherwise hold a socket and a task that maxclients does not count yet.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A client connection's byte stream: plain TCP or TLS over it.
pub(crate) trait ClientStream: AsyncRead + AsyncWrite + Unpin + Send + 'static {
    /// TLS: a long script's poller cannot serve it (`busy.rs` reads the
    /// raw socket), and closing sends a close_notify first.
    const TLS: bool;
}

impl ClientStream for TcpStream {
    const TLS: bool = false;
}

impl ClientStream for tokio_rustls::server::TlsStream<TcpStream> {
    const TLS: bool = true;
}

impl ClientStream for tokio::net::UnixStream {
    const TLS: bool = false;
}

/// Accepts `unixsocket` connections until the process exits. They skip
/// protected mode (they are local, as in Redis); maxclients applies.
pub async fn accept_unix_loop(shared: Arc<Shared>, listener: tokio::net::UnixListener, path: String) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                if shared.shutting_down.load(Ordering::Acquire) {
                    continue;
                }
                if let Some((client, push_rx)) = admit_unix(&shared, &stream, &path) {
                    tokio::spawn(run_client(shared.clone(), stream, client, push_rx));
                }
            }
            Err(e) => {
                warning!("Accepting client connection: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// Accepts connections until the process exits or the listeners are
/// replaced (`gen` changes: CONFIG SET port/tls-port/bind). A failing
/// accept (for example EMFILE) is logged and retried; it never stops the
/// loop. On a `tls` listener each connection's handshake runs in its task.
pub async fn accept_loop(
    shared: Arc<Shared>,
    listener: TcpListener,
    mut gen: tokio::sync::watch::Receiver<u64>,
    tls: bool,
) {
    loop {
        let accepted = tokio::select! {
            biased;
            _ = gen.changed() => return,
            r = listener.accept() => r,
        };
        match accepted {
            Ok((stream, peer)) => {
                if shared.shutting_down.load(Ordering::Acquire) {
                    continue;
                }
                if tls {
                    // maxclients is checked before the handshake, as in
                    // Redis: a full server spends no crypto on the
                    // connection, and the TLS client just sees it closed.
                    // Handshakes in progress count too, so stalled ones
                    // cannot pile up.
                    let maxclients = shared.config.read().hot.maxclients;
                    if shared.tls.handshaking.load(Ordering::Relaxed) >= maxclients {
                        shared.net.rejected_connections.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    if max_clients_reached(&shared).is_some() {
                        continue; // (counted there; the reply has no channel yet)
                    }
                    // The context in force now; CONFIG SET may replace it later.
                    if let Some(acceptor) = shared.tls.acceptor() {
                        shared.tls.handshaking.fetch_add(1, Ordering::Relaxed);
                        tokio::spawn(accept_tls(shared.clone(), stream, peer, acceptor));
                    }
                    continue;
                }
                // Admitted (registered) at once, so that a script that
                // starts before this connection's task runs can serve it (busy.rs).
                if let Some((client, push_rx)) = admit(&shared, &stream, peer) {
                    tokio::spawn(run_client(shared.clone(), stream, client, push_rx));
                }
            }
            Err(e) => {
                warning!("Accepting client connection: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// A `tls-port` connection: the handshake (bounded in time), then the
/// same admission checks as plain connections, whose refusal the client
/// now receives over TLS, then the client loop.
async fn accept_tls(shared: Arc<Shared>, stream: TcpStream, peer: SocketAddr, acceptor: tokio_rustls::TlsAcceptor) {
    /// Counted in `handshaking` by the accept loop until the handshake ends.
    struct Pending<'a>(&'a std::sync::atomic::AtomicUsize);
    impl Drop for Pending<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::Relaxed);
        }
    }
    let pending = Pending(&shared.tls.handshaking);
    prepare_socket(&shared, &stream);
    let fd = stream.as_raw_fd();
    let laddr = stream.local_addr().map(fmt_addr).unwrap_or_default();
    let handshake = async {
        // A TLS client starts with a handshake record (0x16). Anything else
        // is plain text on the TLS port: close at once with a reset and no
        // reply, as Redis (OpenSSL) does, rather than answer with a TLS
        // alert that a RESP client would read as a reply.
        let mut first = [0u8; 1];
        match stream.peek(&mut first).await {
            Ok(1) if first[0] == 0x16 => {}
            Ok(0) | Err(_) => return Err("unexpected eof while reading".to_string()),
            _ => {
                let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
                return Err("wrong version number".to_string());
            }
        }
        acceptor.accept(stream).await.map_err(|e| e.to_string())
    };
    let mut tls = match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, handshake).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            warning!("Error accepting a client connection: {e} (addr={})", fmt_addr(peer));
            return;
        }
        Err(_) => {
            warning!("Error accepting a client connection: TLS handshake timed out (addr={})", fmt_addr(peer));
            return;
        }
    };
    drop(pending);
    if shared.shutting_down.load(Ordering::Acquire) {
        return;
    }
    if let Some(msg) = refusal(&shared, peer) {
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            let _ = tls.write_all(msg.as_bytes()).await;
            let _ = tls.shutdown().await;
        })
        .await;
        return;
    }
    let (client, push_rx) = register(&shared, fd, laddr, peer);
    run_client(shared, tls, client, push_rx).await;
}

fn fmt_addr(a: SocketAddr) -> String {
    match a {
        SocketAddr::V4(v) => format!("{}:{}", v.ip(), v.port()),
        SocketAddr::V6(v) => format!("[{}]:{}", v.ip(), v.port()),
    }
}

/// Protected mode trusts exactly 127.0.0.1 and ::1, as Redis does (not the
/// whole loopback range).
pub fn is_local(peer: SocketAddr) -> bool {
    match peer.ip() {
        std::net::IpAddr::V4(a) => a == std::net::Ipv4Addr::LOCALHOST,
        std::net::IpAddr::V6(a) => {
            a == std::net::Ipv6Addr::LOCALHOST || a.to_ipv4_mapped() == Some(std::net::Ipv4Addr::LOCALHOST)
        }
    }
}

/// Admission checks (maxclients, protected mode) and registration, without
/// awaiting, so that a long script's poller (`busy.rs`) can admit a
/// connection it accepted. A refused connection gets its error (one small
/// write to a fresh socket) and None. The client starts serviceable: it
/// has sent nothing its task has read.
pub(crate) fn admit(
    shared: &Arc<Shared>,
    stream: &TcpStream,
    peer: SocketAddr,
) -> Option<(Client, tokio::sync::mpsc::UnboundedReceiver<Bytes>)> {
    prepare_socket(shared, stream);
    if let Some(msg) = refusal(shared, peer) {
        let _ = stream.try_write(msg.as_bytes());
        return None;
    }
    let laddr = stream.local_addr().map(fmt_addr).unwrap_or_default();
    let (client, push_rx) = register(shared, stream.as_raw_fd(), laddr, peer);
    client.handle.serviceable.store(true, Ordering::Relaxed);
    Some((client, push_rx))
}

/// [`admit`] for a `unixsocket` connection: maxclients only (it is
/// local), and Redis's `<path>:0` as both of its addresses.
pub(crate) fn admit_unix(
    shared: &Arc<Shared>,
    stream: &tokio::net::UnixStream,
    path: &str,
) -> Option<(Client, tokio::sync::mpsc::UnboundedReceiver<Bytes>)> {
    if let Some(msg) = max_clients_reached(shared) {
        let _ = stream.try_write(msg.as_bytes());
        return None;
    }
    // Redis formats it into a 78-byte buffer, so a long path loses its end.
    let mut addr = format!("{path}:0");
    let mut cut = addr.len().min(UNIX_ADDR_MAX);
    while !addr.is_char_boundary(cut) {
        cut -= 1;
    }
    addr.truncate(cut);
    let (client, push_rx) = register_addr(shared, stream.as_raw_fd(), addr.clone(), addr);
    client.handle.serviceable.store(true, Ordering::Relaxed);
    Some((client, push_rx))
}

/// Sets a new connection's socket options.
fn prepare_socket(shared: &Shared, stream: &TcpStream) {
    let _ = stream.set_nodelay(true);
    let keepalive = shared.config.read().hot.tcp_keepalive;
    if keepalive > 0 {
        let ka = socket2::TcpKeepalive::new()
            .with_time(Duration::from_secs(keepalive))
            .with_interval(Duration::from_secs((keepalive / 3).max(1)));
        let _ = socket2::SockRef::from(stream).set_tcp_keepalive(&ka);
    }
}

/// The error a connection from `peer` is refused with (maxclients,
/// protected mode), or None when it may stay.
fn refusal(shared: &Shared, peer: SocketAddr) -> Option<String> {
    if let Some(msg) = max_clients_reached(shared) {
        return Some(msg);
    }
    let (protected, has_pass) = {
        let c = shared.config.read();
        (c.hot.protected_mode, c.hot.requirepass.is_some())
    };
    if protected && !has_pass && !is_local(peer) {
        shared.net.rejected_connections.fetch_add(1, Ordering::Relaxed);
        return Some(errors::DENIED.to_string());
    }
    None
}

/// The maxclients refusal, counted, when the server is full.
fn max_clients_reached(shared: &Shared) -> Option<String> {
    let maxclients = shared.config.read().hot.maxclients;
    if shared.client_count.load(Ordering::Acquire) >= maxclients {
        shared.net.rejected_connections.fetch_add(1, Ordering::Relaxed);
        return Some(format!("-{}\r\n", errors::MAX_CLIENTS));
    }
    None
}

/// Registers an admitted TCP connection as a client.
fn register(
    shared: &Arc<Shared>,
    fd: i32,
    laddr: String,
    peer: SocketAddr,
) -> (Client, tokio::sync::mpsc::UnboundedReceiver<Bytes>) {
    register_addr(shared, fd, fmt_addr(peer), laddr)
}

/// Registers an admitted connection as a client with these addresses.
/// Only admitted ones count in `total_connections_received`, as in Redis
/// (refusals, maxclients or DENIED, count in `rejected_connections`).
fn register_addr(
    shared: &Arc<Shared>,
    fd: i32,
    addr: String,
    laddr: String,
) -> (Client, tokio::sync::mpsc::UnboundedReceiver<Bytes>) {
    shared.net.connections_received.fetch_add(1, Ordering::Relaxed);
    let has_pass = shared.config.read().hot.requirepass.is_some();
    let id = shared.next_client_id.fetch_add(1, Ordering::Relaxed);
    let (handle, push_rx) = ClientHandle::new(id, addr, laddr, fd, now_ms());
    shared.clients.lock().insert(id, handle.clone());
    shared.client_count.fetch_add(1, Ordering::AcqRel);
    (Client::new(handle, !has_pass), push_rx)
}

/// The client loop of an admitted connection, then cleanup.
pub(crate) async fn run_client<S: ClientStream>(
    shared: Arc<Shared>,
    mut stream: S,
    mut client: Client,
    push_rx: tokio::sync::mpsc::UnboundedReceiver<Bytes>,
) {
    let id = client.id();
    client_loop(&shared, &mut stream, &mut client, push_rx).await;
    client.handle.serviceable.store(false, Ordering::Relaxed);
    forget_client(&shared, &mut client);
    shared.clients.lock().remove(&id);
    shared.client_count.fetch_sub(1, Ordering::AcqRel);
    {
        let mut mons = shared.monitors.lock();
        if let Some(i) = mons.iter().position(|m| m.id == id) {
            mons.swap_remove(i);
            shared.monitor_count.fetch_sub(1, Ordering::AcqRel);
        }
    }
    if S::TLS {
        // close_notify, as Redis sends since 7.0.3; bounded, since the
        // peer may not be reading.
        let _ = tokio::time::timeout(Duration::from_millis(100), stream.shutdown()).await;
    }
}

/// Drops what the store keeps about a departing client: its parked
/// blocking command, subscriptions and watched keys.
fn forget_client(shared: &Shared, client: &mut Client) {
    let id = client.id();
    let mut st = shared.store.lock();
    st.blocking.cancel(id);
    crate::cmd::pubsub::forget_client(&mut st, client);
    crate::cmd::multi::forget_watches(&mut st, client, id);
}

/// Writes `buf` unless the client is killed first (a client that stops
/// reading must not pin its connection task, and with it its memory).
async fn write_or_killed<S: ClientStream>(stream: &mut S, handle: &ClientHandle, buf: &[u8]) -> bool {
    tokio::select! {
        biased;
        _ = handle.killed() => false,
        // (flush is free on TCP; TLS may hold the last record until then.)
        r = async { stream.write_all(buf).await?; stream.flush().await } => r.is_ok(),
    }
}

/// What processing the buffered input ended with.
enum Step {
    /// Everything buffered was handled; read more.
    NeedInput,
    /// A CLIENT PAUSE holds the next command back.
    Paused,
    /// Replies piled up: write them, then go on with the buffered input.
    Flush,
    /// Close the connection after writing what is in `out`.
    Close,
    /// A blocking command parked the client: wait for its reply.
    Blocked,
}

struct Conn {
    parser: RequestParser,
    rbuf: BytesMut,
    out: Out,
    /// A request held back by CLIENT PAUSE.
    held: Option<Vec<Bytes>>,
}

async fn client_loop<S: ClientStream>(
    shared: &Arc<Shared>,
    stream: &mut S,
    client: &mut Client,
    mut push_rx: tokio::sync::mpsc::UnboundedReceiver<Bytes>,
) {
    let mut c = Conn {
        parser: RequestParser::new(),
        rbuf: BytesMut::with_capacity(READ_CHUNK),
        out: Out::new(false),
        held: None,
    };
    let handle = client.handle.clone();
    loop {
        let step = process(shared, client, &mut c);
        handle.qbuf.store(c.rbuf.len() + c.parser.pending_bytes(), Ordering::Relaxed);
        if !c.out.is_empty() {
            // appendfsync: the batch's writes reach the file (and with
            // `always` the disk) before any of its replies leave.
            crate::aof::before_reply(shared);
            let n = c.out.len() as u64;
            handle.out_pending.store(c.out.len(), Ordering::Relaxed);
            if !write_or_killed(stream, &handle, c.out.as_bytes()).await {
                return;
            }
            handle.out_pending.store(0, Ordering::Relaxed);
            shared.net.net_output_bytes.fetch_add(n, Ordering::Relaxed);
            shared.net.writes_processed.fetch_add(1, Ordering::Relaxed);
            c.out.clear_and_shrink(IDLE_BUF_KEEP);
        }
        if let Some(mode) = client.shutdown.take() {
            shared.request_shutdown(mode);
        }
        match step {
            Step::Close => return,
            Step::Paused => {
                wait_pause(shared, &handle).await;
                continue;
            }
            Step::Flush => continue,
            Step::Blocked => {
                let go_on = wait_blocked(shared, stream, client, &mut c, &mut push_rx).await;
                client.sync_state();
                if go_on {
                    continue;
                }
                return;
            }
            Step::NeedInput => {}
        }
        if handle.is_killed() {
            return;
        }
        // A big pipeline grew the query buffer; once it is consumed, give
        // the memory back (it counts against maxmemory), as Redis does.
        if c.rbuf.is_empty() && c.rbuf.capacity() > IDLE_BUF_KEEP {
            c.rbuf = BytesMut::with_capacity(READ_CHUNK);
        }
        if c.rbuf.capacity() - c.rbuf.len() < READ_CHUNK / 2 {
            c.rbuf.reserve(READ_CHUNK);
        }
        // Nothing buffered, half-parsed or held: while this task waits, a
        // long script may answer this client's requests (busy.rs; not over TLS).
        let idle = !S::TLS && c.rbuf.is_empty() && c.parser.pending_bytes() == 0 && c.held.is_none();
        handle.serviceable.store(idle, Ordering::Relaxed);
        tokio::select! {
            biased;
            _ = handle.killed() => return,
            msg = push_rx.recv() => {
                let Some(mut msg) = msg else { return };
                loop {
                    handle.push_pending.fetch_sub(msg.len(), Ordering::AcqRel);
                    c.out.raw(&msg);
                    match push_rx.try_recv() {
                        Ok(m) => msg = m,
                        Err(_) => break,
                    }
                }
            }
            r = stream.read_buf(&mut c.rbuf) => {
                match r {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        shared.net.net_input_bytes.fetch_add(n as u64, Ordering::Relaxed);
                        shared.net.reads_processed.fetch_add(1, Ordering::Relaxed);
                        handle.qbuf.store(c.rbuf.len() + c.parser.pending_bytes(), Ordering::Relaxed);
                        handle.qbuf_cap.store(c.rbuf.capacity(), Ordering::Relaxed);
                        if c.rbuf.capacity() > IDLE_BUF_KEEP {
                            handle.qbuf_peak.fetch_max(c.rbuf.capacity(), Ordering::Relaxed);
                        }
                        shared.spin.touch();
                        handle.last_interaction_ms.store(crate::clock::stamp().unix_us() / 1000, Ordering::Relaxed);
                    }
                }
            }
        }
        handle.serviceable.store(false, Ordering::Relaxed);
    }
}

/// Waits while the client is parked by a blocking command: for its reply
/// (served by a writer or CLIENT UNBLOCK), its timeout, a kill or a
/// disconnect. Input that arrives meanwhile is buffered (within the query
/// buffer limit) and runs afterwards; pub/sub pushes are forwarded. Returns
/// false when the connection must close.
async fn wait_blocked<S: ClientStream>(
    shared: &Arc<Shared>,
    stream: &mut S,
    client: &mut Client,
    c: &mut Conn,
    push_rx: &mut tokio::sync::mpsc::UnboundedReceiver<Bytes>,
) -> bool {
    let handle = client.handle.clone();
    let Some(mut w) = client.blocked.take() else { return true };
    let sleep = async {
        if w.deadline_ms == 0 {
            std::future::pending::<()>().await
        } else {
            tokio::time::sleep(Duration::from_millis(w.deadline_ms.saturating_sub(now_ms()))).await
        }
    };
    tokio::pin!(sleep);
    let qlimit = shared.config.read().hot.query_buffer_limit;
    loop {
        // A big pipeline grew the query buffer; once it is consumed, give
        // the memory back (it counts against maxmemory), as Redis does.
        if c.rbuf.is_empty() && c.rbuf.capacity() > IDLE_BUF_KEEP {
            c.rbuf = BytesMut::with_capacity(READ_CHUNK);
        }
        if c.rbuf.capacity() - c.rbuf.len() < READ_CHUNK / 2 {
            c.rbuf.reserve(READ_CHUNK);
        }
        tokio::select! {
            biased;
            _ = handle.killed() => return false,
            r = &mut w.rx => {
                // A dropped sender means the store forgot us (shutdown): close.
                let Ok(reply) = r else { return false };
                c.out.raw(&reply);
                return true;
            }
            _ = &mut sleep => {
                let mut st = shared.store.lock();
                if st.blocking.cancel(client.id()).is_some() {
                    // Once parked, every blocking command of Redis 7.0 times out with a null array.
                    c.out.null_array();
                } else if let Ok(reply) = w.rx.try_recv() {
                    // Served in the same instant the timer fired.
                    c.out.raw(&reply);
                }
                return true;
            }
            msg = push_rx.recv() => {
                let Some(msg) = msg else { return false };
                handle.push_pending.fetch_sub(msg.len(), Ordering::AcqRel);
                handle.out_pending.store(msg.len(), Ordering::Relaxed);
                if !write_or_killed(stream, &handle, &msg).await {
                    return false;
                }
                handle.out_pending.store(0, Ordering::Relaxed);
            }
            r = stream.read_buf(&mut c.rbuf) => {
                match r {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => {
                        shared.net.net_input_bytes.fetch_add(n as u64, Ordering::Relaxed);
                        if c.rbuf.len() > qlimit {
                            warning!("Closing client that reached max query buffer length (id={})", client.id());
                            return false;
                        }
                    }
                }
            }
        }
    }
}

/// Sleeps until the current CLIENT PAUSE ends (or is lifted).
async fn wait_pause(shared: &Shared, handle: &ClientHandle) {
    let until = shared.pause.lock().until_ms;
    let now = now_ms();
    if until > now {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(until - now)) => {}
            _ = shared.pause_changed.notified() => {}
            _ = handle.killed() => {}
        }
    }
}

/// True when a CLIENT PAUSE in force holds `argv` back.
fn paused_for(shared: &Shared, argv: &[Bytes]) -> bool {
    // The common case, no pause, costs one relaxed load per request.
    if !shared.paused.load(Ordering::Relaxed) {
        return false;
    }
    let p = {
        let mut guard = shared.pause.lock();
        if guard.until_ms == 0 || now_ms() >= guard.until_ms {
            // Cleared under the lock CLIENT PAUSE sets it under.
            shared.paused.store(false, Ordering::Relaxed);
            *guard = Default::default();
        }
        *guard
    };
    if p.until_ms == 0 {
        return false;
    }
    if !p.write_only {
        return true;
    }
    match dispatch::resolve(argv) {
        Ok(cmd) => cmd.spec.has(flags::WRITE | flags::MAY_REPLICATE),
        Err(_) => false,
    }
}

/// Parses and runs every complete request in the read buffer.
fn process(shared: &Arc<Shared>, client: &mut Client, c: &mut Conn) -> Step {
    let mut guard = None;
    let mut ran = 0;
    let (max_bulk, qlimit, obuf_hard) = {
        let cfg = shared.config.read();
        // A subscriber is in Redis's pubsub output-buffer class.
        let hard = if client.subs.any() { cfg.hot.obuf_pubsub_hard } else { cfg.hot.obuf_normal_hard };
        (cfg.hot.proto_max_bulk_len, cfg.hot.query_buffer_limit, hard)
    };
    // With no hard limit configured (Redis's default for normal clients), a
    // built-in cap still stops one reply from taking all memory.
    c.out.set_limit(if obuf_hard != 0 { obuf_hard } else { REPLY_SAFETY_CAP });
    if client.handle.busy_resync.load(Ordering::Relaxed) {
        crate::busy::resync(client, &mut c.out);
    }
    loop {
        let argv = match c.held.take() {
            Some(a) => a,
            None => {
                let limits = Limits { max_bulk_len: max_bulk, authenticated: client.authenticated };
                match c.parser.next(&mut c.rbuf, &limits) {
                    Ok(Some(a)) => a,
                    Ok(None) => {
                        let qlimit = if client.authenticated { qlimit } else { qlimit.min(UNAUTH_QUERY_LIMIT) };
                        if c.rbuf.len() + c.parser.pending_bytes() > qlimit {
                            warning!("Closing client that reached max query buffer length (id={})", client.id());
                            return Step::Close;
                        }
                        return Step::NeedInput;
                    }
                    Err(e) => {
                        verbose!("Protocol error from client id={}: {}", client.id(), e.message());
                        let msg = format!("ERR {}", e.message());
                        let mut st = guard.take().unwrap_or_else(|| shared.store.lock());
                        st.total_error_replies += 1;
                        *st.error_stats.entry("ERR".to_string()).or_insert(0) += 1;
                        c.out.error(&msg);
                        return Step::Close;
                    }
                }
            }
        };
        if paused_for(shared, &argv) {
            c.held = Some(argv);
            return Step::Paused;
        }
        if ran == BATCH_PER_LOCK {
            guard = None;
            ran = 0;
        }
        let store = guard.get_or_insert_with(|| shared.store.lock());
        dispatch::execute(shared, client, store, &mut c.out, &argv);
        c.parser.recycle(argv);
        ran += 1;
        if client.blocked.is_some() {
            return Step::Blocked;
        }
        if client.close_after_reply || client.shutdown.is_some() {
            return Step::Close;
        }
        if c.out.overflowed() || (obuf_hard != 0 && c.out.len() > obuf_hard) {
            warning!(
                "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                client.id(),
                client.handle.addr
            );
            c.out.clear();
            return Step::Close;
        }
        if c.out.len() >= FLUSH_AT {
            return Step::Flush;
        }
    }
}
