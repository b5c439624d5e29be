//! A Claude Code–shaped Anthropic Messages request of about 80 KB: system blocks with `cache_control`, 30 tools
//! with JSON schemas (Claude Code's own and MCP ones), and 40 turns mixing text, `thinking` with signatures,
//! `tool_use` and `tool_result`.

use serde_json::{json, Value};

use super::{some_words, words, Lcg};

/// Turns (user + assistant messages) in the conversation.
pub const TURNS: usize = 40;

/// A tool: its name, its properties (name, JSON type or `enum`) and the required ones.
type ToolSpec = (&'static str, &'static [(&'static str, &'static str)], &'static [&'static str]);

/// Claude Code's built-in tools and a few MCP servers' tools.
const TOOLS: &[ToolSpec] = &[
    (
        "Task",
        &[("description", "string"), ("prompt", "string"), ("subagent_type", "string")],
        &["description", "prompt", "subagent_type"],
    ),
    (
        "Bash",
        &[("command", "string"), ("timeout", "number"), ("description", "string"), ("run_in_background", "boolean")],
        &["command"],
    ),
    ("Glob", &[("pattern", "string"), ("path", "string")], &["pattern"]),
    (
        "Grep",
        &[
            ("pattern", "string"),
            ("path", "string"),
            ("glob", "string"),
            ("output_mode", "enum"),
            ("-B", "number"),
            ("-A", "number"),
            ("-C", "number"),
            ("-n", "boolean"),
            ("-i", "boolean"),
            ("type", "string"),
            ("head_limit", "number"),
            ("multiline", "boolean"),
        ],
        &["pattern"],
    ),
    ("ExitPlanMode", &[("plan", "string")], &["plan"]),
    ("Read", &[("file_path", "string"), ("offset", "number"), ("limit", "number")], &["file_path"]),
    (
        "Edit",
        &[("file_path", "string"), ("old_string", "string"), ("new_string", "string"), ("replace_all", "boolean")],
        &["file_path", "old_string", "new_string"],
    ),
    ("MultiEdit", &[("file_path", "string"), ("edits", "array")], &["file_path", "edits"]),
    ("Write", &[("file_path", "string"), ("content", "string")], &["file_path", "content"]),
    (
        "NotebookEdit",
        &[
            ("notebook_path", "string"),
            ("cell_id", "string"),
            ("new_source", "string"),
            ("cell_type", "enum"),
            ("edit_mode", "enum"),
        ],
        &["notebook_path", "new_source"],
    ),
    ("WebFetch", &[("url", "string"), ("prompt", "string")], &["url", "prompt"]),
    ("TodoWrite", &[("todos", "array")], &["todos"]),
    ("WebSearch", &[("query", "string"), ("allowed_domains", "array"), ("blocked_domains", "array")], &["query"]),
    ("BashOutput", &[("bash_id", "string"), ("filter", "string")], &["bash_id"]),
    ("KillShell", &[("shell_id", "string")], &["shell_id"]),
    ("SlashCommand", &[("command", "string")], &["command"]),
    ("ListMcpResourcesTool", &[("server", "string")], &[]),
    ("ReadMcpResourceTool", &[("server", "string"), ("uri", "string")], &["server", "uri"]),
    (
        "mcp__github__create_issue",
        &[("owner", "string"), ("repo", "string"), ("title", "string"), ("body", "string"), ("labels", "array")],
        &["owner", "repo", "title"],
    ),
    (
        "mcp__github__get_pull_request",
        &[("owner", "string"), ("repo", "string"), ("pull_number", "number")],
        &["owner", "repo", "pull_number"],
    ),
    (
        "mcp__github__list_commits",
        &[("owner", "string"), ("repo", "string"), ("sha", "string"), ("page", "number"), ("perPage", "number")],
        &["owner", "repo"],
    ),
    (
        "mcp__github__search_code",
        &[("q", "string"), ("sort", "enum"), ("order", "enum"), ("per_page", "number")],
        &["q"],
    ),
    (
        "mcp__github__create_pull_request",
        &[
            ("owner", "string"),
            ("repo", "string"),
            ("title", "string"),
            ("head", "string"),
            ("base", "string"),
            ("body", "string"),
            ("draft", "boolean"),
        ],
        &["owner", "repo", "title", "head", "base"],
    ),
    (
        "mcp__linear__list_issues",
        &[("teamId", "string"), ("assigneeId", "string"), ("limit", "number"), ("includeArchived", "boolean")],
        &[],
    ),
    (
        "mcp__linear__update_issue",
        &[
            ("id", "string"),
            ("title", "string"),
            ("description", "string"),
            ("stateId", "string"),
            ("priority", "number"),
        ],
        &["id"],
    ),
    ("mcp__postgres__query", &[("sql", "string")], &["sql"]),
    ("mcp__playwright__browser_navigate", &[("url", "string")], &["url"]),
    (
        "mcp__playwright__browser_click",
        &[("element", "string"), ("ref", "string"), ("doubleClick", "boolean"), ("button", "enum")],
        &["element", "ref"],
    ),
    ("mcp__playwright__browser_snapshot", &[], &[]),
    (
        "mcp__sentry__get_issue_details",
        &[("organizationSlug", "string"), ("issueId", "string"), ("issueUrl", "string")],
        &[],
    ),
];

fn schema(rng: &mut Lcg, properties: &[(&str, &str)], required: &[&str]) -> Value {
    let mut props = serde_json::Map::new();
    for &(name, kind) in properties {
        let description = some_words(rng, 8, 16);
        let prop = match kind {
            "enum" => {
                json!({"type": "string", "enum": ["content", "files_with_matches", "count"], "description": description})
            }
            "array" => json!({
                "type": "array",
                "description": description,
                "items": {
                    "type": "object",
                    "properties": {
                        "content": {"type": "string", "minLength": 1},
                        "status": {"type": "string", "enum": ["pending", "in_progress", "completed"]},
                        "activeForm": {"type": "string", "minLength": 1},
                    },
                    "required": ["content", "status", "activeForm"],
                    "additionalProperties": false,
                },
            }),
            other => json!({"type": other, "description": description}),
        };
        props.insert(name.to_owned(), prop);
    }
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
        "$schema": "http://json-schema.org/draft-07/schema#",
    })
}

fn tools(rng: &mut Lcg) -> Vec<Value> {
    TOOLS
        .iter()
        .map(|&(name, properties, required)| {
            let description = some_words(rng, 30, 80);
            json!({"name": name, "description": description, "input_schema": schema(rng, properties, required)})
        })
        .collect()
}

/// A file's contents as a `Read` tool returns them (numbered lines).
fn file_listing(rng: &mut Lcg, min: usize, spread: usize) -> String {
    let lines = min + rng.below(spread);
    (1..=lines).map(|n| format!("{n:>6}\u{2192}{}\n", some_words(rng, 3, 9))).collect()
}

fn signature(rng: &mut Lcg) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut sig: String = (0..360).map(|_| char::from(B64[rng.below(B64.len())])).collect();
    sig.push_str("==");
    sig
}

/// The Anthropic request, serialized.
pub fn anthropic() -> Vec<u8> {
    let mut rng = Lcg::new(0xc1a0de);
    let system = json!([
        {"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude.", "cache_control": {"type": "ephemeral"}},
        {"type": "text", "text": words(&mut rng, 1_800), "cache_control": {"type": "ephemeral"}},
    ]);
    let tools = tools(&mut rng);
    let mut messages = vec![json!({"role": "user", "content": [
        {"type": "text", "text": format!("<system-reminder>\n{}\n</system-reminder>", words(&mut rng, 150))},
        {"type": "text", "text": words(&mut rng, 40)},
    ]})];
    let tool_names = ["Read", "Grep", "Edit", "Bash", "Glob", "TodoWrite"];
    for turn in 0..TURNS - 1 {
        let id = format!("toolu_01{:0>22}", turn * 7919);
        let name = tool_names[turn % tool_names.len()];
        let input = match name {
            "Read" => json!({"file_path": format!("/home/dev/project/src/module_{turn}.rs")}),
            "Grep" => {
                json!({"pattern": "fn decode_\\w+", "path": "/home/dev/project/src", "output_mode": "content", "-n": true})
            }
            "Edit" => {
                json!({"file_path": "/home/dev/project/src/lib.rs", "old_string": words(&mut rng, 20), "new_string": words(&mut rng, 25)})
            }
            "Bash" => {
                json!({"command": "cargo test -p router-shared --features native 2>&1 | tail -40", "description": "Run the tests"})
            }
            "Glob" => json!({"pattern": "**/*.rs", "path": "/home/dev/project/shared"}),
            _ => json!({"todos": [
                {"content": words(&mut rng, 6), "status": "completed", "activeForm": words(&mut rng, 5)},
                {"content": words(&mut rng, 6), "status": "in_progress", "activeForm": words(&mut rng, 5)},
            ]}),
        };
        let mut assistant = Vec::new();
        if turn % 3 == 0 {
            assistant.push(
                json!({"type": "thinking", "thinking": some_words(&mut rng, 40, 60), "signature": signature(&mut rng)}),
            );
        }
        if turn % 2 == 0 {
            assistant.push(json!({"type": "text", "text": some_words(&mut rng, 10, 30)}));
        }
        assistant.push(json!({"type": "tool_use", "id": id, "name": name, "input": input}));
        messages.push(json!({"role": "assistant", "content": assistant}));

        let result = match name {
            "Read" => Value::String(file_listing(&mut rng, 12, 20)),
            "Bash" => json!([{"type": "text", "text": words(&mut rng, 60)}]),
            _ => json!(some_words(&mut rng, 15, 40)),
        };
        let mut user = vec![json!({"type": "tool_result", "tool_use_id": id, "content": result})];
        if turn == TURNS - 2 {
            user.push(json!({"type": "text", "text": words(&mut rng, 30), "cache_control": {"type": "ephemeral"}}));
        }
        messages.push(json!({"role": "user", "content": user}));
    }
    let body = json!({
        "model": "claude-sonnet-4-5-20250929",
        "max_tokens": 32_000,
        "system": system,
        "messages": messages,
        "tools": tools,
        "tool_choice": {"type": "auto"},
        "temperature": 1,
        "metadata": {"user_id": "user_6f1b2c3d4e5f60718293a4b5c6d7e8f9_account_0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0_session_9e8d7c6b-5a49-3827-1605-f4e3d2c1b0a9"},
        "thinking": {"type": "enabled", "budget_tokens": 10_000},
        "stream": true,
    });
    serde_json::to_vec(&body).expect("a JSON value serializes")
}
