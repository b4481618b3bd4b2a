//! Client-side exposure: which files ship to browsers and mobile apps, and which secret
//! findings are therefore readable by anyone who loads the page or unpacks the app.
//!
//! `reason` classifies a path with the project context gathered during the walk
//! (`ProjectContext`: directories whose `package.json` depends on a browser framework or
//! bundler, browser-extension roots, Android modules, Flutter projects, `'use server'`
//! modules). `public_env_prefix` recognises variables that bundlers inline into client code
//! (`NEXT_PUBLIC_`, `VITE_`...). `reclassify` turns secret findings in client-shipped places
//! into `client-exposure` findings (critical), unless the key is public by design.
//! History and staged scans have no walk, so they classify by path and prefix alone.

use std::collections::BTreeSet;

use crate::findings::{Finding, FindingKind, SnippetPart};
use crate::rules::{RuleSet, Severity};
use crate::source::{dir_of, file_name};

/// Packages whose presence in `dependencies`/`devDependencies` makes a project's source
/// browser (or React Native) code.
const FRONTEND_PACKAGES: &[&str] = &[
    "react",
    "react-dom",
    "vue",
    "svelte",
    "@sveltejs/kit",
    "@angular/core",
    "next",
    "nuxt",
    "vite",
    "webpack",
    "parcel",
    "solid-js",
    "preact",
    "astro",
    "@remix-run/react",
    "expo",
    "react-native",
    "@vitejs/plugin-react",
    "gatsby",
    "ember-source",
    "lit",
    "alpinejs",
    "@builder.io/qwik",
    "jquery",
    "esbuild",
    "rollup",
    "@ionic/core",
    "@capacitor/core",
];

/// Variable prefixes that frameworks inline into client bundles at build time.
pub const PUBLIC_PREFIXES: &[(&str, &str)] = &[
    ("NEXT_PUBLIC_", "Next.js"),
    ("VITE_", "Vite"),
    ("REACT_APP_", "Create React App"),
    ("EXPO_PUBLIC_", "Expo"),
    ("NUXT_PUBLIC_", "Nuxt"),
    ("PUBLIC_", "SvelteKit/Astro"),
    ("GATSBY_", "Gatsby"),
    ("VUE_APP_", "Vue CLI"),
    ("STORYBOOK_", "Storybook"),
];

/// What the walk learned about the projects under the scan root.
#[derive(Debug, Default, Clone)]
pub struct ProjectContext {
    /// Directories whose `package.json` depends on a browser framework or bundler.
    pub frontend_roots: BTreeSet<String>,
    /// Directories holding a browser extension's `manifest.json`.
    pub extension_roots: BTreeSet<String>,
    /// Android module source sets: directories holding an `AndroidManifest.xml`.
    pub android_roots: BTreeSet<String>,
    /// Directories whose `pubspec.yaml` depends on Flutter.
    pub flutter_roots: BTreeSet<String>,
    /// Files that start with a `'use server'` directive (server actions).
    pub server_modules: BTreeSet<String>,
}

/// `dir` is `root` or below it.
fn under(path: &str, root: &str) -> bool {
    root.is_empty() || path == root || path.starts_with(&format!("{root}/"))
}

fn nearest<'a>(path: &str, roots: &'a BTreeSet<String>) -> Option<&'a str> {
    roots
        .iter()
        .filter(|r| under(path, r))
        .max_by_key(|r| r.len())
        .map(String::as_str)
}

impl ProjectContext {
    /// Looks at one scanned file for project markers.
    pub fn observe(&mut self, path: &str, bytes: &[u8]) {
        let name = file_name(path);
        let dir = dir_of(path).to_string();
        match name {
            "package.json" => {
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
                    let deps = ["dependencies", "devDependencies", "peerDependencies"];
                    let frontend = deps.iter().any(|d| {
                        v.get(d).and_then(|o| o.as_object()).is_some_and(|o| {
                            o.keys().any(|k| FRONTEND_PACKAGES.contains(&k.as_str()))
                        })
                    });
                    if frontend {
                        self.frontend_roots.insert(dir);
                    }
                }
            }
            "manifest.json" => {
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
                    if v.get("manifest_version").is_some()
                        && (v.get("content_scripts").is_some() || v.get("background").is_some())
                    {
                        self.extension_roots.insert(dir);
                    }
                }
            }
            "AndroidManifest.xml" => {
                self.android_roots.insert(dir);
            }
            "pubspec.yaml" => {
                if memchr::memmem::find(bytes, b"flutter").is_some() {
                    self.flutter_roots.insert(dir);
                }
            }
            _ => {
                if is_script(name) && starts_with_use_server(bytes) {
                    self.server_modules.insert(path.to_string());
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.frontend_roots.is_empty()
            && self.extension_roots.is_empty()
            && self.android_roots.is_empty()
            && self.flutter_roots.is_empty()
            && self.server_modules.is_empty()
    }

    pub fn merge(&mut self, other: ProjectContext) {
        self.frontend_roots.extend(other.frontend_roots);
        self.extension_roots.extend(other.extension_roots);
        self.android_roots.extend(other.android_roots);
        self.flutter_roots.extend(other.flutter_roots);
        self.server_modules.extend(other.server_modules);
    }
}

/// Files `ProjectContext::observe` wants to see: project manifests and scripts (for the
/// `'use server'` directive).
pub fn is_marker(path: &str) -> bool {
    let name = file_name(path);
    matches!(
        name,
        "package.json" | "manifest.json" | "AndroidManifest.xml" | "pubspec.yaml"
    ) || is_script(name)
}

fn is_script(name: &str) -> bool {
    [
        ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".vue", ".svelte",
    ]
    .iter()
    .any(|e| name.ends_with(e))
}

/// A `'use server'` / `"use server"` directive before any code.
fn starts_with_use_server(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head);
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') {
            continue;
        }
        return t.starts_with("'use server'") || t.starts_with("\"use server\"");
    }
    false
}

fn has_ext(name: &str, exts: &[&str]) -> bool {
    exts.iter().any(|e| name.ends_with(e))
}

const WEB_ASSET_EXTS: &[&str] = &[
    ".js", ".mjs", ".cjs", ".jsx", ".map", ".html", ".htm", ".css", ".json", ".wasm", ".txt",
];

/// Server-only or never-shipped parts of a frontend project.
fn server_only(path: &str, ctx: &ProjectContext) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    let segs: Vec<&str> = lower.split('/').collect();
    let dirs = &segs[..segs.len().saturating_sub(1)];
    if dirs.iter().any(|d| {
        matches!(
            *d,
            "server"
                | "api"
                | "backend"
                | "functions"
                | "lambda"
                | "scripts"
                | "__tests__"
                | "test"
                | "tests"
                | "e2e"
                | "cypress"
                | "playwright"
                | "node_modules"
                | "__mocks__"
                | "prisma"
                | "migrations"
        )
    }) {
        return true;
    }
    if name.contains(".server.")
        || name.starts_with("server.")
        || name.starts_with("+server.")
        || name.starts_with("+page.server.")
        || name.starts_with("hooks.server.")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.starts_with("middleware.")
        || name.starts_with("instrumentation.")
        || name.starts_with("route.")
    {
        return true;
    }
    // Config files run by Node at build time (`next.config.js`, `vite.config.ts`...).
    if name.contains(".config.") || name.starts_with(".eslintrc") || name == "gulpfile.js" {
        return true;
    }
    ctx.server_modules.contains(path)
}

/// Why the file at `path` ships to clients, or `None`.
pub fn reason(path: &str, ctx: &ProjectContext) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    let segs: Vec<&str> = lower.split('/').collect();
    let dirs = &segs[..segs.len().saturating_sub(1)];
    let in_dir = |d: &str| dirs.contains(&d);
    if dirs.contains(&"node_modules") {
        return None;
    }
    // Mobile apps.
    if name == "androidmanifest.xml" {
        return Some("Android manifest: packaged into the APK");
    }
    if name.ends_with(".xml") && dirs.iter().any(|d| d.starts_with("values")) && in_dir("res") {
        return Some("Android string resource: packaged into the APK");
    }
    if (name == "build.gradle" || name == "build.gradle.kts") && !ctx.android_roots.is_empty() {
        return Some("Gradle build config of an Android app: BuildConfig fields ship in the APK");
    }
    if has_ext(name, &[".kt", ".java"])
        && ctx.android_roots.iter().any(|r| {
            let module = dir_of(r);
            under(path, module) && (lower.contains("/java/") || lower.contains("/kotlin/"))
        })
    {
        return Some("Android app source: compiled into the APK");
    }
    if name == "info.plist" {
        return Some("iOS Info.plist: packaged into the app bundle");
    }
    if name.ends_with(".xcconfig") {
        return Some("Xcode build configuration: values end up in the app bundle");
    }
    if name.ends_with(".swift") && !lower.contains("server") && !in_dir("tests") {
        return Some("Swift app source: compiled into the iOS app");
    }
    if name.ends_with(".dart")
        && nearest(path, &ctx.flutter_roots)
            .is_some_and(|r| under(path, format!("{r}/lib").trim_start_matches('/')))
    {
        return Some("Flutter app source: compiled into the mobile app");
    }
    if (name == "app.json" || name.starts_with("app.config."))
        && nearest(path, &ctx.frontend_roots).is_some()
    {
        return Some("Expo/React Native app config: embedded in the app");
    }
    // Browser extensions: everything in the extension ships.
    if nearest(path, &ctx.extension_roots).is_some() {
        return Some("browser extension: its files ship to every user");
    }
    // Built web assets.
    if name.ends_with(".map") {
        return Some("source map: served next to the bundle with its sources");
    }
    if name.ends_with(".min.js") || name.ends_with(".bundle.js") || name.contains(".chunk.") {
        return Some("browser bundle");
    }
    if in_dir(".next") && in_dir("static") {
        return Some("under .next/static/: served to browsers");
    }
    for d in ["public", "static", "www"] {
        if in_dir(d) && !in_dir("server") {
            return Some(match d {
                "public" => "under public/: served as-is to browsers",
                "static" => "under static/: served as-is to browsers",
                _ => "under www/: served as-is to browsers",
            });
        }
    }
    for d in ["dist", "build", "out"] {
        if in_dir(d) && has_ext(name, WEB_ASSET_EXTS) {
            return Some(match d {
                "dist" => "under dist/: web build output",
                "build" => "under build/: web build output",
                _ => "under out/: web build output",
            });
        }
    }
    if has_ext(name, &[".html", ".htm"]) {
        return Some("HTML page: sent to the browser");
    }
    // Frontend source of a project built for the browser.
    if nearest(path, &ctx.frontend_roots).is_some()
        && has_ext(
            name,
            &[
                ".js", ".jsx", ".ts", ".tsx", ".mjs", ".vue", ".svelte", ".astro",
            ],
        )
        && !server_only(path, ctx)
    {
        return Some("frontend source of a browser app: bundled into client code");
    }
    None
}

/// The public prefix of the variable a secret is assigned to on its line, if any:
/// `VITE_STRIPE_KEY=sk_live_...` -> `VITE_`.
pub fn public_env_prefix(line_before_secret: &str) -> Option<(&'static str, &'static str)> {
    // The identifier nearest the secret: the last NAME followed by `=`, `:` or `"`.
    let upper = line_before_secret;
    let mut best: Option<(usize, &'static str, &'static str)> = None;
    for &(p, fw) in PUBLIC_PREFIXES {
        let mut from = 0;
        while let Some(i) = upper[from..].find(p) {
            let at = from + i;
            // Start of an identifier (not `MY_VITE_`), allowing `import.meta.env.` and
            // `process.env.` in front.
            let ok_start = at == 0
                || !upper.as_bytes()[at - 1].is_ascii_alphanumeric()
                    && upper.as_bytes()[at - 1] != b'_';
            if ok_start && best.is_none_or(|(b, _, _)| at > b) {
                best = Some((at, p, fw));
            }
            from = at + p.len();
        }
    }
    let (at, p, fw) = best?;
    // `PUBLIC_` alone is only a prefix in SvelteKit/Astro `.env` files; the others are
    // distinctive. The rest of the identifier must be NAME characters up to an assignment.
    let rest = &upper[at + p.len()..];
    let ident_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let after = rest[ident_len..].trim_start();
    let assigns = after.starts_with('=')
        || after.starts_with(':')
        || after.starts_with("\"")
        || after.starts_with('\'');
    (ident_len > 0 && assigns).then_some((p, fw))
}

/// Files where a public-prefixed variable is assigned a value that ends up in the bundle:
/// env files, Next/Vite/Nuxt configs and CI configs.
fn assigns_build_env(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    name == ".env"
        || name.starts_with(".env.")
        || name.ends_with(".env")
        || name.starts_with("next.config.")
        || name.starts_with("vite.config.")
        || name.starts_with("nuxt.config.")
        || name.starts_with("svelte.config.")
        || name.starts_with("astro.config.")
        || name == "netlify.toml"
        || name == "vercel.json"
        || lower.starts_with(".github/workflows/")
        || name == ".gitlab-ci.yml"
        || name == "dockerfile"
        || name.ends_with(".yml")
        || name.ends_with(".yaml")
}

/// Turns secret findings in client-shipped places into `client-exposure` findings: severity
/// critical, a message saying why the place ships to clients, and the remediation. Keys
/// that are public by design (`client_safe` rules) are left alone.
pub fn reclassify(found: &mut [Finding], rules: &RuleSet, ctx: &ProjectContext) {
    for f in found.iter_mut() {
        if f.kind != FindingKind::Secret {
            continue;
        }
        if rules.get(&f.rule_id).is_some_and(|r| r.spec.client_safe) {
            continue;
        }
        let before: String = f
            .snippet
            .iter()
            .take_while(|p| !matches!(p, SnippetPart::Secret(_)))
            .filter_map(|p| match p {
                SnippetPart::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        let why: Option<String> = match public_env_prefix(&before) {
            Some((p, fw)) if assigns_build_env(&f.path) || reason(&f.path, ctx).is_some() => Some(
                format!("{p} prefix: {fw} inlines it into the browser bundle at build time"),
            ),
            _ => reason(&f.path, ctx).map(str::to_string),
        };
        let Some(why) = why else { continue };
        f.kind = FindingKind::ClientExposure;
        f.severity = Severity::Critical;
        f.message = format!(
            "{} exposed to clients ({why}) in {}: anyone can read it; move the call behind a \
             server-side proxy that holds the key, and rotate it",
            f.rule_name, f.path
        );
        f.exposure = Some(why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ProjectContext {
        let mut c = ProjectContext::default();
        c.observe(
            "web/package.json",
            br#"{"dependencies":{"react":"18","next":"14"}}"#,
        );
        c.observe("api/package.json", br#"{"dependencies":{"express":"4"}}"#);
        c.observe(
            "ext/manifest.json",
            br#"{"manifest_version":3,"background":{}}"#,
        );
        c.observe("android/app/src/main/AndroidManifest.xml", b"<manifest/>");
        c.observe(
            "web/app/actions.ts",
            b"'use server'\nexport async function f() {}",
        );
        c
    }

    #[test]
    fn client_shipped_paths() {
        let c = ctx();
        for p in [
            "web/components/Map.tsx",
            "web/app/page.tsx",
            "web/public/config.js",
            "site/dist/assets/index-4f2a.js",
            "web/.next/static/chunks/main.js",
            "app.min.js",
            "static/app.js.map",
            "index.html",
            "ext/content.js",
            "android/app/src/main/res/values/strings.xml",
            "android/app/src/main/java/com/acme/Api.kt",
            "ios/App/Info.plist",
            "ios/App/Config.xcconfig",
        ] {
            assert!(reason(p, &c).is_some(), "{p} should ship to clients");
        }
        for p in [
            "web/pages/api/charge.ts",
            "web/app/api/pay/route.ts",
            "web/app/actions.ts",
            "web/lib/db.server.ts",
            "web/middleware.ts",
            "web/next.config.js",
            "web/server/stripe.ts",
            "web/components/Map.test.tsx",
            "web/server.js",
            "kit/src/routes/pay/+server.ts",
            "api/src/index.js",
            "backend/settings.py",
            "build/lib/app.py",
            "node_modules/x/dist/index.js",
        ] {
            assert_eq!(reason(p, &c), None, "{p} should not ship to clients");
        }
    }

    #[test]
    fn public_prefixes() {
        assert_eq!(
            public_env_prefix("VITE_OPENAI_KEY=").map(|p| p.0),
            Some("VITE_")
        );
        assert_eq!(
            public_env_prefix("  NEXT_PUBLIC_STRIPE_SECRET: \"").map(|p| p.0),
            Some("NEXT_PUBLIC_")
        );
        assert_eq!(
            public_env_prefix("'import.meta.env.VITE_KEY': JSON.stringify(\"").map(|p| p.0),
            Some("VITE_")
        );
        assert_eq!(public_env_prefix("MY_VITE_KEY="), None);
        assert_eq!(public_env_prefix("STRIPE_KEY="), None);
    }
}
