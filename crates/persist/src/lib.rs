//! Persistence formats: RDB snapshots (also the DUMP/RESTORE payload) and
//! the append-only file. Pure encoding and decoding over `io::Read` /
//! `io::Write`; the server decides when and where files are written.

pub mod aof;
pub mod rdb;
