//! Geo commands: GEOADD GEODIST GEOHASH GEOPOS GEOSEARCH GEOSEARCHSTORE
//! GEORADIUS GEORADIUSBYMEMBER and their _RO forms. Positions are sorted-set
//! scores (52-bit geohashes); the arithmetic lives in `keyspace::geohash`.

use crate::command::{flags::*, spec, CommandSpec};
use crate::ctx::{eq, parse_int, Ctx};
use crate::errors::{self, CmdError, CmdResult};
use crate::notify::class::{GENERIC, ZSET};
use bytes::Bytes;
use keyspace::geohash::{self, Search, Shape};
use keyspace::zset::{parse_score, ZEntry, ZSet};
use keyspace::SmallBytes;

const W: &[&str] = &["write", "geo"];
const R: &[&str] = &["read", "geo"];

pub static COMMANDS: &[CommandSpec] = &[
    spec(
        "geoadd",
        -5,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "geo",
        "3.2.0",
        "Adds one or more members to a geospatial index. The key is created if it doesn't exist.",
        geoadd,
    ),
    spec(
        "geodist",
        -4,
        READONLY,
        (1, 1, 1),
        R,
        "geo",
        "3.2.0",
        "Returns the distance between two members of a geospatial index.",
        geodist,
    ),
    spec(
        "geohash",
        -2,
        READONLY,
        (1, 1, 1),
        R,
        "geo",
        "3.2.0",
        "Returns members from a geospatial index as geohash strings.",
        geohash_cmd,
    ),
    spec(
        "geopos",
        -2,
        READONLY,
        (1, 1, 1),
        R,
        "geo",
        "3.2.0",
        "Returns the longitude and latitude of members from a geospatial index.",
        geopos,
    ),
    spec(
        "georadius",
        -6,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "geo",
        "3.2.0",
        "Queries a geospatial index for members within a distance from a coordinate, optionally stores the result.",
        georadius,
    ),
    spec(
        "georadius_ro",
        -6,
        READONLY,
        (1, 1, 1),
        R,
        "geo",
        "3.2.10",
        "Returns members from a geospatial index that are within a distance from a coordinate.",
        georadius_ro,
    ),
    spec(
        "georadiusbymember",
        -5,
        WRITE | DENYOOM,
        (1, 1, 1),
        W,
        "geo",
        "3.2.0",
        "Queries a geospatial index for members within a distance from a member, optionally stores the result.",
        georadiusbymember,
    ),
    spec(
        "georadiusbymember_ro",
        -5,
        READONLY,
        (1, 1, 1),
        R,
        "geo",
        "3.2.10",
        "Returns members from a geospatial index that are within a distance from a member.",
        georadiusbymember_ro,
    ),
    spec(
        "geosearch",
        -7,
        READONLY,
        (1, 1, 1),
        R,
        "geo",
        "6.2.0",
        "Queries a geospatial index for members inside an area of a box or a circle.",
        geosearch,
    ),
    spec(
        "geosearchstore",
        -8,
        WRITE | DENYOOM,
        (1, 2, 1),
        W,
        "geo",
        "6.2.0",
        "Queries a geospatial index for members inside an area of a box or a circle, optionally stores the result.",
        geosearchstore,
    ),
];

/// A longitude/latitude argument pair, validated as Redis does.
fn lonlat(ctx: &Ctx, i: usize) -> Result<(f64, f64), CmdError> {
    let lon = parse_score(ctx.arg(i)).ok_or_else(|| CmdError::from(errors::NOT_FLOAT))?;
    let lat = parse_score(ctx.arg(i + 1)).ok_or_else(|| CmdError::from(errors::NOT_FLOAT))?;
    if !(geohash::LON_MIN..=geohash::LON_MAX).contains(&lon) || !(geohash::LAT_MIN..=geohash::LAT_MAX).contains(&lat) {
        return Err(errors::geo_invalid_pair(lon, lat).into());
    }
    Ok((lon, lat))
}

/// Meters per unit of a unit argument.
fn unit(a: &[u8]) -> Result<f64, CmdError> {
    if eq(a, "m") {
        Ok(1.0)
    } else if eq(a, "km") {
        Ok(1000.0)
    } else if eq(a, "ft") {
        Ok(0.3048)
    } else if eq(a, "mi") {
        Ok(1609.34)
    } else {
        Err(errors::GEO_UNIT.into())
    }
}

/// GEOADD key [NX | XX] [CH] longitude latitude member [...]: runs as the
/// ZADD it stands for, scores being the encoded positions.
fn geoadd(ctx: &mut Ctx) -> CmdResult {
    let (mut i, mut nx, mut xx) = (2, false, false);
    while i < ctx.argc() {
        let a = ctx.arg(i);
        if eq(a, "nx") {
            nx = true;
        } else if eq(a, "xx") {
            xx = true;
        } else if !eq(a, "ch") {
            break;
        }
        i += 1;
    }
    if !(ctx.argc() - i).is_multiple_of(3) || (nx && xx) {
        return Err(errors::SYNTAX.into());
    }
    let mut argv: Vec<Bytes> = Vec::with_capacity(i + (ctx.argc() - i) / 3 * 2);
    argv.push(Bytes::from_static(b"zadd"));
    argv.extend_from_slice(&ctx.argv[1..i]);
    for j in (i..ctx.argc()).step_by(3) {
        let (lon, lat) = lonlat(ctx, j)?;
        argv.push(Bytes::from(format!("{}", geohash::score_of(lon, lat) as u64)));
        argv.push(ctx.argv[j + 2].clone());
    }
    let mut sub = Ctx {
        argv: &argv,
        out: &mut *ctx.out,
        client: &mut *ctx.client,
        store: &mut *ctx.store,
        shared: ctx.shared,
        cmd: ctx.cmd,
        dirty: 0,
    };
    let r = crate::cmd::zset::zadd(&mut sub);
    let dirty = sub.dirty;
    ctx.dirty += dirty;
    r
}

/// The scores of the members named from argument 2 on in the sorted set
/// at argument 1 (None for each when the key is missing).
fn member_scores(ctx: &mut Ctx) -> Result<Vec<Option<f64>>, CmdError> {
    let (db, touch, argv) = (ctx.db(), ctx.touch(), ctx.argv);
    let z = ctx.store.ks.zset_read(db, &argv[1], touch)?;
    Ok(argv[2..].iter().map(|m| z.as_ref().and_then(|z| z.score(m))).collect())
}

/// GEODIST key member1 member2 [M | KM | FT | MI]
fn geodist(ctx: &mut Ctx) -> CmdResult {
    let to_m = match ctx.argc() {
        5 => unit(ctx.arg(4))?,
        4 => 1.0,
        _ => return Err(errors::SYNTAX.into()),
    };
    let (db, touch, argv) = (ctx.db(), ctx.touch(), ctx.argv);
    let Some(z) = ctx.store.ks.zset_read(db, &argv[1], touch)? else {
        ctx.out.null();
        return Ok(());
    };
    match (z.score(&argv[2]), z.score(&argv[3])) {
        (Some(a), Some(b)) => {
            let (pa, pb) = (geohash::position(a), geohash::position(b));
            let d = geohash::distance(pa.0, pa.1, pb.0, pb.1) / to_m;
            ctx.out.bulk(geohash::fmt_distance(d).as_bytes());
        }
        _ => ctx.out.null(),
    }
    Ok(())
}

/// GEOHASH key [member ...]
fn geohash_cmd(ctx: &mut Ctx) -> CmdResult {
    let scores = member_scores(ctx)?;
    ctx.out.array(scores.len());
    for s in scores {
        match s {
            Some(s) => ctx.out.bulk(geohash::geohash_string(s).as_bytes()),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

fn coord(ctx: &mut Ctx, v: f64) {
    let s = geohash::fmt_coord(v);
    // RESP3 sends coordinates as doubles, in the same text.
    if ctx.out.resp3() {
        ctx.out.raw(format!(",{s}\r\n").as_bytes());
    } else {
        ctx.out.bulk(s.as_bytes());
    }
}

/// GEOPOS key [member ...]
fn geopos(ctx: &mut Ctx) -> CmdResult {
    let found = member_scores(ctx)?;
    ctx.out.array(found.len());
    for s in found {
        match s {
            Some(s) => {
                let (lon, lat) = geohash::position(s);
                ctx.out.array(2);
                coord(ctx, lon);
                coord(ctx, lat);
            }
            None => ctx.out.null_array(),
        }
    }
    Ok(())
}

/// Which search command runs (Redis's georadiusGeneric flags).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Radius,
    RadiusMember,
    Search,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// One point found.
struct Hit {
    member: SmallBytes,
    score: f64,
    dist: f64,
    lon: f64,
    lat: f64,
}

fn georadius(ctx: &mut Ctx) -> CmdResult {
    search(ctx, Kind::Radius, 1, true, false)
}

fn georadius_ro(ctx: &mut Ctx) -> CmdResult {
    search(ctx, Kind::Radius, 1, false, false)
}

fn georadiusbymember(ctx: &mut Ctx) -> CmdResult {
    search(ctx, Kind::RadiusMember, 1, true, false)
}

fn georadiusbymember_ro(ctx: &mut Ctx) -> CmdResult {
    search(ctx, Kind::RadiusMember, 1, false, false)
}

fn geosearch(ctx: &mut Ctx) -> CmdResult {
    search(ctx, Kind::Search, 1, false, false)
}

fn geosearchstore(ctx: &mut Ctx) -> CmdResult {
    search(ctx, Kind::Search, 2, false, true)
}

/// A radius or box with its unit (`need numeric radius` and friends).
fn radius_arg(ctx: &Ctx, i: usize) -> Result<(f64, f64), CmdError> {
    let r = parse_score(ctx.arg(i)).ok_or_else(|| CmdError::from(errors::GEO_NEED_RADIUS))?;
    if r < 0.0 {
        return Err(errors::GEO_RADIUS_NEGATIVE.into());
    }
    Ok((r, unit(ctx.arg(i + 1))?))
}

/// The shared body of every geo search command (Redis's georadiusGeneric):
/// parse in Redis's order, scan the nine cells, filter, sort, then reply or store.
fn search(ctx: &mut Ctx, kind: Kind, src: usize, can_store: bool, searchstore: bool) -> CmdResult {
    let (db, touch) = (ctx.db(), ctx.touch());
    let src_key = ctx.arg(src);
    let exists = ctx.store.ks.zset_read(db, src_key, touch)?.is_some();
    let score_of = |ctx: &mut Ctx, m: &[u8]| -> Option<f64> {
        ctx.store.ks.zset_write(db, src_key).ok().flatten().and_then(|z| z.score(m))
    };
    let mut center: Option<(f64, f64)> = None;
    let mut shape: Option<(Shape, f64)> = None;
    let base = match kind {
        Kind::Radius => {
            center = Some(lonlat(ctx, 2)?);
            let (r, conv) = radius_arg(ctx, 4)?;
            shape = Some((Shape::Radius(r), conv));
            6
        }
        Kind::RadiusMember if !exists => 5,
        Kind::RadiusMember => {
            let s = score_of(ctx, ctx.arg(2)).ok_or_else(|| CmdError::from(errors::GEO_NO_MEMBER))?;
            center = Some(geohash::position(s));
            let (r, conv) = radius_arg(ctx, 3)?;
            shape = Some((Shape::Radius(r), conv));
            5
        }
        Kind::Search => src + 1,
    };
    let (mut withdist, mut withhash, mut withcoord, mut any) = (false, false, false, false);
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    let mut count: i64 = 0;
    let mut store: Option<&[u8]> = if searchstore { Some(ctx.arg(1)) } else { None };
    let mut storedist = false;
    let search = kind == Kind::Search;
    let argc = ctx.argc();
    let mut i = base;
    while i < argc {
        let a = ctx.arg(i);
        let left = argc - i - 1;
        if eq(a, "withdist") {
            withdist = true;
        } else if eq(a, "withhash") {
            withhash = true;
        } else if eq(a, "withcoord") {
            withcoord = true;
        } else if eq(a, "any") {
            any = true;
        } else if eq(a, "asc") {
            sort = Sort::Asc;
        } else if eq(a, "desc") {
            sort = Sort::Desc;
        } else if eq(a, "count") && left >= 1 {
            count = parse_int(ctx.arg(i + 1)).ok_or_else(|| CmdError::from(errors::NOT_INTEGER))?;
            if count <= 0 {
                return Err(errors::GEO_COUNT.into());
            }
            i += 1;
        } else if (eq(a, "store") || eq(a, "storedist")) && left >= 1 && can_store && !search {
            store = Some(ctx.arg(i + 1));
            storedist = eq(a, "storedist");
            i += 1;
        } else if eq(a, "storedist") && search && searchstore {
            storedist = true;
        } else if eq(a, "frommember") && left >= 1 && search && !fromloc {
            if exists {
                let s = score_of(ctx, ctx.arg(i + 1)).ok_or_else(|| CmdError::from(errors::GEO_NO_MEMBER))?;
                center = Some(geohash::position(s));
            }
            frommember = true;
            i += 1;
        } else if eq(a, "fromlonlat") && left >= 2 && search && !frommember {
            center = Some(lonlat(ctx, i + 1)?);
            fromloc = true;
            i += 2;
        } else if eq(a, "byradius") && left >= 2 && search && !bybox {
            let (r, conv) = radius_arg(ctx, i + 1)?;
            shape = Some((Shape::Radius(r), conv));
            byradius = true;
            i += 2;
        } else if eq(a, "bybox") && left >= 3 && search && !byradius {
            let w = parse_score(ctx.arg(i + 1)).ok_or_else(|| CmdError::from(errors::GEO_NEED_WIDTH))?;
            let h = parse_score(ctx.arg(i + 2)).ok_or_else(|| CmdError::from(errors::GEO_NEED_HEIGHT))?;
            if h < 0.0 || w < 0.0 {
                return Err(errors::GEO_BOX_NEGATIVE.into());
            }
            shape = Some((Shape::Box { width: w, height: h }, unit(ctx.arg(i + 3))?));
            bybox = true;
            i += 3;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    if store.is_some() && (withdist || withhash || withcoord) {
        return Err(errors::geo_store_with(searchstore).into());
    }
    let name = String::from_utf8_lossy(ctx.arg(0)).into_owned();
    if search && !(frommember || fromloc) {
        return Err(errors::geo_need_from(&name).into());
    }
    if search && !(byradius || bybox) {
        return Err(errors::geo_need_by(&name).into());
    }
    if any && count == 0 {
        return Err(errors::GEO_ANY_NEEDS_COUNT.into());
    }
    if !exists {
        match store {
            Some(dest) => {
                if ctx.store.ks.remove(db, dest).is_some() {
                    ctx.changed(1);
                    ctx.wrote(GENERIC, "del", dest);
                }
                ctx.out.int(0);
            }
            None => ctx.out.array(0),
        }
        return Ok(());
    }
    if count != 0 && sort == Sort::None && !any {
        sort = Sort::Asc;
    }
    let (lon, lat) = center.expect("set by the parsing above");
    let (shape, conversion) = shape.expect("set by the parsing above");
    let q = Search { lon, lat, shape, conversion };
    let limit = if any { count as usize } else { 0 };
    let mut hits: Vec<Hit> = Vec::new();
    {
        let z = ctx.store.ks.zset_write(db, src_key)?.expect("exists");
        'cells: for (min, max) in q.score_ranges() {
            if limit > 0 && hits.len() >= limit {
                break;
            }
            let tree = z.tree();
            let start = tree.partition_point(|e| e.score < min);
            for e in tree.iter_range(start, tree.len()) {
                if e.score >= max {
                    break;
                }
                let (plon, plat) = geohash::position(e.score);
                if let Some(dist) = q.hit(plon, plat) {
                    hits.push(Hit { member: e.member.clone(), score: e.score, dist, lon: plon, lat: plat });
                }
                if limit > 0 && hits.len() >= limit {
                    break 'cells;
                }
            }
        }
    }
    if hits.is_empty() && store.is_none() {
        ctx.out.array(0);
        return Ok(());
    }
    let returned = if count == 0 { hits.len() } else { hits.len().min(count as usize) };
    match sort {
        Sort::Asc => hits.sort_by(|a, b| a.dist.partial_cmp(&b.dist).unwrap_or(std::cmp::Ordering::Equal)),
        Sort::Desc => hits.sort_by(|a, b| b.dist.partial_cmp(&a.dist).unwrap_or(std::cmp::Ordering::Equal)),
        Sort::None => {}
    }
    hits.truncate(returned);
    for h in &mut hits {
        h.dist /= conversion;
    }
    let Some(dest) = store else {
        let opts = withdist as usize + withhash as usize + withcoord as usize;
        ctx.out.array(hits.len());
        for h in &hits {
            if opts > 0 {
                ctx.out.array(opts + 1);
            }
            ctx.out.bulk(&h.member);
            if withdist {
                ctx.out.bulk(geohash::fmt_distance(h.dist).as_bytes());
            }
            if withhash {
                ctx.out.int(h.score as i64);
            }
            if withcoord {
                ctx.out.array(2);
                coord(ctx, h.lon);
                coord(ctx, h.lat);
            }
        }
        return Ok(());
    };
    let n = hits.len();
    if n > 0 {
        let entries: Vec<ZEntry> = hits
            .into_iter()
            .map(|h| ZEntry { score: if storedist { h.dist } else { h.score }, member: h.member })
            .collect();
        let z = ZSet::from_entries(entries, &ctx.store.ks.enc);
        ctx.store.ks.zset_store(db, dest, z);
        ctx.changed(n as u64);
        ctx.signal(dest);
        ctx.notify(ZSET, if search { "geosearchstore" } else { "georadiusstore" }, dest);
    } else if ctx.store.ks.remove(db, dest).is_some() {
        ctx.changed(1);
        ctx.wrote(GENERIC, "del", dest);
    }
    ctx.out.int(n as i64);
    Ok(())
}
