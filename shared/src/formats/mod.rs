//! Wire formats. Today: the SSE framing layer shared by every streaming format.

pub mod sse;
