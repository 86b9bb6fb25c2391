/* The floor for the gauges' sampling: what reading the same numbers costs in C, with nothing
 * drawn. Ten times a second it reads /proc/stat (per-core CPU) and /proc/PID/stat of every PID
 * given (CPU time, RSS), through files kept open and re-read with pread, and parses the fields
 * lectern uses. Built and run by `cargo bench --bench overhead`; stops after SECONDS.
 * With `--wake-only` it reads nothing: what merely waking ten times a second costs.
 *
 *   cc -O2 -o sampler_floor sampler_floor.c && ./sampler_floor SECONDS PID...
 *   ./sampler_floor SECONDS --wake-only
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[65536];

static long parse_core_busy(const char *text) {
    long busy = 0;
    const char *line = text;
    while ((line = strstr(line, "\ncpu")) != NULL) {
        long user, nice, sys, idle, iowait, irq, softirq, steal;
        line += 4;
        if (*line < '0' || *line > '9') continue;
        if (sscanf(line, "%*d %ld %ld %ld %ld %ld %ld %ld %ld", &user, &nice, &sys, &idle,
                   &iowait, &irq, &softirq, &steal) == 8)
            busy += user + nice + sys + irq + softirq + steal;
    }
    return busy;
}

static long parse_proc(const char *text) {
    const char *close = strrchr(text, ')');
    if (!close) return 0;
    long utime = 0, stime = 0, rss = 0;
    /* fields 3.. after the name: state ppid ... utime(14) stime(15) ... rss(24) */
    sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld %*d %*d %*d %*d %*d %*d %*u %*u %ld",
           &utime, &stime, &rss);
    return utime + stime + rss;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int seconds = atoi(argv[1]);
    int wake_only = argc > 2 && strcmp(argv[2], "--wake-only") == 0;
    int n = wake_only ? 0 : argc - 2;
    int stat_fd = open("/proc/stat", O_RDONLY);
    int *fds = calloc(n > 0 ? n : 1, sizeof(int));
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%s/stat", argv[i + 2]);
        fds[i] = open(path, O_RDONLY);
    }
    long sink = 0;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (int tick = 0; tick < seconds * 10; tick++) {
        next.tv_nsec += 100000000L;
        if (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        if (wake_only) continue;
        ssize_t got = pread(stat_fd, buf, sizeof buf - 1, 0);
        if (got > 0) { buf[got] = 0; sink += parse_core_busy(buf); }
        for (int i = 0; i < n; i++) {
            got = fds[i] >= 0 ? pread(fds[i], buf, sizeof buf - 1, 0) : -1;
            if (got > 0) { buf[got] = 0; sink += parse_proc(buf); }
        }
    }
    return sink == 42 ? 1 : 0;
}
