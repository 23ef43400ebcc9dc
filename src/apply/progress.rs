//! How an apply shows its progress: a bar on a terminal, one plain line per operation
//! otherwise (CI logs read better without redraws).

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    /// Print nothing (tests of the parts that report progress).
    silent: bool,
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines otherwise.
    pub fn new(total: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, silent: false }
    }

    /// Progress that shows nothing.
    #[cfg(test)]
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            silent: true,
        }
    }

    /// Reports one finished operation.
    pub fn done(&self, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.println(line);
                bar.inc(1);
            }
            None => self.line(line),
        }
    }

    /// Says that the apply waits on purpose (for a limit of Getui's), so that a bar that
    /// stops moving does not look stuck: beside the bar, or as a line of its own.
    pub fn waiting(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(line.trim().to_owned()),
            None => self.line(line),
        }
    }

    /// The wait is over.
    pub fn resumed(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message("");
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn line(&self, line: &str) {
        if !self.silent {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }
}
