/* Minimal fork-and-wait, the baseline for lectern's fork measurement (benches/fork.rs).
 * Each round: fork; the child exits at once; the parent waits for it. Prints the median
 * round in microseconds, and the median time from fork to a first byte through a pipe
 * (what lectern's start-methods demo measures). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 200

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
    static double wait_us[ROUNDS], hello_us[ROUNDS];
    int fds[2];
    if (pipe(fds) != 0) return 1;
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = now_us();
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        waitpid(pid, NULL, 0);
        wait_us[i] = now_us() - t0;

        t0 = now_us();
        pid = fork();
        if (pid == 0) {
            char c = 'x';
            (void)write(fds[1], &c, 1);
            _exit(0);
        }
        char c;
        (void)read(fds[0], &c, 1);
        hello_us[i] = now_us() - t0;
        waitpid(pid, NULL, 0);
    }
    qsort(wait_us, ROUNDS, sizeof(double), cmp);
    qsort(hello_us, ROUNDS, sizeof(double), cmp);
    printf("%.1f %.1f\n", wait_us[ROUNDS / 2], hello_us[ROUNDS / 2]);
    return 0;
}
