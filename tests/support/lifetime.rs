//! Servers that live exactly as long as the test process: spawned from one thread that
//! lasts as long as the process, sent a death signal when it ends anyway (killed), and
//! stopped by an exit handler when it ends normally.

use std::{
    io,
    os::unix::process::CommandExt,
    panic::AssertUnwindSafe,
    process::{Child, Command},
    sync::{Mutex, Once, OnceLock, PoisonError, mpsc},
    time::{Duration, Instant},
};

/// The child is sent `signal` when the thread that spawned it ends: servers are spawned on
/// the keeper thread, which lasts as long as the process, so a test run that is killed
/// leaves no server running.
pub(crate) fn die_with_parent(cmd: &mut Command, signal: libc::c_int) -> &mut Command {
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: between fork and exec only async-signal-safe calls: prctl and getppid,
        // and an error made without allocating.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, signal) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // The parent died before prctl: nothing would ever send the signal.
                if libc::getppid() != parent {
                    return Err(io::Error::from_raw_os_error(libc::ESRCH));
                }
                Ok(())
            });
        }
    }
    cmd
}

/// Spawns a server that is stopped with `stop` (then SIGKILL) when the process exits.
pub(crate) fn spawn_owned(mut cmd: Command, stop: libc::c_int) -> Result<u32, String> {
    let child = cmd
        .spawn()
        .map_err(|e| format!("start {:?}: {e}", cmd.get_program()))?;
    let pid = child.id();
    OWNED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(child);
    at_exit(move || stop_owned(pid, stop));
    Ok(pid)
}

/// The servers this process started, kept to be stopped and reaped at exit.
static OWNED: Mutex<Vec<Child>> = Mutex::new(Vec::new());

fn with_child<T>(pid: u32, f: impl FnOnce(&mut Child) -> T) -> Option<T> {
    let mut owned = OWNED.lock().unwrap_or_else(PoisonError::into_inner);
    owned.iter_mut().find(|c| c.id() == pid).map(f)
}

fn running(pid: u32) -> bool {
    with_child(pid, |c| matches!(c.try_wait(), Ok(None))).unwrap_or(false)
}

/// Polls `ready` until it holds (true), the child exits or `within` passes (false).
pub(crate) fn wait_until(pid: u32, within: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline && running(pid) {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Stops a server of [`spawn_owned`] with `signal`, and SIGKILL when it is still running
/// after 10 s.
pub(crate) fn stop_owned(pid: u32, signal: libc::c_int) {
    // Only a child not yet reaped is signalled: a reaped one's pid may be another process's.
    if running(pid) {
        // SAFETY: kill only sends a signal, to our own child.
        unsafe { libc::kill(pid as libc::pid_t, signal) };
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while running(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    with_child(pid, |c| {
        let _ = c.kill();
        let _ = c.wait();
    });
}

/// Whether process `pid` runs (or is a zombie) on this machine.
pub fn pid_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true; // not a pid this machine could have: not ours to judge
    };
    // SAFETY: signal 0 only checks that the process exists.
    let exists = unsafe { libc::kill(pid, 0) } == 0;
    exists || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Runs `job` on the keeper: the one thread that starts servers, which lives as long as
/// the process. The parent-death signal fires when the *thread* that spawned a child ends,
/// and each test runs on a thread of its own that ends with the test.
pub(crate) fn on_keeper<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> T {
    type Job = Box<dyn FnOnce() + Send>;
    static KEEPER: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    let keeper = KEEPER.get_or_init(|| {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("postern-test-servers".into())
            .spawn(move || {
                for job in queue {
                    // A job that panics must not end the thread: its servers would die.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                }
            })
            .expect("start the keeper thread");
        jobs
    });
    let (answer, answered) = mpsc::sync_channel(1);
    keeper
        .send(Box::new(move || drop(answer.send(job()))))
        .expect("the keeper thread runs");
    answered.recv().expect("the keeper thread finished the job")
}

/// Runs `future` to completion on a runtime of its own: for the keeper thread and the exit
/// handler, where no runtime runs.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

type ExitJob = Box<dyn FnOnce() + Send>;
static EXIT_JOBS: Mutex<Vec<ExitJob>> = Mutex::new(Vec::new());

/// Runs `job` when the process exits, last registered first. The test harness ends with
/// `process::exit`, which runs the C exit handlers (and no Rust destructor of a static).
pub(crate) fn at_exit(job: impl FnOnce() + Send + 'static) {
    static REGISTERED: Once = Once::new();
    REGISTERED.call_once(|| {
        // SAFETY: run_exit_jobs takes nothing and never unwinds.
        unsafe { libc::atexit(run_exit_jobs) };
    });
    EXIT_JOBS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Box::new(job));
}

extern "C" fn run_exit_jobs() {
    let jobs = std::mem::take(&mut *EXIT_JOBS.lock().unwrap_or_else(PoisonError::into_inner));
    for job in jobs.into_iter().rev() {
        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
    }
}
