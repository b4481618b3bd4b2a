//! Client-side exposure on the fixture projects (Next.js app and pages routers, Vite + React,
//! Vue, a static site, a browser extension, Android, iOS, Expo): labelled secret-class keys
//! in client-shipped files must be `client-exposure` findings, the same keys in server code
//! plain `secret` findings, and publishable keys nothing at all.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::keyhound;

fn scan(dir: &Path) -> Value {
    let out = keyhound()
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--no-env"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn fixture_projects_exposures_and_server_secrets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/exposure");
    let labels: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(root.join("labels.json")).unwrap()).unwrap();
    let want: BTreeSet<(String, u64, String)> = labels
        .iter()
        .map(|l| {
            let kind = match l["kind"].as_str().unwrap() {
                "exposure" => "client-exposure",
                _ => "secret",
            };
            (
                l["path"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
                kind.to_string(),
            )
        })
        .collect();
    let mut got = BTreeSet::new();
    for project in std::fs::read_dir(&root).unwrap() {
        let project = project.unwrap();
        if !project.file_type().unwrap().is_dir() {
            continue;
        }
        let name = project.file_name().to_string_lossy().into_owned();
        let v = scan(&project.path());
        for f in v["findings"].as_array().unwrap() {
            got.insert((
                format!("{name}/{}", f["path"].as_str().unwrap()),
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_string(),
            ));
            if f["kind"] == "client-exposure" {
                assert_eq!(f["severity"], "critical");
                assert!(f["exposure"].as_str().is_some_and(|s| !s.is_empty()));
                assert!(f["message"].as_str().unwrap().contains("server-side proxy"));
            }
        }
    }
    let exposures = |s: &BTreeSet<(String, u64, String)>| {
        s.iter()
            .filter(|(_, _, k)| k == "client-exposure")
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    let (w, g) = (exposures(&want), exposures(&got));
    let tp = w.intersection(&g).count() as f64;
    let precision = tp / g.len().max(1) as f64;
    let recall = tp / w.len().max(1) as f64;
    println!(
        "client exposure on fixtures: precision {precision:.3} ({tp}/{}), recall {recall:.3} ({tp}/{})",
        g.len(),
        w.len()
    );
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nunexpected: {extra:#?}"
    );
}

#[test]
fn a_public_prefix_in_ci_config_is_an_exposure_but_a_server_variable_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let key = "sk_live_4eC39HqLyjWDarjtT1zdp7dcVbQm2XkR8sNfPzA6uY3tW9eB1cL5xK7mJ0gH2iD4";
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::write(
        dir.path().join(".github/workflows/deploy.yml"),
        format!(
            "jobs:\n  build:\n    env:\n      VITE_STRIPE_KEY: {key}\n      STRIPE_KEY: {key}x\n"
        ),
    )
    .unwrap();
    let v = scan(dir.path());
    let kinds: Vec<(u64, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [(4, "client-exposure"), (5, "secret")]);
    assert!(v["findings"][0]["exposure"]
        .as_str()
        .unwrap()
        .starts_with("VITE_ prefix"));
}
