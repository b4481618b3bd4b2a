//! Settings of one scan, resolved once from the command line (later also from config files),
//! immutable afterwards. Nothing below `app` reads argv or the environment.

use std::path::PathBuf;

use crate::cli::{CommonArgs, FormatArg, ScanArgs, SeverityArg};
use crate::report::Format;
use crate::rules::Severity;

/// Files larger than this are skipped unless `--max-file-size` or the config says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Paths to scan (files or directories).
    pub roots: Vec<PathBuf>,
    /// Scan standard input too (`-` was given).
    pub stdin: bool,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub show_secrets: bool,
    pub fail_on: Severity,
    pub max_file_size: u64,
    pub no_ignore: bool,
    pub threads: usize,
    pub quiet: bool,
    /// Whether and how the .env checks run.
    pub env: EnvMode,
    /// Extra env var names (or `PREFIX*`) the env checks ignore.
    pub env_ignore: Vec<String>,
}

/// The .env checks in a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvMode {
    Off,
    /// `scan`: secrets everywhere, plus the env checks.
    WithSecrets,
    /// `env`: only the env checks (the engine runs on example files only).
    Only,
}

impl Settings {
    /// Fills in what the command line left unset from the config file.
    pub fn with_config(
        mut self,
        args: &CommonArgs,
        config: &crate::config_file::Config,
    ) -> Settings {
        if args.fail_on.is_none() {
            if let Some(f) = config.file.fail_on {
                self.fail_on = f;
            }
        }
        if args.max_file_size.is_none() {
            if let Some(m) = config.max_file_size() {
                self.max_file_size = m;
            }
        }
        self.env_ignore
            .extend(config.file.env.ignore.iter().cloned());
        self
    }

    pub fn from_args(args: &ScanArgs) -> Settings {
        let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
        let roots = args
            .paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .cloned()
            .collect();
        Settings {
            roots,
            stdin,
            no_ignore: args.no_ignore,
            env: if args.no_env {
                EnvMode::Off
            } else {
                EnvMode::WithSecrets
            },
            env_ignore: args.env_ignore.clone(),
            ..Settings::from_common(&args.common)
        }
    }

    /// Settings of a command that names no files (history, staged).
    pub fn from_common(args: &CommonArgs) -> Settings {
        Settings {
            roots: Vec::new(),
            stdin: false,
            format: match args.format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Jsonl => Format::Jsonl,
                FormatArg::Sarif => Format::Sarif,
            },
            output: args.output.clone(),
            show_secrets: args.show_secrets,
            fail_on: match args.fail_on {
                None | Some(SeverityArg::Low) => Severity::Low,
                Some(SeverityArg::Medium) => Severity::Medium,
                Some(SeverityArg::High) => Severity::High,
                Some(SeverityArg::Critical) => Severity::Critical,
            },
            max_file_size: args.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            no_ignore: false,
            threads: args.threads,
            quiet: args.quiet,
            env: EnvMode::Off,
            env_ignore: Vec::new(),
        }
    }
}
