//! Integration tests: the server runs in-process on an ephemeral port and
//! the `redis` crate talks to it as a real client would.

use redis::{aio::MultiplexedConnection, AsyncCommands, RedisError, Value};
use std::time::{Duration, Instant};
use vermilion::config::Config;

/// Starts a server with the given extra directives; returns its port.
async fn start(directives: &[(&str, &str)]) -> u16 {
    let mut cfg = Config::new();
    cfg.apply_directive("port", &[b"0".to_vec()]).unwrap();
    cfg.apply_directive("bind", &[b"127.0.0.1".to_vec()]).unwrap();
    // No persistence: save points would write (and start-up would read) dump.rdb in the crate directory.
    cfg.apply_directive("save", &[b"".to_vec()]).unwrap();
    for (k, v) in directives {
        cfg.apply_directive(k, &[v.as_bytes().to_vec()]).unwrap();
    }
    let shared = vermilion::start(cfg).await.unwrap();
    shared.tcp_port.load(std::sync::atomic::Ordering::Relaxed) as u16
}

async fn connect(url: &str) -> Result<MultiplexedConnection, RedisError> {
    redis::Client::open(url)?.get_multiplexed_async_connection().await
}

async fn conn(port: u16) -> MultiplexedConnection {
    connect(&format!("redis://127.0.0.1:{port}/")).await.unwrap()
}

fn err_text(e: RedisError) -> String {
    // The redis crate splits "CODE detail"; put Redis's text back together.
    match (e.code(), e.detail()) {
        (Some(c), Some(d)) => format!("{c} {d}"),
        _ => e.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cron_lock_is_exclusive_until_deleted() {
    let port = start(&[]).await;
    let mut a = conn(port).await;
    let mut b = conn(port).await;
    let opts = redis::SetOptions::default()
        .conditional_set(redis::ExistenceCheck::NX)
        .with_expiration(redis::SetExpiry::EX(300));
    let first: Option<String> = a.set_options("cron:lock:job", "locked", opts).await.unwrap();
    assert_eq!(first.as_deref(), Some("OK"));
    let second: Option<String> = b.set_options("cron:lock:job", "locked", opts).await.unwrap();
    assert_eq!(second, None, "a second instance must not get the lock");
    let ttl: i64 = b.ttl("cron:lock:job").await.unwrap();
    assert!((299..=300).contains(&ttl), "ttl {ttl}");
    let n: i64 = a.del("cron:lock:job").await.unwrap();
    assert_eq!(n, 1);
    let third: Option<String> = b.set_options("cron:lock:job", "locked", opts).await.unwrap();
    assert_eq!(third.as_deref(), Some("OK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_are_binary_safe() {
    let port = start(&[]).await;
    let mut c = conn(port).await;
    let key: Vec<u8> = vec![0, 255, b'\r', b'\n', 7];
    let val: Vec<u8> = (0..=255u8).collect();
    let _: () = c.set(&key, &val).await.unwrap();
    let got: Vec<u8> = c.get(&key).await.unwrap();
    assert_eq!(got, val);
    let len: usize = c.strlen(&key).await.unwrap();
    assert_eq!(len, 256);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integer_errors_use_redis_texts() {
    let port = start(&[]).await;
    let mut c = conn(port).await;
    let _: () = c.set("n", i64::MAX).await.unwrap();
    let e = c.incr::<_, _, i64>("n", 1).await.unwrap_err();
    assert_eq!(err_text(e), "ERR increment or decrement would overflow");
    let _: () = c.set("s", "abc").await.unwrap();
    let e = c.incr::<_, _, i64>("s", 1).await.unwrap_err();
    assert_eq!(err_text(e), "ERR value is not an integer or out of range");
    let e = redis::cmd("GET").query_async::<Value>(&mut c).await.unwrap_err();
    assert_eq!(err_text(e), "ERR wrong number of arguments for 'get' command");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requirepass_gates_every_command_but_auth() {
    let port = start(&[("requirepass", "s3cret")]).await;
    let mut anon = conn(port).await;
    let e = redis::cmd("GET").arg("k").query_async::<Value>(&mut anon).await.unwrap_err();
    assert_eq!(err_text(e), "NOAUTH Authentication required.");
    let e = redis::cmd("AUTH").arg("wrong").query_async::<Value>(&mut anon).await.unwrap_err();
    assert_eq!(err_text(e), "WRONGPASS invalid username-password pair or user is disabled.");
    let mut authed = connect(&format!("redis://:s3cret@127.0.0.1:{port}/")).await.unwrap();
    let pong: String = redis::cmd("PING").query_async(&mut authed).await.unwrap();
    assert_eq!(pong, "PONG");
    let ok: String = redis::cmd("AUTH").arg("default").arg("s3cret").query_async(&mut anon).await.unwrap();
    assert_eq!(ok, "OK");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn databases_are_separate_and_swappable() {
    let port = start(&[]).await;
    let mut c0 = conn(port).await;
    let mut c1 = connect(&format!("redis://127.0.0.1:{port}/1")).await.unwrap();
    let _: () = c0.set("k", "zero").await.unwrap();
    let _: () = c1.set("k", "one").await.unwrap();
    let v: String = c0.get("k").await.unwrap();
    assert_eq!(v, "zero");
    let _: () = redis::cmd("SWAPDB").arg(0).arg(1).query_async(&mut c0).await.unwrap();
    let v: String = c0.get("k").await.unwrap();
    assert_eq!(v, "one");
}

/// Issue 2: a million keys with short TTLs that nobody reads again are
/// reclaimed by active expiry within seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn active_expiry_reclaims_a_million_unread_keys() {
    let port = start(&[]).await;
    let mut c = conn(port).await;
    const N: usize = 1_000_000;
    const BATCH: usize = 10_000;
    for start in (0..N).step_by(BATCH) {
        let mut p = redis::pipe();
        for i in start..start + BATCH {
            p.cmd("SET").arg(format!("ttl:{i}")).arg("v").arg("PX").arg(200).ignore();
        }
        let _: () = p.query_async(&mut c).await.unwrap();
    }
    let _: () = c.set("keeper", "stays").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let n: usize = redis::cmd("DBSIZE").query_async(&mut c).await.unwrap();
        if n == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "{n} keys still present after 20 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let v: String = c.get("keeper").await.unwrap();
    assert_eq!(v, "stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maxclients_refuses_with_redis_error() {
    let port = start(&[("maxclients", "2")]).await;
    let _a = conn(port).await;
    let _b = conn(port).await;
    // Read the raw refusal: the server writes it and closes before any request.
    use tokio::io::AsyncReadExt;
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await.unwrap().unwrap();
    assert_eq!(buf, b"-ERR max number of clients reached\r\n");
}

/// Sends one command on a blocking socket and reads one reply line (enough
/// for simple replies and errors).
fn raw_call(s: &mut std::net::TcpStream, args: &[&str]) -> String {
    use std::io::Write;
    let mut req = format!("*{}\r\n", args.len());
    for a in args {
        req.push_str(&format!("${}\r\n{a}\r\n", a.len()));
    }
    s.write_all(req.as_bytes()).unwrap();
    raw_line(s)
}

fn raw_line(s: &mut std::net::TcpStream) -> String {
    use std::io::BufRead;
    let mut r = std::io::BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    line
}

fn raw_conn(port: u16) -> std::net::TcpStream {
    let s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// The default single-thread runtime: a script looping forever answers
/// other clients BUSY from its interrupt hook and SCRIPT KILL, sent on a
/// connection made while it runs, stops it (issue 4 item 5).
#[tokio::test(flavor = "current_thread")]
async fn looping_script_gets_busy_and_is_killed() {
    let port = start(&[("busy-reply-threshold", "100")]).await;
    // The clients are blocking sockets on other threads: this thread runs the server.
    let clients = tokio::task::spawn_blocking(move || {
        let mut a = raw_conn(port);
        let mut b = raw_conn(port);
        assert_eq!(raw_call(&mut b, &["PING"]), "+PONG\r\n");
        use std::io::Write;
        a.write_all(b"*3\r\n$4\r\nEVAL\r\n$17\r\nwhile true do end\r\n$1\r\n0\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            raw_call(&mut b, &["GET", "k"]),
            "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"
        );
        let mut k = raw_conn(port);
        assert_eq!(raw_call(&mut k, &["SCRIPT", "KILL"]), "+OK\r\n");
        assert!(raw_line(&mut a).starts_with("-ERR Script killed by user with SCRIPT KILL..."));
        assert_eq!(raw_call(&mut b, &["PING"]), "+PONG\r\n");
        assert_eq!(raw_call(&mut k, &["SCRIPT", "KILL"]), "-NOTBUSY No scripts in execution right now.\r\n");
    });
    tokio::time::timeout(Duration::from_secs(30), clients).await.unwrap().unwrap();
}
