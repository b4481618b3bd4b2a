//! What a file's path says about its content. Lockfiles, minified bundles, source maps and
//! vendored dependency trees are machine-written and dense with hashes, integrity strings and
//! mangled identifiers: there, rules whose pattern is not self-identifying (`contextual`) and
//! the generic detector would only find noise. Prefixed provider tokens still run everywhere.

/// Exact file names of dependency lockfiles.
const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "deno.lock",
    "cargo.lock",
    "gemfile.lock",
    "composer.lock",
    "poetry.lock",
    "pipfile.lock",
    "pdm.lock",
    "uv.lock",
    "go.sum",
    "go.work.sum",
    "mix.lock",
    "pubspec.lock",
    "podfile.lock",
    "packages.lock.json",
    "gradle.lockfile",
    "flake.lock",
    "package.resolved",
    "cartfile.resolved",
    "paket.lock",
    "conan.lock",
    ".terraform.lock.hcl",
];

/// Suffixes of generated or minified files.
const GENERATED_SUFFIXES: &[&str] = &[
    ".min.js", ".min.mjs", ".min.cjs", ".min.css", "-min.js", ".js.map", ".css.map", ".map",
];

/// Directory names that hold vendored third-party code.
const VENDOR_DIRS: &[&str] = &[
    "vendor",
    "node_modules",
    "bower_components",
    ".yarn",
    "pods",
    ".pnpm-store",
    "site-packages",
];

/// True for lockfiles, minified files, source maps and files under vendored-dependency
/// directories. `path` is slash-separated; case is ignored.
pub fn is_generated(path: &str) -> bool {
    if path.is_empty() {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    if LOCKFILES.contains(&name) || GENERATED_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return true;
    }
    lower
        .split('/')
        .rev()
        .skip(1)
        .any(|dir| VENDOR_DIRS.contains(&dir))
}

#[cfg(test)]
mod tests {
    use super::is_generated;

    #[test]
    fn classifies_paths() {
        for p in [
            "package-lock.json",
            "web/yarn.lock",
            "go.sum",
            "static/app.min.js",
            "dist/main.js.map",
            "vendor/github.com/x/y.go",
            "a/node_modules/left-pad/index.js",
            "Cargo.lock",
        ] {
            assert!(is_generated(p), "{p}");
        }
        for p in [
            "",
            "src/main.rs",
            "config/vendor.yml",
            "src/minify.js",
            "app/package.json",
            "vendors.txt",
            "docs/lockfile.md",
        ] {
            assert!(!is_generated(p), "{p}");
        }
    }
}
