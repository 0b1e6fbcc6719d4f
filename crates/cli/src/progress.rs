//! The progress bar: shown on a terminal, silent when stderr is piped or `--quiet` is given.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar that is a no-op when hidden. `inc` is safe to call from worker threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// A counter with a rate; with `total` (every input named on the command line, none a
    /// folder) also a bar and an ETA. Folders are walked as the run goes, so that a
    /// million-file run never lists them all in memory: then the total is unknown.
    pub fn new(quiet: bool, total: Option<u64>) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = match total {
                Some(_) => "{bar:30} {human_pos}/{human_len} files  {rate}  ETA {eta}",
                None => "{spinner} {human_pos} files  {rate}  {elapsed}",
            };
            // A whole-number rate (`364/s`): indicatif's own `{per_sec}` prints four decimals.
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0}/s", state.per_sec());
                    },
                ));
            }
            bar
        });
        Progress { bar, quiet }
    }

    pub fn inc(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// A message that must not be garbled by the bar (per-file failures).
    pub fn println(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.println(msg),
            None if !self.quiet => eprintln!("{msg}"),
            None => {}
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
