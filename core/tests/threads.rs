//! One engine, compiled once, and one loaded model, shared by 8 threads evaluating at once:
//! every report is byte-identical to the one a single thread writes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::{Engine, Model, Options, Report};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Barrier;
use std::thread;

const THREADS: usize = 8;
const ROUNDS: usize = 3;

// What the threads share must be shareable: checked when this file compiles.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Engine>();
    shared::<Model>();
    shared::<Options>();
    shared::<Report>();
};

/// The shipped examples and a generated model, each with its name.
fn models() -> Vec<(String, Model)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "examples: {files:?}");
    let mut models: Vec<(String, Model)> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            (p.display().to_string(), Model::from_string(text).unwrap())
        })
        .collect();
    models.push((
        "generated".to_owned(),
        Model::from_value(generated(300)).unwrap(),
    ));
    models
}

/// `n` processes in a chain of hand-offs, each with an owner, a procedure and runs; every
/// seventh owner does not exist and every eleventh process has not run, so rules fail too.
fn generated(n: usize) -> Value {
    let roles: Vec<Value> = (0..10)
        .map(|r| json!({"id": format!("r-{r}"), "name": format!("Owner {r}"), "aims_duties": ["process_owner"]}))
        .collect();
    let mut documents = Vec::new();
    let mut processes = Vec::new();
    let mut runs = Vec::new();
    for i in 0..n {
        let id = format!("proc-{i}");
        documents.push(
            json!({"id": format!("doc-{i}"), "title": format!("Procedure {i}"),
            "type": "procedure", "status": "approved", "version": "1.0", "approved_by": "r-0",
            "approved_on": "2026-01-10", "next_review_on": "2027-01-10"}),
        );
        let owner = if i % 7 == 0 {
            "r-none".to_owned()
        } else {
            format!("r-{}", i % 10)
        };
        let inputs = if i == 0 {
            json!([{"artifact": "requirements", "from_external": "customers"}])
        } else {
            json!([{"artifact": format!("handoff-{}", i - 1), "from_process_id": format!("proc-{}", i - 1)}])
        };
        let outputs = if i + 1 == n {
            json!([{"artifact": "report", "to_external": "regulator"}])
        } else {
            json!([{"artifact": format!("handoff-{i}"), "to_process_id": format!("proc-{}", i + 1)}])
        };
        let clause = ["8.1", "9.1", "9.2", "9.3", "10.2"][i % 5];
        processes.push(
            json!({"id": id, "name": format!("Process {i}"), "clause_refs": [clause],
            "status": "active", "owner_role_id": owner, "procedure_document_id": format!("doc-{i}"),
            "inputs": inputs, "outputs": outputs, "cadence": {"every": 1, "unit": "quarter"}}),
        );
        if i % 11 != 0 {
            runs.push(
                json!({"id": format!("run-{i}"), "process_id": id, "started_on": "2026-05-02",
                "completed_on": "2026-05-03"}),
            );
        }
    }
    json!({"schema_version": "1.0",
        "organization": {"name": "Threaded Co", "size_tier": "scaleup"},
        "roles": roles, "documents": documents, "processes": processes, "process_runs": runs})
}

#[test]
fn eight_threads_share_one_engine_and_one_model() {
    let engine = Engine::new().unwrap();
    let models = models();
    let options = [
        Options::parse("2026-06-30", None, None).unwrap(),
        Options::parse("2026-06-30", Some("startup"), Some("certification")).unwrap(),
    ];
    // What one thread writes, alone.
    let expected: Vec<Vec<String>> = models
        .iter()
        .map(|(_, m)| {
            options
                .iter()
                .map(|o| engine.evaluate(m, o).unwrap().to_json_pretty())
                .collect()
        })
        .collect();
    // The models differ, so the comparison below could tell one report from another.
    for (i, a) in expected.iter().enumerate() {
        for b in &expected[i + 1..] {
            assert_ne!(a[0], b[0]);
        }
    }
    let start = Barrier::new(THREADS);
    let results: Vec<Vec<(usize, usize, String)>> = thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (engine, models, options, start) = (&engine, &models, &options, &start);
                s.spawn(move || {
                    start.wait();
                    let mut out = Vec::new();
                    for round in 0..ROUNDS {
                        // Threads walk the models in different orders, so that different
                        // models are evaluated at the same time as well as the same one.
                        for k in 0..models.len() {
                            let m = (k + t + round) % models.len();
                            for (o, opts) in options.iter().enumerate() {
                                let report = engine.evaluate(&models[m].1, opts).unwrap();
                                out.push((m, o, report.to_json_pretty()));
                            }
                        }
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(results.len(), THREADS);
    for out in &results {
        assert_eq!(out.len(), ROUNDS * models.len() * options.len());
        for (m, o, report) in out {
            assert!(
                *report == expected[*m][*o],
                "a report of {} differs from the single-threaded one",
                models[*m].0
            );
        }
    }
}

#[test]
fn threads_loading_their_own_models_agree() {
    // Loading is shared-nothing, but the embedded pack and schemas behind it are process-wide:
    // 8 threads each load the same text and evaluate it with the one engine.
    let engine = Engine::new().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/gaps.json"),
    )
    .unwrap();
    let options = Options::parse("2026-06-30", None, None).unwrap();
    let expected = engine
        .evaluate(&Model::from_json(&text).unwrap(), &options)
        .unwrap()
        .to_json_pretty();
    let reports: Vec<String> = thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    let model = Model::from_json(&text).unwrap();
                    // A fresh engine per thread as well: compiling is thread-safe too.
                    let own = Engine::new().unwrap();
                    let a = engine.evaluate(&model, &options).unwrap().to_json_pretty();
                    let b = own.evaluate(&model, &options).unwrap().to_json_pretty();
                    assert_eq!(a, b);
                    a
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(reports.len(), THREADS);
    for r in reports {
        assert!(r == expected, "a thread's report differs");
    }
}
