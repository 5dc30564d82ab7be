//! RDB: the snapshot format of Redis 7.0 (RDB version 10) and the older versions it loads.
