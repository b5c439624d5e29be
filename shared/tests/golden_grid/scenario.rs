//! The grid's axes and what each scenario's upstream answers, independent of any wire format.

use shared::formats::Format;

/// Client formats (the inbound endpoints).
pub const CLIENTS: [Format; 4] = [Format::OpenAiChat, Format::OpenAiResponses, Format::Anthropic, Format::Gemini];

/// Upstream formats.
pub const UPSTREAMS: [Format; 6] =
    [Format::OpenAiChat, Format::OpenAiResponses, Format::Anthropic, Format::Gemini, Format::CodeAssist, Format::Kiro];

/// What a case exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// A plain text answer.
    Text,
    /// One tool call.
    ToolCall,
    /// Reasoning (with a signed reasoning block of the client's family in the history) then text.
    Thinking,
    /// Two tool calls in one answer.
    ParallelTools,
    /// A history with a tool call and its result; the answer mixes text and a tool call.
    MixedTurn,
    /// The output token limit stops the answer.
    LengthStop,
    /// Usage with prompt-cache reads (and writes where the upstream reports them).
    CachedUsage,
    /// Codex's freeform `apply_patch` tool (Responses clients only; not part of the 336-case grid).
    CustomTool,
}

/// Every scenario, in golden-file order.
pub const SCENARIOS: [Scenario; 7] = [
    Scenario::Text,
    Scenario::ToolCall,
    Scenario::Thinking,
    Scenario::ParallelTools,
    Scenario::MixedTurn,
    Scenario::LengthStop,
    Scenario::CachedUsage,
];

impl Scenario {
    /// Name used in golden files and failure messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::ToolCall => "tool_call",
            Self::Thinking => "thinking",
            Self::ParallelTools => "parallel_tools",
            Self::MixedTurn => "mixed_turn",
            Self::LengthStop => "length_stop",
            Self::CachedUsage => "cached_usage",
            Self::CustomTool => "custom_tool",
        }
    }

    /// Whether the request offers tools.
    pub fn has_tools(self) -> bool {
        matches!(self, Self::ToolCall | Self::ParallelTools | Self::MixedTurn)
    }
}

/// One block of the upstream's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Reasoning text with the upstream family's signature (if the format has one).
    Thinking(&'static str),
    /// Text.
    Text(&'static str),
    /// A tool call.
    Tool { id: &'static str, name: &'static str, args: &'static str },
}

/// Why the upstream stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    Stop,
    Length,
    Tools,
}

/// Usage as the upstream reports it (input excludes cache reads and writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub reasoning: u64,
}

/// The upstream's answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub blocks: Vec<Block>,
    pub finish: Finish,
    pub usage: Tokens,
}

pub const WEATHER_ARGS: &str = r#"{"city":"Paris","unit":"celsius"}"#;
pub const TIME_ARGS: &str = r#"{"zone":"Asia/Tokyo"}"#;
/// The freeform call's IR arguments (`custom_tools.rs`) and its input.
pub const PATCH_ARGS: &str =
    r#"{"freeform_input":"*** Begin Patch\n*** Add File: hello.txt\n+Hello \"world\"\n*** End Patch\n"}"#;
pub const PATCH: &str = "*** Begin Patch\n*** Add File: hello.txt\n+Hello \"world\"\n*** End Patch\n";
pub const THOUGHT: &str = "The user asks 2+2. That is 4.";

/// The upstream's answer for `scenario`.
pub fn reply(scenario: Scenario) -> Reply {
    let usage = Tokens { input: 42, output: 17, ..Tokens::default() };
    let weather = Block::Tool { id: "call_w1", name: "get_weather", args: WEATHER_ARGS };
    let time = Block::Tool { id: "call_t2", name: "get_time", args: TIME_ARGS };
    match scenario {
        Scenario::Text => Reply { blocks: vec![Block::Text("Hello! How can I help?")], finish: Finish::Stop, usage },
        Scenario::ToolCall => Reply { blocks: vec![weather], finish: Finish::Tools, usage },
        Scenario::Thinking => Reply {
            blocks: vec![Block::Thinking(THOUGHT), Block::Text("2 + 2 = 4.")],
            finish: Finish::Stop,
            usage: Tokens { reasoning: 9, ..usage },
        },
        Scenario::ParallelTools => Reply { blocks: vec![weather, time], finish: Finish::Tools, usage },
        Scenario::MixedTurn => {
            Reply { blocks: vec![Block::Text("Now Tokyo's time."), time], finish: Finish::Tools, usage }
        }
        Scenario::LengthStop => {
            Reply { blocks: vec![Block::Text("Once upon a time, in a")], finish: Finish::Length, usage }
        }
        Scenario::CustomTool => Reply {
            blocks: vec![
                Block::Text("Patching."),
                Block::Tool { id: "call_patch", name: "apply_patch", args: PATCH_ARGS },
            ],
            finish: Finish::Tools,
            usage,
        },
        Scenario::CachedUsage => Reply {
            blocks: vec![Block::Text("Cached hello.")],
            finish: Finish::Stop,
            usage: Tokens { input: 8, output: 5, cache_read: 1200, cache_write: 300, reasoning: 0 },
        },
    }
}

/// The signature each upstream format attaches to reasoning (None: the format carries none).
pub fn upstream_signature(upstream: Format) -> Option<&'static str> {
    match upstream {
        Format::Anthropic => Some("EqQBCkYIBhgCKkBsigANTHROPIC=="),
        Format::OpenAiResponses => Some("gAAAAABencOPENAI=="),
        Format::Gemini | Format::CodeAssist => Some("CiQBsigGEMINI=="),
        Format::OpenAiChat | Format::Kiro => None,
    }
}

/// The reasoning family of a format (formats sharing a family accept each other's signatures).
pub fn family(format: Format) -> Option<&'static str> {
    match format {
        Format::Anthropic => Some("anthropic"),
        Format::OpenAiResponses => Some("openai"),
        Format::Gemini | Format::CodeAssist => Some("gemini"),
        Format::OpenAiChat | Format::Kiro => None,
    }
}

/// The signature the client sends back in its history (Thinking scenario), by client format.
pub fn history_signature(client: Format) -> Option<&'static str> {
    match client {
        Format::Anthropic => Some("HISTsigANTHROPIC=="),
        Format::OpenAiResponses => Some("HISTencOPENAI=="),
        Format::Gemini => Some("HISTsigGEMINI=="),
        _ => None,
    }
}

/// Upstream model name the router sends.
pub const UPSTREAM_MODEL: &str = "up-model-1";
