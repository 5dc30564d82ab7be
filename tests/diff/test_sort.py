"""Differential tests of SORT and SORT_RO (issue 3 item 9): BY, GET, LIMIT,
ASC/DESC, ALPHA, STORE, over lists, sets and sorted sets, with Redis 7.0's
tie-breaks and edge cases (including CVE-2022-35977's LIMIT overflow)."""

import pytest

SETUP = """
    RPUSH l 3 1 2 10 -5 2.5
    SADD s 5 3 9 1 7
    ZADD z 3 c 1 a 2 b 5 e 4 d
    RPUSH words banana apple cherry date
    MSET w_3 30 w_1 10 w_2 20 w_10 5 w_-5 0
    MSET d_3 three d_1 one d_2 two
    HSET o_1 weight 3 name uno
    HSET o_2 weight 1 name dos
    HSET o_3 weight 2 name tres
"""

CASES = {
    "numeric": """
        SORT l
        SORT l DESC
        SORT l ASC
        SORT s
        SORT s DESC
        SORT z
        SORT_RO l
    """,
    "alpha": """
        SORT words ALPHA
        SORT words ALPHA DESC
        SORT words
        SORT l ALPHA
        SORT z ALPHA
    """,
    "limit": """
        SORT l LIMIT 0 2
        SORT l LIMIT 2 2
        SORT l LIMIT 4 100
        SORT l LIMIT 100 2
        SORT l LIMIT -5 2
        SORT l LIMIT 1 -1
        SORT l LIMIT 0 0
        SORT l LIMIT 2 9223372036854775807
        SORT_RO l BY a LIMIT 2 9223372036854775807
        SORT l LIMIT 9223372036854775807 9223372036854775807
        SORT l LIMIT x 1
        SORT l LIMIT 1
    """,
    "by-keys": """
        SORT l BY w_*
        SORT l BY w_* DESC
        SORT l BY nosort
        SORT l BY nosort DESC
        SORT l BY nosuch_*
        SORT l BY w_* LIMIT 1 2
        SORT l BY d_* ALPHA
    """,
    "by-hash-field": """
        RPUSH ids 1 2 3
        SORT ids BY o_*->weight
        SORT ids BY o_*->weight DESC GET o_*->name
        SORT ids BY o_*->name ALPHA GET # GET o_*->name
        SORT ids BY o_*->
        SORT ids BY o_*->nosuch
    """,
    "get": """
        SORT l GET d_*
        SORT l GET # GET d_* GET w_*
        SORT l GET nosuch
        SORT l GET o_*->name
        SORT l BY nosort GET #
        SORT l GET
    """,
    "zset-nosort": """
        SORT z BY nosort
        SORT z BY nosort DESC
        SORT z BY nosort LIMIT 1 2
        SORT z BY nosort DESC LIMIT 1 2
        SORT z BY nosort LIMIT 10 2
        SORT z BY nosort LIMIT -1 -1
    """,
    "store": """
        SORT l STORE dst
        LRANGE dst 0 -1
        TYPE dst
        SORT l DESC LIMIT 0 2 STORE dst
        LRANGE dst 0 -1
        SET dst string
        SORT l GET d_* STORE dst
        LRANGE dst 0 -1
        SORT nosuch STORE dst
        EXISTS dst
        SORT s BY nosort STORE dst2
        LRANGE dst2 0 -1
        SORT_RO l STORE dst
    """,
    "errors": """
        SORT
        SORT l BOGUS
        SORT l LIMIT
        SORT l STORE
        SORT l BY
        SET str x
        SORT str
        HSET h f v
        SORT h
        RPUSH bad 1 x 2
        SORT bad
        SORT bad ALPHA
        SORT bad BY nosort
        RPUSH inf 1 inf -inf
        SORT inf
        RPUSH nan 1 nan
        SORT nan
        RPUSH spaces " 1" "2 " 3
        SORT spaces
    """,
    "missing-key": """
        SORT nosuch
        SORT nosuch ALPHA LIMIT 0 1
        SORT_RO nosuch
    """,
    "ties-numeric-break-by-element": """
        RPUSH t b a c 1 1.0 01
        SORT t BY nosuch_*
        SORT t BY w_*
        SORT t ALPHA
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sort_script(d, name):
    d.run(SETUP)
    d.run(CASES[name])
