//! Command-line grammar (clap derive): subcommands and raw flags only. Meaning is given to
//! them in `config` (resolution into settings) and `app` (orchestration).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "keyhound",
    version,
    about = "Find hardcoded secrets: API keys, tokens, private keys and passwords in files and git history.",
    after_help = "Exit codes: 0 no findings, 1 findings at or above --fail-on, 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (or standard input, `-`) for secrets.
    Scan(ScanArgs),
    /// Scan git history: every blob reachable from any ref, once; or only the lines added in
    /// a commit range (`--range`), for CI on pull requests.
    History(HistoryArgs),
    /// Scan the lines added in the index (staged changes), for a pre-commit hook.
    Staged(StagedArgs),
    /// Check .env hygiene only: env vars the code reads that .env.example lacks, committed
    /// .env files, secrets in example files.
    Env(EnvArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    Man,
    /// Write a commented starter `.keyhound.toml` in the current directory (or DIR).
    Init {
        /// Where to write it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// List the rules, show one, or check their examples.
    Rules(RulesArgs),
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,

    /// Also load the rules in FILE (a rules TOML file, or a directory of them). Repeatable.
    #[arg(long = "rules", value_name = "FILE", global = true)]
    pub extra_rules: Vec<PathBuf>,

    /// Apply this config file (its own rules, disabled rules, severity overrides).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run every rule's `match` and `no_match` examples through the engine; exit 1 on failure.
    Check {
        /// Only check these rule ids (default: all).
        ids: Vec<String>,
    },
    /// One line per rule: id, severity, tags.
    List {
        /// Output format.
        #[arg(short, long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// A rule's description, keywords, pattern, examples and remediation.
    Show {
        /// The rule id, e.g. `github-pat`.
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
    Jsonl,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Scan files that .gitignore, .ignore and global git excludes would skip.
    #[arg(long)]
    pub no_ignore: bool,

    /// Skip the .env checks (env vars missing from .env.example, committed .env files).
    #[arg(long)]
    pub no_env: bool,

    /// Env var names never reported as missing from the example file (a trailing `*` matches
    /// any suffix), on top of the built-in list of standard and platform variables. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub env_ignore: Vec<String>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// The project directory (its .env.example files are found in it and below).
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Append the missing names (with empty values) to the governing example file, creating
    /// `.env.example` where there is none; existing lines, comments and order are kept.
    #[arg(long)]
    pub fix: bool,

    /// Scan files that .gitignore, .ignore and global git excludes would skip.
    #[arg(long)]
    pub no_ignore: bool,

    /// Env var names never reported (a trailing `*` matches any suffix). Repeatable.
    #[arg(long, value_name = "NAME")]
    pub env_ignore: Vec<String>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The repository (any directory inside its work tree, or a bare repository).
    #[arg(default_value = ".")]
    pub repo: PathBuf,

    /// Only lines added by the commits in this range, e.g. `main..HEAD` or `v1.2..v1.3`
    /// (`A..B` or `A...B`: commits reachable from B but not from A; a single REV means
    /// REV..HEAD).
    #[arg(long, value_name = "A..B", conflicts_with_all = ["since_commit", "all_objects"])]
    pub range: Option<String>,

    /// Only lines added after REV (the same as `--range REV..HEAD`).
    #[arg(long, value_name = "REV", conflicts_with = "all_objects")]
    pub since_commit: Option<String>,

    /// Also scan blobs no ref reaches (dangling commits, rewritten history, dropped stashes).
    #[arg(long)]
    pub all_objects: bool,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct StagedArgs {
    /// The repository (any directory inside its work tree).
    #[arg(default_value = ".")]
    pub repo: PathBuf,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// Flags shared by every scanning command: report, rules and resources.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print secrets in full (they are redacted by default).
    #[arg(long)]
    pub show_secrets: bool,

    /// Exit with 1 only for findings at or above this severity [default: low].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Skip files (and blobs) larger than this (bytes, or with a K/M/G/KiB/MiB/GiB suffix)
    /// [default: 10MiB].
    #[arg(long, value_parser = parse_size, value_name = "SIZE")]
    pub max_file_size: Option<u64>,

    /// Use this config file instead of `.keyhound.toml` at the scan root.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any `.keyhound.toml`.
    #[arg(long)]
    pub no_config: bool,

    /// Worker threads (default: one per core).
    #[arg(
        short = 'j',
        long,
        default_value_t = 0,
        hide_default_value = true,
        value_name = "N"
    )]
    pub threads: usize,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    /// Print no warnings on standard error.
    #[arg(short, long)]
    pub quiet: bool,

    /// Also load the rules in FILE (a rules TOML file, or a directory of them). Repeatable.
    #[arg(long = "rules", value_name = "FILE")]
    pub extra_rules: Vec<PathBuf>,

    /// Also report keys that are public by design (Stripe publishable keys, Mapbox public
    /// tokens, Firebase web API keys...), with severity low.
    #[arg(long)]
    pub include_client_safe: bool,

    /// Report only findings whose fingerprint is not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings (fingerprints and locations, never secrets) in FILE.
    #[arg(long, value_name = "FILE")]
    pub baseline_write: Option<PathBuf>,

    /// Ignore file of fingerprints (default: .keyhoundignore at the scan root, if present).
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,

    /// Warn about ignore-file entries that matched no finding.
    #[arg(long)]
    pub report_unused_ignores: bool,
}

/// Parses `1048576`, `512K`, `10M`, `10MiB`, `1G`... (binary multiples).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid size {s:?}: expected a number with an optional unit"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("invalid size unit {other:?} (use K, M or G)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("size {s:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5X").is_err());
    }
}
