#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    microcred::cli::run()
}
