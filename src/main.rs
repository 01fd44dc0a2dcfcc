fn main() -> std::process::ExitCode {
    kubebook::cli::main()
}
