//! `sigc completions SHELL`: the shell's completion script for every subcommand and option,
//! generated from the same clap definitions that parse the command line (clap_complete).

use super::{EXIT_OK, out};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

#[derive(Args, Debug)]
#[command(after_long_help = "Install, for example:
  sigc completions bash > ~/.local/share/bash-completion/completions/sigc
  sigc completions zsh > ~/.zfunc/_sigc        # with fpath+=~/.zfunc before compinit
  sigc completions fish > ~/.config/fish/completions/sigc.fish
  sigc completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "sigc", &mut script);
    out::stdout(&String::from_utf8_lossy(&script));
    EXIT_OK
}
