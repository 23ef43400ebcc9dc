//! What the commands share about the terminal they write to: whether to colour, and how a
//! workspace that stops a run is drawn there.
//!
//! Renderers take colour as a parameter and never look at the environment; deciding it
//! from the stream and the environment is the CLI's job, done once here for every command.

/// Colour only on a terminal, and never when `NO_COLOR` is set (whatever its value) or
/// `TERM=dumb`, as ripgrep does.
pub fn wants_color(is_terminal: bool) -> bool {
    is_terminal
        && std::env::var_os("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |term| term != "dumb")
}

#[cfg(test)]
mod tests {
    use super::wants_color;

    #[test]
    fn colour_is_off_when_the_stream_is_not_a_terminal() {
        assert!(!wants_color(false));
    }
}
