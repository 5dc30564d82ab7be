//! Typed errors of keyspace operations. The texts users see live in the
//! server's error module; this enum only says what went wrong.

/// What a keyspace operation can fail with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KsError {
    /// The key holds a value of another type.
    WrongType,
    /// The value (or an argument) is not an integer or is out of range.
    NotInteger,
    /// The value (or an argument) is not a valid float.
    NotFloat,
    /// Incrementing or decrementing would overflow an i64.
    Overflow,
    /// A float operation would produce NaN or infinity.
    NanOrInfinity,
    /// The key does not exist where the operation needs it.
    NoSuchKey,
    /// A string would grow past the configured maximum (proto-max-bulk-len).
    StringTooLong,
    /// A numeric argument is out of the allowed range.
    OutOfRange,
    /// The database index does not exist.
    DbIndexOutOfRange,
    /// Source and destination are the same object.
    SameObject,
}
