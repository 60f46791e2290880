//! `--color`: whether sigc colours a stream. One decision for every coloured thing it writes:
//! `check`'s report on standard output, diagnostics and errors on standard error, progress bars.

use clap::ValueEnum;
use std::io::IsTerminal;
use std::sync::OnceLock;

/// The `--color` choice.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour a stream that is a terminal; never when NO_COLOR is set and not empty; any stream
    /// when CLICOLOR_FORCE is set and not `0`.
    #[default]
    Auto,
    /// Always colour, even under NO_COLOR.
    Always,
    /// Never colour.
    Never,
}

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Records the run's choice (the first call wins; [`ColorChoice::Auto`] until then), and hands
/// it to the `console` crate, which styles indicatif's progress bars.
pub fn set(choice: ColorChoice) {
    let choice = *CHOICE.get_or_init(|| choice);
    console::set_colors_enabled(decide(choice, std::io::stdout().is_terminal()));
    console::set_colors_enabled_stderr(decide(choice, std::io::stderr().is_terminal()));
}

/// Should standard output be coloured?
pub fn stdout() -> bool {
    decide(choice(), std::io::stdout().is_terminal())
}

/// Should standard error be coloured?
pub fn stderr() -> bool {
    decide(choice(), std::io::stderr().is_terminal())
}

fn choice() -> ColorChoice {
    CHOICE.get().copied().unwrap_or_default()
}

/// The choice for a stream, with the environment read.
fn decide(choice: ColorChoice, terminal: bool) -> bool {
    let set = |name: &str, off: &str| std::env::var_os(name).is_some_and(|v| v != off);
    rule(
        choice,
        set("NO_COLOR", ""),
        set("CLICOLOR_FORCE", "0"),
        terminal,
    )
}

/// The decision itself: `--color` first, then NO_COLOR, then CLICOLOR_FORCE, then the terminal.
fn rule(choice: ColorChoice, no_color: bool, forced: bool, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && (forced || terminal),
    }
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, rule};

    #[test]
    fn the_flag_wins_then_no_color_then_the_terminal() {
        for (no_color, forced, terminal) in [(false, false, false), (true, true, true)] {
            assert!(rule(ColorChoice::Always, no_color, forced, terminal));
            assert!(!rule(ColorChoice::Never, no_color, forced, terminal));
        }
        assert!(rule(ColorChoice::Auto, false, false, true));
        assert!(!rule(ColorChoice::Auto, false, false, false));
        assert!(rule(ColorChoice::Auto, false, true, false));
        assert!(!rule(ColorChoice::Auto, true, false, true));
        assert!(!rule(ColorChoice::Auto, true, true, true));
    }
}
