//! The golden grid: every client format (Chat, Responses, Claude, Gemini) × every upstream format (Chat,
//! Responses, Claude, Gemini, Code Assist, Kiro) × {JSON, stream} × seven scenarios (text, tool call, thinking,
//! parallel tools, mixed turn, length stop, cached usage) = 336 generated cases.
//!
//! Each case builds the client's request and the upstream's canned answer from a scenario table, runs both
//! through the pipeline's own translation functions (`run.rs`), and asserts (`checks.rs`) the request sent
//! upstream and the answer returned: semantically, the client's stream grammar, and against a golden file per
//! pair (`golden.rs`; `GOLDEN_BLESS=1` rewrites them). Every upstream body is also fed one byte at a time and
//! must give identical output.

mod golden_grid {
    pub mod checks;
    pub mod client_requests;
    pub mod custom;
    pub mod golden;
    pub mod observe;
    pub mod replies_openai;
    pub mod replies_other;
    pub mod run;
    pub mod scenario;
    pub mod sse;
}

use golden_grid::checks::{self, Failures};
use golden_grid::golden;
use golden_grid::run::{self, Case};
use golden_grid::scenario::{Scenario, CLIENTS, SCENARIOS, UPSTREAMS};
use shared::formats::Format;

/// Runs every case of one client format; returns the number of cases.
fn grid_for(client: Format) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let mut failures = Vec::new();
    let mut cases = 0;
    for upstream in UPSTREAMS {
        let mut text = String::new();
        for scenario in SCENARIOS {
            for stream in [false, true] {
                let case = Case { client, upstream, scenario, stream };
                cases += 1;
                let mut f = Failures::new(&case);
                match runtime.block_on(run::run(&case)) {
                    Ok(outcome) => {
                        checks::upstream_request(&mut f, &outcome.upstream_request);
                        checks::client_response(&mut f, &outcome.client_response);
                        let body = run::upstream_body(&case);
                        match runtime.block_on(run::client_response(&case, &body, 1)) {
                            Ok(bytewise) => f.check(bytewise == outcome.client_response, || {
                                "fed one byte at a time, the client's answer differs".into()
                            }),
                            Err(e) => f.check(false, || format!("fed one byte at a time: {e}")),
                        }
                        text.push_str(&golden::section(&case, &outcome));
                    }
                    Err(e) => f.check(false, || e),
                }
                failures.extend(f.list);
            }
        }
        if let Err(e) = golden::compare(client, upstream, &text) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    cases
}

#[test]
fn openai_chat_clients() {
    assert_eq!(grid_for(Format::OpenAiChat), 84);
}

#[test]
fn openai_responses_clients() {
    assert_eq!(grid_for(Format::OpenAiResponses), 84);
}

#[test]
fn anthropic_clients() {
    assert_eq!(grid_for(Format::Anthropic), 84);
}

#[test]
fn gemini_clients() {
    assert_eq!(grid_for(Format::Gemini), 84);
}

#[test]
fn the_grid_has_336_cases_one_test_per_client_format() {
    assert_eq!(CLIENTS.len() * UPSTREAMS.len() * SCENARIOS.len() * 2, 336);
    assert_eq!(CLIENTS, [Format::OpenAiChat, Format::OpenAiResponses, Format::Anthropic, Format::Gemini]);
}

/// Codex's freeform `apply_patch` from a Responses client through every other upstream format, JSON and stream
/// (a Responses upstream gets the request untouched: same-format passthrough).
#[test]
fn codex_custom_tools_through_other_upstreams() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let mut failures = Vec::new();
    for upstream in UPSTREAMS.into_iter().filter(|u| *u != Format::OpenAiResponses) {
        for stream in [false, true] {
            let case = Case { client: Format::OpenAiResponses, upstream, scenario: Scenario::CustomTool, stream };
            let mut f = Failures::new(&case);
            match runtime.block_on(run::run(&case)) {
                Ok(outcome) => {
                    golden_grid::custom::upstream_request(&mut f, &outcome.upstream_request);
                    golden_grid::custom::client_response(&mut f, &outcome.client_response);
                    let body = run::upstream_body(&case);
                    let bytewise = runtime.block_on(run::client_response(&case, &body, 1));
                    f.check(bytewise.as_ref() == Ok(&outcome.client_response), || {
                        "byte-at-a-time output differs".into()
                    });
                }
                Err(e) => f.check(false, || e),
            }
            failures.extend(f.list);
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
