//! The `keyhound` binary: runs `app::run` and maps its outcome to an exit code
//! (0 clean, 1 findings, 2 error) with a one-line message on errors and panics.

use std::process::ExitCode;

use keyhound::app::{self, Outcome};

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("keyhound: internal error: {msg}{at}");
        std::process::exit(2);
    }));
    match app::run(std::env::args_os()) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            eprintln!("keyhound: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
