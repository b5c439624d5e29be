//! AWS event-stream binary framing (`application/vnd.amazon.eventstream`), bytes in, whole messages out: a pure
//! incremental state machine. Chunk boundaries may fall anywhere and give the same messages and the same first
//! error; at most one incomplete message is buffered, and a message longer than [`MAX_MESSAGE_BYTES`] is refused
//! as soon as its prelude arrives.
//!
//! Layout (all integers big-endian; AWS "Event stream encoding",
//! <https://docs.aws.amazon.com/transcribe/latest/dg/event-stream.html>, and notes/providers.md "Kiro
//! event-stream"): total length (4) · headers length (4) · prelude CRC-32 of the first 8 bytes (4) · headers ·
//! payload · message CRC-32 of everything before it (4). A header is name length (1) · name · value type (1) ·
//! value: 0/1 bool true/false (no bytes), 2 byte, 3 short, 4 int, 5 long, 6 byte array and 7 string (2-byte length
//! then the bytes), 8 timestamp (8, ms since the epoch), 9 UUID (16). Both CRCs are checked.

use bytes::{Buf, Bytes, BytesMut};

use super::crc32::crc32;

/// Prelude (total length, headers length, prelude CRC) plus the message CRC.
const OVERHEAD: usize = 16;
/// Bytes of the prelude.
const PRELUDE: usize = 12;
/// Largest message accepted (the CLIProxyAPI Kiro executor refuses frames over 10 MiB; Kiro's events are small
/// JSON objects).
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;

/// A header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 and 1.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Short(i16),
    /// Type 4.
    Int(i32),
    /// Type 5.
    Long(i64),
    /// Type 6.
    Bytes(Bytes),
    /// Type 7 (invalid UTF-8 is replaced).
    String(String),
    /// Type 8: milliseconds since the epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Headers in wire order.
    pub headers: Vec<(String, HeaderValue)>,
    /// The payload (JSON for Kiro).
    pub payload: Bytes,
}

impl Message {
    /// The string value of header `name`, if it has one.
    #[must_use]
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|(n, v)| match v {
            HeaderValue::String(s) if n == name => Some(s.as_str()),
            _ => None,
        })
    }
}

/// A corrupt or truncated stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The total length is below the 16-byte minimum.
    #[error("event-stream message length {0} is below the minimum of 16")]
    TooShort(u32),
    /// The total length exceeds [`MAX_MESSAGE_BYTES`].
    #[error("event-stream message length {0} exceeds the limit")]
    TooLong(u32),
    /// The headers do not fit in the message.
    #[error("event-stream headers length {headers} does not fit a message of {total} bytes")]
    HeadersTooLong {
        /// Declared headers length.
        headers: u32,
        /// Declared total length.
        total: u32,
    },
    /// The prelude CRC does not match.
    #[error("event-stream prelude CRC mismatch (expected {expected:#010x}, computed {computed:#010x})")]
    PreludeCrc {
        /// CRC in the frame.
        expected: u32,
        /// CRC of the bytes.
        computed: u32,
    },
    /// The message CRC does not match.
    #[error("event-stream message CRC mismatch (expected {expected:#010x}, computed {computed:#010x})")]
    MessageCrc {
        /// CRC in the frame.
        expected: u32,
        /// CRC of the bytes.
        computed: u32,
    },
    /// A header is malformed.
    #[error("event-stream header malformed: {0}")]
    BadHeader(&'static str),
    /// The stream ended inside a message.
    #[error("event-stream ended inside a message ({0} bytes pending)")]
    Truncated(usize),
}

/// Incremental decoder. After an error it stays failed and reports that error again.
#[derive(Debug, Default)]
pub struct EventStreamDecoder {
    buffer: BytesMut,
    failed: Option<FrameError>,
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(word)
}

fn usize_of(value: u32) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

impl EventStreamDecoder {
    /// A decoder with an empty buffer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes, appending every message they complete to `out`, in order.
    ///
    /// # Errors
    /// The first [`FrameError`]; the messages before it are in `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<Message>) -> Result<(), FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        self.buffer.extend_from_slice(chunk);
        loop {
            match self.next_message() {
                Ok(Some(message)) => out.push(message),
                Ok(None) => return Ok(()),
                Err(error) => {
                    self.buffer.clear();
                    self.failed = Some(error.clone());
                    return Err(error);
                }
            }
        }
    }

    /// Checks that the stream ended between messages.
    ///
    /// # Errors
    /// [`FrameError::Truncated`] when bytes of an unfinished message are pending, or the earlier error.
    pub fn finish(&self) -> Result<(), FrameError> {
        match &self.failed {
            Some(error) => Err(error.clone()),
            None if self.buffer.is_empty() => Ok(()),
            None => Err(FrameError::Truncated(self.buffer.len())),
        }
    }

    /// Bytes received after the last complete message.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if self.buffer.len() < PRELUDE {
            return Ok(None);
        }
        let total = be32(&self.buffer, 0);
        let headers_len = be32(&self.buffer, 4);
        let computed = crc32(&self.buffer[..8]);
        let expected = be32(&self.buffer, 8);
        if computed != expected {
            return Err(FrameError::PreludeCrc { expected, computed });
        }
        let total_bytes = usize_of(total);
        if total_bytes < OVERHEAD {
            return Err(FrameError::TooShort(total));
        }
        if total_bytes > MAX_MESSAGE_BYTES {
            return Err(FrameError::TooLong(total));
        }
        let headers_bytes = usize_of(headers_len);
        if headers_bytes > total_bytes - OVERHEAD {
            return Err(FrameError::HeadersTooLong { headers: headers_len, total });
        }
        if self.buffer.len() < total_bytes {
            return Ok(None);
        }
        let frame = self.buffer.split_to(total_bytes).freeze();
        let computed = crc32(&frame[..total_bytes - 4]);
        let expected = be32(&frame, total_bytes - 4);
        if computed != expected {
            return Err(FrameError::MessageCrc { expected, computed });
        }
        let headers = parse_headers(frame.slice(PRELUDE..PRELUDE + headers_bytes))?;
        let payload = frame.slice(PRELUDE + headers_bytes..total_bytes - 4);
        Ok(Some(Message { headers, payload }))
    }
}

fn take(bytes: &mut Bytes, n: usize) -> Result<Bytes, FrameError> {
    if bytes.len() < n {
        return Err(FrameError::BadHeader("value runs past the headers section"));
    }
    Ok(bytes.split_to(n))
}

fn array<const N: usize>(bytes: &mut Bytes) -> Result<[u8; N], FrameError> {
    let mut out = [0u8; N];
    out.copy_from_slice(&take(bytes, N)?);
    Ok(out)
}

fn parse_headers(mut bytes: Bytes) -> Result<Vec<(String, HeaderValue)>, FrameError> {
    let mut headers = Vec::new();
    while bytes.has_remaining() {
        let [name_len] = array::<1>(&mut bytes)?;
        if name_len == 0 {
            return Err(FrameError::BadHeader("empty header name"));
        }
        let name = String::from_utf8_lossy(&take(&mut bytes, usize::from(name_len))?).into_owned();
        let [kind] = array::<1>(&mut bytes)?;
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes(array(&mut bytes)?)),
            3 => HeaderValue::Short(i16::from_be_bytes(array(&mut bytes)?)),
            4 => HeaderValue::Int(i32::from_be_bytes(array(&mut bytes)?)),
            5 => HeaderValue::Long(i64::from_be_bytes(array(&mut bytes)?)),
            6 | 7 => {
                let len = usize::from(u16::from_be_bytes(array(&mut bytes)?));
                let data = take(&mut bytes, len)?;
                if kind == 6 {
                    HeaderValue::Bytes(data)
                } else {
                    HeaderValue::String(String::from_utf8_lossy(&data).into_owned())
                }
            }
            8 => HeaderValue::Timestamp(i64::from_be_bytes(array(&mut bytes)?)),
            9 => HeaderValue::Uuid(array(&mut bytes)?),
            _ => return Err(FrameError::BadHeader("unknown header value type")),
        };
        headers.push((name, value));
    }
    Ok(headers)
}

/// Encodes one message with string headers (what Kiro sends; used by tests and fuzzing to build streams).
#[must_use]
pub fn encode_message(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut header_bytes = Vec::new();
    for (name, value) in headers {
        let name = &name.as_bytes()[..name.len().min(255)];
        let value = &value.as_bytes()[..value.len().min(usize::from(u16::MAX))];
        header_bytes.push(u8::try_from(name.len()).unwrap_or(u8::MAX));
        header_bytes.extend_from_slice(name);
        header_bytes.push(7);
        header_bytes.extend_from_slice(&u16::try_from(value.len()).unwrap_or(u16::MAX).to_be_bytes());
        header_bytes.extend_from_slice(value);
    }
    let total = OVERHEAD + header_bytes.len() + payload.len();
    let mut frame = Vec::with_capacity(total);
    frame.extend_from_slice(&u32::try_from(total).unwrap_or(u32::MAX).to_be_bytes());
    frame.extend_from_slice(&u32::try_from(header_bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    let prelude_crc = crc32(&frame);
    frame.extend_from_slice(&prelude_crc.to_be_bytes());
    frame.extend_from_slice(&header_bytes);
    frame.extend_from_slice(payload);
    let message_crc = crc32(&frame);
    frame.extend_from_slice(&message_crc.to_be_bytes());
    frame
}

/// An event message as Kiro sends it: `:message-type: event`, `:event-type`, `:content-type: application/json`.
#[must_use]
pub fn encode_event(event_type: &str, payload: &[u8]) -> Vec<u8> {
    encode_message(
        &[(":message-type", "event"), (":event-type", event_type), (":content-type", "application/json")],
        payload,
    )
}
