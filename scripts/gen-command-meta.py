#!/usr/bin/env python3
"""Development-time generator of crates/server/src/cmd/meta.rs's data section.

It asks a running redis-server 7.0 (the reference) for COMMAND INFO and
COMMAND DOCS of every command vermilion implements, and rewrites the region of
meta.rs between the `BEGIN GENERATED` and `END GENERATED` markers with the
key specs, tips and documentation Redis reports, as Rust statics. The server
never runs this: the committed Rust is what it uses, and neither the build nor
the tests need a reference server.

    redis-server --port 17870 --save "" &
    vermilion-server --port 17871 &
    python3 scripts/gen-command-meta.py --ref-port 17870 --names-port 17871

Command names come from vermilion's COMMAND LIST (or --names a,b,c). Commands
the 7.0 reference lacks (the Redis 7.2 subcommands vermilion implements) are
taken from EXTRA below, transcribed from Redis 7.2's command JSON files.
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
from pathlib import Path

# The house rustfmt settings (the ones crates/server's sources are written in).
RUSTFMT = "max_width=120,use_small_heuristics=Max"
META_RS = Path(__file__).resolve().parent.parent / "crates/server/src/cmd/meta.rs"

# Redis 7.2 subcommands the 7.0.15 reference does not have (src/commands/*.json of 7.2).
EXTRA = {
    "client|setinfo": {
        "tips": [],
        "key_specs": [],
        "docs": {
            "summary": "Sets information specific to the client or connection.",
            "since": "7.2.0",
            "group": "connection",
            "complexity": "O(1)",
            "arguments": [
                {"name": "attr", "type": "oneof", "arguments": [
                    {"name": "libname", "type": "string", "token": "lib-name"},
                    {"name": "libver", "type": "string", "token": "lib-ver"},
                ]},
            ],
        },
    },
    "client|no-touch": {
        "tips": [],
        "key_specs": [],
        "docs": {
            "summary": "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
            "since": "7.2.0",
            "group": "connection",
            "complexity": "O(1)",
            "arguments": [
                {"name": "enabled", "type": "oneof", "arguments": [
                    {"name": "on", "type": "pure-token", "token": "ON"},
                    {"name": "off", "type": "pure-token", "token": "OFF"},
                ]},
            ],
        },
    },
}


# --- a minimal RESP3 client -------------------------------------------------

class Conn:
    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(65536)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n: int) -> bytes:
        while len(self.buf) < n + 2:
            self.buf += self.sock.recv(65536)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def read(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t in (b"+", b"("):
            return rest.decode()
        if t == b"-":
            raise RuntimeError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"_":
            return None
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n).decode()
        if t in (b"*", b"~"):
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        if t == b"%":
            n = int(rest)
            d = {}
            for _ in range(n):
                k = self.read()
                d[k] = self.read()
            return d
        raise RuntimeError(f"unexpected frame {line!r}")

    def call(self, *args: str):
        out = [f"*{len(args)}\r\n".encode()]
        for a in args:
            b = a.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(out))
        return self.read()


# --- reading the reference --------------------------------------------------

def fetch(ref: Conn, name: str) -> dict:
    info = ref.call("COMMAND", "INFO", name)[0]
    docs = ref.call("COMMAND", "DOCS", name)
    if info is None or not docs:
        if name not in EXTRA:
            sys.exit(f"the reference has no command {name!r}; add it to EXTRA")
        return EXTRA[name]
    flags = info[2]
    if "movablekeys" in flags:
        print(f"warning: {name} has movablekeys in Redis; CommandSpec cannot say so", file=sys.stderr)
    return {"tips": info[7], "key_specs": info[8], "docs": docs[name]}


# --- printing Rust ----------------------------------------------------------

def lit(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{out}"'


def bits(names, prefix: str) -> str:
    if not names:
        return "0"
    return " | ".join(prefix + n.upper() for n in names)


def key_spec(ks: dict) -> str:
    bs, fk = ks["begin_search"], ks["find_keys"]
    if bs["type"] == "index":
        b = f"Bs::Index({bs['spec']['index']})"
    elif bs["type"] == "keyword":
        b = f"Bs::Keyword({lit(bs['spec']['keyword'])}, {bs['spec']['startfrom']})"
    else:
        b = "Bs::Unknown"
    if fk["type"] == "range":
        s = fk["spec"]
        f = f"Fk::Range({s['lastkey']}, {s['keystep']}, {s['limit']})"
    elif fk["type"] == "keynum":
        s = fk["spec"]
        f = f"Fk::Keynum({s['keynumidx']}, {s['firstkey']}, {s['keystep']})"
    else:
        f = "Fk::Unknown"
    notes = lit(ks.get("notes", ""))
    return f"KeySpec {{ notes: {notes}, flags: {bits(ks['flags'], 'ks::')}, bs: {b}, fk: {f} }}"


ARG_TYPES = {"string": "Str", "integer": "Int", "double": "Double", "key": "Key", "pattern": "Pattern",
             "unix-time": "UnixTime", "pure-token": "PureToken", "oneof": "OneOf", "block": "Block"}
ARG_FIELDS = ("name", "type", "key_spec_index", "token", "summary", "since", "deprecated_since", "flags", "arguments")


def arg(a: dict, indent: int) -> str:
    unknown = set(a) - set(ARG_FIELDS)
    if unknown:
        sys.exit(f"argument {a['name']!r} has fields this generator does not know: {unknown}")
    if a.get("token") == "":
        # meta.rs writes empty strings as absent fields (MIGRATE's "" token would need an Option).
        sys.exit(f"argument {a['name']!r} has an empty token, which meta.rs cannot represent")
    parts = [f"name: {lit(a['name'])}", f"kind: {ARG_TYPES[a['type']]}"]
    if "key_spec_index" in a:
        parts.append(f"key_spec: {a['key_spec_index']}")
    for f in ("token", "summary", "since", "deprecated_since"):
        if f in a:
            parts.append(f"{f}: {lit(a[f])}")
    if a.get("flags"):
        parts.append(f"flags: {bits(a['flags'], 'arg::')}")
    if "arguments" in a:
        parts.append(f"args: {args(a['arguments'], indent)}")
    return f"Arg {{ {', '.join(parts)}, ..Arg::NONE }}"


def args(lst: list, indent: int) -> str:
    pad = " " * (indent + 4)
    inner = "".join(f"{pad}{arg(a, indent + 4)},\n" for a in lst)
    return f"&[\n{inner}{' ' * indent}]"


DOC_FIELDS = ("summary", "since", "group", "complexity", "doc_flags", "deprecated_since", "replaced_by",
              "history", "arguments", "subcommands")


def meta(name: str, m: dict) -> str:
    d = m["docs"]
    unknown = set(d) - set(DOC_FIELDS)
    if unknown:
        sys.exit(f"{name}: COMMAND DOCS fields this generator does not know: {unknown}")
    parts = [f"name: {lit(name)}"]
    for f in ("summary", "since", "group"):
        if f in d:
            parts.append(f"{f}: {lit(d[f])}")
    if m["tips"]:
        parts.append(f"tips: &[{', '.join(lit(t) for t in m['tips'])}]")
    if m["key_specs"]:
        specs = "".join(f"        {key_spec(ks)},\n" for ks in m["key_specs"])
        parts.append(f"key_specs: &[\n{specs}    ]")
    if "complexity" in d:
        parts.append(f"complexity: {lit(d['complexity'])}")
    if d.get("doc_flags"):
        parts.append(f"doc_flags: {bits(d['doc_flags'], 'doc::')}")
    for f in ("deprecated_since", "replaced_by"):
        if f in d:
            parts.append(f"{f}: {lit(d[f])}")
    if d.get("history"):
        hist = ", ".join(f"({lit(v)}, {lit(t)})" for v, t in d["history"])
        parts.append(f"history: &[{hist}]")
    if "arguments" in d:
        parts.append(f"args: {args(d['arguments'], 4)}")
    body = "".join(f"    {p},\n" for p in parts)
    return f"Meta {{\n{body}    ..Meta::NONE\n}}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref-port", type=int, default=17870, help="redis-server 7.0 port")
    ap.add_argument("--names-port", type=int, help="vermilion-server port: take names from its COMMAND LIST")
    ap.add_argument("--names", help="comma-separated full command names instead of --names-port")
    ap.add_argument("--stdout", action="store_true", help="print the data section instead of rewriting meta.rs")
    opts = ap.parse_args()
    if opts.names:
        names = opts.names.split(",")
    elif opts.names_port:
        names = Conn(opts.names_port).call("COMMAND", "LIST")
    else:
        sys.exit("give --names-port or --names")
    ref = Conn(opts.ref_port)
    ref.call("HELLO", "3")
    names = sorted(set(n.lower() for n in names))
    entries = [meta(n, fetch(ref, n)) for n in names]
    data = "pub static META: &[Meta] = &[\n" + "".join(
        "    " + e.replace("\n", "\n    ") + ",\n" for e in entries) + "];\n"
    if opts.stdout:
        print(data, end="")
        return
    src = META_RS.read_text()
    new, n = re.subn(r"(// BEGIN GENERATED[^\n]*\n).*?(// END GENERATED)",
                     lambda m: m.group(1) + data + m.group(2), src, flags=re.S)
    if n != 1:
        sys.exit(f"{META_RS}: no BEGIN/END GENERATED markers")
    META_RS.write_text(new)
    subprocess.run(["rustfmt", "--edition", "2021", "--config", RUSTFMT, str(META_RS)], check=True)
    print(f"wrote {len(entries)} commands to {META_RS}", file=sys.stderr)


if __name__ == "__main__":
    main()
