//! Busy polling of the event loop for a short window after each read.
//!
//! Why: on loopback the client's `send` pays for waking the server thread
//! when that thread sleeps in `epoll_wait` (scheduler wake-up, often an IPI),
//! and the woken thread pays the context switch back. A server that does
//! little work per request sleeps between almost every batch, so with the
//! client saturating its own core (redis-benchmark on two cores) those
//! wake-ups, not the server, set the throughput. While requests keep coming,
//! a task that only yields keeps the current-thread runtime polling the
//! driver with a zero timeout instead of parking, so arriving data finds a
//! running thread. After `busy-poll-usec` microseconds without a read the
//! spinner parks and the loop sleeps as usual: an idle server uses no CPU.
//!
//! Spinning only pays while this thread has a core to itself. When other
//! processes want the CPU (a compiler, the application next to us), a
//! spinning thread loses the scheduler's preference for threads that
//! sleep, and the client pays more than the wake-ups saved. So every
//! [`CHECK_EVERY_NS`] of spinning the thread's run-queue wait time
//! (`/proc/thread-self/schedstat`) is read; when the thread waited for a
//! CPU more than a tenth of that time, the core is contended and spinning
//! stops for [`BACKOFF`]. (Counting preemptions instead is too eager: a
//! VM preempts an idle-looking thread a hundred times a second.)
//!
//! Each turn of the spin also offers the core to the OS (`sched_yield`),
//! so kernel work queued behind us runs at once instead of adding to the
//! tail latency of the requests it carries.
//!
//! The spinner runs only with `io-threads 1`; on the multi-thread runtime
//! the workers park and steal on their own terms.

use crate::clock::{stamp, Stamp};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

/// How often a spinning thread checks whether it waits for a CPU.
const CHECK_EVERY_NS: u64 = 10_000_000;
/// Run-queue wait per check interval above which the core counts as contended.
const CONTENDED_WAIT_NS: u64 = CHECK_EVERY_NS / 10;
/// No spinning for this long after the core was found contended.
const BACKOFF: Duration = Duration::from_millis(100);

/// Reads the calling thread's run-queue wait so far (ns), or None where
/// the kernel does not report it (then spinning is never backed off).
struct WaitClock(Option<std::fs::File>);

impl WaitClock {
    fn open() -> WaitClock {
        WaitClock(std::fs::File::open("/proc/thread-self/schedstat").ok())
    }

    fn wait_ns(&self) -> Option<u64> {
        use std::os::unix::fs::FileExt;
        let f = self.0.as_ref()?;
        let mut buf = [0u8; 96];
        let n = f.read_at(&mut buf, 0).ok()?;
        // "<run ns> <wait ns> <timeslices>"
        std::str::from_utf8(&buf[..n]).ok()?.split_whitespace().nth(1)?.parse().ok()
    }
}

/// Spin-window state shared by the connections and the spinner task.
#[derive(Default)]
pub struct Spin {
    /// A connection read something since the spinner last looked.
    active: AtomicBool,
    /// The spinner is parked and waits for `wake`.
    parked: AtomicBool,
    wake: Notify,
    /// `busy-poll-usec`, in nanoseconds; 0 turns busy polling off.
    window_ns: AtomicU64,
}

impl Spin {
    /// Sets the window (`busy-poll-usec`, microseconds).
    pub fn set_window_us(&self, us: u64) {
        self.window_ns.store(us.saturating_mul(1000), Ordering::Relaxed);
    }

    /// Notes activity: called once per read that returned data. Costs a
    /// store and a load unless the spinner is parked.
    #[inline]
    pub fn touch(&self) {
        self.active.store(true, Ordering::Relaxed);
        if self.parked.load(Ordering::Relaxed) && self.parked.swap(false, Ordering::AcqRel) {
            self.wake.notify_one();
        }
    }
}

/// The spinner task: yields while reads keep arriving within the window,
/// then parks until the next one.
pub async fn spinner(spin: &Spin) {
    // The runtime has one thread, so this task always runs on it.
    let clock = WaitClock::open();
    loop {
        let mut last: Stamp = stamp();
        let mut checked = last;
        let mut waited = clock.wait_ns();
        let mut contended = false;
        loop {
            let window = spin.window_ns.load(Ordering::Relaxed);
            let now = stamp();
            if spin.active.swap(false, Ordering::Relaxed) {
                last = now;
            } else if window == 0 || last.nanos_until(now) > window {
                break;
            }
            if checked.nanos_until(now) > CHECK_EVERY_NS {
                checked = now;
                let w = clock.wait_ns();
                contended = matches!((waited, w), (Some(a), Some(b)) if b.saturating_sub(a) > CONTENDED_WAIT_NS);
                waited = w;
                if contended {
                    break;
                }
            }
            // A deferred wake-up: the runtime polls I/O without blocking
            // (epoll_wait with a zero timeout) before it runs us again.
            // Give the core to anything else runnable on it first: kernel
            // threads (softirq, kworkers) that the client's packets need
            // would otherwise wait behind the spin for the rest of our time
            // slice. Measured at -c 50 -P 1: p99 0.40-0.45 ms with this,
            // 0.47-0.61 ms without (Redis 0.38-0.50), throughput the same.
            // SAFETY: sched_yield takes no arguments and touches no memory.
            unsafe { libc::sched_yield() };
            tokio::task::yield_now().await;
        }
        // Turned off (`busy-poll-usec 0`) the spinner stays unparked, so
        // reads do not wake it; it only looks for a CONFIG SET now and then.
        if contended || spin.window_ns.load(Ordering::Relaxed) == 0 {
            tokio::time::sleep(BACKOFF).await;
            continue;
        }
        spin.parked.store(true, Ordering::Release);
        // Notify keeps a permit, so a touch between the store above and
        // the await below is not lost.
        spin.wake.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    /// Waits (bounded) for the spinner to park: a contended core (tests
    /// run in parallel) sends it through a back-off first.
    async fn parked_within_a_second(spin: &Spin) -> bool {
        for _ in 0..200 {
            if spin.parked.load(Ordering::Relaxed) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        false
    }

    #[test]
    fn parks_after_the_window_and_wakes_on_touch() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let spin = Arc::new(Spin::default());
            spin.set_window_us(200);
            let s = spin.clone();
            tokio::spawn(async move { spinner(&s).await });
            assert!(parked_within_a_second(&spin).await, "idle spinner must park");
            spin.touch();
            assert!(!spin.parked.load(Ordering::Relaxed));
            assert!(parked_within_a_second(&spin).await, "parks again once reads stop");
        });
    }
}
