//! Every built-in rule's examples run through the whole engine: each `match` example yields a
//! finding of that rule, each `no_match` example none of that rule.

use keyhound::engine::Engine;
use keyhound::rules::RuleSet;

#[test]
fn builtin_rules_load_and_have_examples() {
    let rules = RuleSet::builtin().expect("built-in rules are valid");
    assert!(rules.len() >= 250, "only {} rules", rules.len());
    for r in rules.rules() {
        let s = &r.spec;
        assert!(
            s.examples.positive.len() >= 2,
            "{}: fewer than 2 match examples",
            s.id
        );
        assert!(
            s.examples.no_match.len() >= 2,
            "{}: fewer than 2 no_match examples",
            s.id
        );
        assert!(!s.tags.is_empty(), "{}: no tags", s.id);
        assert!(!s.description.trim().is_empty(), "{}: no description", s.id);
        assert!(
            s.remediation.contains("https://"),
            "{}: remediation must link the provider's revoke/rotate documentation",
            s.id
        );
        assert!(!s.references.is_empty(), "{}: no references", s.id);
    }
    println!("{} built-in rules", rules.len());
}

#[test]
fn every_builtin_regex_compiles() {
    // Built-in rules compile lazily at scan time; this is where a broken one must fail.
    let rules = RuleSet::builtin().unwrap();
    rules.compile_all().unwrap();
    for r in rules.rules() {
        let names: Vec<_> = r.regex().capture_names().flatten().collect();
        assert!(names.contains(&"secret"), "{}", r.spec.id);
    }
}

#[test]
fn every_rule_example_behaves() {
    let engine = Engine::new(RuleSet::builtin().unwrap()).report_client_safe(true);
    let (checked, failures) = keyhound::selftest::check(&engine, |_| true);
    println!("checked {checked} rule examples");
    assert!(checked > 0);
    let lines: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        lines.join("\n")
    );
}

#[test]
fn invalid_rules_are_rejected_with_a_reason() {
    use keyhound::rules::parse_file;
    let bad_regex = r#"
[[rules]]
id = "x-token"
name = "x"
description = "x"
severity = "high"
keywords = ["x_"]
regex = '''(?P<secret>x_[a-z'''
remediation = "r"
"#;
    let specs = parse_file("bad.toml", bad_regex).unwrap();
    let err = RuleSet::from_specs(specs.into_iter().map(|s| ("bad.toml".into(), s)).collect())
        .unwrap_err()
        .to_string();
    assert!(err.contains("regex does not compile"), "{err}");

    let no_group = bad_regex.replace("(?P<secret>x_[a-z", "x_[a-z]+");
    let specs = parse_file("bad.toml", &no_group).unwrap();
    let err = RuleSet::from_specs(specs.into_iter().map(|s| ("bad.toml".into(), s)).collect())
        .unwrap_err()
        .to_string();
    assert!(err.contains("secret"), "{err}");

    let unknown_field = bad_regex.replace("remediation", "colour = 1\nremediation");
    assert!(parse_file("bad.toml", &unknown_field).is_err());
}
