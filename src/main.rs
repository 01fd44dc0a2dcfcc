fn main() -> std::process::ExitCode {
    tune_allocator();
    kubebook::cli::main()
}

/// glibc grows each thread's heap a little at a time, one mprotect call per step; chapters
/// render on every core, and a profile of a 15-chapter build showed those calls at about 7 %
/// of its time. Growing by 8 MiB at a time (address space, not memory: untouched pages are
/// never resident) removes most of them.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning value of the allocator; it is called before any
    // thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 8 << 20);
    }
}
