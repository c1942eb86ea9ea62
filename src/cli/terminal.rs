//! Text from a report or a register export is data: before it reaches a terminal, every
//! control character in it (an escape sequence that would recolour, move or retitle the
//! terminal; a carriage return that would overwrite the line) is printed escaped.

use std::borrow::Cow;

/// `text` with its control characters escaped (`\u{1b}`), borrowed when it has none.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(for_terminal("Alt HAN – P2P"), "Alt HAN – P2P");
        assert_eq!(
            for_terminal("x\u{1b}]0;owned\u{7}\rY"),
            "x\\u{1b}]0;owned\\u{7}\\rY"
        );
    }
}
