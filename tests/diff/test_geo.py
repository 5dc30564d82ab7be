"""Differential tests of the geo commands (issue 5 item 4) against
redis-server 7.0, RESP2 and RESP3: scores, positions, hashes, distances
with Redis's precision and rounding, every search option, unsorted result
order (which follows Redis's nine-cell scan), stores and errors.
"""

import random

import pytest

SICILY = "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 12.758489 38.788135 edge1 17.241510 38.788135 edge2"

CASES = {
    "add-pos-hash-dist": f"""
        {SICILY}
        ZRANGE Sicily 0 -1 WITHSCORES
        GEOPOS Sicily Palermo Catania NonExisting
        GEOHASH Sicily Palermo Catania nope
        GEODIST Sicily Palermo Catania
        GEODIST Sicily Palermo Catania km
        GEODIST Sicily Palermo Catania MI
        GEODIST Sicily Palermo Catania ft
        GEODIST Sicily Palermo Catania yards
        GEODIST Sicily Palermo Catania km extra
        GEODIST Sicily Palermo nope
        GEODIST nokey a b
        GEOPOS nokey a b
        GEOHASH nokey a
        GEOPOS Sicily
        GEOHASH Sicily
        GEODIST Sicily Palermo Palermo
    """,
    "add-options-and-errors": """
        GEOADD g 10 20 a
        GEOADD g NX 11 21 a 12 22 b
        GEOADD g XX 13 23 a 14 24 c
        GEOADD g XX CH 15 25 a
        GEOADD g CH NX 16 26 d
        GEOADD g CH 16 26 d
        GEOADD g NX XX 1 1 x
        GEOADD g GT 1 1 x
        GEOADD g 1 1
        GEOADD g 200 10 x
        GEOADD g 10 86 x
        GEOADD g -180 -85.05112878 minpt 180 85.05112878 maxpt
        GEOPOS g minpt maxpt
        GEOHASH g minpt maxpt
        GEOADD g abc 10 x
        GEOADD g 10 nan x
        GEOADD g 10 inf x
        GEOADD g 1e1 2e1 sci
        ZRANGE g 0 -1 WITHSCORES
        SET s x
        GEOADD s 1 1 m
        GEOPOS s m
        GEOHASH s m
        GEODIST s a b
        GEOSEARCH s FROMLONLAT 0 0 BYRADIUS 1 km
        GEORADIUS s 0 0 1 km
        ZADD z 0 zero -1 neg 9007199254740992 big
        GEOPOS z zero neg big
        GEOHASH z zero neg big
    """,
    "radius": f"""
        {SICILY}
        GEORADIUS Sicily 15 37 200 km
        GEORADIUS Sicily 15 37 200 km ASC
        GEORADIUS Sicily 15 37 200 km DESC
        GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH
        GEORADIUS Sicily 15 37 200 km WITHDIST COUNT 1
        GEORADIUS Sicily 15 37 200 km COUNT 1 ANY
        GEORADIUS Sicily 15 37 200 km ANY
        GEORADIUS Sicily 15 37 200 km COUNT 0
        GEORADIUS Sicily 15 37 200 km COUNT -1
        GEORADIUS Sicily 15 37 200 km COUNT x
        GEORADIUS Sicily 15 37 200 km COUNT
        GEORADIUS Sicily 15 37 -1 km
        GEORADIUS Sicily 15 37 abc km
        GEORADIUS Sicily 15 37 200 parsecs
        GEORADIUS Sicily 15 37 0 km
        GEORADIUS Sicily 15 37 200 km BOGUS
        GEORADIUS Sicily 200 37 200 km
        GEORADIUS Sicily 15 37 200 km STORE dst
        ZRANGE dst 0 -1 WITHSCORES
        GEORADIUS Sicily 15 37 200 km STOREDIST dst2 DESC COUNT 2
        ZRANGE dst2 0 -1 WITHSCORES
        GEORADIUS Sicily 15 37 200 km STORE dst WITHDIST
        GEORADIUS Sicily 15 37 1 m STORE dst
        EXISTS dst
        GEORADIUS nokey 15 37 200 km
        GEORADIUS nokey 15 37 200 km STORE dst2
        EXISTS dst2
        GEORADIUS_RO Sicily 15 37 200 km WITHDIST
        GEORADIUS_RO Sicily 15 37 200 km STORE dst
        GEORADIUSBYMEMBER Sicily Palermo 200 km WITHDIST
        GEORADIUSBYMEMBER Sicily nope 200 km
        GEORADIUSBYMEMBER nokey nope 200 km
        GEORADIUSBYMEMBER nokey nope bad unit
        GEORADIUSBYMEMBER Sicily Palermo 300 km STORE dst COUNT 2
        ZRANGE dst 0 -1
        GEORADIUSBYMEMBER_RO Sicily Catania 100 km ASC WITHCOORD
        GEORADIUSBYMEMBER_RO Sicily Catania 100 km STOREDIST dst
    """,
    "search": f"""
        {SICILY}
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 400 km ASC WITHCOORD WITHDIST WITHHASH
        GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km DESC
        GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 100 mi COUNT 1
        GEOSEARCH Sicily FROMMEMBER nope BYRADIUS 100 mi
        GEOSEARCH nokey FROMMEMBER nope BYRADIUS 100 mi
        GEOSEARCH Sicily FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 1 km
        GEOSEARCH Sicily FROMMEMBER Palermo FROMLONLAT 15 37 BYRADIUS 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1 km BYBOX 1 1 km
        GEOSEARCH Sicily BYRADIUS 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX x 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 x km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 1 yd
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ANY
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km STORE x
        geosearch Sicily BYRADIUS 1 km
        GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 2 ANY
        GEOSEARCH Sicily FROMLONLAT 0 0 BYRADIUS 1 km
        GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYBOX 400 400 km ASC COUNT 3
        ZRANGE dst 0 -1 WITHSCORES
        GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYBOX 400 400 km STOREDIST
        ZRANGE dst 0 -1 WITHSCORES
        GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYBOX 400 400 km WITHDIST
        GEOSEARCHSTORE dst Sicily FROMLONLAT 0 0 BYRADIUS 1 km
        EXISTS dst
        GEOSEARCHSTORE dst nokey FROMLONLAT 0 0 BYRADIUS 1 km
        GEOSEARCHSTORE dst nokey FROMMEMBER x BYRADIUS 1 km STOREDIST
        OBJECT ENCODING dst
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_geo_script(d, name):
    d.run(CASES[name])


def test_random_points_every_search_shape(d):
    """Random points all over the map: unsorted results must come out in
    Redis's scan order, sorted ones equal, distances equal to 4 decimals."""
    rng = random.Random(17)
    args = ["GEOADD", "pts"]
    for i in range(600):
        args += [f"{rng.uniform(-180, 180):.6f}", f"{rng.uniform(-85, 85):.6f}", f"p{i}"]
    d.check(*args)
    for _ in range(60):
        lon, lat = f"{rng.uniform(-180, 180):.5f}", f"{rng.uniform(-85, 85):.5f}"
        r = str(rng.choice([1, 50, 500, 3000, 8000]))
        unit = rng.choice(["km", "mi", "m"])
        if unit == "m":
            r = str(int(r) * 1000)
        d.check("GEOSEARCH", "pts", "FROMLONLAT", lon, lat, "BYRADIUS", r, unit)
        d.check("GEOSEARCH", "pts", "FROMLONLAT", lon, lat, "BYRADIUS", r, unit, "WITHDIST", "WITHCOORD", "ASC")
        d.check("GEOSEARCH", "pts", "FROMLONLAT", lon, lat, "BYBOX", r, str(int(r) // 2 + 1), unit, "WITHDIST")
        d.check("GEORADIUS", "pts", lon, lat, r, unit, "COUNT", "5", "ANY")
        d.check("GEOSEARCH", "pts", "FROMMEMBER", f"p{rng.randrange(600)}", "BYRADIUS", r, unit, "DESC", "WITHHASH")
    d.check("GEOPOS", "pts", *[f"p{i}" for i in range(0, 600, 7)])
    d.check("GEOHASH", "pts", *[f"p{i}" for i in range(0, 600, 7)])
    for _ in range(50):
        d.check("GEODIST", "pts", f"p{rng.randrange(600)}", f"p{rng.randrange(600)}", rng.choice(["m", "km", "ft", "mi"]))
