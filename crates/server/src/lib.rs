//! vermilion-server as a library: configuration, connections, the
//! dispatcher and the command families. `main.rs` is a thin wrapper, and
//! integration tests start the server in-process through [`start`].

pub mod aof;
pub mod blocking;
pub mod busy;
pub mod client;
pub mod clock;
pub mod cmd;
pub mod command;
pub mod config;
pub mod conn;
pub mod ctx;
pub mod dispatch;
pub mod errors;
pub mod evict;
pub mod latency;
pub mod log;
pub mod memory;
pub mod notify;
pub mod pubsub;
pub mod server;
pub mod snapshot;
pub mod spin;
pub mod tls;
pub mod watch;

pub use server::Shared;

/// Version reported as `vermilion_version`.
pub const VERMILION_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Redis version we are compatible with, reported as `redis_version` so
/// clients enable their Redis 7 features.
pub const REDIS_VERSION: &str = "7.0.15";

/// Builds the configuration from redis-server style arguments:
/// `[config-file] [--directive value ...]`.
///
/// # Errors
/// A message in Redis's FATAL CONFIG FILE ERROR form.
pub fn config_from_args(args: &[String]) -> Result<config::Config, String> {
    let cl = config::file::parse_argv(args)?;
    let mut cfg = config::Config::new();
    let mut directives = Vec::new();
    if let Some(path) = &cl.config_path {
        let path = std::path::Path::new(path);
        directives.extend(config::file::read_config_file(path)?);
        cfg.file = Some(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    }
    if cl.config_from_stdin {
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("Reading config from stdin: {e}"))?;
        directives.extend(config::file::parse_config_text(&text, "stdin")?);
    }
    directives.extend(cl.directives);
    for d in directives {
        cfg.apply_directive(&d.name, &d.args).map_err(|reason| config::file::fatal_error(&d, &reason))?;
    }
    Ok(cfg)
}

/// Prepares process-level settings (log, working directory) for `cfg`.
///
/// # Errors
/// When the log file or `dir` cannot be used.
pub fn prepare_process(cfg: &config::Config) -> Result<(), String> {
    log::set_level(cfg.hot.loglevel);
    log::set_file(cfg.value("logfile").unwrap_or("")).map_err(|e| format!("Can't open the log file: {e}"))?;
    if let Some(dir) = cfg.value("dir").filter(|d| !d.is_empty()) {
        std::env::set_current_dir(dir).map_err(|e| format!("Can't chdir to '{dir}': {e}"))?;
    }
    if let Some(pidfile) = cfg.value("pidfile").filter(|p| !p.is_empty()) {
        std::fs::write(pidfile, format!("{}\n", std::process::id()))
            .map_err(|e| format!("Failed to write PID file: {e}"))?;
    }
    Ok(())
}

/// Starts a server on the current tokio runtime and returns its shared
/// state once it is listening (tests use `--port 0` and read the port back).
///
/// # Errors
/// When binding fails.
pub async fn start(cfg: config::Config) -> Result<std::sync::Arc<Shared>, String> {
    let shared = Shared::new(cfg);
    snapshot::load_at_startup(&shared)?;
    server::spawn_services(&shared).await?;
    Ok(shared)
}
