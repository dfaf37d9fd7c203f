#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The evaluation shortcuts give the same reports as the plain walk:
//! - equality probes (`some` / `none` / `filter` / `for_each … where` over a path from the
//!   root whose condition starts with `eq` on a field of the item): each probed form is
//!   compared with the same condition written so that no probe applies (`and` led by `true`);
//! - memoized expressions (a selection that reads no outer variable is evaluated once per
//!   evaluation): used in several places and rules, beside look-alikes that do read one.

use aimscheck::{Engine, Model, Options, Report, RulePack};
use serde_json::{Value, json};

fn rule(id: &str, check: Value) -> Value {
    json!({
        "id": id, "title": "test rule", "clause_refs": ["4.4"], "aspect": "establish",
        "severity": "high", "tiers": ["startup", "scaleup", "enterprise"],
        "rationale": "r", "remediation": "m", "check": check
    })
}

fn evaluate(rules: Vec<Value>, body: &Value) -> Report {
    let pack = RulePack::from_files(&[
        (
            "pack.json".to_owned(),
            json!({"id": "test", "version": "1.0.0", "title": "Test pack"}).to_string(),
        ),
        (
            "rules.json".to_owned(),
            json!({ "rules": rules }).to_string(),
        ),
    ])
    .unwrap_or_else(|e| panic!("{:#?}", e.issues()));
    let mut v = body.clone();
    v.as_object_mut()
        .unwrap()
        .insert("schema_version".to_owned(), json!("1.0"));
    let model = Model::from_json(&v.to_string()).unwrap();
    Engine::with_packs(vec![pack])
        .unwrap()
        .evaluate(&model, &Options::parse("2026-06-30", None, None).unwrap())
        .unwrap()
}

/// Items whose `k` is every kind of value the probe must tell apart or treat as equal.
fn items() -> Value {
    json!([
        {"id": "a", "k": 1}, {"id": "b", "k": 1.0}, {"id": "c", "k": 1.5}, {"id": "d", "k": "1"},
        {"id": "e"}, {"id": "f", "k": null}, {"id": "g", "k": [1]}, {"id": "h", "k": {"x": 1}},
        {"id": "i", "k": true}, {"id": "j", "k": "a/b"}, {"id": "k", "k": 1}, {"id": "l", "k": 2}
    ])
}

/// Values compared with `k`: constants, and fields of an outer item (present or absent).
fn wanted() -> Vec<Value> {
    vec![
        json!(1),
        json!(1.0),
        json!(2),
        json!("1"),
        json!("a/b"),
        json!(true),
        json!(false),
        json!([1]),
        json!({"const": [1]}),
        json!({"const": {"x": 1}}),
        json!({"get": "$o/want"}),
        json!({"get": "$o/absent"}),
        json!({"get": "/x_missing"}),
    ]
}

/// Rules T-1 … T-4 over `/x_items/*` with condition `cond`, inside a loop over `/x_outer/*`.
fn forms(cond: &Value) -> Vec<Value> {
    let under = |check: Value| json!({"for_each": {"in": "/x_outer/*", "as": "o", "check": check}});
    let checks = vec![
        under(json!({"assert": {
            "that": {"some": {"in": "/x_items/*", "where": cond}},
            "message": "some {$o/name}"}})),
        under(json!({"assert": {
            "that": {"none": {"in": "/x_items/*", "where": cond}},
            "message": "none {$o/name}"}})),
        under(
            json!({"assert": {"that": false, "message": "filter {$o/name}",
            "actual": {"map": {"in": {"filter": {"in": "/x_items/*", "where": cond}},
                               "to": {"get": "@/id"}}}}}),
        ),
        under(json!({"for_each": {"in": "/x_items/*", "where": cond,
            "check": {"assert": {"that": false, "message": "each {@/id} {$o/name}", "at": "@"}},
            "if_none": {"status": "fail", "message": "none selected for {$o/name}"}}})),
    ];
    checks
        .into_iter()
        .enumerate()
        .map(|(i, c)| rule(&format!("T-{}", i + 1), c))
        .collect()
}

fn outcome(r: &Report) -> Value {
    let v = serde_json::to_value(r).unwrap();
    json!({"rules": v["rules"], "summary": v["summary"]})
}

#[test]
fn equality_probes_select_what_the_full_walk_selects() {
    let body = json!({
        "x_items": items(),
        "x_outer": [{"name": "o1", "want": 1}, {"name": "o2", "want": "a/b"}, {"name": "o3"}]
    });
    let mut compared = 0;
    for want in wanted() {
        for (key_left, extra) in [
            (true, None),
            (false, None),
            (true, Some(json!({"exists": "@/id"}))),
        ] {
            let eq = if key_left {
                json!({"eq": [{"get": "@/k"}, want]})
            } else {
                json!({"eq": [want, {"get": "@/k"}]})
            };
            let (probed, plain) = match &extra {
                None => (eq.clone(), json!({"and": [true, eq]})),
                Some(x) => (json!({"and": [eq, x]}), json!({"and": [true, eq, x]})),
            };
            let a = evaluate(forms(&probed), &body);
            let b = evaluate(forms(&plain), &body);
            assert_eq!(
                outcome(&a),
                outcome(&b),
                "want {want}, key_left {key_left}, extra {extra:?}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 39);
    // What the filter selects for 1: k = 1 and k = 1.0, in document order.
    let r = evaluate(forms(&json!({"eq": [{"get": "@/k"}, 1]})), &body);
    let filter = &r.rule("T-3").unwrap().findings[0];
    assert_eq!(filter.actual, Some(json!(["a", "b", "k"])));
}

#[test]
fn memoized_selections_match_their_look_alikes() {
    let body = json!({
        "x_items": items(),
        "x_groups": [
            {"name": "g1", "items": [{"k": 1}, {"k": 2}]},
            {"name": "g2", "items": [{"k": 1}]},
            {"name": "g3"}
        ]
    });
    let closed =
        json!({"count": {"filter": {"in": "/x_items/*", "where": {"eq": [{"get": "@/k"}, 1]}}}});
    // Same text, but `@` is the group here: not closed, so it must differ per group.
    let open =
        json!({"count": {"filter": {"in": "@/items/*", "where": {"eq": [{"get": "@/k"}, 1]}}}});
    let rules = vec![
        rule(
            "T-1",
            json!({"assert": {"that": false, "message": "n", "actual": closed}}),
        ),
        rule(
            "T-2",
            json!({"for_each": {"in": "/x_groups/*", "check": {"all": [
                {"assert": {"that": false, "message": "closed {@/name}", "actual": closed}},
                {"assert": {"that": false, "message": "open {@/name}", "actual": open}}
            ]}}}),
        ),
    ];
    let r = evaluate(rules, &body);
    let actual = |id: &str| -> Vec<Value> {
        r.rule(id)
            .unwrap()
            .findings
            .iter()
            .map(|f| f.actual.clone().unwrap())
            .collect()
    };
    // 1 and 1.0 (k = 1 twice and 1.0 once) count, "1" and [1] do not.
    assert_eq!(actual("T-1"), vec![json!(3)]);
    assert_eq!(
        actual("T-2"),
        vec![json!(3), json!(1), json!(3), json!(1), json!(3), json!(0)]
    );
}

#[test]
fn range_gives_what_filter_gives() {
    // Dates spread over two years, some repeated, some missing; every window between two
    // of them (and open-ended ones) through `range` and through `filter` with `ge` / `le`.
    let days = [
        "2025-01-05",
        "2025-03-01",
        "2025-03-01",
        "2025-07-19",
        "2025-12-31",
        "2026-02-28",
        "2026-06-30",
    ];
    let reviews: Vec<Value> = (0..40)
        .map(|i| {
            let mut r = json!({"id": format!("MR-{i:02}")});
            if i % 7 != 3 {
                r["held_on"] = json!(days[(i * 5) % days.len()]);
            }
            r
        })
        .collect();
    let body = json!({"management_reviews": reviews});
    let mut rules = Vec::new();
    let bounds: Vec<Option<&str>> = std::iter::once(None)
        .chain(days.iter().copied().map(Some))
        .chain(std::iter::once(Some("2025-06-01")))
        .collect();
    for (i, from) in bounds.iter().enumerate() {
        for (j, to) in bounds.iter().enumerate() {
            if from.is_none() && to.is_none() {
                continue;
            }
            let mut range = json!({"in": "/management_reviews/*", "by": {"get": "@/held_on"}});
            let mut conds = vec![json!({"exists": "@/held_on"})];
            if let Some(f) = from {
                range["from"] = json!(f);
                conds.push(json!({"ge": [{"get": "@/held_on"}, f]}));
            }
            if let Some(t) = to {
                range["to"] = json!(t);
                conds.push(json!({"le": [{"get": "@/held_on"}, t]}));
            }
            let plain = json!({"filter": {"in": "/management_reviews/*", "where": {"and": conds}}});
            for (form, sel) in [("R", json!({"range": range})), ("F", plain)] {
                rules.push(rule(
                    &format!("T-{form}-{i}-{j}"),
                    json!({"let": {"name": "w", "value": sel, "check": {"assert": {"that": false,
                        "message": "{$w/id | none}", "actual": {"count": "$w"}}}}}),
                ));
            }
        }
    }
    let report = evaluate(rules, &body);
    let mut compared = 0;
    for r in &report.rules {
        if let Some(rest) = r.id.strip_prefix("T-R-") {
            let plain = report.rule(&format!("T-F-{rest}")).unwrap();
            assert_eq!(r.findings[0].message, plain.findings[0].message, "{rest}");
            assert_eq!(r.findings[0].actual, plain.findings[0].actual, "{rest}");
            compared += 1;
        }
    }
    assert_eq!(compared, 9 * 9 - 1);
}
