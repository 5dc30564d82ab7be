//! Geohash arithmetic as Redis's geo commands use it: 52-bit interleaved
//! scores (26 bits of latitude on even bits, 26 of longitude on odd bits,
//! over Web Mercator's latitude range), the nine-box search around a point,
//! and haversine distances on Redis's Earth radius. Every formula follows
//! Redis's order of floating-point operations so that scores, positions,
//! distances and even the order of unsorted search results come out the same.

/// Longitude range.
pub const LON_MIN: f64 = -180.0;
pub const LON_MAX: f64 = 180.0;
/// Latitude range (EPSG:900913 / Web Mercator).
pub const LAT_MIN: f64 = -85.051_128_78;
pub const LAT_MAX: f64 = 85.051_128_78;
/// Bits per coordinate of a stored score.
pub const STEP_MAX: u32 = 26;
/// The Earth radius Redis uses, in meters.
pub const EARTH_RADIUS_M: f64 = 6_372_797.560_856;
const MERCATOR_MAX: f64 = 20_037_726.37;
const D_R: f64 = std::f64::consts::PI / 180.0;

/// A geohash cell: `bits` holds `step` bits of each coordinate, interleaved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    pub bits: u64,
    pub step: u32,
}

impl Cell {
    fn is_zero(self) -> bool {
        self.bits == 0 && self.step == 0
    }
}

/// A coordinate rectangle.
#[derive(Debug, Clone, Copy, Default)]
pub struct Area {
    pub lon_min: f64,
    pub lon_max: f64,
    pub lat_min: f64,
    pub lat_max: f64,
}

fn spread(v: u32) -> u64 {
    let mut x = v as u64;
    x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
    x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

fn squeeze(v: u64) -> u32 {
    let mut x = v & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x >> 4)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x >> 8)) & 0x0000_ffff_0000_ffff;
    ((x | (x >> 16)) & 0x0000_0000_ffff_ffff) as u32
}

/// C's double-to-uint32 conversion as compiled for x86-64 (through a
/// 64-bit signed integer, keeping the low 32 bits).
fn to_u32(v: f64) -> u32 {
    v as i64 as u32
}

/// Encodes a position at `step` bits per coordinate over the given latitude
/// range (Redis: -85..85 for scores, -90..90 for GEOHASH strings). None
/// when the position is outside the valid range.
pub fn encode_in(lon: f64, lat: f64, step: u32, lat_min: f64, lat_max: f64) -> Option<Cell> {
    if !(LON_MIN..=LON_MAX).contains(&lon) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return None;
    }
    if lat < lat_min || lat > lat_max {
        return None;
    }
    let mut lat_off = (lat - lat_min) / (lat_max - lat_min);
    let mut lon_off = (lon - LON_MIN) / (LON_MAX - LON_MIN);
    lat_off *= (1u64 << step) as f64;
    lon_off *= (1u64 << step) as f64;
    Some(Cell { bits: spread(to_u32(lat_off)) | (spread(to_u32(lon_off)) << 1), step })
}

/// Encodes a position in the score range (Web Mercator latitudes).
pub fn encode(lon: f64, lat: f64, step: u32) -> Option<Cell> {
    encode_in(lon, lat, step, LAT_MIN, LAT_MAX)
}

/// The score GEOADD stores for a position (assumed valid).
pub fn score_of(lon: f64, lat: f64) -> f64 {
    let c = encode(lon, lat, STEP_MAX).expect("position validated by the caller");
    (c.bits << (52 - 2 * STEP_MAX)) as f64
}

/// The area a cell covers.
pub fn decode(c: Cell) -> Area {
    let lat_scale = LAT_MAX - LAT_MIN;
    let lon_scale = LON_MAX - LON_MIN;
    let ilat = squeeze(c.bits);
    let ilon = squeeze(c.bits >> 1);
    let div = (1u64 << c.step) as f64;
    Area {
        lat_min: LAT_MIN + (ilat as f64 * 1.0 / div) * lat_scale,
        lat_max: LAT_MIN + ((ilat as u64 + 1) as f64 * 1.0 / div) * lat_scale,
        lon_min: LON_MIN + (ilon as f64 * 1.0 / div) * lon_scale,
        lon_max: LON_MIN + ((ilon as u64 + 1) as f64 * 1.0 / div) * lon_scale,
    }
}

/// C's (uint64_t) cast of a double on x86-64: negative values wrap through
/// a signed conversion, as the compiled Redis does.
fn score_bits(score: f64) -> u64 {
    if score < 0.0 {
        score as i64 as u64
    } else {
        score as u64
    }
}

/// The (longitude, latitude) a stored score stands for: the centre of its cell, clamped.
pub fn position(score: f64) -> (f64, f64) {
    let a = decode(Cell { bits: score_bits(score), step: STEP_MAX });
    let lon = ((a.lon_min + a.lon_max) / 2.0).clamp(LON_MIN, LON_MAX);
    let lat = ((a.lat_min + a.lat_max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
}

/// The standard 11-character geohash of a stored score (GEOHASH): decoded,
/// then re-encoded over -90..90 as the rest of the world uses it.
pub fn geohash_string(score: f64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let (lon, lat) = position(score);
    let bits = encode_in(lon, lat, STEP_MAX, -90.0, 90.0).map_or(0, |c| c.bits);
    (0..11)
        .map(|i| {
            // 52 bits make ten characters; the eleventh is always '0'.
            let idx = if i == 10 { 0 } else { (bits >> (52 - (i + 1) * 5)) & 0x1f };
            ALPHABET[idx as usize] as char
        })
        .collect()
}

fn deg_rad(d: f64) -> f64 {
    d * D_R
}

fn rad_deg(r: f64) -> f64 {
    r / D_R
}

/// Distance along a meridian between two latitudes, in meters.
pub fn lat_distance(lat1: f64, lat2: f64) -> f64 {
    EARTH_RADIUS_M * (deg_rad(lat2) - deg_rad(lat1)).abs()
}

/// Haversine great-circle distance in meters.
pub fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let lon1r = deg_rad(lon1);
    let lon2r = deg_rad(lon2);
    let v = ((lon2r - lon1r) / 2.0).sin();
    // Same meridian: the cheaper formula, as Redis 7 takes it.
    if v == 0.0 {
        return lat_distance(lat1, lat2);
    }
    let lat1r = deg_rad(lat1);
    let lat2r = deg_rad(lat2);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// A search shape around a centre: a circle or an axis-aligned box, in
/// the request's unit with `conversion` meters per unit.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Radius(f64),
    Box { width: f64, height: f64 },
}

/// What a search looks for.
#[derive(Debug, Clone, Copy)]
pub struct Search {
    pub lon: f64,
    pub lat: f64,
    pub shape: Shape,
    pub conversion: f64,
}

impl Search {
    /// The distance (meters) from the centre to a point, if the point is inside the shape.
    pub fn hit(&self, lon: f64, lat: f64) -> Option<f64> {
        match self.shape {
            Shape::Radius(r) => {
                let d = distance(self.lon, self.lat, lon, lat);
                (d <= r * self.conversion).then_some(d)
            }
            Shape::Box { width, height } => {
                let (w, h) = (width * self.conversion, height * self.conversion);
                if lat_distance(lat, self.lat) > h / 2.0 {
                    return None;
                }
                if distance(lon, lat, self.lon, lat) > w / 2.0 {
                    return None;
                }
                Some(distance(self.lon, self.lat, lon, lat))
            }
        }
    }

    fn bounding_box(&self) -> (f64, f64, f64, f64) {
        let (h, w) = match self.shape {
            Shape::Radius(r) => (r, r),
            Shape::Box { width, height } => (height / 2.0, width / 2.0),
        };
        let (height, width) = (self.conversion * h, self.conversion * w);
        let lat_delta = rad_deg(height / EARTH_RADIUS_M);
        let lon_delta_top = rad_deg(width / EARTH_RADIUS_M / deg_rad(self.lat + lat_delta).cos());
        let lon_delta_bottom = rad_deg(width / EARTH_RADIUS_M / deg_rad(self.lat - lat_delta).cos());
        let south = self.lat < 0.0;
        let min_lon = if south { self.lon - lon_delta_bottom } else { self.lon - lon_delta_top };
        let max_lon = if south { self.lon + lon_delta_bottom } else { self.lon + lon_delta_top };
        (min_lon, self.lat - lat_delta, max_lon, self.lat + lat_delta)
    }

    /// The score ranges `[min, max)` to scan, in Redis's order: the centre
    /// cell and its eight neighbours (N, S, E, W, NE, NW, SE, SW), minus
    /// cells the search cannot reach and repeats of the previous cell.
    pub fn score_ranges(&self) -> Vec<(f64, f64)> {
        let (min_lon, min_lat, max_lon, max_lat) = self.bounding_box();
        let radius_m = match self.shape {
            Shape::Radius(r) => r,
            Shape::Box { width, height } => ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt(),
        } * self.conversion;
        let mut steps = estimate_steps(radius_m, self.lat);
        let mut cell = encode(self.lon, self.lat, steps).unwrap_or_default();
        let mut n = neighbours(cell);
        let decrease = {
            let (north, south, east, west) = (decode(n[0]), decode(n[1]), decode(n[2]), decode(n[3]));
            north.lat_max < max_lat || south.lat_min > min_lat || east.lon_max < max_lon || west.lon_min > min_lon
        };
        if steps > 1 && decrease {
            steps -= 1;
            cell = encode(self.lon, self.lat, steps).unwrap_or_default();
            n = neighbours(cell);
        }
        let area = decode(cell);
        // n: north, south, east, west, north_east, north_west, south_east, south_west
        if steps >= 2 {
            let z = Cell::default();
            if area.lat_min < min_lat {
                (n[1], n[7], n[6]) = (z, z, z);
            }
            if area.lat_max > max_lat {
                (n[0], n[4], n[5]) = (z, z, z);
            }
            if area.lon_min < min_lon {
                (n[3], n[7], n[5]) = (z, z, z);
            }
            if area.lon_max > max_lon {
                (n[2], n[6], n[4]) = (z, z, z);
            }
        }
        let cells = [cell, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]];
        let mut out = Vec::with_capacity(9);
        let mut last: Option<usize> = None;
        for (i, c) in cells.iter().enumerate() {
            if c.is_zero() {
                continue;
            }
            // Redis compares with the previous cell only once one other
            // than the centre was scanned (its `last_processed` starts at 0).
            if let Some(l) = last.filter(|&l| l != 0) {
                if cells[l] == *c {
                    continue;
                }
            }
            let shift = 52 - 2 * c.step;
            out.push(((c.bits << shift) as f64, ((c.bits + 1) << shift) as f64));
            last = Some(i);
        }
        out
    }
}

fn estimate_steps(mut range_m: f64, lat: f64) -> u32 {
    if range_m == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    while range_m < MERCATOR_MAX {
        range_m *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u32
}

fn move_x(c: Cell, d: i8) -> Cell {
    if d == 0 {
        return c;
    }
    let mut x = c.bits & 0xaaaa_aaaa_aaaa_aaaa;
    let y = c.bits & 0x5555_5555_5555_5555;
    let zz = 0x5555_5555_5555_5555u64 >> (64 - c.step * 2);
    if d > 0 {
        x = x.wrapping_add(zz + 1);
    } else {
        x |= zz;
        x = x.wrapping_sub(zz + 1);
    }
    x &= 0xaaaa_aaaa_aaaa_aaaau64 >> (64 - c.step * 2);
    Cell { bits: x | y, step: c.step }
}

fn move_y(c: Cell, d: i8) -> Cell {
    if d == 0 {
        return c;
    }
    let x = c.bits & 0xaaaa_aaaa_aaaa_aaaa;
    let mut y = c.bits & 0x5555_5555_5555_5555;
    let zz = 0xaaaa_aaaa_aaaa_aaaau64 >> (64 - c.step * 2);
    if d > 0 {
        y = y.wrapping_add(zz + 1);
    } else {
        y |= zz;
        y = y.wrapping_sub(zz + 1);
    }
    y &= 0x5555_5555_5555_5555u64 >> (64 - c.step * 2);
    Cell { bits: x | y, step: c.step }
}

/// north, south, east, west, north_east, north_west, south_east, south_west
fn neighbours(c: Cell) -> [Cell; 8] {
    let m = |dx: i8, dy: i8| move_y(move_x(c, dx), dy);
    [m(0, 1), m(0, -1), m(1, 0), m(-1, 0), m(1, 1), m(-1, 1), m(1, -1), m(-1, -1)]
}

/// Redis's "human" long double form (`%.17Lf`, trailing zeros dropped),
/// used for coordinates in replies.
pub fn fmt_coord(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let mut s = format!("{v:.17}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// A distance as Redis prints it: four decimals.
pub fn fmt_distance(v: f64) -> String {
    format!("{v:.4}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_and_positions_match_redis() {
        // GEOADD Sicily 13.361389 38.115556 Palermo -> score 3479099956230698
        assert_eq!(score_of(13.361389, 38.115556), 3479099956230698.0);
        let (lon, lat) = position(3479099956230698.0);
        assert_eq!(fmt_coord(lon), "13.36138933897018433");
        assert_eq!(fmt_coord(lat), "38.11555639549629859");
        assert_eq!(geohash_string(3479099956230698.0), "sqc8b49rny0");
    }

    #[test]
    fn distances_match_redis() {
        let (a, b) = (position(3479099956230698.0), position(score_of(15.087269, 37.502669)));
        assert_eq!(fmt_distance(distance(a.0, a.1, b.0, b.1)), "166274.1516");
    }
}
