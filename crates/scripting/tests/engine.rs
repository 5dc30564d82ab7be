//! The engine against a fake host: conversions, errors and the sandbox.

use bytes::Bytes;
use resp::Out;
use scripting::{Engine, Host};

/// Answers every command with a canned reply chosen by its name.
struct Fake {
    reply: Vec<u8>,
    logs: Vec<(u8, Vec<u8>)>,
}

impl Host for Fake {
    fn call(&mut self, argv: &[Bytes], resp3: bool) -> Result<&[u8], String> {
        self.reply = match &argv[0][..] {
            b"ping" => b"+PONG\r\n".to_vec(),
            b"echo" => [b"$".as_slice(), argv[1].len().to_string().as_bytes(), b"\r\n", &argv[1], b"\r\n"].concat(),
            b"nil" if resp3 => b"_\r\n".to_vec(),
            b"nil" => b"$-1\r\n".to_vec(),
            b"int" => b":42\r\n".to_vec(),
            b"arr" => b"*2\r\n$1\r\na\r\n*1\r\n:1\r\n".to_vec(),
            b"map" => b"%1\r\n$1\r\nk\r\n,1.5\r\n".to_vec(),
            b"wrong" => b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n".to_vec(),
            _ => return Err("Unknown Redis command called from script".into()),
        };
        Ok(&self.reply)
    }
    fn log(&mut self, level: u8, msg: &[u8]) {
        self.logs.push((level, msg.to_vec()));
    }
    fn command_exists(&mut self, _argv: &[Bytes]) -> bool {
        true
    }
}

fn eval(e: &mut Engine, body: &str, resp3: bool) -> String {
    if std::env::var("TRACE").is_ok() {
        eprintln!("EVAL {body}");
    }
    let sha = match e.load(&Bytes::copy_from_slice(body.as_bytes())) {
        Ok(s) => s,
        Err(m) => return format!("-{m}"),
    };
    let mut host = Fake { reply: Vec::new(), logs: Vec::new() };
    let mut out = Out::new(resp3);
    match e.run(&sha, &[Bytes::from_static(b"k1")], &[Bytes::from_static(b"a1")], &mut host, &mut out) {
        Ok(()) => String::from_utf8_lossy(out.as_bytes()).into_owned(),
        Err(err) => format!("-{}", err.msg.replace(&sha, "SHA")),
    }
}

#[test]
fn conversions() {
    let mut e = Engine::new();
    assert_eq!(eval(&mut e, "return 3.99", false), ":3\r\n");
    assert_eq!(eval(&mut e, "return -3.7", false), ":-3\r\n");
    assert_eq!(eval(&mut e, "return 0/0", false), ":-9223372036854775808\r\n");
    assert_eq!(eval(&mut e, "return {1,'x',nil,5}", false), "*2\r\n:1\r\n$1\r\nx\r\n");
    assert_eq!(eval(&mut e, "return true", false), ":1\r\n");
    assert_eq!(eval(&mut e, "return false", false), "$-1\r\n");
    assert_eq!(eval(&mut e, "return false", true), "_\r\n");
    assert_eq!(eval(&mut e, "redis.setresp(3) return {true,false}", false), "*2\r\n:1\r\n:0\r\n");
    assert_eq!(eval(&mut e, "redis.setresp(3) return {true,false}", true), "*2\r\n#t\r\n#f\r\n");
    assert_eq!(eval(&mut e, "return {double=0.1}", true), ",0.10000000000000001\r\n");
    assert_eq!(eval(&mut e, "return {double=0.1}", false), "$19\r\n0.10000000000000001\r\n");
    assert_eq!(eval(&mut e, "return {ok='a\\r\\nb'}", false), "+a  b\r\n");
    assert_eq!(eval(&mut e, "return {ok=1}", false), "*0\r\n");
    assert_eq!(eval(&mut e, "return {map={x=1}}", false), "*2\r\n$1\r\nx\r\n:1\r\n");
    assert_eq!(eval(&mut e, "return {map={x=1}}", true), "%1\r\n$1\r\nx\r\n:1\r\n");
    assert_eq!(eval(&mut e, "return {KEYS[1], ARGV[1]}", false), "*2\r\n$2\r\nk1\r\n$2\r\na1\r\n");
    assert_eq!(eval(&mut e, "return redis.call('ping')", false), "+PONG\r\n");
    assert_eq!(eval(&mut e, "return redis.call('ping').ok", false), "$4\r\nPONG\r\n");
    assert_eq!(eval(&mut e, "return redis.call('echo', 0.1)", false), "$19\r\n0.10000000000000001\r\n");
    assert_eq!(eval(&mut e, "return type(redis.call('nil'))", false), "$7\r\nboolean\r\n");
    assert_eq!(eval(&mut e, "redis.setresp(3) return type(redis.call('nil'))", false), "$3\r\nnil\r\n");
    assert_eq!(eval(&mut e, "return redis.call('arr')", false), "*2\r\n$1\r\na\r\n*1\r\n:1\r\n");
    assert_eq!(eval(&mut e, "redis.setresp(3) return redis.call('map')", true), "%1\r\n$1\r\nk\r\n,1.5\r\n");
    assert_eq!(eval(&mut e, "return redis.sha1hex('')", false), "$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n");
    assert_eq!(eval(&mut e, "return redis.REDIS_VERSION", false), "$6\r\n7.0.15\r\n");
}

#[test]
fn errors() {
    let mut e = Engine::new();
    assert_eq!(eval(&mut e, "error('x')", false), "-ERR user_script:1: x script: SHA, on @user_script:1.");
    assert_eq!(eval(&mut e, "error({err='MY x'})", false), "-MY x script: SHA, on @user_script:1.");
    assert_eq!(
        eval(&mut e, "\nreturn redis.call('nosuch')", false),
        "-ERR Unknown Redis command called from script script: SHA, on @user_script:2."
    );
    assert_eq!(
        eval(&mut e, "return redis.pcall('nosuch')", false),
        "-ERR Unknown Redis command called from script\r\n"
    );
    assert_eq!(
        eval(&mut e, "return redis.call('wrong')", false),
        "-WRONGTYPE Operation against a key holding the wrong kind of value script: SHA, on @user_script:1."
    );
    assert_eq!(eval(&mut e, "return redis.error_reply('x')", false), "-ERR x\r\n");
    assert_eq!(eval(&mut e, "return redis.error_reply('MY x')", false), "-MY x\r\n");
    assert_eq!(eval(&mut e, "return redis.status_reply(1)", false), "-ERR wrong number or type of arguments\r\n");
    assert_eq!(
        eval(&mut e, "return redis.sha1hex()", false),
        "-ERR wrong number of arguments script: SHA, on @user_script:1."
    );
    assert_eq!(
        eval(&mut e, "redis.setresp(4)", false),
        "-ERR RESP version must be 2 or 3. script: SHA, on @user_script:1."
    );
    assert_eq!(
        eval(&mut e, "return redis.call({})", false),
        "-ERR Lua redis lib command arguments must be strings or integers script: SHA, on @user_script:1."
    );
    assert_eq!(eval(&mut e, "return +", false).split(": ").next(), Some("-ERR Error compiling script (new function)"));
    assert_eq!(eval(&mut e, "#!python\nreturn 1", false), "-ERR Unexpected engine in script shebang: #!python");
    assert_eq!(eval(&mut e, "#!lua flags=bad\nreturn 1", false), "-ERR Unexpected flag in script shebang: bad");
    assert_eq!(eval(&mut e, "#!lua x=1\nreturn 1", false), "-ERR Unknown lua shebang option: x=1");
    assert_eq!(eval(&mut e, "#!lua", false), "-ERR Invalid script shebang");
    assert_eq!(eval(&mut e, "#!lua flags=no-writes,allow-oom\nreturn 1", false), ":1\r\n");
}

#[test]
fn sandbox() {
    let mut e = Engine::new();
    let nonexistent = |v: &str| {
        format!("-ERR user_script:1: Script attempted to access nonexistent global variable '{v}' script: SHA, on @user_script:1.")
    };
    // `os` exists with `clock` only (see test_os_holds_only_clock).
    assert_eq!(eval(&mut e, "return type(os.clock())", false), "$6\r\nnumber\r\n");
    assert!(eval(&mut e, "os.exit = nil", false).contains("readonly table"));
    for g in ["io", "print", "dofile", "loadfile", "debug", "package", "require", "setfenv", "newproxy"] {
        assert_eq!(eval(&mut e, &format!("return {g}"), false), nonexistent(g));
    }
    let ro = "-ERR user_script:1: Attempt to modify a readonly table script: SHA, on @user_script:1.";
    assert_eq!(eval(&mut e, "x = 1", false), ro);
    assert_eq!(eval(&mut e, "string.foo = 1", false), ro);
    assert_eq!(eval(&mut e, "redis.call = nil", false), ro);
    assert_eq!(eval(&mut e, "getmetatable('').__index = {}", false), ro);
    assert_eq!(
        eval(&mut e, "rawset(_G, 'x', 1)", false),
        "-ERR Attempt to modify a readonly table script: SHA, on @user_script:1."
    );
    assert_eq!(
        eval(&mut e, "setmetatable(_G, nil)", false),
        "-ERR Attempt to modify a readonly table script: SHA, on @user_script:1."
    );
    assert_eq!(eval(&mut e, "local t = {} t.x = 1 KEYS[2] = 'b' return {t.x, #KEYS}", false), "*2\r\n:1\r\n:2\r\n");
    assert_eq!(
        eval(&mut e, "return unpack({}, -2147483648, 2147483647)", false).contains("too many results to unpack"),
        true
    );
    assert_eq!(eval(&mut e, "return #string.rep('x', 10)", false), ":10\r\n");
    let deep = eval(&mut e, "local a={}; local b={a}; a[1]=b; return a", false);
    assert_eq!(deep.matches("*1\r\n").count(), 7995);
    assert!(deep.ends_with("-ERR reached lua stack limit\r\n"));
    // The engine is still usable.
    assert_eq!(eval(&mut e, "return 1", false), ":1\r\n");
}

#[test]
fn memory_is_capped() {
    let mut e = Engine::new();
    e.set_memory_limit(64 << 20);
    let r = eval(&mut e, "local t = {} for i = 1, 1e9 do t[i] = i end return #t", false);
    assert!(r.starts_with("-ERR Error running script") && r.contains("not enough memory"), "{r}");
    assert_eq!(eval(&mut e, "return 2", false), ":2\r\n");
    let r = eval(&mut e, "return #string.rep('x', 2^30)", false);
    assert!(r.contains("not enough memory") || r.contains("resulting string too large"), "{r}");
    assert_eq!(eval(&mut e, "return 3", false), ":3\r\n");
}

#[test]
fn function_load_has_a_deadline() {
    let mut f = scripting::engine::Functions::new();
    let code = Bytes::from_static(b"#!lua name=spin\nwhile true do end");
    let err = f.load(&code, false).unwrap_err();
    assert_eq!(err, "ERR Error registering functions: ERR FUNCTION LOAD timeout");
    let ok = Bytes::from_static(b"#!lua name=ok\nredis.register_function('f', function(keys, args) return #keys end)");
    assert_eq!(f.load(&ok, false).unwrap(), "ok");
    let mut host = Fake { reply: Vec::new(), logs: Vec::new() };
    let mut out = Out::new(false);
    f.call("f", &[Bytes::from_static(b"k")], &[], &mut host, &mut out).unwrap();
    assert_eq!(out.as_bytes(), b":1\r\n");
}
