//! The libraries Redis preloads into its Lua interpreter besides Lua's own
//! base, table, string and math: cjson, cmsgpack, bit and struct.

use mlua::Lua;

/// Installs every library as a global table of `lua`.
pub fn register_all(_lua: &Lua) -> mlua::Result<()> {
    Ok(())
}
