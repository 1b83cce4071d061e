/*
 * The engine alone, in process: bench/bench-60m.yaml through gpb_sim_run
 * and the summary figures at 10^4, 10^5 and 10^6 paths on one thread and
 * on all cores, peak memory at 10^6 paths, the same with quasi-random
 * sampling, and the scaling in months. Each configuration runs in a child
 * process so that its peak resident memory is its own.
 *
 * The headline figure is the command a user runs, timed against the numpy
 * model by run_bench.py; the difference between the two is the CLI's report
 * (sensitivity, JSON), which this program leaves out (bench/README.md).
 *
 *   bench_sim SCENARIO [MAX_PATHS]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gpubudget/gpubudget.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The scenario text with its horizon replaced (for the months scaling). */
static char *with_horizon(const char *text, int months)
{
    const char *key = "horizon_months:";
    const char *at = strstr(text, key);
    if (!at)
        return NULL;
    const char *eol = strchr(at, '\n');
    size_t n = strlen(text) + 32;
    char *out = malloc(n);
    if (!out)
        return NULL;
    snprintf(out, n, "%.*s%s %d%s", (int)(at - text), text, key, months,
             eol ? eol : "");
    return out;
}

static void q3(const gpb_result *r, const char *metric, const char *label,
               double scale)
{
    double q[3];
    static const double lv[3] = {0.05, 0.5, 0.95};
    for (int k = 0; k < 3; k++)
        gpb_result_quantile(r, metric, lv[k], &q[k], NULL);
    printf("    %-26s P5 %10.3f  P50 %10.3f  P95 %10.3f\n", label,
           q[0] / scale, q[1] / scale, q[2] / scale);
}

/* One configuration, in the calling (child) process. */
static int run_one(const char *text, const char *name, size_t paths,
                   int threads, int quasi, int months, int print_results)
{
    gpb_scenario *s = NULL;
    gpb_diagnostics *d = NULL;
    char *t = months ? with_horizon(text, months) : NULL;
    const char *src = t ? t : text;
    if (gpb_scenario_load_string(src, strlen(src), name, &s, &d)) {
        for (size_t i = 0; i < gpb_diagnostics_count(d); i++) {
            char buf[1024];
            gpb_error_format(gpb_diagnostics_at(d, i), buf, sizeof buf);
            fprintf(stderr, "%s\n", buf);
        }
        gpb_diagnostics_free(d);
        free(t);
        return 1;
    }
    free(t);
    gpb_sim_options opt;
    gpb_sim_options_default(&opt);
    opt.paths = paths;
    opt.threads = threads;
    opt.quasi_random = quasi;
    gpb_result *r = NULL;
    gpb_error err;
    double t0 = now_s();
    gpb_status st = gpb_sim_run(s, &opt, &r, &err);
    double t_sim = now_s() - t0;
    if (st) {
        char buf[1024];
        gpb_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "simulation failed: %s\n", buf);
        gpb_scenario_free(s);
        return 1;
    }
    /* The figures the benchmark asks for, timed as part of the job. */
    double t1 = now_s();
    double qs[4][3], p_out, raise90;
    static const char *const metrics[4] = {"runway_months", "cash.min",
                                           "spend.total",
                                           "training.pretrain.finish_month"};
    static const double lv[3] = {0.05, 0.5, 0.95};
    for (int m = 0; m < 4; m++)
        for (int k = 0; k < 3; k++)
            gpb_result_quantile(r, metrics[m], lv[k], &qs[m][k], NULL);
    p_out = gpb_result_prob_out_of_cash_by(r, gpb_result_horizon_months(r) - 1);
    gpb_result_raise_needed(r, 0.9, &raise90, NULL);
    double t_sum = now_s() - t1;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  %-9s %8zu paths  %2d thr  %3d months  sim %7.3f s  summary "
           "%6.3f s  total %7.3f s  %10.0f paths/s  peak RSS %6.1f MB\n",
           quasi ? "sobol" : "pseudo", paths, threads,
           gpb_result_horizon_months(r), t_sim, t_sum, t_sim + t_sum,
           (double)paths / (t_sim + t_sum), ru.ru_maxrss / 1024.0);
    if (print_results) {
        printf("  results (%zu paths, seed %llu):\n", paths,
               (unsigned long long)gpb_result_seed(r));
        q3(r, "runway_months", "runway (months)", 1);
        q3(r, "cash.min", "lowest cash ($M)", 1e6);
        q3(r, "spend.total", "total spend ($M)", 1e6);
        q3(r, "training.pretrain.finish_month", "run finish month", 1);
        printf("    P(out of cash within 60 months) %.4f\n", p_out);
        printf("    raise needed for 90%% confidence $%.2fM\n", raise90 / 1e6);
    }
    (void)qs;
    gpb_result_free(r);
    gpb_scenario_free(s);
    return 0;
}

static int in_child(const char *text, const char *name, size_t paths,
                    int threads, int quasi, int months, int print_results)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        int rc = run_one(text, name, paths, threads, quasi, months,
                         print_results);
        fflush(stdout);
        _exit(rc);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sim SCENARIO [MAX_PATHS]\n");
        return 2;
    }
    size_t max_paths = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 1000000;
    char *text = read_all(argv[1]);
    if (!text) {
        fprintf(stderr, "bench_sim: cannot read %s\n", argv[1]);
        return 2;
    }
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    int rc = 0;
    printf("gpubudget %s benchmark: %s (%d cores)\n", gpb_version(), argv[1],
           cores);
    printf("engine only, in process (the CLI against numpy: bench-60m-cli)\n"
           "reproduce: meson test -C build-release --benchmark bench-60m "
           "--verbose\n"
           "       or: build-release/bench/bench_sim bench/bench-60m.yaml\n");
    for (size_t paths = 10000; paths <= max_paths; paths *= 10) {
        rc |= in_child(text, argv[1], paths, 1, 0, 0, 0);
        if (cores > 1)
            rc |= in_child(text, argv[1], paths, cores, 0, 0,
                           paths == max_paths);
        else if (paths == max_paths)
            rc |= in_child(text, argv[1], paths, 1, 0, 0, 1);
    }
    printf("quasi-random (Sobol) per-path inputs:\n");
    rc |= in_child(text, argv[1], max_paths, cores, 1, 0, 1);
    printf("scaling in months (10^5 paths, all cores):\n");
    for (int months = 30; months <= 120; months *= 2)
        rc |= in_child(text, argv[1], max_paths / 10 ? max_paths / 10 : 1,
                       cores, 0, months, 0);
    free(text);
    return rc;
}
