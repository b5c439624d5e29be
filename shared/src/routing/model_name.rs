//! Upstream model names are placed in URLs (Gemini's `/models/{model}:generateContent`), request bodies and
//! logs, so only plain names pass: printable ASCII without spaces, without the URL delimiters `? # %` and `\`,
//! and without `.` / `..` path segments. Anything else is a 400 before any upstream sees it (no path, query or
//! header smuggling through the `model` field).

/// Why a model name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelNameError {
    /// A character that may not appear in a model name.
    #[error("model `{model}` contains {what}; model names are printable ASCII without spaces or `?#%\\`")]
    BadCharacter {
        /// The name, with control characters escaped.
        model: String,
        /// What was found.
        what: String,
    },
    /// A `.` or `..` path segment.
    #[error("model `{0}` contains a `.` or `..` path segment")]
    DotSegment(String),
}

/// Checks the upstream part of a model string (after `prefix/`).
///
/// # Errors
/// [`ModelNameError`] naming the offending character or segment.
pub fn check(model: &str) -> Result<(), ModelNameError> {
    let shown = || model.escape_debug().to_string();
    if let Some(c) = model.chars().find(|c| !c.is_ascii_graphic() || matches!(c, '?' | '#' | '%' | '\\')) {
        let what = match c {
            ' ' => "a space".to_owned(),
            c if c.is_ascii_control() => format!("the control character {}", c.escape_debug()),
            c if !c.is_ascii() => format!("the non-ASCII character `{c}`"),
            c => format!("`{c}`"),
        };
        return Err(ModelNameError::BadCharacter { model: shown(), what });
    }
    if model.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(ModelNameError::DotSegment(shown()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_model_names_pass() {
        for ok in [
            "gpt-4o-mini",
            "anthropic/claude-sonnet-4",
            "qwen/qwen3-coder:free",
            "gemini-2.5-pro",
            "o3",
            "claude-3.5@20240620",
            "a.b.c",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn smuggling_attempts_are_refused_with_a_reason() {
        for (bad, needle) in [
            ("gemini-2.5-pro\r\nx-injected: yes", "control character \\r"),
            ("x?key=1", "`?`"),
            ("x#frag", "`#`"),
            ("x%2e%2e", "`%`"),
            ("a b", "a space"),
            ("a\\b", "`\\`"),
            ("naïve", "non-ASCII"),
        ] {
            let err = check(bad).expect_err(bad).to_string();
            assert!(err.contains(needle), "{bad}: {err}");
            assert!(!err.contains('\r') && !err.contains('\n'), "the message never carries raw control characters");
        }
        assert!(matches!(check("../../admin"), Err(ModelNameError::DotSegment(_))));
        assert!(matches!(check("a/./b"), Err(ModelNameError::DotSegment(_))));
    }
}
