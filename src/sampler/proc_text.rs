//! Reading only the fields the gauges use from `/proc/stat` and `/proc/PID/stat`, straight
//! from the bytes read, without building the crate's full structures.
//!
//! `procfs` parses every field into owned values: the whole of `/proc/stat` including its
//! `intr` line (hundreds of counters, more on machines with many interrupts), and 52 fields of
//! each process's `stat`. The sampler runs ten times a second for every tracked process, and
//! uses a core's busy and idle ticks, the fork counter and seven fields of a process.

/// Cumulative clock ticks a core has spent busy and idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CoreTimes {
    /// Doing work: user, nice, system, irq, softirq, steal.
    pub busy: u64,
    /// Idle or waiting for I/O.
    pub idle: u64,
}

/// Reads each `cpuN` line of `/proc/stat` into `cores` (cleared first) and returns the
/// `processes` counter (forks since boot), if the text has one.
pub fn kernel_stat(text: &[u8], cores: &mut Vec<CoreTimes>) -> Option<u64> {
    cores.clear();
    let mut forks = None;
    for line in text.split(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"cpu") {
            // `cpu ` is the sum of all cores; `cpuN` is one core.
            if rest.first().is_some_and(u8::is_ascii_digit) {
                cores.push(core_times(rest));
            }
        } else if let Some(rest) = line.strip_prefix(b"processes ") {
            forks = number(rest);
        }
    }
    forks
}

/// `N user nice system idle iowait irq softirq steal guest guest_nice`; fields a kernel does
/// not have count as 0. `guest` and `guest_nice` are already inside user and nice.
fn core_times(rest: &[u8]) -> CoreTimes {
    let mut fields = rest.split(|&b| b == b' ').filter(|f| !f.is_empty()).skip(1);
    let mut next = || fields.next().and_then(number).unwrap_or(0);
    let (user, nice, system, idle) = (next(), next(), next(), next());
    let (iowait, irq, softirq, steal) = (next(), next(), next(), next());
    CoreTimes {
        busy: user + nice + system + irq + softirq + steal,
        idle: idle + iowait,
    }
}

/// The fields of `/proc/PID/stat` the sampler uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcStat<'a> {
    /// The command name, between the parentheses (it may itself contain `)` and spaces).
    pub comm: &'a [u8],
    /// The one-letter state.
    pub state: char,
    /// Parent PID.
    pub ppid: u32,
    /// User plus system time of every thread, in clock ticks.
    pub ticks: u64,
    /// Resident pages.
    pub rss_pages: u64,
    /// Threads in the process.
    pub threads: u32,
    /// The wait status a zombie will be reaped with (field 52; kernels from 3.5).
    pub exit_code: Option<i32>,
}

/// Parses the text of `/proc/PID/stat`; `None` if it is not one.
#[must_use]
pub fn proc_stat(text: &[u8]) -> Option<ProcStat<'_>> {
    // The name is whatever lies between the first `(` and the last `)`.
    let open = memchr::memchr(b'(', text)?;
    let close = memchr::memrchr(b')', text)?;
    let comm = text.get(open + 1..close)?;
    // The fields after the name (field 3, the state, comes first) are separated by single
    // spaces; memchr finds the separators a word at a time, and only seven fields are kept.
    let rest = text.get(close + 2..)?;
    let mut wanted: [&[u8]; 7] = [&[]; 7];
    let mut start = 0;
    let ends = memchr::memchr2_iter(b' ', b'\n', rest).chain(std::iter::once(rest.len()));
    for (field, end) in (3..=52).zip(ends) {
        let slot = match field {
            3 => 0,
            4 => 1,
            14 => 2,
            15 => 3,
            20 => 4,
            24 => 5,
            52 => 6,
            _ => usize::MAX,
        };
        if let Some(kept) = wanted.get_mut(slot) {
            *kept = rest.get(start..end).unwrap_or_default();
        }
        start = end + 1;
    }
    let [state, ppid, utime, stime, threads, rss, exit] = wanted;
    let state = char::from(*state.first()?);
    let ppid = u32::try_from(number(ppid)?).ok()?;
    let ticks = number(utime)? + number(stime)?;
    let rss_pages = number(rss)?;
    let threads = u32::try_from(number(threads)?).ok()?;
    // Field 52 is the last one; older kernels stop earlier.
    let exit_code = std::str::from_utf8(exit).ok().and_then(|f| f.parse().ok());
    Some(ProcStat {
        comm,
        state,
        ppid,
        ticks,
        rss_pages,
        threads,
        exit_code,
    })
}

/// Resident pages: the second field of `/proc/PID/statm`.
#[must_use]
pub fn statm_resident_pages(text: &[u8]) -> Option<u64> {
    let mut fields = text.split(|&b| b == b' ' || b == b'\n');
    number(fields.nth(1)?)
}

/// The first field of `/proc/PID/schedstat`: nanoseconds the process's main thread has spent
/// on a CPU. `None` if the text is not one, or reads zero (a kernel without scheduler
/// statistics writes `0 0 0`, which must not pass for a thread that never ran).
#[must_use]
pub fn main_thread_run_ns(text: &[u8]) -> Option<u64> {
    let end = memchr::memchr(b' ', text)?;
    number(text.get(..end)?).filter(|&ns| ns > 0)
}

/// A decimal number made of ASCII digits only.
fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &b| {
        let digit = b.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &[u8] = b"cpu  2552734 335512 286106 1777520 8012 0 1256 1087 0 0\n\
cpu0 1207901 105955 139174 1023942 2176 0 255 498 0 0\n\
cpu1 1344833 229557 146932 753578 5836 1 1001 589 7 0\n\
intr 21593397 0 0 0 0\n\
ctxt 1234\n\
processes 99887\n\
procs_running 2\n";

    #[test]
    fn kernel_stat_reads_each_core_and_the_fork_counter() {
        let mut cores = vec![CoreTimes::default(); 5];
        assert_eq!(kernel_stat(STAT, &mut cores), Some(99887));
        assert_eq!(
            cores,
            [
                CoreTimes {
                    busy: 1_207_901 + 105_955 + 139_174 + 255 + 498,
                    idle: 1_023_942 + 2176
                },
                CoreTimes {
                    busy: 1_344_833 + 229_557 + 146_932 + 1 + 1001 + 589,
                    idle: 753_578 + 5836
                },
            ]
        );
    }

    #[test]
    fn a_kernel_with_fewer_columns_counts_the_missing_ones_as_zero() {
        let mut cores = Vec::new();
        assert_eq!(kernel_stat(b"cpu0 10 20 30 40\n", &mut cores), None);
        assert_eq!(cores, [CoreTimes { busy: 60, idle: 40 }]);
    }

    #[test]
    fn proc_stat_agrees_with_the_procfs_crate_on_this_process() {
        use procfs::FromRead;
        let text = std::fs::read("/proc/self/stat").expect("own stat");
        let ours = proc_stat(&text).expect("parses");
        let theirs = procfs::process::Stat::from_read(&text[..]).expect("procfs parses");
        assert_eq!(ours.comm, theirs.comm.as_bytes());
        assert_eq!(ours.state, theirs.state);
        assert_eq!(i64::from(ours.ppid), i64::from(theirs.ppid));
        assert_eq!(ours.ticks, theirs.utime + theirs.stime);
        assert_eq!(ours.rss_pages, theirs.rss);
        assert_eq!(i64::from(ours.threads), theirs.num_threads);
        assert_eq!(ours.exit_code, theirs.exit_code);
    }

    #[test]
    fn a_name_with_parentheses_and_spaces_is_kept_whole() {
        let mut text = b"42 (a) b (c)) S 7 42 42 0 -1 4194304 1 0 0 0 ".to_vec();
        // utime 5, stime 6, then fields 16-23, rss 99.
        text.extend_from_slice(b"5 6 0 0 20 0 1 0 100 2000 99\n");
        let stat = proc_stat(&text).expect("parses");
        assert_eq!(stat.comm, b"a) b (c)");
        assert_eq!((stat.state, stat.ppid), ('S', 7));
        assert_eq!((stat.ticks, stat.rss_pages, stat.threads), (11, 99, 1));
        assert_eq!(
            stat.exit_code, None,
            "an old kernel's line stops before field 52"
        );
    }

    #[test]
    fn garbage_is_not_a_stat() {
        assert_eq!(proc_stat(b""), None);
        assert_eq!(proc_stat(b"1 (x) S"), None);
        assert_eq!(
            proc_stat(b"1 (x) S -5 1 1 0 0 0 0 0 0 0 1 2 0 0 0 0 0 0 0 0 3"),
            None
        );
        assert_eq!(number(b"12a"), None);
        assert_eq!(
            main_thread_run_ns(b"0 0 0\n"),
            None,
            "no scheduler statistics"
        );
        assert_eq!(main_thread_run_ns(b"x 1 2\n"), None);
        assert_eq!(main_thread_run_ns(b"123456 789 3\n"), Some(123_456));
        assert_eq!(
            statm_resident_pages(b"5000 1234 300 10 0 900 0\n"),
            Some(1234)
        );
        assert_eq!(statm_resident_pages(b"5000\n"), None);
        assert_eq!(number(b"99999999999999999999999"), None);
    }
}
