//! The append-only file: Redis 7 multi-part layout (manifest, base and incremental files).
