"""Differential tests of the Lua libraries Redis preloads (issue 4): cjson,
cmsgpack, bit and struct.

Each case EVALs a snippet on redis-server 7.0 and on vermilion-server, over
RESP2 and RESP3, and the replies must be identical. Most snippets return
strings (hex dumps, tostring of numbers, pcall error messages) so the test is
about the library, not the Lua-to-RESP conversion, which test files of the
scripting core cover. The bad inputs of ../shared/reference/bad-inputs.md
that target these libraries (nesting and size bombs, huge counts, the
bit.tohex and struct CVE shapes) are here too, followed by a PING proving the
server is still healthy.

Settings changed with cjson.encode_* persist across scripts as in Redis, so
every snippet that changes one restores the default before returning.

Until the scripting core (EVAL) is merged the whole module skips.
"""

import pytest

from respwire import Conn

HX = ("local function hx(s) local h = {} for i = 1, #s do "
      "h[#h+1] = string.format('%02x', s:byte(i)) end return table.concat(h) end ")

# pcall a library function and return its error message (or its results).
PC = "local function pc(...) local r = {pcall(...)} if r[1] then table.remove(r, 1) for i = 1, #r do r[i] = tostring(r[i]) end return r end return r[2] end "


@pytest.fixture(scope="module", autouse=True)
def needs_eval(pair):
    pair.ensure_running()
    c = Conn(pair.tgt.port, proto=2)
    try:
        r = c.call("EVAL", "return 1", "0")
    finally:
        c.close()
    if r.is_error and r.text().startswith("ERR unknown command"):
        pytest.skip("vermilion has no EVAL yet (the scripting core is another branch)")


CASES = {
    # --- cjson -----------------------------------------------------------
    "cjson-encode-basic": "return cjson.encode({1, 2, 'a/b', {x = 1}})",
    "cjson-encode-escapes": "return cjson.encode({string.char(0, 1, 8, 9, 10, 12, 13, 26, 31, 34, 47, 92, 127, 128, 255)})",
    "cjson-encode-numbers": "return cjson.encode({0.1, 1/3, 1e20, 1e100, -0.0, 123456789012345678, 2^53, 1e-5, 0.0001, 5e-324, 2^63, -2^63})",
    "cjson-encode-scalars": "return {cjson.encode('a'), cjson.encode(true), cjson.encode(cjson.null), cjson.encode(nil), cjson.encode(12), cjson.encode({})}",
    "cjson-encode-arrays": "return {cjson.encode({[1]=1,[2]=2,[4]=4}), cjson.encode({[1e10]=1}), cjson.encode({[-1]=1}), cjson.encode({[1.5]=1}), cjson.encode({[10]=1})}",
    "cjson-encode-sparse-error": PC + "return pc(cjson.encode, {[11] = 1})",
    "cjson-encode-sparse-toplevel": "return cjson.encode({[20] = 1})",
    "cjson-encode-sparse-convert": "cjson.encode_sparse_array(true) local r = cjson.encode({[20]=1}) cjson.encode_sparse_array(false) return r",
    "cjson-encode-errors": PC + "return {pc(cjson.encode, 0/0), pc(cjson.encode, {[1/0]=1}), pc(cjson.encode, {[true]=1}), pc(cjson.encode, {f=function() end}), pc(cjson.encode), pc(cjson.encode, 1, 2)}",
    "cjson-encode-depth": PC + "local a = {} local b = a for i = 1, 1000 do b[1] = {} b = b[1] end return {pc(cjson.encode, a), #cjson.encode(a[1])}",
    "cjson-encode-self-reference": PC + "local a = {} a[1] = a return pc(cjson.encode, a)",
    "cjson-encode-invalid-numbers": "cjson.encode_invalid_numbers(true) local a = cjson.encode({0/0, 1/0, -1/0}) cjson.encode_invalid_numbers('null') local b = cjson.encode({0/0, 1/0, 1}) cjson.encode_invalid_numbers(false) return {a, b}",
    "cjson-precision": "cjson.encode_number_precision(3) local r = cjson.encode({1234567, 0.000012345, 3.14159, 100}) cjson.encode_number_precision(14) return r",
    "cjson-settings": "local r = {cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), tostring(cjson.encode_keep_buffer()), tostring(cjson.encode_invalid_numbers()), tostring(cjson.decode_invalid_numbers())} local a, b, c = cjson.encode_sparse_array() r[#r+1] = tostring(a) r[#r+1] = b r[#r+1] = c return r",
    "cjson-setting-errors": PC + "return {pc(cjson.encode_number_precision, 15), pc(cjson.encode_max_depth, 0), pc(cjson.encode_max_depth, 'x'), pc(cjson.encode_max_depth, 1, 2), pc(cjson.encode_keep_buffer, 'x'), pc(cjson.decode_invalid_numbers, {}), pc(cjson.encode_sparse_array, 'on', -1), pc(cjson.encode_sparse_array, false, 2, 10)}",
    "cjson-new": PC + "local c = cjson.new() c.encode_max_depth(2) return {pc(c.encode, {{{}}}), cjson.encode_max_depth(), tostring(c.null == cjson.null)}",
    "cjson-decode": "local t = cjson.decode('[1,2.5,\"a\",null,true,{\"x\":[]},-0,1e400,\"\\\\u00e9\\\\ud83d\\\\ude00\",\"\\\\/\\\\t\"]') return {tostring(t[1]), tostring(t[2]), t[3], tostring(t[4] == cjson.null), tostring(t[5]), cjson.encode(t[6]), tostring(t[7]), tostring(t[8]), t[9], t[10]}",
    "cjson-decode-nonstandard-numbers": "local t = cjson.decode('[NaN, Infinity, -Infinity, 0x10, +5, 007, 1., 1E+2]') local r = {} for i = 1, 8 do r[i] = tostring(t[i]) end return r",
    "cjson-decode-errors": PC + "return {pc(cjson.decode, 'x'), pc(cjson.decode, '[1,2'), pc(cjson.decode, '[1,2}'), pc(cjson.decode, '{\"a\" 1}'), pc(cjson.decode, '[1] x'), pc(cjson.decode, '\"ab'), pc(cjson.decode, '\"a\\\\qb\"'), pc(cjson.decode, ''), pc(cjson.decode, '[1e]'), pc(cjson.decode, '[.5]'), pc(cjson.decode, '[-]'), pc(cjson.decode, '\"\\\\ud800\"'), pc(cjson.decode, '{1:2}'), pc(cjson.decode, '[1,]'), pc(cjson.decode, 'a\\0'), pc(cjson.decode)}",
    "cjson-decode-strict": PC + "cjson.decode_invalid_numbers(false) local r = {pc(cjson.decode, '[NaN]'), pc(cjson.decode, '[0x10]'), pc(cjson.decode, '[01]'), pc(cjson.decode, '[+1]')} cjson.decode_invalid_numbers(true) return r",
    "cjson-decode-toplevel-error": "return cjson.decode('[1,')",
    "cjson-roundtrip-big": "local t = {} for i = 1, 20000 do t['k' .. i] = {i, tostring(i)} end local u = cjson.decode(cjson.encode(t)) return {#cjson.encode(t), u.k20000[2]}",
    # --- cmsgpack --------------------------------------------------------
    "cmsgpack-pack": HX + "return hx(cmsgpack.pack(1, -1, 127, 128, -32, -33, 255, 256, 65536, 2^32, -2^31-1, 1.5, 0.1, 'abc', true, false, {1,2}, {a=1}, {}, 2^63, 1/0, nil, string.rep('x', 40)))",
    "cmsgpack-pack-nesting": HX + "local a = {} local b = a for i = 1, 20 do b[1] = {} b = b[1] end local c = {} c[1] = c return {hx(cmsgpack.pack(a)), #cmsgpack.pack(c)}",
    "cmsgpack-unpack": "local a, b, c, d = cmsgpack.unpack(cmsgpack.pack(1, 'a', 2.5, {1, {x = 'y'}})) return {tostring(a), b, tostring(c), d[2].x, tostring(cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255')), tostring(cmsgpack.unpack('\\206\\255\\255\\255\\255'))}",
    "cmsgpack-unpack-one-limit": PC + "local s = cmsgpack.pack(1, 2, 3) return {pc(cmsgpack.unpack_one, s), pc(cmsgpack.unpack_one, s, 2), pc(cmsgpack.unpack_limit, s, 2), pc(cmsgpack.unpack_limit, s, 0), pc(cmsgpack.unpack_one, s, 3), pc(cmsgpack.unpack_limit, s, -1), pc(cmsgpack.unpack_one, s, 10)}",
    "cmsgpack-errors": PC + "return {pc(cmsgpack.pack), pc(cmsgpack.unpack, '\\193'), pc(cmsgpack.unpack, '\\146\\1'), pc(cmsgpack.unpack), pc(cmsgpack.unpack, {}), pc(cmsgpack.unpack, '\\129\\192\\1'), pc(cmsgpack.unpack, '\\221\\255\\255\\255\\255'), pc(cmsgpack.unpack, '\\219\\255\\255\\255\\255')}",
    "cmsgpack-toplevel-error": "return cmsgpack.unpack('\\193')",
    "cmsgpack-wide-offsets": PC + "return {pc(cmsgpack.unpack_one, 'ab', 2^32+1), pc(cmsgpack.unpack_limit, 'ab', 2^32), pc(cmsgpack.unpack_limit, 'ab', 2^32, 2^33), pc(cmsgpack.unpack_limit, 'ab', -2^32), pc(cmsgpack.unpack_limit, 'ab', 1, -2^32+1), pc(cmsgpack.unpack, 1), pc(cmsgpack.unpack_one, 12, 1)}",
    # --- bit -------------------------------------------------------------
    "bit-tohex": "return {bit.tohex(65535, -2147483648), bit.tohex(-1), bit.tohex(255, 2), bit.tohex(255, -4), bit.tohex(1, 0), bit.tohex(1, 100), bit.tohex('16'), bit.tohex(1, 2^31)}",
    "bit-tobit": "local r = {} for i, x in ipairs({2^32+5, -1, 2^31, 1.5, 2.5, -1.5, 0/0, 1/0, 2^53+3, 1e300, '0x10', ' 12 '}) do r[i] = tostring(bit.tobit(x)) end return r",
    "bit-ops": "return {bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(3, 5), bit.lshift(1, 33), bit.rshift(-1, 4), bit.arshift(-256, 4), bit.rol(0x80000001, 1), bit.ror(1, 1), bit.bswap(0x12345678)}",
    "bit-errors": PC + "return {pc(bit.band, 1, 'a', {}), pc(bit.tohex, 1, nil), pc(bit.tobit), pc(bit.lshift, 1), pc(bit.tobit, cjson.null), pc(bit.tobit, '1x')}",
    "bit-toplevel-error": "return bit.band()",
    # --- struct ----------------------------------------------------------
    "struct-pack": HX + "return {hx(struct.pack('>i2<i2bBhHlLT', 1, 2, -1, 255, -2, 65535, -3, 4, 5)), hx(struct.pack('!4bi', 1, 2)), hx(struct.pack('s', 'ab')), hx(struct.pack('c5', 'abcdefg')), hx(struct.pack('c0', 'abc')), hx(struct.pack('<fd', 1.5, 0.1)), hx(struct.pack('x>d', 1)), hx(struct.pack('<i16', -1)), hx(struct.pack('>I3', 2^24+5)), hx(struct.pack('<i8', 2^64)), hx(struct.pack('<I8', 0/0))}",
    "struct-unpack": "local r = {struct.unpack('>i2<i2bBhHlLT', struct.pack('>i2<i2bBhHlLT', 1, 2, -1, 255, -2, 65535, -3, 4, 5))} local s = {struct.unpack('s c3 b c0', 'hello\\0abc\\3xyz')} local f = {struct.unpack('<f>d', struct.pack('<f>d', 1.5, 0.1))} return {r[1], r[3], r[6], r[10], s[1], s[2], s[3], s[4], tostring(f[1]), tostring(f[2])}",
    "struct-size": "return {struct.size('>i2bd'), struct.size('!d b d'), struct.size('!4 b d'), struct.size('c10'), struct.size('i17')}",
    "struct-errors": PC + "return {pc(struct.size, 's'), pc(struct.size, 'c0'), pc(struct.size, '!3'), pc(struct.size, 'i33'), pc(struct.size, 'c99999999999'), pc(struct.pack, 'z'), pc(struct.pack, 'c5', 'ab'), pc(struct.pack, 'i'), pc(struct.unpack, 'i4', 'abc'), pc(struct.unpack, 'c0', 'abc'), pc(struct.unpack, 's', 'abc'), pc(struct.unpack, 'b', 'abc', 0), pc(struct.unpack, 'b', 'abc', 4)}",
    "struct-toplevel-error": "return struct.unpack('b', 'abc', 4)",
    # --- bad inputs (bad-inputs.md) ----------------------------------------
    "bad-bit-tohex-cve-2024-31449": "return bit.tohex(65535, -2147483648)",
    "bad-struct-bounds": PC + "return {pc(struct.unpack, 'c2147483647', 'abc'), pc(struct.unpack, 'i4', 'abc', 9223372036854775807), pc(struct.unpack, 'b c0', '\\255abc'), pc(struct.unpack, 'b', 'a', -1), pc(struct.pack, 'c2147483647', 'x'), pc(struct.unpack, '!4 i4', 'abcdefgh', -1)}",
    "bad-struct-result-count": PC + "return {pc(struct.unpack, string.rep('b', 8100), string.rep('a', 8100))}",
    "bad-cjson-decode-nesting": PC + "return {pc(cjson.decode, string.rep('[', 100000)), pc(cjson.decode, string.rep('{\"a\":', 100000))}",
    "bad-cjson-decode-nesting-raised-limit": PC + "cjson.decode_max_depth(100000) local r = {pc(cjson.decode, string.rep('[', 100000)), pc(cjson.decode, string.rep('{\"a\":', 100000))} cjson.decode_max_depth(1000) return r",
    "bad-cjson-encode-nesting-raised-limit": PC + "cjson.encode_max_depth(100000) local a = {} local b = a for i = 1, 10000 do b[1] = {} b = b[1] end local c = {} local d = c for i = 1, 10000 do d.x = {} d = d.x end local r = {pc(cjson.encode, a), pc(cjson.encode, c)} cjson.encode_max_depth(1000) return r",
    "bad-cmsgpack-nesting": PC + "return {pc(cmsgpack.unpack, string.rep('\\145', 100000) .. '\\1'), pc(cmsgpack.unpack, string.rep('\\129\\1', 100000) .. '\\1')}",
    "bad-cmsgpack-counts": PC + "return {pc(cmsgpack.unpack, string.rep('\\1', 9000)), pc(cmsgpack.unpack, '\\221\\127\\255\\255\\255'), pc(cmsgpack.unpack, '\\223\\127\\255\\255\\255\\1'), #{cmsgpack.unpack(string.rep('\\1', 7990))}}",
    "bad-cmsgpack-size-header": PC + "return {pc(cmsgpack.unpack, '\\219\\127\\255\\255\\255abc'), pc(cmsgpack.unpack, '\\218\\255\\255')}",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_lua_lib(d, name):
    d.check("EVAL", CASES[name], "0")
    d.check("PING")


def test_library_tables(d):
    d.check("EVAL", "local r = {} for _, t in ipairs({cjson, cmsgpack, bit, struct}) do "
            "local k = {} for n, v in pairs(t) do k[#k+1] = n .. '=' .. type(v) .. "
            "(type(v) == 'string' and v or '') end table.sort(k) r[#r+1] = table.concat(k, ',') end "
            "return r", "0")


def test_call_site_names_in_errors(d):
    # luaL_argerror names the function as the caller spelled it.
    d.check("EVAL", "local f = bit.tohex local ok, e = pcall(function() return f() end) return e", "0")
    d.check("EVAL", "local ok, e = pcall(function() local x = struct.pack() return x end) return e", "0")
    # Method calls: luaL_argerror's "calling 'x' on bad self".
    for call in ["cjson:decode()", "struct:pack()", "bit:tohex()", "cmsgpack:unpack()",
                 "cjson:encode_max_depth(1, 2)", "struct:unpack('b')", "cjson:encode()"]:
        d.check("EVAL", "local ok, e = pcall(function() return %s end) return e" % call, "0")


# --- seeded random snippets ------------------------------------------------
# Random (often malformed) JSON, MessagePack bytes, struct formats and bit
# operands, each run under pcall with every result rendered as a string, so
# any difference in values or error texts shows. Bounded: a fixed number of
# short snippets per seed.

# pcall, then render every result (and the error) as one string.
R = ("local function r(...) local t = {pcall(...)} local o = {} for i = 1, select('#', unpack(t)) do "
     "local v = t[i] if type(v) == 'string' then o[#o+1] = 's' .. string.format('%q', v) "
     "elseif type(v) == 'table' then local ok, e = pcall(cjson.encode, v) o[#o+1] = 't' .. tostring(e) "
     "else o[#o+1] = type(v) .. tostring(v) end end return table.concat(o, '|') end ")

JSON_ATOMS = ['1', '-1', '0', '1.5', '1e5', '-0', '"a"', '"\\u00e9"', '"\\ud83d\\ude00"', 'true',
              'false', 'null', 'NaN', 'Infinity', '0x1F', '[]', '{}', '"\\n\\t\\/"', '01', '+3', '1e',
              '.5', '"\\x"', '"\\u12g4"', '1E-400', '123456789012345678901234567890', '"ab', 'nul', 'tru',
              '"\\u0000"', '"\\uDFFF"', '"\\uD800\\u0041"', '"\\uD83D\\uDE00"', '1e309', '-2e-400',
              '"\\u00"', '-Infinity', 'nan', '0x', '0.5e+3', '"\x01\x7f"']
LUA_VALUES = ['1', '-1', '0', '1.5', '0.1', '2^31', '2^32', '2^53', '2^63', '-2^63', '2^64', '1e300',
              '-0.0', '0/0', '1/0', '-1/0', '"abc"', '""', 'true', 'false', 'nil', 'cjson.null',
              'string.rep("x", 40)', 'string.rep("y", 300)', 'string.rep("z", 70000)',
              'function() end', '"\\0\\1\\127\\255"', '127', '128', '255', '256', '65535', '65536',
              '-32', '-33', '-128', '-129', '-32768', '-32769', '4294967295', '4294967296',
              '-2147483648', '-2147483649', '3.4028234663852886e38', '1e-45']
MSGPACK_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x91, 0x9f, 0xa0, 0xa3, 0xbf, 0xc0, 0xc1,
                 0xc2, 0xc3, 0xc4, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd9,
                 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff, 0x41, 0x05, 0x02]
STRUCT_OPTS = ['b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I', 'i3', 'I5', 'i8', 'i12', 'f', 'd', 'x',
               's', 'c', 'c0', 'c3', '<', '>', '!', '!2', '!4', ' ', 'z', 'i0', '!3', 'c10']
NUMS = ['1', '-1', '255', '256', '-129', '65537', '2^31', '-2^31', '2^40', '1.5', '-1.5', '"12"',
        '"ab"', 'nil', '{}', '2^64', '0/0']
BIT_ARGS = NUMS + ['-2147483648', '2147483647', '-8', '8', '9', '-9', '32', '33', '0', '"0x10"',
                   '" 5 "', 'true', '4294967295', '1e10', '-1e10', '0.5', '1.5', '2.5', '-0.5']
BIT_FUNCS = ['tobit', 'tohex', 'bnot', 'band', 'bor', 'bxor', 'lshift', 'rshift', 'arshift', 'rol',
             'ror', 'bswap']


def lua_bytes(b: bytes) -> str:
    return '"' + ''.join('\\%d' % c for c in b) + '"'


def random_snippets(seed: int, n: int) -> list[str]:
    import random
    rnd = random.Random(seed)

    def rjson(depth=0):
        k = rnd.random()
        if depth > 3 or k < 0.4:
            return rnd.choice(JSON_ATOMS)
        if k < 0.7:
            return '[' + ','.join(rjson(depth + 1) for _ in range(rnd.randint(0, 4))) + ']'
        return '{' + ','.join('"k%d":%s' % (i, rjson(depth + 1)) for i in range(rnd.randint(0, 4))) + '}'

    def mutate(s):
        s = list(s)
        for _ in range(rnd.randint(0, 2)):
            if not s:
                break
            i = rnd.randrange(len(s))
            op = rnd.random()
            if op < 0.3:
                del s[i]
            elif op < 0.6:
                s.insert(i, rnd.choice(' ,:[]{}"\\0a1-e.'))
            else:
                s[i] = rnd.choice(' ,:[]{}"\\0a1-e.')
        return ''.join(s)

    def rvalue(depth=0):
        if depth < 3 and rnd.random() < 0.3:
            items = []
            for i in range(rnd.randint(0, 5)):
                k = rnd.random()
                if k < 0.5:
                    items.append(rvalue(depth + 1))
                elif k < 0.8:
                    items.append('["k%d"]=%s' % (i, rvalue(depth + 1)))
                else:
                    key = rnd.choice(['1', '2', '3', '5', '11', '0', '-1', '1.5', '1e10', '"x"', '2^31', '2^33'])
                    items.append('[%s]=%s' % (key, rvalue(depth + 1)))
            return '{' + ','.join(items) + '}'
        return rnd.choice(LUA_VALUES)

    out = []
    for _ in range(n):
        kind = rnd.randrange(6)
        if kind == 0:
            j = rjson()
            if rnd.random() < 0.5:
                j = mutate(j)
            out.append(R + "return r(function(s) return cjson.encode(cjson.decode(s)) end, %s)" % lua_bytes(j.encode()))
        elif kind == 1:
            out.append(R + "return r(cjson.encode, %s)" % rvalue())
        elif kind == 2:
            args = ', '.join(rvalue() for _ in range(rnd.randint(1, 3)))
            out.append(R + "return r(function(...) local s = cmsgpack.pack(...) local h = {} for i = 1, math.min(#s, 64) do "
                       "h[#h+1] = string.format('%02x', s:byte(i)) end return table.concat(h) .. '/' .. #s, "
                       "cjson.encode({cmsgpack.unpack(s)}) end, " + args + ")")
        elif kind == 3:
            b = bytes(rnd.choice(MSGPACK_BYTES) for _ in range(rnd.randint(0, 12)))
            fn, extra = rnd.choice([
                ('cmsgpack.unpack', ['']),
                ('cmsgpack.unpack_one', ['', ', 0', ', 1', ', 2', ', -1', ', 100', ', "x"']),
                ('cmsgpack.unpack_limit', [', 1', ', 2', ', 0', ', -1', ', 1, 1', ', 2, 3', ', "x"', '']),
            ])
            out.append(R + "return r(%s, %s%s)" % (fn, lua_bytes(b), rnd.choice(extra)))
        elif kind == 4:
            fmt = lua_bytes(''.join(rnd.choice(STRUCT_OPTS) for _ in range(rnd.randint(1, 5))).encode())
            k = rnd.random()
            if k < 0.4:
                args = ''.join(', ' + rnd.choice(NUMS + ['"hello"', '"abcdefghijkl"']) for _ in range(rnd.randint(0, 5)))
                out.append(R + "return r(function(...) local s = struct.pack(%s, ...) local h = {} for i = 1, #s do "
                           "h[#h+1] = string.format('%%02x', s:byte(i)) end return table.concat(h) end%s)" % (fmt, args))
            elif k < 0.8:
                data = bytes(rnd.randrange(256) if rnd.random() < 0.7 else 0 for _ in range(rnd.randint(0, 24)))
                pos = rnd.choice(['', ', 1', ', 2', ', 0', ', -1', ', 30', ', 5'])
                out.append(R + "return r(struct.unpack, %s, %s%s)" % (fmt, lua_bytes(data), pos))
            else:
                out.append(R + "return r(struct.size, %s)" % fmt)
        else:
            args = ''.join(', ' + rnd.choice(BIT_ARGS) for _ in range(rnd.randint(0, 3)))
            out.append(R + "return r(bit.%s%s)" % (rnd.choice(BIT_FUNCS), args))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_lib_calls(d2, seed):
    for snippet in random_snippets(seed, 150):
        d2.check("EVAL", snippet, "0")
    d2.check("PING")
