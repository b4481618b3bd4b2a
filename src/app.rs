//! Orchestration: resolve settings, build the rule set and engine, run the sources in
//! parallel into a collector that turns matches into findings, then sort, report and choose
//! the exit code. One of the two places (with `main`) that use `anyhow`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::cli::{
    Cli, ColorArg, Command, CommonArgs, EnvArgs, HistoryArgs, ListFormat, RulesArgs, RulesCommand,
    ScanArgs, StagedArgs,
};
use crate::config::{EnvMode, Settings};
use crate::config_file::Config;
use crate::engine::Engine;
use crate::envcheck::{self, EnvIndex};
use crate::exposure::{self, ProjectContext};
use crate::findings::{self, Finding};
use crate::report::{self, Format, Report, RuleInfo, Stats};
use crate::rules::RuleSet;
use crate::source::{self, Content, Sink, SkipReason};
use crate::suppress::{self, Suppressions};

/// Warnings kept for the report; the rest are only counted.
const MAX_WARNINGS: usize = 50;

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

/// Parses arguments and runs the command.
pub fn run<I, T>(args: I) -> Result<Outcome>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    match cli.command {
        Command::Scan(args) => scan_command(&args),
        Command::Rules(args) => rules_command(args),
        Command::History(args) => history_command(&args),
        Command::Staged(args) => staged_command(&args),
        Command::Env(args) => env_command(&args),
        Command::Init { dir, force } => init_command(&dir, force),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "keyhound", &mut io::stdout());
            Ok(Outcome::Clean)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            io::stdout().write_all(&out)?;
            Ok(Outcome::Clean)
        }
    }
}

/// Counters of one scan, shared by many source threads.
pub struct Tally {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    /// Findings suppressed by an inline allow marker.
    pub inline_allowed: AtomicU64,
    skipped: Mutex<BTreeMap<SkipReason, u64>>,
    warnings: Mutex<Vec<String>>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            inline_allowed: AtomicU64::new(0),
            skipped: Mutex::new(BTreeMap::new()),
            warnings: Mutex::new(Vec::new()),
        }
    }

    pub fn scanned(&self, bytes: usize) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Counts a skipped file; unreadable ones also become (a bounded number of) warnings.
    pub fn skipped(&self, path: &str, reason: SkipReason, detail: Option<String>) {
        *self.skipped.lock().unwrap().entry(reason).or_insert(0) += 1;
        if matches!(reason, SkipReason::Unreadable) {
            let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
            let what = if path.is_empty() { "(no path)" } else { path };
            self.warn(format!("{what}: skipped, {reason}{detail}"));
        }
    }

    /// The findings in `bytes` (the file at `path`, which scoping rules see), minus those an
    /// inline allow marker suppresses (counted here). `origin` names the findings' location;
    /// it is only built when there is a finding.
    pub fn findings_in(
        &self,
        engine: &Engine,
        bytes: &[u8],
        path: &str,
        origin: impl FnOnce() -> String,
    ) -> Vec<Finding> {
        let mut matches = engine.scan_path(bytes, path);
        if matches.is_empty() {
            return Vec::new();
        }
        let allowed = findings::drop_inline_allowed(bytes, &mut matches);
        self.inline_allowed
            .fetch_add(allowed as u64, Ordering::Relaxed);
        let content = Content {
            bytes,
            origin: source::Origin { path: origin() },
        };
        findings::from_matches(engine.rules(), &content, &matches)
    }

    pub fn warn(&self, message: String) {
        let mut w = self.warnings.lock().unwrap();
        if w.len() < MAX_WARNINGS {
            w.push(message);
        }
    }
}

impl Default for Tally {
    fn default() -> Self {
        Tally::new()
    }
}

/// Collects findings and counters from many source threads.
struct Collector<'e> {
    engine: &'e Engine,
    findings: Mutex<Vec<Finding>>,
    tally: Tally,
    env: EnvMode,
    env_index: Mutex<EnvIndex>,
    projects: Mutex<ProjectContext>,
}

impl Sink for Collector<'_> {
    fn content(&self, content: Content<'_>) {
        self.tally.scanned(content.bytes.len());
        let path = &content.origin.path;
        if exposure::is_marker(path) {
            let mut one = ProjectContext::default();
            one.observe(path, content.bytes);
            if !one.is_empty() {
                self.projects.lock().unwrap().merge(one);
            }
        }
        if self.env != EnvMode::Off && content.origin.path != "<stdin>" {
            if let Some(o) = envcheck::observe(path, content.bytes) {
                self.env_index.lock().unwrap().insert(path, o);
            }
            if self.env == EnvMode::Only && envcheck::role(path) != envcheck::Role::Example {
                return;
            }
        }
        let found = self
            .tally
            .findings_in(self.engine, content.bytes, path, || {
                content.origin.path.clone()
            });
        if !found.is_empty() {
            self.findings.lock().unwrap().extend(found);
        }
    }

    fn skipped(&self, path: &str, reason: SkipReason, detail: Option<String>) {
        self.tally.skipped(path, reason, detail);
    }
}

/// Scans what `settings` names with `engine` and builds the report (not yet printed).
pub fn scan(settings: &Settings, engine: &Engine) -> Result<Report> {
    let started = Instant::now();
    let env_root = match settings.roots.as_slice() {
        [root] if settings.env != EnvMode::Off && root.is_dir() => Some(root.clone()),
        _ => None,
    };
    let collector = Collector {
        engine,
        findings: Mutex::new(Vec::new()),
        tally: Tally::new(),
        env: if env_root.is_some() {
            settings.env
        } else {
            EnvMode::Off
        },
        env_index: Mutex::new(EnvIndex::default()),
        projects: Mutex::new(ProjectContext::default()),
    };
    if settings.stdin {
        source::stdin::scan(&collector, settings.max_file_size)
            .context("cannot read standard input")?;
    }
    if !settings.roots.is_empty() {
        let opts = source::fs::WalkOptions {
            no_ignore: settings.no_ignore,
            max_file_size: settings.max_file_size,
            threads: settings.threads,
        };
        source::fs::scan(&settings.roots, &opts, &collector)?;
    }
    let mut found = collector.findings.into_inner().unwrap();
    if let Some(root) = &env_root {
        let index = collector.env_index.into_inner().unwrap();
        found.extend(env_findings(root, index, settings));
        envcheck::reclassify_example_secrets(&mut found);
    }
    let projects = collector.projects.into_inner().unwrap();
    exposure::reclassify(&mut found, engine.rules(), &projects);
    Ok(build_report(engine, found, collector.tally, started))
}

/// The env checks over what the walk saw under `root`.
fn env_findings(root: &Path, mut index: EnvIndex, settings: &Settings) -> Vec<Finding> {
    let visited: std::collections::BTreeSet<String> = index.env_files.keys().cloned().collect();
    // `.env` files are usually git-ignored, so the walk skipped them; what they set still
    // counts, so read them directly (they are never reported as committed).
    for dir in index.env_file_dirs() {
        let rel = if dir.is_empty() {
            ".env".to_string()
        } else {
            format!("{dir}/.env")
        };
        if !visited.contains(&rel) {
            if let Ok(bytes) = std::fs::read(root.join(&rel)) {
                index.insert(
                    &rel,
                    envcheck::Observed::EnvFile(envcheck::parse_env(&bytes)),
                );
            }
        }
    }
    let tracked = GitTracked::open(root);
    let committed = |rel: &str| {
        visited.contains(rel)
            && match &tracked {
                Some(t) => t.contains(rel),
                // Outside git: the walk honours .gitignore, so a visited file is not ignored.
                None => !settings.no_ignore,
            }
    };
    index.findings(&settings.env_ignore, &committed)
}

/// The paths git tracks under a scan root (from the index), relative to that root.
struct GitTracked {
    /// The index, read once.
    index: git2::Index,
    /// The root relative to the work tree, with a trailing `/` (empty at the top).
    prefix: String,
}

impl GitTracked {
    fn open(root: &Path) -> Option<GitTracked> {
        let repo = git2::Repository::discover(root).ok()?;
        let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
        let root = std::fs::canonicalize(root).ok()?;
        let rel = root.strip_prefix(&workdir).ok()?;
        let mut prefix = crate::source::fs::slash_path(rel);
        if !prefix.is_empty() {
            prefix.push('/');
        }
        let index = repo.index().ok()?;
        Some(GitTracked { index, prefix })
    }

    fn contains(&self, rel: &str) -> bool {
        self.index
            .get_path(Path::new(&format!("{}{rel}", self.prefix)), 0)
            .is_some()
    }
}

/// Sorts `found` and wraps it with the metadata of the rules that fired and the counters.
pub fn build_report(
    engine: &Engine,
    mut found: Vec<Finding>,
    tally: Tally,
    started: Instant,
) -> Report {
    findings::sort(&mut found);
    let rules: BTreeMap<String, RuleInfo> = found
        .iter()
        .filter_map(|f| match engine.rules().get(&f.rule_id) {
            Some(r) => Some(RuleInfo::from(r)),
            None => crate::envcheck::rule_info(f.kind),
        })
        .map(|r| (r.id.clone(), r))
        .collect();
    let mut by_severity = BTreeMap::new();
    for f in &found {
        *by_severity
            .entry(f.severity.as_str().to_string())
            .or_insert(0) += 1;
    }
    let stats = Stats {
        files_scanned: tally.files.load(Ordering::Relaxed),
        bytes_scanned: tally.bytes.load(Ordering::Relaxed),
        files_skipped: tally
            .skipped
            .into_inner()
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.as_str().to_string(), v))
            .collect(),
        findings: found.len(),
        findings_by_severity: by_severity,
        rules: engine.rules().len(),
        elapsed_ms: started.elapsed().as_millis() as u64,
        commits_scanned: None,
        enumerate_ms: None,
        suppressed: match tally.inline_allowed.load(Ordering::Relaxed) {
            0 => BTreeMap::new(),
            n => BTreeMap::from([("inline".to_string(), n)]),
        },
    };
    let mut warnings = tally.warnings.into_inner().unwrap();
    warnings.sort();
    Report {
        findings: found,
        rules,
        stats,
        warnings,
        vcs: None,
    }
}

fn use_color(arg: ColorArg, to_file: bool) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            !to_file
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn scan_command(args: &ScanArgs) -> Result<Outcome> {
    let settings = Settings::from_args(args);
    let root = match settings.roots.as_slice() {
        [r] if r.is_dir() => Some(r.clone()),
        _ => None,
    };
    let (config, engine, suppress) = prepare(&args.common, root.as_deref())?;
    let settings = settings.with_config(&args.common, &config);
    let mut report = scan(&settings, &engine)?;
    settle(&args.common, &suppress, &config, &mut report)?;
    finish(&settings, &args.common, &report)
}

/// The ignore file (given, or `.keyhoundignore` at `root`) and baseline of a command.
fn suppressions(common: &CommonArgs, root: Option<&Path>) -> Result<Suppressions> {
    let ignore_path = common.ignore_file.clone().or_else(|| {
        root.map(|r| r.join(suppress::IGNORE_FILE))
            .filter(|p| p.is_file())
    });
    let ignore_file = match ignore_path {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read the ignore file {}", p.display()))?;
            let name = p.display().to_string();
            Some((name.clone(), suppress::parse_ignore(&name, &text)?))
        }
        None => None,
    };
    let baseline = match &common.baseline {
        Some(p) => Some(
            suppress::read_baseline(p)?
                .findings
                .into_iter()
                .map(|e| e.fingerprint)
                .collect(),
        ),
        None => None,
    };
    Ok(Suppressions {
        ignore_file,
        baseline,
        report_unused: common.report_unused_ignores,
    })
}

/// Writes the baseline if asked (every current finding the ignore file does not hide), then
/// drops what the baseline and the ignore file suppress.
fn settle(
    common: &CommonArgs,
    suppress: &Suppressions,
    config: &Config,
    report: &mut Report,
) -> Result<()> {
    // A config file's rule examples match its rules by design: never findings.
    report
        .findings
        .retain(|f| crate::source::file_name(&f.path) != crate::config_file::CONFIG_FILE);
    // The config's allowlist says these are not secrets at all.
    let before = report.findings.len();
    report.findings.retain(|f| !config.allows(f));
    let allowed = (before - report.findings.len()) as u64;
    if allowed > 0 {
        report
            .stats
            .suppressed
            .insert("allowlist".to_string(), allowed);
    }
    // `suppress.apply` below recounts the stats for everything dropped here too.
    if let Some(path) = &common.baseline_write {
        let only_ignores = Suppressions {
            ignore_file: suppress.ignore_file.clone(),
            baseline: None,
            report_unused: false,
        };
        let mut all = report.clone();
        only_ignores.apply(&mut all);
        suppress::write_baseline(path, &all.findings)?;
    }
    suppress.apply(report);
    Ok(())
}

fn history_command(args: &HistoryArgs) -> Result<Outcome> {
    let (config, engine, suppress) = prepare(&args.common, repo_root(&args.repo).as_deref())?;
    let settings = Settings::from_common(&args.common).with_config(&args.common, &config);
    let range = match (&args.range, &args.since_commit) {
        (Some(r), _) => Some(r.clone()),
        (None, Some(rev)) => Some(format!("{rev}..HEAD")),
        (None, None) => None,
    };
    let what = match range {
        Some(r) => crate::history::What::Range(r),
        None => crate::history::What::All {
            all_objects: args.all_objects,
        },
    };
    let mut report = crate::history::scan(&args.repo, what, &settings, &engine)?;
    settle(&args.common, &suppress, &config, &mut report)?;
    finish(&settings, &args.common, &report)
}

/// The work tree of the repository at `path` (where `.keyhoundignore` lives).
fn repo_root(path: &Path) -> Option<std::path::PathBuf> {
    git2::Repository::discover(path)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
}

fn staged_command(args: &StagedArgs) -> Result<Outcome> {
    let (config, engine, suppress) = prepare(&args.common, repo_root(&args.repo).as_deref())?;
    let settings = Settings::from_common(&args.common).with_config(&args.common, &config);
    let mut report =
        crate::history::scan(&args.repo, crate::history::What::Staged, &settings, &engine)?;
    settle(&args.common, &suppress, &config, &mut report)?;
    finish(&settings, &args.common, &report)
}

fn env_command(args: &EnvArgs) -> Result<Outcome> {
    let settings = Settings {
        roots: vec![args.path.clone()],
        no_ignore: args.no_ignore,
        env: EnvMode::Only,
        env_ignore: args.env_ignore.clone(),
        ..Settings::from_common(&args.common)
    };
    if !args.path.is_dir() {
        bail!("{} is not a directory", args.path.display());
    }
    let (config, engine, suppress) = prepare(&args.common, Some(&args.path))?;
    let settings = settings.with_config(&args.common, &config);
    let mut report = scan(&settings, &engine)?;
    if args.fix {
        let added = envcheck::fix(&args.path, &report.findings).with_context(|| {
            format!("cannot update example files under {}", args.path.display())
        })?;
        if !settings.quiet {
            let mut err = io::stderr().lock();
            for (file, names) in &added {
                let _ = writeln!(
                    err,
                    "keyhound: added {} name{} to {}: {}",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" },
                    report::escape(file),
                    names.join(", ")
                );
            }
        }
        // Report what is left after the fix.
        report = scan(&settings, &engine)?;
    }
    settle(&args.common, &suppress, &config, &mut report)?;
    finish(&settings, &args.common, &report)
}

/// The config (found at `root` unless told otherwise), the engine with its rules, and the
/// ignore file and baseline of a scanning command.
fn prepare(common: &CommonArgs, root: Option<&Path>) -> Result<(Config, Engine, Suppressions)> {
    let config = Config::discover(common.config.as_deref(), common.no_config, root)?;
    let rules = configured_rules(&common.extra_rules, &config)?;
    let engine = Engine::new(rules).report_client_safe(common.include_client_safe);
    let suppress = suppressions(common, root)?;
    Ok((config, engine, suppress))
}

/// Built-in rules, `--rules` files and the config's rules, adjusted by the config.
fn configured_rules(extra: &[std::path::PathBuf], config: &Config) -> Result<RuleSet> {
    if config.path.is_none() {
        return load_rules(extra);
    }
    let name = config.path.as_ref().unwrap().display().to_string();
    let own: Vec<(String, crate::rules::RuleSpec)> = config
        .file
        .rules
        .iter()
        .cloned()
        .map(|r| (name.clone(), r))
        .collect();
    RuleSet::configured(extra, config.file.replace_builtin, own, &|specs| {
        config.adjust_rules(specs).map_err(|e| e.to_string())
    })
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Prints warnings and the report, and chooses the outcome from the findings' severities.
fn finish(settings: &Settings, common: &CommonArgs, report: &Report) -> Result<Outcome> {
    if !settings.quiet {
        let mut err = io::stderr().lock();
        for w in &report.warnings {
            let _ = writeln!(err, "keyhound: warning: {}", report::escape(w));
        }
    }
    let opts = report::Options {
        show_secrets: settings.show_secrets,
        color: settings.format == Format::Human
            && use_color(common.color, settings.output.is_some()),
    };
    let written = match &settings.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = BufWriter::new(file);
            report::write(report, settings.format, opts, &mut out).and_then(|_| out.flush())
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            report::write(report, settings.format, opts, &mut out).and_then(|_| out.flush())
        }
    };
    match written {
        Ok(()) => {}
        // A closed pipe (`keyhound scan | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("cannot write the report"),
    }
    let failing = report
        .findings
        .iter()
        .any(|f| f.severity >= settings.fail_on);
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The built-in rules plus any `--rules` files.
fn load_rules(extra: &[std::path::PathBuf]) -> Result<RuleSet> {
    if extra.is_empty() {
        RuleSet::builtin().context("built-in rules are invalid")
    } else {
        RuleSet::with_extra(extra).context("invalid rules")
    }
}

fn init_command(dir: &Path, force: bool) -> Result<Outcome> {
    let path = dir.join(crate::config_file::CONFIG_FILE);
    if path.exists() && !force {
        bail!(
            "{} already exists (pass --force to overwrite it)",
            path.display()
        );
    }
    std::fs::write(&path, crate::config_file::STARTER)
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("keyhound: wrote {}", path.display());
    Ok(Outcome::Clean)
}

fn rules_command(args: RulesArgs) -> Result<Outcome> {
    let config = match &args.config {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let rules = configured_rules(&args.extra_rules, &config)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut outcome = Outcome::Clean;
    let result = match args.command {
        RulesCommand::Check { ids } => {
            for id in &ids {
                if rules.get(id).is_none() {
                    bail!("no rule with id {id:?} (see `keyhound rules list`)");
                }
            }
            let engine = Engine::new(rules).report_client_safe(true);
            let (checked, failures) =
                crate::selftest::check(&engine, |id| ids.is_empty() || ids.iter().any(|i| i == id));
            if !failures.is_empty() {
                outcome = Outcome::Findings;
            }
            failures
                .iter()
                .try_for_each(|f| writeln!(out, "FAIL {}", report::escape(&f.to_string())))
                .and_then(|_| {
                    writeln!(out, "{checked} examples checked, {} failed", failures.len())
                })
        }
        RulesCommand::List { format } => match format {
            ListFormat::Human => {
                let mut r = Ok(());
                for rule in rules.rules() {
                    r = r.and_then(|_| {
                        writeln!(
                            out,
                            "{:<40} {:<9} {}",
                            rule.spec.id,
                            rule.spec.severity,
                            rule.spec.tags.join(",")
                        )
                    });
                }
                r.and_then(|_| writeln!(out, "{} rules", rules.len()))
            }
            ListFormat::Json => {
                let list: Vec<serde_json::Value> = rules
                    .rules()
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.spec.id,
                            "name": r.spec.name,
                            "severity": r.spec.severity,
                            "tags": r.spec.tags,
                            "keywords": r.spec.keywords,
                            "client_safe": r.spec.client_safe,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &list)
                    .map_err(io::Error::from)
                    .and_then(|_| writeln!(out))
            }
        },
        RulesCommand::Show { id } => {
            let Some(rule) = rules.get(&id) else {
                bail!("no rule with id {id:?} (see `keyhound rules list`)");
            };
            let s = &rule.spec;
            let mut text = format!(
                "{}\n  {}\n\nseverity:    {}\ntags:        {}\nkeywords:    {}\nregex:       {}\n",
                s.id,
                s.name,
                s.severity,
                s.tags.join(", "),
                s.keywords.join(", "),
                s.regex
            );
            if let Some(e) = s.min_entropy {
                text.push_str(&format!("min entropy: {e}\n"));
            }
            if let Some(v) = s.validator {
                text.push_str(&format!(
                    "validator:   {}\n",
                    serde_json::to_value(v)?.as_str().unwrap_or("")
                ));
            }
            text.push_str(&format!(
                "\n{}\n\nRemediation:\n  {}\n",
                s.description, s.remediation
            ));
            for r in &s.references {
                text.push_str(&format!("  {r}\n"));
            }
            text.push_str("\nExamples that match:\n");
            for e in &s.examples.positive {
                text.push_str(&format!("  {}\n", report::escape(e)));
            }
            text.push_str("Examples that do not match:\n");
            for e in &s.examples.no_match {
                text.push_str(&format!("  {}\n", report::escape(e)));
            }
            out.write_all(text.as_bytes())
        }
    };
    match result.and_then(|_| out.flush()) {
        Ok(()) => Ok(outcome),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(outcome),
        Err(e) => Err(e.into()),
    }
}
