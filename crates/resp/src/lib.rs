//! RESP2/RESP3 wire format for Vermilion: the resumable, bounded request
//! parser, the reply encoder and a reply parser (for scripts and tests).
//! It knows nothing of commands, the keyspace or sockets.

pub mod encode;
pub mod frame;
pub mod parse;
pub mod split;

pub use encode::{format_double, Out};
pub use frame::{parse_frame, Frame};
pub use parse::{Limits, ProtocolError, RequestParser};
pub use split::split_args;
